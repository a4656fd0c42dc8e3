import { useState } from "preact/hooks";
import { hasKey } from "../shared/staff/i18n";
import { OUTCOMES, type Report } from "../shared/protocol/types";
import { useI18n } from "../shared/staff/i18n";
import { formatTime } from "../shared/ui/time";
import type { StaffClient } from "./controller";
import { PriorityBadge } from "./Priority";
import { categoryText, reasonText } from "./triage";

/** The report a chat belongs to: what was reported, why its priority, and closing it with an outcome. */
export function ReportSummary({ client, report }: { client: StaffClient; report: Report }) {
  const { t, lang } = useI18n();
  const [outcome, setOutcome] = useState("");
  const [busy, setBusy] = useState(false);
  const outcomeText = (code: string) => {
    const key = `outcome.${code}`;
    return hasKey(key) ? t(key) : code;
  };

  const close = async (e: Event) => {
    e.preventDefault();
    if (!outcome || busy) return;
    setBusy(true);
    await client.closeReport(report.id, outcome);
    setBusy(false);
  };

  return (
    <details class="report-summary" data-testid="report-summary" data-status={report.status} open>
      <summary>
        <PriorityBadge priority={report.priority} /> <strong>{t("report.summaryTitle")}</strong> · {categoryText(t, report.category)} ·{" "}
        {report.happening_now ? t("triage.now") : t("triage.notNow")}
      </summary>
      <p class="triage-meta">
        {formatTime(report.created_at, lang)} ·{" "}
        {report.location ? t("triage.location", { location: report.location }) : t("triage.noLocation")}
      </p>
      {report.body ? <p class="report-summary-body">{report.body}</p> : null}
      {report.reasons && report.reasons.length > 0 ? (
        <ul class="reasons" aria-label={t("triage.reasons")}>
          {report.reasons.map((code) => (
            <li key={code}>{reasonText(t, code)}</li>
          ))}
        </ul>
      ) : null}
      {report.status === "closed" ? (
        <p class="report-closed" data-testid="report-closed" role="status">
          {t("report.closedWith", { outcome: report.outcome ? outcomeText(report.outcome) : "–" })}
        </p>
      ) : null}
      {report.status === "claimed" && client.isMyReport(report) ? (
        <form class="report-close" onSubmit={close}>
          <label for="report-outcome">{t("report.outcome")}</label>
          <select id="report-outcome" data-testid="report-outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
            <option value="">{t("report.outcomePick")}</option>
            {OUTCOMES.map((code) => (
              <option key={code} value={code}>
                {outcomeText(code)}
              </option>
            ))}
          </select>
          <button type="submit" data-testid="report-close" disabled={!outcome || busy}>
            {t("report.close")}
          </button>
        </form>
      ) : null}
    </details>
  );
}
