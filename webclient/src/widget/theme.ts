import type { Theme } from "./settings";

/**
 * Sets `data-theme="light|dark"` on the document; `auto` follows the device's setting, also
 * when it changes while the widget is open.
 */
export function applyTheme(theme: Theme, doc: Document = document, win: Window = window): void {
  const root = doc.documentElement;
  if (theme !== "auto") {
    root.dataset.theme = theme;
    return;
  }
  const query = win.matchMedia?.("(prefers-color-scheme: dark)");
  const set = () => {
    root.dataset.theme = query?.matches ? "dark" : "light";
  };
  set();
  query?.addEventListener?.("change", set);
}
