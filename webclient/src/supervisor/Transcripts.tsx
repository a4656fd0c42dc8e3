import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import type { ApiError, Neighbourhood, StaffUser, TranscriptSummary } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useI18n } from "../shared/staff/i18n";
import { formatStamp } from "../shared/ui/when";
import {
  CATEGORIES,
  codeText,
  EMPTY_SEARCH,
  FLAG_FILTERS,
  HANDOFFS,
  PRIORITY_LEVELS,
  searchFilters,
  type SearchForm,
} from "./transcript";
import { TranscriptReader } from "./TranscriptView";

interface Props {
  api: StaffApi;
  user: StaffUser;
}

/**
 * Transcript search of the supervisor's region (no content, so not audited), and the
 * reader, which asks for a reason before anything is shown.
 */
export function Transcripts({ api, user }: Props) {
  const { t, lang } = useI18n();
  const [rooms, setRooms] = useState<Neighbourhood[]>([]);
  const [form, setForm] = useState<SearchForm>(EMPTY_SEARCH);
  const [applied, setApplied] = useState<SearchForm>(EMPTY_SEARCH);
  const [rows, setRows] = useState<TranscriptSummary[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<TranscriptSummary | null>(null);

  useEffect(() => {
    void api.neighbourhoods().then((ack) => {
      if (!ack.ok) return;
      const region = user.region;
      setRooms(region ? ack.neighbourhoods.filter((n) => n.region === region) : ack.neighbourhoods);
    });
    void run(EMPTY_SEARCH, null);
  }, []);

  const roomName = (slug: string) => rooms.find((n) => n.slug === slug)?.name ?? slug;

  /** Searches with `search`; `before` fetches the next page and appends it. */
  async function run(search: SearchForm, before: string | null): Promise<void> {
    const check = searchFilters(search, before);
    if (!check.ok) {
      setError({ code: "filter", message: t(check.problem === "officer" ? "search.officerInvalid" : "search.datesInvalid") });
      return;
    }
    setBusy(true);
    setError(null);
    const ack = await api.transcripts(check.filters);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setApplied(search);
    setRows((current) => (before ? [...(current ?? []), ...ack.conversations] : ack.conversations));
    setNext(ack.next);
  }

  const set = (name: keyof SearchForm) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });

  if (selected) {
    return (
      <TranscriptReader
        api={api}
        user={user}
        summary={selected}
        roomName={roomName(selected.room)}
        onBack={() => setSelected(null)}
        onReviewed={(id) => setRows((current) => current?.map((r) => (r.id === id ? { ...r, reviewed: true } : r)) ?? null)}
      />
    );
  }

  return (
    <div class="supervisor-page" data-testid="transcripts">
      <h2>{t("search.title")}</h2>
      <p class="hint">{t("search.intro")}</p>
      <form
        class="filters"
        data-testid="transcript-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          void run(form, null);
        }}
        noValidate
      >
        <label>
          <span>{t("search.room")}</span>
          <select data-testid="filter-room" value={form.room} onChange={set("room")}>
            <option value="">{t("search.any")}</option>
            {rooms.map((n) => (
              <option key={n.slug} value={n.slug}>
                {n.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("search.officer")}</span>
          <input type="text" inputMode="numeric" data-testid="filter-officer" value={form.officer} onInput={set("officer")} />
        </label>
        <label>
          <span>{t("search.from")}</span>
          <input type="date" data-testid="filter-from" value={form.from} onInput={set("from")} />
        </label>
        <label>
          <span>{t("search.to")}</span>
          <input type="date" data-testid="filter-to" value={form.to} onInput={set("to")} />
        </label>
        <label>
          <span>{t("search.category")}</span>
          <select data-testid="filter-category" value={form.category} onChange={set("category")}>
            <option value="">{t("search.any")}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {codeText(t, "category.", c)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("search.priority")}</span>
          <select data-testid="filter-priority" value={form.priority} onChange={set("priority")}>
            <option value="">{t("search.any")}</option>
            {PRIORITY_LEVELS.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("search.handoff")}</span>
          <select data-testid="filter-handoff" value={form.handoff} onChange={set("handoff")}>
            <option value="">{t("search.any")}</option>
            {HANDOFFS.map((k) => (
              <option key={k} value={k}>
                {codeText(t, "handoff.give.", k)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("search.flag")}</span>
          <select data-testid="filter-flag" value={form.flag} onChange={set("flag")}>
            <option value="">{t("search.any")}</option>
            {FLAG_FILTERS.map((f) => (
              <option key={f} value={f}>
                {codeText(t, "flag.", f)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("search.reviewed")}</span>
          <select data-testid="filter-reviewed" value={form.reviewed} onChange={set("reviewed")}>
            <option value="">{t("search.any")}</option>
            <option value="true">{t("common.yes")}</option>
            <option value="false">{t("common.no")}</option>
          </select>
        </label>
        <div class="filter-actions">
          <button type="submit" class="primary" data-testid="search-submit" disabled={busy}>
            {t("search.submit")}
          </button>
          <button
            type="button"
            onClick={() => {
              setForm(EMPTY_SEARCH);
              void run(EMPTY_SEARCH, null);
            }}
          >
            {t("search.clear")}
          </button>
        </div>
      </form>
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      <p class="hint" role="status">
        {rows === null ? (busy ? t("common.loading") : "") : t(next ? "search.countMore" : "search.count", { n: rows.length })}
      </p>
      {rows && rows.length > 0 ? (
        <div class="table-wrap">
          <table class="staffing results" data-testid="transcript-results">
            <caption class="visually-hidden">{t("search.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("search.col.room")}</th>
                <th scope="col">{t("search.col.created")}</th>
                <th scope="col">{t("search.col.officer")}</th>
                <th scope="col">{t("search.col.report")}</th>
                <th scope="col">{t("search.col.handoffs")}</th>
                <th scope="col">{t("search.col.flags")}</th>
                <th scope="col">{t("search.col.messages")}</th>
                <th scope="col">{t("search.col.reviewed")}</th>
                <th scope="col">
                  <span class="visually-hidden">{t("search.col.open")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-testid={`transcript-row-${row.id}`}>
                  <th scope="row">{roomName(row.room)}</th>
                  <td>{formatStamp(row.created_at, lang)}</td>
                  <td>{row.officer ? `${row.officer.name} (#${row.officer.id})` : "–"}</td>
                  <td>
                    {row.report ? (
                      <>
                        <span class={`prio prio-${row.report.priority.toLowerCase()}`}>{row.report.priority}</span>{" "}
                        {codeText(t, "category.", row.report.category)}
                        <br />
                        <span class="hint">
                          {row.report.outcome ? codeText(t, "outcome.", row.report.outcome) : t("search.noOutcome")}
                        </span>
                      </>
                    ) : (
                      "–"
                    )}
                  </td>
                  <td>{row.handoffs.length > 0 ? row.handoffs.map((k) => codeText(t, "handoff.give.", k)).join(", ") : "–"}</td>
                  <td>{row.flags.length > 0 ? row.flags.map((f) => codeText(t, "flag.", f)).join(", ") : "–"}</td>
                  <td class="num">{row.messages}</td>
                  <td>{row.reviewed ? t("common.yes") : t("common.no")}</td>
                  <td>
                    <button
                      type="button"
                      data-testid="transcript-select"
                      aria-label={t("search.openLabel", { room: roomName(row.room), time: formatStamp(row.created_at, lang) })}
                      onClick={() => setSelected(row)}
                    >
                      {t("search.open")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {rows && rows.length === 0 ? <p class="hint">{t("search.none")}</p> : null}
      {next ? (
        <button type="button" data-testid="search-more" disabled={busy} onClick={() => void run(applied, next)}>
          {t("search.more")}
        </button>
      ) : null}
    </div>
  );
}
