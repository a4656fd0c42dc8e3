// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from "vitest";
import { makeEnvelope } from "../shared/protocol/envelope";
import { install } from "./install";

const ORIGIN = "https://kvarter.example";

function setup(attrs: Record<string, string> = { "data-room": "ostersund", "data-lang": "sv" }) {
  delete (window as { KvarterWidget?: unknown }).KvarterWidget;
  document.body.innerHTML = "";
  const script = document.createElement("script");
  script.setAttribute("src", `${ORIGIN}/widget.js`);
  for (const [k, v] of Object.entries(attrs)) script.setAttribute(k, v);
  document.body.append(script);
  const api = install(window);
  const launcher = document.querySelector<HTMLButtonElement>('button[data-kvarter="launcher"]')!;
  const frame = document.querySelector<HTMLIFrameElement>('iframe[data-kvarter="frame"]')!;
  return { api, launcher, frame };
}

function fromFrame(frame: HTMLIFrameElement, data: unknown, origin = ORIGIN, source: Window | null = frame.contentWindow) {
  window.dispatchEvent(new MessageEvent("message", { data, origin, source }));
}

describe("embed loader", () => {
  beforeEach(() => vi.restoreAllMocks());

  it("injects a real button and a sandboxed, hidden iframe for the room", () => {
    const { launcher, frame } = setup();
    expect(launcher.tagName).toBe("BUTTON");
    expect(launcher.type).toBe("button");
    expect(launcher.getAttribute("aria-label")).toBe("Chatta med polisen");
    expect(launcher.textContent).toContain("Chatta med polisen");
    expect(launcher.getAttribute("aria-expanded")).toBe("false");
    const src = new URL(frame.src);
    expect(src.origin).toBe(ORIGIN);
    expect(src.pathname).toBe("/widget/");
    expect(src.searchParams.get("room")).toBe("ostersund");
    expect(src.searchParams.get("lang")).toBe("sv");
    expect(src.searchParams.get("embed")).toBe("1");
    expect(src.searchParams.get("host")).toBe(window.location.origin);
    expect(frame.getAttribute("sandbox")).toBe("allow-scripts allow-same-origin allow-forms allow-popups");
    expect(frame.title).not.toBe("");
    expect(frame.hidden).toBe(true);
    expect(document.querySelector("style")).toBeNull();
  });

  it("speaks English when asked", () => {
    const { launcher } = setup({ "data-room": "umea", "data-lang": "en" });
    expect(launcher.getAttribute("aria-label")).toBe("Chat with the police");
  });

  it("toggles the iframe and returns focus to the launcher on close", () => {
    const { launcher, frame } = setup();
    launcher.click();
    expect(frame.hidden).toBe(false);
    expect(launcher.getAttribute("aria-expanded")).toBe("true");
    fromFrame(frame, makeEnvelope("close", {}));
    expect(frame.hidden).toBe(true);
    expect(document.activeElement).toBe(launcher);
  });

  it("ignores messages from another origin, another window or another version", () => {
    const { launcher, frame } = setup();
    launcher.click();
    fromFrame(frame, makeEnvelope("close", {}), "https://evil.example");
    fromFrame(frame, makeEnvelope("close", {}), ORIGIN, window);
    fromFrame(frame, { ...makeEnvelope("close", {}), v: 2 });
    expect(frame.hidden).toBe(false);
  });

  it("queues posts until ready and then posts with the explicit origin, never '*'", () => {
    const { launcher, frame } = setup();
    const post = vi.spyOn(frame.contentWindow!, "postMessage");
    launcher.click();
    expect(post).not.toHaveBeenCalled();
    fromFrame(frame, makeEnvelope("ready", {}));
    expect(post).toHaveBeenCalledWith(makeEnvelope("open", { open: true }), ORIGIN);
    for (const call of post.mock.calls) expect(call[1]).toBe(ORIGIN);
  });

  it("shows the unread count on the launcher", () => {
    const { launcher, frame } = setup();
    fromFrame(frame, makeEnvelope("unread", { count: 3 }));
    expect(launcher.getAttribute("aria-label")).toBe("Chatta med polisen (3 olästa)");
    fromFrame(frame, makeEnvelope("unread", { count: 0 }));
    expect(launcher.getAttribute("aria-label")).toBe("Chatta med polisen");
  });
});
