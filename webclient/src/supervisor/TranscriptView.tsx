import { useEffect, useRef, useState } from "preact/hooks";
import { showBidiControls } from "../shared/ui/bidi";
import { reasonText } from "../shared/ui/reasons";
import { exportUrl, type StaffApi } from "../shared/http/api";
import type { ApiError, Message, QualityReview, StaffUser, Transcript, TranscriptSummary } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useI18n } from "../shared/staff/i18n";
import { formatStamp } from "../shared/ui/when";
import {
  actorText,
  buildTimeline,
  codeText,
  eventText,
  READ_REASONS,
  readReason,
  reasonLabel,
  type ReadReasonChoice,
} from "./transcript";

interface ReaderProps {
  api: StaffApi;
  user: StaffUser;
  summary: TranscriptSummary;
  roomName: string;
  onBack: () => void;
  onReviewed: (id: string) => void;
}

/** First the reason (every read is logged with it), then the transcript itself. */
export function TranscriptReader({ api, user, summary, roomName, onBack, onReviewed }: ReaderProps) {
  const { t, lang } = useI18n();
  const [choice, setChoice] = useState<ReadReasonChoice>("");
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState<{ reason: string; data: Transcript } | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), [opened === null]);

  const open = async (e: Event) => {
    e.preventDefault();
    const check = readReason(choice, text);
    if (!check.ok) {
      setProblem(t(check.problem === "choose" ? "read.chooseReason" : check.problem === "short" ? "read.reasonShort" : "read.reasonLong"));
      return;
    }
    setProblem(null);
    setBusy(true);
    const ack = await api.transcript(summary.id, check.reason);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setError(null);
    setOpened({ reason: check.reason, data: ack });
  };

  const back = (
    <button type="button" class="back" data-testid="transcript-back" onClick={onBack}>
      {t("read.back")}
    </button>
  );

  if (opened) {
    return (
      <div class="supervisor-page">
        {back}
        <TranscriptView
          api={api}
          user={user}
          id={summary.id}
          roomName={roomName}
          reason={opened.reason}
          data={opened.data}
          headingRef={heading}
          onChange={(data) => setOpened({ ...opened, data })}
          onReviewed={() => onReviewed(summary.id)}
        />
      </div>
    );
  }

  return (
    <div class="supervisor-page">
      {back}
      <section class="read-reason" aria-labelledby="read-title" data-testid="transcript-reason">
        <h2 id="read-title" ref={heading} tabIndex={-1}>
          {t("read.title", { room: roomName, time: formatStamp(summary.created_at, lang) })}
        </h2>
        <p class="notice" data-testid="read-logged">
          {t("read.logged")}
        </p>
        <form onSubmit={open} noValidate>
          <fieldset>
            <legend>{t("read.reasonLegend")}</legend>
            <label>
              <span>{t("read.reason")}</span>
              <select
                data-testid="reason-select"
                required
                value={choice}
                onChange={(e) => setChoice(e.currentTarget.value as ReadReasonChoice)}
                aria-describedby={problem ? "read-problem" : undefined}
              >
                <option value="">{t("read.reasonPick")}</option>
                {READ_REASONS.map((code) => (
                  <option key={code} value={code}>
                    {t(`readReason.${code}`)}
                  </option>
                ))}
              </select>
            </label>
            {choice === "other" ? (
              <label>
                <span>{t("read.reasonText")}</span>
                <input
                  type="text"
                  data-testid="reason-text"
                  required
                  maxLength={500}
                  value={text}
                  onInput={(e) => setText(e.currentTarget.value)}
                  aria-describedby="reason-text-hint"
                />
                <span id="reason-text-hint" class="hint">
                  {t("read.reasonTextHint")}
                </span>
              </label>
            ) : null}
            {problem ? (
              <p id="read-problem" class="alert" role="alert">
                {problem}
              </p>
            ) : null}
            <ErrorAlert error={error} detailed />
            <button type="submit" class="primary" data-testid="transcript-open" disabled={busy}>
              {t("read.open")}
            </button>
          </fieldset>
        </form>
      </section>
    </div>
  );
}

interface ViewProps {
  api: StaffApi;
  user: StaffUser;
  id: string;
  roomName: string;
  reason: string;
  data: Transcript;
  headingRef: { current: HTMLHeadingElement | null };
  onChange: (data: Transcript) => void;
  onReviewed: () => void;
}

/** The transcript: header, report, handoffs, messages with officer actions, review, hold, export. */
export function TranscriptView({ api, user, id, roomName, reason, data, headingRef, onChange, onReviewed }: ViewProps) {
  const { t, lang } = useI18n();
  const { conversation, report } = data;
  const names: Record<string, string> = { [user.id]: user.display_name };
  if (conversation.officer_id && conversation.officer) names[conversation.officer_id] = conversation.officer.name;
  if (report?.claimed_by) names[String(report.claimed_by.id)] = report.claimed_by.name;
  const youthName = conversation.youth?.nickname;
  const timeline = buildTimeline(data.messages, data.events, data.notes ?? []);
  const statusKey = `inbox.status.${conversation.status}` as const;

  return (
    <article class="transcript" data-testid="transcript-view" aria-labelledby="transcript-title">
      <h2 id="transcript-title" ref={headingRef} tabIndex={-1}>
        {t("transcript.title", { room: roomName })}
      </h2>
      <p class="hint">{t("transcript.readWith", { reason: reasonLabel(t, reason) })}</p>
      <dl class="facts" data-testid="transcript-header">
        <dt>{t("transcript.status")}</dt>
        <dd>{t(statusKey)}</dd>
        <dt>{t("transcript.created")}</dt>
        <dd>{formatStamp(conversation.created_at, lang)}</dd>
        <dt>{t("transcript.taken")}</dt>
        <dd>{formatStamp(conversation.taken_at, lang) || "–"}</dd>
        <dt>{t("transcript.closed")}</dt>
        <dd>{formatStamp(conversation.closed_at, lang) || "–"}</dd>
        <dt>{t("transcript.officer")}</dt>
        <dd>{conversation.officer ? `${conversation.officer.name} (#${conversation.officer_id ?? "?"})` : "–"}</dd>
        <dt>{t("transcript.youth")}</dt>
        <dd>{youthName ?? "–"}</dd>
        <dt>{t("transcript.legalHold")}</dt>
        <dd data-testid="legal-hold">{conversation.legal_hold ? t("common.yes") : t("common.no")}</dd>
      </dl>

      <Unmask api={api} id={id} reason={reason} data={data} onChange={onChange} />

      {report ? (
        <section class="transcript-report" aria-labelledby="transcript-report-title" data-testid="transcript-report">
          <h3 id="transcript-report-title">{t("transcript.report")}</h3>
          <dl class="facts">
            <dt>{t("search.category")}</dt>
            <dd>{codeText(t, "category.", report.category)}</dd>
            <dt>{t("search.priority")}</dt>
            <dd>
              <span class={`prio prio-${report.priority.toLowerCase()}`}>{report.priority}</span>{" "}
              {report.happening_now ? t("triage.now") : t("triage.notNow")}
            </dd>
            <dt>{t("triage.reasons")}</dt>
            <dd>
              {report.reasons && report.reasons.length > 0 ? (
                <ul class="reasons">
                  {report.reasons.map((code) => (
                    <li key={code}>{reasonText(t, code)}</li>
                  ))}
                </ul>
              ) : (
                "–"
              )}
            </dd>
            <dt>{t("report.outcome")}</dt>
            <dd>{report.outcome ? codeText(t, "outcome.", report.outcome) : t("search.noOutcome")}</dd>
            <dt>{t("transcript.reportTimes")}</dt>
            <dd>
              {formatStamp(report.created_at, lang)}
              {report.claimed_at ? ` · ${t("transcript.claimedAt", { time: formatStamp(report.claimed_at, lang) })}` : ""}
              {report.closed_at ? ` · ${t("transcript.closedAt", { time: formatStamp(report.closed_at, lang) })}` : ""}
            </dd>
            <dt>{t("transcript.location")}</dt>
            <dd>{report.location || "–"}</dd>
          </dl>
          {report.body ? <p class="transcript-body">{report.body}</p> : null}
        </section>
      ) : null}

      {data.handoffs.length > 0 ? (
        <section aria-labelledby="transcript-handoffs-title">
          <h3 id="transcript-handoffs-title">{t("transcript.handoffs")}</h3>
          <ul class="plain-list" data-testid="transcript-handoffs">
            {data.handoffs.map((h) => (
              <li key={h.id}>
                <strong>{codeText(t, "handoff.give.", h.kind)}</strong> · {t("transcript.sentAt", { time: formatStamp(h.created_at, lang) })} ·{" "}
                {h.opened_at ? t("transcript.openedAt", { time: formatStamp(h.opened_at, lang) }) : t("handoff.notOpened")}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="transcript-log-title">
        <h3 id="transcript-log-title">{t("transcript.messages", { n: data.messages.length })}</h3>
        <ol class="timeline" data-testid="transcript-timeline">
          {timeline.length === 0 ? <li class="hint">{t("transcript.empty")}</li> : null}
          {timeline.map((item, index) =>
            item.kind === "message" ? (
              <TranscriptMessage key={`m${item.message.id}`} message={item.message} />
            ) : item.kind === "note" ? (
              <li key={`n${item.note.id}`} class="timeline-note staff-note" data-testid="transcript-note">
                <time dateTime={item.note.created_at}>{formatStamp(item.note.created_at, lang)}</time>{" "}
                <span class="event-actor">{t("transcript.note", { name: item.note.author.name })}</span>
                <p class="staff-note-body">{item.note.body}</p>
              </li>
            ) : (
              <li key={`e${index}:${item.event.at}:${item.event.action}`} class="timeline-event" data-testid="transcript-event" data-action={item.event.action}>
                <time dateTime={item.event.at}>{formatStamp(item.event.at, lang)}</time>{" "}
                <span class="event-actor">{actorText(t, item.event.actor, names, youthName)}</span>: <span>{eventText(t, item.event)}</span>
              </li>
            ),
          )}
        </ol>
      </section>

      <ReviewSection api={api} user={user} id={id} reviews={data.reviews} onAdded={(review) => {
        onChange({ ...data, reviews: [...data.reviews, review] });
        onReviewed();
      }} />
      <HoldSection api={api} id={id} reason={reason} held={conversation.legal_hold} onChange={(hold) => onChange({ ...data, conversation: { ...conversation, legal_hold: hold } })} />

      <section aria-labelledby="transcript-export-title" class="export">
        <h3 id="transcript-export-title">{t("transcript.export")}</h3>
        <p class="hint">{t("transcript.exportHint")}</p>
        <p class="export-links">
          <a href={exportUrl(id, "json", reason)} target="_blank" rel="noopener noreferrer" data-testid="export-json">
            {t("transcript.exportJson")} <span class="visually-hidden">{t("card.newTab")}</span>
          </a>
          <a href={exportUrl(id, "pdf", reason)} target="_blank" rel="noopener noreferrer" data-testid="export-pdf">
            {t("transcript.exportPdf")} <span class="visually-hidden">{t("card.newTab")}</span>
          </a>
        </p>
      </section>
    </article>
  );
}

function TranscriptMessage({ message }: { message: Message }) {
  const { t, lang } = useI18n();
  const kind = message.author.kind;
  const flags = message.flags ?? [];
  return (
    <li class={`timeline-message message-${kind}${message.hidden ? " message-hidden" : ""}`} data-testid="transcript-message" data-id={message.id}>
      <div class="message-meta">
        <span class="message-author">{message.author.name}</span>
        <span class="hint">{t(`transcript.kind.${kind}`)}</span>
        <time class="message-time" dateTime={message.created_at}>
          {formatStamp(message.created_at, lang)}
        </time>
      </div>
      <p class="message-body" dir="auto">
        {showBidiControls(message.body)}
      </p>
      {message.hidden ? <p class="message-hidden-note">{t("message.hiddenByModerator")}</p> : null}
      {flags.length > 0 || (message.flag_count ?? 0) > 0 ? (
        <ul class="reasons" aria-label={t("transcript.flags")}>
          {flags.map((f) => (
            <li key={f} class="flag-item">
              {codeText(t, "flag.", f)}
            </li>
          ))}
          {(message.flag_count ?? 0) > 0 ? <li class="flag-item">{t("moderation.flagCount", { n: message.flag_count ?? 0 })}</li> : null}
        </ul>
      ) : null}
    </li>
  );
}

/** Masked by default; showing personal data restates the reason first, and is logged on its own. */
function Unmask({ api, id, reason, data, onChange }: { api: StaffApi; id: string; reason: string; data: Transcript; onChange: (data: Transcript) => void }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const unmaskRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  if (!data.masked) {
    return (
      <p class="notice unmasked" role="status" data-testid="unmasked-notice">
        {t("unmask.shown", { reason: reasonLabel(t, reason) })}
      </p>
    );
  }

  const confirm = async () => {
    setBusy(true);
    const ack = await api.transcript(id, reason, true);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setAsking(false);
    onChange(ack);
  };

  return (
    <div class="masked">
      <p class="notice">
        {t("unmask.masked")}{" "}
        <button type="button" ref={unmaskRef} data-testid="unmask" aria-expanded={asking} onClick={() => setAsking(true)}>
          {t("unmask.button")}
        </button>
      </p>
      {asking ? (
        <div class="confirm" role="alertdialog" aria-labelledby="unmask-title" aria-describedby="unmask-text" data-testid="unmask-dialog">
          <p id="unmask-title" class="confirm-title">
            {t("unmask.title")}
          </p>
          <p id="unmask-text">{t("unmask.text", { reason: reasonLabel(t, reason) })}</p>
          <ErrorAlert error={error} detailed />
          <div class="confirm-buttons">
            <button type="button" class="primary" ref={confirmRef} data-testid="unmask-confirm" disabled={busy} onClick={() => void confirm()}>
              {t("unmask.confirm")}
            </button>
            <button
              type="button"
              data-testid="unmask-cancel"
              onClick={() => {
                setAsking(false);
                setError(null);
                unmaskRef.current?.focus();
              }}
            >
              {t("common.cancel")}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}

const CHECKS = ["answered_in_time", "right_handoff", "good_tone", "secrecy_kept"] as const;
type Check = (typeof CHECKS)[number];

function ReviewSection({ api, user, id, reviews, onAdded }: { api: StaffApi; user: StaffUser; id: string; reviews: QualityReview[]; onAdded: (review: QualityReview) => void }) {
  const { t, lang } = useI18n();
  const [checks, setChecks] = useState<Record<Check, boolean>>({ answered_in_time: false, right_handoff: false, good_tone: false, secrecy_kept: false });
  const [notes, setNotes] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState("");

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setSaved("");
    const note = notes.trim();
    const ack = await api.review(id, { ...checks, ...(note ? { notes: note } : {}) });
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setError(null);
    setNotes("");
    setChecks({ answered_in_time: false, right_handoff: false, good_tone: false, secrecy_kept: false });
    setSaved(t("review.saved"));
    onAdded(ack.review);
  };

  return (
    <section aria-labelledby="review-title" class="review">
      <h3 id="review-title">{t("review.title")}</h3>
      {reviews.length === 0 ? <p class="hint">{t("review.none")}</p> : null}
      <ul class="plain-list" data-testid="review-list">
        {reviews.map((r) => (
          <ReviewItem key={r.id} review={r} mine={r.reviewer_id === user.id} lang={lang} />
        ))}
      </ul>
      <form class="review-form" data-testid="review-form" onSubmit={submit}>
        <fieldset>
          <legend>{t("review.legend")}</legend>
          {CHECKS.map((name) => (
            <label key={name} class="check">
              <input
                type="checkbox"
                data-testid={`review-${name}`}
                checked={checks[name]}
                onChange={(e) => setChecks({ ...checks, [name]: e.currentTarget.checked })}
              />
              <span>{t(`review.${name}`)}</span>
            </label>
          ))}
          <label>
            <span>{t("review.notes")}</span>
            <textarea data-testid="review-notes" rows={3} maxLength={2000} value={notes} onInput={(e) => setNotes(e.currentTarget.value)} />
          </label>
          <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
          <button type="submit" class="primary" data-testid="review-submit" disabled={busy}>
            {t("review.submit")}
          </button>
          <p class="hint" role="status">
            {saved}
          </p>
        </fieldset>
      </form>
    </section>
  );
}

function ReviewItem({ review, mine, lang }: { review: QualityReview; mine: boolean; lang: "sv" | "en" }) {
  const { t } = useI18n();
  return (
    <li class="review-item" data-testid="review-item">
      <p class="review-meta">
        {formatStamp(review.created_at, lang)} · {mine ? t("review.byYou") : t("review.by", { id: review.reviewer_id })}
      </p>
      <ul class="review-checks">
        {CHECKS.map((name) => (
          <li key={name} class={review[name] ? "check-yes" : "check-no"}>
            <span aria-hidden="true">{review[name] ? "✓" : "✗"}</span> {t(`review.${name}`)}: {review[name] ? t("common.yes") : t("common.no")}
          </li>
        ))}
      </ul>
      {review.notes ? <p class="review-notes">{review.notes}</p> : null}
    </li>
  );
}

/** A legal hold keeps the conversation past its retention period; set or lifted with a reason. */
function HoldSection({ api, id, reason, held, onChange }: { api: StaffApi; id: string; reason: string; held: boolean; onChange: (hold: boolean) => void }) {
  const { t } = useI18n();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState("");

  const toggle = async () => {
    const own = text.trim();
    let why = reason;
    if (own) {
      const check = readReason("other", own);
      if (!check.ok) {
        setProblem(t(check.problem === "long" ? "read.reasonLong" : "read.reasonShort"));
        return;
      }
      why = check.reason;
    }
    setProblem(null);
    setBusy(true);
    setSaved("");
    const ack = await api.hold(id, !held, why);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setError(null);
    setText("");
    setSaved(ack.legal_hold ? t("hold.setDone") : t("hold.releasedDone"));
    onChange(ack.legal_hold);
  };

  return (
    <section aria-labelledby="hold-title" class="hold">
      <h3 id="hold-title">{t("hold.title")}</h3>
      <p>{held ? t("hold.on") : t("hold.off")}</p>
      <label>
        <span>{t("hold.reason")}</span>
        <input type="text" data-testid="hold-reason" maxLength={500} value={text} onInput={(e) => setText(e.currentTarget.value)} aria-describedby="hold-hint" />
      </label>
      <p id="hold-hint" class="hint">
        {t("hold.hint", { reason: reasonLabel(t, reason) })}
      </p>
      {problem ? (
        <p class="alert" role="alert">
          {problem}
        </p>
      ) : null}
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      <button type="button" data-testid="hold-toggle" disabled={busy} onClick={() => void toggle()}>
        {held ? t("hold.release") : t("hold.set")}
      </button>
      <p class="hint" role="status">
        {saved}
      </p>
    </section>
  );
}
