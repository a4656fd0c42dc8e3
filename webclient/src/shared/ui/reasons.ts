import { hasKey, type Translate } from "../staff/i18n";

/** A category in words; a category the catalogs do not know is shown as it came. */
export function categoryText(t: Translate, category: string): string {
  const key = `category.${category}`;
  return hasKey(key) ? t(key) : category;
}

/** A priority reason code in words: `category:violence`, `happening_now`, `risk:weapon`, `unstaffed`… */
export function reasonText(t: Translate, code: string): string {
  const [head, ...rest] = code.split(":");
  const arg = rest.join(":");
  if (head === "category" && arg) return t("reason.category", { category: categoryText(t, arg) });
  if (head === "risk" && arg) {
    const key = `risk.${arg}`;
    return t("reason.risk", { risk: hasKey(key) ? t(key) : arg.replace(/_/g, " ") });
  }
  const key = `reason.${code}`;
  return !arg && hasKey(key) ? t(key) : code;
}
