import { useEffect, useRef, useState } from "preact/hooks";
import type { SavedReply } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/staff/i18n";
import { filterReplies, type RepliesDesk } from "./replies";

/**
 * The region's saved replies: type to filter, Enter or a click puts the first (or the chosen)
 * one into the chat input — it is never sent by itself. Escape closes.
 */
export function RepliesPicker({ desk, onPick, onClose }: { desk: RepliesDesk; onPick: (reply: SavedReply) => void; onClose: () => void }) {
  const t = useT();
  useObservable(desk);
  const [filter, setFilter] = useState("");
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void desk.load();
    input.current?.focus();
  }, []);
  const shown = filterReplies(desk.replies, filter);
  return (
    <div class="replies-picker" data-testid="replies-picker" role="group" aria-labelledby="replies-title">
      <p id="replies-title" class="replies-title">
        {t("replies.title")} <span class="hint">{t("replies.hint")}</span>
      </p>
      <label class="visually-hidden" for="replies-filter">
        {t("replies.filter")}
      </label>
      <input
        id="replies-filter"
        ref={input}
        type="search"
        data-testid="replies-filter"
        placeholder={t("replies.filter")}
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.preventDefault();
            onClose();
          } else if (e.key === "Enter" && shown[0]) {
            e.preventDefault();
            onPick(shown[0]);
          }
        }}
      />
      <ErrorAlert error={desk.error} />
      {desk.replies.length === 0 ? <p class="hint">{t("replies.none")}</p> : shown.length === 0 ? <p class="hint">{t("replies.noMatch")}</p> : null}
      <ul class="replies-list">
        {shown.map((reply) => (
          <li key={reply.id}>
            <button type="button" class="reply-item" data-testid="reply-item" aria-label={t("replies.insert", { title: reply.title })} onClick={() => onPick(reply)}>
              <span class="reply-title">
                {reply.title} <span class="lang-tag">{reply.lang}</span>
              </span>
              <span class="reply-body">{reply.body}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
