import { useEffect, useState } from "preact/hooks";
import { auditCsvUrl, type StaffApi } from "../shared/http/api";
import type { ApiError, AuditEntry, StaffUser } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useI18n } from "../shared/staff/i18n";
import { formatStamp } from "../shared/ui/when";
import { actorText, auditFilters, detailText, EMPTY_AUDIT, type AuditForm } from "./transcript";

/** Action prefixes offered in the action filter (any prefix of an action works). */
const ACTION_PREFIXES = [
  "transcript.",
  "review.",
  "retention.",
  "audit.",
  "chat.",
  "report.",
  "handoff.",
  "moderation.",
  "duty.",
  "auth.",
  "schedule.",
  "account.",
];

/** The audit log, newest first: who did what to which record (never content); CSV export. */
export function Audit({ api, user }: { api: StaffApi; user: StaffUser }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState<AuditForm>(EMPTY_AUDIT);
  const [applied, setApplied] = useState<Record<string, string>>({});
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const names = { [user.id]: t("review.byYou") };

  async function load(filters: Record<string, string>, before: string | null): Promise<void> {
    setBusy(true);
    const ack = await api.audit(before ? { ...filters, before } : filters);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setError(null);
    setApplied(filters);
    setEntries((current) => (before ? [...(current ?? []), ...ack.entries] : ack.entries));
    setNext(ack.next);
  }

  useEffect(() => {
    void load({}, null);
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    const check = auditFilters(form);
    if (!check.ok) {
      setError({ code: "filter", message: t("search.datesInvalid") });
      return;
    }
    void load(check.filters, null);
  };

  const set = (name: keyof AuditForm) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });

  return (
    <div class="supervisor-page" data-testid="audit-log">
      <h2>{t("audit.title")}</h2>
      <p class="hint">{t("audit.intro")}</p>
      <form class="filters" role="search" onSubmit={submit} noValidate data-testid="audit-filters">
        <label>
          <span>{t("audit.action")}</span>
          <input type="text" list="audit-actions" data-testid="audit-filter-action" value={form.action} onInput={set("action")} />
          <datalist id="audit-actions">
            {ACTION_PREFIXES.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          <span>{t("audit.actor")}</span>
          <input type="text" data-testid="audit-filter-actor" value={form.actor} onInput={set("actor")} />
        </label>
        <label>
          <span>{t("audit.target")}</span>
          <input type="text" data-testid="audit-filter-target" value={form.target} onInput={set("target")} />
        </label>
        <label>
          <span>{t("search.from")}</span>
          <input type="date" data-testid="audit-filter-from" value={form.from} onInput={set("from")} />
        </label>
        <label>
          <span>{t("search.to")}</span>
          <input type="date" data-testid="audit-filter-to" value={form.to} onInput={set("to")} />
        </label>
        <div class="filter-actions">
          <button type="submit" class="primary" data-testid="audit-submit" disabled={busy}>
            {t("search.submit")}
          </button>
          <a href={auditCsvUrl(applied)} data-testid="audit-csv" download>
            {t("audit.csv")}
          </a>
        </div>
      </form>
      <p class="hint">{t("audit.csvHint")}</p>
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      <p class="hint" role="status">
        {entries === null ? (busy ? t("common.loading") : "") : t(next ? "search.countMore" : "search.count", { n: entries.length })}
      </p>
      {entries && entries.length > 0 ? (
        <div class="table-wrap">
          <table class="staffing results">
            <caption class="visually-hidden">{t("audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("audit.col.at")}</th>
                <th scope="col">{t("audit.col.actor")}</th>
                <th scope="col">{t("audit.col.action")}</th>
                <th scope="col">{t("audit.col.target")}</th>
                <th scope="col">{t("audit.col.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="audit-row" data-action={entry.action}>
                  <td>
                    <time dateTime={entry.at}>{formatStamp(entry.at, lang)}</time>
                  </td>
                  <td>{actorText(t, entry.actor, names)}</td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>{entry.target.kind ? `${entry.target.kind} ${entry.target.id ?? ""}`.trim() : "–"}</td>
                  <td class="detail">{detailText(entry.detail) || "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {entries && entries.length === 0 ? <p class="hint">{t("search.none")}</p> : null}
      {next ? (
        <button type="button" data-testid="audit-more" disabled={busy} onClick={() => void load(applied, next)}>
          {t("search.more")}
        </button>
      ) : null}
    </div>
  );
}
