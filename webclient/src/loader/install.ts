/** The loader's logic, separate from the entry so tests can run it against a fake page. */
import { enLoader } from "../shared/i18n/en";
import { svLoader } from "../shared/i18n/sv";
import { makeEnvelope, readEnvelope, type EnvelopeType } from "../shared/protocol/envelope";

type Styles = Partial<Record<string, string>>;

/** Where quick exit goes unless the page sets `data-exit-url` (https only). */
export const DEFAULT_EXIT_URL = "https://www.google.com/";

const POLICE_BLUE = "#1f3b73";

/**
 * Inline and `!important`: an inline declaration marked important beats every rule of the
 * host page's style sheets, even their own `!important` ones. Set through the CSSOM (never a
 * style attribute string), so a host page with a strict CSP works too.
 */
function style(el: HTMLElement, styles: Styles): void {
  for (const [key, value] of Object.entries(styles)) el.style.setProperty(key, value ?? "", "important");
}

function findScript(doc: Document): HTMLScriptElement | null {
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  return doc.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
}

export type Theme = "light" | "dark" | "auto";
export type Position = "left" | "right";

/** What the embedding page asked for through the script tag's data attributes. */
export interface LoaderConfig {
  origin: string;
  room: string;
  lang: "sv" | "en";
  theme: Theme;
  position: Position;
  noTrace: boolean;
  exitUrl: string;
}

/** Reads the script tag: unknown values fall back to the defaults (Swedish, light, right). */
export function readConfig(script: HTMLScriptElement, base: string): LoaderConfig {
  const data = script.dataset;
  const theme = data.theme === "dark" || data.theme === "auto" ? data.theme : "light";
  const noTrace = data.noTrace !== undefined && data.noTrace !== "false";
  return {
    origin: new URL(script.src, base).origin,
    room: (data.room ?? "").trim(),
    lang: data.lang?.toLowerCase().startsWith("en") ? "en" : "sv",
    theme,
    position: data.position === "left" ? "left" : "right",
    noTrace,
    exitUrl: exitUrlOf(data.exitUrl),
  };
}

/** The page's own exit address when it is https, else the neutral default. */
export function exitUrlOf(value: string | undefined): string {
  if (!value) return DEFAULT_EXIT_URL;
  try {
    const url = new URL(value);
    return url.protocol === "https:" ? url.href : DEFAULT_EXIT_URL;
  } catch {
    return DEFAULT_EXIT_URL;
  }
}

export interface KvarterWidget {
  open(): void;
  close(): void;
  toggle(): void;
}

/**
 * Sets up launcher + iframe for the script tag; returns the host API (also window.KvarterWidget).
 * Both live in a shadow root under a `<kvarter-widget>` element: the host page's selectors do
 * not reach into it, and the element itself resets every inherited property.
 */
export function install(
  win: Window & { KvarterWidget?: KvarterWidget },
  leave: (url: string) => void = (url) => win.location.replace(url),
): KvarterWidget | null {
  if (win.KvarterWidget) return win.KvarterWidget;
  const doc = win.document;
  const script = findScript(doc);
  if (!script) return null;
  const config = readConfig(script, win.location.href);
  const { origin } = config;
  const text = config.lang === "en" ? enLoader : svLoader;
  const side = config.position;

  const host = doc.createElement("kvarter-widget");
  host.setAttribute("data-kvarter", "root");
  style(host, { all: "initial", display: "block", position: "static", width: "0", height: "0", overflow: "visible" });
  const root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;

  const frameId = "kvarter-widget-frame";
  const launcher = doc.createElement("button");
  launcher.type = "button";
  launcher.setAttribute("aria-expanded", "false");
  launcher.setAttribute("aria-controls", frameId);
  launcher.setAttribute("data-kvarter", "launcher");
  const label = doc.createElement("span");
  label.textContent = text["loader.launcher"];
  const badge = doc.createElement("span");
  badge.setAttribute("aria-hidden", "true");
  launcher.append(label, badge);
  style(launcher, {
    position: "fixed", [side]: "16px", bottom: "16px", "z-index": "2147483000",
    display: "inline-flex", "align-items": "center", gap: "8px", margin: "0",
    padding: "12px 18px", "min-height": "48px", "min-width": "48px", border: "2px solid #fff", "border-radius": "24px",
    background: POLICE_BLUE, color: "#fff", "font-family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "font-size": "16px", "font-weight": "600", "box-shadow": "0 4px 14px rgba(0,0,0,.3)", cursor: "pointer",
    visibility: "visible", opacity: "1", transform: "none",
  });
  // Text spacing stays adjustable by the reader's own style sheet (WCAG 1.4.12): not important.
  launcher.style.setProperty("line-height", "1.2");
  style(badge, {
    display: "none", "min-width": "20px", padding: "2px 6px", "border-radius": "10px",
    background: "#d4351c", color: "#fff", "font-size": "12px", "text-align": "center",
  });

  const params = new URLSearchParams({ room: config.room, lang: config.lang, embed: "1", host: win.location.origin });
  if (config.theme !== "light") params.set("theme", config.theme);
  if (config.noTrace) params.set("notrace", "1");
  const frame = doc.createElement("iframe");
  frame.id = frameId;
  frame.src = `${origin}/widget/?${params.toString()}`;
  frame.title = text["loader.frameTitle"];
  // Links it opens in a new tab (polisen.se, the widget in a tab of its own) open unsandboxed.
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
  frame.setAttribute("referrerpolicy", "origin");
  frame.setAttribute("data-kvarter", "frame");
  frame.hidden = true;
  const dark = config.theme === "dark" || (config.theme === "auto" && (win.matchMedia?.("(prefers-color-scheme: dark)").matches ?? false));
  style(frame, {
    position: "fixed", "z-index": "2147483001", border: "0", margin: "0", padding: "0",
    background: dark ? "#12161d" : "#fff", "color-scheme": "normal", display: "none",
    visibility: "visible", opacity: "1", transform: "none", "max-width": "none", "min-width": "0",
  });

  let open = false;
  let ready = false;

  const post = (type: EnvelopeType, payload: unknown) => {
    if (!ready || !frame.contentWindow) return;
    frame.contentWindow.postMessage(makeEnvelope(type, payload), origin);
  };

  /** Phone: the whole visible viewport (above the on-screen keyboard). Larger: a panel by the launcher. */
  const layout = () => {
    const small = win.matchMedia?.("(max-width: 480px)").matches ?? false;
    const vv = win.visualViewport;
    const other = side === "right" ? "left" : "right";
    style(frame, small
      ? {
          top: vv ? `${Math.round(vv.offsetTop)}px` : "0", left: "0", right: "0", bottom: "auto", width: "100%",
          height: vv ? `${Math.round(vv.height)}px` : "100%", "max-height": "none", "border-radius": "0", "box-shadow": "none",
        }
      : {
          top: "auto", [other]: "auto", [side]: "16px", bottom: "80px", width: "380px", height: "600px",
          "max-width": "calc(100vw - 32px)", "max-height": "calc(100vh - 96px)", "border-radius": "12px",
          "box-shadow": "0 8px 32px rgba(0,0,0,.3)",
        });
  };

  const setUnread = (count: number) => {
    badge.textContent = count > 0 ? String(count) : "";
    style(badge, { display: count > 0 ? "inline-block" : "none" });
    launcher.setAttribute("aria-label", count > 0 ? `${text["loader.launcher"]} (${text["loader.unread"].replace("{n}", String(count))})` : text["loader.launcher"]);
  };

  const setOpen = (next: boolean) => {
    if (next === open) return;
    open = next;
    layout();
    frame.hidden = !open;
    style(frame, { display: open ? "block" : "none" });
    launcher.setAttribute("aria-expanded", String(open));
    post("open", { open });
    if (open) frame.focus();
    else launcher.focus();
  };

  /** Quick exit: gone at once, and the host page's history entry replaced by a neutral site. */
  const exit = () => {
    host.remove();
    leave(config.exitUrl);
  };

  win.addEventListener("message", (event: MessageEvent) => {
    const envelope = readEnvelope(event, origin, frame.contentWindow);
    if (!envelope) return;
    if (envelope.type === "ready") {
      // Also after the widget reloads itself ("forget me"): tell it again whether it is shown.
      ready = true;
      post("open", { open });
    } else if (envelope.type === "close") {
      if ((envelope.payload as { reason?: unknown } | null)?.reason === "exit") exit();
      else setOpen(false);
    } else if (envelope.type === "unread") {
      const count = Number((envelope.payload as { count?: unknown } | null)?.count);
      setUnread(Number.isFinite(count) && count > 0 ? Math.floor(count) : 0);
    }
  });
  const relayout = () => open && layout();
  win.addEventListener("resize", relayout);
  win.visualViewport?.addEventListener("resize", relayout);
  win.visualViewport?.addEventListener("scroll", relayout);
  launcher.addEventListener("click", () => setOpen(!open));
  setUnread(0);

  root.append(frame, launcher);
  const mount = () => doc.body.append(host);
  if (doc.body) mount();
  else doc.addEventListener("DOMContentLoaded", mount, { once: true });

  const api: KvarterWidget = {
    open: () => setOpen(true),
    close: () => setOpen(false),
    toggle: () => setOpen(!open),
  };
  win.KvarterWidget = api;
  return api;
}
