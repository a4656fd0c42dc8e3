import type { Availability } from "../shared/protocol/types";
import { useNow } from "../shared/ui/hooks";
import { useI18n } from "../shared/ui/i18n";
import { describeAvailability } from "./availability";
import { viewerClockDiffers } from "./timezone";

/**
 * Whether officers are online now and until when; otherwise that nobody is online, when they
 * are next, and the 112 / 114 14 guidance. Live through `availability` events; re-worded each
 * minute so that "i morgon" becomes "i dag" after midnight.
 */
export function OnlineStatus({ availability }: { availability: Availability | null }) {
  const { t, lang } = useI18n();
  const now = useNow(60_000);
  const view = describeAvailability(availability, lang, now);
  // Times are Swedish time; say so when the viewer's clock shows another.
  const zone = viewerClockDiffers(new Date(now)) ? ` (${t("widget.swedishTime")})` : "";
  return (
    <p class={`status status-${view.kind === "open" ? "online" : "offline"}`} data-testid="status" data-state={view.kind} role="status">
      <span class="status-dot" aria-hidden="true" />
      <span class="status-text">
        {view.kind === "unknown" ? t("status.unknown") : null}
        {view.kind === "open" ? (
          <>
            <span>{t("status.online", { n: view.officers })}</span>
            {view.until ? <span data-testid="open-until"> · {t("status.until", { time: view.until })}{zone}</span> : null}
          </>
        ) : null}
        {view.kind === "waiting" || view.kind === "closed" ? (
          <>
            <span class="status-line">{view.kind === "waiting" ? t("status.waitingForOfficer") : t("status.closed")}</span>
            {view.kind === "closed" ? (
              <span class="status-line" data-testid="next-window">
                {view.next ? `${t("status.next", { when: view.next })}${zone}` : t("status.noNext")}
              </span>
            ) : null}
            <span class="status-line status-guidance">{t("status.guidance")}</span>
          </>
        ) : null}
      </span>
    </p>
  );
}
