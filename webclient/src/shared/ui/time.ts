import type { Lang } from "../i18n";

const TIME_ZONE = "Europe/Stockholm";
const dayKey = new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" });
const formats = new Map<string, Intl.DateTimeFormat>();

function format(lang: Lang, withDate: boolean): Intl.DateTimeFormat {
  const key = `${lang}:${withDate}`;
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === "sv" ? "sv-SE" : "en-GB", {
      timeZone: TIME_ZONE,
      hour: "2-digit",
      minute: "2-digit",
      ...(withDate ? { day: "numeric", month: "short" } : {}),
    });
    formats.set(key, f);
  }
  return f;
}

/** "14:05" for today, "3 maj 14:05" for other days, in Swedish time. */
export function formatTime(iso: string | null | undefined, lang: Lang, now: Date = new Date()): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const today = dayKey.format(date) === dayKey.format(now);
  return format(lang, !today).format(date);
}
