import { describe, expect, it } from "vitest";
import type { Conversation } from "../shared/protocol/types";
import { chatsLeft, grantNeeded } from "./shift";

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

describe("grantNeeded", () => {
  it("names the room and region of a duty refused for want of a grant", () => {
    const error = { code: "forbidden", message: "x", details: { room: "umea", region: "Nord", needs: "duty_grant" } };
    expect(grantNeeded(error)).toEqual({ room: "umea", region: "Nord" });
  });

  it("is null for any other refusal", () => {
    expect(grantNeeded(null)).toBeNull();
    expect(grantNeeded({ code: "forbidden", message: "only officers and supervisors patrol" })).toBeNull();
    expect(grantNeeded({ code: "invalid", message: "x", details: { room: "umea", region: "Nord", needs: "duty_grant" } })).toBeNull();
  });
});
