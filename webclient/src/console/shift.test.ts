import { describe, expect, it } from "vitest";
import type { Conversation } from "../shared/protocol/types";
import { chatsLeft } from "./shift";

const chat = (id: string, room: string): Conversation => ({ id, room, status: "active", created_at: "2026-12-07T18:00:00Z", officer: null });

describe("chatsLeft", () => {
  const held = [chat("a", "ostersund"), chat("b", "are"), chat("c", "ostersund")];

  it("is every held chat when going off duty", () => {
    expect(chatsLeft(held, null).map((c) => c.id)).toEqual(["a", "b", "c"]);
  });

  it("is the chats of the rooms a new set leaves, and nothing when none is left", () => {
    expect(chatsLeft(held, ["are"]).map((c) => c.id)).toEqual(["a", "c"]);
    expect(chatsLeft(held, ["are", "ostersund"])).toEqual([]);
  });
});
