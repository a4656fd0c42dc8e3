import type { Ack, ApiError, Author, Message } from "../protocol/types";
import type { MessageStore } from "./messages";

/** Sends one event and resolves with its ack (or a local timeout / disconnected error). */
export type Sender = (event: string, payload: Record<string, unknown>) => Promise<Ack<{ message: Message }>>;

export interface OutgoingMessage {
  clientId: string;
  event: string;
  /** The full payload, client_id included; resent unchanged. */
  payload: Record<string, unknown> & { client_id: string; body: string };
  store: MessageStore;
  author: Author;
}

interface Item extends OutgoingMessage {
  attempt: number;
}

/** Errors after which the message stays queued and is resent with the same client_id. */
const TRANSIENT = new Set(["timeout", "disconnected", "network"]);

/**
 * Messages written but not yet acknowledged. Each keeps its client_id for life: a resend
 * after a timeout or a reconnect carries the same one, so the server returns the stored
 * message instead of storing a duplicate.
 */
export class Outbox {
  private queued = new Map<string, Item>();
  private failed = new Map<string, Item>();

  constructor(
    private readonly send: Sender,
    private readonly isOnline: () => boolean,
  ) {}

  /** Shows the message as "sending" and sends it now if connected (else at the next flush). */
  submit(message: OutgoingMessage): Promise<void> {
    const item: Item = { ...message, attempt: 0 };
    message.store.addPending(message.clientId, message.payload.body, message.author);
    this.queued.set(item.clientId, item);
    return this.isOnline() ? this.attempt(item) : Promise.resolve();
  }

  /** Puts a failed message back in the queue, same client_id, and sends it if connected. */
  retry(clientId: string): Promise<void> {
    const item = this.failed.get(clientId);
    if (!item) return Promise.resolve();
    this.failed.delete(clientId);
    this.queued.set(clientId, item);
    item.store.markSending(clientId);
    return this.isOnline() ? this.attempt(item) : Promise.resolve();
  }

  /** Drops a failed message for good. */
  discard(clientId: string): void {
    const item = this.failed.get(clientId);
    if (!item) return;
    this.failed.delete(clientId);
    item.store.removePending(clientId);
  }

  /** Resends everything still queued, oldest first; called after each (re)connect and resync. */
  async flush(): Promise<void> {
    for (const item of [...this.queued.values()]) {
      if (!this.isOnline()) return;
      if (this.queued.get(item.clientId) !== item) continue;
      await this.attempt(item);
    }
  }

  get size(): number {
    return this.queued.size;
  }

  private async attempt(item: Item): Promise<void> {
    item.attempt += 1;
    const attempt = item.attempt;
    const ack = await this.send(item.event, item.payload);
    if (ack.ok) {
      this.queued.delete(item.clientId);
      this.failed.delete(item.clientId);
      if (ack.message) item.store.upsert(ack.message);
      else item.store.removePending(item.clientId);
      return;
    }
    // A later attempt with the same client_id owns the outcome now.
    if (attempt !== item.attempt || this.queued.get(item.clientId) !== item) return;
    if (TRANSIENT.has(ack.error.code)) return;
    this.fail(item, ack.error);
  }

  private fail(item: Item, error: ApiError): void {
    this.queued.delete(item.clientId);
    this.failed.set(item.clientId, item);
    item.store.markFailed(item.clientId, error);
  }
}
