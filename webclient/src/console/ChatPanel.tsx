import { useState } from "preact/hooks";
import { ErrorAlert } from "../shared/ui/Alert";
import { Composer } from "../shared/ui/Composer";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/ui/i18n";
import { MessageList } from "../shared/ui/MessageList";
import type { StaffClient } from "./controller";

/** The selected private chat: take it, answer, close it. */
export function ChatPanel({ client }: { client: StaffClient }) {
  const t = useT();
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
      <MessageList
        entries={store.entries()}
        testId="chat-log"
        label={t("chat.logLabel")}
        onRetry={(clientId) => client.retry(clientId)}
        onDiscard={(clientId) => client.discard(clientId)}
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
