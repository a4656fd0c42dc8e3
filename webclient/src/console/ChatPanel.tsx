import { useState } from "preact/hooks";
import { HANDOFF_KINDS } from "../shared/protocol/types";
import { ErrorAlert } from "../shared/ui/Alert";
import { Composer } from "../shared/ui/Composer";
import { GuidanceCard } from "../shared/ui/GuidanceCard";
import { useObservable } from "../shared/ui/hooks";
import { useI18n, useT } from "../shared/staff/i18n";
import { MessageList, type LogNode } from "../shared/ui/MessageList";
import { formatTime } from "../shared/ui/time";
import type { StaffClient } from "./controller";
import { ReportSummary } from "./ReportSummary";

/** The selected private chat: take it, answer, close it. */
export function ChatPanel({ client }: { client: StaffClient }) {
  const { t, lang } = useI18n();
  const id = client.selected;
  const store = id ? client.chatStore(id) : null;
  useObservable(client, store);
  const [busy, setBusy] = useState(false);

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
        inserts={handoffs}
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
          <Composer
            inputTestId="chat-input"
            sendTestId="chat-send"
            label={t("chat.inputLabel")}
            placeholder={t("chat.staffPlaceholder")}
            onSend={(body) => client.sendChat(id, body)}
            onTyping={(typing) => client.setTyping(typing)}
          />
          <div class="chat-actions">
            <button type="button" data-testid="chat-close" disabled={busy} onClick={() => run(() => client.closeChat(id))}>
              {t("chat.close")}
            </button>
          </div>
        </>
      ) : null}
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
