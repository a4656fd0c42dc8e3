import { useState } from "preact/hooks";
import { showBidiControls } from "../shared/ui/bidi";
import type { ApiError, Message } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { useObservable } from "../shared/ui/hooks";
import { useI18n, useT } from "../shared/staff/i18n";
import { formatTime } from "../shared/ui/time";
import { formatUntil } from "../shared/ui/when";
import type { StaffClient } from "./controller";

/** How long a young person's posting can be paused from the console. */
export const MUTE_MINUTES = [10, 60, 1440] as const;
/** Slow mode choices: one post per this many seconds (0: off). */
export const SLOW_MODE_SECONDS = [0, 10, 30, 60] as const;

type Mode = "hide" | "mute" | null;

interface Props {
  client: StaffClient;
  message: Message;
  /** Test id prefix: "msg" in the log, "flagged" in the flagged list. */
  prefix?: string;
}

/**
 * Under a young person's room message: hide it (with a reason) or pause its author's posting
 * in rooms (minutes and a reason). Each action is audited by the server.
 */
export function MessageModeration({ client, message, prefix = "msg" }: Props) {
  const { t, lang } = useI18n();
  const [mode, setMode] = useState<Mode>(null);
  const [reason, setReason] = useState("");
  const [minutes, setMinutes] = useState<number>(MUTE_MINUTES[0]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState("");
  const youthId = message.author.id;
  if (message.author.kind !== "youth" || !message.id) return null;
  const formId = `${prefix}-mod-${message.id}`;

  const open = (next: Mode) => {
    setMode(mode === next ? null : next);
    setError(null);
    setDone("");
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || !mode) return;
    if (!reason.trim()) {
      setError({ code: "reason_missing", message: t("moderation.reasonMissing") });
      return;
    }
    setBusy(true);
    setError(null);
    if (mode === "hide") {
      const failed = await client.hideMessage(message.id, reason);
      setBusy(false);
      if (failed) return setError(failed);
      setDone(t("moderation.hidden"));
    } else if (youthId) {
      const result = await client.muteYouth(youthId, minutes, reason);
      setBusy(false);
      if ("error" in result) return setError(result.error);
      setDone(t("moderation.mutedDone", { name: message.author.name, time: formatUntil(result.until, lang) }));
    }
    setMode(null);
    setReason("");
  };

  return (
    <div class="message-actions moderation">
      <div class="moderation-buttons">
        {!message.hidden ? (
          <button
            type="button"
            class="link-button"
            data-testid={`${prefix}-hide`}
            aria-expanded={mode === "hide"}
            aria-controls={formId}
            onClick={() => open("hide")}
          >
            {t("moderation.hide")}
          </button>
        ) : null}
        {youthId ? (
          <button
            type="button"
            class="link-button"
            data-testid={`${prefix}-mute`}
            aria-expanded={mode === "mute"}
            aria-controls={formId}
            onClick={() => open("mute")}
          >
            {t("moderation.mute")}
          </button>
        ) : null}
      </div>
      {mode ? (
        <form id={formId} class="moderation-form" onSubmit={submit}>
          <p class="moderation-what">
            {mode === "hide" ? t("moderation.hideWhat") : t("moderation.muteWhat", { name: message.author.name })}
          </p>
          {mode === "mute" ? (
            <label>
              <span>{t("moderation.minutes")}</span>
              <select
                data-testid={`${prefix}-mute-minutes`}
                value={String(minutes)}
                onChange={(e) => setMinutes(Number(e.currentTarget.value))}
              >
                {MUTE_MINUTES.map((m) => (
                  <option key={m} value={String(m)}>
                    {t(`moderation.minutes.${m}`)}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <label>
            <span>{t("moderation.reason")}</span>
            <input
              type="text"
              required
              maxLength={200}
              data-testid={`${prefix}-${mode}-reason`}
              value={reason}
              onInput={(e) => setReason(e.currentTarget.value)}
            />
          </label>
          <div class="moderation-submit">
            <button type="submit" class="primary" data-testid={`${prefix}-${mode}-confirm`} disabled={busy}>
              {mode === "hide" ? t("moderation.hideConfirm") : t("moderation.muteConfirm")}
            </button>
            <button type="button" class="link-button" onClick={() => open(null)}>
              {t("common.cancel")}
            </button>
          </div>
          <ErrorAlert error={error} detailed />
        </form>
      ) : null}
      {done ? (
        <p class="moderation-done" role="status">
          {done}
        </p>
      ) : null}
    </div>
  );
}

/** Slow mode of a room: young people post at most once per N seconds. */
export function SlowModeControl({ client, room }: { client: StaffClient; room: string }) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const current = client.slowMode.get(room) ?? 0;
  const id = `slowmode-${room}`;
  const change = async (seconds: number) => {
    setBusy(true);
    setError(await client.setSlowMode(room, seconds));
    setBusy(false);
  };
  const choices: number[] = [...SLOW_MODE_SECONDS];
  if (!choices.includes(current)) choices.push(current);
  return (
    <div class="slowmode">
      <label for={id}>{t("moderation.slowModeLabel")}</label>
      <select id={id} data-testid="slowmode-select" value={String(current)} disabled={busy} onChange={(e) => void change(Number(e.currentTarget.value))}>
        {choices.map((s) => (
          <option key={s} value={String(s)}>
            {s === 0 ? t("moderation.slowModeOff") : t("moderation.slowModeEvery", { seconds: s })}
          </option>
        ))}
      </select>
      <ErrorAlert error={error} detailed onDismiss={() => setError(null)} />
    </div>
  );
}

/** The room's flagged, not hidden messages, newest first, live. */
export function FlaggedList({ client, room }: { client: StaffClient; room: string }) {
  const { t, lang } = useI18n();
  useObservable(client);
  const list = client.flaggedIn(room);
  const titleId = `flagged-title-${room}`;
  return (
    <section class="flagged" aria-labelledby={titleId} data-testid="flagged-list">
      <h3 id={titleId}>
        {t("moderation.flaggedTitle")} <span class="flagged-count">{list.length}</span>
      </h3>
      {list.length === 0 ? <p class="hint">{t("moderation.flaggedNone")}</p> : null}
      <ul class="flagged-items">
        {list.map((message) => (
          <li key={message.id} data-testid={`flagged-${message.id}`}>
            <div class="message-meta">
              <span class="message-author">{message.author.name}</span>
              <time class="message-time" dateTime={message.created_at}>
                {formatTime(message.created_at, lang)}
              </time>
              <span class="flag-badge">
                <span aria-hidden="true">⚑</span> {t("moderation.flagCount", { n: message.flag_count ?? 0 })}
              </span>
            </div>
            <p class="message-body" dir="auto">
              {showBidiControls(message.body)}
            </p>
            <MessageModeration client={client} message={message} prefix="flagged" />
          </li>
        ))}
      </ul>
    </section>
  );
}
