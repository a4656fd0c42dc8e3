import { EVENTS, type EventName } from "../shared/protocol/events";
import type { QaJoinResult, QaQuestion, QaSession } from "../shared/protocol/community";
import type { Ack, ApiError } from "../shared/protocol/types";
import { request } from "../shared/socket/request";
import { comingSessions, QuestionBoard } from "../shared/store/community";
import { Observable } from "../shared/store/observable";
import type { StaffClient } from "./controller";

export interface ScheduleInput {
  room: string;
  title: string;
  description: string;
  starts_at: string;
  ends_at: string;
  hosts: string[];
}

/**
 * The officer's Q&A sessions: the sessions of the neighbourhoods being watched, and the one
 * open in the panel with its review queue (hosts) and its public questions, all kept live.
 */
export class QaDesk extends Observable {
  readonly sessions = new Map<string, QaSession>();
  readonly board = new QuestionBoard();
  open: QaSession | null = null;
  host = false;
  error: ApiError | null = null;
  private rooms: string[] = [];
  private online = false;

  constructor(private readonly client: StaffClient) {
    super();
    const socket = client.connection.socket;
    const question = (p: { question: QaQuestion }) => {
      if (p?.question?.session_id !== this.open?.id) return;
      this.board.put(p.question);
      this.notify();
    };
    socket.on(EVENTS.QA_PENDING, question);
    socket.on(EVENTS.QA_QUESTION, question);
    socket.on(EVENTS.QA_ANSWERED, question);
    socket.on(EVENTS.QA_SESSION, (p: { session: QaSession }) => {
      if (p?.session?.id) this.putSession(p.session);
    });
    client.connection.subscribe(() => {
      const online = client.connection.state === "online";
      if (online && !this.online) void this.reload();
      this.online = online;
    });
  }

  /** The neighbourhoods whose sessions are listed (those I patrol, and the one chosen in the form). */
  watch(rooms: string[]): void {
    const next = [...new Set(rooms)].sort();
    if (next.join(",") === this.rooms.join(",")) return;
    this.rooms = next;
    void this.load();
  }

  list(): QaSession[] {
    return comingSessions([...this.sessions.values()].filter((s) => this.rooms.includes(s.room)));
  }

  isHost(session: QaSession): boolean {
    return (session.host_ids ?? []).includes(String(this.client.user.id));
  }

  async schedule(input: ScheduleInput): Promise<ApiError | null> {
    const payload: Record<string, unknown> = { room: input.room, title: input.title, starts_at: input.starts_at, ends_at: input.ends_at };
    if (input.description) payload.description = input.description;
    if (input.hosts.length) payload.hosts = input.hosts;
    const ack = await this.emit<{ session: QaSession }>(EVENTS.QA_SCHEDULE, payload);
    if (!ack.ok) return ack.error;
    this.putSession(ack.session);
    return null;
  }

  async join(session: QaSession): Promise<ApiError | null> {
    if (this.open && this.open.id !== session.id) this.leave();
    this.open = session;
    this.host = false;
    this.board.reset({ session, questions: [] });
    this.board.begin();
    this.notify();
    const ack = await this.emit<QaJoinResult>(EVENTS.QA_JOIN, { session_id: session.id });
    if (this.open?.id !== session.id) return null;
    if (!ack.ok) {
      this.open = null;
      this.notify();
      return ack.error;
    }
    this.open = ack.session;
    this.host = ack.host === true;
    this.board.reset(ack);
    this.putSession(ack.session);
    return null;
  }

  leave(): void {
    const id = this.open?.id;
    this.open = null;
    this.host = false;
    this.notify();
    if (id) void this.emit(EVENTS.QA_LEAVE, { session_id: id });
  }

  /** A supervisor of the region joins as co-host, then sees the review queue. */
  async cohost(session: QaSession): Promise<ApiError | null> {
    const ack = await this.emit<{ session: QaSession }>(EVENTS.QA_COHOST, { session_id: session.id });
    if (!ack.ok) return ack.error;
    this.putSession(ack.session);
    return this.join(ack.session);
  }

  /** Approve (with `body`: reworded for anonymity) or reject with a reason the asker sees. */
  async review(questionId: string, decision: "approve" | "reject", text?: { body?: string; reason?: string }): Promise<ApiError | null> {
    const payload: Record<string, unknown> = { question_id: questionId, decision };
    if (text?.body !== undefined) payload.body = text.body;
    if (text?.reason !== undefined) payload.reason = text.reason;
    return this.update(EVENTS.QA_REVIEW, payload);
  }

  /** Answers live; `confirm` sends it although the secrecy check warned. */
  answer(questionId: string, body: string, confirm = false): Promise<ApiError | null> {
    return this.update(EVENTS.QA_ANSWER, confirm ? { question_id: questionId, body, confirm } : { question_id: questionId, body });
  }

  pin(questionId: string, pinned: boolean): Promise<ApiError | null> {
    return this.update(EVENTS.QA_PIN, { question_id: questionId, pinned });
  }

  private async update(event: EventName, payload: Record<string, unknown>): Promise<ApiError | null> {
    const ack = await this.emit<{ question: QaQuestion }>(event, payload);
    if (!ack.ok) return ack.error;
    if (ack.question.session_id === this.open?.id) this.board.put(ack.question);
    this.notify();
    return null;
  }

  private putSession(session: QaSession): void {
    this.sessions.set(session.id, session);
    if (this.open?.id === session.id) this.open = session;
    this.notify();
  }

  private async load(): Promise<void> {
    const rooms = this.rooms;
    if (!this.client.connection.online) return;
    const acks = await Promise.all(rooms.map((room) => this.emit<{ sessions: QaSession[] }>(EVENTS.QA_LIST, { room })));
    const failed = acks.find((a) => !a.ok);
    this.error = failed && !failed.ok ? failed.error : null;
    // Merged, not replaced: a session announced live while listing is newer than the listing.
    for (const ack of acks) if (ack.ok) for (const s of ack.sessions ?? []) if (!this.sessions.has(s.id)) this.sessions.set(s.id, s);
    this.notify();
  }

  private async reload(): Promise<void> {
    await this.load();
    if (this.open) await this.join(this.open);
  }

  private emit<T extends object = object>(event: EventName, payload: Record<string, unknown>): Promise<Ack<T>> {
    return request<T>(this.client.connection.socket, event, payload);
  }
}
