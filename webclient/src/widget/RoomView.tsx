import type { YouthClient } from "./controller";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/ui/i18n";
import { MessageList } from "../shared/ui/MessageList";
import { Composer } from "../shared/ui/Composer";

/** The public neighbourhood room. */
export function RoomView({ client }: { client: YouthClient }) {
  const t = useT();
  useObservable(client.roomMessages);
  const name = client.neighbourhood?.name ?? client.room;
  return (
    <div class="view">
      <MessageList
        entries={client.roomMessages.entries()}
        testId="room-log"
        label={t("room.logLabel", { room: name })}
        onRetry={(id) => client.retry(id)}
        onDiscard={(id) => client.discard(id)}
        intro={<Welcome room={name} />}
      />
      <Composer
        inputTestId="room-input"
        sendTestId="room-send"
        label={t("room.inputLabel")}
        placeholder={t("room.placeholder")}
        disabled={!client.joined}
        onSend={(body) => client.sendRoom(body)}
      />
    </div>
  );
}

function Welcome({ room }: { room: string }) {
  const t = useT();
  return (
    <div class="welcome">
      <p>{t("welcome.body", { room })}</p>
      <p class="welcome-emergency">
        {t("welcome.emergency")} <a href="tel:112">{t("welcome.call112")}</a>
      </p>
      <p class="hint">{t("welcome.public")}</p>
    </div>
  );
}
