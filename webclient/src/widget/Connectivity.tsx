import { useObservable } from "../shared/ui/hooks";
import { useT } from "../shared/ui/i18n";
import type { Connection } from "../shared/socket/connection";
import type { Network } from "./network";

/**
 * One polite status line: offline (and that writing still works), connecting, reconnecting
 * until resynced. Always in the page, so a change of its text is announced.
 */
export function Connectivity({ network, connection }: { network: Network; connection: Connection }) {
  const t = useT();
  useObservable(network, connection);
  const state = connection.state;
  let text = "";
  if (!network.online) text = t("widget.offline");
  else if (state === "refused") text = t("conn.refused");
  else if (connection.showReconnecting) text = t("conn.reconnecting");
  else if (state === "connecting" || state === "syncing") text = t("conn.connecting");
  return (
    <div class={text ? "banner" : "banner banner-empty"} role="status" data-testid="connection" data-state={network.online ? state : "offline"}>
      {text}
    </div>
  );
}
