import { describe, expect, it } from "vitest";
import type { Message } from "../protocol/types";
import { MessageStore } from "../store/messages";
import { syncFrom } from "./sync";

const all: Message[] = Array.from({ length: 250 }, (_, i) => ({
  id: String(i + 1).padStart(6, "0"),
  client_id: null,
  room: "umea",
  author: { kind: "youth", name: "x" },
  body: `m${i + 1}`,
  created_at: "2025-05-01T18:00:00Z",
}));

describe("syncFrom", () => {
  it("pages from the last seen id until more is false, without duplicates", async () => {
    const store = new MessageStore();
    store.merge(all.slice(0, 30));
    const afters: (string | undefined)[] = [];
    const ack = await syncFrom(async (after) => {
      afters.push(after);
      const rest = all.filter((m) => after === undefined || m.id > after);
      return { ok: true, messages: rest.slice(0, 100), more: rest.length > 100 };
    }, store, store.lastId());
    expect(ack.ok).toBe(true);
    expect(afters).toEqual(["000030", "000130", "000230"]);
    expect(store.size).toBe(250);
    expect(store.lastId()).toBe("000250");
  });

  it("releases the cursor held since a drop only once the sync has reached the end", async () => {
    const store = new MessageStore();
    store.merge(all.slice(0, 30), 0);
    store.hold(10_000);
    store.upsert(all[200]!); // arrived live on the new connection
    const failing = await syncFrom(async (after) => {
      if (after === "000030") return { ok: true, messages: all.slice(30, 130), more: true };
      return { ok: false, error: { code: "timeout", message: "" } };
    }, store, store.cursor());
    expect(failing.ok).toBe(false);
    expect(store.cursor()).toBe("000030");
    await syncFrom(async (after) => {
      const rest = all.filter((m) => after === undefined || m.id > after);
      return { ok: true, messages: rest.slice(0, 100), more: rest.length > 100 };
    }, store, store.cursor());
    expect(store.size).toBe(250);
    expect(store.cursor()).toBe("000250");
  });

  it("stops on an error ack", async () => {
    const store = new MessageStore();
    const ack = await syncFrom(async () => ({ ok: false, error: { code: "forbidden", message: "" } }), store, undefined);
    expect(ack.ok).toBe(false);
  });
});
