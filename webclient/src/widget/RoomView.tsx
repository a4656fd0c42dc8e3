import { useState } from "preact/hooks";
import type { Message } from "../shared/protocol/types";
import type { YouthClient } from "./controller";
import { useObservable } from "../shared/ui/hooks";
import { useI18n, useT } from "../shared/ui/i18n";
import { MessageList } from "../shared/ui/MessageList";
import { Composer } from "../shared/ui/Composer";
import { errorText } from "../shared/ui/errors";
import { muteNotice, slowModeNotice } from "../shared/ui/moderation";
import { communityOf } from "./community";
import { Notices } from "./Notices";
import { QaBanner, QaView } from "./QaView";
import { RiskGuidance } from "./RiskGuidance";
import { TrustNote } from "./TrustNote";
import { Welcome } from "./Welcome";

/** The public neighbourhood room. */
export function RoomView({ client }: { client: YouthClient }) {
  const { t, lang } = useI18n();
  const community = communityOf(client);
  useObservable(client, client.roomMessages, community);
  if (community.session) return <QaView community={community} />;
  const name = client.neighbourhood?.name ?? client.room;
  const muted = client.muted && client.mutedUntil ? client.mutedUntil : null;
  return (
    <div class="view">
      <Notices community={community} />
      <QaBanner community={community} />
      <MessageList
        entries={client.roomMessages.entries()}
        testId="room-log"
        label={t("room.logLabel", { room: name })}
        onRetry={(id) => client.retry(id)}
        onDiscard={(id) => client.discard(id)}
        intro={<Welcome room={name} retention={client.retention} area={client.neighbourhood?.police_area} publicRoom />}
        actions={(message) =>
          message.author.kind === "officer" ? (
            <TrustNote area={message.author.badge?.police_area ?? client.neighbourhood?.police_area} />
          ) : client.canFlag(message) || client.flags.has(message.id) ? (
            <FlagAction client={client} message={message} />
          ) : null
        }
      />
      <RiskGuidance client={client} where="room" />
      <div class="room-notices" role="status">
        {muted ? (
          <p class="room-muted" data-testid="muted-notice">
            {muteNotice(muted, lang)}
          </p>
        ) : null}
        {client.slowModeSeconds > 0 ? (
          <p class="hint" data-testid="slowmode-notice">
            {slowModeNotice(client.slowModeSeconds, lang)}
          </p>
        ) : null}
      </div>
      <Composer
        inputTestId="room-input"
        sendTestId="room-send"
        label={t("room.inputLabel")}
        placeholder={muted ? t("moderation.mutedPlaceholder") : t("room.placeholder")}
        // Writing works from the first moment: until connected, a message waits as "sending…".
        disabled={muted !== null}
        onSend={(body) => client.sendRoom(body)}
      />
    </div>
  );
}

/** "Flagga": tell the officers a message is not OK, with an optional reason; thanked once sent. */
function FlagAction({ client, message }: { client: YouthClient; message: Message }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const state = client.flags.get(message.id);
  const formId = `flag-${message.id}`;

  if (state?.status === "done") {
    return (
      <p class="flag-thanks" role="status" data-testid="flag-thanks">
        {t("flag.thanks")}
      </p>
    );
  }
  if (!open) {
    return (
      <div class="message-actions">
        <button type="button" class="link-button" data-testid="msg-flag" aria-expanded="false" aria-controls={formId} onClick={() => setOpen(true)}>
          {t("flag.open")}
        </button>
      </div>
    );
  }
  return (
    <form
      id={formId}
      class="flag-form"
      onSubmit={(e) => {
        e.preventDefault();
        void client.flagMessage(message.id, reason);
      }}
    >
      <label for={`${formId}-reason`}>{t("flag.reasonLabel")}</label>
      <input
        id={`${formId}-reason`}
        data-testid="msg-flag-reason"
        type="text"
        maxLength={200}
        value={reason}
        onInput={(e) => setReason(e.currentTarget.value)}
      />
      <div class="flag-buttons">
        <button type="submit" data-testid="msg-flag-send" disabled={state?.status === "sending"}>
          {t("flag.send")}
        </button>
        <button type="button" class="link-button" onClick={() => setOpen(false)}>
          {t("common.cancel")}
        </button>
      </div>
      {state?.status === "failed" ? (
        <p class="alert" role="alert">
          {errorText(t, state.error)}
        </p>
      ) : null}
    </form>
  );
}
