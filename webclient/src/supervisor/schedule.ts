import type { NewWindow } from "../shared/http/api";
import type { ScheduleWindow, Weekday } from "../shared/protocol/types";

/** Kept here, not in shared/protocol: the supervisor page loads none of the realtime code. */
export const WEEKDAY_CODES: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface WeeklyForm {
  weekday: string;
  start: string;
  end: string;
  label: string;
}

export interface DatedForm {
  date: string;
  start: string;
  end: string;
  label: string;
}

/**
 * The body of POST …/windows for the weekly form ("fri 18:00-02:00"), or null when a field
 * is missing or malformed. Overlaps, zero length and the like are the server's to refuse.
 */
export function weeklyBody(form: WeeklyForm): NewWindow | null {
  if (!(WEEKDAY_CODES as readonly string[]).includes(form.weekday)) return null;
  if (!TIME.test(form.start) || !TIME.test(form.end)) return null;
  const label = form.label.trim();
  return { weekly: `${form.weekday} ${form.start}-${form.end}`, ...(label ? { label } : {}) };
}

export function datedBody(form: DatedForm): NewWindow | null {
  if (!DATE.test(form.date) || !TIME.test(form.start) || !TIME.test(form.end)) return null;
  const label = form.label.trim();
  return { date: form.date, start: form.start, end: form.end, ...(label ? { label } : {}) };
}

/** Weekly windows Monday first, then dated ones by date; each by start time. */
export function sortWindows(windows: ScheduleWindow[]): { weekly: ScheduleWindow[]; dated: ScheduleWindow[] } {
  const day = (w: ScheduleWindow) => WEEKDAY_CODES.indexOf(w.weekday ?? "mon");
  const weekly = windows.filter((w) => w.kind === "weekly").sort((a, b) => day(a) - day(b) || a.start.localeCompare(b.start));
  const dated = windows
    .filter((w) => w.kind === "dated")
    .sort((a, b) => (a.date ?? "").localeCompare(b.date ?? "") || a.start.localeCompare(b.start));
  return { weekly, dated };
}
