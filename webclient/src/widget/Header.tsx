import type { Lang } from "../shared/i18n";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/ui/i18n";
import type { YouthClient } from "./controller";
import { LangToggle } from "./LangToggle";
import { QuickExit } from "./QuickExit";
import { OnlineStatus } from "./Status";

interface Props {
  client: YouthClient;
  embedded: boolean;
  onLang: (lang: Lang) => void;
  onExit: () => void;
  onClose: () => void;
}

/** The neighbourhood, whether officers are online, language, quick exit, and close when embedded. */
export function Header({ client, embedded, onLang, onExit, onClose }: Props) {
  const t = useT();
  // Offline or reconnecting, the last count of officers online may be stale: say the status is
  // being checked until the resync brings a fresh one.
  useObservable(client.connection);
  const availability = client.connection.showReconnecting ? null : client.availability;
  return (
    <header class="widget-header">
      <div class="widget-bar">
        <h1 id="widget-title" tabIndex={-1}>
          {client.neighbourhood?.name ?? t("widget.title")}
        </h1>
        <div class="widget-tools">
          <LangToggle onChange={onLang} />
          <QuickExit onExit={onExit} />
          {embedded ? (
            <button type="button" class="icon-button" data-testid="widget-close" aria-label={t("widget.close")} title={t("widget.close")} onClick={onClose}>
              <span aria-hidden="true">×</span>
            </button>
          ) : null}
        </div>
      </div>
      <OnlineStatus availability={availability} />
    </header>
  );
}
