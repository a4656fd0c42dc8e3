import { fill, type Lang, type Params } from "../../i18n";
import { useI18n } from "../../ui/i18n";
import { staffEn } from "./en";
import { staffSv, type StaffKey } from "./sv";

export type { StaffKey } from "./sv";
export type StaffTranslate = (key: StaffKey, params?: Params) => string;

/**
 * Strings of the staff pages' Q&A and notice tools. They live here (staff pages only) instead of in
 * the shared catalogs because the widget downloads the shared catalogs whole and has a size budget.
 */
export const staffCatalogs: Record<Lang, Record<StaffKey, string>> = { sv: staffSv, en: staffEn };

export function staffTranslator(lang: Lang): StaffTranslate {
  return (key, params) => fill(staffCatalogs[lang][key], params);
}

/** The staff translator in the page's current language. */
export function useS(): StaffTranslate {
  return staffTranslator(useI18n().lang);
}

/** A notice's status in words ("Väntar på granskning"); an unknown status as it came. */
export function statusText(s: StaffTranslate, status: string): string {
  const key = `notices.status.${status}`;
  return Object.prototype.hasOwnProperty.call(staffSv, key) ? s(key as StaffKey) : status;
}
