import { useState } from "preact/hooks";
import type { YouthClient } from "./controller";
import { useNow, useObservable } from "../shared/ui/hooks";
import { badgeParts } from "../shared/ui/badge";
import { useI18n } from "../shared/ui/i18n";
import { MessageList } from "../shared/ui/MessageList";
import { Composer } from "../shared/ui/Composer";
import { GuidanceCard } from "../shared/ui/GuidanceCard";
import type { LogNode } from "../shared/ui/MessageList";
import { describeAvailability, questionText } from "./availability";
import { Feedback } from "./Feedback";
import { OwnTabLink } from "./PrivacyView";
import { keptText } from "./retention";
import { RiskGuidance } from "./RiskGuidance";
import { TrustNote } from "./TrustNote";

/** The private conversation: start it, wait for an officer, chat, close. */
export function ChatView({ client, ownTabUrl }: { client: YouthClient; ownTabUrl: string | null }) {
  const { t, lang } = useI18n();
  useObservable(client, client.chatMessages);
  const now = useNow(60_000);
  const [busy, setBusy] = useState(false);
  const conversation = client.conversation;

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    await action();
    setBusy(false);
  };

  // Nobody online: the chat still opens and waits in the queue until the next window.
  const status = describeAvailability(client.availability, lang, now);
  const offline = status.kind === "waiting" || status.kind === "closed";
  const question = questionText(status);

  if (!conversation) {
    return (
      <div class="view view-intro">
        <h2>{offline ? t("chat.leaveTitle") : t("chat.introTitle")}</h2>
        <p>{t("chat.introBody")}</p>
        {offline ? (
          <p class="chat-offline" data-testid="leave-question">
            {t(question.key, question.params)}
          </p>
        ) : (
          <p class="hint">{t("chat.introEmergency")}</p>
        )}
        <button type="button" class="primary" data-testid="open-chat" disabled={busy || !client.joined} onClick={() => run(() => client.openChat())}>
          {offline ? t("chat.leaveOpen") : t("chat.open")}
        </button>
        <RiskGuidance client={client} where="chat" />
        {client.storageMode === "blocked" ? <StorageNotice ownTabUrl={ownTabUrl} /> : null}
        <div class="chat-facts">
          <p>{t("welcome.act")}</p>
          {client.retention ? <p data-testid="chat-kept">{keptText(t, client.retention)}</p> : null}
          <TrustNote area={client.neighbourhood?.police_area} />
        </div>
      </div>
    );
  }

  const report = client.conversationReport;
  const handoffs: LogNode[] = client.conversationHandoffs().map((handoff) => ({
    key: handoff.id,
    at: handoff.created_at,
    node: (
      <GuidanceCard
        card={handoff.card}
        testId={`handoff-${handoff.kind}`}
        label={t("handoff.fromPolice")}
        onOpen={() => client.openHandoff(handoff.id)}
      />
    ),
  }));
  const officer = conversation.officer;
  const badge = officer?.badge;
  return (
    <div class="view">
      <h2 class="visually-hidden">{t("tab.chat")}</h2>
      <div class="chat-head" role="status">
        {report ? (
          <p class="chat-report" data-testid="report-status" data-status={report.status}>
            {report.status === "claimed" ? t("report.status.claimed") : t("report.inChat")}
          </p>
        ) : null}
        {conversation.status === "waiting" ? <p>{t("chat.waiting")}</p> : null}
        {conversation.status === "waiting" && conversation.position ? (
          <p data-testid="chat-position">{t("chat.position", { n: conversation.position })}</p>
        ) : null}
        {conversation.status === "waiting" && offline ? (
          <p class="chat-offline" data-testid="leave-question">
            {t(question.key, question.params)}
          </p>
        ) : null}
        {conversation.status === "active" ? (
          <p data-testid="chat-officer">
            {t("chat.with", { name: badge?.name ?? officer?.name ?? t("message.police") })}
            {badge ? <span class="message-badge"> · {badgeParts(t, badge).slice(1).join(" · ")}</span> : null}
          </p>
        ) : null}
        {conversation.status === "closed" ? <p>{t("chat.closed")}</p> : null}
        {client.officerTyping ? <p class="typing">{t("chat.typing", { name: client.officerTyping })}</p> : null}
      </div>
      {conversation.status === "active" ? (
        <div class="chat-trust">
          <TrustNote area={badge?.police_area ?? client.neighbourhood?.police_area} />
        </div>
      ) : null}
      {client.storageMode === "blocked" ? <StorageNotice ownTabUrl={null} /> : null}
      <MessageList
        entries={client.chatMessages.entries()}
        testId="chat-log"
        label={t("chat.logLabel")}
        onRetry={(id) => client.retry(id)}
        onDiscard={(id) => client.discard(id)}
        empty={conversation.status === "waiting" ? t("chat.waitingHint") : undefined}
        inserts={handoffs}
      />
      <RiskGuidance client={client} where="chat" />
      {conversation.status === "closed" ? <Feedback client={client} /> : null}
      {conversation.status === "closed" ? (
        <div class="chat-actions">
          <button type="button" class="primary" onClick={() => client.resetChat()}>
            {t("chat.new")}
          </button>
        </div>
      ) : (
        <>
          <Composer
            inputTestId="chat-input"
            sendTestId="chat-send"
            label={t("chat.inputLabel")}
            placeholder={t("chat.placeholder")}
            onSend={(body) => client.sendChat(body)}
            onTyping={(typing) => client.setTyping(typing)}
          />
          <div class="chat-actions">
            <button type="button" class="link-button" data-testid="chat-end" disabled={busy} onClick={() => run(() => client.closeChat())}>
              {t("chat.end")}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

/** The iframe may not store anything: a reload loses the chat. Before one starts, offer a tab of its own. */
function StorageNotice({ ownTabUrl }: { ownTabUrl: string | null }) {
  const t = useI18n().t;
  return (
    <div class="notice storage-notice" data-testid="storage-notice">
      <p>{t("storage.blocked")}</p>
      {ownTabUrl ? <OwnTabLink url={ownTabUrl} /> : null}
    </div>
  );
}
