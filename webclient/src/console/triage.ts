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
  const flood = (r: Report) => (r.group?.likely_flood ? 1 : 0);
  const waiting = all.filter((r) => r.status === "new").sort((a, b) => flood(a) - flood(b) || compareTriage(a, b));
  const mine = all.filter((r) => claimedBy(r, userId)).sort(compareTriage);
  return [...waiting, ...mine];
}

/** One line of the queue: a report, or a burst of them shown as one (its most urgent first). */
export interface QueueItem {
  lead: Report;
  /** The burst's other waiting reports (empty for a report alone). */
  rest: Report[];
  reason: string | null;
  likelyFlood: boolean;
}

/**
 * The queue as the officer sees it: the waiting reports of one burst (the same text from several
 * young people, or many from one source) folded into one item with a count; a likely flood after
 * every other report, so a real emergency from elsewhere stays on top.
 */
export function queueItems(queue: readonly Report[]): QueueItem[] {
  const items: QueueItem[] = [];
  const byKey = new Map<string, QueueItem>();
  for (const report of queue) {
    const key = report.status === "new" ? report.group?.key : undefined;
    const item = key ? byKey.get(key) : undefined;
    if (item) {
      item.rest.push(report);
      item.likelyFlood ||= report.group?.likely_flood === true;
      continue;
    }
    const made: QueueItem = { lead: report, rest: [], reason: key ? (report.group?.reason ?? null) : null, likelyFlood: report.group?.likely_flood === true };
    items.push(made);
    if (key) byKey.set(key, made);
  }
  return items;
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
