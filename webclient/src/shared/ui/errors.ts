import type { MessageKey, Translate } from "../i18n";
import type { ApiError } from "../protocol/types";

const KNOWN = new Set([
  "invalid", "too_long", "unauthorized", "forbidden", "not_found", "rate_limited", "blocked",
  "closed", "conflict", "unavailable", "internal", "timeout", "disconnected", "network",
  "nickname_blocked", "nickname_invalid", "report_conflict",
]);

/** A user-facing text for an error: the catalog's text for its code, plus the server's detail when useful. */
export function errorText(t: Translate, error: ApiError | null | undefined): string {
  if (!error) return t("error.internal");
  if (KNOWN.has(error.code)) return t(`error.${error.code}` as MessageKey);
  return error.message || t("error.internal");
}

/** Refusals whose reason only the server can tell (a bad time, an overlapping window…). */
const DETAILED = new Set(["invalid", "conflict"]);

/**
 * Like errorText, but for invalid input and conflicts the server's own explanation (e.g.
 * "overlaps the weekly window fri 18:00-02:00"), which says what to change.
 */
export function detailedErrorText(t: Translate, error: ApiError | null | undefined): string {
  if (error && DETAILED.has(error.code) && error.message.trim()) return t("error.detail", { message: error.message.trim() });
  return errorText(t, error);
}
