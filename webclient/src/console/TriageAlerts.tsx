import { useState } from "preact/hooks";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/staff/i18n";
import type { StaffClient } from "./controller";
import { categoryText, formatWaiting, waitedMs } from "./triage";

/**
 * Banners for urgent reports nobody has claimed (triage:alert). The text is fixed when the
 * alert arrives, so the live region is not re-announced every second.
 */
export function TriageAlerts({ client }: { client: StaffClient }) {
  const t = useT();
  useObservable(client);
  const [busy, setBusy] = useState(false);
  const alerts = [...client.alerts.values()];
  if (alerts.length === 0) return null;

  const claim = async (reportId: string) => {
    setBusy(true);
    await client.claim(reportId);
    setBusy(false);
  };

  return (
    <div class="triage-alerts">
      {alerts.map(({ report, reason, receivedAt }) => (
        <div class="triage-alert" role="alert" key={report.id} data-testid="triage-alert" data-report-id={report.id} data-reason={reason}>
          <div class="triage-alert-text">
            <strong>{t("triage.alertTitle")}</strong>
            <span>
              {t("triage.alertBody", {
                priority: report.priority,
                category: categoryText(t, report.category),
                room: client.rooms.get(report.room)?.neighbourhood?.name ?? report.room,
                time: formatWaiting(waitedMs(report, receivedAt)),
              })}
            </span>
          </div>
          <button type="button" class="primary" data-testid="triage-alert-claim" disabled={busy} onClick={() => void claim(report.id)}>
            {t("triage.claim")}
          </button>
          <button type="button" class="link-button" data-testid="triage-alert-dismiss" onClick={() => client.dismissAlert(report.id)}>
            {t("common.dismiss")}
          </button>
        </div>
      ))}
    </div>
  );
}
