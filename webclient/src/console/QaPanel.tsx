import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import { MAX_QUESTION_CHARS, type QaQuestion, type QaSession, type Verdict } from "../shared/protocol/community";
import type { ApiError, StaffUser } from "../shared/protocol/types";
import { isLive } from "../shared/store/community";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useI18n } from "../shared/staff/i18n";
import { formatTime } from "../shared/ui/time";
import { formatSpan } from "../shared/ui/when";
import { localInputToIso, parseUsernames, toLocalInput } from "../shared/staff/community";
import type { StaffClient } from "./controller";
import { useS } from "../shared/staff/text";
import type { QaDesk } from "./qa";
import { flagNames, Marked, SecrecyVerdict } from "../shared/staff/Secrecy";
import { useNeighbourhoods } from "../shared/staff/useNeighbourhoods";
import "../shared/staff/community.css";

interface Props {
  api: StaffApi;
  client: StaffClient;
  desk: QaDesk;
}

/** Frågestund: schedule sessions, list them, and host one (review queue, answers, pins). */
export function QaPanel({ api, client, desk }: Props) {
  const s = useS();
  useObservable(desk, client);
  const { list: places, error: placesError } = useNeighbourhoods(api, client.user);
  const [room, setRoom] = useState("");
  const patrolled = client.duty?.rooms ?? [];

  useEffect(() => {
    if (!room && places.length) setRoom(patrolled.find((r) => places.some((p) => p.slug === r)) ?? places[0]?.slug ?? "");
  }, [places.length, patrolled.join(",")]);

  useEffect(() => {
    desk.watch([...patrolled, ...(room ? [room] : [])]);
  }, [room, patrolled.join(",")]);

  const nameOf = (slug: string) => places.find((p) => p.slug === slug)?.name ?? slug;

  return (
    <section class="community" aria-labelledby="qa-title" data-testid="qa-panel">
      <div class="community-side">
        <h2 id="qa-title">{s("qaHost.title")}</h2>
        <ErrorAlert error={placesError ?? desk.error} />
        <h3>{s("qaHost.sessions")}</h3>
        <SessionList desk={desk} user={client.user} nameOf={nameOf} />
        <ScheduleForm desk={desk} room={room} setRoom={setRoom} places={places.map((p) => ({ slug: p.slug, name: p.name }))} />
      </div>
      <div class="community-main">{desk.open ? <OpenSession desk={desk} nameOf={nameOf} /> : <p class="hint">{s("qaHost.pickOne")}</p>}</div>
    </section>
  );
}

function ScheduleForm({ desk, room, setRoom, places }: { desk: QaDesk; room: string; setRoom: (r: string) => void; places: { slug: string; name: string }[] }) {
  const s = useS();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [starts, setStarts] = useState(() => toLocalInput(Date.now() + 3600_000));
  const [ends, setEnds] = useState(() => toLocalInput(Date.now() + 7200_000));
  const [hosts, setHosts] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [field, setField] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const startsAt = localInputToIso(starts);
    const endsAt = localInputToIso(ends);
    setDone(false);
    setError(null);
    if (!title.trim()) return setField(s("qaHost.titleRequired"));
    if (!startsAt || !endsAt) return setField(s("qaHost.badTime"));
    setField(null);
    setBusy(true);
    const failure = await desk.schedule({ room, title: title.trim(), description: description.trim(), starts_at: startsAt, ends_at: endsAt, hosts: parseUsernames(hosts) });
    setBusy(false);
    if (failure) return setError(failure);
    setDone(true);
    setTitle("");
    setDescription("");
    setHosts("");
  };

  return (
    <form class="community-form" onSubmit={submit} data-testid="qa-schedule">
      <h3>{s("qaHost.scheduleTitle")}</h3>
      <label>
        <span>{s("misc.room")}</span>
        <select data-testid="qa-room" value={room} onChange={(e) => setRoom(e.currentTarget.value)}>
          {places.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{s("qaHost.titleLabel")}</span>
        <input type="text" data-testid="qa-title" maxLength={200} value={title} placeholder={s("qaHost.titlePlaceholder")} onInput={(e) => setTitle(e.currentTarget.value)} />
      </label>
      <label>
        <span>{s("qaHost.description")}</span>
        <textarea data-testid="qa-description" rows={2} maxLength={2000} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      </label>
      <div class="community-pair">
        <label>
          <span>{s("qaHost.starts")}</span>
          <input type="datetime-local" data-testid="qa-starts" value={starts} onInput={(e) => setStarts(e.currentTarget.value)} />
        </label>
        <label>
          <span>{s("qaHost.ends")}</span>
          <input type="datetime-local" data-testid="qa-ends" value={ends} onInput={(e) => setEnds(e.currentTarget.value)} />
        </label>
      </div>
      <label>
        <span>{s("qaHost.hosts")}</span>
        <input type="text" data-testid="qa-hosts" value={hosts} aria-describedby="qa-hosts-hint" onInput={(e) => setHosts(e.currentTarget.value)} />
      </label>
      <span class="hint" id="qa-hosts-hint">
        {s("qaHost.hostsHint")}
      </span>
      {field ? (
        <span class="field-error" role="alert">
          {field}
        </span>
      ) : null}
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      {done ? (
        <p class="community-done" role="status">
          {s("qaHost.scheduled")}
        </p>
      ) : null}
      <button type="submit" class="primary" data-testid="qa-schedule-submit" disabled={busy || !room}>
        {s("qaHost.schedule")}
      </button>
    </form>
  );
}

function SessionList({ desk, user, nameOf }: { desk: QaDesk; user: StaffUser; nameOf: (slug: string) => string }) {
  const s = useS();
  const { lang } = useI18n();
  const [error, setError] = useState<ApiError | null>(null);
  const sessions = desk.list();
  const run = async (action: Promise<ApiError | null>) => setError(await action);
  return (
    <>
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      {sessions.length === 0 ? <p class="hint">{s("qaHost.none")}</p> : null}
      <ul class="community-list" data-testid="qa-sessions">
        {sessions.map((session) => {
          const host = desk.isHost(session);
          return (
            <li key={session.id} class={desk.open?.id === session.id ? "community-item selected" : "community-item"} data-testid={`qa-session-${session.id}`}>
              <p>
                <span class={isLive(session) ? "pill pill-live" : "pill"}>{isLive(session) ? s("qaHost.live") : s("qaHost.upcoming")}</span> <strong>{session.title}</strong>
              </p>
              <p class="hint">
                {nameOf(session.room)} · {formatSpan(session.starts_at, session.ends_at, lang)}
              </p>
              <p class="hint">{s("qaHost.hostList", { names: session.hosts.map((h) => h.name).join(", ") })}</p>
              <div class="community-actions">
                <button type="button" data-testid="qa-open" onClick={() => void run(desk.join(session))}>
                  {host ? s("qaHost.openHost") : s("qaHost.open")}
                </button>
                {!host && user.role === "supervisor" ? (
                  <button type="button" data-testid="qa-cohost" onClick={() => void run(desk.cohost(session))}>
                    {s("qaHost.cohost")}
                  </button>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}

function OpenSession({ desk, nameOf }: { desk: QaDesk; nameOf: (slug: string) => string }) {
  const s = useS();
  const { lang } = useI18n();
  const session = desk.open as QaSession;
  const queue = desk.board.queue();
  const questions = desk.board.list();
  return (
    <div class="qa-host" data-testid="qa-open-session">
      <div class="community-head">
        <div>
          <h3>{session.title}</h3>
          <p class="hint">
            {nameOf(session.room)} · {formatSpan(session.starts_at, session.ends_at, lang)}
          </p>
          {session.description ? <p>{session.description}</p> : null}
        </div>
        <button type="button" onClick={() => desk.leave()}>
          {s("misc.close")}
        </button>
      </div>
      {desk.host ? (
        <section aria-labelledby="qa-queue-title">
          <h4 id="qa-queue-title">{s("qaHost.queue", { n: queue.length })}</h4>
          {queue.length === 0 ? <p class="hint">{s("qaHost.queueEmpty")}</p> : null}
          <ul class="community-list" data-testid="qa-queue">
            {queue.map((q) => (
              <Pending key={q.id} desk={desk} q={q} />
            ))}
          </ul>
        </section>
      ) : (
        <p class="notice">{s("qaHost.notHost")}</p>
      )}
      <section aria-labelledby="qa-public-title">
        <h4 id="qa-public-title">{s("qaHost.public", { n: questions.length })}</h4>
        {questions.length === 0 ? <p class="hint">{s("qaHost.publicEmpty")}</p> : null}
        <ul class="community-list" data-testid="qa-public">
          {questions.map((q) => (
            <Public key={q.id} desk={desk} q={q} host={desk.host} />
          ))}
        </ul>
      </section>
    </div>
  );
}

/** A question waiting for review: approve as asked, approve reworded, or reject with a reason. */
function Pending({ desk, q }: { desk: QaDesk; q: QaQuestion }) {
  const s = useS();
  const { t, lang } = useI18n();
  const original = q.original ?? q.body;
  const [body, setBody] = useState(original);
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [field, setField] = useState(false);
  const [busy, setBusy] = useState(false);
  const edited = body.trim() !== original.trim();

  const decide = async (decision: "approve" | "reject") => {
    if (decision === "reject" && !reason.trim()) return setField(true);
    setBusy(true);
    const failure = await desk.review(q.id, decision, decision === "approve" ? (edited ? { body: body.trim() } : undefined) : { reason: reason.trim() });
    setBusy(false);
    setError(failure);
  };

  return (
    <li class="community-item" data-testid={`qa-pending-${q.id}`}>
      <p class="hint">{s("qaHost.asked", { time: formatTime(q.created_at, lang) })}</p>
      <p class="community-text">{original}</p>
      {q.flags?.length ? <p class="secrecy secrecy-warn">{s("qaHost.flags", { flags: flagNames(t, q.flags) })}</p> : null}
      <label class="community-edit">
        <span>{s("qaHost.edit")}</span>
        <textarea data-testid="qa-edit" rows={2} maxLength={MAX_QUESTION_CHARS} value={body} onInput={(e) => setBody(e.currentTarget.value)} />
      </label>
      {rejecting ? (
        <label class="community-edit">
          <span>{s("qaHost.reason")}</span>
          <input type="text" data-testid="qa-reason" maxLength={300} value={reason} aria-invalid={field ? "true" : undefined} onInput={(e) => {
            setReason(e.currentTarget.value);
            setField(false);
          }} />
          {field ? (
            <span class="field-error" role="alert">
              {s("qaHost.reasonRequired")}
            </span>
          ) : null}
        </label>
      ) : null}
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      <div class="community-actions">
        <button type="button" class="primary" data-testid="qa-approve" disabled={busy || !body.trim()} onClick={() => void decide("approve")}>
          {edited ? s("qaHost.approveEdited") : s("qaHost.approve")}
        </button>
        {rejecting ? (
          <>
            <button type="button" data-testid="qa-reject-confirm" disabled={busy} onClick={() => void decide("reject")}>
              {s("qaHost.rejectConfirm")}
            </button>
            <button type="button" class="link-button" onClick={() => setRejecting(false)}>
              {t("common.cancel")}
            </button>
          </>
        ) : (
          <button type="button" data-testid="qa-reject" onClick={() => setRejecting(true)}>
            {s("qaHost.reject")}
          </button>
        )}
      </div>
    </li>
  );
}

/** An approved question: votes, the answer once given; hosts answer and pin. */
function Public({ desk, q, host }: { desk: QaDesk; q: QaQuestion; host: boolean }) {
  const s = useS();
  const { lang } = useI18n();
  const [answer, setAnswer] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [warning, setWarning] = useState<{ text: string; verdict: Verdict } | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (confirm: boolean) => {
    const text = answer.trim();
    if (!text) return;
    setBusy(true);
    const failure = await desk.answer(q.id, text, confirm);
    setBusy(false);
    const details = failure?.code === "blocked" ? (failure.details as Verdict | undefined) : undefined;
    if (details?.flags) {
      setWarning({ text, verdict: details });
      setError(null);
      return;
    }
    setWarning(null);
    setError(failure);
    if (!failure) setAnswer("");
  };

  return (
    <li class={q.pinned ? "community-item pinned" : "community-item"} data-testid={`qa-public-${q.id}`}>
      <p>
        {q.pinned ? <span class="pill">{s("qaHost.pinned")}</span> : null} <span class="hint">{s("qaHost.votes", { n: q.votes })}</span>
      </p>
      <p class="community-text">{q.body}</p>
      {q.answer ? (
        <div class="community-answer" data-testid="qa-answer">
          <p class="hint">{s("qaHost.answered", { name: q.answer.by, time: formatTime(q.answer.at, lang) })}</p>
          <p class="community-text">{q.answer.body}</p>
        </div>
      ) : null}
      {host && !q.answer ? (
        <form
          class="community-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void send(false);
          }}
        >
          <label>
            <span>{s("qaHost.answerLabel")}</span>
            <textarea data-testid="qa-answer-input" rows={2} maxLength={2000} value={answer} onInput={(e) => {
              setAnswer(e.currentTarget.value);
              setWarning(null);
            }} />
          </label>
          {warning ? (
            <div>
              <SecrecyVerdict verdict={warning.verdict} />
              <Marked text={warning.text} spans={warning.verdict.spans} />
            </div>
          ) : null}
          <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
          <div class="community-actions">
            <button type="submit" class="primary" data-testid="qa-answer-send" disabled={busy || !answer.trim()}>
              {s("qaHost.answer")}
            </button>
            {warning ? (
              <button type="button" data-testid="qa-answer-confirm" disabled={busy} onClick={() => void send(true)}>
                {s("qaHost.answerAnyway")}
              </button>
            ) : null}
          </div>
        </form>
      ) : null}
      {host ? (
        <div class="community-actions">
          <button type="button" class="link-button" data-testid="qa-pin" onClick={() => void desk.pin(q.id, !q.pinned).then(setError)}>
            {q.pinned ? s("qaHost.unpin") : s("qaHost.pin")}
          </button>
        </div>
      ) : null}
    </li>
  );
}
