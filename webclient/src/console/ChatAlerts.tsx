import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/staff/i18n";
import type { StaffClient } from "./controller";
import type { ShiftDesk } from "./shift";
import { formatWaiting } from "./triage";

/**
 * Banners for chats that have waited too long (chat:alert): to the officers on duty for the
 * room, then to the region's supervisors. The text is fixed when the alert arrives.
 */
export function ChatAlerts({ client, shift }: { client: StaffClient; shift: ShiftDesk }) {
  const t = useT();
  useObservable(shift);
  const alerts = [...shift.alerts.values()];
  if (alerts.length === 0) return null;
  return (
    <div class="triage-alerts chat-alerts">
      {alerts.map(({ conversation, reason, waited_seconds }) => {
        const params = {
          room: client.rooms.get(conversation.room)?.neighbourhood?.name ?? conversation.room,
          time: formatWaiting(waited_seconds * 1000),
        };
        return (
          <div class="triage-alert chat-alert" role="alert" key={conversation.id} data-testid="chat-alert" data-reason={reason}>
            <div class="triage-alert-text">
              <strong>{t("chatAlert.title")}</strong>
              <span>{reason === "waiting_long" ? t("chatAlert.waitingLong", params) : t("chatAlert.waiting", params)}</span>
            </div>
            {client.rooms.has(conversation.room) ? (
              <button
                type="button"
                class="primary"
                data-testid="chat-alert-open"
                onClick={() => {
                  shift.dismissAlert(conversation.id);
                  void client.select(conversation.id);
                }}
              >
                {t("chatAlert.open")}
              </button>
            ) : null}
            <button type="button" class="link-button" onClick={() => shift.dismissAlert(conversation.id)}>
              {t("common.dismiss")}
            </button>
          </div>
        );
      })}
    </div>
  );
}
