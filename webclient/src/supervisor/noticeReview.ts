import { EVENTS, type EventName } from "../shared/protocol/events";
import type { Notice } from "../shared/protocol/community";
import type { Ack, ApiError, AuditEntry } from "../shared/protocol/types";
import { Connection } from "../shared/socket/connection";
import { request } from "../shared/socket/request";
import { noticeOrder } from "../shared/store/community";
import { Observable } from "../shared/store/observable";

const WAITING = new Set(["pending", "followup_pending"]);

export interface NoticeHistory {
  steps: AuditEntry[];
  tip_count: number;
}

/** A decision this supervisor just made, said once at the top of the page. */
export interface Decision {
  notice: Notice;
  decision: "approve" | "reject";
}

/**
 * The supervisor's notice review over the /staff socket (the session cookie goes with it):
 * the region's queue of drafts and follow-ups, kept live by notice:pending; decisions; a
 * notice's history from the audit log; and every notice of one neighbourhood.
 */
export class ReviewDesk extends Observable {
  readonly connection: Connection;
  readonly queue = new Map<string, Notice>();
  readonly roomNotices = new Map<string, Notice>();
  readonly histories = new Map<string, NoticeHistory>();
  room = "";
  error: ApiError | null = null;
  decided: Decision[] = [];
  /** Notices that live events changed while the queue was being listed. */
  private touched = new Set<string>();

  constructor(origin: string) {
    super();
    this.connection = new Connection({ url: `${origin}/staff`, resync: () => this.resync() });
    this.connection.socket.on(EVENTS.NOTICE_PENDING, (p: { notice: Notice }) => {
      if (!p?.notice?.id) return;
      this.touched.add(p.notice.id);
      if (WAITING.has(p.notice.status)) this.queue.set(p.notice.id, p.notice);
      else this.queue.delete(p.notice.id);
      if (p.notice.room === this.room) this.roomNotices.set(p.notice.id, p.notice);
      this.notify();
    });
  }

  start(): void {
    this.connection.connect();
  }

  stop(): void {
    this.connection.disconnect();
  }

  /** Oldest first, as the server queues them. */
  waiting(): Notice[] {
    return [...this.queue.values()].sort((a, b) => (a.created_at ?? "").localeCompare(b.created_at ?? "") || a.id.localeCompare(b.id));
  }

  inRoom(): Notice[] {
    return noticeOrder(this.roomNotices.values());
  }

  approve(noticeId: string, comment: string): Promise<ApiError | null> {
    return this.decide(noticeId, "approve", comment);
  }

  /** Sends a draft (or a follow-up) back to its author; the comment says what to change. */
  reject(noticeId: string, comment: string): Promise<ApiError | null> {
    return this.decide(noticeId, "reject", comment);
  }

  async history(noticeId: string): Promise<ApiError | null> {
    const ack = await this.emit<{ notice: Notice; steps: AuditEntry[]; tip_count: number }>(EVENTS.NOTICE_HISTORY, { notice_id: noticeId });
    if (!ack.ok) return ack.error;
    this.histories.set(noticeId, { steps: ack.steps ?? [], tip_count: ack.tip_count ?? 0 });
    this.notify();
    return null;
  }

  setRoom(room: string): void {
    this.room = room;
    this.roomNotices.clear();
    this.notify();
    void this.loadRoom();
  }

  dismiss(noticeId: string): void {
    this.decided = this.decided.filter((d) => d.notice.id !== noticeId);
    this.notify();
  }

  private async decide(noticeId: string, decision: "approve" | "reject", comment: string): Promise<ApiError | null> {
    const text = comment.trim();
    const event = decision === "approve" ? EVENTS.NOTICE_APPROVE : EVENTS.NOTICE_REJECT;
    const ack = await this.emit<{ notice: Notice }>(event, text ? { notice_id: noticeId, comment: text } : { notice_id: noticeId });
    if (!ack.ok) {
      // Decided by someone else meanwhile (or gone): the queue was out of date.
      if (ack.error.code === "conflict" || ack.error.code === "not_found") await this.loadQueue();
      return ack.error;
    }
    this.queue.delete(noticeId);
    if (ack.notice.room === this.room) this.roomNotices.set(ack.notice.id, ack.notice);
    this.histories.delete(noticeId);
    this.decided = [{ notice: ack.notice, decision }, ...this.decided.filter((d) => d.notice.id !== noticeId)].slice(0, 5);
    this.notify();
    return null;
  }

  private async resync(): Promise<void> {
    await Promise.all([this.loadQueue(), this.loadRoom()]);
  }

  private async loadQueue(): Promise<void> {
    this.touched.clear();
    const ack = await this.emit<{ notices: Notice[] }>(EVENTS.NOTICE_QUEUE, {});
    this.error = ack.ok ? null : ack.error;
    if (ack.ok) {
      for (const id of [...this.queue.keys()]) if (!this.touched.has(id)) this.queue.delete(id);
      for (const n of ack.notices ?? []) if (!this.touched.has(n.id)) this.queue.set(n.id, n);
    }
    this.notify();
  }

  private async loadRoom(): Promise<void> {
    const room = this.room;
    if (!room || !this.connection.socket.connected) return;
    const ack = await this.emit<{ notices: Notice[] }>(EVENTS.NOTICE_LIST, { room });
    if (room !== this.room || !ack.ok) return;
    this.roomNotices.clear();
    for (const n of ack.notices ?? []) this.roomNotices.set(n.id, n);
    this.notify();
  }

  private emit<T extends object = object>(event: EventName, payload: Record<string, unknown>): Promise<Ack<T>> {
    return request<T>(this.connection.socket, event, payload);
  }
}
