import type { Connection } from "../shared/socket/connection";
import { Observable } from "../shared/store/observable";

/**
 * Follows the device's online/offline events. Going offline closes the transport at once (a
 * dead websocket may otherwise look open for up to a minute), so what is written meanwhile
 * waits in the outbox as "sending…"; coming back reconnects at once instead of after the
 * back-off, and the usual resync then resends the outbox with the same client_ids.
 */
export class Network extends Observable {
  online: boolean;

  constructor(
    private readonly connection: Connection,
    win: Window = window,
  ) {
    super();
    this.online = win.navigator.onLine !== false;
    win.addEventListener("offline", () => this.set(false));
    win.addEventListener("online", () => this.set(true));
  }

  private set(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    this.notify();
    const socket = this.connection.socket;
    if (!online) {
      socket.io.engine?.close();
    } else if (!socket.connected) {
      this.connection.disconnect();
      this.connection.connect();
    }
  }
}
