import type { AppKey } from "../shared/i18n/sv";
import {
  MAX_BODY_CHARS,
  MAX_LOCATION_CHARS,
  REPORT_CATEGORIES,
  type Availability,
  type Report,
  type ReportCategory,
} from "../shared/protocol/types";

/** What the report form holds while the young person fills it in (memory only, never stored). */
export interface ReportDraft {
  category: ReportCategory | "";
  /** null until the young person has answered. */
  happeningNow: boolean | null;
  location: string;
  body: string;
}

export type ReportField = "category" | "happening_now" | "location" | "body";

/** A text of the catalogs with its placeholders. */
export interface TextRef {
  key: AppKey;
  params?: Record<string, number>;
}

/** A field's problem. */
export type FieldError = TextRef;

export type ReportErrors = Partial<Record<ReportField, FieldError>>;

/** The order fields appear in the form: the first one with an error gets the focus. */
export const REPORT_FIELDS: readonly ReportField[] = ["category", "happening_now", "location", "body"];

export function emptyDraft(): ReportDraft {
  return { category: "", happeningNow: null, location: "", body: "" };
}

/** Characters as the server counts them (code points, not UTF-16 units). */
function length(text: string): number {
  return [...text].length;
}

/** Some letter, digit, punctuation or symbol: whitespace and invisible characters alone are empty. */
function hasVisibleText(text: string): boolean {
  return /[\p{L}\p{N}\p{P}\p{S}]/u.test(text);
}

/** Checks the form the way the server will; an empty object means it can be sent. */
export function validateReport(draft: ReportDraft): ReportErrors {
  const errors: ReportErrors = {};
  if (!(REPORT_CATEGORIES as readonly string[]).includes(draft.category)) {
    errors.category = { key: "report.error.category" };
  }
  if (draft.happeningNow === null) errors.happening_now = { key: "report.error.happeningNow" };
  if (length(draft.location.trim()) > MAX_LOCATION_CHARS) {
    errors.location = { key: "report.error.tooLong", params: { max: MAX_LOCATION_CHARS } };
  }
  const body = draft.body.trim();
  if (!hasVisibleText(body)) errors.body = { key: "report.error.bodyEmpty" };
  else if (length(body) > MAX_BODY_CHARS) errors.body = { key: "report.error.tooLong", params: { max: MAX_BODY_CHARS } };
  return errors;
}

export interface ReportInput {
  category: ReportCategory;
  happening_now: boolean;
  location?: string;
  body: string;
}

/** The `report:submit` fields of a valid draft (trimmed; no location when left empty). */
export function reportInput(draft: ReportDraft): ReportInput | null {
  if (Object.keys(validateReport(draft)).length > 0 || draft.category === "" || draft.happeningNow === null) return null;
  const location = draft.location.trim();
  return {
    category: draft.category,
    happening_now: draft.happeningNow,
    ...(location ? { location } : {}),
    body: draft.body.trim(),
  };
}

/** The status line of a sent report, as a catalog key: never promises a reader when nobody is on duty. */
export function reportStatus(
  report: Pick<Report, "status" | "position">,
  availability: Pick<Availability, "open"> | null,
): TextRef {
  if (report.status === "closed") return { key: "report.status.closed" };
  if (report.status === "claimed") return { key: "report.status.claimed" };
  if (availability && !availability.open) return { key: "report.status.noOfficer" };
  if (typeof report.position === "number" && report.position > 0) return { key: "report.status.position", params: { n: report.position } };
  return { key: "report.status.queued" };
}
