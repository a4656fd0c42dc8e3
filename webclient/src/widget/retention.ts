/**
 * How long chats are kept, as the welcome text says it: the server's default
 * KVARTER_RETENTION (`chat=30`, and at most `handoff_112=365`). A deployment that changes
 * its retention changes these two numbers too.
 */
export const RETENTION_DAYS = { chat: 30, longest: 365 } as const;
