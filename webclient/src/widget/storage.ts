/**
 * The anonymous token is the only thing the widget keeps on the device (in its own
 * origin's localStorage, never the host's): it lets a reload resume the conversation.
 * Message bodies are never stored.
 *
 * A cross-site iframe may be denied storage (third-party storage blocked): then the token
 * lives in memory only, a reload starts a new anonymous identity, and the widget says so and
 * offers the full page in its own tab, where storage works. The loader does not keep the token
 * for us: it would have to put it in the host page's storage, readable by the host.
 */
const TOKEN_KEY = "kvarter.token";
const PROBE_KEY = "kvarter.probe";

/**
 * device: kept in localStorage. blocked: the browser refuses storage, memory only.
 * notrace: the young person chose no-trace mode, memory only.
 */
export type StorageMode = "device" | "blocked" | "notrace";

/** Returns the origin's localStorage when it can be written, else null (blocked or partitioned away). */
export function usableStorage(get: () => Storage | null = () => window.localStorage): Storage | null {
  try {
    const storage = get();
    if (!storage) return null;
    storage.setItem(PROBE_KEY, "1");
    storage.removeItem(PROBE_KEY);
    return storage;
  } catch {
    return null;
  }
}

export class TokenStore {
  private memory: string | null = null;
  private noTrace: boolean;

  constructor(
    private readonly storage: Storage | null,
    noTrace: boolean,
  ) {
    this.noTrace = noTrace;
    // No-trace from the start: a token stored earlier on this device is not even read.
    if (noTrace) this.removeStored();
  }

  get mode(): StorageMode {
    if (this.noTrace) return "notrace";
    return this.storage ? "device" : "blocked";
  }

  load(): string | null {
    if (this.memory) return this.memory;
    if (this.mode !== "device") return null;
    try {
      return this.storage?.getItem(TOKEN_KEY) ?? null;
    } catch {
      return null;
    }
  }

  save(token: string): void {
    this.memory = token;
    if (this.mode !== "device") return;
    try {
      this.storage?.setItem(TOKEN_KEY, token);
    } catch {
      // Refused after all (quota, a policy change): the session lasts this page only.
    }
  }

  /** Switching no-trace on removes what is stored; switching it off stores the current token again. */
  setNoTrace(on: boolean): void {
    this.noTrace = on;
    if (on) this.removeStored();
    else if (this.memory) this.save(this.memory);
  }

  /** "Forget me on this device": nothing kept, in storage or in memory. */
  forget(): void {
    this.memory = null;
    this.removeStored();
  }

  private removeStored(): void {
    try {
      this.storage?.removeItem(TOKEN_KEY);
    } catch {
      // Nothing stored, nothing to forget.
    }
  }
}
