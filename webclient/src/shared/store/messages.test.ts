import { describe, expect, it } from "vitest";
import type { Message } from "../protocol/types";
import { compareIds } from "./ids";
import { MessageStore } from "./messages";

function msg(id: string, clientId: string | null = null, body = `body ${id}`): Message {
  return { id, client_id: clientId, room: "umea", author: { kind: "youth", name: "Blå räv" }, body, created_at: "2025-05-01T18:00:00Z" };
}

/** A message written at `createdAt` (the server's clock). */
const at = (id: string, createdAt: string): Message => ({ ...msg(id), created_at: createdAt });

const ids = (store: MessageStore) => store.entries().map((e) => e.message.id);

describe("MessageStore", () => {
  it("upserts by id: a second copy replaces the first", () => {
    const store = new MessageStore();
    expect(store.upsert(msg("0001"))).toBe(true);
    expect(store.upsert({ ...msg("0001"), body: "edited" })).toBe(false);
    expect(store.entries()).toHaveLength(1);
    expect(store.entries()[0]?.message.body).toBe("edited");
  });

  it("orders by id, whatever the arrival order", () => {
    const store = new MessageStore();
    store.merge([msg("0003"), msg("0001")]);
    store.upsert(msg("0002"));
    expect(ids(store)).toEqual(["0001", "0002", "0003"]);
    expect(store.lastId()).toBe("0003");
  });

  it("orders unpadded numeric ids numerically", () => {
    expect(["10", "9", "100", "11"].sort(compareIds)).toEqual(["9", "10", "11", "100"]);
    const store = new MessageStore();
    store.merge([msg("10"), msg("9")]);
    expect(store.lastId()).toBe("10");
  });

  it("replaces a pending entry by the echo with the same client_id, not by text", () => {
    const store = new MessageStore();
    store.addPending("c-1", "hej", { kind: "youth", name: "me" });
    store.addPending("c-2", "hej", { kind: "youth", name: "me" });
    expect(store.entries().map((e) => e.status)).toEqual(["sending", "sending"]);

    // Same text, other client_id: must not swallow either pending entry.
    store.upsert(msg("0005", "someone-else", "hej"));
    expect(store.entries().filter((e) => e.status === "sending")).toHaveLength(2);

    store.upsert(msg("0006", "c-2", "hej"));
    const entries = store.entries();
    expect(entries.map((e) => [e.message.id, e.status])).toEqual([
      ["0005", "sent"],
      ["0006", "sent"],
      ["", "sending"],
    ]);
    expect(entries[2]?.message.client_id).toBe("c-1");
  });

  it("keeps pending entries after stored ones and marks failures", () => {
    const store = new MessageStore();
    store.addPending("c-1", "first", { kind: "youth", name: "me" });
    store.upsert(msg("0001"));
    store.markFailed("c-1", { code: "rate_limited", message: "slow down" });
    const last = store.entries().at(-1);
    expect(last?.status).toBe("failed");
    expect(last?.error?.code).toBe("rate_limited");
    store.markSending("c-1");
    expect(store.entries().at(-1)?.status).toBe("sending");
  });

  it("merges a resync that overlaps what it has without duplicates", () => {
    const store = new MessageStore();
    store.merge([msg("0001"), msg("0002"), msg("0003")]);
    store.addPending("c-9", "while offline", { kind: "youth", name: "me" });
    const added = store.merge([msg("0002"), msg("0003"), msg("0004"), msg("0005", "c-9", "while offline")]);
    expect(added.map((m) => m.id)).toEqual(["0004", "0005"]);
    expect(ids(store)).toEqual(["0001", "0002", "0003", "0004", "0005"]);
    expect(store.entries().every((e) => e.status === "sent")).toBe(true);
  });

  it("notifies subscribers and returns a stable snapshot between changes", () => {
    const store = new MessageStore();
    let calls = 0;
    const off = store.subscribe(() => (calls += 1));
    store.upsert(msg("0001"));
    const a = store.entries();
    expect(store.entries()).toBe(a);
    store.upsert(msg("0002"));
    expect(store.entries()).not.toBe(a);
    off();
    store.upsert(msg("0003"));
    expect(calls).toBe(2);
  });

  describe("the resync cursor across a connection drop", () => {
    it("is the newest id while connected", () => {
      const store = new MessageStore();
      store.merge([msg("0001"), msg("0002")], 1_000);
      expect(store.cursor()).toBe("0002");
    });

    it("does not move past a gap when messages arrive on the new connection before the resync", () => {
      const store = new MessageStore();
      store.merge([msg("0001"), msg("0002")], 1_000);
      store.hold(10_000);
      // 0003..0005 were written while the connection was down; 0006 arrives live first.
      store.upsert(msg("0006"));
      expect(store.lastId()).toBe("0006");
      expect(store.cursor()).toBe("0002");
      store.hold(20_000); // a second drop before the resync ran keeps the first cursor
      expect(store.cursor()).toBe("0002");
      store.release();
      expect(store.cursor()).toBe("0006");
    });

    it("starts before messages that arrived just before the drop: an earlier one may still have been on its way", () => {
      const store = new MessageStore();
      store.merge([msg("0001")], 1_000);
      store.merge([msg("0003")], 9_500); // 0002 was committed first but not delivered yet
      store.hold(10_000);
      expect(store.cursor()).toBe("0001");
    });

    it("falls back to the oldest stored id when every message is that recent", () => {
      const store = new MessageStore();
      store.merge([msg("0004"), msg("0007")], 9_900);
      store.hold(10_000);
      expect(store.cursor()).toBe("0004");
    });

    it("after sync:needed starts at the newest message written well before the server lost Redis", () => {
      const store = new MessageStore();
      store.merge([
        at("0001", "2026-12-07T10:00:00Z"),
        at("0002", "2026-12-07T10:00:07Z"), // written 1 s before the loss: an earlier one may be missing
        at("0005", "2026-12-07T10:00:30Z"), // the officer's own, acknowledged during the outage
      ]);
      store.holdSince("2026-12-07T10:00:08Z");
      expect(store.cursor()).toBe("0001");
      store.holdSince("2026-12-07T10:01:00Z"); // a second notice before the resync ran keeps the first
      expect(store.cursor()).toBe("0001");
      store.release();
      expect(store.cursor()).toBe("0005");
    });

    it("after sync:needed falls back to the oldest stored id when every message is newer", () => {
      const store = new MessageStore();
      store.merge([at("0004", "2026-12-07T10:00:30Z"), at("0007", "2026-12-07T10:00:40Z")]);
      store.holdSince("2026-12-07T10:00:08Z");
      expect(store.cursor()).toBe("0004");
    });

    it("is empty again after clear", () => {
      const store = new MessageStore();
      store.merge([msg("0001")], 1_000);
      store.hold(10_000);
      store.clear();
      expect(store.cursor()).toBeUndefined();
    });
  });
});
