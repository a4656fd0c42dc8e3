import { LANGS, type Lang } from "../i18n";
import { useI18n } from "../staff/i18n";

/** sv / en buttons; the current one is pressed. */
export function LangSwitch({ onChange }: { onChange: (lang: Lang) => void }) {
  const { lang, t } = useI18n();
  return (
    <div class="lang-switch" role="group" aria-label={t("lang.label")}>
      {LANGS.map((l) => (
        <button
          type="button"
          key={l}
          lang={l}
          aria-pressed={l === lang}
          title={t(l === "sv" ? "lang.sv" : "lang.en")}
          onClick={() => onChange(l)}
        >
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}
