import type { Lang } from "../shared/i18n";
import { useI18n } from "../shared/ui/i18n";

/** One button naming the other language in that language ("English" / "Svenska"). */
export function LangToggle({ onChange }: { onChange: (lang: Lang) => void }) {
  const { lang, t } = useI18n();
  const other: Lang = lang === "sv" ? "en" : "sv";
  return (
    <button type="button" class="lang-toggle" lang={other} data-testid="lang-toggle" title={t("widget.langSwitch")} onClick={() => onChange(other)}>
      {t(other === "sv" ? "lang.sv" : "lang.en")}
    </button>
  );
}
