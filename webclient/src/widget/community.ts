import { EVENTS, type EventName } from "../shared/protocol/events";
import type { Notice, QaJoinResult, QaQuestion, QaSession } from "../shared/protocol/community";
import type { Ack, ApiError } from "../shared/protocol/types";
import { request } from "../shared/socket/request";
import { comingSessions, noticeOrder, QuestionBoard } from "../shared/store/community";
import { newClientId } from "../shared/store/ids";
import { Observable } from "../shared/store/observable";
import type { YouthClient } from "./controller";

/** Sending something with a client_id: kept until the server has it, so a retry is the same one. */
export interface Sending {
  status: "sending" | "done" | "failed";
  clientId: string;
  error?: ApiError;
}

type Payload = { question: QaQuestion } | { notice: Notice };

/**
 * The room's Q&A sessions and pinned notices, beside the widget's own controller: it listens on
 * the same socket and reloads whenever the connection is back online (the room is joined then).
 */
export class Community extends Observable {
  sessions = new Map<string, QaSession>();
  notices = new Map<string, Notice>();
  readonly board = new QuestionBoard();
  /** The session open in the Q&A view. */
  session: QaSession | null = null;
  ask: Sending | null = null;
  readonly tips = new Map<string, Sending>();
  readonly voting = new Set<string>();
  error: ApiError | null = null;
  private online = false;
  /** Ids that live events changed while a listing was on its way (the listing may predate them). */
  private touched = new Set<string>();

  constructor(private readonly client: YouthClient) {
    super();
    const socket = client.connection.socket;
    const question = (p: Payload) => {
      if ("question" in p && p.question.session_id === this.session?.id) {
        this.board.put(p.question);
        this.notify();
      }
    };
    const notice = (p: Payload) => {
      if (!("notice" in p) || p.notice.room !== client.room) return;
      this.touched.add(p.notice.id);
      if (p.notice.status === "expired") this.notices.delete(p.notice.id);
      else this.notices.set(p.notice.id, p.notice);
      this.notify();
    };
    socket.on(EVENTS.QA_QUESTION, question);
    socket.on(EVENTS.QA_ANSWERED, question);
    socket.on(EVENTS.NOTICE_PUBLISHED, notice);
    socket.on(EVENTS.NOTICE_CLOSED, notice);
    socket.on(EVENTS.QA_SESSION, (p: { session: QaSession }) => {
      if (p?.session?.room !== client.room) return;
      this.touched.add(p.session.id);
      this.sessions.set(p.session.id, p.session);
      this.notify();
    });
    client.connection.subscribe(() => this.onConnection());
    this.onConnection();
  }

  coming(): QaSession[] {
    return comingSessions(this.sessions.values());
  }

  noticeList(): Notice[] {
    return noticeOrder(this.notices.values());
  }

  async open(session: QaSession): Promise<void> {
    this.session = session;
    this.ask = null;
    this.error = null;
    this.board.reset({ session, questions: [] });
    this.notify();
    await this.join();
  }

  close(): void {
    const id = this.session?.id;
    this.session = null;
    this.notify();
    if (id) void this.emit(EVENTS.QA_LEAVE, { session_id: id });
  }

  /** Sends a question (≤ 500 characters); the same client_id again after a failure. */
  async askQuestion(body: string): Promise<boolean> {
    const session = this.session;
    if (!session || this.ask?.status === "sending") return false;
    const clientId = this.ask?.status === "failed" ? this.ask.clientId : newClientId();
    this.ask = { status: "sending", clientId };
    this.notify();
    const ack = await this.emit<{ question: QaQuestion }>(EVENTS.QA_ASK, { session_id: session.id, client_id: clientId, body });
    if (ack.ok) {
      this.board.put({ ...ack.question, mine: true });
      this.ask = null;
    } else {
      this.ask = { status: "failed", clientId, error: ack.error };
    }
    this.notify();
    return ack.ok;
  }

  async vote(questionId: string): Promise<void> {
    if (this.voting.has(questionId)) return;
    this.voting.add(questionId);
    this.notify();
    const ack = await this.emit<{ question: QaQuestion }>(EVENTS.QA_VOTE, { question_id: questionId });
    this.voting.delete(questionId);
    const known = this.board.shown.get(questionId);
    // Voted before (another tab): the same as voting now.
    if (ack.ok) this.board.put({ ...ack.question, voted: true });
    else if (ack.error.code === "conflict" && known) this.board.shown.set(questionId, { ...known, voted: true });
    else this.error = ack.error;
    this.notify();
  }

  /** A private tip to the officer in charge of a notice. */
  async tip(noticeId: string, body: string): Promise<boolean> {
    const before = this.tips.get(noticeId);
    if (before?.status === "sending") return false;
    const clientId = before?.status === "failed" ? before.clientId : newClientId();
    this.tips.set(noticeId, { status: "sending", clientId });
    this.notify();
    const ack = await this.emit(EVENTS.NOTICE_TIP, { notice_id: noticeId, client_id: clientId, body });
    this.tips.set(noticeId, ack.ok ? { status: "done", clientId } : { status: "failed", clientId, error: ack.error });
    this.notify();
    return ack.ok;
  }

  clearError(): void {
    this.error = null;
    this.notify();
  }

  private emit<T extends object = object>(event: EventName, payload: Record<string, unknown>): Promise<Ack<T>> {
    return request<T>(this.client.connection.socket, event, payload);
  }

  private onConnection(): void {
    const online = this.client.connection.state === "online";
    if (online && !this.online) void this.load();
    this.online = online;
  }

  private async load(): Promise<void> {
    const room = this.client.room;
    this.touched.clear();
    const [qa, notices] = await Promise.all([
      this.emit<{ sessions: QaSession[] }>(EVENTS.QA_LIST, { room }),
      this.emit<{ notices: Notice[] }>(EVENTS.NOTICE_LIST, { room }),
    ]);
    // Sessions only come and (by the clock) go; notices are replaced, except what changed meanwhile.
    if (qa.ok) for (const s of qa.sessions ?? []) if (!this.touched.has(s.id)) this.sessions.set(s.id, s);
    if (notices.ok) {
      const next = new Map((notices.notices ?? []).map((n) => [n.id, n]));
      for (const id of this.touched) {
        const known = this.notices.get(id);
        if (known) next.set(id, known);
        else next.delete(id);
      }
      this.notices = next;
    }
    this.notify();
    if (this.session) await this.join();
  }

  private async join(): Promise<void> {
    const id = this.session?.id;
    if (!id) return;
    this.board.begin();
    const ack = await this.emit<QaJoinResult>(EVENTS.QA_JOIN, { session_id: id });
    if (this.session?.id !== id) return;
    if (ack.ok) {
      this.session = ack.session;
      this.board.reset(ack);
    } else {
      this.error = ack.error;
    }
    this.notify();
  }
}

const byClient = new WeakMap<YouthClient, Community>();

/** One Community per widget controller, kept while the young person switches views. */
export function communityOf(client: YouthClient): Community {
  let community = byClient.get(client);
  if (!community) {
    community = new Community(client);
    byClient.set(client, community);
  }
  return community;
}
