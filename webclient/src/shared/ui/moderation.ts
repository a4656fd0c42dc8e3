import { translate, type Lang, type Translate } from "../i18n";
import type { ApiError } from "../protocol/types";
import { errorText } from "./errors";
import { formatUntil } from "./when";

/*
 * Moderation as the young person meets it: a pause on posting in rooms ("muted until"), slow
 * mode, and the refusals of room:send that explain them. The server's messages are English
 * and carry the figures; these helpers read the figures and say it in the widget's language.
 */

const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z/;

/** The end of a pause from a `blocked` refusal ("… paused your posting in the rooms until ISO"). */
export function mutedUntilFromError(error: ApiError | null | undefined): string | null {
  if (!error || error.code !== "blocked" || !/until/i.test(error.message)) return null;
  const match = ISO.exec(error.message);
  return match && !Number.isNaN(Date.parse(match[0])) ? match[0] : null;
}

/** Seconds to wait from a `rate_limited` refusal ("… try again in 12 s"). */
export function retryAfterSeconds(error: ApiError | null | undefined): number | null {
  if (!error || error.code !== "rate_limited") return null;
  const match = /try again in (\d+)\s*s/i.exec(error.message);
  return match ? Number(match[1]) : null;
}

/** The room's slow mode from a `rate_limited` refusal ("slow mode: one message per 30 s …"). */
export function slowModeFromError(error: ApiError | null | undefined): number | null {
  if (!error || error.code !== "rate_limited") return null;
  const match = /one message per (\d+)\s*s/i.exec(error.message);
  return match ? Number(match[1]) : null;
}

/** True while a pause that ends at `until` (ISO) lasts. */
export function isMuted(until: string | null | undefined, now: number = Date.now()): boolean {
  if (!until) return false;
  const end = Date.parse(until);
  return !Number.isNaN(end) && end > now;
}

/**
 * "Du kan inte skriva i rummet förrän 21:40": the time in Stockholm (bare within a day,
 * else with its day: "förrän fredag 21:40"), whatever the viewer's own time zone.
 */
export function muteNotice(until: string, lang: Lang, now: number | Date = Date.now()): string {
  return translate(lang, "moderation.mutedUntil", { time: formatUntil(until, lang, now) });
}

/** "Långsamt läge: ett meddelande per 30 s". */
export function slowModeNotice(seconds: number, lang: Lang): string {
  return translate(lang, "moderation.slowMode", { seconds });
}

/**
 * Why a message could not be sent, in the reader's language: a pause says until when, slow
 * mode and flood control say how long to wait; anything else as errorText.
 */
export function sendErrorText(t: Translate, lang: Lang, error: ApiError | null | undefined, now: number = Date.now()): string {
  const until = mutedUntilFromError(error);
  if (until) return muteNotice(until, lang, now);
  const wait = retryAfterSeconds(error);
  const slow = slowModeFromError(error);
  if (slow !== null) {
    const notice = slowModeNotice(slow, lang);
    return wait !== null ? `${notice}. ${t("moderation.retryIn", { n: wait })}` : notice;
  }
  if (wait !== null) return `${t("error.rate_limited")} ${t("moderation.retryIn", { n: wait })}`;
  if (error?.code === "conflict" && error.details?.nickname === "taken") return t("nick.taken");
  return errorText(t, error);
}
