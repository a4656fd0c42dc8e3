import { describe, expect, it } from "vitest";
import type { Entry } from "../store/messages";
import { interleave } from "./interleave";

function entry(id: string, at: string, status: Entry["status"] = "sent"): Entry {
  return {
    key: id || `pending:${at}`,
    status,
    error: null,
    message: { id, client_id: null, author: { kind: "youth", name: "x" }, body: id, created_at: at },
  };
}

const keys = (items: ReturnType<typeof interleave>) =>
  items.map((item) => (item.kind === "entry" ? item.entry.key : `[${item.insert.key}]`));

describe("interleave", () => {
  it("places inserts by time between stored messages, before pending ones", () => {
    const entries = [
      entry("1", "2026-05-01T18:00:00.000Z"),
      entry("2", "2026-05-01T18:02:00.000Z"),
      entry("", "2026-05-01T17:00:00.000Z", "sending"),
    ];
    const inserts = [
      { key: "h2", at: "2026-05-01T18:05:00.000Z" },
      { key: "h1", at: "2026-05-01T18:01:00.000Z" },
    ];
    expect(keys(interleave(entries, inserts))).toEqual(["1", "[h1]", "2", "[h2]", "pending:2026-05-01T17:00:00.000Z"]);
  });

  it("shows inserts in an empty log and keeps messages without inserts unchanged", () => {
    expect(keys(interleave([], [{ key: "h", at: "2026-05-01T18:00:00Z" }]))).toEqual(["[h]"]);
    expect(keys(interleave([entry("1", "2026-05-01T18:00:00Z")], []))).toEqual(["1"]);
  });
});
