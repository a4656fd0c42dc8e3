/**
 * Keeps the widget as high as the part of the screen the on-screen keyboard leaves free, so
 * the text box stays in sight while typing (iOS does not shrink the layout viewport for the
 * keyboard; Chrome on Android does, with `interactive-widget=resizes-content`). Not while
 * pinch-zoomed, where the visual viewport is smaller for another reason.
 */
export function fitToViewport(win: Window): void {
  const vv = win.visualViewport;
  if (!vv) return;
  const root = win.document.documentElement;
  const fit = () => {
    if (Math.abs(vv.scale - 1) > 0.01) return;
    root.style.setProperty("--viewport-height", `${Math.round(vv.height)}px`);
  };
  fit();
  vv.addEventListener("resize", fit);
  // A focused text box scrolled out of sight by the keyboard comes back into view.
  win.document.addEventListener("focusin", (e) => {
    const target = e.target;
    if (target instanceof HTMLTextAreaElement || target instanceof HTMLInputElement) {
      win.setTimeout(() => target.scrollIntoView({ block: "nearest" }), 300);
    }
  });
}
