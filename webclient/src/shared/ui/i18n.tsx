import { createContext } from "preact";
import { useContext } from "preact/hooks";
import { translator, type Lang, type Translate } from "../i18n";

export interface I18n {
  lang: Lang;
  t: Translate;
}

export const I18nContext = createContext<I18n>({ lang: "sv", t: translator("sv") });

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export function useT(): Translate {
  return useContext(I18nContext).t;
}
