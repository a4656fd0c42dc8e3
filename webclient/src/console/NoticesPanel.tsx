import { useEffect, useState } from "preact/hooks";
import type { StaffApi } from "../shared/http/api";
import type { Notice } from "../shared/protocol/community";
import { MAX_BODY_CHARS, type ApiError } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useI18n } from "../shared/staff/i18n";
import { formatTime } from "../shared/ui/time";
import type { StaffClient } from "./controller";
import { statusText, type StaffTranslate, useS } from "../shared/staff/text";
import type { NoticeDesk, NoticeNews } from "./notices";
import { flagNames, Marked, SecrecyVerdict } from "../shared/staff/Secrecy";
import { useNeighbourhoods } from "../shared/staff/useNeighbourhoods";
import "../shared/staff/community.css";

/** How long a published notice stays pinned (the server's default is 24 h, at most 30 days). */
const EXPIRY_HOURS = [2, 6, 12, 24, 72, 168] as const;

interface Props {
  api: StaffApi;
  client: StaffClient;
  desk: NoticeDesk;
}

/** What happened to one of my notices, in words. */
function newsText(s: StaffTranslate, { notice, before }: NoticeNews): string {
  const comment = notice.review_comment ?? "";
  const chars = [...notice.body];
  const text = chars.length > 40 ? `${chars.slice(0, 40).join("")}…` : notice.body;
  switch (notice.status) {
    case "published":
      return before === "followup_pending" ? s("notices.news.followupReturned", { text, comment }) : s("notices.news.published", { text });
    case "returned":
      return s("notices.news.returned", { text, comment });
    case "closed":
      return s("notices.news.closed", { text });
    case "expired":
      return s("notices.news.expired", { text });
    default:
      return statusText(s, notice.status);
  }
}

/** Notiser: draft a notice (secrecy check), follow my notices, their tips (live) and follow-ups. */
export function NoticesPanel({ api, client, desk }: Props) {
  const s = useS();
  useObservable(desk, client);
  const { list: places, error: placesError } = useNeighbourhoods(api, client.user);
  const patrolled = client.duty?.rooms ?? [];
  const [draft, setDraft] = useState("");

  useEffect(() => {
    if (!desk.room && places.length) desk.setRoom(patrolled.find((r) => places.some((p) => p.slug === r)) ?? places[0]?.slug ?? "");
  }, [places.length]);

  const nameOf = (slug: string) => places.find((p) => p.slug === slug)?.name ?? slug;
  const notices = desk.list();

  return (
    <section class="community" aria-labelledby="notices-title" data-testid="notices-panel">
      <div class="community-side">
        <h2 id="notices-title">{s("notices.title")}</h2>
        <ErrorAlert error={placesError} />
        <div aria-live="polite" data-testid="notice-news">
          {desk.news.length ? (
            <ul class="community-news">
              {desk.news.map((news) => (
                <li key={news.notice.id}>
                  <span>{newsText(s, news)}</span>
                  <button type="button" class="link-button" onClick={() => desk.dismissNews(news.notice.id)}>
                    {s("misc.ok")}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <DraftForm desk={desk} places={places.map((p) => ({ slug: p.slug, name: p.name }))} text={draft} setText={setDraft} />
      </div>
      <div class="community-main">
        <h3>{s("notices.list", { room: nameOf(desk.room) })}</h3>
        <ErrorAlert error={desk.error} />
        {notices.length === 0 ? <p class="hint">{s("notices.empty")}</p> : null}
        <ul class="community-list" data-testid="notice-list">
          {notices.map((n) => (
            <NoticeItem key={n.id} desk={desk} notice={n} roomName={nameOf(n.room)} onRewrite={setDraft} />
          ))}
        </ul>
      </div>
    </section>
  );
}

function DraftForm({ desk, places, text, setText }: { desk: NoticeDesk; places: { slug: string; name: string }[]; text: string; setText: (t: string) => void }) {
  const s = useS();
  const [hours, setHours] = useState(24);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState<Notice | null>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    const body = text.trim();
    if (!body || !desk.room) return;
    setBusy(true);
    setError(null);
    const result = await desk.draft(desk.room, body, new Date(Date.now() + hours * 3600_000).toISOString().replace(/\.\d{3}Z$/, "Z"));
    setBusy(false);
    if ("code" in result) return setError(result);
    setSent(result);
    setText("");
  };

  const verdict = sent ? desk.verdicts.get(sent.id) : null;
  return (
    <form class="community-form" onSubmit={submit} data-testid="notice-draft">
      <h3>{s("notices.draftTitle")}</h3>
      <label>
        <span>{s("misc.room")}</span>
        <select data-testid="notice-room" value={desk.room} onChange={(e) => desk.setRoom(e.currentTarget.value)}>
          {places.map((p) => (
            <option key={p.slug} value={p.slug}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        <span>{s("notices.body")}</span>
        <textarea
          data-testid="notice-body"
          rows={4}
          maxLength={MAX_BODY_CHARS}
          value={text}
          placeholder={s("notices.bodyPlaceholder")}
          aria-describedby="notice-body-hint"
          onInput={(e) => {
            setText(e.currentTarget.value);
            setSent(null);
          }}
        />
      </label>
      <span class="hint" id="notice-body-hint">
        {s("notices.bodyHint")}
      </span>
      <label>
        <span>{s("notices.expiry")}</span>
        <select data-testid="notice-expiry" value={String(hours)} onChange={(e) => setHours(Number(e.currentTarget.value))}>
          {EXPIRY_HOURS.map((h) => (
            <option key={h} value={String(h)}>
              {h < 48 ? s("notices.hours", { n: h }) : s("notices.days", { n: h / 24 })}
            </option>
          ))}
        </select>
      </label>
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      <button type="submit" class="primary" data-testid="notice-send" disabled={busy || !text.trim() || !desk.room}>
        {s("notices.send")}
      </button>
      {sent ? (
        <div class="community-done" role="status" data-testid="notice-sent">
          <p>{s("notices.sent")}</p>
          <SecrecyVerdict verdict={verdict} testId="notice-verdict" />
          {verdict?.flags.length ? (
            <>
              <Marked text={sent.body} spans={verdict.spans} testId="notice-marked" />
              <p class="hint">{s("notices.secrecyHint")}</p>
            </>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}

function NoticeItem({ desk, notice, roomName, onRewrite }: { desk: NoticeDesk; notice: Notice; roomName: string; onRewrite: (text: string) => void }) {
  const s = useS();
  const { t, lang } = useI18n();
  const mine = desk.isMine(notice);
  const verdict = desk.verdicts.get(notice.id);
  const tips = desk.tips.get(notice.id) ?? [];
  const unseen = desk.unseen.get(notice.id) ?? 0;
  const [showTips, setShowTips] = useState(false);
  const [followup, setFollowup] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const canFollowUp = mine && (notice.status === "published" || notice.status === "expired");
  const followupVerdict = desk.followupVerdicts.get(notice.id);

  const toggleTips = async () => {
    const next = !showTips;
    setShowTips(next);
    if (next) setError(await desk.loadTips(notice.id));
  };

  useEffect(() => {
    if (showTips && unseen) desk.seen(notice.id);
  }, [showTips, unseen]);

  const sendFollowup = async (e: Event) => {
    e.preventDefault();
    if (!followup.trim()) return;
    setBusy(true);
    const failure = await desk.followup(notice.id, followup.trim());
    setBusy(false);
    setError(failure);
    if (!failure) setFollowup("");
  };

  return (
    <li class={notice.pinned ? "community-item pinned" : "community-item"} data-testid={`notice-item-${notice.id}`} data-status={notice.status}>
      <p>
        <span class={`pill pill-${notice.status}`} data-testid="notice-status">
          {statusText(s, notice.status)}
        </span>{" "}
        <span class="hint">
          {roomName} · {notice.author.name} · {formatTime(notice.created_at ?? notice.published_at, lang)}
        </span>
      </p>
      <Marked text={notice.body} spans={verdict?.spans} />
      {notice.secrecy?.length ? <p class="secrecy secrecy-warn">{s("notices.flags", { flags: flagNames(t, notice.secrecy) })}</p> : null}
      <p class="hint">{s("notices.expires", { time: formatTime(notice.expires_at, lang) })}</p>
      {notice.review_comment ? <p class="community-comment">{s("notices.comment", { comment: notice.review_comment })}</p> : null}
      {notice.followup ? (
        <div class="community-answer">
          <p class="hint">{notice.status === "followup_pending" ? s("notices.followupPending") : s("notices.followupLabel")}</p>
          <Marked text={notice.followup} spans={followupVerdict?.spans} testId="notice-followup" />
          {notice.status === "followup_pending" && followupVerdict ? <SecrecyVerdict verdict={followupVerdict} /> : null}
        </div>
      ) : null}
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
      {mine ? (
        <div class="community-actions">
          {notice.status === "returned" ? (
            <button type="button" data-testid="notice-rewrite" onClick={() => onRewrite(notice.body)}>
              {s("notices.rewrite")}
            </button>
          ) : null}
          {notice.status !== "pending" && notice.status !== "returned" ? (
            <button type="button" data-testid="notice-tips-toggle" aria-expanded={showTips} onClick={() => void toggleTips()}>
              {showTips ? s("notices.tipsHide") : s("notices.tipsShow")}
              {unseen ? <span class="count" data-testid="notice-tips-new">{s("notices.tipsNew", { n: unseen })}</span> : null}
            </button>
          ) : null}
        </div>
      ) : null}
      {mine && showTips ? (
        <section class="community-tips" aria-label={s("notices.tips", { n: tips.length })}>
          <h4>{s("notices.tips", { n: tips.length })}</h4>
          {tips.length === 0 ? <p class="hint">{s("notices.tipsEmpty")}</p> : null}
          <ul data-testid="notice-tips">
            {tips.map((tip) => (
              <li key={tip.id} data-testid="notice-tip">
                <span class="hint">{formatTime(tip.created_at, lang)}</span> <span class="community-text">{tip.body}</span>
                {tip.flags.length ? <span class="secrecy-warn"> · {s("notices.tipFlags", { flags: flagNames(t, tip.flags) })}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {canFollowUp ? (
        <form class="community-edit" onSubmit={sendFollowup}>
          <label>
            <span>{s("notices.followupInput")}</span>
            <textarea data-testid="notice-followup-input" rows={2} maxLength={MAX_BODY_CHARS} value={followup} onInput={(e) => setFollowup(e.currentTarget.value)} />
          </label>
          <div class="community-actions">
            <button type="submit" data-testid="notice-followup-send" disabled={busy || !followup.trim()}>
              {s("notices.followupSend")}
            </button>
          </div>
        </form>
      ) : null}
    </li>
  );
}
