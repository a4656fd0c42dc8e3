/**
 * Message ids are strings that sort in creation order. The server's ids are decimal
 * strings; comparing length first keeps the order right whether or not they are padded.
 */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A fresh client_id for a message (the server makes a retry with it idempotent). */
export function newClientId(): string {
  return crypto.randomUUID();
}
