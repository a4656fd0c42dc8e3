// @vitest-environment jsdom
import { beforeEach, describe, expect, it, vi } from "vitest";
import { makeEnvelope } from "../shared/protocol/envelope";
import { DEFAULT_EXIT_URL, exitUrlOf, install, readConfig } from "./install";

const ORIGIN = "https://kvarter.example";

/**
 * jsdom gives an iframe inside a shadow root no window, so the message tests build the
 * widget without one (`shadow: false`); real Chromium checks the shadow root's isolation.
 */
function setup(attrs: Record<string, string> = { "data-room": "ostersund", "data-lang": "sv" }, shadow = false) {
  delete (window as { KvarterWidget?: unknown }).KvarterWidget;
  document.body.replaceChildren();
  const script = document.createElement("script");
  script.setAttribute("src", `${ORIGIN}/widget.js`);
  for (const [k, v] of Object.entries(attrs)) script.setAttribute(k, v);
  document.body.append(script);
  const leave = vi.fn<(url: string) => void>();
  const attach = HTMLElement.prototype.attachShadow;
  if (!shadow) (HTMLElement.prototype as { attachShadow?: unknown }).attachShadow = undefined;
  const api = install(window, leave);
  HTMLElement.prototype.attachShadow = attach;
  const host = document.querySelector<HTMLElement>('kvarter-widget[data-kvarter="root"]')!;
  const root = host.shadowRoot ?? host;
  const launcher = root.querySelector<HTMLButtonElement>('button[data-kvarter="launcher"]')!;
  const frame = root.querySelector<HTMLIFrameElement>('iframe[data-kvarter="frame"]')!;
  return { api, host, launcher, frame, leave };
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
    expect(frame.getAttribute("sandbox")).toBe("allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
    expect(frame.title).not.toBe("");
    expect(frame.getAttribute("referrerpolicy")).toBe("origin");
    expect(frame.hidden).toBe(true);
    expect(document.querySelector("style")).toBeNull();
    expect(src.searchParams.has("theme")).toBe(false);
    expect(src.searchParams.has("notrace")).toBe(false);
  });

  it("keeps the host page's CSS out: a shadow root, and every own style inline and important", () => {
    const { host, launcher, frame } = setup(undefined, true);
    expect(host.shadowRoot?.mode).toBe("open");
    expect(document.querySelector('button[data-kvarter="launcher"]')).toBeNull();
    for (const el of [launcher, frame]) {
      expect(el.style.getPropertyValue("position")).toBe("fixed");
      expect(el.style.getPropertyPriority("position")).toBe("important");
    }
    expect(launcher.style.getPropertyValue("right")).toBe("16px");
  });

  it("passes theme and no-trace to the widget and puts the launcher on the left when asked", () => {
    const { launcher, frame } = setup({ "data-room": "umea", "data-theme": "dark", "data-position": "left", "data-no-trace": "" });
    const src = new URL(frame.src);
    expect(src.searchParams.get("theme")).toBe("dark");
    expect(src.searchParams.get("notrace")).toBe("1");
    expect(launcher.style.getPropertyValue("left")).toBe("16px");
    expect(launcher.style.getPropertyValue("right")).toBe("");
  });

  it("reads the data attributes with safe defaults", () => {
    const script = document.createElement("script");
    script.src = "https://k.example/widget.js";
    Object.assign(script.dataset, { room: " umea ", lang: "EN-gb", theme: "neon", position: "middle", exitUrl: "javascript:alert(1)" });
    expect(readConfig(script, "https://school.example/")).toEqual({
      origin: "https://k.example", room: "umea", lang: "en", theme: "light", position: "right", noTrace: false, exitUrl: DEFAULT_EXIT_URL,
    });
    expect(exitUrlOf("https://www.smhi.se/")).toBe("https://www.smhi.se/");
    expect(exitUrlOf("http://plain.example/")).toBe(DEFAULT_EXIT_URL);
  });

  it("quick exit removes the widget and leaves for the neutral site, replacing the history entry", () => {
    const { frame, leave } = setup({ "data-room": "umea", "data-exit-url": "https://www.smhi.se/" });
    fromFrame(frame, makeEnvelope("close", { reason: "exit" }), "https://evil.example");
    expect(leave).not.toHaveBeenCalled();
    fromFrame(frame, makeEnvelope("close", { reason: "exit" }));
    expect(leave).toHaveBeenCalledWith("https://www.smhi.se/");
    expect(document.querySelector("kvarter-widget")).toBeNull();
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

  it("tells the widget whether it is shown once it is ready (again after a reload), with the explicit origin, never '*'", () => {
    const { launcher, frame } = setup();
    const post = vi.spyOn(frame.contentWindow!, "postMessage");
    launcher.click();
    expect(post).not.toHaveBeenCalled();
    fromFrame(frame, makeEnvelope("ready", {}));
    expect(post).toHaveBeenLastCalledWith(makeEnvelope("open", { open: true }), ORIGIN);
    fromFrame(frame, makeEnvelope("close", {}));
    expect(post).toHaveBeenLastCalledWith(makeEnvelope("open", { open: false }), ORIGIN);
    fromFrame(frame, makeEnvelope("ready", {}));
    expect(post).toHaveBeenLastCalledWith(makeEnvelope("open", { open: false }), ORIGIN);
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
