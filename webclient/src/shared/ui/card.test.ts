import { describe, expect, it } from "vitest";
import { displayTel, kindToken, safeUrl, siteName, telHref, urgentFirst } from "./card";

describe("card helpers", () => {
  it("puts the 112 card first and keeps the rest in their order", () => {
    const kinds = urgentFirst([{ kind: "11414" }, { kind: "bris" }, { kind: "112" }]).map((c) => c.kind);
    expect(kinds).toEqual(["112", "11414", "bris"]);
    expect(urgentFirst([{ kind: "bris" }, { kind: "mind" }]).map((c) => c.kind)).toEqual(["bris", "mind"]);
  });

  it("makes tel: links only from phone numbers", () => {
    expect(telHref("112")).toBe("tel:112");
    expect(telHref("114 14")).toBe("tel:11414");
    expect(telHref("+46 70-123 45 67")).toBe("tel:+46701234567");
    expect(telHref("javascript:alert(1)")).toBeNull();
    expect(telHref("112;x")).toBeNull();
    expect(telHref("")).toBeNull();
    expect(telHref(undefined)).toBeNull();
  });

  it("writes well-known numbers the way they are said", () => {
    expect(displayTel("11414")).toBe("114 14");
    expect(displayTel("116111")).toBe("116 111");
    expect(displayTel("112")).toBe("112");
    expect(displayTel("90101")).toBe("90101");
  });

  it("accepts only http(s) links", () => {
    expect(safeUrl("https://polisen.se/x")).toBe("https://polisen.se/x");
    expect(safeUrl("javascript:alert(1)")).toBeNull();
    expect(safeUrl("data:text/html,hi")).toBeNull();
    expect(safeUrl("/relative")).toBeNull();
    expect(safeUrl(null)).toBeNull();
    expect(siteName("https://www.bris.se/")).toBe("bris.se");
  });

  it("keeps kinds safe for class names", () => {
    expect(kindToken("online_report")).toBe("online_report");
    expect(kindToken("112")).toBe("112");
    expect(kindToken("a b\"<")).toBe("a_b__");
  });
});
