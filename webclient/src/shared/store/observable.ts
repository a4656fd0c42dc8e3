/** A minimal change notifier that stores and controllers extend. */
export class Observable {
  private listeners = new Set<() => void>();
  private version = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Increments on every change; UI hooks compare it to know when to re-render. */
  get revision(): number {
    return this.version;
  }

  protected notify(): void {
    this.version += 1;
    for (const listener of [...this.listeners]) listener();
  }
}
