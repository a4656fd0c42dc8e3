import { describe, expect, it } from "vitest";
import { translator } from "../shared/i18n";
import type { QaSession } from "../shared/protocol/community";
import { sessionWhen } from "./qa";

const session = (starts: string, ends: string): QaSession => ({
  id: "s", room: "ostersund", title: "Fråga polisen", description: "", starts_at: starts, ends_at: ends, status: "upcoming", hosts: [],
});

describe("sessionWhen (the Q&A banner's time, Stockholm)", () => {
  const monday = Date.parse("2026-11-16T12:00:00Z");

  it("names the weekday and time in Swedish time, capitalised, in the viewer's language", () => {
    // 18:00Z is 19:00 in Stockholm in November.
    const thursday = session("2026-11-19T18:00:00Z", "2026-11-19T19:00:00Z");
    expect(sessionWhen(thursday, translator("sv"), "sv", monday)).toBe("Torsdag 19:00");
    expect(sessionWhen(thursday, translator("en"), "en", monday)).toBe("Thursday 19:00");
    expect(sessionWhen(session("2026-11-16T18:00:00Z", "2026-11-16T19:00:00Z"), translator("sv"), "sv", monday)).toBe("I dag 19:00");
  });

  it("says live while the session runs", () => {
    const live = session("2026-11-16T11:30:00Z", "2026-11-16T13:00:00Z");
    expect(sessionWhen(live, translator("sv"), "sv", monday)).toBe("Pågår nu");
    expect(sessionWhen(live, translator("en"), "en", monday)).toBe("Live now");
  });
});
