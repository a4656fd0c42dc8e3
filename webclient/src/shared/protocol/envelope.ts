/**
 * The one postMessage envelope between the host page (loader) and the widget iframe.
 * Both sides post with an explicit targetOrigin and accept a message only when its origin,
 * its source window and its version are the expected ones. Nothing secret (never the token)
 * is ever put in an envelope.
 */

export const ENVELOPE_SOURCE = "kvarter";
export const ENVELOPE_VERSION = 1;

export type EnvelopeType = "ready" | "close" | "unread" | "open";

export interface Envelope<P = unknown> {
  source: typeof ENVELOPE_SOURCE;
  v: typeof ENVELOPE_VERSION;
  type: EnvelopeType;
  payload: P;
}

const TYPES: readonly string[] = ["ready", "close", "unread", "open"];

export function makeEnvelope<P>(type: EnvelopeType, payload: P): Envelope<P> {
  return { source: ENVELOPE_SOURCE, v: ENVELOPE_VERSION, type, payload };
}

/** The parts of a MessageEvent that the check needs (so tests can pass plain objects). */
export interface IncomingMessage {
  origin: string;
  source: unknown;
  data: unknown;
}

/**
 * Returns the envelope when the message comes from `expectedOrigin` and `expectedSource`
 * and is a well-formed envelope of the current version; null otherwise.
 */
export function readEnvelope(
  event: IncomingMessage,
  expectedOrigin: string,
  expectedSource: unknown,
): Envelope | null {
  if (!expectedOrigin || expectedOrigin === "null") return null;
  if (event.origin !== expectedOrigin) return null;
  if (expectedSource == null || event.source !== expectedSource) return null;
  const data = event.data;
  if (typeof data !== "object" || data === null) return null;
  const d = data as Record<string, unknown>;
  if (d.source !== ENVELOPE_SOURCE || d.v !== ENVELOPE_VERSION) return null;
  if (typeof d.type !== "string" || !TYPES.includes(d.type)) return null;
  return { source: ENVELOPE_SOURCE, v: ENVELOPE_VERSION, type: d.type as EnvelopeType, payload: d.payload };
}
