import { EVENTS, type EventName } from "../shared/protocol/events";
import type { Notice, Tip, Verdict } from "../shared/protocol/community";
import type { Ack, ApiError } from "../shared/protocol/types";
import { request } from "../shared/socket/request";
import { noticeOrder } from "../shared/store/community";
import { Observable } from "../shared/store/observable";
import type { StaffClient } from "./controller";

/** A decision on one of my notices, told once (published, sent back with a comment, closed…). */
export interface NoticeNews {
  notice: Notice;
  /** Its status before the decision (a published notice was a draft, or had a follow-up pending). */
  before: string | null;
}

/**
 * The officer's notices: drafts with the secrecy check's verdict, the chosen room's notices,
 * the tips that reach me as the officer in charge (live), follow-ups, and the reviewers' decisions.
 */
export class NoticeDesk extends Observable {
  readonly notices = new Map<string, Notice>();
  /** The secrecy verdicts from the acks (only they carry spans), by notice id. */
  readonly verdicts = new Map<string, Verdict>();
  readonly followupVerdicts = new Map<string, Verdict>();
  readonly tips = new Map<string, Tip[]>();
  /** Tips that arrived live and were not looked at yet, by notice id. */
  readonly unseen = new Map<string, number>();
  news: NoticeNews[] = [];
  room = "";
  error: ApiError | null = null;
  private online = false;
  /** Notices that live events changed while a listing was on its way. */
  private touched = new Set<string>();

  constructor(private readonly client: StaffClient) {
    super();
    const socket = client.connection.socket;
    socket.on(EVENTS.NOTICE_UPDATED, (p: { notice: Notice }) => {
      if (!p?.notice?.id) return;
      const before = this.notices.get(p.notice.id)?.status ?? null;
      this.touched.add(p.notice.id);
      this.notices.set(p.notice.id, p.notice);
      this.news = [{ notice: p.notice, before }, ...this.news.filter((n) => n.notice.id !== p.notice.id)].slice(0, 5);
      this.notify();
    });
    socket.on(EVENTS.NOTICE_TIP, (p: { notice_id: string; tip: Tip }) => {
      if (!p?.tip?.id) return;
      const list = this.tips.get(p.notice_id) ?? [];
      if (list.some((t) => t.id === p.tip.id)) return;
      this.tips.set(p.notice_id, [...list, p.tip]);
      this.unseen.set(p.notice_id, (this.unseen.get(p.notice_id) ?? 0) + 1);
      this.notify();
    });
    // Public shapes leave out what staff see: list the room again instead of merging them.
    const reload = (p: { notice: Notice }) => {
      if (p?.notice?.room === this.room) void this.load();
    };
    socket.on(EVENTS.NOTICE_PUBLISHED, reload);
    socket.on(EVENTS.NOTICE_CLOSED, reload);
    client.connection.subscribe(() => {
      const online = client.connection.state === "online";
      if (online && !this.online) void this.load();
      this.online = online;
    });
  }

  isMine(notice: Notice): boolean {
    return notice.author_id === String(this.client.user.id);
  }

  /** The chosen room's notices, pinned first; mine from other rooms stay listed too. */
  list(): Notice[] {
    return noticeOrder([...this.notices.values()].filter((n) => n.room === this.room || this.isMine(n)));
  }

  unseenTotal(): number {
    let n = 0;
    for (const count of this.unseen.values()) n += count;
    return n;
  }

  setRoom(room: string): void {
    if (room === this.room) return;
    this.room = room;
    void this.load();
  }

  async draft(room: string, body: string, expiresAt: string | null): Promise<ApiError | Notice> {
    const ack = await this.emit<{ notice: Notice; secrecy: Verdict }>(
      EVENTS.NOTICE_DRAFT,
      expiresAt ? { room, body, expires_at: expiresAt } : { room, body },
    );
    if (!ack.ok) return ack.error;
    this.notices.set(ack.notice.id, ack.notice);
    if (ack.secrecy) this.verdicts.set(ack.notice.id, ack.secrecy);
    this.notify();
    return ack.notice;
  }

  async followup(noticeId: string, body: string): Promise<ApiError | null> {
    const ack = await this.emit<{ notice: Notice; secrecy: Verdict }>(EVENTS.NOTICE_FOLLOWUP, { notice_id: noticeId, body });
    if (!ack.ok) return ack.error;
    this.notices.set(ack.notice.id, ack.notice);
    if (ack.secrecy) this.followupVerdicts.set(ack.notice.id, ack.secrecy);
    this.notify();
    return null;
  }

  /** Loads the tips of one of my notices and counts them as seen. */
  async loadTips(noticeId: string): Promise<ApiError | null> {
    const ack = await this.emit<{ notice: Notice; tips: Tip[] }>(EVENTS.NOTICE_TIPS, { notice_id: noticeId });
    if (!ack.ok) return ack.error;
    this.tips.set(noticeId, ack.tips ?? []);
    this.notices.set(ack.notice.id, ack.notice);
    this.seen(noticeId);
    return null;
  }

  seen(noticeId: string): void {
    this.unseen.delete(noticeId);
    this.notify();
  }

  dismissNews(noticeId: string): void {
    this.news = this.news.filter((n) => n.notice.id !== noticeId);
    this.notify();
  }

  private async load(): Promise<void> {
    const room = this.room;
    if (!room || !this.client.connection.online) return;
    this.touched.clear();
    const ack = await this.emit<{ notices: Notice[] }>(EVENTS.NOTICE_LIST, { room });
    if (room !== this.room) return;
    this.error = ack.ok ? null : ack.error;
    if (ack.ok) {
      for (const [id, n] of this.notices) if (n.room === room && !this.touched.has(id)) this.notices.delete(id);
      for (const n of ack.notices ?? []) if (!this.touched.has(n.id)) this.notices.set(n.id, n);
    }
    this.notify();
  }

  private emit<T extends object = object>(event: EventName, payload: Record<string, unknown>): Promise<Ack<T>> {
    return request<T>(this.client.connection.socket, event, payload);
  }
}
