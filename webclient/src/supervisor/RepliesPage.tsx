import { useEffect, useState } from "preact/hooks";
import type { ReplyDraft, StaffApi } from "../shared/http/api";
import type { ApiError, SavedReply, StaffUser } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useT } from "../shared/staff/i18n";

const LANGS = ["sv", "en"] as const;
const EMPTY: ReplyDraft = { title: "", body: "", lang: "sv" };

/** The region's saved replies: list, add, change, delete. Officers insert them; they still send. */
export function RepliesPage({ api, user }: { api: StaffApi; user: StaffUser }) {
  const t = useT();
  const [replies, setReplies] = useState<SavedReply[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState<SavedReply | null>(null);
  const [draft, setDraft] = useState<ReplyDraft>(EMPTY);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    const ack = await api.replies();
    if (ack.ok) setReplies(ack.replies);
    else setError(ack.error);
  };
  useEffect(() => void load(), []);

  const save = async () => {
    setBusy(true);
    const ack = editing ? await api.changeReply(editing.id, draft) : await api.addReply(draft);
    setBusy(false);
    if (!ack.ok) {
      setError(ack.error);
      return;
    }
    setError(null);
    setEditing(null);
    setDraft(EMPTY);
    await load();
  };

  const remove = async (reply: SavedReply) => {
    const ack = await api.removeReply(reply.id);
    setError(ack.ok ? null : ack.error);
    await load();
  };

  if (!user.region) return <p class="hint">{t("repliesAdmin.noRegion")}</p>;
  return (
    <section class="replies-admin" aria-labelledby="replies-admin-title">
      <h2 id="replies-admin-title">{t("repliesAdmin.title", { region: user.region })}</h2>
      <p class="hint">{t("repliesAdmin.intro")}</p>
      {replies.length === 0 ? <p class="hint">{t("repliesAdmin.none")}</p> : null}
      <ul class="plain-list replies-admin-list" data-testid="replies-admin-list">
        {replies.map((reply) => (
          <li key={reply.id} data-testid="replies-admin-item">
            <p>
              <strong>{reply.title}</strong> <span class="lang-tag">{reply.lang}</span>
            </p>
            <p class="reply-text">{reply.body}</p>
            <button
              type="button"
              onClick={() => {
                setEditing(reply);
                setDraft({ title: reply.title, body: reply.body, lang: reply.lang });
              }}
            >
              {t("repliesAdmin.edit")}
            </button>{" "}
            <button type="button" class="link-button" onClick={() => void remove(reply)}>
              {t("repliesAdmin.delete")}
            </button>
          </li>
        ))}
      </ul>
      <form
        class="reply-form"
        data-testid="reply-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <h3>{editing ? t("repliesAdmin.editTitle", { title: editing.title }) : t("repliesAdmin.newTitle")}</h3>
        <label>
          <span>{t("repliesAdmin.titleLabel")}</span>
          <input data-testid="reply-title" maxLength={120} value={draft.title} onInput={(e) => setDraft({ ...draft, title: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t("repliesAdmin.bodyLabel")}</span>
          <textarea data-testid="reply-body" rows={4} maxLength={2000} value={draft.body} onInput={(e) => setDraft({ ...draft, body: e.currentTarget.value })} />
        </label>
        <label>
          <span>{t("repliesAdmin.langLabel")}</span>
          <select data-testid="reply-lang" value={draft.lang} onChange={(e) => setDraft({ ...draft, lang: e.currentTarget.value })}>
            {LANGS.map((lang) => (
              <option key={lang} value={lang}>
                {t(`lang.${lang}`)}
              </option>
            ))}
          </select>
        </label>
        <ErrorAlert error={error} detailed testId="reply-error" onDismiss={() => setError(null)} />
        <div class="dialog-actions">
          <button type="submit" class="primary" data-testid="reply-save" disabled={busy}>
            {editing ? t("repliesAdmin.save") : t("repliesAdmin.add")}
          </button>
          {editing ? (
            <button
              type="button"
              onClick={() => {
                setEditing(null);
                setDraft(EMPTY);
              }}
            >
              {t("common.cancel")}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
