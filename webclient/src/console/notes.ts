import { EVENTS } from "../shared/protocol/events";
import type { ApiError, StaffNote } from "../shared/protocol/types";
import { request } from "../shared/socket/request";
import { newClientId } from "../shared/store/ids";
import { Observable } from "../shared/store/observable";
import type { StaffClient } from "./controller";

/**
 * Staff-only notes on chats: from chat:sync and live chat:note, keyed by note id per chat.
 * Never shown to the young person (the server sends them to staff only).
 */
export class NotesDesk extends Observable {
  private readonly byChat = new Map<string, Map<string, StaffNote>>();
  /** The client_id of a note being written, per chat, kept until it is stored (a retry repeats it). */
  private readonly pending = new Map<string, { body: string; clientId: string }>();

  constructor(private readonly client: StaffClient) {
    super();
    client.connection.socket.on(EVENTS.CHAT_NOTE, (payload: { note: StaffNote }) => {
      if (payload?.note?.id) this.put([payload.note]);
    });
    client.syncHooks.push((_id, result) => {
      if (Array.isArray(result.notes)) this.put(result.notes);
    });
  }

  /** A chat's notes, oldest first. */
  notes(conversationId: string): StaffNote[] {
    return [...(this.byChat.get(conversationId)?.values() ?? [])].sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  /** Stores a note on the chat; null when stored, else why not. */
  async add(conversationId: string, body: string): Promise<ApiError | null> {
    const text = body.trim();
    const before = this.pending.get(conversationId);
    const clientId = before && before.body === text ? before.clientId : newClientId();
    this.pending.set(conversationId, { body: text, clientId });
    const ack = await request<{ note: StaffNote }>(this.client.connection.socket, EVENTS.CHAT_NOTE, {
      conversation_id: conversationId,
      client_id: clientId,
      body: text,
    });
    if (!ack.ok) return ack.error;
    this.pending.delete(conversationId);
    this.put([ack.note]);
    return null;
  }

  private put(notes: StaffNote[]): void {
    for (const note of notes) {
      let chat = this.byChat.get(note.conversation_id);
      if (!chat) {
        chat = new Map();
        this.byChat.set(note.conversation_id, chat);
      }
      chat.set(note.id, note);
    }
    this.notify();
  }
}
