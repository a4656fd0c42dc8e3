import { useState } from "preact/hooks";
import { Composer } from "../shared/ui/Composer";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/staff/i18n";
import { MessageList } from "../shared/ui/MessageList";
import type { RoomState, StaffClient } from "./controller";
import { FlaggedList, MessageModeration, SlowModeControl } from "./Moderation";

/** Tabs for the on-duty rooms and the selected room's log and composer. */
export function Rooms({ client }: { client: StaffClient }) {
  const t = useT();
  useObservable(client);
  const rooms = [...client.rooms.values()];
  const [picked, setPicked] = useState<string | null>(null);
  const current = rooms.find((r) => r.slug === picked) ?? rooms[0];

  return (
    <section class="rooms" aria-labelledby="rooms-title">
      <h2 id="rooms-title">{t("rooms.title")}</h2>
      {rooms.length === 0 ? <p class="hint">{t("rooms.none")}</p> : null}
      {rooms.length > 0 ? (
        <div class="tabs" role="tablist" aria-label={t("rooms.title")}>
          {rooms.map((room) => (
            <button
              type="button"
              role="tab"
              key={room.slug}
              id={`room-tab-${room.slug}`}
              data-testid={`room-tab-${room.slug}`}
              aria-selected={room === current}
              aria-controls={`room-panel-${room.slug}`}
              onClick={() => setPicked(room.slug)}
            >
              {room.neighbourhood?.name ?? room.slug}
            </button>
          ))}
        </div>
      ) : null}
      {current ? <RoomPanel key={current.slug} client={client} room={current} /> : null}
    </section>
  );
}

function RoomPanel({ client, room }: { client: StaffClient; room: RoomState }) {
  const t = useT();
  useObservable(room.messages);
  const name = room.neighbourhood?.name ?? room.slug;
  const officers = room.availability?.officers_on_duty;
  return (
    <div class="view" role="tabpanel" id={`room-panel-${room.slug}`} aria-labelledby={`room-tab-${room.slug}`}>
      <div class="room-tools">
        {officers !== undefined ? <p class="hint">{t("status.online", { n: officers })}</p> : null}
        <SlowModeControl client={client} room={room.slug} />
      </div>
      <MessageList
        entries={room.messages.entries()}
        testId={`room-log-${room.slug}`}
        label={t("room.logLabel", { room: name })}
        onRetry={(id) => client.retry(id)}
        onDiscard={(id) => client.discard(id)}
        empty={t("rooms.empty")}
        actions={(message) => (message.author.kind === "youth" ? <MessageModeration client={client} message={message} /> : null)}
      />
      <FlaggedList client={client} room={room.slug} />
      <Composer
        inputTestId={`room-input-${room.slug}`}
        sendTestId={`room-send-${room.slug}`}
        label={t("rooms.inputLabel", { room: name })}
        placeholder={t("rooms.placeholder")}
        disabled={!room.joined}
        onSend={(body) => client.sendRoom(room.slug, body)}
      />
    </div>
  );
}
