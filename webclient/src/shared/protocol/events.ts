/**
 * Socket.IO event names. A server test parses this file and compares the names with
 * server/events.py, so keep it a flat object of string literals.
 */
export const EVENTS = {
  SESSION: "session",
  PROFILE_SET: "profile:set",
  ROOM_JOIN: "room:join",
  ROOM_LEAVE: "room:leave",
  ROOM_SEND: "room:send",
  ROOM_SYNC: "room:sync",
  ROOM_MESSAGE: "room:message",
  CHAT_OPEN: "chat:open",
  CHAT_SEND: "chat:send",
  CHAT_SYNC: "chat:sync",
  CHAT_TYPING: "chat:typing",
  CHAT_CLOSE: "chat:close",
  CHAT_TAKE: "chat:take",
  CHAT_MESSAGE: "chat:message",
  CHAT_UPDATED: "chat:updated",
  AVAILABILITY: "availability",
  DUTY_START: "duty:start",
  DUTY_END: "duty:end",
  DUTY_UPDATED: "duty:updated",
  INBOX_LIST: "inbox:list",
  INBOX_UPDATED: "inbox:updated",
  REPORT_SUBMIT: "report:submit",
  REPORT_UPDATED: "report:updated",
  HANDOFF: "handoff",
  HANDOFF_OPENED: "handoff:opened",
  HANDOFF_GIVE: "handoff:give",
  TRIAGE_LIST: "triage:list",
  TRIAGE_CLAIM: "triage:claim",
  TRIAGE_CLOSE: "triage:close",
  TRIAGE_NEW: "triage:new",
  TRIAGE_UPDATED: "triage:updated",
  TRIAGE_ALERT: "triage:alert",
  DUTY_ROSTER: "duty:roster",
  DUTY_HANDOVER: "duty:handover",
  HANDOVER_WRITE: "handover:write",
} as const;

export type EventName = (typeof EVENTS)[keyof typeof EVENTS];
