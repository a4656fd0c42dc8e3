import { useEffect, useRef, useState } from "preact/hooks";
import { MAX_BODY_CHARS, MAX_LOCATION_CHARS, REPORT_CATEGORIES, type Report } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { RiskGuidance } from "./RiskGuidance";
import { GuidanceCard } from "../shared/ui/GuidanceCard";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/ui/i18n";
import type { YouthClient } from "./controller";
import {
  REPORT_FIELDS,
  reportInput,
  reportStatus,
  validateReport,
  type ReportDraft,
  type ReportErrors,
  type ReportField,
  type TextRef,
} from "./report";

interface Props {
  client: YouthClient;
  onGoToChat: () => void;
}

/** "Something is happening now": the short form, then guidance cards and the report's status. */
export function ReportView({ client, onGoToChat }: Props) {
  useObservable(client);
  const report = client.currentReport;
  return (
    <div class="view report-view">
      {report ? <ReportResult client={client} report={report} onGoToChat={onGoToChat} /> : <ReportForm client={client} />}
    </div>
  );
}

/** The call-112 line that never depends on the server or on an officer. */
function Emergency() {
  const t = useT();
  return (
    <p class="report-emergency">
      <span>{t("report.emergency")}</span>{" "}
      <a class="call-112" href="tel:112">
        {t("report.call112")}
      </a>
    </p>
  );
}

function ReportForm({ client }: { client: YouthClient }) {
  const t = useT();
  const [draft, setDraft] = useState<ReportDraft>(() => client.reportDraft);
  const [errors, setErrors] = useState<ReportErrors>({});
  const [tried, setTried] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const update = (patch: Partial<ReportDraft>) => {
    const next = { ...draft, ...patch };
    client.reportDraft = next;
    setDraft(next);
    if (tried) setErrors(validateReport(next));
  };

  const focusField = (field: ReportField) => {
    formRef.current?.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (client.reportSending) return;
    const found = validateReport(draft);
    setErrors(found);
    setTried(true);
    const first = REPORT_FIELDS.find((field) => found[field]);
    if (first) {
      focusField(first);
      return;
    }
    const input = reportInput(draft);
    if (input) await client.submitReport(input);
  };

  const text = (ref: TextRef | undefined) => (ref ? t(ref.key, ref.params) : "");
  const describedBy = (field: ReportField, hint?: string) =>
    [hint, errors[field] ? `report-${field}-error` : undefined].filter(Boolean).join(" ") || undefined;
  const fieldError = (field: ReportField) =>
    errors[field] ? (
      <p id={`report-${field}-error`} class="field-error">
        {text(errors[field])}
      </p>
    ) : null;

  return (
    <form class="report-form" ref={formRef} noValidate onSubmit={submit} aria-labelledby="report-title">
      <h2 id="report-title">{t("report.title")}</h2>
      <Emergency />
      <p class="hint">{t("report.intro")}</p>

      <fieldset class="report-choices">
        <legend>{t("report.categoryLegend")}</legend>
        {REPORT_CATEGORIES.map((category, i) => (
          <label class="choice" key={category}>
            <input
              type="radio"
              name="report-category"
              value={category}
              data-testid={`report-category-${category}`}
              data-field={i === 0 ? "category" : undefined}
              checked={draft.category === category}
              aria-invalid={errors.category ? "true" : undefined}
              aria-describedby={describedBy("category")}
              onChange={() => update({ category })}
            />
            <span class="choice-text">
              <span class="choice-label">{t(`category.${category}`)}</span>
              <span class="hint">{t(`category.${category}.hint`)}</span>
            </span>
          </label>
        ))}
        {fieldError("category")}
      </fieldset>

      <fieldset class="report-choices report-now">
        <legend>{t("report.nowLegend")}</legend>
        {([true, false] as const).map((now) => (
          <label class="choice" key={String(now)}>
            <input
              type="radio"
              name="report-now"
              value={now ? "yes" : "no"}
              data-testid={now ? "report-now-yes" : "report-now-no"}
              data-field={now ? "happening_now" : undefined}
              checked={draft.happeningNow === now}
              aria-invalid={errors.happening_now ? "true" : undefined}
              aria-describedby={describedBy("happening_now")}
              onChange={() => update({ happeningNow: now })}
            />
            <span class="choice-label">{now ? t("report.nowYes") : t("report.nowNo")}</span>
          </label>
        ))}
        {fieldError("happening_now")}
      </fieldset>

      <div class="report-field">
        <label for="report-location">{t("report.location")}</label>
        <input
          id="report-location"
          data-testid="report-location"
          data-field="location"
          autocomplete="off"
          maxLength={MAX_LOCATION_CHARS}
          value={draft.location}
          aria-invalid={errors.location ? "true" : undefined}
          aria-describedby={describedBy("location", "report-location-hint")}
          onInput={(e) => update({ location: e.currentTarget.value })}
        />
        <span id="report-location-hint" class="hint">
          {t("report.locationHint")}
        </span>
        {fieldError("location")}
      </div>

      <div class="report-field">
        <label for="report-body">{t("report.body")}</label>
        <textarea
          id="report-body"
          data-testid="report-body"
          data-field="body"
          rows={4}
          maxLength={MAX_BODY_CHARS}
          value={draft.body}
          aria-invalid={errors.body ? "true" : undefined}
          aria-describedby={describedBy("body", "report-body-hint")}
          onInput={(e) => update({ body: e.currentTarget.value })}
        />
        <span id="report-body-hint" class="hint">
          {t("report.bodyHint")}
        </span>
        {fieldError("body")}
      </div>

      <ErrorAlert error={client.reportError} onDismiss={() => client.clearReportError()} />
      <RiskGuidance client={client} where="report" />
      {client.reportPending ? (
        <p class="report-pending" role="status" data-testid="report-pending">
          {client.reportSending ? t("report.sending") : t("report.waitingConnection")}
        </p>
      ) : null}
      {/* Not sent yet, so no cards from the server: the way to 112 stays right here. */}
      {client.reportPending && !client.reportSending ? <Emergency /> : null}
      <button type="submit" class="primary report-submit" data-testid="report-submit" disabled={client.reportSending}>
        {client.reportSending ? t("report.sending") : t("report.submit")}
      </button>
    </form>
  );
}

function ReportResult({ client, report, onGoToChat }: { client: YouthClient; report: Report; onGoToChat: () => void }) {
  const t = useT();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [report.id]);
  const cards = client.guidance.get(report.id) ?? [];
  const status = reportStatus(report, client.availability);
  const warn = status.key === "report.status.noOfficer";
  const urgent = cards.some((card) => card.kind === "112");
  const guidance =
    cards.length > 0 ? (
      <section class="guidance" data-testid="guidance" aria-labelledby="guidance-title">
        <h3 id="guidance-title">{t("report.guidanceTitle")}</h3>
        <ul class="cards">
          {cards.map((card) => (
            <li key={card.kind}>
              <GuidanceCard card={card} testId={`card-${card.kind}`} />
            </li>
          ))}
        </ul>
      </section>
    ) : null;
  return (
    <div class="report-result">
      <h2 tabIndex={-1} ref={heading}>
        {t("report.sentTitle")}
      </h2>
      {/* Danger now: a call button in sight without scrolling on a small phone, then the 112 card. */}
      {urgent ? <Emergency /> : null}
      {urgent ? guidance : null}
      <p class={warn ? "report-status report-status-warn" : "report-status"} role="status" data-testid="report-status" data-status={report.status}>
        {t(status.key, status.params)}
      </p>
      {report.status === "claimed" && report.conversation_id ? (
        <button type="button" class="primary" data-testid="report-chat" onClick={onGoToChat}>
          {t("report.goToChat")}
        </button>
      ) : null}
      {urgent ? null : guidance}
      {urgent ? null : <Emergency />}
      <div class="report-actions">
        <button type="button" class="link-button" data-testid="report-new" onClick={() => client.newReport()}>
          {t("report.new")}
        </button>
      </div>
    </div>
  );
}
