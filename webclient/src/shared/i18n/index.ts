import { en, enLoader } from "./en";
import { sv, svLoader, type MessageKey } from "./sv";

export type { MessageKey } from "./sv";
export type Lang = "sv" | "en";
export const LANGS: readonly Lang[] = ["sv", "en"];

export const catalogs: Record<Lang, Record<MessageKey, string>> = {
  sv: { ...svLoader, ...sv },
  en: { ...enLoader, ...en },
};

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** Swedish unless the value says English. */
export function pickLang(value: string | null | undefined): Lang {
  return value?.toLowerCase().startsWith("en") ? "en" : "sv";
}

/** Looks up `key` and fills `{name}` placeholders from `params`. */
export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  return fill(catalogs[lang][key], params);
}

export function fill(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export function translator(lang: Lang): Translate {
  return (key, params) => translate(lang, key, params);
}

/** True when `key` names a string of the catalogs (for keys built from server codes). */
export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogs.sv, key);
}
