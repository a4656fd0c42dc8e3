import { describe, expect, it } from "vitest";
import { retryDelay } from "./connection";

describe("retryDelay", () => {
  it("spreads reconnects between 1 and 3 seconds", () => {
    expect(retryDelay(() => 0)).toBe(1000);
    expect(retryDelay(() => 0.5)).toBe(2000);
    expect(retryDelay(() => 0.999)).toBe(2998);
    const samples = new Set(Array.from({ length: 50 }, () => retryDelay()));
    expect(samples.size).toBeGreaterThan(10);
  });
});
