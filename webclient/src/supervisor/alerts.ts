import { EVENTS } from "../shared/protocol/events";
import type { ChatAlert } from "../shared/protocol/types";
import { Connection } from "../shared/socket/connection";
import { Observable } from "../shared/store/observable";


/**
 * Alerts for the region's supervisors over the /staff socket: a chat nobody has taken for
 * twice KVARTER_CHAT_ALERT_SECONDS (chat:alert, reason waiting_long), on every page.
 */
export class AlertDesk extends Observable {
  readonly connection: Connection;
  readonly alerts = new Map<string, ChatAlert>();

  constructor(origin: string) {
    super();
    this.connection = new Connection({ url: `${origin}/staff`, resync: async () => undefined });
    const socket = this.connection.socket;
    socket.on(EVENTS.CHAT_ALERT, (alert: ChatAlert) => {
      if (!alert?.conversation?.id || alert.conversation.status !== "waiting") return;
      this.alerts.set(alert.conversation.id, alert);
      this.notify();
    });
  }

  start(): void {
    this.connection.connect();
  }

  stop(): void {
    this.connection.disconnect();
  }

  dismiss(conversationId: string): void {
    if (this.alerts.delete(conversationId)) this.notify();
  }
}
