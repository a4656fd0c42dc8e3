import { render } from "preact";
import "../shared/ui/base.css";
import "./widget.css";
import { pickLang } from "../shared/i18n";
import { App } from "./App";
import { YouthClient } from "./controller";
import { HostBridge } from "./embed";

const params = new URLSearchParams(location.search);
const room = (params.get("room") ?? "").trim().toLowerCase();
const lang = pickLang(params.get("lang"));
const bridge = new HostBridge(window);
const client = new YouthClient({ origin: location.origin, room, lang });

// Unread count for the launcher badge: messages from the police while the panel is closed.
let visible = !bridge.embedded;
let unread = 0;
client.onIncoming = () => {
  if (visible) return;
  unread += 1;
  bridge.post("unread", { count: unread });
};
bridge.listen((type, payload) => {
  if (type !== "open") return;
  visible = Boolean((payload as { open?: unknown } | null)?.open);
  if (visible && unread > 0) {
    unread = 0;
    bridge.post("unread", { count: 0 });
  }
});
if (bridge.embedded) {
  document.documentElement.classList.add("embedded");
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") bridge.post("close");
  });
}

const root = document.getElementById("app");
if (root) render(<App client={client} bridge={bridge} initialLang={lang} />, root);
if (room) client.start();
bridge.post("ready", { room });
