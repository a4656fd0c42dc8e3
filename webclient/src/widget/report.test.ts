import { describe, expect, it } from "vitest";
import { emptyDraft, reportInput, reportStatus, validateReport, type ReportDraft } from "./report";

const valid: ReportDraft = { category: "party", happeningNow: true, location: "  Parken vid skolan ", body: "  Folk bråkar  " };

describe("report form validation", () => {
  it("asks for category, happening-now and what happened on an empty form", () => {
    expect(validateReport(emptyDraft())).toEqual({
      category: { key: "report.error.category" },
      happening_now: { key: "report.error.happeningNow" },
      body: { key: "report.error.bodyEmpty" },
    });
  });

  it("accepts a complete form, with or without a location", () => {
    expect(validateReport(valid)).toEqual({});
    expect(validateReport({ ...valid, location: "" })).toEqual({});
    expect(validateReport({ ...valid, happeningNow: false })).toEqual({});
  });

  it("rejects an unknown category", () => {
    expect(validateReport({ ...valid, category: "fire" as ReportDraft["category"] }).category?.key).toBe("report.error.category");
  });

  it("treats whitespace and invisible characters as an empty description", () => {
    expect(validateReport({ ...valid, body: "   \n\t " }).body?.key).toBe("report.error.bodyEmpty");
    expect(validateReport({ ...valid, body: "\u200b\u200b" }).body?.key).toBe("report.error.bodyEmpty");
    expect(validateReport({ ...valid, body: "!" })).toEqual({});
  });

  it("limits the description to 2,000 and the location to 200 characters (code points)", () => {
    expect(validateReport({ ...valid, body: "a".repeat(2000) })).toEqual({});
    expect(validateReport({ ...valid, body: "a".repeat(2001) }).body).toEqual({ key: "report.error.tooLong", params: { max: 2000 } });
    expect(validateReport({ ...valid, body: "😀".repeat(2000) })).toEqual({});
    expect(validateReport({ ...valid, location: "x".repeat(200) })).toEqual({});
    expect(validateReport({ ...valid, location: "x".repeat(201) }).location).toEqual({ key: "report.error.tooLong", params: { max: 200 } });
  });

  it("builds the trimmed payload, without an empty location", () => {
    expect(reportInput(valid)).toEqual({ category: "party", happening_now: true, location: "Parken vid skolan", body: "Folk bråkar" });
    expect(reportInput({ ...valid, location: "   " })).toEqual({ category: "party", happening_now: true, body: "Folk bråkar" });
    expect(reportInput(emptyDraft())).toBeNull();
  });
});

describe("report status line", () => {
  const open = { open: true };
  const closed = { open: false };

  it("gives the place in the queue while officers are on duty", () => {
    expect(reportStatus({ status: "new", position: 2 }, open)).toEqual({ key: "report.status.position", params: { n: 2 } });
    expect(reportStatus({ status: "new", position: null }, open)).toEqual({ key: "report.status.queued" });
    expect(reportStatus({ status: "new", position: 1 }, null)).toEqual({ key: "report.status.position", params: { n: 1 } });
  });

  it("says plainly that nobody is on duty instead of a queue place", () => {
    expect(reportStatus({ status: "new", position: 1 }, closed)).toEqual({ key: "report.status.noOfficer" });
  });

  it("tells when an officer has it and when it is closed, whatever the staffing", () => {
    expect(reportStatus({ status: "claimed", position: null }, closed)).toEqual({ key: "report.status.claimed" });
    expect(reportStatus({ status: "closed", position: null }, open)).toEqual({ key: "report.status.closed" });
  });
});
