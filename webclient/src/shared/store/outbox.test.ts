import { describe, expect, it } from "vitest";
import type { Ack, Message } from "../protocol/types";
import { MessageStore } from "./messages";
import { Outbox } from "./outbox";

type Reply = Ack<{ message: Message }>;

/** A fake server: remembers every send, answers from a script, dedupes by client_id. */
function fakeServer(script: ((payload: Record<string, unknown>) => Reply | "timeout")[]) {
  const sent: { event: string; payload: Record<string, unknown> }[] = [];
  const stored = new Map<string, Message>();
  let next = 1;
  const send = async (event: string, payload: Record<string, unknown>): Promise<Reply> => {
    sent.push({ event, payload });
    const step = script.shift();
    const outcome = step ? step(payload) : ok(payload);
    if (outcome === "timeout") return { ok: false, error: { code: "timeout", message: "" } };
    return outcome;
  };
  function ok(payload: Record<string, unknown>): Reply {
    const clientId = String(payload.client_id);
    let message = stored.get(clientId);
    if (!message) {
      message = { id: String(next++).padStart(4, "0"), client_id: clientId, room: "umea", author: { kind: "youth", name: "me" }, body: String(payload.body), created_at: "2025-05-01T18:00:00Z" };
      stored.set(clientId, message);
    }
    return { ok: true, message };
  }
  return { send, sent, stored, ok };
}

function outgoing(store: MessageStore, clientId: string, body = "hej") {
  return { clientId, event: "room:send", payload: { room: "umea", client_id: clientId, body }, store, author: { kind: "youth" as const, name: "me" } };
}

describe("Outbox", () => {
  it("replaces the sending entry by the stored message on an ok ack", async () => {
    const server = fakeServer([]);
    const store = new MessageStore();
    const outbox = new Outbox(server.send, () => true);
    await outbox.submit(outgoing(store, "c-1"));
    expect(store.entries().map((e) => [e.message.id, e.status])).toEqual([["0001", "sent"]]);
    expect(outbox.size).toBe(0);
  });

  it("keeps a timed-out message queued and resends it with the same client_id", async () => {
    let online = true;
    const server = fakeServer([(p) => (server.ok(p), "timeout")]);
    const store = new MessageStore();
    const outbox = new Outbox(server.send, () => online);
    await outbox.submit(outgoing(store, "c-1"));
    expect(store.entries()[0]?.status).toBe("sending");
    expect(outbox.size).toBe(1);

    online = false;
    await outbox.flush();
    expect(server.sent).toHaveLength(1);

    online = true;
    await outbox.flush();
    expect(server.sent.map((s) => s.payload.client_id)).toEqual(["c-1", "c-1"]);
    expect(server.stored.size).toBe(1);
    expect(store.entries().map((e) => [e.message.id, e.status])).toEqual([["0001", "sent"]]);
    expect(outbox.size).toBe(0);
  });

  it("queues while offline and flushes in order after reconnect", async () => {
    let online = false;
    const server = fakeServer([]);
    const store = new MessageStore();
    const outbox = new Outbox(server.send, () => online);
    await outbox.submit(outgoing(store, "c-1", "one"));
    await outbox.submit(outgoing(store, "c-2", "two"));
    expect(server.sent).toHaveLength(0);
    expect(store.entries().map((e) => e.status)).toEqual(["sending", "sending"]);
    online = true;
    await outbox.flush();
    expect(server.sent.map((s) => s.payload.client_id)).toEqual(["c-1", "c-2"]);
    expect(store.entries().map((e) => e.message.body)).toEqual(["one", "two"]);
  });

  it("shows an error ack as failed and retries it with the same client_id", async () => {
    const server = fakeServer([() => ({ ok: false, error: { code: "rate_limited", message: "slow" } })]);
    const store = new MessageStore();
    const outbox = new Outbox(server.send, () => true);
    await outbox.submit(outgoing(store, "c-1"));
    const failed = store.entries()[0];
    expect(failed?.status).toBe("failed");
    expect(failed?.error?.code).toBe("rate_limited");
    expect(outbox.size).toBe(0);

    await outbox.flush();
    expect(server.sent).toHaveLength(1);

    await outbox.retry("c-1");
    expect(server.sent.map((s) => s.payload)).toEqual([
      { room: "umea", client_id: "c-1", body: "hej" },
      { room: "umea", client_id: "c-1", body: "hej" },
    ]);
    expect(store.entries().map((e) => e.status)).toEqual(["sent"]);
  });

  it("lets the echo event settle a message whose ack was lost", async () => {
    const server = fakeServer([(p) => (server.ok(p), "timeout")]);
    const store = new MessageStore();
    const outbox = new Outbox(server.send, () => true);
    await outbox.submit(outgoing(store, "c-1"));
    store.upsert(server.stored.get("c-1")!);
    expect(store.entries().map((e) => e.status)).toEqual(["sent"]);
    // The queued resend after reconnect returns the same stored message: still one entry.
    await outbox.flush();
    expect(store.entries()).toHaveLength(1);
  });

  it("discards a failed message on request", async () => {
    const server = fakeServer([() => ({ ok: false, error: { code: "blocked", message: "" } })]);
    const store = new MessageStore();
    const outbox = new Outbox(server.send, () => true);
    await outbox.submit(outgoing(store, "c-1"));
    outbox.discard("c-1");
    expect(store.entries()).toHaveLength(0);
  });
});
