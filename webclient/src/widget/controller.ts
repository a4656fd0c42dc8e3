import { EVENTS, type EventName } from "../shared/protocol/events";
import type {
  Ack,
  ApiError,
  Availability,
  Conversation,
  Message,
  Neighbourhood,
  RoomJoinResult,
  SessionPayload,
  SyncResult,
  TypingEvent,
  Youth,
} from "../shared/protocol/types";
import { Connection } from "../shared/socket/connection";
import { request } from "../shared/socket/request";
import { syncFrom } from "../shared/socket/sync";
import { newClientId } from "../shared/store/ids";
import { MessageStore } from "../shared/store/messages";
import { Observable } from "../shared/store/observable";
import { Outbox } from "../shared/store/outbox";
import type { Lang } from "../shared/i18n";
import { TypingSignal } from "../shared/socket/typing";
import { loadToken, saveToken } from "./storage";

export interface YouthOptions {
  origin: string;
  room: string;
  lang: Lang;
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
  conversation: Conversation | null = null;
  officerTyping: string | null = null;
  error: ApiError | null = null;
  joined = false;
  private lang: Lang;
  private token: string | null = loadToken();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly typing: TypingSignal;
  /** Called for each message from someone else that arrives live (for the unread count). */
  onIncoming: ((message: Message) => void) | null = null;

  constructor(private readonly options: YouthOptions) {
    super();
    this.lang = options.lang;
    this.connection = new Connection({
      url: `${options.origin}/youth`,
      auth: () => ({ lang: this.lang, ...(this.token ? { token: this.token } : {}) }),
      readyEvent: EVENTS.SESSION,
      resync: (session) => this.resync(session as SessionPayload),
      onOnline: () => void this.outbox.flush(),
    });
    this.outbox = new Outbox(
      (event, payload) => request<{ message: Message }>(this.connection.socket, event as EventName, payload),
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
    const clientId = newClientId();
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
    const ack = await request<{ conversation: Conversation }>(this.connection.socket, EVENTS.CHAT_OPEN, { room: this.room });
    if (!ack.ok) return this.fail(ack.error);
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

  private fail(error: ApiError): false {
    this.error = error;
    this.notify();
    return false;
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
    socket.on(EVENTS.AVAILABILITY, (availability: Availability) => {
      if (availability.room && availability.room !== this.room) return;
      this.availability = availability;
      this.notify();
    });
  }

  /** After every connect: adopt the session, rejoin the room, fill gaps, then the outbox flushes. */
  private async resync(session: SessionPayload): Promise<void> {
    if (session?.token) {
      this.token = session.token;
      saveToken(session.token);
    }
    this.youth = session?.youth ?? this.youth;
    const open = session?.conversations?.find((c) => c.room === this.room && c.status !== "closed");
    if (open && open.id !== this.conversation?.id) this.setConversation(open);
    this.notify();

    const lastSeen = this.roomMessages.lastId();
    const join = await request<RoomJoinResult>(this.connection.socket, EVENTS.ROOM_JOIN, { room: this.room });
    if (!join.ok) {
      this.fail(join.error);
    } else {
      this.joined = true;
      this.neighbourhood = join.neighbourhood;
      this.availability = join.availability;
      this.roomMessages.merge(join.messages ?? []);
      if (lastSeen !== undefined) {
        await syncFrom((after) => this.page(EVENTS.ROOM_SYNC, { room: this.room }, after), this.roomMessages, lastSeen);
      }
      this.notify();
    }
    if (this.conversation) await this.syncChat(this.chatMessages.lastId());
  }

  private async syncChat(after: string | undefined): Promise<void> {
    const conversation = this.conversation;
    if (!conversation) return;
    const ack = await syncFrom(
      (cursor) => this.page(EVENTS.CHAT_SYNC, { conversation_id: conversation.id }, cursor),
      this.chatMessages,
      after,
    );
    if (ack.ok && ack.conversation && ack.conversation.id === this.conversation?.id) this.setConversation(ack.conversation);
    else if (!ack.ok && (ack.error.code === "not_found" || ack.error.code === "forbidden")) {
      this.conversation = null;
      this.chatMessages.clear();
      this.notify();
    }
  }

  private page(event: typeof EVENTS.ROOM_SYNC | typeof EVENTS.CHAT_SYNC, base: Record<string, string>, after: string | undefined): Promise<Ack<SyncResult>> {
    return request<SyncResult>(this.connection.socket, event, after ? { ...base, after } : base);
  }

  private setConversation(conversation: Conversation): void {
    if (this.conversation && this.conversation.id !== conversation.id) this.chatMessages.clear();
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
