const IDLE_MS = 4000;
const REPEAT_MS = 5000;

/**
 * Turns keystrokes into few `chat:typing` emits: true when typing starts (and again at most
 * every few seconds while it goes on), false after a pause or when the message is sent.
 */
export class TypingSignal {
  private typing = false;
  private lastTrue = 0;
  private idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly emit: (typing: boolean) => void) {}

  set(active: boolean): void {
    if (!active) return this.stop();
    const now = Date.now();
    if (!this.typing || now - this.lastTrue > REPEAT_MS) {
      this.typing = true;
      this.lastTrue = now;
      this.emit(true);
    }
    clearTimeout(this.idle);
    this.idle = setTimeout(() => this.stop(), IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.idle);
    if (!this.typing) return;
    this.typing = false;
    this.emit(false);
  }
}
