import type { ApiError, Author, Message } from "../protocol/types";
import { compareIds } from "./ids";
import { Observable } from "./observable";

export type EntryStatus = "sending" | "sent" | "failed";

/**
 * How long a message may still be on its way while a later one has arrived: another process
 * commits an earlier id and publishes it through Redis, or commits land out of id order. A
 * message that arrived this long before a connection dropped has no missing predecessors.
 */
export const IN_FLIGHT_MS = 2000;

/** One line in a message list: a stored message, or an optimistic one waiting for its ack. */
export interface Entry {
  /** Stable key for rendering: the message id, or "pending:<client_id>". */
  key: string;
  status: EntryStatus;
  message: Message;
  error: ApiError | null;
}

interface Pending {
  message: Message;
  status: "sending" | "failed";
  error: ApiError | null;
}

/**
 * Messages of one room or conversation, keyed by server id and ordered by it, so that a
 * resync merges without duplicates. Optimistic entries are keyed by client_id and replaced
 * by the stored message that carries the same client_id (never matched by text).
 */
export class MessageStore extends Observable {
  private byId = new Map<string, Message>();
  private pending = new Map<string, Pending>();
  private cache: Entry[] | null = null;
  /** When each stored message arrived (ms), to tell how far this store is known without gaps. */
  private arrived = new Map<string, number>();
  /** Set from a connection drop until a resync completed: the `after` of that resync. */
  private held: { cursor: string | undefined } | null = null;

  /** Inserts or replaces stored messages; returns those that were new. */
  merge(messages: readonly Message[], now: number = Date.now()): Message[] {
    const added: Message[] = [];
    for (const message of messages) {
      if (!this.byId.has(message.id)) {
        added.push(message);
        this.arrived.set(message.id, now);
      }
      this.byId.set(message.id, message);
      if (message.client_id) this.pending.delete(message.client_id);
    }
    if (messages.length > 0) this.changed();
    return added;
  }

  /** Inserts or replaces one stored message; true when it was new. */
  upsert(message: Message): boolean {
    return this.merge([message]).length > 0;
  }

  addPending(clientId: string, body: string, author: Author): void {
    this.pending.set(clientId, {
      message: { id: "", client_id: clientId, author, body, created_at: new Date().toISOString() },
      status: "sending",
      error: null,
    });
    this.changed();
  }

  markSending(clientId: string): void {
    const entry = this.pending.get(clientId);
    if (!entry || entry.status === "sending") return;
    this.pending.set(clientId, { ...entry, status: "sending", error: null });
    this.changed();
  }

  markFailed(clientId: string, error: ApiError): void {
    const entry = this.pending.get(clientId);
    if (!entry) return;
    this.pending.set(clientId, { ...entry, status: "failed", error });
    this.changed();
  }

  removePending(clientId: string): void {
    if (this.pending.delete(clientId)) this.changed();
  }

  hasPending(clientId: string): boolean {
    return this.pending.has(clientId);
  }

  get(id: string): Message | undefined {
    return this.byId.get(id);
  }

  /**
   * The connection dropped: remember where the next resync must start. Messages that arrive on
   * the new connection before that resync runs must not move it past ids that were still on
   * their way when the old one went, so the cursor is the newest message that arrived at least
   * IN_FLIGHT_MS before the drop (or, when none is that old, the oldest stored one).
   */
  hold(now: number = Date.now()): void {
    if (this.held) return;
    let cursor: string | undefined;
    for (const [id, at] of this.arrived) {
      if (at <= now - IN_FLIGHT_MS && (cursor === undefined || compareIds(id, cursor) > 0)) cursor = id;
    }
    this.held = { cursor: cursor ?? this.oldestId() };
  }

  /**
   * The server lost its Redis subscription at `since` (its clock, ISO 8601) and asks for a
   * resync (`sync:needed`): events written after that may never have arrived, though the
   * connection stayed up. The cursor is the newest message written at least IN_FLIGHT_MS before
   * `since` (or, when none is that old, the oldest stored one); a drop already held keeps its own.
   */
  holdSince(since: string): void {
    if (this.held) return;
    const edge = Date.parse(since) - IN_FLIGHT_MS;
    if (Number.isNaN(edge)) {
      this.held = { cursor: this.oldestId() };
      return;
    }
    let cursor: string | undefined;
    for (const [id, message] of this.byId) {
      if (Date.parse(message.created_at) <= edge && (cursor === undefined || compareIds(id, cursor) > 0)) cursor = id;
    }
    this.held = { cursor: cursor ?? this.oldestId() };
  }

  private oldestId(): string | undefined {
    let oldest: string | undefined;
    for (const id of this.byId.keys()) if (oldest === undefined || compareIds(id, oldest) < 0) oldest = id;
    return oldest;
  }

  /** A resync from `cursor()` has completed: from now on the newest stored id is the cursor. */
  release(): void {
    this.held = null;
  }

  /** The `after` of the next sync: where a drop left it, else the newest stored id. */
  cursor(): string | undefined {
    return this.held ? this.held.cursor : this.lastId();
  }

  /** The newest stored message id. */
  lastId(): string | undefined {
    let last: string | undefined;
    for (const id of this.byId.keys()) {
      if (last === undefined || compareIds(id, last) > 0) last = id;
    }
    return last;
  }

  get size(): number {
    return this.byId.size;
  }

  /** Stored messages in id order, then pending ones in the order they were written. */
  entries(): Entry[] {
    if (this.cache) return this.cache;
    const stored = [...this.byId.values()].sort((a, b) => compareIds(a.id, b.id));
    const list: Entry[] = stored.map((message) => ({ key: message.id, status: "sent", message, error: null }));
    for (const [clientId, p] of this.pending) {
      list.push({ key: `pending:${clientId}`, status: p.status, message: p.message, error: p.error });
    }
    this.cache = list;
    return list;
  }

  clear(): void {
    this.byId.clear();
    this.arrived.clear();
    this.held = null;
    this.pending.clear();
    this.changed();
  }

  private changed(): void {
    this.cache = null;
    this.notify();
  }
}
