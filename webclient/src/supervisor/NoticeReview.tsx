import { useEffect, useMemo, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import type { Notice } from "../shared/protocol/community";
import type { ApiError, StaffUser } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { ConnectionBanner } from "../shared/ui/Banner";
import { useObservable } from "../shared/ui/hooks";
import { useI18n } from "../shared/staff/i18n";
import { formatStamp } from "../shared/ui/when";
import { statusText, type StaffKey, type StaffTranslate, useS } from "../shared/staff/text";
import { Marked, SecrecyVerdict } from "../shared/staff/Secrecy";
import { useNeighbourhoods } from "../shared/staff/useNeighbourhoods";
import { ReviewDesk } from "./noticeReview";
import { actorText } from "./transcript";
import "../shared/staff/community.css";

const STEP_KEYS: Record<string, StaffKey> = {
  "notice.draft": "noticeReview.step.draft",
  "notice.approve": "noticeReview.step.approve",
  "notice.reject": "noticeReview.step.reject",
  "notice.followup": "noticeReview.step.followup",
  "notice.approve_followup": "noticeReview.step.approveFollowup",
  "notice.reject_followup": "noticeReview.step.rejectFollowup",
  "notice.expire": "noticeReview.step.expire",
  "notice.tip": "noticeReview.step.tip",
};

function stepText(s: StaffTranslate, action: string): string {
  const key = STEP_KEYS[action];
  return key ? s(key) : action;
}

function decidedText(s: StaffTranslate, notice: Notice, decision: "approve" | "reject"): string {
  if (decision === "reject") return s("noticeReview.doneReturned");
  return notice.status === "closed" ? s("noticeReview.doneClosed") : s("noticeReview.donePublished");
}

/** "Notiser att granska": the region's drafts and follow-ups, live, with the secrecy check's flags. */
export function NoticeReview({ api, user }: { api: StaffApi; user: StaffUser }) {
  const s = useS();
  const desk = useMemo(() => new ReviewDesk(location.origin), [user.id]);
  useObservable(desk, desk.connection);
  const { list: places } = useNeighbourhoods(api, user);
  const nameOf = (slug: string) => places.find((p) => p.slug === slug)?.name ?? slug;

  useEffect(() => {
    desk.start();
    return () => desk.stop();
  }, [desk]);

  useEffect(() => {
    if (!desk.room && places[0]) desk.setRoom(places[0].slug);
  }, [places.length]);

  const waiting = desk.waiting();
  return (
    <div class="supervisor-page" data-testid="notice-review">
      <ConnectionBanner connection={desk.connection} />
      <section aria-labelledby="review-queue-title">
        <h2 id="review-queue-title">{s("noticeReview.title")}</h2>
        <p class="hint">{s("noticeReview.intro")}</p>
        <ErrorAlert error={desk.error} />
        <div aria-live="polite">
          {desk.decided.length ? (
            <ul class="community-news">
              {desk.decided.map(({ notice, decision }) => (
                <li key={notice.id}>
                  <span>{decidedText(s, notice, decision)}</span>
                  <button type="button" class="link-button" onClick={() => desk.dismiss(notice.id)}>
                    {s("misc.ok")}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {waiting.length === 0 ? <p class="hint">{s("noticeReview.empty")}</p> : null}
        <ul class="community-list" data-testid="review-queue">
          {waiting.map((n) => (
            <ReviewItem key={n.id} desk={desk} notice={n} own={n.author_id === String(user.id)} roomName={nameOf(n.room)} userId={String(user.id)} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="review-room-title">
        <h2 id="review-room-title">{s("noticeReview.roomTitle")}</h2>
        <label class="community-inline">
          <span>{s("misc.room")}</span>
          <select data-testid="review-room" value={desk.room} onChange={(e) => desk.setRoom(e.currentTarget.value)}>
            {places.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        {desk.inRoom().length === 0 ? <p class="hint">{s("notices.empty")}</p> : null}
        <ul class="community-list" data-testid="review-notices">
          {desk.inRoom().map((n) => (
            <li key={n.id} class="community-item" data-testid={`review-room-${n.id}`}>
              <Summary notice={n} roomName={nameOf(n.room)} />
              <History desk={desk} notice={n} userId={String(user.id)} />
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

function Summary({ notice, roomName }: { notice: Notice; roomName: string }) {
  const s = useS();
  const { lang } = useI18n();
  return (
    <>
      <p>
        <span class={`pill pill-${notice.status}`}>{statusText(s, notice.status)}</span>{" "}
        <span class="hint">
          {roomName} · {notice.author.name} · {formatStamp(notice.created_at ?? notice.published_at, lang)}
        </span>
      </p>
      <p class="community-text">{notice.body}</p>
    </>
  );
}

function ReviewItem({ desk, notice, own, roomName, userId }: { desk: ReviewDesk; notice: Notice; own: boolean; roomName: string; userId: string }) {
  const s = useS();
  const [comment, setComment] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [needComment, setNeedComment] = useState(false);
  const [busy, setBusy] = useState(false);
  const followup = notice.status === "followup_pending";
  const id = `review-comment-${notice.id}`;

  const decide = async (decision: "approve" | "reject") => {
    if (decision === "reject" && !comment.trim()) return setNeedComment(true);
    setBusy(true);
    const failure = decision === "approve" ? await desk.approve(notice.id, comment) : await desk.reject(notice.id, comment);
    setBusy(false);
    setError(failure);
  };

  return (
    <li class="community-item" data-testid={`review-item-${notice.id}`}>
      <p class="community-kind">{followup ? s("noticeReview.kindFollowup") : s("noticeReview.kindDraft")}</p>
      <Summary notice={notice} roomName={roomName} />
      {followup ? (
        <div class="community-answer">
          <p class="hint">{s("notices.followupLabel")}</p>
          <Marked text={notice.followup ?? ""} testId="review-followup" />
          <SecrecyVerdict flags={notice.followup_secrecy} testId="review-secrecy" />
        </div>
      ) : (
        <SecrecyVerdict flags={notice.secrecy} testId="review-secrecy" />
      )}
      {own ? (
        <p class="notice" data-testid="review-own">
          {s("noticeReview.own")}
        </p>
      ) : (
        <div class="community-edit">
          <label for={id}>{s("noticeReview.comment")}</label>
          <textarea
            id={id}
            data-testid="review-comment"
            rows={2}
            maxLength={1000}
            value={comment}
            aria-describedby={`${id}-hint`}
            aria-invalid={needComment ? "true" : undefined}
            onInput={(e) => {
              setComment(e.currentTarget.value);
              setNeedComment(false);
            }}
          />
          <span class="hint" id={`${id}-hint`}>
            {s("noticeReview.commentHint")}
          </span>
          {needComment ? (
            <span class="field-error" role="alert">
              {s("noticeReview.commentRequired")}
            </span>
          ) : null}
          <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
          <div class="community-actions">
            <button type="button" class="primary" data-testid="review-approve" disabled={busy} onClick={() => void decide("approve")}>
              {followup ? s("noticeReview.approveFollowup") : s("noticeReview.approve")}
            </button>
            <button type="button" data-testid="review-reject" disabled={busy} onClick={() => void decide("reject")}>
              {s("noticeReview.reject")}
            </button>
          </div>
        </div>
      )}
      <History desk={desk} notice={notice} userId={userId} />
    </li>
  );
}

/** A notice's steps from the audit log (who did what, when) and how many tips came in. */
function History({ desk, notice, userId }: { desk: ReviewDesk; notice: Notice; userId: string }) {
  const s = useS();
  const { t, lang } = useI18n();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const history = desk.histories.get(notice.id);
  const names: Record<string, string> = { [userId]: t("review.byYou") };
  if (notice.author_id) names[notice.author_id] = notice.author.name;

  const toggle = async () => {
    const next = !open;
    setOpen(next);
    if (next) setError(await desk.history(notice.id));
  };

  return (
    <div class="community-history">
      <button type="button" class="link-button" data-testid="review-history" aria-expanded={open} onClick={() => void toggle()}>
        {open ? s("noticeReview.historyHide") : s("noticeReview.history")}
      </button>
      <ErrorAlert error={error} />
      {open && history ? (
        <div data-testid="review-history-list">
          <ol>
            {history.steps.map((step) => (
              <li key={step.id} data-action={step.action}>
                <time dateTime={step.at}>{formatStamp(step.at, lang)}</time> · {stepText(s, step.action)} · {actorText(t, step.actor, names)}
              </li>
            ))}
          </ol>
          <p class="hint" data-testid="review-tip-count">
            {s("noticeReview.tipCount", { n: history.tip_count })}
          </p>
        </div>
      ) : null}
    </div>
  );
}
