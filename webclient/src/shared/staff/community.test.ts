import { describe, expect, it } from "vitest";
import { highlight, localInputToIso, parseUsernames, toLocalInput } from "./community";
import { catalogs } from "../i18n";
import { hasKey, translator } from "./i18n";
import { statusText, staffTranslator } from "./text";
import { staffEn } from "./text/en";
import { staffSv } from "./text/sv";

describe("highlight", () => {
  it("splits a text at the secrecy check's spans", () => {
    const text = "Ärende 5000-K123456-24, ring 070-123 45 67";
    const segs = highlight(text, [
      [29, 42, "pii.phone"],
      [7, 22, "pii.case_number"],
    ]);
    expect(segs).toEqual([
      { text: "Ärende ", flag: null },
      { text: "5000-K123456-24", flag: "pii.case_number" },
      { text: ", ring ", flag: null },
      { text: "070-123 45 67", flag: "pii.phone" },
    ]);
    expect(segs.map((s) => s.text).join("")).toBe(text);
  });

  it("counts code points as the server does, and clips overlaps and spans past the end", () => {
    const segs = highlight("🚓 ring 112", [[2, 6, "x"], [4, 8, "y"], [9, 99, "z"]]);
    expect(segs).toEqual([
      { text: "🚓 ", flag: null },
      { text: "ring", flag: "x" },
      { text: " 1", flag: "y" },
      { text: "1", flag: null },
      { text: "2", flag: "z" },
    ]);
    expect(highlight("", [])).toEqual([{ text: "", flag: null }]);
    expect(highlight("hej", null)).toEqual([{ text: "hej", flag: null }]);
  });
});

describe("Swedish local time in the schedule form", () => {
  it("reads datetime-local values as Stockholm time, summer and winter", () => {
    expect(localInputToIso("2026-11-20T19:00")).toBe("2026-11-20T18:00:00Z");
    expect(localInputToIso("2026-06-18T19:00")).toBe("2026-06-18T17:00:00Z");
    expect(localInputToIso("2026-03-29T02:30")).toBe("2026-03-29T01:30:00Z");
    expect(localInputToIso("")).toBeNull();
    expect(localInputToIso("2026-13-01T10:00")).toBeNull();
  });

  it("writes a moment as a datetime-local value in Stockholm time", () => {
    expect(toLocalInput(Date.parse("2026-11-20T18:00:00Z"))).toBe("2026-11-20T19:00");
    expect(toLocalInput(Date.parse("2026-06-18T22:30:00Z"))).toBe("2026-06-19T00:30");
    const now = Date.parse("2026-10-25T00:30:00Z");
    expect(localInputToIso(toLocalInput(now))).toBe("2026-10-25T00:30:00Z");
  });

  it("reads co-host usernames separated by commas or spaces", () => {
    expect(parseUsernames(" anna.l, erik  erik;\nsara ")).toEqual(["anna.l", "erik", "sara"]);
    expect(parseUsernames("")).toEqual([]);
  });
});

describe("staff strings", () => {
  it("have the same keys and placeholders in Swedish and English, none empty", () => {
    expect(Object.keys(staffEn).sort()).toEqual(Object.keys(staffSv).sort());
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const [key, sv] of Object.entries(staffSv)) {
      const en = staffEn[key as keyof typeof staffEn];
      expect(names(en), key).toEqual(names(sv));
      expect(sv.trim(), key).not.toBe("");
      expect(en.trim(), key).not.toBe("");
    }
  });

  it("translate with placeholders and name notice statuses", () => {
    expect(staffTranslator("en")("notices.hours", { n: 6 })).toBe("6 hours");
    expect(statusText(staffTranslator("sv"), "returned")).toBe("Tillbakaskickad");
    expect(statusText(staffTranslator("sv"), "odd")).toBe("odd");
  });

  it("are apart from the shared catalogs, and the staff pages look up both", () => {
    const shared = new Set(Object.keys(catalogs.sv));
    expect(Object.keys(staffSv).filter((key) => shared.has(key))).toEqual([]);
    expect(translator("sv")("dashboard.title")).toBe(staffSv["dashboard.title"]);
    expect(translator("en")("status.online", { n: 2 })).toBe("Police online: 2");
    expect(hasKey("transcript.title") && hasKey("welcome.act") && !hasKey("no.such")).toBe(true);
  });
});
