import { describe, expect, it } from "vitest";
import type { Notice, QaQuestion, QaSession } from "../protocol/community";
import { normaliseAck } from "../socket/request";
import { byRank, comingSessions, isLive, noticeOrder, QuestionBoard } from "./community";

const q = (id: string, extra: Partial<QaQuestion> = {}): QaQuestion => ({
  id,
  session_id: "s1",
  status: "approved",
  body: `question ${id}`,
  votes: 0,
  pinned: false,
  created_at: `2026-11-20T18:0${id.length}:00Z`,
  answer: null,
  ...extra,
});

describe("QuestionBoard", () => {
  it("orders public questions pinned first, then by votes, then oldest", () => {
    const list = [
      q("a", { votes: 1, created_at: "2026-11-20T18:01:00Z" }),
      q("b", { votes: 5, created_at: "2026-11-20T18:02:00Z" }),
      q("c", { votes: 1, created_at: "2026-11-20T18:00:00Z" }),
      q("d", { votes: 0, pinned: true, created_at: "2026-11-20T18:03:00Z" }),
    ].sort(byRank);
    expect(list.map((x) => x.id)).toEqual(["d", "b", "c", "a"]);
  });

  it("keeps the review queue oldest first and moves a decided question out of it", () => {
    const board = new QuestionBoard();
    board.put(q("new", { status: "pending", created_at: "2026-11-20T18:05:00Z" }));
    board.put(q("old", { status: "pending", created_at: "2026-11-20T18:01:00Z" }));
    expect(board.queue().map((x) => x.id)).toEqual(["old", "new"]);
    board.put(q("old", { status: "approved", body: "reworded" }));
    board.put(q("new", { status: "rejected", reason: "dubblett" }));
    expect(board.queue()).toEqual([]);
    expect(board.list().map((x) => x.body)).toEqual(["reworded"]);
  });

  it("keeps this viewer's vote when a live update says voted: false", () => {
    const board = new QuestionBoard();
    board.put(q("x", { votes: 1, voted: true }));
    board.put(q("x", { votes: 2, voted: false }));
    expect(board.shown.get("x")).toMatchObject({ votes: 2, voted: true });
  });

  it("applies what arrived live during a join over the join's older answer", () => {
    const board = new QuestionBoard();
    board.begin();
    board.put(q("x", { status: "answered", votes: 3, answer: { body: "Svar", by: "Anna", at: "2026-11-20T18:10:00Z" } }));
    board.put(q("y", { status: "approved" }));
    board.reset({ session: {} as QaSession, questions: [q("x", { votes: 2 })], pending: [q("y", { status: "pending" })] });
    expect(board.shown.get("x")).toMatchObject({ status: "answered", votes: 3 });
    expect(board.queue()).toEqual([]);
    expect(board.list().map((x) => x.id)).toEqual(["x", "y"]);
    // An older update never takes an answer or votes away.
    board.put(q("x", { status: "approved", votes: 1 }));
    expect(board.shown.get("x")).toMatchObject({ status: "answered", votes: 3 });
  });

  it("files the asker's own view apart, and drops an answered question from nothing", () => {
    const board = new QuestionBoard();
    board.reset({
      session: {} as QaSession,
      questions: [q("p")],
      mine: [q("m", { status: "pending", mine: true, original: "Jag heter Kalle" })],
    });
    expect(board.own().map((x) => x.id)).toEqual(["m"]);
    expect(board.queue()).toEqual([]);
    board.put(q("p", { status: "answered", answer: { body: "Svar", by: "Anna", at: "2026-11-20T18:10:00Z" } }));
    expect(board.list()[0]?.answer?.body).toBe("Svar");
  });
});

describe("sessions and notices", () => {
  const session = (id: string, starts: string, ends: string, status = "upcoming"): QaSession => ({
    id, room: "ostersund", title: id, description: "", starts_at: starts, ends_at: ends, status, hosts: [],
  });

  it("lists sessions not yet over, soonest first, and tells live by the clock", () => {
    const now = Date.parse("2026-11-20T18:30:00Z");
    const list = comingSessions(
      [
        session("later", "2026-11-26T18:00:00Z", "2026-11-26T19:00:00Z"),
        session("over", "2026-11-20T16:00:00Z", "2026-11-20T17:00:00Z"),
        session("now", "2026-11-20T18:00:00Z", "2026-11-20T19:00:00Z"),
      ],
      now,
    );
    expect(list.map((s) => s.id)).toEqual(["now", "later"]);
    expect(isLive(list[0] as QaSession, now)).toBe(true);
    expect(isLive(list[1] as QaSession, now)).toBe(false);
  });

  it("puts pinned notices first, newest first", () => {
    const n = (id: string, pinned: boolean, at: string) => ({ id, pinned, published_at: at }) as Notice;
    const order = noticeOrder([n("closed", false, "2026-11-20T19:00:00Z"), n("a", true, "2026-11-20T17:00:00Z"), n("b", true, "2026-11-20T18:00:00Z")]);
    expect(order.map((x) => x.id)).toEqual(["b", "a", "closed"]);
  });
});

describe("normaliseAck", () => {
  it("keeps the details of an error (the secrecy check's flags and spans)", () => {
    const details = { action: "warn", flags: ["pii.phone"], spans: [[0, 11, "pii.phone"]], reasons: [] };
    const ack = normaliseAck({ ok: false, error: { code: "blocked", message: "secrecy check", details } });
    expect(ack).toEqual({ ok: false, error: { code: "blocked", message: "secrecy check", details } });
    const plain = normaliseAck({ ok: false, error: { code: "closed", message: "x", details: "no" } });
    expect(plain).toEqual({ ok: false, error: { code: "closed", message: "x" } });
  });
});
