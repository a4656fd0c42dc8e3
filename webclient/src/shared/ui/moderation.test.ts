import { describe, expect, it } from "vitest";
import { translator } from "../i18n";
import { isMuted, muteNotice, mutedUntilFromError, retryAfterSeconds, sendErrorText, slowModeFromError, slowModeNotice } from "./moderation";

const sv = translator("sv");
const en = translator("en");

describe("muteNotice (Stockholm time)", () => {
  it("gives the bare time within a day, in Stockholm whatever the zone of the viewer", () => {
    // 19:40Z in summer is 21:40 in Stockholm (CEST, +2).
    const now = new Date("2026-06-12T19:30:00Z");
    expect(muteNotice("2026-06-12T19:40:00Z", "sv", now)).toBe("Du kan inte skriva i rummet förrän 21:40");
    expect(muteNotice("2026-06-12T19:40:00Z", "en", now)).toBe("You can't write in the room until 21:40");
    // 20:40Z in winter is 21:40 too (CET, +1).
    expect(muteNotice("2026-12-04T20:40:00Z", "sv", new Date("2026-12-04T20:30:00Z"))).toBe("Du kan inte skriva i rummet förrän 21:40");
    // Past midnight, still within a day: the next 00:10.
    expect(muteNotice("2026-12-04T23:10:00Z", "sv", new Date("2026-12-04T20:30:00Z"))).toBe("Du kan inte skriva i rummet förrän 00:10");
  });

  it("names the day for a pause longer than a day", () => {
    const now = new Date("2026-12-01T10:00:00Z"); // a Tuesday
    expect(muteNotice("2026-12-04T20:40:00Z", "sv", now)).toBe("Du kan inte skriva i rummet förrän fredag 21:40");
    expect(muteNotice("2026-12-04T20:40:00Z", "en", now)).toBe("You can't write in the room until Friday 21:40");
  });

  it("knows when a pause lasts", () => {
    const now = Date.parse("2026-12-04T20:30:00Z");
    expect(isMuted("2026-12-04T20:40:00Z", now)).toBe(true);
    expect(isMuted("2026-12-04T20:20:00Z", now)).toBe(false);
    expect(isMuted(null, now)).toBe(false);
    expect(isMuted("nonsense", now)).toBe(false);
  });
});

describe("room:send refusals", () => {
  const muted = { code: "blocked", message: "a moderator has paused your posting in the rooms until 2026-12-04T20:40:00Z" };
  const slow = { code: "rate_limited", message: "slow mode: one message per 30 s in this room; try again in 12 s" };
  const flood = { code: "rate_limited", message: "you are writing too fast; try again in 3 s" };

  it("reads the figures out of the server's messages", () => {
    expect(mutedUntilFromError(muted)).toBe("2026-12-04T20:40:00Z");
    expect(mutedUntilFromError({ code: "blocked", message: "that nickname could be mistaken for police" })).toBeNull();
    expect(slowModeFromError(slow)).toBe(30);
    expect(retryAfterSeconds(slow)).toBe(12);
    expect(slowModeFromError(flood)).toBeNull();
    expect(retryAfterSeconds(flood)).toBe(3);
    expect(retryAfterSeconds(muted)).toBeNull();
  });

  it("says it in the reader's language", () => {
    const now = Date.parse("2026-12-04T20:30:00Z");
    expect(sendErrorText(sv, "sv", muted, now)).toBe("Du kan inte skriva i rummet förrän 21:40");
    expect(sendErrorText(sv, "sv", slow, now)).toBe("Långsamt läge: ett meddelande per 30 s. Försök igen om 12 s.");
    expect(sendErrorText(en, "en", flood, now)).toBe("You are sending too fast. Wait a moment and try again. Try again in 3 s.");
    expect(sendErrorText(sv, "sv", { code: "blocked", message: "x" }, now)).toBe("Meddelandet stoppades av moderering.");
    expect(slowModeNotice(10, "sv")).toBe("Långsamt läge: ett meddelande per 10 s");
    const taken = { code: "conflict", message: "x", details: { nickname: "taken" } };
    expect(sendErrorText(sv, "sv", taken, now)).toBe("Någon annan i rummet skriver redan under det namnet. Byt namn och skicka igen.");
    expect(sendErrorText(sv, "sv", { code: "conflict", message: "x" }, now)).toBe("En annan polis har redan tagit den här chatten.");
  });
});
