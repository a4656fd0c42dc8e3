import type { ComponentChildren } from "preact";
import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Entry } from "../store/messages";
import type { ApiError, Message } from "../protocol/types";
import { useI18n } from "./i18n";
import { badgeParts } from "./badge";
import { showBidiControls } from "./bidi";
import { interleave, type LogInsert } from "./interleave";
import { sendErrorText } from "./moderation";
import { formatTime } from "./time";

/** A non-message item of the log (e.g. a handoff card), placed by its time. */
export interface LogNode extends LogInsert {
  node: ComponentChildren;
}

const NEAR_BOTTOM_PX = 48;

interface Props {
  entries: Entry[];
  testId: string;
  label: string;
  onRetry?: (clientId: string) => void;
  onDiscard?: (clientId: string) => void;
  /** Shown above the messages (e.g. the welcome text). */
  intro?: ComponentChildren;
  empty?: string;
  /** Shown among the messages by time (e.g. handoff cards). */
  inserts?: LogNode[];
  /** Controls under a stored message (e.g. moderation, flagging); nothing for null. */
  actions?: (message: Message) => ComponentChildren;
}

/**
 * A `role="log"` list that follows new messages only while the reader is at the bottom;
 * otherwise it offers a "new messages" button instead of yanking the view.
 */
export function MessageList({ entries, testId, label, onRetry, onDiscard, intro, empty, inserts, actions }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const [behind, setBehind] = useState(false);
  const items = inserts && inserts.length > 0 ? interleave(entries, inserts) : null;
  const count = entries.length + (inserts?.length ?? 0);
  // Inserts are rebuilt on every render; follow them by their keys, not by identity.
  const insertKeys = inserts?.map((i) => i.key).join(",") ?? "";

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (atBottom.current) el.scrollTop = el.scrollHeight;
    else setBehind(true);
  }, [count, entries, insertKeys]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (atBottom.current) setBehind(false);
  };

  const jump = () => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    atBottom.current = true;
    setBehind(false);
  };

  return (
    <div class="log-wrap">
      <div class="log" ref={ref} onScroll={onScroll} role="log" aria-live="polite" aria-label={label} data-testid={testId} tabIndex={0}>
        {intro}
        {count === 0 && empty ? <p class="log-empty">{empty}</p> : null}
        <ol class="messages">
          {items
            ? items.map((item) =>
                item.kind === "entry" ? (
                  <MessageItem key={item.entry.key} entry={item.entry} onRetry={onRetry} onDiscard={onDiscard} actions={actions} />
                ) : (
                  <li key={`insert:${item.insert.key}`} class="log-insert">
                    {item.insert.node}
                  </li>
                ),
              )
            : entries.map((entry) => <MessageItem key={entry.key} entry={entry} onRetry={onRetry} onDiscard={onDiscard} actions={actions} />)}
        </ol>
      </div>
      {behind ? (
        <button type="button" class="new-messages" onClick={jump}>
          {t("log.newMessages")}
        </button>
      ) : null}
    </div>
  );
}

interface ItemProps {
  entry: Entry;
  onRetry?: ((clientId: string) => void) | undefined;
  onDiscard?: ((clientId: string) => void) | undefined;
  actions?: ((message: Message) => ComponentChildren) | undefined;
}

function MessageItem({ entry, onRetry, onDiscard, actions }: ItemProps) {
  const { t, lang } = useI18n();
  const { message, status } = entry;
  const kind = message.author.kind;
  const clientId = message.client_id;
  const hidden = message.hidden === true;
  // Young people get a removed message without its text; staff still read it, greyed.
  const removed = hidden && message.body === "";
  const flagCount = message.flag_count ?? 0;
  const classes = `message message-${kind} message-${status}${hidden ? " message-hidden" : ""}`;
  return (
    <li class={classes} data-testid="message" data-status={status} data-id={message.id || undefined} data-hidden={hidden ? "true" : undefined}>
      {kind === "system" ? null : (
        <div class="message-meta">
          {kind === "officer" ? (
            <BadgeLine message={message} />
          ) : (
            <bdi class="message-author">{showBidiControls(message.author.name)}</bdi>
          )}
          <time class="message-time" dateTime={message.created_at}>
            {formatTime(message.created_at, lang)}
          </time>
          {flagCount > 0 ? (
            <span class="flag-badge" data-testid="flag-badge">
              <span aria-hidden="true">⚑</span> {t("moderation.flagCount", { n: flagCount })}
            </span>
          ) : null}
        </div>
      )}
      {removed ? (
        <p class="message-body message-removed">{t("message.removed")}</p>
      ) : (
        <p class="message-body" dir="auto">
          {showBidiControls(message.body)}
        </p>
      )}
      {hidden && !removed ? <p class="message-hidden-note">{t("message.hiddenByModerator")}</p> : null}
      {status === "sending" ? <p class="message-state">{t("message.sending")}</p> : null}
      {status === "failed" && clientId ? (
        <FailedLine error={entry.error} clientId={clientId} onRetry={onRetry} onDiscard={onDiscard} />
      ) : null}
      {actions && status === "sent" && !removed ? actions(message) : null}
    </li>
  );
}

/** An officer's name with the verifiable badge: name · role · police area. */
function BadgeLine({ message }: { message: Message }) {
  const { t } = useI18n();
  const badge = message.author.badge;
  if (!badge) {
    return (
      <span class="message-author">
        {message.author.name} <span class="message-badge">· {t("message.police")}</span>
      </span>
    );
  }
  const [name, ...rest] = badgeParts(t, badge);
  return (
    <span class="message-author" title={t("message.badgeTitle")}>
      {name}
      {rest.length > 0 ? <span class="message-badge"> · {rest.join(" · ")}</span> : null}
    </span>
  );
}

interface FailedProps {
  error: ApiError | null;
  clientId: string;
  onRetry?: ((clientId: string) => void) | undefined;
  onDiscard?: ((clientId: string) => void) | undefined;
}

function FailedLine({ error, clientId, onRetry, onDiscard }: FailedProps) {
  const { t, lang } = useI18n();
  return (
    <div class="message-state message-failed-line" role="alert">
      <span>{t("message.failed", { reason: sendErrorText(t, lang, error) })}</span>
      {onRetry ? (
        <button type="button" class="link-button" onClick={() => onRetry(clientId)}>
          {t("message.retry")}
        </button>
      ) : null}
      {onDiscard ? (
        <button type="button" class="link-button" onClick={() => onDiscard(clientId)}>
          {t("message.discard")}
        </button>
      ) : null}
    </div>
  );
}
