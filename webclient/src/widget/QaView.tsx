import { useEffect, useRef, useState } from "preact/hooks";
import type { Lang, Translate } from "../shared/i18n";
import { MAX_QUESTION_CHARS, type QaQuestion } from "../shared/protocol/community";
import type { ApiError } from "../shared/protocol/types";
import { isLive } from "../shared/store/community";
import { ErrorAlert } from "../shared/ui/Alert";
import { mutedUntilFromError, sendErrorText } from "../shared/ui/moderation";
import { useI18n, useT } from "../shared/ui/i18n";
import type { Community } from "./community";
import { sessionWhen } from "./qa";
import "./community.css";

/** Upcoming and live Q&A sessions of the room, each a button into the Q&A view. */
export function QaBanner({ community }: { community: Community }) {
  const { t, lang } = useI18n();
  const sessions = community.coming();
  if (sessions.length === 0) return null;
  return (
    <ul class="qa-banners" aria-label={t("qa.label")}>
      {sessions.map((s) => (
        <li key={s.id}>
          <button type="button" class={isLive(s) ? "qa-banner qa-on" : "qa-banner"} data-testid={`qa-banner-${s.id}`} onClick={() => void community.open(s)}>
            <span class="qa-kind">{t("qa.label")}</span>
            {t("qa.when", { when: sessionWhen(s, t, lang), title: s.title })}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** Why a question could not be sent, in the young person's words (moderation's reasons are Swedish). */
function askError(t: Translate, lang: Lang, error: ApiError): string {
  if (error.code === "too_long") return t("qa.tooLong");
  if (error.code === "closed") return t("qa.ended");
  if (error.code === "blocked" && error.message && !mutedUntilFromError(error)) return error.message;
  return sendErrorText(t, lang, error);
}

/** One session: ask (pre-moderated), follow one's own questions, vote, and read answers live. */
export function QaView({ community }: { community: Community }) {
  const { t, lang } = useI18n();
  const session = community.session;
  const heading = useRef<HTMLHeadingElement>(null);
  const [text, setText] = useState("");
  useEffect(() => heading.current?.focus(), [session?.id]);
  if (!session) return null;
  const ended = session.status === "ended" || Date.parse(session.ends_at) <= Date.now();
  const board = community.board;
  const mine = board.own();
  const questions = board.list();
  const ask = community.ask;
  const length = [...text].length;

  const submit = async (e: Event) => {
    e.preventDefault();
    const body = text.trim();
    if (body && length <= MAX_QUESTION_CHARS && (await community.askQuestion(body))) setText("");
  };

  return (
    <div class="view qa-view" data-testid="qa-view">
      <div class="qa-head">
        <button type="button" class="link-button" data-testid="qa-back" onClick={() => community.close()}>
          {t("qa.back")}
        </button>
        <h2 tabIndex={-1} ref={heading}>
          {session.title}
        </h2>
        <p class="qa-when">{ended ? t("qa.ended") : sessionWhen(session, t, lang)}</p>
        {session.description ? <p>{session.description}</p> : null}
        {session.hosts.length ? <p class="hint">{t("qa.hosts", { names: session.hosts.map((h) => h.name).join(", ") })}</p> : null}
      </div>
      <ErrorAlert error={community.error} onDismiss={() => community.clearError()} />
      {!ended ? (
        <form class="qa-ask" onSubmit={submit}>
          <label for="qa-input">{t("qa.askLabel")}</label>
          <p class="hint" id="qa-hint">
            {t("qa.askHint")}
          </p>
          <textarea
            id="qa-input"
            data-testid="qa-input"
            rows={2}
            maxLength={MAX_QUESTION_CHARS}
            aria-describedby="qa-hint qa-count"
            value={text}
            onInput={(e) => setText(e.currentTarget.value)}
          />
          <div class="qa-row">
            <span id="qa-count" class="counter">
              {t("composer.counter", { n: length, max: MAX_QUESTION_CHARS })}
            </span>
            <button type="submit" class="primary" data-testid="qa-ask" disabled={!text.trim() || ask?.status === "sending"}>
              {t("qa.ask")}
            </button>
          </div>
          {ask?.error ? (
            <p class="alert" role="alert">
              {askError(t, lang, ask.error)}
            </p>
          ) : null}
        </form>
      ) : null}
      <div aria-live="polite">
        {mine.length ? (
          <section aria-labelledby="qa-mine">
            <h3 id="qa-mine">{t("qa.mine")}</h3>
            <ul class="qa-list" data-testid="qa-mine">
              {mine.map((q) => (
                <li key={q.id} class="qa-q" data-testid={`qa-mine-${q.id}`} data-status={q.status}>
                  <p class="qa-body">{q.original ?? q.body}</p>
                  <p class={q.status === "rejected" ? "qa-state qa-no" : "qa-state"}>
                    {q.status === "pending"
                      ? t("qa.pending")
                      : q.status === "rejected"
                        ? t("qa.rejected", { reason: q.reason ?? "" })
                        : q.original && q.original !== q.body
                          ? t("qa.approvedAs", { body: q.body })
                          : t("qa.approved")}
                  </p>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
      <section aria-labelledby="qa-questions">
        <h3 id="qa-questions">{t("qa.questions")}</h3>
        {questions.length === 0 ? <p class="hint">{t("qa.none")}</p> : null}
        <ul class="qa-list" data-testid="qa-questions">
          {questions.map((q) => (
            <Question key={q.id} q={q} community={community} own={board.mine.has(q.id)} ended={ended} />
          ))}
        </ul>
      </section>
    </div>
  );
}

function Question({ q, community, own, ended }: { q: QaQuestion; community: Community; own: boolean; ended: boolean }) {
  const t = useT();
  const canVote = q.status === "approved" && !own && !ended;
  return (
    <li class={q.pinned ? "qa-q qa-pin" : "qa-q"} data-testid={`qa-q-${q.id}`}>
      {q.pinned ? <span class="qa-tag">{t("qa.pinned")}</span> : null}
      {own ? <span class="qa-tag">{t("qa.yours")}</span> : null}
      <p class="qa-body">{q.body}</p>
      <div class="qa-row">
        <span class="hint" data-testid="qa-votes">
          {t("qa.votes", { n: q.votes })}
        </span>
        {canVote ? (
          <button type="button" data-testid="qa-vote" aria-pressed={q.voted} disabled={q.voted || community.voting.has(q.id)} onClick={() => void community.vote(q.id)}>
            {q.voted ? t("qa.voted") : t("qa.vote")}
          </button>
        ) : null}
      </div>
      {q.answer ? (
        <div class="qa-answer" data-testid="qa-answer">
          <p class="message-badge">{t("qa.answer", { name: q.answer.by })}</p>
          <p class="qa-body">{q.answer.body}</p>
        </div>
      ) : null}
    </li>
  );
}
