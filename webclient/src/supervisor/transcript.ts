import { hasKey, type Translate } from "../shared/staff/i18n";
import type { AuditActor, Message, StaffNote, TranscriptEvent } from "../shared/protocol/types";

/*
 * Pure helpers of the transcript pages. Lists of codes are kept here, not imported from
 * shared/protocol: the supervisor page loads none of the realtime code.
 */

/** Why a supervisor reads a transcript; "other" takes a few words of one's own. */
export const READ_REASONS = ["quality_review", "complaint", "legal_request", "incident_followup", "other"] as const;
export type ReadReasonChoice = (typeof READ_REASONS)[number] | "";

/** The server's bounds for a reason in one's own words. */
export const MIN_FREE_REASON = 5;
export const MAX_REASON = 500;

export const CATEGORIES = ["party", "violence", "hurt", "online_crime", "unsafe", "other"] as const;
export const PRIORITY_LEVELS = ["P1", "P2", "P3", "P4"] as const;
export const HANDOFFS = ["112", "11414", "online_report", "bris", "mind"] as const;
export const OUTCOME_CODES = ["advice", "handoff_112", "handoff_11414", "referred_support", "no_action", "abusive"] as const;
/** Moderation flags to filter by; a prefix ("pii.") matches every flag under it. */
export const FLAG_FILTERS = [
  "pii.",
  "pii.personnummer",
  "pii.phone",
  "pii.email",
  "pii.address",
  "risk.",
  "risk.self_harm",
  "risk.violence",
  "risk.weapon",
  "abuse.",
  "spam.",
] as const;

export type ReasonCheck = { ok: true; reason: string } | { ok: false; problem: "choose" | "short" | "long" };

/**
 * The `reason` of a read from the form: a reason code, or for "other" the free text
 * (trimmed, at least MIN_FREE_REASON and at most MAX_REASON characters).
 */
export function readReason(choice: ReadReasonChoice | string, text: string): ReasonCheck {
  if (!choice) return { ok: false, problem: "choose" };
  if (choice !== "other") {
    return (READ_REASONS as readonly string[]).includes(choice) ? { ok: true, reason: choice } : { ok: false, problem: "choose" };
  }
  const free = text.trim().replace(/\s+/g, " ");
  if ([...free].length < MIN_FREE_REASON) return { ok: false, problem: "short" };
  if ([...free].length > MAX_REASON) return { ok: false, problem: "long" };
  return { ok: true, reason: free };
}

/** A reason in words: the label of a code, or the free text as written. */
export function reasonLabel(t: Translate, reason: string): string {
  const key = `readReason.${reason}`;
  return reason !== "other" && hasKey(key) ? t(key) : reason;
}

/** The transcript search form; every field may be empty ("any"). */
export interface SearchForm {
  room: string;
  officer: string;
  from: string;
  to: string;
  category: string;
  priority: string;
  handoff: string;
  flag: string;
  /** "", "true" or "false". */
  reviewed: string;
}

export const EMPTY_SEARCH: SearchForm = {
  room: "",
  officer: "",
  from: "",
  to: "",
  category: "",
  priority: "",
  handoff: "",
  flag: "",
  reviewed: "",
};

export type FiltersCheck = { ok: true; filters: Record<string, string> } | { ok: false; problem: "officer" | "dates" };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The query of GET /api/transcripts: only the fields with a value; `before` pages on. */
export function searchFilters(form: SearchForm, before?: string | null): FiltersCheck {
  const officer = form.officer.trim();
  if (officer && !/^\d+$/.test(officer)) return { ok: false, problem: "officer" };
  if ((form.from && !DATE.test(form.from)) || (form.to && !DATE.test(form.to))) return { ok: false, problem: "dates" };
  if (form.from && form.to && form.from > form.to) return { ok: false, problem: "dates" };
  const filters: Record<string, string> = {};
  const put = (name: string, value: string) => {
    if (value.trim()) filters[name] = value.trim();
  };
  put("room", form.room);
  put("officer", officer);
  put("from", form.from);
  put("to", form.to);
  put("category", form.category);
  put("priority", form.priority);
  put("handoff", form.handoff);
  put("flag", form.flag);
  put("reviewed", form.reviewed === "true" || form.reviewed === "false" ? form.reviewed : "");
  if (before) filters.before = before;
  return { ok: true, filters };
}

export type TimelineItem =
  | { kind: "message"; message: Message }
  | { kind: "event"; event: TranscriptEvent }
  | { kind: "note"; note: StaffNote };

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Messages in id (creation) order with the officer actions and the staff notes placed among
 * them by time: each goes before the first message written after it; at the same instant it
 * comes first (the chat is opened, then its first message is stored). Actions and notes keep
 * their own order by time, then as listed (actions before notes).
 */
export function buildTimeline(
  messages: readonly Message[],
  events: readonly TranscriptEvent[],
  notes: readonly StaffNote[] = [],
): TimelineItem[] {
  const ordered = [...messages].sort((a, b) => compareIds(a.id, b.id));
  const others: { item: TimelineItem; at: number; index: number }[] = [
    ...events.map((event, index) => ({ item: { kind: "event", event } as TimelineItem, at: time(event.at), index })),
    ...notes.map((note, index) => ({ item: { kind: "note", note } as TimelineItem, at: time(note.created_at), index: events.length + index })),
  ];
  const queue = others.sort((a, b) => a.at - b.at || a.index - b.index);
  const out: TimelineItem[] = [];
  let i = 0;
  for (const message of ordered) {
    const at = time(message.created_at);
    while (i < queue.length && queue[i]!.at <= at) out.push(queue[i++]!.item);
    out.push({ kind: "message", message });
  }
  while (i < queue.length) out.push(queue[i++]!.item);
  return out;
}

function detailString(detail: TranscriptEvent["detail"], name: string): string {
  const value = detail?.[name];
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}

/** A code in words when the catalogs know `${prefix}${code}`, else the code itself. */
export function codeText(t: Translate, prefix: string, code: string): string {
  const key = `${prefix}${code}`;
  return code && hasKey(key) ? t(key) : code;
}

/** A readable line for an officer action in a transcript ("Skickade kortet: 112-kort"). */
export function eventText(t: Translate, event: TranscriptEvent): string {
  const d = event.detail;
  const kind = codeText(t, "handoff.give.", detailString(d, "kind"));
  const reason = detailString(d, "reason");
  const params = {
    kind,
    outcome: codeText(t, "outcome.", detailString(d, "outcome")) || "–",
    priority: detailString(d, "priority") || "–",
    category: codeText(t, "category.", detailString(d, "category")) || "–",
    minutes: detailString(d, "minutes") || "–",
    seconds: detailString(d, "seconds") || "0",
    reason: reason ? reasonLabel(t, reason) : "–",
  };
  const key = `event.${event.action}`;
  return hasKey(key) ? t(key, params) : event.action;
}

/** Who did it: the officer by name when known, the young person, the system, or a staff id. */
export function actorText(t: Translate, actor: AuditActor, names: Record<string, string>, youthName?: string): string {
  if (actor.kind === "youth") return youthName ? t("transcript.actorYouthNamed", { name: youthName }) : t("transcript.actorYouth");
  if (actor.kind === "system" || actor.id === null) return t("transcript.actorSystem");
  const name = names[actor.id];
  return name ?? t("transcript.actorStaff", { id: actor.id });
}

/** The audit log's filters; every field may be empty. */
export interface AuditForm {
  action: string;
  actor: string;
  target: string;
  from: string;
  to: string;
}

export const EMPTY_AUDIT: AuditForm = { action: "", actor: "", target: "", from: "", to: "" };

/** The query of GET /api/audit (and of the CSV export): only the fields with a value. */
export function auditFilters(form: AuditForm): { ok: true; filters: Record<string, string> } | { ok: false; problem: "dates" } {
  if ((form.from && !DATE.test(form.from)) || (form.to && !DATE.test(form.to))) return { ok: false, problem: "dates" };
  if (form.from && form.to && form.from > form.to) return { ok: false, problem: "dates" };
  const filters: Record<string, string> = {};
  for (const name of ["action", "actor", "target", "from", "to"] as const) {
    const value = form[name].trim();
    if (value) filters[name] = value;
  }
  return { ok: true, filters };
}

/** An audit entry's detail as plain "key: value" text (values that are objects as JSON). */
export function detailText(detail: Record<string, unknown> | null | undefined): string {
  if (!detail || typeof detail !== "object") return "";
  return Object.entries(detail)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([key, value]) => `${key}: ${typeof value === "object" ? JSON.stringify(value) : String(value)}`)
    .join(" · ");
}
