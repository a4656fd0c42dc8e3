const STOCKHOLM = "Europe/Stockholm";

/**
 * True when the viewer's clock shows another time than Stockholm's right now (a phone set to
 * another time zone): then the widget's times, which are Swedish time, say so.
 */
export function viewerClockDiffers(now: Date = new Date(), viewerZone?: string): boolean {
  let zone = viewerZone;
  try {
    zone ??= Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!zone || zone === STOCKHOLM) return false;
    const clock = (timeZone: string) =>
      new Intl.DateTimeFormat("en-GB", { timeZone, day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(now);
    return clock(zone) !== clock(STOCKHOLM);
  } catch {
    return false;
  }
}
