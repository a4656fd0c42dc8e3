import { describe, expect, it } from "vitest";
import { translator } from "../shared/staff/i18n";
import type { Report } from "../shared/protocol/types";
import { compareTriage, excerpt, formatWaiting, priorityClass, queueItems, reasonText, triageQueue, waitedMs } from "./triage";

function report(id: string, priority: string, created_at: string, extra: Partial<Report> = {}): Report {
  return {
    id, room: "umea", category: "party", happening_now: false, priority, status: "new", position: null,
    created_at, conversation_id: null, officer: null, ...extra,
  };
}

describe("triage ordering", () => {
  it("puts the highest priority first, then the oldest", () => {
    const list = [
      report("a", "P3", "2026-05-01T18:00:00Z"),
      report("b", "P1", "2026-05-01T18:05:00Z"),
      report("c", "P2", "2026-05-01T17:00:00Z"),
      report("d", "P1", "2026-05-01T18:01:00Z"),
      report("e", "P4", "2026-05-01T16:00:00Z"),
    ];
    expect([...list].sort(compareTriage).map((r) => r.id)).toEqual(["d", "b", "c", "a", "e"]);
  });

  it("compares times as times and ties by id, unknown priorities last", () => {
    const list = [
      report("z", "P2", "2026-05-01T18:00:00.500Z"),
      report("y", "P2", "2026-05-01T18:00:00Z"),
      report("x", "P2", "2026-05-01T18:00:00.000Z"),
      report("w", "urgent?", "2026-05-01T10:00:00Z"),
    ];
    expect([...list].sort(compareTriage).map((r) => r.id)).toEqual(["x", "y", "z", "w"]);
  });

  it("shows waiting reports, then those I claimed; not others' claims nor closed ones", () => {
    const me = "7";
    const list = [
      report("mine", "P1", "2026-05-01T17:00:00Z", { status: "claimed", claimed_by: { id: 7, name: "Anna" } }),
      report("theirs", "P1", "2026-05-01T17:00:00Z", { status: "claimed", claimed_by: { id: "8", name: "Bo" } }),
      report("closed", "P1", "2026-05-01T17:00:00Z", { status: "closed", claimed_by: { id: "7", name: "Anna" } }),
      report("p3", "P3", "2026-05-01T18:00:00Z"),
      report("p2", "P2", "2026-05-01T18:10:00Z"),
    ];
    expect(triageQueue(list, me).map((r) => r.id)).toEqual(["p2", "p3", "mine"]);
  });
});

describe("waiting time", () => {
  it("formats seconds, minutes and hours", () => {
    expect(formatWaiting(0)).toBe("0:00");
    expect(formatWaiting(7_000)).toBe("0:07");
    expect(formatWaiting(59_999)).toBe("0:59");
    expect(formatWaiting(60_000)).toBe("1:00");
    expect(formatWaiting(754_000)).toBe("12:34");
    expect(formatWaiting(3_723_000)).toBe("1:02:03");
    expect(formatWaiting(36_000_000)).toBe("10:00:00");
  });

  it("never shows a negative or broken time", () => {
    expect(formatWaiting(-5_000)).toBe("0:00");
    expect(formatWaiting(Number.NaN)).toBe("0:00");
  });

  it("measures from created_at", () => {
    const now = Date.parse("2026-05-01T18:01:05Z");
    expect(formatWaiting(waitedMs({ created_at: "2026-05-01T18:00:00Z" }, now))).toBe("1:05");
  });
});

describe("priority and reasons in words", () => {
  it("maps priorities to badge classes", () => {
    expect(["P1", "P2", "P3", "P4", "P9"].map(priorityClass)).toEqual(["p1", "p2", "p3", "p4", "unknown"]);
  });

  it("translates reason codes and keeps unknown ones readable", () => {
    const sv = translator("sv");
    const en = translator("en");
    expect(reasonText(sv, "category:violence")).toBe("Kategori: Hot eller våld");
    expect(reasonText(en, "happening_now")).toBe("Happening now");
    expect(reasonText(en, "risk:weapon")).toBe("Risk: weapon");
    expect(reasonText(sv, "unstaffed")).toBe("Ingen polis i tjänst när den kom in");
    expect(reasonText(en, "risk:new_thing")).toBe("Risk: new thing");
    expect(reasonText(en, "category:fire")).toBe("Category: fire");
    expect(reasonText(en, "something_else")).toBe("something_else");
  });
});

describe("excerpt", () => {
  it("collapses whitespace and cuts long texts", () => {
    expect(excerpt("  Folk\n\nbråkar   här ")).toBe("Folk bråkar här");
    expect(excerpt("a".repeat(200), 10)).toBe("aaaaaaaaa…");
    expect(excerpt("a".repeat(10), 10)).toBe("aaaaaaaaaa");
  });
});

describe("bursts in the queue", () => {
  const flood = { key: "text:abc", reason: "same_text", count: 3, likely_flood: true };
  const party = { key: "source:x", reason: "same_source", count: 2, likely_flood: false };

  it("puts a likely flood after every other waiting report, even a less urgent one", () => {
    const list = [
      report("f1", "P1", "2026-05-01T18:00:00Z", { group: flood }),
      report("real", "P2", "2026-05-01T18:05:00Z"),
      report("f2", "P1", "2026-05-01T18:01:00Z", { group: flood }),
    ];
    expect(triageQueue(list, "7").map((r) => r.id)).toEqual(["real", "f1", "f2"]);
  });

  it("folds the waiting reports of one burst into one item, led by its first", () => {
    const queue = triageQueue(
      [
        report("p1", "P3", "2026-05-01T18:00:00Z", { group: party }),
        report("alone", "P2", "2026-05-01T18:02:00Z"),
        report("p2", "P3", "2026-05-01T18:01:00Z", { group: party }),
        report("f1", "P1", "2026-05-01T18:00:00Z", { group: flood }),
        report("f2", "P1", "2026-05-01T18:00:30Z", { group: flood }),
      ],
      "7",
    );
    const items = queueItems(queue);
    expect(items.map((i) => [i.lead.id, i.rest.map((r) => r.id), i.reason, i.likelyFlood])).toEqual([
      ["alone", [], null, false],
      ["p1", ["p2"], "same_source", false],
      ["f1", ["f2"], "same_text", true],
    ]);
  });
});
