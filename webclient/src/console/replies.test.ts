import { describe, expect, it } from "vitest";
import type { SavedReply } from "../shared/protocol/types";
import { filterReplies } from "./replies";

const reply = (id: string, title: string, body: string, lang = "sv"): SavedReply => ({ id, region: "Mitt", title, body, lang, updated_at: "" });

describe("filterReplies", () => {
  const all = [reply("1", "Var är du?", "Kan du säga var du är?"), reply("2", "Spara bevis", "Radera inget."), reply("3", "Welcome", "Hi!", "en")];

  it("keeps every reply for an empty filter", () => {
    expect(filterReplies(all, "  ").map((r) => r.id)).toEqual(["1", "2", "3"]);
  });

  it("matches every word in the title, the text or the language, ignoring case", () => {
    expect(filterReplies(all, "BEVIS").map((r) => r.id)).toEqual(["2"]);
    expect(filterReplies(all, "var du").map((r) => r.id)).toEqual(["1"]);
    expect(filterReplies(all, "en").map((r) => r.id)).toEqual(["3"]);
    expect(filterReplies(all, "bevis welcome")).toEqual([]);
  });
});
