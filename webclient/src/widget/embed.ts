import { makeEnvelope, readEnvelope, type EnvelopeType } from "../shared/protocol/envelope";

/** Normalises a URL or origin string to an origin, or null when it is not an http(s) one. */
export function originOf(value: string | null | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return url.origin;
  } catch {
    return null;
  }
}

/**
 * The host page's origin as seen from inside the iframe: the browser's own word
 * (ancestorOrigins, then the referrer) first, the loader's `host` parameter last.
 */
export function detectHostOrigin(loc: Pick<Location, "search"> & { ancestorOrigins?: DOMStringList }, referrer: string): string | null {
  const ancestor = loc.ancestorOrigins && loc.ancestorOrigins.length > 0 ? loc.ancestorOrigins.item(0) : null;
  return originOf(ancestor) ?? originOf(referrer) ?? originOf(new URLSearchParams(loc.search).get("host"));
}

/**
 * The iframe's side of the host bridge. Posts only with the host's explicit origin and
 * accepts only envelopes from window.parent at that origin. Never carries the token.
 */
export class HostBridge {
  private readonly hostOrigin: string | null;

  constructor(private readonly win: Window = window) {
    this.hostOrigin = win.parent !== win ? detectHostOrigin(win.location, win.document.referrer) : null;
  }

  get embedded(): boolean {
    return this.hostOrigin !== null;
  }

  post(type: Exclude<EnvelopeType, "open">, payload: unknown = {}): void {
    if (!this.hostOrigin) return;
    this.win.parent.postMessage(makeEnvelope(type, payload), this.hostOrigin);
  }

  /** Calls `handler` for each valid envelope from the host; returns an unsubscribe function. */
  listen(handler: (type: EnvelopeType, payload: unknown) => void): () => void {
    const origin = this.hostOrigin;
    if (!origin) return () => undefined;
    const onMessage = (event: MessageEvent) => {
      const envelope = readEnvelope(event, origin, this.win.parent);
      if (envelope) handler(envelope.type, envelope.payload);
    };
    this.win.addEventListener("message", onMessage);
    return () => this.win.removeEventListener("message", onMessage);
  }
}
