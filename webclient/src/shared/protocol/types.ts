/** Payload and object types of the Kvarter protocol (see docs/protocol.md). */

export const MAX_BODY_CHARS = 2000;
export const NICKNAME_MIN = 2;
export const NICKNAME_MAX = 32;

export type ErrorCode =
  | "invalid"
  | "too_long"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "rate_limited"
  | "blocked"
  | "closed"
  | "conflict"
  | "unavailable"
  | "internal";

/** Client-side failures that never came from the server. */
export type LocalErrorCode = "timeout" | "disconnected" | "network";

export interface ApiError {
  code: ErrorCode | LocalErrorCode | (string & {});
  message: string;
}

export type Ack<T> = ({ ok: true } & T) | { ok: false; error: ApiError };

export interface Badge {
  name: string;
  role: string;
  police_area: string;
}

export type AuthorKind = "youth" | "officer" | "system";

export interface Author {
  kind: AuthorKind;
  name: string;
  badge?: Badge | null;
  /** Staff only. */
  id?: string;
}

export interface Message {
  id: string;
  client_id: string | null;
  room?: string;
  conversation_id?: string;
  author: Author;
  body: string;
  created_at: string;
  /** Staff only: moderation flags. */
  flags?: string[];
}

export type ConversationStatus = "waiting" | "active" | "closed";

export interface Youth {
  id: string;
  nickname: string;
}

export interface Conversation {
  id: string;
  status: ConversationStatus;
  room: string;
  created_at: string;
  officer: { name: string; badge?: Badge | null } | null;
  /** Staff only. */
  youth?: Youth;
  /** Staff only: the id of the officer holding the chat. */
  officer_id?: string | null;
  /** Staff only. */
  last_message_at?: string | null;
}

export interface Availability {
  room?: string;
  open: boolean;
  officers_on_duty: number;
}

export interface Neighbourhood {
  slug: string;
  name: string;
  police_area: string;
  region: string;
  availability?: Availability;
}

export interface SessionPayload {
  token: string;
  youth: Youth;
  conversations?: Conversation[];
}

export interface TypingEvent {
  conversation_id: string;
  typing: boolean;
  author: { kind: AuthorKind; name: string };
}

export interface Duty {
  rooms: string[];
  started_at: string;
}

export type StaffRole = "officer" | "supervisor" | "admin";

export interface StaffUser {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole | (string & {});
  police_area: string | null;
}

export interface RoomJoinResult {
  neighbourhood: Neighbourhood;
  availability: Availability;
  messages: Message[];
}

export interface SyncResult {
  messages: Message[];
  more: boolean;
  conversation?: Conversation;
}
