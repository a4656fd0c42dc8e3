import { useEffect, useMemo } from "preact/hooks";
import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/staff/i18n";
import { formatWaiting } from "../shared/staff/waiting";
import { AlertDesk } from "./alerts";

/** Banners on every supervisor page for chats in the region that nobody has taken in time. */
export function Alerts() {
  const t = useT();
  const desk = useMemo(() => new AlertDesk(location.origin), []);
  useObservable(desk);
  useEffect(() => {
    desk.start();
    return () => desk.stop();
  }, [desk]);
  const alerts = [...desk.alerts.values()];
  if (alerts.length === 0) return null;
  return (
    <div class="supervisor-alerts">
      {alerts.map(({ conversation, waited_seconds }) => (
        <div class="alert" role="alert" key={conversation.id} data-testid="supervisor-chat-alert">
          <span>
            <strong>{t("chatAlert.title")}: </strong>
            {t("chatAlert.waitingLong", {
              room: conversation.room,
              time: formatWaiting(waited_seconds * 1000),
            })}{" "}
            <a href="#overview">{t("chatAlert.whoIsOn")}</a>
          </span>
          <button type="button" class="link-button" onClick={() => desk.dismiss(conversation.id)}>
            {t("common.dismiss")}
          </button>
        </div>
      ))}
    </div>
  );
}
