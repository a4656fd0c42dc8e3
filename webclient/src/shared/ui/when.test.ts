import { describe, expect, it } from "vitest";
import {
  formatClock,
  formatDate,
  formatSpan,
  formatUntil,
  formatWhen,
  parseHhmm,
  stockholmToUtc,
  stockholmToday,
  untilToIso,
  weekdayName,
} from "./when";

const at = (iso: string) => new Date(iso);

describe("formatWhen (next window, Stockholm time)", () => {
  it("names the weekday within six days, across the end of summer time", () => {
    const tuesday = at("2026-10-20T10:00:00Z");
    // 16:00Z on 23 October is 18:00 summer time (CEST, +2).
    expect(formatWhen("2026-10-23T16:00:00Z", "sv", tuesday)).toBe("fredag 18:00");
    expect(formatWhen("2026-10-23T16:00:00Z", "en", tuesday)).toBe("Friday 18:00");
    // 17:00Z on 30 October is 18:00 winter time (CET, +1): the clocks went back on the 25th.
    const wednesday = at("2026-10-28T10:00:00Z");
    expect(formatWhen("2026-10-30T17:00:00Z", "sv", wednesday)).toBe("fredag 18:00");
    expect(formatWhen("2026-10-30T17:00:00Z", "en", wednesday)).toBe("Friday 18:00");
    // Six days ahead, with the change of time in between.
    expect(formatWhen("2026-10-30T17:00:00Z", "sv", at("2026-10-24T10:00:00Z"))).toBe("fredag 18:00");
  });

  it("includes the date more than six days ahead", () => {
    expect(formatWhen("2026-10-30T17:00:00Z", "sv", at("2026-10-20T10:00:00Z"))).toBe("fredag 30 oktober 18:00");
    expect(formatWhen("2026-10-30T17:00:00Z", "en", at("2026-10-20T10:00:00Z"))).toBe("Friday 30 October 18:00");
    // Exactly seven days.
    expect(formatWhen("2026-10-30T17:00:00Z", "sv", at("2026-10-23T10:00:00Z"))).toBe("fredag 30 oktober 18:00");
    // Valborg, in summer time.
    expect(formatWhen("2026-04-30T16:00:00Z", "sv", at("2026-04-20T10:00:00Z"))).toBe("torsdag 30 april 18:00");
    expect(formatWhen("2026-04-30T16:00:00Z", "en", at("2026-04-20T10:00:00Z"))).toBe("Thursday 30 April 18:00");
  });

  it("says today and tomorrow by the Stockholm calendar, not UTC's", () => {
    expect(formatWhen("2026-10-23T16:00:00Z", "sv", at("2026-10-23T08:00:00Z"))).toBe("i dag 18:00");
    expect(formatWhen("2026-10-23T16:00:00Z", "en", at("2026-10-23T08:00:00Z"))).toBe("today 18:00");
    // 23:30 on Thursday in Stockholm.
    expect(formatWhen("2026-10-23T16:00:00Z", "sv", at("2026-10-22T21:30:00Z"))).toBe("i morgon 18:00");
    expect(formatWhen("2026-10-23T16:00:00Z", "en", at("2026-10-22T21:30:00Z"))).toBe("tomorrow 18:00");
    // 00:30 on Friday in Stockholm, still Thursday in UTC.
    expect(formatWhen("2026-10-23T16:00:00Z", "sv", at("2026-10-22T22:30:00Z"))).toBe("i dag 18:00");
    // Spring: 17:00Z on Friday 27 March is 18:00 CET; 16:00Z on 3 April is 18:00 CEST.
    expect(formatWhen("2026-03-27T17:00:00Z", "sv", at("2026-03-26T12:00:00Z"))).toBe("i morgon 18:00");
    expect(formatWhen("2026-04-03T16:00:00Z", "sv", at("2026-03-30T12:00:00Z"))).toBe("fredag 18:00");
  });

  it("gives an empty string for nothing or garbage", () => {
    expect(formatWhen(null, "sv")).toBe("");
    expect(formatWhen("not a date", "sv")).toBe("");
  });
});

describe("formatUntil and formatClock", () => {
  it("shows only the time within 24 hours, midnight as 00:00", () => {
    const now = at("2026-10-23T17:00:00Z");
    expect(formatUntil("2026-10-24T00:00:00Z", "sv", now)).toBe("02:00");
    expect(formatUntil("2026-10-23T22:00:00Z", "en", now)).toBe("00:00");
    expect(formatClock("2026-10-25T01:00:00Z", "sv")).toBe("02:00");
    expect(formatUntil("2026-11-06T23:00:00Z", "sv", now)).toBe("lördag 7 november 00:00");
  });
});

describe("untilToIso (a shift's end typed as HH:MM, Swedish time)", () => {
  it("takes today when the time is still ahead, otherwise tomorrow", () => {
    const evening = at("2026-10-23T17:00:00Z"); // 19:00 CEST
    expect(untilToIso("20:30", evening)).toBe("2026-10-23T18:30:00Z");
    expect(untilToIso("02:00", evening)).toBe("2026-10-24T00:00:00Z");
    expect(untilToIso("19:00", evening)).toBe("2026-10-24T17:00:00Z");
    expect(untilToIso("18:00", at("2026-11-02T12:00:00Z"))).toBe("2026-11-02T17:00:00Z");
  });

  it("uses the Stockholm date, not UTC's", () => {
    // 01:00 on Saturday in Stockholm, still Friday in UTC: 03:00 is the same night.
    expect(untilToIso("03:00", at("2026-10-23T23:00:00Z"))).toBe("2026-10-24T01:00:00Z");
  });

  it("handles the nights the clocks change", () => {
    const saturday = at("2026-10-24T20:00:00Z"); // 22:00 CEST, the clocks go back at 03:00
    expect(untilToIso("04:00", saturday)).toBe("2026-10-25T03:00:00Z");
    expect(untilToIso("01:00", saturday)).toBe("2026-10-24T23:00:00Z");
    // 02:30 happens twice that night: the first one.
    expect(untilToIso("02:30", saturday)).toBe("2026-10-25T00:30:00Z");
    // 02:30 does not exist on 29 March: an hour later, 03:30 CEST.
    expect(untilToIso("02:30", at("2026-03-28T20:00:00Z"))).toBe("2026-03-29T01:30:00Z");
    expect(untilToIso("04:00", at("2026-03-28T20:00:00Z"))).toBe("2026-03-29T02:00:00Z");
  });

  it("refuses malformed times", () => {
    expect(untilToIso("25:00")).toBeNull();
    expect(untilToIso("7")).toBeNull();
    expect(untilToIso("")).toBeNull();
    expect(parseHhmm("7:05")).toBe(425);
  });

  it("converts wall times around the year", () => {
    expect(new Date(stockholmToUtc(2026, 1, 15, 12, 0)).toISOString()).toBe("2026-01-15T11:00:00.000Z");
    expect(new Date(stockholmToUtc(2026, 7, 15, 12, 0)).toISOString()).toBe("2026-07-15T10:00:00.000Z");
    expect(stockholmToday(at("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
  });
});

describe("schedule texts", () => {
  it("formats openings, dates and weekdays", () => {
    expect(formatSpan("2026-05-01T16:00:00Z", "2026-05-02T00:00:00Z", "sv")).toBe("fredag 1 maj 18:00–02:00");
    expect(formatSpan("2026-10-24T16:00:00Z", "2026-10-25T01:00:00Z", "en")).toBe("Saturday 24 October 18:00–02:00");
    expect(formatSpan("2026-04-26T22:00:00Z", "2026-05-10T22:00:00Z", "sv")).toBe(
      "måndag 27 april 00:00 – måndag 11 maj 00:00",
    );
    expect(formatDate("2026-12-24", "sv")).toBe("torsdag 24 december 2026");
    expect(formatDate("2026-12-24", "en")).toBe("Thursday 24 December 2026");
    expect(weekdayName("fri", "sv")).toBe("fredag");
    expect(weekdayName("sun", "en")).toBe("Sunday");
  });
});
