/** The loader's logic, separate from the entry so tests can run it against a fake page. */
import { enLoader } from "../shared/i18n/en";
import { svLoader } from "../shared/i18n/sv";
import { makeEnvelope, readEnvelope, type EnvelopeType } from "../shared/protocol/envelope";

type Styles = Partial<Record<string, string>>;

function style(el: HTMLElement, styles: Styles): void {
  for (const [key, value] of Object.entries(styles)) el.style.setProperty(key, value ?? "");
}

function findScript(doc: Document): HTMLScriptElement | null {
  const current = doc.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current;
  return doc.querySelector<HTMLScriptElement>('script[src*="widget.js"]');
}

export interface KvarterWidget {
  open(): void;
  close(): void;
  toggle(): void;
}

/** Sets up launcher + iframe for the script tag; returns the host API (also window.KvarterWidget). */
export function install(win: Window & { KvarterWidget?: KvarterWidget }): KvarterWidget | null {
  if (win.KvarterWidget) return win.KvarterWidget;
  const doc = win.document;
  const script = findScript(doc);
  if (!script) return null;
  const origin = new URL(script.src, win.location.href).origin;
  const room = (script.dataset.room ?? "").trim();
  const lang = script.dataset.lang === "en" ? "en" : "sv";
  const text = lang === "en" ? enLoader : svLoader;

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
    position: "fixed", right: "16px", bottom: "16px", "z-index": "2147483000",
    display: "inline-flex", "align-items": "center", gap: "8px", margin: "0",
    padding: "12px 18px", "min-height": "48px", border: "2px solid #fff", "border-radius": "24px",
    background: "#1f3b73", color: "#fff", font: "600 16px/1.2 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    "box-shadow": "0 4px 14px rgba(0,0,0,.3)", cursor: "pointer",
  });
  style(badge, {
    display: "none", "min-width": "20px", padding: "2px 6px", "border-radius": "10px",
    background: "#d4351c", color: "#fff", "font-size": "12px", "text-align": "center",
  });

  const params = new URLSearchParams({ room, lang, embed: "1", host: win.location.origin });
  const frame = doc.createElement("iframe");
  frame.id = frameId;
  frame.src = `${origin}/widget/?${params.toString()}`;
  frame.title = text["loader.frameTitle"];
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups");
  frame.setAttribute("data-kvarter", "frame");
  frame.hidden = true;
  style(frame, {
    position: "fixed", "z-index": "2147483001", border: "0", background: "#fff",
    "color-scheme": "normal", display: "none",
  });

  let open = false;
  let ready = false;
  const queue: Array<[EnvelopeType, unknown]> = [];

  const post = (type: EnvelopeType, payload: unknown) => {
    if (!ready || !frame.contentWindow) {
      queue.push([type, payload]);
      return;
    }
    frame.contentWindow.postMessage(makeEnvelope(type, payload), origin);
  };

  const layout = () => {
    const small = win.matchMedia?.("(max-width: 480px)").matches ?? false;
    style(frame, small
      ? { top: "0", left: "0", right: "0", bottom: "0", width: "100%", height: "100%", "max-height": "none", "border-radius": "0", "box-shadow": "none" }
      : { top: "auto", left: "auto", right: "16px", bottom: "80px", width: "380px", height: "600px", "max-width": "calc(100vw - 32px)", "max-height": "calc(100vh - 96px)", "border-radius": "12px", "box-shadow": "0 8px 32px rgba(0,0,0,.3)" });
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

  win.addEventListener("message", (event: MessageEvent) => {
    const envelope = readEnvelope(event, origin, frame.contentWindow);
    if (!envelope) return;
    if (envelope.type === "ready") {
      ready = true;
      for (const [type, payload] of queue.splice(0)) post(type, payload);
    } else if (envelope.type === "close") {
      setOpen(false);
    } else if (envelope.type === "unread") {
      const count = Number((envelope.payload as { count?: unknown } | null)?.count);
      setUnread(Number.isFinite(count) && count > 0 ? Math.floor(count) : 0);
    }
  });
  win.addEventListener("resize", () => open && layout());
  launcher.addEventListener("click", () => setOpen(!open));
  setUnread(0);

  const mount = () => doc.body.append(frame, launcher);
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

