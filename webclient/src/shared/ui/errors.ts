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
