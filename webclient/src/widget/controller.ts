import { EVENTS, type EventName } from "../shared/protocol/events";
import type {
  Ack,
  ApiError,
  Availability,
  Card,
  Conversation,
  Handoff,
  HandoffEvent,
  Message,
  MessageHiddenEvent,
  MutedEvent,
  Neighbourhood,
  Report,
  ReportSubmitResult,
  Retention,
  RoomJoinResult,
  RoomSettings,
  SessionPayload,
  SyncNeededEvent,
  SyncResult,
  TypingEvent,
  Youth,
} from "../shared/protocol/types";
import { Connection } from "../shared/socket/connection";
import { request } from "../shared/socket/request";
import { SYNC_SPREAD_MS, syncFrom } from "../shared/socket/sync";
import { newClientId } from "../shared/store/ids";
import { MessageStore } from "../shared/store/messages";
import { Observable } from "../shared/store/observable";
import { Outbox } from "../shared/store/outbox";
import type { Lang } from "../shared/i18n";
import { TypingSignal } from "../shared/socket/typing";
import { urgentFirst } from "../shared/ui/card";
import { isMuted, mutedUntilFromError, slowModeFromError } from "../shared/ui/moderation";
import { feedbackAfterUpdate, type FeedbackState, type FlagState } from "./moderation";
import { emptyDraft, type ReportDraft, type ReportInput } from "./report";
import { retentionFrom } from "./retention";
import type { StorageMode, TokenStore } from "./storage";

/** Where guidance from an ack or a refusal is shown: the chat, the room, or the report form. */
export type GuidancePlace = "chat" | "room" | "report";

/** The cards a refusal carries (a report or chat not taken now still shows the way to 112). */
function refusalCards(error: ApiError): Card[] | undefined {
  const cards = error.details?.["guidance"];
  return Array.isArray(cards) ? (cards as Card[]) : undefined;
}

/** Errors after which a report stays pending and is resent, same client_id, once online. */
const TRANSIENT = new Set(["timeout", "disconnected", "network"]);

export interface StoredHandoff extends Handoff {
  conversation_id: string;
}

/** The longest a timer may wait (setTimeout's limit, about 24.8 days). */
const MAX_TIMER_MS = 2_147_000_000;

export interface YouthOptions {
  origin: string;
  room: string;
  lang: Lang;
  /** Where the anonymous token is kept: the device, or memory only. */
  tokens: TokenStore;
}

/**
 * Everything the widget knows, kept outside the UI: the youth session, the neighbourhood
 * room, the private conversation, and the outbox. Resyncs after every (re)connect.
 */
export class YouthClient extends Observable {
  readonly connection: Connection;
  readonly roomMessages = new MessageStore();
  readonly chatMessages = new MessageStore();
  readonly outbox: Outbox;

  youth: Youth | null = null;
  neighbourhood: Neighbourhood | null = null;
  availability: Availability | null = null;
  /** How long chats are kept, from the server's `session` (null until it has come). */
  retention: Retention | null = null;
  conversation: Conversation | null = null;
  officerTyping: string | null = null;
  error: ApiError | null = null;
  joined = false;
  /** The young person's reports in this room, keyed by id. */
  readonly reports = new Map<string, Report>();
  /** Guidance cards from each report's submit ack, keyed by report id (memory only). */
  readonly guidance = new Map<string, Card[]>();
  /**
   * Cards from the latest ack of a message (chat:send, room:send, chat:open with a body) that
   * carried a risk signal, 112 first; shown at once where it was written until dismissed.
   */
  riskGuidance: { cards: Card[]; where: GuidancePlace } | null = null;
  /** Handoff cards, keyed by handoff id. */
  readonly handoffs = new Map<string, StoredHandoff>();
  /** The report shown in the report view (null: show the form). */
  currentReportId: string | null = null;
  /** The form's contents, kept while the young person switches views (memory only). */
  reportDraft: ReportDraft = emptyDraft();
  reportSending = false;
  reportError: ApiError | null = null;
  /** Increments when the chat view should come to the front (report claimed, handoff). */
  chatFocus = 0;
  /** The report waiting for an ok ack; resent unchanged (same client_id) after a reconnect. */
  private reportPayload: Record<string, unknown> | null = null;
  private lang: Lang;
  private token: string | null;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly typing: TypingSignal;
  /** Posting in rooms is paused until then (ISO), by a moderator; private chats stay open. */
  mutedUntil: string | null = null;
  /** Slow mode of the room: at most one post per this many seconds (0: off). */
  slowModeSeconds = 0;
  /** Room messages this young person flagged in this page session, by message id. */
  readonly flags = new Map<string, FlagState>();
  /** "Do you feel safer now?" after a private chat closed (asked once per conversation). */
  feedback: FeedbackState | null = null;
  /** Conversations asked about in this page session (never asked twice). */
  private readonly feedbackAsked = new Set<string>();
  /** client_ids of room messages sent from this page (to tell one's own messages). */
  private readonly sentClientIds = new Set<string>();
  private muteTimer: ReturnType<typeof setTimeout> | undefined;
  /** Called for each message from someone else that arrives live (for the unread count). */
  onIncoming: ((message: Message | null) => void) | null = null;

  constructor(private readonly options: YouthOptions) {
    super();
    this.lang = options.lang;
    this.token = options.tokens.load();
    this.connection = new Connection({
      url: `${options.origin}/youth`,
      auth: () => ({ lang: this.lang, ...(this.token ? { token: this.token } : {}) }),
      readyEvent: EVENTS.SESSION,
      resync: (session) => this.resync(session as SessionPayload),
      onDrop: () => {
        this.roomMessages.hold();
        this.chatMessages.hold();
      },
      onOnline: () => {
        void this.outbox.flush();
        if (this.reportPayload && !this.reportSending) void this.sendReport();
      },
    });
    this.outbox = new Outbox(
      async (event, payload) => {
        const ack = await request<{ message: Message; guidance?: Card[] }>(this.connection.socket, event as EventName, payload);
        if (!ack.ok && event === EVENTS.ROOM_SEND) this.noteRoomRefusal(ack.error);
        if (ack.ok) this.showGuidance(ack.guidance, event === EVENTS.ROOM_SEND ? "room" : "chat");
        return ack;
      },
      () => this.connection.online,
    );
    this.typing = new TypingSignal((typing) => {
      const id = this.conversation?.id;
      if (id) void request(this.connection.socket, EVENTS.CHAT_TYPING, { conversation_id: id, typing }, 3000);
    });
    this.listen();
  }

  get room(): string {
    return this.options.room;
  }

  start(): void {
    this.connection.connect();
  }

  setLang(lang: Lang): void {
    // Used by the server for system texts from the next connect on.
    this.lang = lang;
  }

  sendRoom(body: string): void {
    if (this.muted) return;
    const clientId = newClientId();
    this.sentClientIds.add(clientId);
    void this.outbox.submit({
      clientId,
      event: EVENTS.ROOM_SEND,
      payload: { room: this.room, client_id: clientId, body },
      store: this.roomMessages,
      author: { kind: "youth", name: this.youth?.nickname ?? "" },
    });
  }

  sendChat(body: string): void {
    const conversation = this.conversation;
    if (!conversation) return;
    const clientId = newClientId();
    this.typing.stop();
    void this.outbox.submit({
      clientId,
      event: EVENTS.CHAT_SEND,
      payload: { conversation_id: conversation.id, client_id: clientId, body },
      store: this.chatMessages,
      author: { kind: "youth", name: this.youth?.nickname ?? "" },
    });
  }

  setTyping(typing: boolean): void {
    if (this.conversation?.status === "active") this.typing.set(typing);
  }

  async openChat(): Promise<boolean> {
    const ack = await request<{ conversation: Conversation; availability?: Availability; guidance?: Card[] }>(
      this.connection.socket,
      EVENTS.CHAT_OPEN,
      { room: this.room },
    );
    if (!ack.ok) {
      this.showGuidance(refusalCards(ack.error), "chat");
      return this.fail(ack.error);
    }
    this.showGuidance(ack.guidance, "chat");
    this.setAvailability(ack.availability);
    this.setConversation(ack.conversation);
    await this.syncChat(undefined);
    return true;
  }

  async closeChat(): Promise<boolean> {
    const id = this.conversation?.id;
    if (!id) return false;
    const ack = await request<{ conversation: Conversation }>(this.connection.socket, EVENTS.CHAT_CLOSE, { conversation_id: id });
    if (!ack.ok) return this.fail(ack.error);
    this.setConversation(ack.conversation);
    return true;
  }

  /** Leaves a closed conversation behind so a new one can be opened. */
  resetChat(): void {
    if (this.conversation?.status !== "closed") return;
    this.conversation = null;
    this.feedback = null;
    this.chatMessages.clear();
    this.notify();
  }

  async setNickname(nickname: string): Promise<boolean> {
    const ack = await request<{ youth: Youth }>(this.connection.socket, EVENTS.PROFILE_SET, { nickname });
    if (!ack.ok) {
      // The generic texts for these codes speak of messages; say what is wrong with the name.
      const code = ack.error.code === "blocked" ? "nickname_blocked" : ack.error.code === "invalid" ? "nickname_invalid" : null;
      return this.fail(code ? { code, message: ack.error.message } : ack.error);
    }
    this.youth = ack.youth;
    this.notify();
    return true;
  }

  get currentReport(): Report | null {
    return this.currentReportId ? (this.reports.get(this.currentReportId) ?? null) : null;
  }

  /** True while a report is written but not yet acknowledged. */
  get reportPending(): boolean {
    return this.reportPayload !== null;
  }

  /** The report the open conversation belongs to, if any. */
  get conversationReport(): Report | null {
    const id = this.conversation?.id;
    if (!id) return null;
    for (const report of this.reports.values()) if (report.conversation_id === id) return report;
    return null;
  }

  /** Handoff cards of the open conversation. */
  conversationHandoffs(): StoredHandoff[] {
    const id = this.conversation?.id;
    return id ? [...this.handoffs.values()].filter((h) => h.conversation_id === id) : [];
  }

  /**
   * Sends an urgent report. The client_id stays the same until the server has acknowledged
   * it, so a retry (by hand or after a reconnect) returns the same report.
   */
  submitReport(input: ReportInput): Promise<boolean> {
    const previous = this.reportPayload;
    const clientId = typeof previous?.client_id === "string" ? previous.client_id : newClientId();
    this.reportPayload = { room: this.room, client_id: clientId, ...input };
    this.reportError = null;
    this.notify();
    return this.sendReport();
  }

  /** Back to an empty form for another report. */
  newReport(): void {
    this.currentReportId = null;
    this.reportError = null;
    this.notify();
  }

  clearReportError(): void {
    this.reportError = null;
    this.notify();
  }

  /** Brings the chat view to the front. */
  focusChat(): void {
    this.chatFocus += 1;
    this.notify();
  }

  /** Records that the young person used a handoff card's call button or link. */
  openHandoff(handoffId: string): void {
    const handoff = this.handoffs.get(handoffId);
    if (!handoff || handoff.opened_at) return;
    this.handoffs.set(handoffId, { ...handoff, opened_at: new Date().toISOString() });
    void request(this.connection.socket, EVENTS.HANDOFF_OPENED, { handoff_id: handoffId }).then((ack) => {
      // Not recorded (e.g. offline): let the next tap try again. Other failures are ignored.
      if (!ack.ok && TRANSIENT.has(ack.error.code)) {
        const current = this.handoffs.get(handoffId);
        if (current) this.handoffs.set(handoffId, { ...current, opened_at: null });
      }
    });
  }

  /** True while a moderator has paused this young person's posting in rooms. */
  get muted(): boolean {
    return isMuted(this.mutedUntil);
  }

  /** A message this young person wrote (sent from this page, or under their nickname). */
  isOwn(message: Message): boolean {
    if (message.client_id && this.sentClientIds.has(message.client_id)) return true;
    return message.author.kind === "youth" && !!this.youth && message.author.name === this.youth.nickname;
  }

  /** Another young person's visible room message may be flagged, once. */
  canFlag(message: Message): boolean {
    return message.author.kind === "youth" && !message.hidden && !!message.id && !this.isOwn(message);
  }

  /** Tells the officers in the room that a message is not OK (`reason` optional). */
  async flagMessage(messageId: string, reason: string): Promise<boolean> {
    const state = this.flags.get(messageId);
    if (state?.status === "sending" || state?.status === "done") return false;
    this.flags.set(messageId, { status: "sending" });
    this.notify();
    const text = reason.trim().slice(0, 200);
    const ack = await request(this.connection.socket, EVENTS.MESSAGE_FLAG, text ? { message_id: messageId, reason: text } : { message_id: messageId });
    // Flagged before (e.g. before a reload): the officers already know.
    const done = ack.ok || ack.error.code === "conflict";
    this.flags.set(messageId, done ? { status: "done" } : { status: "failed", error: ack.error });
    this.notify();
    return done;
  }

  /** Answers "Do you feel safer now?" (1–5) for the closed conversation asked about. */
  async submitFeedback(score: number): Promise<boolean> {
    const feedback = this.feedback;
    if (!feedback || feedback.status === "sending" || feedback.status === "thanks") return false;
    this.feedback = { conversationId: feedback.conversationId, status: "sending" };
    this.notify();
    const ack = await request(this.connection.socket, EVENTS.FEEDBACK_SUBMIT, { conversation_id: feedback.conversationId, score });
    if (this.feedback?.conversationId !== feedback.conversationId) return ack.ok;
    // Answered before (another tab): thank them all the same.
    const done = ack.ok || ack.error.code === "conflict";
    this.feedback = done
      ? { conversationId: feedback.conversationId, status: "thanks" }
      : { conversationId: feedback.conversationId, status: "ask", error: ack.error };
    this.notify();
    return done;
  }

  /** Not answering is fine: the question goes away and is not asked again. */
  skipFeedback(): void {
    if (!this.feedback) return;
    this.feedback = null;
    this.notify();
  }

  /**
   * "Forget me on this device": ends an open private chat (nobody could come back to it from
   * here), drops the token from storage and memory, and disconnects. The caller reloads.
   */
  async forget(): Promise<void> {
    const open = this.conversation && this.conversation.status !== "closed" ? this.conversation.id : null;
    if (open) await request(this.connection.socket, EVENTS.CHAT_CLOSE, { conversation_id: open }, 3000);
    // The server stops honouring the token at once (a copy of it reads nothing after this).
    await request(this.connection.socket, EVENTS.SESSION_FORGET, {}, 3000);
    this.token = null;
    this.options.tokens.forget();
    this.connection.disconnect();
  }

  /** Where the token is kept: on the device, or in memory only (blocked, or no-trace). */
  get storageMode(): StorageMode {
    return this.options.tokens.mode;
  }

  /** No-trace on: the stored token goes; off: the current one is stored again. */
  setNoTrace(on: boolean): void {
    this.options.tokens.setNoTrace(on);
    this.notify();
  }

  /** Quick exit: cut the connection at once; the page is on its way out. */
  leave(): void {
    this.connection.disconnect();
  }

  retry(clientId: string): void {
    void this.outbox.retry(clientId);
  }

  discard(clientId: string): void {
    this.outbox.discard(clientId);
  }

  clearError(): void {
    this.error = null;
    this.notify();
  }

  dismissGuidance(): void {
    this.riskGuidance = null;
    this.notify();
  }

  /** Cards an ack carried (a risk in what was written): shown at once, 112 first. */
  private showGuidance(cards: Card[] | undefined, where: GuidancePlace): void {
    if (!Array.isArray(cards) || cards.length === 0) return;
    this.riskGuidance = { cards: urgentFirst(cards), where };
    this.notify();
  }

  private fail(error: ApiError): false {
    this.error = error;
    this.notify();
    return false;
  }

  private async sendReport(): Promise<boolean> {
    const payload = this.reportPayload;
    if (!payload) return false;
    this.reportSending = true;
    this.notify();
    const ack = await request<ReportSubmitResult>(this.connection.socket, EVENTS.REPORT_SUBMIT, payload);
    this.reportSending = false;
    if (this.reportPayload !== payload) {
      this.notify();
      return ack.ok;
    }
    if (ack.ok) {
      this.reportPayload = null;
      this.reportDraft = emptyDraft();
      this.guidance.set(ack.report.id, Array.isArray(ack.guidance) ? ack.guidance : []);
      this.setAvailability(ack.availability);
      this.putReport(ack.report);
      this.currentReportId = ack.report.id;
      this.notify();
      return true;
    }
    if (!TRANSIENT.has(ack.error.code)) {
      // Refused (invalid, rate limited…): back to the form, which still holds the text, with
      // the cards the refusal carries (112 first when someone may be in danger).
      this.reportPayload = null;
      this.reportError = ack.error;
      this.showGuidance(refusalCards(ack.error), "report");
    }
    this.notify();
    return false;
  }

  /** Keeps a report of this room; a report that has just been claimed opens its chat. */
  private putReport(report: Report, live = false): void {
    if (report.room && report.room !== this.room) return;
    const before = this.reports.get(report.id);
    this.reports.set(report.id, report);
    const claimedNow = report.status === "claimed" && before?.status !== "claimed";
    if (report.conversation_id && report.status === "claimed" && report.conversation_id !== this.conversation?.id) {
      void this.adoptConversation(report.conversation_id, live && claimedNow);
    } else if (live && claimedNow) {
      this.focusChat();
    }
    this.notify();
  }

  private putHandoff(conversationId: string, handoff: Handoff): boolean {
    const known = this.handoffs.get(handoff.id);
    // Keep a locally recorded "opened" when the server's copy is older.
    const opened = handoff.opened_at ?? known?.opened_at ?? null;
    this.handoffs.set(handoff.id, { ...handoff, opened_at: opened, conversation_id: conversationId });
    return !known;
  }

  /** Switches to a conversation the young person did not open (a claimed report's chat). */
  private async adoptConversation(conversationId: string, focus: boolean): Promise<void> {
    const first = await this.page(EVENTS.CHAT_SYNC, { conversation_id: conversationId }, undefined);
    if (!first.ok || !first.conversation) return;
    this.setConversation(first.conversation);
    this.applySyncExtras(conversationId, first);
    this.chatMessages.merge(first.messages ?? []);
    if (first.more) await this.syncChat(this.chatMessages.lastId());
    if (focus) this.focusChat();
  }

  private applySyncExtras(conversationId: string, result: SyncResult): void {
    for (const handoff of result.handoffs ?? []) this.putHandoff(conversationId, handoff);
    if (result.report) this.putReport(result.report);
    this.notify();
  }

  private listen(): void {
    const socket = this.connection.socket;
    socket.on(EVENTS.ROOM_MESSAGE, (message: Message) => {
      if (message.room && message.room !== this.room) return;
      if (this.roomMessages.upsert(message) && message.author.kind === "officer") this.onIncoming?.(message);
    });
    socket.on(EVENTS.CHAT_MESSAGE, (message: Message) => {
      if (!this.conversation || message.conversation_id !== this.conversation.id) return;
      if (this.chatMessages.upsert(message) && message.author.kind !== "youth") {
        this.showTyping(null);
        this.onIncoming?.(message);
      }
    });
    socket.on(EVENTS.CHAT_UPDATED, (conversation: Conversation) => {
      const current = this.conversation;
      if (current ? conversation.id === current.id : conversation.room === this.room && conversation.status !== "closed") {
        this.setConversation(conversation);
      }
    });
    socket.on(EVENTS.CHAT_TYPING, (event: TypingEvent) => {
      if (event.conversation_id !== this.conversation?.id || event.author.kind === "youth") return;
      this.showTyping(event.typing ? event.author.name : null);
    });
    socket.on(EVENTS.REPORT_UPDATED, (payload: { report: Report } | Report) => {
      const report = "report" in payload ? payload.report : payload;
      if (report?.id) this.putReport(report, true);
    });
    socket.on(EVENTS.HANDOFF, (event: HandoffEvent) => {
      if (!event?.handoff?.id || !event.conversation_id) return;
      const isNew = this.putHandoff(event.conversation_id, event.handoff);
      this.notify();
      if (isNew && event.conversation_id === this.conversation?.id) {
        this.onIncoming?.(null);
        this.focusChat();
      }
    });
    socket.on(EVENTS.AVAILABILITY, (availability: Availability) => {
      if (this.setAvailability(availability)) this.notify();
    });
    socket.on(EVENTS.MESSAGE_HIDDEN, (event: MessageHiddenEvent) => {
      if (!event?.id || (event.room && event.room !== this.room)) return;
      const message = this.roomMessages.get(event.id);
      if (message) this.roomMessages.upsert({ ...message, body: "", hidden: true });
    });
    socket.on(EVENTS.MODERATION_MUTED, (event: MutedEvent) => {
      if (typeof event?.until === "string") this.setMuted(event.until);
    });
    socket.on(EVENTS.ROOM_SETTINGS, (settings: RoomSettings) => {
      if (!settings || settings.room !== this.room || typeof settings.slow_mode_seconds !== "number") return;
      this.slowModeSeconds = Math.max(0, settings.slow_mode_seconds);
      this.notify();
    });
    socket.on(EVENTS.SYNC_NEEDED, (event: SyncNeededEvent) => this.syncNeeded(event));
  }

  /** A refused room post may tell of a pause or of the room's slow mode; keep what it says. */
  private noteRoomRefusal(error: ApiError): void {
    const until = mutedUntilFromError(error);
    if (until) this.setMuted(until);
    const slow = slowModeFromError(error);
    if (slow !== null && slow !== this.slowModeSeconds) {
      this.slowModeSeconds = slow;
      this.notify();
    }
  }

  /** Pauses the room composer until `until`, and opens it again by itself then. */
  private setMuted(until: string): void {
    clearTimeout(this.muteTimer);
    const left = Date.parse(until) - Date.now();
    this.mutedUntil = Number.isNaN(left) || left <= 0 ? null : until;
    if (this.mutedUntil) {
      this.muteTimer = setTimeout(() => {
        if (!this.muted) this.mutedUntil = null;
        this.notify();
      }, Math.min(left + 500, MAX_TIMER_MS));
    }
    this.notify();
  }

  /** After every connect: adopt the session, rejoin the room, fill gaps, then the outbox flushes. */
  private async resync(session: SessionPayload): Promise<void> {
    if (session?.token) {
      this.token = session.token;
      this.options.tokens.save(session.token);
    }
    this.youth = session?.youth ?? this.youth;
    this.retention = retentionFrom(session?.retention) ?? this.retention;
    const reports = (session?.reports ?? []).filter((r) => !r.room || r.room === this.room);
    const openIds = new Set(reports.map((r) => r.id));
    for (const [id, known] of this.reports) {
      // Not among the open reports any more: it was closed while we were away.
      if (known.status !== "closed" && !openIds.has(id)) this.reports.set(id, { ...known, status: "closed", position: null });
    }
    for (const report of reports) this.reports.set(report.id, report);
    if (this.currentReportId === null && !this.reportPayload) {
      const latest = reports.filter((r) => r.status !== "closed").sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
      if (latest) this.currentReportId = latest.id;
    }
    const claimed = new Set(reports.filter((r) => r.status === "claimed").map((r) => r.conversation_id));
    const candidates = (session?.conversations ?? []).filter((c) => c.room === this.room && c.status !== "closed");
    const open = candidates.find((c) => claimed.has(c.id)) ?? candidates[0];
    if (open && open.id !== this.conversation?.id) this.setConversation(open);
    this.notify();

    await this.joinRoom();
    if (this.conversation) await this.syncChat(this.chatMessages.cursor());
  }

  /** (Re)join the room: its availability and latest messages, then what came after the cursor. */
  private async joinRoom(): Promise<void> {
    const lastSeen = this.roomMessages.cursor();
    const join = await request<RoomJoinResult>(this.connection.socket, EVENTS.ROOM_JOIN, { room: this.room });
    if (!join.ok) {
      this.fail(join.error);
      return;
    }
    this.joined = true;
    this.neighbourhood = join.neighbourhood;
    this.setAvailability(join.availability);
    this.roomMessages.merge(join.messages ?? []);
    if (lastSeen !== undefined) {
      await syncFrom((after) => this.page(EVENTS.ROOM_SYNC, { room: this.room }, after), this.roomMessages, lastSeen);
    } else {
      this.roomMessages.release(); // nothing seen before: the join's latest messages are the start
    }
    this.notify();
  }

  /**
   * `sync:needed`: the connection stayed up, but the server lost events for a while. The room
   * (with its availability) and the open chat again, from cursors held at the server's `since`;
   * spread over SYNC_SPREAD_MS. A reconnect meanwhile resyncs by itself.
   */
  private syncNeeded(event: SyncNeededEvent): void {
    const since = typeof event?.since === "string" ? event.since : "";
    if (this.joined) this.roomMessages.holdSince(since);
    if (this.conversation) this.chatMessages.holdSince(since);
    setTimeout(() => {
      if (!this.connection.online) return;
      void (async () => {
        if (this.joined) await this.joinRoom();
        if (this.conversation) await this.syncChat(this.chatMessages.cursor());
      })();
    }, Math.random() * SYNC_SPREAD_MS);
  }

  private async syncChat(after: string | undefined): Promise<void> {
    const conversation = this.conversation;
    if (!conversation) return;
    const ack = await syncFrom(
      (cursor) => this.page(EVENTS.CHAT_SYNC, { conversation_id: conversation.id }, cursor),
      this.chatMessages,
      after,
    );
    if (ack.ok && ack.conversation && ack.conversation.id === this.conversation?.id) {
      this.setConversation(ack.conversation);
      this.applySyncExtras(conversation.id, ack);
    } else if (!ack.ok && (ack.error.code === "not_found" || ack.error.code === "forbidden")) {
      this.conversation = null;
      this.chatMessages.clear();
      this.notify();
    }
  }

  private page(event: typeof EVENTS.ROOM_SYNC | typeof EVENTS.CHAT_SYNC, base: Record<string, string>, after: string | undefined): Promise<Ack<SyncResult>> {
    return request<SyncResult>(this.connection.socket, event, after ? { ...base, after } : base);
  }

  /** Takes an availability of this room (from an ack or the live event); true when taken. */
  private setAvailability(availability: Availability | null | undefined): boolean {
    if (!availability || typeof availability.open !== "boolean") return false;
    if (availability.room && availability.room !== this.room) return false;
    this.availability = availability;
    return true;
  }

  private setConversation(conversation: Conversation): void {
    if (this.conversation && this.conversation.id !== conversation.id) this.chatMessages.clear();
    const ask = feedbackAfterUpdate(this.conversation, conversation, this.feedbackAsked);
    if (ask) {
      this.feedbackAsked.add(conversation.id);
      this.feedback = { conversationId: conversation.id, status: "ask" };
    } else if (this.feedback && this.feedback.conversationId !== conversation.id) {
      this.feedback = null;
    }
    this.conversation = conversation;
    if (conversation.status !== "active") this.showTyping(null);
    this.notify();
  }

  private showTyping(name: string | null): void {
    clearTimeout(this.typingTimer);
    if (name) this.typingTimer = setTimeout(() => this.showTyping(null), 8000);
    if (this.officerTyping === name) return;
    this.officerTyping = name;
    this.notify();
  }
}
