import type { Socket } from "socket.io-client";
import type { EventName } from "../protocol/events";
import type { Ack, ApiError } from "../protocol/types";

export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Emits `event` with an acknowledgement and resolves with the ack, never rejects: a missing
 * ack becomes `timeout`, a closed socket `disconnected`. Nothing is buffered while offline,
 * so a resend after reconnect cannot overtake the resync.
 */
export async function request<T extends object = object>(
  socket: Socket,
  event: EventName,
  payload: Record<string, unknown>,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
): Promise<Ack<T>> {
  if (!socket.connected) {
    return { ok: false, error: { code: "disconnected", message: "Not connected" } };
  }
  try {
    const ack: unknown = await socket.timeout(timeoutMs).emitWithAck(event, payload);
    return normaliseAck<T>(ack);
  } catch {
    return { ok: false, error: { code: "timeout", message: "No answer from the server" } };
  }
}

/** Accepts only the documented ack shapes; anything else is reported as `internal`. */
export function normaliseAck<T extends object>(ack: unknown): Ack<T> {
  if (typeof ack === "object" && ack !== null && "ok" in ack) {
    const a = ack as { ok: unknown; error?: unknown };
    if (a.ok === true) return ack as Ack<T>;
    if (a.ok === false && typeof a.error === "object" && a.error !== null) {
      const e = a.error as { code?: unknown; message?: unknown; details?: unknown };
      const error: ApiError = {
        code: typeof e.code === "string" ? e.code : "internal",
        message: typeof e.message === "string" ? e.message : "",
      };
      if (typeof e.details === "object" && e.details !== null) error.details = e.details as Record<string, unknown>;
      return { ok: false, error };
    }
  }
  return { ok: false, error: { code: "internal", message: "Malformed answer from the server" } };
}
