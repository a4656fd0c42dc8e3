import { useObservable } from "../shared/ui/hooks";
import { useI18n } from "../shared/staff/i18n";
import { formatTime } from "../shared/ui/time";
import type { StaffClient } from "./controller";
import type { ShiftDesk } from "./shift";

/** Private chats: waiting ones first, live through inbox:updated; chats a colleague gave me say so. */
export function Inbox({ client, shift }: { client: StaffClient; shift: ShiftDesk }) {
  const { t, lang } = useI18n();
  useObservable(client, shift);
  const list = client.inbox();
  const roomName = (slug: string) => client.rooms.get(slug)?.neighbourhood?.name ?? slug;

  return (
    <section class="inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title">{t("inbox.title")}</h2>
      <ul data-testid="inbox" class="inbox-list">
        {list.length === 0 ? <li class="hint">{t("inbox.empty")}</li> : null}
        {list.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              class={`inbox-item inbox-${c.status}${c.id === client.selected ? " selected" : ""}`}
              data-testid={`inbox-item-${c.id}`}
              data-status={c.status}
              aria-current={c.id === client.selected ? "true" : undefined}
              onClick={() => void client.select(c.id)}
            >
              <span class="inbox-name">
                {client.unread.has(c.id) ? <span class="unread-dot" aria-label={t("inbox.unread")} /> : null}
                {c.youth?.nickname ?? t("inbox.anonymous")}
              </span>
              <span class="inbox-meta">
                {roomName(c.room)} · {t(`inbox.status.${c.status}`)} · {formatTime(c.status === "waiting" ? c.created_at : (c.last_message_at ?? c.created_at), lang)}
              </span>
              {shift.given.has(c.id) ? (
                <span class="inbox-given" data-testid="inbox-given">
                  {t("inbox.givenBy", { name: shift.given.get(c.id) ?? "" })}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
