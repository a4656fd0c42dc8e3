import { describe, expect, it } from "vitest";
import { translator } from "../shared/i18n";
import { keptText, retentionFrom } from "./retention";

describe("how long chats are kept", () => {
  it("states the deployment's figures from the session, in both languages", () => {
    const retention = retentionFrom({ chat: 14, longest: 400 });
    expect(retention).toEqual({ chat: 14, longest: 400 });
    expect(keptText(translator("sv"), retention)).toContain("sparas i 14 dagar");
    expect(keptText(translator("sv"), retention)).toContain("som mest i 400 dagar");
    expect(keptText(translator("en"), retention)).toContain("kept for 14 days");
    expect(keptText(translator("en"), retention)).toContain("at most 400 days");
  });

  it("says nothing until the server has said it, and takes nothing but whole days", () => {
    expect(keptText(translator("sv"), null)).toBeNull();
    for (const bad of [undefined, null, 30, {}, { chat: 30 }, { chat: "30", longest: 365 }, { chat: 0, longest: 365 }, { chat: 1.5, longest: 365 }]) {
      expect(retentionFrom(bad), JSON.stringify(bad)).toBeNull();
    }
  });
});
