import type { Entry } from "../store/messages";

/** Something shown in a message log besides messages (e.g. a handoff card), placed by time. */
export interface LogInsert {
  key: string;
  /** ISO time; the insert goes before the first stored message created after it. */
  at: string;
}

export type LogItem<I extends LogInsert> = { kind: "entry"; entry: Entry } | { kind: "insert"; insert: I };

function time(iso: string): number {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/**
 * Merges inserts into the stored messages by time (messages keep their id order), after
 * every stored message and before the ones still being sent.
 */
export function interleave<I extends LogInsert>(entries: readonly Entry[], inserts: readonly I[]): LogItem<I>[] {
  const queue = [...inserts].sort((a, b) => time(a.at) - time(b.at) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const out: LogItem<I>[] = [];
  let i = 0;
  for (const entry of entries) {
    if (entry.status === "sent") {
      const at = time(entry.message.created_at);
      while (i < queue.length && time(queue[i]!.at) < at) out.push({ kind: "insert", insert: queue[i++]! });
    } else {
      while (i < queue.length) out.push({ kind: "insert", insert: queue[i++]! });
    }
    out.push({ kind: "entry", entry });
  }
  while (i < queue.length) out.push({ kind: "insert", insert: queue[i++]! });
  return out;
}
