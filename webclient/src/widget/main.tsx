import { render } from "preact";
import "../shared/ui/base.css";
import "./widget.css";
import { App, type WidgetActions } from "./App";
import { YouthClient } from "./controller";
import { HostBridge } from "./embed";
import { EXIT_URL } from "./exit";
import { Network } from "./network";
import { addressWith, readSettings } from "./settings";
import { TokenStore, usableStorage } from "./storage";
import { applyTheme } from "./theme";
import { fitToViewport } from "./viewport";

const settings = readSettings(location.search);
fitToViewport(window);
const { room, lang } = settings;
applyTheme(settings.theme);
const bridge = new HostBridge(window);
const tokens = new TokenStore(usableStorage(), settings.noTrace);
const client = new YouthClient({ origin: location.origin, room, lang, tokens });
const network = new Network(client.connection);
// Said once; a reload should not say it again.
if (settings.forgotten) history.replaceState(null, "", addressWith(location.href, {}));

// The full page in its own tab (first-party, so it may store the token), without the embed flags.
const ownTab = new URL("/widget/", location.origin);
ownTab.search = new URLSearchParams({ room, lang }).toString();

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
  const open = Boolean((payload as { open?: unknown } | null)?.open);
  if (open && !visible) document.getElementById("widget-title")?.focus();
  visible = open;
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
const actions: WidgetActions = {
  exit: () => {
    // Gone from the screen at once, then away: the loader replaces the host page's history
    // entry from the top window; on the full page we replace our own.
    if (root) render(null, root);
    client.leave();
    if (bridge.embedded) bridge.post("close", { reason: "exit" });
    else location.replace(EXIT_URL);
  },
  forget: () => {
    void client.forget().then(() => location.replace(addressWith(location.href, { noTrace: true, forgotten: true })));
  },
  setNoTrace: (on) => {
    client.setNoTrace(on);
    // Kept in the address, so a reload stays in the chosen mode without storing anything.
    history.replaceState(null, "", addressWith(location.href, { noTrace: on }));
  },
  close: () => bridge.post("close"),
};

if (root) {
  render(
    <App
      client={client}
      network={network}
      embedded={bridge.embedded}
      initialLang={lang}
      forgotten={settings.forgotten}
      ownTabUrl={bridge.embedded ? ownTab.toString() : null}
      actions={actions}
    />,
    root,
  );
}
if (room) client.start();
bridge.post("ready", { room });
