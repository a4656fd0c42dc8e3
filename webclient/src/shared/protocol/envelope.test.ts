import { describe, expect, it } from "vitest";
import { makeEnvelope, readEnvelope } from "./envelope";

const FRAME = { name: "iframe window" };
const OTHER = { name: "some other window" };
const ORIGIN = "https://kvarter.example";

describe("postMessage envelope", () => {
  it("accepts a current envelope from the expected origin and window", () => {
    const env = readEnvelope({ origin: ORIGIN, source: FRAME, data: makeEnvelope("unread", { count: 2 }) }, ORIGIN, FRAME);
    expect(env).toEqual({ source: "kvarter", v: 1, type: "unread", payload: { count: 2 } });
  });

  it("rejects a wrong origin", () => {
    expect(readEnvelope({ origin: "https://evil.example", source: FRAME, data: makeEnvelope("close", {}) }, ORIGIN, FRAME)).toBeNull();
    expect(readEnvelope({ origin: "https://kvarter.example.evil.com", source: FRAME, data: makeEnvelope("close", {}) }, ORIGIN, FRAME)).toBeNull();
  });

  it("rejects a wrong source window", () => {
    expect(readEnvelope({ origin: ORIGIN, source: OTHER, data: makeEnvelope("close", {}) }, ORIGIN, FRAME)).toBeNull();
    expect(readEnvelope({ origin: ORIGIN, source: null, data: makeEnvelope("close", {}) }, ORIGIN, FRAME)).toBeNull();
    expect(readEnvelope({ origin: ORIGIN, source: null, data: makeEnvelope("close", {}) }, ORIGIN, null)).toBeNull();
  });

  it("rejects a wrong version, a foreign source tag or an unknown type", () => {
    const base = makeEnvelope("close", {});
    expect(readEnvelope({ origin: ORIGIN, source: FRAME, data: { ...base, v: 2 } }, ORIGIN, FRAME)).toBeNull();
    expect(readEnvelope({ origin: ORIGIN, source: FRAME, data: { ...base, v: "1" } }, ORIGIN, FRAME)).toBeNull();
    expect(readEnvelope({ origin: ORIGIN, source: FRAME, data: { ...base, source: "other" } }, ORIGIN, FRAME)).toBeNull();
    expect(readEnvelope({ origin: ORIGIN, source: FRAME, data: { ...base, type: "token" } }, ORIGIN, FRAME)).toBeNull();
    expect(readEnvelope({ origin: ORIGIN, source: FRAME, data: "kvarter:close" }, ORIGIN, FRAME)).toBeNull();
  });

  it("never trusts an opaque expected origin", () => {
    expect(readEnvelope({ origin: "null", source: FRAME, data: makeEnvelope("close", {}) }, "null", FRAME)).toBeNull();
  });
});
