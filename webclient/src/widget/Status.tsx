import type { Availability } from "../shared/protocol/types";
import { useT } from "../shared/ui/i18n";

/** "Poliser online: 2", or the 112 / 114 14 guidance when nobody is on duty. */
export function OnlineStatus({ availability }: { availability: Availability | null }) {
  const t = useT();
  const online = availability !== null && availability.officers_on_duty > 0;
  const text = !availability
    ? t("status.unknown")
    : online
      ? t("status.online", { n: availability.officers_on_duty })
      : t("status.offline");
  return (
    <p class={online ? "status status-online" : "status status-offline"} data-testid="status">
      <span class="status-dot" aria-hidden="true" />
      {text}
    </p>
  );
}
