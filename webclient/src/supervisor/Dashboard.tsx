import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import type { ApiError, Dashboard as Figures, Timing } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useI18n } from "../shared/staff/i18n";
import { formatDate } from "../shared/ui/when";
import { formatDuration, formatNumber, timeUnit } from "./chart";
import { BarChart, LineChart } from "./charts";
import { codeText, PRIORITY_LEVELS } from "./transcript";

/** "2026-W14" → "14". */
function weekNumber(week: string): string {
  const m = /W(\d+)$/.exec(week);
  return m ? String(Number(m[1])) : week;
}

/**
 * Figures of the supervisor's region that tell whether the service builds trust: volumes,
 * handoffs, response times, demand outside staffed hours, and the young people's own
 * "do you feel safer now?" score. Default period: the last 30 days.
 */
export function Dashboard({ api }: { api: StaffApi }) {
  const { t, lang } = useI18n();
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [data, setData] = useState<Figures | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const load = async (since: string, until: string) => {
    setBusy(true);
    const ack = await api.dashboard(since, until);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setError(null);
    setData(ack);
  };

  useEffect(() => {
    void load("", "");
  }, []);

  const num = (n: number) => formatNumber(n, lang);

  return (
    <div class="supervisor-page" data-testid="dashboard">
      <h2>{t("dashboard.title")}</h2>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          if (from && to && from > to) {
            setError({ code: "filter", message: t("search.datesInvalid") });
            return;
          }
          void load(from, to);
        }}
        noValidate
      >
        <label>
          <span>{t("search.from")}</span>
          <input type="date" data-testid="dashboard-from" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          <span>{t("search.to")}</span>
          <input type="date" data-testid="dashboard-to" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="primary" data-testid="dashboard-submit" disabled={busy}>
            {t("dashboard.show")}
          </button>
        </div>
      </form>
      <p class="hint">{t("dashboard.defaultPeriod")}</p>
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      <p role="status" class="hint">
        {data ? t("dashboard.period", { from: formatDate(data.from, lang), to: formatDate(data.to, lang) }) : busy ? t("common.loading") : ""}
      </p>
      {data ? <Charts data={data} num={num} /> : null}
    </div>
  );
}

function Charts({ data, num }: { data: Figures; num: (n: number) => string }) {
  const { t, lang } = useI18n();
  const names = Object.fromEntries(data.volume.map((v) => [v.room, v.name]));
  const handoffKinds = Object.keys(data.handoffs);

  const volumeSummary = data.volume.length
    ? data.volume.map((v) => t("dashboard.volumeItem", { room: v.name, conversations: v.conversations, reports: v.reports })).join("; ")
    : t("dashboard.noData");

  const handoffSummary = handoffKinds.length
    ? handoffKinds.map((k) => `${codeText(t, "handoff.give.", k)}: ${data.handoffs[k] ?? 0}`).join("; ")
    : t("dashboard.noHandoffs");

  const claims = PRIORITY_LEVELS.map((p) => data.time_to_claim[p] ?? { count: 0, median_s: null, p90_s: null });
  const timingText = (timing: Timing) =>
    timing.count === 0
      ? t("dashboard.timingNone")
      : t("dashboard.timing", { median: formatDuration(timing.median_s, lang), p90: formatDuration(timing.p90_s, lang), n: timing.count });
  const claimSummary = PRIORITY_LEVELS.map((p, i) => `${p}: ${timingText(claims[i]!)}`).join("; ");
  const claimMax = Math.max(0, ...claims.map((c) => c.p90_s ?? 0));
  const claimUnit = timeUnit(claimMax);

  const reply = data.first_reply;
  const replyUnit = timeUnit(reply.p90_s ?? 0);

  const demandSummary = data.demand.length
    ? data.demand.map((d) => t("dashboard.demandItem", { room: names[d.room] ?? d.room, inside: d.in_window, outside: d.outside })).join("; ")
    : t("dashboard.noData");

  const safetySummary = data.safety.length
    ? data.safety.map((w) => t("dashboard.safetyItem", { week: weekNumber(w.week), average: num(w.average), n: w.responses })).join("; ")
    : t("dashboard.noSafety");

  const unitLabel = (unit: "s" | "min") => (unit === "s" ? t("dashboard.seconds") : t("dashboard.minutes"));
  const inUnit = (seconds: number | null, divisor: number) => (seconds === null ? 0 : Math.round((seconds / divisor) * 10) / 10);

  return (
    <>
      <dl class="key-figures" data-testid="key-figures">
        <div>
          <dt>{t("dashboard.unclaimed")}</dt>
          <dd>{data.unclaimed_reports}</dd>
        </div>
        <div>
          <dt>{t("dashboard.unstaffed")}</dt>
          <dd>{data.reports_while_unstaffed}</dd>
        </div>
        <div>
          <dt>{t("dashboard.firstReply")}</dt>
          <dd class="key-text">{timingText(reply)}</dd>
        </div>
      </dl>
      <div class="charts">
        <BarChart
          testId="chart-volume"
          title={t("dashboard.volumeTitle")}
          summary={volumeSummary}
          categories={data.volume.map((v) => v.name)}
          series={[
            { label: t("dashboard.conversations"), values: data.volume.map((v) => v.conversations) },
            { label: t("dashboard.reports"), values: data.volume.map((v) => v.reports) },
          ]}
          integer
          yLabel={t("dashboard.count")}
          xLabel={t("dashboard.neighbourhood")}
        />
        <BarChart
          testId="chart-handoffs"
          title={t("dashboard.handoffsTitle")}
          summary={handoffSummary}
          categories={handoffKinds.map((k) => codeText(t, "handoff.give.", k))}
          series={[{ label: t("dashboard.handoffs"), values: handoffKinds.map((k) => data.handoffs[k] ?? 0) }]}
          integer
          yLabel={t("dashboard.count")}
          xLabel={t("dashboard.kind")}
        />
        <BarChart
          testId="chart-claim"
          title={t("dashboard.claimTitle")}
          summary={claimSummary}
          categories={[...PRIORITY_LEVELS]}
          series={[
            { label: t("dashboard.median"), values: claims.map((c) => inUnit(c.median_s, claimUnit.divisor)) },
            { label: t("dashboard.p90"), values: claims.map((c) => inUnit(c.p90_s, claimUnit.divisor)) },
          ]}
          missing={[claims.map((c) => c.median_s === null), claims.map((c) => c.p90_s === null)]}
          format={num}
          yLabel={unitLabel(claimUnit.unit)}
          xLabel={t("search.priority")}
        />
        <BarChart
          testId="chart-first-reply"
          title={t("dashboard.replyTitle")}
          summary={timingText(reply)}
          categories={[t("dashboard.median"), t("dashboard.p90")]}
          series={[{ label: t("dashboard.firstReply"), values: [inUnit(reply.median_s, replyUnit.divisor), inUnit(reply.p90_s, replyUnit.divisor)] }]}
          missing={[[reply.median_s === null, reply.p90_s === null]]}
          format={num}
          yLabel={unitLabel(replyUnit.unit)}
          xLabel={t("dashboard.measure")}
        />
        <BarChart
          testId="chart-demand"
          title={t("dashboard.demandTitle")}
          summary={demandSummary}
          categories={data.demand.map((d) => names[d.room] ?? d.room)}
          series={[
            { label: t("dashboard.inWindow"), values: data.demand.map((d) => d.in_window) },
            { label: t("dashboard.outside"), values: data.demand.map((d) => d.outside) },
          ]}
          stacked
          integer
          yLabel={t("dashboard.conversations")}
          xLabel={t("dashboard.neighbourhood")}
        />
        <LineChart
          testId="chart-safety"
          title={t("dashboard.safetyTitle")}
          summary={safetySummary}
          labels={data.safety.map((w) => t("dashboard.week", { week: weekNumber(w.week) }))}
          subLabels={data.safety.map((w) => t("dashboard.responses", { n: w.responses }))}
          values={data.safety.map((w) => w.average)}
          min={1}
          max={5}
          format={num}
          yLabel={t("dashboard.average")}
          xLabel={t("dashboard.weekAxis")}
        />
      </div>
    </>
  );
}
