import { EVENTS } from "../shared/protocol/events";
import type { ApiError, ChatAlert, Conversation } from "../shared/protocol/types";
import { request } from "../shared/socket/request";
import { Observable } from "../shared/store/observable";
import type { StaffClient } from "./controller";

/** What to do with one held chat at the end of a shift: back to the queue, or to a colleague. */
export interface Handover {
  to: string | null;
  note: string;
}

/** The chats of `held` in rooms that a change of duty to `rooms` (none: going off duty) leaves. */
export function chatsLeft(held: readonly Conversation[], rooms: readonly string[] | null): Conversation[] {
  return held.filter((c) => !rooms || !rooms.includes(c.room));
}

/** When duty:start was refused because a room lies in another region: the room and its region. */
export function grantNeeded(error: ApiError | null): { room: string; region: string } | null {
  const d = error?.code === "forbidden" ? error.details : undefined;
  if (d?.needs !== "duty_grant" || typeof d.room !== "string" || typeof d.region !== "string") return null;
  return { room: d.room, region: d.region };
}

/**
 * The seams of a shift: handing chats to colleagues (chat:transfer), ending a shift or leaving
 * rooms with chats open (each handed to a colleague or back to the queue first), chats given to
 * me, and alerts for chats that have waited too long (chat:alert).
 */
export class ShiftDesk extends Observable {
  readonly alerts = new Map<string, ChatAlert>();
  /** Chats a colleague gave me, by id, with their name, until I open the chat. */
  readonly given = new Map<string, string>();
  /** Called for each chat:alert (the console plays a short sound). */
  onAlert: ((alert: ChatAlert) => void) | null = null;

  constructor(private readonly client: StaffClient) {
    super();
    const socket = client.connection.socket;
    socket.on(EVENTS.CHAT_ALERT, (alert: ChatAlert) => {
      if (!alert?.conversation?.id || alert.conversation.status !== "waiting") return;
      this.alerts.set(alert.conversation.id, alert);
      this.notify();
      this.onAlert?.(alert);
    });
    const seen = (conversation: Conversation) => {
      if (conversation.status !== "waiting" && this.alerts.delete(conversation.id)) this.notify();
      const from = conversation.handed_over_from;
      const mine = conversation.officer_id === client.user.id && conversation.status === "active";
      if (mine && from && from.id !== client.user.id && !this.given.has(conversation.id) && client.selected !== conversation.id) {
        this.given.set(conversation.id, from.name);
        this.notify();
      }
    };
    socket.on(EVENTS.CHAT_UPDATED, seen);
    socket.on(EVENTS.INBOX_UPDATED, (p: { conversation: Conversation }) => {
      if (p?.conversation) seen(p.conversation);
    });
  }

  /** Gives an active chat I hold to a colleague on duty for its room; null when done. */
  async transfer(conversationId: string, to: string, note: string): Promise<ApiError | null> {
    const text = note.trim();
    const ack = await request<{ conversation: Conversation }>(this.client.connection.socket, EVENTS.CHAT_TRANSFER, {
      conversation_id: conversationId,
      to,
      ...(text ? { note: text } : {}),
    });
    return ack.ok ? null : ack.error;
  }

  /**
   * Hands each chat as planned (colleague or queue), then changes duty to `rooms` (null: off
   * duty). The server puts every chat still held in a room left back in the queue itself, in
   * the same transaction as the duty change. Stops at the first refused transfer.
   */
  async endShift(plan: Map<string, Handover>, rooms: string[] | null, until?: string | null): Promise<ApiError | null> {
    for (const [conversationId, handover] of plan) {
      if (!handover.to) continue;
      const error = await this.transfer(conversationId, handover.to, handover.note);
      if (error) return error;
    }
    const ok = rooms ? await this.client.startDuty(rooms, until) : await this.client.endDuty();
    return ok ? null : this.client.dutyError;
  }

  dismissAlert(conversationId: string): void {
    if (this.alerts.delete(conversationId)) this.notify();
  }

  seenGiven(conversationId: string): void {
    if (this.given.delete(conversationId)) this.notify();
  }
}
