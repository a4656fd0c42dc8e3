import { describe, expect, it } from "vitest";
import { translator } from "../shared/staff/i18n";
import { auditCsvUrl, exportUrl, toQuery, transcriptPath } from "../shared/http/api";
import type { Message, TranscriptEvent } from "../shared/protocol/types";
import {
  actorText,
  auditFilters,
  buildTimeline,
  detailText,
  EMPTY_AUDIT,
  EMPTY_SEARCH,
  eventText,
  readReason,
  reasonLabel,
  searchFilters,
} from "./transcript";

const sv = translator("sv");
const en = translator("en");

function message(id: string, at: string, kind: "youth" | "officer" = "youth"): Message {
  return { id, client_id: null, author: { kind, name: kind }, body: `m${id}`, created_at: at };
}

function event(action: string, at: string, detail: Record<string, unknown> = {}, actor: TranscriptEvent["actor"] = { kind: "staff", id: "7" }): TranscriptEvent {
  return { at, action, actor, detail };
}

const order = (items: ReturnType<typeof buildTimeline>) =>
  items.map((item) => (item.kind === "message" ? item.message.id : item.kind === "event" ? `[${item.event.action}]` : `(${item.note.id})`));

describe("reason → query string", () => {
  it("takes a reason code as it is", () => {
    expect(readReason("complaint", "")).toEqual({ ok: true, reason: "complaint" });
    expect(readReason("quality_review", "ignored free text")).toEqual({ ok: true, reason: "quality_review" });
    expect(transcriptPath("abc123", "complaint")).toBe("/api/transcripts/abc123?reason=complaint");
  });

  it("needs a choice, and a few words of one's own for 'other'", () => {
    expect(readReason("", "")).toEqual({ ok: false, problem: "choose" });
    expect(readReason("made_up", "")).toEqual({ ok: false, problem: "choose" });
    expect(readReason("other", "  ab  ")).toEqual({ ok: false, problem: "short" });
    expect(readReason("other", "x".repeat(501))).toEqual({ ok: false, problem: "long" });
    expect(readReason("other", "  Ärende   K-2026/114 \n")).toEqual({ ok: true, reason: "Ärende K-2026/114" });
  });

  it("encodes free text and adds unmask only when asked", () => {
    const check = readReason("other", "Begäran från åklagare & co");
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(transcriptPath("c1", check.reason)).toBe("/api/transcripts/c1?reason=Beg%C3%A4ran+fr%C3%A5n+%C3%A5klagare+%26+co");
    expect(transcriptPath("c1", "legal_request", true)).toBe("/api/transcripts/c1?reason=legal_request&unmask=true");
    expect(new URL(transcriptPath("c1", check.reason), "http://x").searchParams.get("reason")).toBe("Begäran från åklagare & co");
  });

  it("builds the export links with the same reason", () => {
    expect(exportUrl("c1", "json", "complaint")).toBe("/api/transcripts/c1/export.json?reason=complaint");
    expect(exportUrl("c/1", "pdf", "incident_followup")).toBe("/api/transcripts/c%2F1/export.pdf?reason=incident_followup");
  });

  it("names reasons in words, free text as written", () => {
    expect(reasonLabel(sv, "legal_request")).toBe("Rättslig begäran");
    expect(reasonLabel(en, "incident_followup")).toBe("Incident follow-up");
    expect(reasonLabel(sv, "Ärende K-1")).toBe("Ärende K-1");
  });
});

describe("search filters", () => {
  it("sends only the fields with a value", () => {
    const check = searchFilters({ ...EMPTY_SEARCH, room: "ostersund", priority: "P1", reviewed: "false", officer: " 12 " });
    expect(check).toEqual({ ok: true, filters: { room: "ostersund", officer: "12", priority: "P1", reviewed: "false" } });
    if (check.ok) expect(toQuery(check.filters)).toBe("?room=ostersund&officer=12&priority=P1&reviewed=false");
    expect(searchFilters(EMPTY_SEARCH)).toEqual({ ok: true, filters: {} });
    expect(toQuery({})).toBe("");
  });

  it("pages on with before and refuses a bad officer id or dates", () => {
    expect(searchFilters({ ...EMPTY_SEARCH, flag: "pii." }, "abc")).toEqual({ ok: true, filters: { flag: "pii.", before: "abc" } });
    expect(searchFilters({ ...EMPTY_SEARCH, officer: "anna" })).toEqual({ ok: false, problem: "officer" });
    expect(searchFilters({ ...EMPTY_SEARCH, from: "2026-05-02", to: "2026-05-01" })).toEqual({ ok: false, problem: "dates" });
    expect(searchFilters({ ...EMPTY_SEARCH, from: "2/5/2026" })).toEqual({ ok: false, problem: "dates" });
  });

  it("does the same for the audit log and its CSV link", () => {
    const check = auditFilters({ ...EMPTY_AUDIT, action: " transcript. ", from: "2026-05-01" });
    expect(check).toEqual({ ok: true, filters: { action: "transcript.", from: "2026-05-01" } });
    if (check.ok) expect(auditCsvUrl(check.filters)).toBe("/api/audit.csv?action=transcript.&from=2026-05-01");
    expect(auditCsvUrl({})).toBe("/api/audit.csv");
    expect(auditFilters({ ...EMPTY_AUDIT, from: "2026-05-03", to: "2026-05-01" })).toEqual({ ok: false, problem: "dates" });
  });
});

describe("buildTimeline", () => {
  it("interleaves officer actions with the messages by time, actions first at the same instant", () => {
    const messages = [
      message("0000000000000003", "2026-05-01T18:02:00.000Z", "officer"),
      message("0000000000000001", "2026-05-01T18:00:00.000Z"),
      message("0000000000000004", "2026-05-01T18:05:00.000Z"),
    ];
    const events = [
      event("chat.close", "2026-05-01T18:10:00.000Z"),
      event("chat.open", "2026-05-01T18:00:00.000Z", {}, { kind: "youth", id: "y1" }),
      event("chat.take", "2026-05-01T18:01:00.000Z"),
      event("handoff.give", "2026-05-01T18:03:00.000Z", { kind: "112" }),
    ];
    expect(order(buildTimeline(messages, events))).toEqual([
      "[chat.open]",
      "0000000000000001",
      "[chat.take]",
      "0000000000000003",
      "[handoff.give]",
      "0000000000000004",
      "[chat.close]",
    ]);
  });

  it("keeps messages in id order even when their clocks disagree, and copes with nothing", () => {
    const messages = [message("0000000000000010", "2026-05-01T18:00:05.000Z"), message("0000000000000009", "2026-05-01T18:00:09.000Z")];
    expect(order(buildTimeline(messages, []))).toEqual(["0000000000000009", "0000000000000010"]);
    expect(order(buildTimeline([], [event("report.submit", "2026-05-01T17:59:00Z")]))).toEqual(["[report.submit]"]);
    expect(buildTimeline([], [])).toEqual([]);
  });

  it("places staff notes among the messages by time, after an action of the same instant", () => {
    const note = (id: string, at: string) => ({ id, conversation_id: "c", client_id: id, author: { id: "7", name: "Anna" }, body: "…", created_at: at });
    const messages = [message("0000000000000001", "2026-05-01T18:00:00Z"), message("0000000000000002", "2026-05-01T18:05:00Z")];
    const events = [event("chat.transfer", "2026-05-01T18:02:00Z")];
    const notes = [note("9", "2026-05-01T18:02:00Z"), note("8", "2026-05-01T18:06:00Z")];
    expect(order(buildTimeline(messages, events, notes))).toEqual(["0000000000000001", "[chat.transfer]", "(9)", "0000000000000002", "(8)"]);
  });
});

describe("event and actor texts", () => {
  it("says what was done in words, with codes translated", () => {
    expect(eventText(sv, event("handoff.give", "x", { kind: "112", handoff: "h1" }))).toBe("Skickade kortet: 112-kort");
    expect(eventText(sv, event("report.close", "x", { outcome: "handoff_11414" }))).toBe("Avslutade rapporten: Hänvisad till 114 14");
    expect(eventText(en, event("report.submit", "x", { priority: "P1", category: "violence" }))).toBe("Sent a report (P1, Threat or violence)");
    expect(eventText(sv, event("retention.hold", "x", { reason: "legal_request" }))).toBe("Satte rättsligt bevarande (Rättslig begäran)");
    expect(eventText(sv, event("moderation.mute", "x", { minutes: 60, reason: "spam" }))).toBe("Stängde av skrivandet i 60 min (spam)");
    expect(eventText(sv, event("something.new", "x"))).toBe("something.new");
  });

  it("names the actor", () => {
    const names = { "7": "Anna Lindqvist" };
    expect(actorText(sv, { kind: "staff", id: "7" }, names)).toBe("Anna Lindqvist");
    expect(actorText(sv, { kind: "staff", id: "9" }, names)).toBe("Personal #9");
    expect(actorText(sv, { kind: "youth", id: "y" }, names, "Räv-12")).toBe("Räv-12 (den unga)");
    expect(actorText(en, { kind: "youth", id: "y" }, names)).toBe("The young person");
    expect(actorText(sv, { kind: "system", id: null }, names)).toBe("Systemet");
  });

  it("shows an audit detail as plain text", () => {
    expect(detailText({ reason: "complaint", format: "pdf", none: null })).toBe("reason: complaint · format: pdf");
    expect(detailText({ filters: { action: "chat." }, rows: 3 })).toBe('filters: {"action":"chat."} · rows: 3');
    expect(detailText(null)).toBe("");
  });
});
