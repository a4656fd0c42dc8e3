import { describe, expect, it } from "vitest";
import { viewerClockDiffers } from "./timezone";

describe("viewer's clock", () => {
  const summer = new Date("2026-07-01T12:00:00Z");
  it("is the same as Stockholm's in Stockholm and in zones that share its time", () => {
    expect(viewerClockDiffers(summer, "Europe/Stockholm")).toBe(false);
    expect(viewerClockDiffers(summer, "Europe/Oslo")).toBe(false);
  });
  it("differs in Helsinki, London and New York", () => {
    expect(viewerClockDiffers(summer, "Europe/Helsinki")).toBe(true);
    expect(viewerClockDiffers(summer, "Europe/London")).toBe(true);
    expect(viewerClockDiffers(summer, "America/New_York")).toBe(true);
  });
});
