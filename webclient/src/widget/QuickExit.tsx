import { useT } from "../shared/ui/i18n";

/** One tap away from a neutral site: always in the header, never behind a menu. */
export function QuickExit({ onExit }: { onExit: () => void }) {
  const t = useT();
  return (
    <button type="button" class="quick-exit" data-testid="quick-exit" title={t("widget.quickExitTitle")} onClick={onExit}>
      {t("widget.quickExit")}
    </button>
  );
}
