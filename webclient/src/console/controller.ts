import { EVENTS, type EventName } from "../shared/protocol/events";
import type {
  Ack,
  ApiError,
  Availability,
  Conversation,
  Duty,
  Handoff,
  HandoffEvent,
  HandoverNote,
  Message,
  MessageHiddenEvent,
  Neighbourhood,
  Report,
  RoomJoinResult,
  RoomSettings,
  Roster,
  RosterRoom,
  StaffUser,
  SyncNeededEvent,
  SyncResult,
  TriageAlert,
  TypingEvent,
} from "../shared/protocol/types";
import { Connection } from "../shared/socket/connection";
import { request } from "../shared/socket/request";
import { SYNC_SPREAD_MS, syncFrom } from "../shared/socket/sync";
import { TypingSignal } from "../shared/socket/typing";
import { newClientId } from "../shared/store/ids";
import { MessageStore } from "../shared/store/messages";
import { Observable } from "../shared/store/observable";
import { Outbox } from "../shared/store/outbox";
import { claimedBy, triageQueue } from "./triage";

export interface StoredHandoff extends Handoff {
  conversation_id: string;
}

/** A triage:alert as shown in the banner; `receivedAt` keeps its text still (no ticking in a live region). */
export interface ActiveAlert extends TriageAlert {
  receivedAt: number;
}

/** How often the roster is fetched again while on duty (besides duty changes). */
export const ROSTER_REFRESH_MS = 60_000;
/** Handover notes kept in memory (the server sends the latest 10 of my rooms). */
const MAX_NOTES = 20;

/** A duty that ended without this console asking: the shift's planned end, or the server's sweep. */
export interface DutyEnded {
  at: number;
  /** The planned end of the shift that ended (ISO), if known. */
  until: string | null;
}

export interface RoomState {
  slug: string;
  neighbourhood: Neighbourhood | null;
  availability: Availability | null;
  messages: MessageStore;
  joined: boolean;
}

/**
 * The officer's live state: duty, the on-duty rooms, the inbox of private chats and the
 * chats themselves. Every (re)connect restores duty, rejoins and resyncs, then flushes.
 */
export class StaffClient extends Observable {
  readonly connection: Connection;
  readonly outbox: Outbox;
  readonly rooms = new Map<string, RoomState>();
  readonly conversations = new Map<string, Conversation>();
  readonly chats = new Map<string, MessageStore>();
  /** Chats this officer holds (from officer_id, or taken in this session). */
  readonly mine = new Set<string>();
  readonly unread = new Set<string>();
  readonly typing = new Map<string, string>();
  /** Reports seen in the triage queue or linked to my chats, keyed by id. */
  readonly reports = new Map<string, Report>();
  /** Handoff cards given in chats, keyed by handoff id. */
  readonly handoffs = new Map<string, StoredHandoff>();
  /** Unclaimed urgent reports the server alerted about, keyed by report id. */
  readonly alerts = new Map<string, ActiveAlert>();
  /** Why triage:list failed (shown in the queue panel). */
  triageError: ApiError | null = null;
  /** Why the last claim failed (e.g. another officer was first), shown above the queue. */
  claimError: ApiError | null = null;
  /** Called for each triage:alert (the console plays a short sound). */
  onAlert: ((alert: TriageAlert) => void) | null = null;
  duty: Duty | null = null;
  /** Why the last duty:start / duty:end failed (shown in the duty panel, with the server's detail). */
  dutyError: ApiError | null = null;
  /** Set when the duty ended by itself (duty:updated with no rooms); cleared when dismissed. */
  dutyEnded: DutyEnded | null = null;
  /** Who is on duty in my rooms, from duty:roster. */
  roster: RosterRoom[] = [];
  rosterError: ApiError | null = null;
  /** Latest handover notes of my rooms, newest first. */
  handover: HandoverNote[] = [];
  /** Flagged, not hidden room messages per on-duty room, newest first. */
  readonly flagged = new Map<string, Message[]>();
  /** Slow mode per room in seconds (0: off), as last told by the server. */
  readonly slowMode = new Map<string, number>();
  selected: string | null = null;
  error: ApiError | null = null;
  /** Why the last "take" failed, shown inside that chat (e.g. conflict: another officer has it). */
  takeError: { conversationId: string; error: ApiError } | null = null;
  /** The bursts of reports seen (services/bursts.py on the server), by group key. */
  private readonly bursts = new Set<string>();
  /** Called with each chat:sync answer (feature stores take what they keep from it, e.g. notes). */
  readonly syncHooks: ((conversationId: string, result: SyncResult) => void)[] = [];
  private readonly typingSignal: TypingSignal;
  private typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private rosterTimer: ReturnType<typeof setInterval> | undefined;
  /** True while this console's own duty:end is under way (its duty:updated is no surprise). */
  private endingDuty = false;

  constructor(
    origin: string,
    readonly user: StaffUser,
  ) {
    super();
    this.connection = new Connection({
      url: `${origin}/staff`,
      resync: () => this.resync(),
      onDrop: () => {
        for (const room of this.rooms.values()) room.messages.hold();
        for (const store of this.chats.values()) store.hold();
      },
      onOnline: () => void this.outbox.flush(),
    });
    this.outbox = new Outbox(
      (event, payload) => request<{ message: Message }>(this.connection.socket, event as EventName, payload),
      () => this.connection.online,
    );
    this.typingSignal = new TypingSignal((typing) => {
      if (this.selected) void this.emit(EVENTS.CHAT_TYPING, { conversation_id: this.selected, typing }, 3000);
    });
    this.listen();
  }

  start(): void {
    this.connection.connect();
  }

  stop(): void {
    this.stopRosterTimer();
    this.connection.disconnect();
  }

  /**
   * Goes on duty for `rooms` (or changes the set while on duty) until `until` (ISO); without
   * it the server ends the shift with the window open now (or after its default shift).
   */
  async startDuty(rooms: string[], until?: string | null): Promise<boolean> {
    this.dutyError = null;
    this.dutyEnded = null;
    this.notify();
    const ack = await this.emit<{ duty: Duty }>(EVENTS.DUTY_START, until ? { rooms, until } : { rooms });
    if (!ack.ok) {
      this.dutyError = ack.error;
      this.notify();
      return false;
    }
    await this.applyDuty(ack.duty.rooms.length > 0 ? ack.duty : null);
    await this.refreshInbox();
    return true;
  }

  async endDuty(): Promise<boolean> {
    this.dutyError = null;
    this.endingDuty = true;
    try {
      const ack = await this.emit(EVENTS.DUTY_END, {});
      if (!ack.ok) {
        this.dutyError = ack.error;
        this.notify();
        return false;
      }
      this.dutyEnded = null;
      await this.applyDuty(null);
      return true;
    } finally {
      this.endingDuty = false;
    }
  }

  clearDutyEnded(): void {
    this.dutyEnded = null;
    this.notify();
  }

  clearDutyError(): void {
    this.dutyError = null;
    this.notify();
  }

  /** Who else is on duty in my rooms, and the latest handover notes. */
  async refreshRoster(): Promise<void> {
    if (!this.duty) return;
    const ack = await this.emit<Roster>(EVENTS.DUTY_ROSTER, {});
    if (!this.duty) return;
    if (!ack.ok) {
      this.rosterError = ack.error;
      this.notify();
      return;
    }
    this.rosterError = null;
    this.roster = Array.isArray(ack.rooms) ? ack.rooms : [];
    this.putNotes(Array.isArray(ack.handover) ? ack.handover : []);
  }

  /** Leaves a note for the next shift; null when stored, else why not. */
  async writeHandover(room: string, body: string): Promise<ApiError | null> {
    const ack = await this.emit<{ note: HandoverNote }>(EVENTS.HANDOVER_WRITE, { room, body });
    if (!ack.ok) return ack.error;
    if (ack.note) this.putNotes([ack.note]);
    return null;
  }

  sendRoom(slug: string, body: string): void {
    const room = this.rooms.get(slug);
    if (!room) return;
    const clientId = newClientId();
    void this.outbox.submit({
      clientId,
      event: EVENTS.ROOM_SEND,
      payload: { room: slug, client_id: clientId, body },
      store: room.messages,
      author: { kind: "officer", name: this.user.display_name },
    });
  }

  sendChat(conversationId: string, body: string): void {
    const clientId = newClientId();
    this.typingSignal.stop();
    void this.outbox.submit({
      clientId,
      event: EVENTS.CHAT_SEND,
      payload: { conversation_id: conversationId, client_id: clientId, body },
      store: this.chatStore(conversationId),
      author: { kind: "officer", name: this.user.display_name },
    });
  }

  setTyping(typing: boolean): void {
    this.typingSignal.set(typing);
  }

  /** Opens a chat in the side panel; loads what may be read of it. */
  async select(conversationId: string | null): Promise<void> {
    if (this.selected !== conversationId) this.typingSignal.stop();
    this.selected = conversationId;
    this.takeError = null;
    if (conversationId) this.unread.delete(conversationId);
    this.notify();
    if (conversationId) await this.syncChat(conversationId, true);
  }

  async take(conversationId: string): Promise<boolean> {
    this.takeError = null;
    const ack = await this.emit<{ conversation: Conversation }>(EVENTS.CHAT_TAKE, { conversation_id: conversationId });
    if (!ack.ok) {
      this.takeError = { conversationId, error: ack.error };
      this.notify();
      return false;
    }
    this.mine.add(conversationId);
    this.putConversation(ack.conversation);
    await this.syncChat(conversationId, false);
    return true;
  }

  async closeChat(conversationId: string): Promise<boolean> {
    const ack = await this.emit<{ conversation: Conversation }>(EVENTS.CHAT_CLOSE, { conversation_id: conversationId });
    if (!ack.ok) return this.fail(ack.error);
    this.putConversation(ack.conversation);
    return true;
  }

  /** Hides a room message from young people (they see "removed by a moderator"); null when done. */
  async hideMessage(messageId: string, reason: string): Promise<ApiError | null> {
    const ack = await this.emit(EVENTS.MODERATION_HIDE, { message_id: messageId, reason: reason.trim() });
    if (!ack.ok) return ack.error;
    this.markHidden(messageId);
    return null;
  }

  /** Pauses a young person's posting in rooms for `minutes`; the end (ISO) or why not. */
  async muteYouth(youthId: string, minutes: number, reason: string): Promise<{ until: string } | { error: ApiError }> {
    const ack = await this.emit<{ until: string }>(EVENTS.MODERATION_MUTE, { youth_id: youthId, minutes, reason: reason.trim() });
    return ack.ok ? { until: ack.until } : { error: ack.error };
  }

  /** Young people post at most once per `seconds` in the room (0 turns it off). */
  async setSlowMode(room: string, seconds: number): Promise<ApiError | null> {
    const ack = await this.emit<RoomSettings>(EVENTS.MODERATION_SLOWMODE, { room, seconds });
    if (!ack.ok) return ack.error;
    this.slowMode.set(room, typeof ack.slow_mode_seconds === "number" ? ack.slow_mode_seconds : seconds);
    this.notify();
    return null;
  }

  /** Reloads the room's list of flagged messages. */
  async loadFlags(room: string): Promise<void> {
    const ack = await this.emit<{ messages: Message[] }>(EVENTS.MODERATION_FLAGS, { room });
    if (!ack.ok || !this.rooms.has(room)) return;
    this.flagged.set(room, (ack.messages ?? []).filter((m) => !m.hidden));
    this.notify();
  }

  flaggedIn(room: string): Message[] {
    return this.flagged.get(room) ?? [];
  }

  /** The queue panel's list: unclaimed reports by priority and age, then the ones I hold. */
  triage(): Report[] {
    return triageQueue(this.reports.values(), this.user.id);
  }

  /** The report a conversation belongs to, if any. */
  reportFor(conversationId: string): Report | null {
    for (const report of this.reports.values()) if (report.conversation_id === conversationId) return report;
    return null;
  }

  handoffsFor(conversationId: string): StoredHandoff[] {
    return [...this.handoffs.values()].filter((h) => h.conversation_id === conversationId);
  }

  isMyReport(report: Report): boolean {
    return claimedBy(report, this.user.id);
  }

  /** Claims a report exclusively; on success its private chat opens in the chat panel. */
  async claim(reportId: string): Promise<boolean> {
    this.claimError = null;
    this.notify();
    const ack = await this.emit<{ report: Report; conversation: Conversation }>(EVENTS.TRIAGE_CLAIM, { report_id: reportId });
    if (!ack.ok) {
      const taken = ack.error.code === "conflict";
      this.claimError = taken ? { code: "report_conflict", message: ack.error.message } : ack.error;
      const known = this.reports.get(reportId);
      // Someone else has it (or it is gone): it no longer waits in this queue.
      if (known?.status === "new" && (taken || ack.error.code === "not_found")) {
        this.reports.delete(reportId);
        this.alerts.delete(reportId);
      }
      this.notify();
      return false;
    }
    this.alerts.delete(reportId);
    this.mine.add(ack.conversation.id);
    this.chatStore(ack.conversation.id);
    this.putReport(ack.report);
    this.putConversation(ack.conversation);
    await this.select(ack.conversation.id);
    return true;
  }

  async closeReport(reportId: string, outcome: string): Promise<boolean> {
    const ack = await this.emit<{ report: Report }>(EVENTS.TRIAGE_CLOSE, { report_id: reportId, outcome });
    if (!ack.ok) return this.fail(ack.error);
    this.putReport(ack.report);
    return true;
  }

  /** One-click handoff: the card goes to the young person and into the log. */
  async giveHandoff(conversationId: string, kind: string): Promise<boolean> {
    const ack = await this.emit<{ handoff: Handoff }>(EVENTS.HANDOFF_GIVE, { conversation_id: conversationId, kind });
    if (!ack.ok) return this.fail(ack.error);
    this.putHandoff(conversationId, ack.handoff);
    this.notify();
    return true;
  }

  dismissAlert(reportId: string): void {
    if (this.alerts.delete(reportId)) this.notify();
  }

  clearClaimError(): void {
    this.claimError = null;
    this.notify();
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

  chatStore(conversationId: string): MessageStore {
    let store = this.chats.get(conversationId);
    if (!store) {
      store = new MessageStore();
      this.chats.set(conversationId, store);
    }
    return store;
  }

  isMine(conversationId: string): boolean {
    return this.mine.has(conversationId);
  }

  /** The active chats I hold, oldest first. */
  heldChats(): Conversation[] {
    return [...this.conversations.values()]
      .filter((c) => c.status === "active" && this.mine.has(c.id))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** Colleagues on duty for a room (from the roster), not me. */
  colleaguesIn(room: string): RosterRoom["officers"] {
    return this.roster.find((r) => r.room === room)?.officers.filter((o) => o.id !== this.user.id) ?? [];
  }

  /** Waiting chats first (longest wait on top), then mine by latest activity. */
  inbox(): Conversation[] {
    const list = [...this.conversations.values()].filter((c) => c.status !== "closed" || c.id === this.selected);
    const rank = (c: Conversation) => (c.status === "waiting" ? 0 : c.status === "active" ? 1 : 2);
    return list.sort((a, b) => {
      const r = rank(a) - rank(b);
      if (r !== 0) return r;
      if (a.status === "waiting") return a.created_at.localeCompare(b.created_at);
      return (b.last_message_at ?? b.created_at).localeCompare(a.last_message_at ?? a.created_at);
    });
  }

  private emit<T extends object = object>(event: EventName, payload: Record<string, unknown>, timeoutMs?: number): Promise<Ack<T>> {
    return request<T>(this.connection.socket, event, payload, timeoutMs);
  }

  private fail(error: ApiError): false {
    this.error = error;
    this.notify();
    return false;
  }

  /**
   * Keeps a report while it waits, while I hold it, or while it belongs to a chat I have
   * open; drops it otherwise (claimed by someone else, closed elsewhere).
   */
  private putReport(report: Report): void {
    const linked = report.conversation_id !== null && this.chats.has(report.conversation_id);
    if (report.status === "new" || this.isMyReport(report) || linked) this.reports.set(report.id, report);
    else this.reports.delete(report.id);
    if (report.status !== "new") this.alerts.delete(report.id);
    this.notify();
  }

  /** Adds notes (from the roster, an ack or duty:handover) once each, newest first, my rooms only. */
  private putNotes(notes: HandoverNote[]): void {
    const rooms = new Set(this.duty?.rooms ?? []);
    const key = (n: HandoverNote) => `${n.room}\u0000${n.created_at}\u0000${n.author?.name ?? ""}\u0000${n.body}`;
    const byKey = new Map<string, HandoverNote>();
    for (const note of [...this.handover, ...notes]) {
      if (note && typeof note.body === "string" && rooms.has(note.room)) byKey.set(key(note), note);
    }
    this.handover = [...byKey.values()].sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, MAX_NOTES);
    this.notify();
  }

  private startRosterTimer(): void {
    if (this.rosterTimer !== undefined) return;
    this.rosterTimer = setInterval(() => {
      if (this.connection.online) void this.refreshRoster();
    }, ROSTER_REFRESH_MS);
  }

  private stopRosterTimer(): void {
    clearInterval(this.rosterTimer);
    this.rosterTimer = undefined;
  }

  private putHandoff(conversationId: string, handoff: Handoff): void {
    this.handoffs.set(handoff.id, { ...handoff, conversation_id: conversationId });
  }

  /** A room message now hidden: greyed in the log (staff keep the text), off the flagged list. */
  private markHidden(messageId: string, slug?: string): void {
    for (const [room, state] of this.rooms) {
      if (slug && room !== slug) continue;
      const message = state.messages.get(messageId);
      if (message && !message.hidden) state.messages.upsert({ ...message, hidden: true });
    }
    for (const [room, list] of this.flagged) {
      if (list.some((m) => m.id === messageId)) this.flagged.set(room, list.filter((m) => m.id !== messageId));
    }
    this.notify();
  }

  /** A newly flagged message: its flag count in the log, and at the top of the room's list. */
  private putFlagged(message: Message): void {
    const room = message.room;
    if (!room || !this.rooms.has(room)) return;
    const state = this.rooms.get(room);
    // Update the flag count of a message in the log (an older one is only listed).
    if (state?.messages.get(message.id)) state.messages.upsert(message);
    if (message.hidden) return;
    const rest = (this.flagged.get(room) ?? []).filter((m) => m.id !== message.id);
    this.flagged.set(room, [message, ...rest]);
    this.notify();
  }

  private async refreshTriage(): Promise<void> {
    const ack = await this.emit<{ reports: Report[] }>(EVENTS.TRIAGE_LIST, {});
    if (!ack.ok) {
      this.triageError = ack.error;
      this.notify();
      return;
    }
    this.triageError = null;
    const listed = new Set<string>();
    for (const report of ack.reports ?? []) {
      listed.add(report.id);
      this.putReport(report);
    }
    // A report that waited here but is no longer listed was claimed or closed meanwhile.
    for (const [id, report] of this.reports) {
      if (report.status === "new" && !listed.has(id)) {
        this.reports.delete(id);
        this.alerts.delete(id);
      }
    }
    this.notify();
  }

  private listen(): void {
    const socket = this.connection.socket;
    const unwrap = (payload: { report: Report } | Report): Report | null => {
      const report = payload && "report" in payload ? payload.report : (payload as Report | null);
      return report?.id ? report : null;
    };
    socket.on(EVENTS.TRIAGE_NEW, (payload: { report: Report } | Report) => {
      const report = unwrap(payload);
      if (!report) return;
      this.putReport(report);
      // A burst that has just formed: its first reports came before it had a name, so list the
      // queue again to fold them in (once per burst).
      const key = report.group?.key;
      if (key && !this.bursts.has(key)) {
        this.bursts.add(key);
        void this.refreshTriage();
      }
    });
    socket.on(EVENTS.TRIAGE_UPDATED, (payload: { report: Report } | Report) => {
      const report = unwrap(payload);
      if (report) this.putReport(report);
    });
    socket.on(EVENTS.TRIAGE_ALERT, (alert: TriageAlert) => {
      const report = alert?.report;
      if (!report?.id) return;
      this.putReport(report);
      if (report.status !== "new") return;
      this.alerts.set(report.id, { report, reason: alert.reason, receivedAt: Date.now() });
      this.notify();
      this.onAlert?.(alert);
    });
    socket.on(EVENTS.HANDOFF, (event: HandoffEvent) => {
      if (!event?.handoff?.id || !event.conversation_id) return;
      this.putHandoff(event.conversation_id, event.handoff);
      this.notify();
    });
    socket.on(EVENTS.ROOM_MESSAGE, (message: Message) => {
      if (message.room) this.rooms.get(message.room)?.messages.upsert(message);
    });
    socket.on(EVENTS.CHAT_MESSAGE, (message: Message) => {
      const id = message.conversation_id;
      if (!id) return;
      const first = !this.chats.has(id);
      this.chatStore(id).upsert(message);
      // The first message of a chat this console has not loaded (one a colleague gave me):
      // read its history from the start, not from this message on.
      if (first) void this.syncChat(id, true, true);
      if (message.author.kind === "youth") this.clearTyping(id);
      if (id !== this.selected && message.author.kind !== "officer") {
        this.unread.add(id);
        this.notify();
      }
    });
    socket.on(EVENTS.CHAT_UPDATED, (conversation: Conversation) => this.putConversation(conversation));
    socket.on(EVENTS.INBOX_UPDATED, (payload: { conversation: Conversation } | Conversation) => {
      const conversation = "conversation" in payload ? payload.conversation : payload;
      const known = this.conversations.get(conversation.id);
      if (conversation.id !== this.selected && (!known || known.last_message_at !== conversation.last_message_at)) {
        this.unread.add(conversation.id);
      }
      this.putConversation(conversation);
      // Messages of a chat nobody holds yet reach officers only as inbox updates.
      if (this.chats.has(conversation.id) && !this.mine.has(conversation.id)) void this.syncChat(conversation.id, true);
    });
    socket.on(EVENTS.CHAT_TYPING, (event: TypingEvent) => {
      if (event.author.kind !== "youth") return;
      if (event.typing) this.showTyping(event.conversation_id, event.author.name);
      else this.clearTyping(event.conversation_id);
    });
    socket.on(EVENTS.AVAILABILITY, (availability: Availability) => {
      const room = availability.room ? this.rooms.get(availability.room) : undefined;
      if (!room) return;
      room.availability = availability;
      this.notify();
    });
    socket.on(EVENTS.DUTY_UPDATED, (payload: { duty: Duty | null } | Duty | null) => {
      const duty = payload && "duty" in payload ? payload.duty : (payload as Duty | null);
      const next = duty && Array.isArray(duty.rooms) && duty.rooms.length > 0 ? duty : null;
      // Ended without this console asking: the shift's end, the heartbeat sweep, or another tab.
      if (!next && this.duty && !this.endingDuty) {
        this.dutyEnded = { at: Date.now(), until: this.duty.until ?? null };
        this.dutyError = null;
      }
      if (next) this.dutyEnded = null;
      void this.applyDuty(next);
    });
    socket.on(EVENTS.MODERATION_FLAGGED, (payload: { message: Message } | Message) => {
      const message = payload && "message" in payload && typeof payload.message === "object" ? payload.message : (payload as Message);
      if (message?.id) this.putFlagged(message);
    });
    socket.on(EVENTS.MESSAGE_HIDDEN, (event: MessageHiddenEvent) => {
      if (event?.id) this.markHidden(event.id, event.room);
    });
    socket.on(EVENTS.ROOM_SETTINGS, (settings: RoomSettings) => {
      if (!settings?.room || typeof settings.slow_mode_seconds !== "number" || !this.rooms.has(settings.room)) return;
      this.slowMode.set(settings.room, settings.slow_mode_seconds);
      this.notify();
    });
    socket.on(EVENTS.SYNC_NEEDED, (event: SyncNeededEvent) => this.syncNeeded(event));
    socket.on(EVENTS.DUTY_HANDOVER, (payload: { note: HandoverNote } | HandoverNote) => {
      const note = payload && "note" in payload ? payload.note : payload;
      if (note?.room) this.putNotes([note]);
    });
  }

  /**
   * `sync:needed`: the connection stayed up, but the server lost events for a while. Rooms,
   * inbox, triage and open chats again, the message stores from cursors held at the server's
   * `since`; spread over SYNC_SPREAD_MS. A reconnect meanwhile resyncs by itself.
   */
  private syncNeeded(event: SyncNeededEvent): void {
    const since = typeof event?.since === "string" ? event.since : "";
    for (const room of this.rooms.values()) room.messages.holdSince(since);
    for (const store of this.chats.values()) store.holdSince(since);
    setTimeout(() => {
      if (this.connection.online) void this.resync();
    }, Math.random() * SYNC_SPREAD_MS);
  }

  /** After every connect: rejoin rooms from the last seen ids, reload inbox and chats. */
  private async resync(): Promise<void> {
    // Duty lives on the server and survives a reconnect; only rooms and chats need a resync.
    await Promise.all([...this.rooms.keys()].map((slug) => this.joinRoom(slug)));
    await Promise.all([this.refreshInbox(), this.refreshTriage()]);
    const open = [...this.chats.keys()].filter((id) => this.conversations.get(id)?.status !== "closed");
    await Promise.all(open.map((id) => this.syncChat(id, false)));
  }

  private async applyDuty(duty: Duty | null): Promise<void> {
    this.duty = duty;
    const wanted = new Set(duty?.rooms ?? []);
    for (const slug of [...this.rooms.keys()]) {
      if (!wanted.has(slug)) {
        this.rooms.delete(slug);
        this.flagged.delete(slug);
        this.slowMode.delete(slug);
        void this.emit(EVENTS.ROOM_LEAVE, { room: slug });
      }
    }
    const added = [...wanted].filter((slug) => !this.rooms.has(slug));
    for (const slug of added) {
      this.rooms.set(slug, { slug, neighbourhood: null, availability: null, messages: new MessageStore(), joined: false });
    }
    if (!duty) {
      for (const [id, c] of this.conversations) if (c.status === "waiting") this.conversations.delete(id);
      for (const [id, r] of this.reports) if (r.status === "new") this.reports.delete(id);
      this.alerts.clear();
      this.roster = [];
      this.handover = [];
      this.rosterError = null;
      this.stopRosterTimer();
    } else {
      this.handover = this.handover.filter((n) => wanted.has(n.room));
      this.startRosterTimer();
    }
    this.notify();
    await Promise.all([
      ...added.map((slug) => this.joinRoom(slug)),
      ...(duty ? [this.refreshTriage(), this.refreshRoster()] : []),
    ]);
  }

  private async joinRoom(slug: string): Promise<void> {
    const room = this.rooms.get(slug);
    if (!room) return;
    const lastSeen = room.messages.cursor();
    const ack = await this.emit<RoomJoinResult>(EVENTS.ROOM_JOIN, { room: slug });
    if (!ack.ok) {
      this.fail(ack.error);
      return;
    }
    room.joined = true;
    room.neighbourhood = ack.neighbourhood;
    room.availability = ack.availability;
    room.messages.merge(ack.messages ?? []);
    if (lastSeen !== undefined) {
      await syncFrom((after) => this.page(EVENTS.ROOM_SYNC, { room: slug }, after), room.messages, lastSeen);
    } else {
      room.messages.release(); // nothing seen before: the join's latest messages are the start
    }
    this.notify();
    await this.loadFlags(slug);
  }

  private async refreshInbox(): Promise<void> {
    const ack = await this.emit<{ conversations: Conversation[] }>(EVENTS.INBOX_LIST, {});
    if (!ack.ok) {
      this.fail(ack.error);
      return;
    }
    const seen = new Set<string>();
    for (const conversation of ack.conversations ?? []) {
      seen.add(conversation.id);
      this.noteHolder(conversation);
      this.conversations.set(conversation.id, conversation);
    }
    for (const id of [...this.conversations.keys()]) {
      if (!seen.has(id) && id !== this.selected) this.conversations.delete(id);
    }
    this.notify();
  }

  /** Fills a chat's store from its cursor (`whole`: from the start) and takes its state. */
  private async syncChat(conversationId: string, quiet: boolean, whole = false): Promise<void> {
    const store = this.chatStore(conversationId);
    const ack = await syncFrom(
      (after) => this.page(EVENTS.CHAT_SYNC, { conversation_id: conversationId }, after),
      store,
      whole ? undefined : store.cursor(),
    );
    if (ack.ok) {
      for (const hook of this.syncHooks) hook(conversationId, ack);
      if (ack.conversation) this.putConversation(ack.conversation);
      for (const handoff of ack.handoffs ?? []) this.putHandoff(conversationId, handoff);
      if (ack.report) this.putReport(ack.report);
      else this.notify();
    } else if (!quiet) {
      this.fail(ack.error);
    }
  }

  private page(event: typeof EVENTS.ROOM_SYNC | typeof EVENTS.CHAT_SYNC, base: Record<string, string>, after: string | undefined): Promise<Ack<SyncResult>> {
    return this.emit<SyncResult>(event, after ? { ...base, after } : base);
  }

  /** The server names the holder by officer_id; without it, an active chat in our inbox is ours. */
  private noteHolder(conversation: Conversation, fromInbox = true): void {
    if (conversation.officer_id != null) {
      if (conversation.officer_id === this.user.id) this.mine.add(conversation.id);
      else this.mine.delete(conversation.id);
    } else if (fromInbox && conversation.status === "active") {
      this.mine.add(conversation.id);
    }
  }

  private putConversation(conversation: Conversation): void {
    this.noteHolder(conversation, false);
    const takenByOther = conversation.status === "active" && !this.mine.has(conversation.id);
    if (takenByOther && conversation.id !== this.selected) this.conversations.delete(conversation.id);
    else this.conversations.set(conversation.id, conversation);
    if (conversation.status !== "active") this.clearTyping(conversation.id);
    this.notify();
  }

  private showTyping(conversationId: string, name: string): void {
    clearTimeout(this.typingTimers.get(conversationId));
    this.typingTimers.set(conversationId, setTimeout(() => this.clearTyping(conversationId), 8000));
    this.typing.set(conversationId, name);
    this.notify();
  }

  private clearTyping(conversationId: string): void {
    clearTimeout(this.typingTimers.get(conversationId));
    this.typingTimers.delete(conversationId);
    if (this.typing.delete(conversationId)) this.notify();
  }
}
