import { useEffect, useState } from "preact/hooks";
import { MAX_HANDOVER_CHARS, type ApiError } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useI18n } from "../shared/staff/i18n";
import { formatTime } from "../shared/ui/time";
import type { StaffClient } from "./controller";

/** Handover notes of my rooms (newest first, live through duty:handover) and a form to write one. */
export function Handover({ client }: { client: StaffClient }) {
  const { t, lang } = useI18n();
  useObservable(client);
  const rooms = client.duty?.rooms ?? [];
  const [room, setRoom] = useState("");
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const roomName = (slug: string) => client.rooms.get(slug)?.neighbourhood?.name ?? slug;

  // Keep the chosen room one I am on duty for.
  useEffect(() => {
    if (!rooms.includes(room)) setRoom(rooms[0] ?? "");
  }, [rooms.join(","), room]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const text = body.trim();
    if (!text) {
      setFieldError(t("handover.required"));
      return;
    }
    if ([...text].length > MAX_HANDOVER_CHARS) {
      setFieldError(t("handover.tooLong", { max: MAX_HANDOVER_CHARS }));
      return;
    }
    setFieldError(null);
    setError(null);
    setBusy(true);
    const failure = await client.writeHandover(room, text);
    setBusy(false);
    if (failure) setError(failure);
    else setBody("");
  };

  const online = client.connection.state === "online";

  return (
    <section class="handover" aria-labelledby="handover-title" data-testid="handover">
      <h2 id="handover-title">{t("handover.title")}</h2>
      {!client.duty ? (
        <p class="hint">{t("handover.offDuty")}</p>
      ) : (
        <>
          <ul class="handover-list" data-testid="handover-list">
            {client.handover.length === 0 ? <li class="hint">{t("handover.empty")}</li> : null}
            {client.handover.map((note) => (
              <li key={`${note.room}-${note.created_at}-${note.author?.name ?? ""}`} class="handover-note">
                <span class="handover-meta">
                  {roomName(note.room)} · {note.author?.name ?? ""} · {formatTime(note.created_at, lang)}
                </span>
                <span class="handover-body">{note.body}</span>
              </li>
            ))}
          </ul>
          <form class="handover-form" onSubmit={submit}>
            <label>
              <span>{t("handover.room")}</span>
              <select data-testid="handover-room" value={room} onChange={(e) => setRoom(e.currentTarget.value)}>
                {rooms.map((slug) => (
                  <option key={slug} value={slug}>
                    {roomName(slug)}
                  </option>
                ))}
              </select>
            </label>
            <label class="handover-text">
              <span>{t("handover.input")}</span>
              <textarea
                data-testid="handover-input"
                rows={2}
                value={body}
                maxLength={MAX_HANDOVER_CHARS}
                aria-describedby="handover-hint"
                aria-invalid={fieldError ? "true" : undefined}
                onInput={(e) => {
                  setBody(e.currentTarget.value);
                  setFieldError(null);
                }}
              />
            </label>
            <span class="hint" id="handover-hint">
              {t("handover.hint")}
            </span>
            {fieldError ? (
              <span class="field-error" role="alert">
                {fieldError}
              </span>
            ) : null}
            <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
            <button type="submit" data-testid="handover-send" disabled={busy || !online || !room}>
              {t("handover.send")}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
