import { describe, expect, it } from "vitest";
import { detectHostOrigin, originOf } from "./embed";

function list(...items: string[]): DOMStringList {
  return { length: items.length, item: (i: number) => items[i] ?? null, contains: (s: string) => items.includes(s) } as DOMStringList;
}

describe("host origin detection", () => {
  it("prefers the browser's ancestorOrigins, then the referrer, then the host parameter", () => {
    const search = "?room=umea&host=https%3A%2F%2Fparam.example";
    expect(detectHostOrigin({ search, ancestorOrigins: list("https://school.example") }, "https://ref.example/page")).toBe("https://school.example");
    expect(detectHostOrigin({ search }, "https://ref.example/a/b?c")).toBe("https://ref.example");
    expect(detectHostOrigin({ search }, "")).toBe("https://param.example");
    expect(detectHostOrigin({ search: "?room=umea" }, "")).toBeNull();
  });

  it("accepts only http(s) origins", () => {
    expect(originOf("javascript:alert(1)")).toBeNull();
    expect(originOf("not a url")).toBeNull();
    expect(originOf("https://a.example:8443/x")).toBe("https://a.example:8443");
  });
});
