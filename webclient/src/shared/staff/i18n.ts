import { catalogs, fill, type Lang, type MessageKey, type Params } from "../i18n";
import { useI18n as useSharedI18n } from "../ui/i18n";
import { staffEn } from "./text/en";
import { staffSv, type StaffKey } from "./text/sv";

/**
 * The staff pages' strings: the shared catalogs (shared/i18n/, which the widget loads too) and
 * the staff texts (./text/, which the widget never loads). Same names as shared/i18n and
 * shared/ui/i18n, with the wider key type, so a staff page imports these instead.
 */
export type Key = MessageKey | StaffKey;
export type Translate = (key: Key, params?: Params) => string;
export interface StaffI18n {
  lang: Lang;
  t: Translate;
}

const all: Record<Lang, Record<Key, string>> = {
  sv: { ...catalogs.sv, ...staffSv },
  en: { ...catalogs.en, ...staffEn },
};

const translators: Record<Lang, Translate> = {
  sv: (key, params) => fill(all.sv[key], params),
  en: (key, params) => fill(all.en[key], params),
};

export function translator(lang: Lang): Translate {
  return translators[lang];
}

/** True when `key` names a string of the shared or the staff catalogs (keys built from server codes). */
export function hasKey(key: string): key is Key {
  return Object.prototype.hasOwnProperty.call(all.sv, key);
}

/** The page's language and the staff translator in it. */
export function useI18n(): StaffI18n {
  const { lang } = useSharedI18n();
  return { lang, t: translators[lang] };
}

export function useT(): Translate {
  return translators[useSharedI18n().lang];
}
