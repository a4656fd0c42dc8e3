import { useEffect, useState } from "preact/hooks";
import { calendarUrl, type StaffApi } from "../shared/http/api";
import type { Ack, ApiError, Neighbourhood, Schedule, ScheduleWindow } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useI18n } from "../shared/staff/i18n";
import { formatDate, formatSpan, stockholmToday, weekdayName } from "../shared/ui/when";
import { datedBody, sortWindows, WEEKDAY_CODES, weeklyBody, type DatedForm, type WeeklyForm } from "./schedule";

type FormName = "weekly" | "dated" | "closure" | "list";

const MISSING: ApiError = { code: "missing", message: "" };

interface Props {
  api: StaffApi;
  neighbourhood: Neighbourhood;
  /** Supervisors and admins edit; others only read. */
  editable: boolean;
  /** Called after every change (availability may have changed). */
  onChanged?: () => void;
}

/**
 * One neighbourhood's schedule: weekly and dated windows, closed days, the openings of the
 * next two weeks and the iCalendar feed; forms to add and buttons to remove (editors only).
 */
export function ScheduleEditor({ api, neighbourhood, editable, onChanged }: Props) {
  const { t, lang } = useI18n();
  const slug = neighbourhood.slug;
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [loadError, setLoadError] = useState<ApiError | null>(null);
  const [errors, setErrors] = useState<Partial<Record<FormName, ApiError>>>({});
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState("");
  const [weekly, setWeekly] = useState<WeeklyForm>({ weekday: "fri", start: "18:00", end: "02:00", label: "" });
  const [dated, setDated] = useState<DatedForm>({ date: "", start: "18:00", end: "02:00", label: "" });
  const [closure, setClosure] = useState({ date: "", reason: "" });

  const load = async () => {
    const ack = await api.schedule(slug);
    if (ack.ok) {
      setSchedule(ack);
      setLoadError(null);
    } else {
      setLoadError(ack.error);
    }
  };

  useEffect(() => {
    void load();
  }, [slug]);

  const setError = (form: FormName, error: ApiError | null) =>
    setErrors((current) => {
      const next = { ...current };
      if (error) next[form] = error;
      else delete next[form];
      return next;
    });

  /** Runs one change; on success reloads the schedule and says so, otherwise shows why not. */
  const change = async (form: FormName, action: () => Promise<Ack<object>>, onDone?: () => void): Promise<void> => {
    if (busy) return;
    setBusy(true);
    setSaved("");
    const ack = await action();
    setBusy(false);
    if (!ack.ok) {
      setError(form, ack.error);
      return;
    }
    setError(form, null);
    onDone?.();
    setSaved(t("schedule.saved"));
    await load();
    onChanged?.();
  };

  const addWeekly = (e: Event) => {
    e.preventDefault();
    const body = weeklyBody(weekly);
    if (!body) return setError("weekly", MISSING);
    void change("weekly", () => api.addWindow(slug, body), () => setWeekly({ ...weekly, label: "" }));
  };

  const addDated = (e: Event) => {
    e.preventDefault();
    const body = datedBody(dated);
    if (!body) return setError("dated", MISSING);
    void change("dated", () => api.addWindow(slug, body), () => setDated({ ...dated, date: "", label: "" }));
  };

  const addClosure = (e: Event) => {
    e.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(closure.date)) return setError("closure", MISSING);
    void change("closure", () => api.addClosure(slug, closure.date, closure.reason.trim()), () => setClosure({ date: "", reason: "" }));
  };

  const errorOf = (form: FormName) => {
    const error = errors[form];
    if (!error) return null;
    if (error === MISSING) {
      return (
        <p class="alert" role="alert">
          {t("schedule.missing")}
        </p>
      );
    }
    return <ErrorAlert error={error} detailed onDismiss={() => setError(form, null)} />;
  };

  const describe = (w: ScheduleWindow) => {
    const day = w.kind === "weekly" ? weekdayName(w.weekday ?? "", lang) : formatDate(w.date ?? "", lang);
    return t("schedule.span", { day, start: w.start, end: w.end });
  };

  const windowItem = (w: ScheduleWindow) => {
    const text = describe(w);
    return (
      <li key={w.id} data-testid={`window-${w.id}`}>
        <span>
          {text}
          {w.label ? <span class="schedule-label"> · {w.label}</span> : null}
        </span>
        {editable ? (
          <button
            type="button"
            class="link-button"
            data-testid={`window-remove-${w.id}`}
            aria-label={t("schedule.removeWhat", { what: text })}
            disabled={busy}
            onClick={() => void change("list", () => api.removeWindow(w.id))}
          >
            {t("schedule.remove")}
          </button>
        ) : null}
      </li>
    );
  };

  const { weekly: weeklyWindows, dated: datedWindows } = sortWindows(schedule?.windows ?? []);
  const closures = [...(schedule?.closures ?? [])].sort((a, b) => a.date.localeCompare(b.date));
  const today = stockholmToday();
  const titleId = `schedule-title-${slug}`;

  return (
    <section class="schedule" aria-labelledby={titleId} data-testid={`schedule-${slug}`}>
      <h3 id={titleId}>{t("schedule.title", { name: neighbourhood.name })}</h3>
      <ErrorAlert error={loadError} />
      {schedule === null && !loadError ? <p class="hint">{t("common.loading")}</p> : null}
      {schedule ? (
        <>
          <p class="hint">{t("schedule.timezone", { tz: schedule.timezone })}</p>
          <div class="schedule-lists">
            <div>
              <h4>{t("schedule.weekly")}</h4>
              <ul class="schedule-list" data-testid="weekly-windows">
                {weeklyWindows.length === 0 ? <li class="hint">{t("schedule.weeklyNone")}</li> : null}
                {weeklyWindows.map(windowItem)}
              </ul>
              <h4>{t("schedule.dated")}</h4>
              <ul class="schedule-list" data-testid="dated-windows">
                {datedWindows.length === 0 ? <li class="hint">{t("schedule.datedNone")}</li> : null}
                {datedWindows.map(windowItem)}
              </ul>
              <h4>{t("schedule.closures")}</h4>
              <ul class="schedule-list" data-testid="closures">
                {closures.length === 0 ? <li class="hint">{t("schedule.closuresNone")}</li> : null}
                {closures.map((c) => {
                  const text = formatDate(c.date, lang);
                  return (
                    <li key={c.id} data-testid={`closure-${c.id}`}>
                      <span>
                        {text}
                        {c.reason ? <span class="schedule-label"> · {c.reason}</span> : null}
                      </span>
                      {editable ? (
                        <button
                          type="button"
                          class="link-button"
                          data-testid={`closure-remove-${c.id}`}
                          aria-label={t("schedule.removeWhat", { what: text })}
                          disabled={busy}
                          onClick={() => void change("list", () => api.removeClosure(c.id))}
                        >
                          {t("schedule.remove")}
                        </button>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
              {errorOf("list")}
            </div>
            <div>
              <h4>{t("schedule.upcoming")}</h4>
              <ul class="schedule-list" data-testid={`upcoming-${slug}`}>
                {schedule.upcoming.length === 0 ? <li class="hint">{t("schedule.upcomingNone")}</li> : null}
                {schedule.upcoming.map((o) => (
                  <li key={o.start}>
                    <span>
                      {formatSpan(o.start, o.end, lang)}
                      {o.label ? <span class="schedule-label"> · {o.label}</span> : null}
                    </span>
                  </li>
                ))}
              </ul>
              <p>
                <a href={calendarUrl(slug)} data-testid={`calendar-${slug}`} type="text/calendar">
                  {t("schedule.calendar")}
                </a>
              </p>
            </div>
          </div>
        </>
      ) : null}
      {!editable ? <p class="hint">{t("schedule.readOnly")}</p> : null}
      {editable && schedule ? (
        <div class="schedule-forms">
          <form class="schedule-form" onSubmit={addWeekly} noValidate>
            <fieldset>
              <legend>{t("schedule.addWeekly")}</legend>
              <label>
                <span>{t("schedule.weekday")}</span>
                <select data-testid="window-weekday" value={weekly.weekday} onChange={(e) => setWeekly({ ...weekly, weekday: e.currentTarget.value })}>
                  {WEEKDAY_CODES.map((code) => (
                    <option key={code} value={code}>
                      {weekdayName(code, lang)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                <span>{t("schedule.start")}</span>
                <input type="time" required data-testid="window-start" value={weekly.start} onInput={(e) => setWeekly({ ...weekly, start: e.currentTarget.value })} />
              </label>
              <label>
                <span>{t("schedule.end")}</span>
                <input type="time" required data-testid="window-end" value={weekly.end} onInput={(e) => setWeekly({ ...weekly, end: e.currentTarget.value })} />
              </label>
              <label>
                <span>{t("schedule.label")}</span>
                <input type="text" maxLength={80} data-testid="window-label" value={weekly.label} onInput={(e) => setWeekly({ ...weekly, label: e.currentTarget.value })} />
              </label>
              <p class="hint">{t("schedule.endHint")}</p>
              {errorOf("weekly")}
              <button type="submit" class="primary" data-testid="window-add" disabled={busy}>
                {t("schedule.addWeekly")}
              </button>
            </fieldset>
          </form>
          <form class="schedule-form" onSubmit={addDated} noValidate>
            <fieldset>
              <legend>{t("schedule.addDated")}</legend>
              <label>
                <span>{t("schedule.date")}</span>
                <input type="date" required min={today} data-testid="dated-date" value={dated.date} onInput={(e) => setDated({ ...dated, date: e.currentTarget.value })} />
              </label>
              <label>
                <span>{t("schedule.start")}</span>
                <input type="time" required data-testid="dated-start" value={dated.start} onInput={(e) => setDated({ ...dated, start: e.currentTarget.value })} />
              </label>
              <label>
                <span>{t("schedule.end")}</span>
                <input type="time" required data-testid="dated-end" value={dated.end} onInput={(e) => setDated({ ...dated, end: e.currentTarget.value })} />
              </label>
              <label>
                <span>{t("schedule.label")}</span>
                <input
                  type="text"
                  maxLength={80}
                  data-testid="dated-label"
                  placeholder={t("schedule.labelHint")}
                  value={dated.label}
                  onInput={(e) => setDated({ ...dated, label: e.currentTarget.value })}
                />
              </label>
              <p class="hint">{t("schedule.endHint")}</p>
              {errorOf("dated")}
              <button type="submit" class="primary" data-testid="dated-add" disabled={busy}>
                {t("schedule.addDated")}
              </button>
            </fieldset>
          </form>
          <form class="schedule-form" onSubmit={addClosure} noValidate>
            <fieldset>
              <legend>{t("schedule.addClosure")}</legend>
              <label>
                <span>{t("schedule.date")}</span>
                <input type="date" required min={today} data-testid="closure-date" value={closure.date} onInput={(e) => setClosure({ ...closure, date: e.currentTarget.value })} />
              </label>
              <label>
                <span>{t("schedule.reason")}</span>
                <input type="text" maxLength={200} data-testid="closure-reason" value={closure.reason} onInput={(e) => setClosure({ ...closure, reason: e.currentTarget.value })} />
              </label>
              {errorOf("closure")}
              <button type="submit" class="primary" data-testid="closure-add" disabled={busy}>
                {t("schedule.closeDay")}
              </button>
            </fieldset>
          </form>
        </div>
      ) : null}
      <p class="visually-hidden" role="status">
        {saved}
      </p>
    </section>
  );
}
