import type { Report } from "../shared/protocol/types";

// Shared with the supervisor pages (which load nothing of the console).
export { categoryText, reasonText } from "../shared/ui/reasons";

const RANK: Record<string, number> = { P1: 1, P2: 2, P3: 3, P4: 4 };

/** 1 (P1, most urgent) to 4; anything unknown sorts after P4. */
export function priorityRank(priority: string): number {
  return RANK[priority] ?? 5;
}

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Highest priority first, then the one that has waited longest, then by id (stable). */
export function compareTriage(a: Pick<Report, "id" | "priority" | "created_at">, b: Pick<Report, "id" | "priority" | "created_at">): number {
  return (
    priorityRank(a.priority) - priorityRank(b.priority) ||
    time(a.created_at) - time(b.created_at) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** True when `userId` holds the (claimed) report. */
export function claimedBy(report: Report, userId: string): boolean {
  return report.status === "claimed" && report.claimed_by != null && String(report.claimed_by.id) === String(userId);
}

/** The queue panel: unclaimed reports in triage order, then the ones this officer has claimed. */
export function triageQueue(reports: Iterable<Report>, userId: string): Report[] {
  const all = [...reports];
  const waiting = all.filter((r) => r.status === "new").sort(compareTriage);
  const mine = all.filter((r) => claimedBy(r, userId)).sort(compareTriage);
  return [...waiting, ...mine];
}

export { formatWaiting } from "../shared/staff/waiting";

/** How long the report has waited at `now` (ms since epoch). */
export function waitedMs(report: Pick<Report, "created_at">, now: number): number {
  return now - time(report.created_at);
}

/** "p1".."p4" for the badge's class; the badge also shows the text, not colour alone. */
export function priorityClass(priority: string): string {
  const rank = priorityRank(priority);
  return rank <= 4 ? `p${rank}` : "unknown";
}

/** The start of a report's text for the queue, whitespace collapsed, at most `max` characters. */
export function excerpt(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}
