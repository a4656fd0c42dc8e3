import { useEffect, useState } from "preact/hooks";
import { hasKey } from "../shared/staff/i18n";
import type { StaffApi } from "../shared/http/api";
import type { ApiError, Neighbourhood, Roster, StaffUser } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useI18n } from "../shared/staff/i18n";
import { formatTime } from "../shared/ui/time";
import { formatUntil, formatWhen } from "../shared/ui/when";
import { DutyGrants } from "./DutyGrants";
import { ScheduleEditor } from "./ScheduleEditor";

const REFRESH_MS = 15_000;

interface OverviewProps {
  api: StaffApi;
  user: StaffUser;
}

/**
 * Live staffing per neighbourhood, who is on duty now, and each neighbourhood's schedule
 * (editable by supervisors and admins). Refreshed every 15 s.
 */
export function Overview({ api, user }: OverviewProps) {
  const { t, lang } = useI18n();
  const [list, setList] = useState<Neighbourhood[] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [updated, setUpdated] = useState<string | null>(null);
  const [roster, setRoster] = useState<Roster | null>(null);
  const [rosterError, setRosterError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);
  const editor = user.role === "supervisor" || user.role === "admin";

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      const [ack, duty] = await Promise.all([api.neighbourhoods(), editor ? api.duty() : null]);
      if (stopped) return;
      if (ack.ok) {
        setList(ack.neighbourhoods);
        setError(null);
        setUpdated(new Date().toISOString());
      } else {
        setError(ack.error);
      }
      if (duty?.ok) {
        setRoster(duty);
        setRosterError(null);
      } else if (duty) {
        setRosterError(duty.error);
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [reload]);

  const statusText = (n: Neighbourhood) => {
    const a = n.availability;
    if (a?.open) return t("supervisor.open");
    if (a?.in_window) return t("supervisor.unstaffed");
    const next = a?.next_window?.start ? formatWhen(a.next_window.start, lang) : "";
    return next ? t("supervisor.closedNext", { when: next }) : t("supervisor.closed");
  };
  const nameOf = (slug: string) => list?.find((n) => n.slug === slug)?.name ?? slug;
  const onDutyRows = (roster?.rooms ?? []).flatMap((r) => r.officers.map((o) => ({ room: r.room, officer: o })));

  const onDuty = (list ?? []).reduce((sum, n) => sum + (n.availability?.officers_on_duty ?? 0), 0);

  return (
    <div class="supervisor-page" data-testid="overview">
        {!editor ? <p class="notice">{t("supervisor.notSupervisor")}</p> : null}
        <ErrorAlert error={error} />
        <section aria-labelledby="staffing-title">
          <h2 id="staffing-title">{t("supervisor.staffing")}</h2>
          <p class="hint" role="status">
            {list === null
              ? t("common.loading")
              : t("supervisor.summary", { n: onDuty, time: formatTime(updated, lang) })}
          </p>
          <table class="staffing" data-testid="neighbourhoods">
            <thead>
              <tr>
                <th scope="col">{t("supervisor.col.name")}</th>
                <th scope="col">{t("supervisor.col.area")}</th>
                <th scope="col">{t("supervisor.col.region")}</th>
                <th scope="col">{t("supervisor.col.open")}</th>
                <th scope="col">{t("supervisor.col.officers")}</th>
              </tr>
            </thead>
            <tbody>
              {(list ?? []).map((n) => (
                <tr key={n.slug} data-testid={`neighbourhood-${n.slug}`}>
                  <th scope="row">{n.name}</th>
                  <td>{n.police_area}</td>
                  <td>{n.region}</td>
                  <td data-testid={`open-${n.slug}`}>{statusText(n)}</td>
                  <td>{n.availability?.officers_on_duty ?? 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {editor ? (
          <section aria-labelledby="on-duty-title" data-testid="on-duty-now">
            <h2 id="on-duty-title">{t("supervisor.onDutyNow")}</h2>
            <ErrorAlert error={rosterError} />
            {roster === null && !rosterError ? <p class="hint">{t("common.loading")}</p> : null}
            {roster !== null && onDutyRows.length === 0 ? <p class="hint">{t("supervisor.onDutyNone")}</p> : null}
            {onDutyRows.length > 0 ? (
              <table class="staffing">
                <thead>
                  <tr>
                    <th scope="col">{t("supervisor.col.name")}</th>
                    <th scope="col">{t("supervisor.col.officer")}</th>
                    <th scope="col">{t("supervisor.col.role")}</th>
                    <th scope="col">{t("supervisor.col.since")}</th>
                    <th scope="col">{t("supervisor.col.until")}</th>
                  </tr>
                </thead>
                <tbody>
                  {onDutyRows.map(({ room, officer }) => {
                    const roleKey = `role.${officer.role}`;
                    return (
                      <tr key={`${room}-${officer.id}`} data-testid={`on-duty-${room}-${officer.id}`}>
                        <th scope="row">{nameOf(room)}</th>
                        <td>{officer.name}</td>
                        <td>{hasKey(roleKey) ? t(roleKey) : officer.role}</td>
                        <td>{formatTime(officer.started_at, lang)}</td>
                        <td>{officer.until ? formatUntil(officer.until, lang) : "–"}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            ) : null}
          </section>
        ) : null}
        {user.role === "supervisor" && user.region ? <DutyGrants api={api} user={user} /> : null}
        <section aria-labelledby="schedules-title">
          <h2 id="schedules-title">{t("supervisor.schedules")}</h2>
          {(list ?? []).map((n) => (
            <ScheduleEditor key={n.slug} api={api} neighbourhood={n} editable={editor} onChanged={() => setReload((r) => r + 1)} />
          ))}
        </section>
    </div>
  );
}
