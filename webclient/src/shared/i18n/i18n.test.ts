import { describe, expect, it } from "vitest";
import { en, enLoader } from "./en";
import { catalogs, fill, pickLang, translate } from "./index";
import { sv, svLoader } from "./sv";

describe("i18n catalogs", () => {
  it("sv and en have identical key sets", () => {
    const svKeys = Object.keys(sv).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !svKeys.includes(k))).toEqual([]);
    expect(svKeys.filter((k) => !enKeys.includes(k))).toEqual([]);
    expect(Object.keys(enLoader).sort()).toEqual(Object.keys(svLoader).sort());
  });

  it("has no empty strings", () => {
    for (const catalog of [sv, en, svLoader, enLoader] as Record<string, string>[]) {
      for (const [key, value] of Object.entries(catalog)) {
        expect(typeof value, key).toBe("string");
        expect(value.trim(), key).not.toBe("");
      }
    }
  });

  it("uses the same placeholders in both languages", () => {
    const names = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(catalogs.sv) as (keyof typeof catalogs.sv)[]) {
      expect(names(catalogs.en[key]), key).toEqual(names(catalogs.sv[key]));
    }
  });

  it("fills placeholders and falls back to Swedish", () => {
    expect(translate("sv", "status.online", { n: 2 })).toBe("Poliser online: 2");
    expect(translate("en", "status.online", { n: 2 })).toBe("Police online: 2");
    expect(fill("{a} and {b}", { a: 1 })).toBe("1 and {b}");
    expect(pickLang("en-GB")).toBe("en");
    expect(pickLang("de")).toBe("sv");
    expect(pickLang(null)).toBe("sv");
  });
});
