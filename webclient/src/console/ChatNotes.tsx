import { useState } from "preact/hooks";
import type { Lang } from "../shared/i18n";
import type { ApiError, StaffNote } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import type { LogNode } from "../shared/ui/MessageList";
import { useT } from "../shared/staff/i18n";
import type { Translate } from "../shared/staff/i18n";
import { formatTime } from "../shared/ui/time";
import type { NotesDesk } from "./notes";

/** A chat's notes as items of its log, placed by time, marked as staff only. */
export function noteNodes(t: Translate, lang: Lang, notes: readonly StaffNote[]): LogNode[] {
  return notes.map((note) => ({
    key: `note:${note.id}`,
    at: note.created_at,
    node: (
      <div class="staff-note" data-testid="staff-note">
        <p class="staff-note-meta">
          {t("notes.item", { name: note.author.name })} · <time dateTime={note.created_at}>{formatTime(note.created_at, lang)}</time>
        </p>
        <p class="staff-note-body">{note.body}</p>
      </div>
    ),
  }));
}

/** Writing a note on the chat: for the staff who can see it, never for the young person. */
export function NoteForm({ notes, conversationId }: { notes: NotesDesk; conversationId: string }) {
  const t = useT();
  const [text, setText] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async () => {
    setBusy(true);
    const failed = await notes.add(conversationId, text);
    setBusy(false);
    setError(failed);
    if (!failed) setText("");
  };
  return (
    <details class="note-form">
      <summary>{t("notes.title")}</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) void submit();
        }}
      >
        <label for={`note-${conversationId}`}>{t("notes.label")}</label>
        <textarea
          id={`note-${conversationId}`}
          data-testid="note-input"
          rows={2}
          maxLength={2000}
          placeholder={t("notes.placeholder")}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <ErrorAlert error={error} detailed />
        <button type="submit" data-testid="note-add" disabled={busy || !text.trim()}>
          {t("notes.add")}
        </button>
      </form>
    </details>
  );
}
