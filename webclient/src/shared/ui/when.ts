import { translate, type Lang } from "../i18n";

/**
 * Times of availability windows and shifts, always in Swedish local time (Europe/Stockholm,
 * DST included) whatever the viewer's own time zone, worded in the viewer's language:
 * "i dag 18:00", "i morgon 18:00", "fredag 18:00", "torsdag 30 april 18:00".
 */
export const TIME_ZONE = "Europe/Stockholm";

const DAY_MS = 86_400_000;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const numeric = new Intl.DateTimeFormat("en-US", {
  timeZone: TIME_ZONE,
  hourCycle: "h23",
  year: "numeric",
  month: "numeric",
  day: "numeric",
  hour: "numeric",
  minute: "numeric",
  second: "numeric",
});

const named = new Map<string, Intl.DateTimeFormat>();

function namedFormat(lang: Lang, timeZone: string): Intl.DateTimeFormat {
  const key = `${lang}:${timeZone}`;
  let f = named.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", {
      timeZone,
      hourCycle: "h23",
      weekday: "long",
      day: "numeric",
      month: "long",
      year: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    named.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date): Date {
  return value instanceof Date ? value : new Date(value);
}

/** Wall-clock fields in Stockholm of an instant. */
export function stockholmParts(at: number | Date): Parts {
  const out: Record<string, number> = {};
  for (const part of numeric.formatToParts(toDate(at))) {
    if (part.type !== "literal") out[part.type] = Number(part.value);
  }
  return {
    year: out.year ?? 0,
    month: out.month ?? 0,
    day: out.day ?? 0,
    // Some engines print midnight as 24 even with h23.
    hour: (out.hour ?? 0) % 24,
    minute: out.minute ?? 0,
  };
}

/** Minutes Stockholm is ahead of UTC at an instant (60 in winter, 120 in summer). */
function offsetMinutes(ms: number): number {
  const p = stockholmParts(ms);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((wall - Math.floor(ms / 60_000) * 60_000) / 60_000);
}

/** A day number (days since 1970-01-01) of a calendar date, for counting days between dates. */
function dayIndex(p: Pick<Parts, "year" | "month" | "day">): number {
  return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / DAY_MS);
}

/**
 * The UTC instant of a Stockholm wall-clock time. When the clocks go back and the time occurs
 * twice, the first one; when they go forward and it does not exist, the time an hour later
 * (02:30 on the last Sunday of March is 03:30 summer time).
 */
export function stockholmToUtc(year: number, month: number, day: number, hour: number, minute: number): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const before = offsetMinutes(wall - DAY_MS);
  const after = offsetMinutes(wall + DAY_MS);
  const matches = [...new Set([before, after])]
    .map((offset) => wall - offset * 60_000)
    .filter((ms) => {
      const p = stockholmParts(ms);
      return p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute;
    });
  return matches.length > 0 ? Math.min(...matches) : wall - before * 60_000;
}

/** "HH:MM" (or "H:MM") → minutes after midnight, or null. */
export function parseHhmm(value: string): number | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/**
 * The end of a shift typed as "HH:MM" in Swedish time: today if that time is still ahead,
 * otherwise tomorrow. ISO UTC without milliseconds, or null for a malformed time.
 */
export function untilToIso(value: string, now: number | Date = Date.now()): string | null {
  const minutes = parseHhmm(value);
  if (minutes === null) return null;
  const nowMs = toDate(now).getTime();
  const today = stockholmParts(nowMs);
  const hour = Math.floor(minutes / 60);
  const minute = minutes % 60;
  let at = stockholmToUtc(today.year, today.month, today.day, hour, minute);
  if (at <= nowMs) {
    const next = new Date(Date.UTC(today.year, today.month - 1, today.day + 1));
    at = stockholmToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), hour, minute);
  }
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, "Z");
}

interface Named {
  weekday: string;
  day: string;
  month: string;
  year: string;
  time: string;
}

function namedParts(date: Date, lang: Lang, timeZone = TIME_ZONE): Named {
  const out: Record<string, string> = {};
  for (const part of namedFormat(lang, timeZone).formatToParts(date)) out[part.type] = part.value;
  const hour = String(Number(out.hour ?? "0") % 24).padStart(2, "0");
  return {
    weekday: out.weekday ?? "",
    day: out.day ?? "",
    month: out.month ?? "",
    year: out.year ?? "",
    time: `${hour}:${out.minute ?? "00"}`,
  };
}

/** "18:00" in Stockholm. */
export function formatClock(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : namedParts(date, lang).time;
}

/**
 * When a window starts, relative to now in Stockholm: "i dag 18:00", "i morgon 18:00",
 * "fredag 18:00" within six days, "torsdag 30 april 18:00" further away (or in the past).
 */
export function formatWhen(iso: string | null | undefined, lang: Lang, now: number | Date = Date.now()): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const parts = namedParts(date, lang);
  const days = dayIndex(stockholmParts(date)) - dayIndex(stockholmParts(toDate(now)));
  if (days === 0) return translate(lang, "when.today", { time: parts.time });
  if (days === 1) return translate(lang, "when.tomorrow", { time: parts.time });
  if (days > 1 && days <= 6) return translate(lang, "when.weekday", { weekday: parts.weekday, time: parts.time });
  return translate(lang, "when.date", { weekday: parts.weekday, day: parts.day, month: parts.month, time: parts.time });
}

/**
 * Until when something lasts: the bare time ("02:00") when that is within 24 hours, since it
 * can then only mean the next 02:00; otherwise as formatWhen ("fredag 18:00").
 */
export function formatUntil(iso: string | null | undefined, lang: Lang, now: number | Date = Date.now()): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const ahead = date.getTime() - toDate(now).getTime();
  return ahead >= 0 && ahead < DAY_MS ? formatClock(iso, lang) : formatWhen(iso, lang, now);
}

/**
 * An opening of the schedule with its date: "fredag 1 maj 18:00–02:00", or with both dates when
 * it lasts a day or more ("måndag 27 april 00:00 – måndag 11 maj 00:00").
 */
export function formatSpan(start: string, end: string, lang: Lang): string {
  const from = new Date(start);
  const to = new Date(end);
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return "";
  const a = namedParts(from, lang);
  const b = namedParts(to, lang);
  const first = translate(lang, "when.date", { weekday: a.weekday, day: a.day, month: a.month, time: a.time });
  if (to.getTime() - from.getTime() < DAY_MS) return `${first}–${b.time}`;
  return `${first} – ${translate(lang, "when.date", { weekday: b.weekday, day: b.day, month: b.month, time: b.time })}`;
}

/** A calendar date "YYYY-MM-DD" as "torsdag 30 april 2026". */
export function formatDate(value: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return value;
  const p = namedParts(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 12)), lang, "UTC");
  return translate(lang, "when.fullDate", { weekday: p.weekday, day: p.day, month: p.month, year: p.year });
}

/** The name of a weekday code ("fri" → "fredag" / "Friday"). */
export function weekdayName(code: string, lang: Lang): string {
  const index = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].indexOf(code);
  if (index < 0) return code;
  // 2024-01-01 was a Monday.
  return namedParts(new Date(Date.UTC(2024, 0, 1 + index, 12)), lang, "UTC").weekday;
}

/** Today's date in Stockholm as "YYYY-MM-DD" (the earliest date the schedule forms accept). */
export function stockholmToday(now: number | Date = Date.now()): string {
  const p = stockholmParts(toDate(now));
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

const stamps = new Map<string, Intl.DateTimeFormat>();

/** A full date and time in Stockholm for records and logs: "2026-05-03 14:05" / "3 May 2026, 14:05". */
export function formatStamp(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  let f = stamps.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", {
      timeZone: TIME_ZONE,
      hourCycle: "h23",
      year: "numeric",
      month: lang === "sv" ? "2-digit" : "short",
      day: lang === "sv" ? "2-digit" : "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    stamps.set(lang, f);
  }
  return f.format(date);
}
