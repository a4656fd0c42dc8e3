import { describe, expect, it } from "vitest";
import { formatTime } from "./time";

describe("formatTime (message times, Stockholm time in the viewer's language)", () => {
  it("shows Swedish wall time in winter and in summer, whatever the device's zone", () => {
    expect(formatTime("2026-12-01T12:05:00Z", "sv", new Date("2026-12-01T15:00:00Z"))).toBe("13:05");
    expect(formatTime("2026-07-01T12:05:00Z", "en", new Date("2026-07-01T15:00:00Z"))).toBe("14:05");
  });

  it("decides 'today' by the Stockholm calendar and dates other days", () => {
    // 23:30 UTC on 28 March is 00:30 on the 29th in Stockholm, while UTC is still on the 28th.
    expect(formatTime("2026-03-28T23:30:00Z", "sv", new Date("2026-03-29T08:00:00Z"))).toBe("00:30");
    expect(formatTime("2026-03-28T23:30:00Z", "sv", new Date("2026-03-30T08:00:00Z"))).toBe("29 mars 00:30");
    expect(formatTime("2026-03-28T23:30:00Z", "en", new Date("2026-03-30T08:00:00Z"))).toBe("29 Mar, 00:30");
  });

  it("gives an empty string for nothing or garbage", () => {
    expect(formatTime(null, "sv")).toBe("");
    expect(formatTime("nonsense", "sv")).toBe("");
  });
});
