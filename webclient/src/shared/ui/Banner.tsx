import type { Connection } from "../socket/connection";
import { useObservable } from "./hooks";
import { useT } from "../staff/i18n";

/** The connection line: "connecting…" at first, "reconnecting…" from a drop until resynced. */
export function ConnectionBanner({ connection }: { connection: Connection }) {
  const t = useT();
  useObservable(connection);
  const state = connection.state;
  let text = "";
  if (state === "refused") text = t("conn.refused");
  else if (connection.showReconnecting) text = t("conn.reconnecting");
  else if (state === "connecting" || state === "syncing") text = t("conn.connecting");
  return (
    <div class={text ? "banner" : "banner banner-empty"} role="status">
      {text}
    </div>
  );
}
