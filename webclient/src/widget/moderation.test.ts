import { describe, expect, it } from "vitest";
import { feedbackAfterUpdate } from "./moderation";

describe("feedbackAfterUpdate", () => {
  it("asks once when the conversation one was in closes", () => {
    const asked = new Set<string>();
    expect(feedbackAfterUpdate({ id: "c1", status: "active" }, { id: "c1", status: "closed" }, asked)).toBe(true);
    expect(feedbackAfterUpdate({ id: "c1", status: "waiting" }, { id: "c1", status: "closed" }, asked)).toBe(true);
    asked.add("c1");
    expect(feedbackAfterUpdate({ id: "c1", status: "active" }, { id: "c1", status: "closed" }, asked)).toBe(false);
  });

  it("does not ask for updates that close nothing", () => {
    const asked = new Set<string>();
    expect(feedbackAfterUpdate({ id: "c1", status: "closed" }, { id: "c1", status: "closed" }, asked)).toBe(false);
    expect(feedbackAfterUpdate({ id: "c1", status: "waiting" }, { id: "c1", status: "active" }, asked)).toBe(false);
    expect(feedbackAfterUpdate(null, { id: "c2", status: "closed" }, asked)).toBe(false);
    expect(feedbackAfterUpdate({ id: "c1", status: "active" }, { id: "c2", status: "closed" }, asked)).toBe(false);
  });
});
