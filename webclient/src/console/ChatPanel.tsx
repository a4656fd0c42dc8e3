import { useEffect, useState } from "preact/hooks";
import { HANDOFF_KINDS, type Message } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { Composer } from "../shared/ui/Composer";
import { GuidanceCard } from "../shared/ui/GuidanceCard";
import { useObservable } from "../shared/ui/hooks";
import { flagNames } from "../shared/staff/Secrecy";
import { useI18n, useT, type Translate } from "../shared/staff/i18n";
import { MessageList, type LogNode } from "../shared/ui/MessageList";
import { formatTime } from "../shared/ui/time";
import { NoteForm, noteNodes } from "./ChatNotes";
import type { StaffClient } from "./controller";
import type { NotesDesk } from "./notes";
import type { RepliesDesk } from "./replies";
import { RepliesPicker } from "./RepliesPicker";
import { ReportSummary } from "./ReportSummary";
import type { ShiftDesk } from "./shift";
import { TransferForm } from "./TransferForm";

interface Props {
  client: StaffClient;
  shift: ShiftDesk;
  notes: NotesDesk;
  replies: RepliesDesk;
}

/** Under a young person's message with a risk signal: what it is, so that it is not missed. */
function riskLine(t: Translate, message: Message) {
  const risks = (message.flags ?? []).filter((f) => f.startsWith("risk."));
  if (message.author.kind !== "youth" || risks.length === 0) return null;
  return (
    <p class="message-risk" role="note" data-testid="message-risk">
      <span aria-hidden="true">⚠ </span>
      {t("risk.flagged", { flags: flagNames(t, risks) })}
    </p>
  );
}

/** The selected private chat: take it, answer (saved replies at hand), note, hand over, close. */
export function ChatPanel({ client, shift, notes, replies }: Props) {
  const { t, lang } = useI18n();
  const id = client.selected;
  const store = id ? client.chatStore(id) : null;
  useObservable(client, store, notes, shift);
  const [busy, setBusy] = useState(false);
  const [picking, setPicking] = useState(false);
  const [inject, setInject] = useState<{ text: string; n: number } | null>(null);
  useEffect(() => {
    setPicking(false);
    // A chat a colleague gave me says so while it is open, and is no longer news after.
    return () => {
      if (id) shift.seenGiven(id);
    };
  }, [id]);

  if (!id || !store) {
    return (
      <section class="chat" aria-labelledby="chat-title">
        <h2 id="chat-title">{t("chat.panelTitle")}</h2>
        <p class="hint">{t("chat.pick")}</p>
      </section>
    );
  }

  const conversation = client.conversations.get(id);
  const mine = client.isMine(id);
  const takeError = client.takeError?.conversationId === id ? client.takeError.error : null;
  const report = client.reportFor(id);
  const handoffs: LogNode[] = client.handoffsFor(id).map((handoff) => ({
    key: handoff.id,
    at: handoff.created_at,
    node: (
      <GuidanceCard
        card={handoff.card}
        testId={`handoff-card-${handoff.kind}`}
        preview
        label={`${t("handoff.sent", { time: formatTime(handoff.created_at, lang) })} · ${
          handoff.opened_at ? t("handoff.opened", { time: formatTime(handoff.opened_at, lang) }) : t("handoff.notOpened")
        }`}
      />
    ),
  }));
  const inserts = [...handoffs, ...noteNodes(t, lang, notes.notes(id))];
  const given = shift.given.get(id);
  const earlier = conversation?.handed_over_from;
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    await action();
    setBusy(false);
  };

  return (
    <section class="chat" aria-labelledby="chat-title">
      <h2 id="chat-title">
        {t("chat.panelWith", { name: conversation?.youth?.nickname ?? t("inbox.anonymous") })}
      </h2>
      <div role="status" class="chat-head">
        {conversation?.status === "waiting" ? <p>{t("chat.staffWaiting")}</p> : null}
        {conversation?.status === "active" && !mine ? <p>{t("chat.takenByOther")}</p> : null}
        {conversation?.status === "closed" ? <p>{t("chat.closed")}</p> : null}
        {given ? (
          <p class="chat-given" data-testid="chat-given">
            {t("chat.givenBy", { name: given })}
          </p>
        ) : earlier && earlier.id !== client.user.id ? (
          <p class="hint" data-testid="chat-earlier">
            {t("chat.handedFrom", { name: earlier.name })}
          </p>
        ) : null}
        {client.typing.get(id) ? <p class="typing">{t("chat.typing", { name: client.typing.get(id) ?? "" })}</p> : null}
      </div>
      <ErrorAlert error={takeError} />
      {report ? <ReportSummary key={report.id} client={client} report={report} /> : null}
      <MessageList
        entries={store.entries()}
        testId="chat-log"
        label={t("chat.logLabel")}
        onRetry={(clientId) => client.retry(clientId)}
        onDiscard={(clientId) => client.discard(clientId)}
        inserts={inserts}
        actions={(message) => riskLine(t, message)}
      />
      {conversation?.status === "waiting" ? (
        <div class="chat-actions">
          <button type="button" class="primary" data-testid="chat-take" disabled={busy} onClick={() => run(() => client.take(id))}>
            {t("chat.take")}
          </button>
        </div>
      ) : null}
      {conversation?.status === "active" && mine ? (
        <>
          <HandoffBar client={client} conversationId={id} />
          {picking ? (
            <RepliesPicker
              desk={replies}
              onClose={() => setPicking(false)}
              onPick={(reply) => {
                setPicking(false);
                setInject({ text: reply.body, n: (inject?.n ?? 0) + 1 });
              }}
            />
          ) : null}
          <Composer
            inputTestId="chat-input"
            sendTestId="chat-send"
            label={t("chat.inputLabel")}
            placeholder={t("chat.staffPlaceholder")}
            onSend={(body) => client.sendChat(id, body)}
            onTyping={(typing) => client.setTyping(typing)}
            inject={inject}
            onSlash={() => setPicking(true)}
            extra={
              <button type="button" data-testid="replies-open" aria-expanded={picking} onClick={() => setPicking(!picking)}>
                {t("replies.open")}
              </button>
            }
          />
          <NoteForm notes={notes} conversationId={id} />
          <div class="chat-actions">
            <TransferForm client={client} shift={shift} conversationId={id} room={conversation.room} />
            <button type="button" data-testid="chat-close" disabled={busy} onClick={() => run(() => client.closeChat(id))}>
              {t("chat.close")}
            </button>
          </div>
        </>
      ) : null}
      {conversation?.status === "waiting" ? <NoteForm notes={notes} conversationId={id} /> : null}
    </section>
  );
}

/** One click per card: 112, 114 14, online report, BRIS, Självmordslinjen. */
function HandoffBar({ client, conversationId }: { client: StaffClient; conversationId: string }) {
  const t = useT();
  const [busy, setBusy] = useState<string | null>(null);
  const give = async (kind: string) => {
    setBusy(kind);
    await client.giveHandoff(conversationId, kind);
    setBusy(null);
  };
  return (
    <div class="handoff-bar" role="group" aria-labelledby="handoff-title">
      <span id="handoff-title" class="handoff-title">
        {t("handoff.title")}
      </span>
      {HANDOFF_KINDS.map((kind) => (
        <button
          type="button"
          key={kind}
          class={kind === "112" ? "handoff-urgent" : undefined}
          data-testid={`handoff-${kind}`}
          disabled={busy !== null}
          onClick={() => void give(kind)}
        >
          {t(`handoff.give.${kind}`)}
        </button>
      ))}
    </div>
  );
}
