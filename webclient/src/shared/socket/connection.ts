import { io, type Socket } from "socket.io-client";
import { Observable } from "../store/observable";

const SERVER_DISCONNECT_RETRY_MS = 2000;

/** The wait before reconnecting after the server closed the connection: 1-3 s, with jitter. */
export function retryDelay(random: () => number = Math.random): number {
  return Math.round(SERVER_DISCONNECT_RETRY_MS * (0.5 + random()));
}

/**
 * connecting: before the first connect. syncing: connected, resync running.
 * online: resynced. reconnecting: lost the connection after having had it.
 * refused: the server refused the connection (e.g. not logged in); no auto-retry.
 */
export type ConnectionState = "connecting" | "syncing" | "online" | "reconnecting" | "refused";

export interface ConnectionOptions {
  /** Full URL of the namespace, e.g. `${origin}/youth`. */
  url: string;
  /** Read on every (re)connect attempt, so a new token is sent after a reconnect. */
  auth?: () => Record<string, unknown>;
  /** Event that means "ready to resync" (e.g. the youth `session`); default: connect. */
  readyEvent?: string;
  /** Runs after every (re)connect, before the state becomes online; gets the ready event's arguments. */
  resync: (...args: unknown[]) => Promise<void>;
  /** Runs when the connection drops (the place for message stores to hold their cursors). */
  onDrop?: () => void;
  /** Runs once the state is online again (the place to flush the outbox). */
  onOnline?: () => void;
}

/** One Socket.IO connection with the reconnect-then-resync life cycle of the web client. */
export class Connection extends Observable {
  readonly socket: Socket;
  private current: ConnectionState = "connecting";
  private generation = 0;
  private hadConnection = false;
  private closedByUs = false;
  refusal = "";

  constructor(private readonly options: ConnectionOptions) {
    super();
    const auth = options.auth;
    this.socket = io(options.url, {
      path: "/socket.io/",
      transports: ["websocket", "polling"],
      autoConnect: false,
      ...(auth ? { auth: (cb: (data: object) => void) => cb(auth()) } : {}),
    });
    this.socket.on(options.readyEvent ?? "connect", (...args: unknown[]) => void this.runResync(args));
    this.socket.on("disconnect", (reason) => {
      this.generation += 1;
      this.options.onDrop?.();
      this.set("reconnecting");
      // Socket.IO does not come back by itself after a server-side disconnect (e.g. a
      // restart); try again shortly, at a random moment between 1 and 3 s so that the clients
      // of a stopped process do not all reconnect at once. A refused session ends in "refused".
      if (reason === "io server disconnect" && !this.closedByUs) {
        setTimeout(() => {
          if (!this.closedByUs && !this.socket.connected) this.socket.connect();
        }, retryDelay());
      }
    });
    this.socket.on("connect_error", (err: Error) => {
      // A refusal by the server's connect handler is final; transport errors retry by themselves.
      if (!this.socket.active) {
        this.refusal = err.message;
        this.set("refused");
      } else if (this.current !== "connecting") {
        this.set("reconnecting");
      }
    });
  }

  get state(): ConnectionState {
    return this.current;
  }

  /** True once resynced and still connected: the outbox may send. */
  get online(): boolean {
    return this.current === "online" && this.socket.connected;
  }

  /** Show the "reconnecting…" banner from a disconnect until the resync has completed. */
  get showReconnecting(): boolean {
    return this.current === "reconnecting" || (this.current === "syncing" && this.hadConnection);
  }

  connect(): void {
    this.closedByUs = false;
    this.socket.connect();
  }

  disconnect(): void {
    this.closedByUs = true;
    this.socket.disconnect();
  }

  /** Resyncs everything; a newer connection generation makes an older run's result moot. */
  private async runResync(args: unknown[]): Promise<void> {
    const generation = ++this.generation;
    this.set("syncing");
    try {
      await this.options.resync(...args);
    } catch (err) {
      console.error("resync failed", err);
    }
    if (generation === this.generation && this.socket.connected) {
      this.hadConnection = true;
      this.set("online");
      this.options.onOnline?.();
    }
  }

  private set(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.notify();
  }
}
