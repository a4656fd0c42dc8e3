import { translate, type Lang } from "../shared/i18n";
import type { AppKey } from "../shared/i18n/sv";
import type { Availability, WindowSpan } from "../shared/protocol/types";
import { formatUntil, formatWhen } from "../shared/ui/when";

/**
 * What the widget says about staffing:
 * - `open`: a window is open and officers are on duty ("Poliser online: 2 · till 02:00");
 * - `waiting`: a window is open but nobody is on duty yet;
 * - `closed`: outside the windows — when next, and the 112 / 114 14 guidance.
 */
export type StatusKind = "unknown" | "open" | "waiting" | "closed";

/** "till …" is shown for window ends up to six days ahead. */
const UNTIL_HORIZON_MS = 6 * 86_400_000;

export interface StatusView {
  kind: StatusKind;
  officers: number;
  /** "02:00" (open only; empty when the window's end is unknown). */
  until: string;
  /** "fredag 18:00", with the label when the window has one: "torsdag 30 april 18:00 (Valborg)". */
  next: string;
}

/** A window's start as the widget words it, its label (Valborg…) added when it has one. */
export function windowText(window: WindowSpan | null | undefined, lang: Lang, now: number | Date): string {
  if (!window?.start) return "";
  const when = formatWhen(window.start, lang, now);
  if (!when) return "";
  const label = window.label?.trim();
  return label ? translate(lang, "when.withLabel", { when, label }) : when;
}

export function describeAvailability(availability: Availability | null, lang: Lang, now: number | Date = Date.now()): StatusView {
  if (!availability) return { kind: "unknown", officers: 0, until: "", next: "" };
  const officers = availability.officers_on_duty;
  const next = windowText(availability.next_window, lang, now);
  if (availability.open) {
    const end = availability.current_window?.end;
    const ahead = end ? Date.parse(end) - new Date(now).getTime() : NaN;
    // A schedule around the clock merges into one long window: its far end says nothing useful.
    const until = ahead >= 0 && ahead <= UNTIL_HORIZON_MS ? formatUntil(end, lang, now) : "";
    return { kind: "open", officers, until, next };
  }
  return { kind: availability.in_window ? "waiting" : "closed", officers, until: "", next };
}

/** The private-chat text when nobody is online: when the question will be answered. */
export function questionText(view: StatusView): { key: AppKey; params?: Record<string, string> } {
  if (view.kind === "waiting") return { key: "chat.leaveBodySoon" };
  if (view.next) return { key: "chat.leaveBody", params: { when: view.next } };
  return { key: "chat.leaveBodyNoTime" };
}
