import { useEffect, useRef, useState } from "preact/hooks";
import type { Notice } from "../shared/protocol/community";
import { errorText } from "../shared/ui/errors";
import { useT } from "../shared/ui/i18n";
import type { Community } from "./community";
import "./community.css";

/** The police's pinned notices at the top of the room; closed ones show their follow-up. */
export function Notices({ community }: { community: Community }) {
  const t = useT();
  const list = community.noticeList();
  if (list.length === 0) return null;
  return (
    <section class="pins" aria-label={t("notice.label")} data-testid="notices">
      {list.map((n) => (
        <NoticeCard key={n.id} notice={n} community={community} />
      ))}
    </section>
  );
}

function NoticeCard({ notice, community }: { notice: Notice; community: Community }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [body, setBody] = useState("");
  const sent = community.tips.get(notice.id);
  const id = `tip-${notice.id}`;
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (open) box.current?.focus();
  }, [open]);
  return (
    <article class={notice.pinned ? "pin" : "pin pin-closed"} data-testid={`notice-${notice.id}`}>
      <p class="pin-head">
        {notice.pinned ? t("notice.pinned") : t("notice.closed")} · {notice.author.name}
      </p>
      <p class="pin-body">{notice.body}</p>
      {notice.followup ? (
        <p class="pin-body" data-testid="notice-followup">
          <strong>{t("notice.followup")}</strong> {notice.followup}
        </p>
      ) : null}
      {!notice.pinned ? null : sent?.status === "done" ? (
        <p class="pin-done" role="status" data-testid="tip-thanks">
          {t("notice.tipThanks")}
        </p>
      ) : !open ? (
        <button type="button" class="link-button" data-testid="tip-open" aria-expanded="false" aria-controls={id} onClick={() => setOpen(true)}>
          {t("notice.tip")}
        </button>
      ) : (
        <form
          id={id}
          class="pin-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (body.trim()) void community.tip(notice.id, body.trim());
          }}
        >
          <label for={`${id}-body`}>{t("notice.tipLabel")}</label>
          <p class="hint" id={`${id}-hint`}>
            {t("notice.tipHint")}
          </p>
          <textarea
            id={`${id}-body`}
            ref={box}
            data-testid="tip-body"
            rows={3}
            maxLength={2000}
            aria-describedby={`${id}-hint`}
            value={body}
            onInput={(e) => setBody(e.currentTarget.value)}
          />
          <div class="qa-row">
            <button type="submit" class="primary" data-testid="tip-send" disabled={!body.trim() || sent?.status === "sending"}>
              {t("notice.tipSend")}
            </button>
            <button type="button" class="link-button" onClick={() => setOpen(false)}>
              {t("common.cancel")}
            </button>
          </div>
          {sent?.error ? (
            <p class="alert" role="alert">
              {sent.error.code === "closed" ? t("notice.tipClosed") : errorText(t, sent.error)}
            </p>
          ) : null}
        </form>
      )}
    </article>
  );
}
