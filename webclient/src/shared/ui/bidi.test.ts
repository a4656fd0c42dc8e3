import { describe, expect, it } from "vitest";
import { showBidiControls } from "./bidi";

describe("showBidiControls", () => {
  it("makes overrides, embeddings, isolates and marks visible and leaves other text alone", () => {
    expect(showBidiControls("ring \u202e211 akut")).toBe("ring [RLO]211 akut");
    expect(showBidiControls("\u2067x\u2069 \u200f")).toBe("[RLI]x[PDI] [RLM]");
    expect(showBidiControls("مرحبا – hej – 112")).toBe("مرحبا – hej – 112");
  });
});
