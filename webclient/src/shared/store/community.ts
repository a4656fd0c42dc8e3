import type { Notice, QaJoinResult, QaQuestion, QaSession } from "../protocol/community";

/** Approved and answered questions as everyone sees them: pinned first, then most votes, then oldest. */
export function byRank(a: QaQuestion, b: QaQuestion): number {
  return Number(b.pinned) - Number(a.pinned) || b.votes - a.votes || a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id);
}

const byAge = (a: { created_at?: string; id: string }, b: { created_at?: string; id: string }) =>
  (a.created_at ?? "").localeCompare(b.created_at ?? "") || a.id.localeCompare(b.id);

/**
 * The questions of one open session, as one viewer knows them: the public list, the hosts'
 * review queue, and the young person's own questions (with status and a rejection's reason).
 * Every live event goes through put(), which files it by who it was shaped for.
 */
export class QuestionBoard {
  readonly shown = new Map<string, QaQuestion>();
  readonly pending = new Map<string, QaQuestion>();
  readonly mine = new Map<string, QaQuestion>();
  /** Live updates that arrived while a join was on its way: applied again over its answer. */
  private meanwhile: QaQuestion[] | null = null;

  /** Call before qa:join: what arrives live until reset() is kept, as the join may predate it. */
  begin(): void {
    this.meanwhile = [];
  }

  reset(join: QaJoinResult): void {
    const meanwhile = this.meanwhile ?? [];
    this.meanwhile = null;
    this.shown.clear();
    this.pending.clear();
    this.mine.clear();
    for (const q of [...(join.questions ?? []), ...(join.pending ?? []), ...(join.mine ?? []), ...meanwhile]) this.put(q);
  }

  put(q: QaQuestion): void {
    if (!q?.id) return;
    this.meanwhile?.push(q);
    if (q.mine) {
      this.mine.set(q.id, q);
      return;
    }
    if (q.status === "pending") {
      this.pending.set(q.id, q);
      return;
    }
    this.pending.delete(q.id);
    if (q.status === "approved" || q.status === "answered") {
      // Live updates are shaped for everyone (voted: false): keep this viewer's own vote. Votes
      // only grow and an answer stays: an update older than what is known changes neither.
      const known = this.shown.get(q.id);
      const answered = known?.status === "answered" && q.status !== "answered" ? { status: known.status, answer: known.answer } : {};
      this.shown.set(q.id, { ...q, ...answered, votes: Math.max(q.votes, known?.votes ?? 0), voted: q.voted || known?.voted || false });
    } else {
      this.shown.delete(q.id);
    }
  }

  /** Approved and answered questions in the order everyone sees them. */
  list(): QaQuestion[] {
    return [...this.shown.values()].sort(byRank);
  }

  /** The review queue, oldest first. */
  queue(): QaQuestion[] {
    return [...this.pending.values()].sort(byAge);
  }

  /** The young person's own questions, oldest first. */
  own(): QaQuestion[] {
    return [...this.mine.values()].sort(byAge);
  }
}

/** True while the session runs (by the clock, so an upcoming one turns live without an event). */
export function isLive(session: QaSession, now: number = Date.now()): boolean {
  return Date.parse(session.starts_at) <= now && now < Date.parse(session.ends_at);
}

/** Sessions not yet over, soonest first. */
export function comingSessions(sessions: Iterable<QaSession>, now: number = Date.now()): QaSession[] {
  return [...sessions]
    .filter((s) => s.status !== "ended" && s.status !== "cancelled" && Date.parse(s.ends_at) > now)
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at) || a.id.localeCompare(b.id));
}

/** Pinned notices first, then the rest; newest first within each. */
export function noticeOrder(notices: Iterable<Notice>): Notice[] {
  const at = (n: Notice) => n.published_at ?? n.created_at ?? "";
  return [...notices].sort((a, b) => Number(b.pinned) - Number(a.pinned) || at(b).localeCompare(at(a)) || a.id.localeCompare(b.id));
}
