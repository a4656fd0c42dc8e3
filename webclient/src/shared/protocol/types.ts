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
  /** What the server adds, e.g. moderation's {action, flags, spans, reasons} on `blocked`. */
  details?: Record<string, unknown>;
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
  /** Absent on other young people's room messages (only the author needs it). */
  client_id?: string | null;
  room?: string;
  conversation_id?: string;
  author: Author;
  body: string;
  created_at: string;
  /** Staff only: moderation flags. */
  flags?: string[];
  /** Staff only: how many young people flagged it. */
  flag_count?: number;
  /** Removed by a moderator: young people get `body: ""`, staff still see the text. */
  hidden?: boolean;
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
  /** The chat's place in its room's queue while it waits (1 = next). */
  position?: number;
  /** Staff only: since when it waits (null while held). */
  waiting_since?: string | null;
  /** Staff only: the officer who held it before it went back to the queue or was transferred. */
  handed_over_from?: { id: string; name: string } | null;
}

/** A staff-only note on a conversation (never sent to a young person). */
export interface StaffNote {
  id: string;
  conversation_id: string;
  client_id: string;
  author: { id: string; name: string };
  body: string;
  created_at: string;
}

/** A chat that waited too long: to the officers on duty (`waiting`), then supervisors (`waiting_long`). */
export interface ChatAlert {
  conversation: Conversation;
  reason: "waiting" | "waiting_long";
  /** How long it had waited when the alert was raised, by the server's clock. */
  waited_seconds: number;
}

/** A region's saved reply: inserted into the chat input, sent by the officer. */
export interface SavedReply {
  id: string;
  region: string;
  title: string;
  body: string;
  lang: string;
  updated_at: string;
}

/** A supervisor's leave for an officer of another region to go on duty in the supervisor's region. */
export interface DutyGrant {
  id: string;
  staff: { id: string; username: string; name: string; region: string };
  region: string;
  reason: string;
  granted_by: { name: string };
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** One opening of a neighbourhood's schedule; times are ISO UTC. */
export interface WindowSpan {
  start: string;
  end: string;
  label?: string | null;
}

export interface Availability {
  room?: string;
  /** A scheduled window is open now AND at least one officer is on duty. */
  open: boolean;
  officers_on_duty: number;
  /** A scheduled window is open now (whether or not anybody is on duty). */
  in_window?: boolean;
  current_window?: WindowSpan | null;
  next_window?: WindowSpan | null;
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
  /** The young person's open reports. */
  reports?: Report[];
  /** How long chats are kept (the deployment's KVARTER_RETENTION), in days. */
  retention?: Retention;
}

/** `chat`: a chat without a report; `longest`: the longest any chat is kept (by its outcome). */
export interface Retention {
  chat: number;
  longest: number;
}

export interface TypingEvent {
  conversation_id: string;
  typing: boolean;
  author: { kind: AuthorKind; name: string };
}

export interface Duty {
  rooms: string[];
  started_at: string | null;
  /** The shift's planned end (ISO UTC); the duty ends by itself then. */
  until?: string | null;
}

export interface RosterOfficer {
  id: string;
  name: string;
  role: string;
  started_at: string;
  until: string | null;
}

export interface RosterRoom {
  room: string;
  officers: RosterOfficer[];
}

export interface HandoverNote {
  room: string;
  body: string;
  author: { name: string };
  created_at: string;
}

/** `duty:roster` (my rooms) and GET /api/duty (every neighbourhood). */
export interface Roster {
  rooms: RosterRoom[];
  handover: HandoverNote[];
}

export const MAX_HANDOVER_CHARS = 2000;

// Schedules (HTTP).

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

export interface ScheduleWindow {
  id: string;
  kind: "weekly" | "dated";
  weekday: Weekday | null;
  /** YYYY-MM-DD for a dated window. */
  date: string | null;
  /** HH:MM local time; an end at or before the start runs past midnight, "24:00" is midnight. */
  start: string;
  end: string;
  label: string;
}

export interface Closure {
  id: string;
  date: string;
  reason: string;
}

export interface Schedule {
  room: string;
  timezone: string;
  windows: ScheduleWindow[];
  closures: Closure[];
  /** The openings of the next two weeks (merged), ISO UTC. */
  upcoming: WindowSpan[];
}

export type StaffRole = "officer" | "supervisor" | "admin";

export interface StaffUser {
  id: string;
  username: string;
  display_name: string;
  role: StaffRole | (string & {});
  police_area: string | null;
  region?: string | null;
  /** Two-factor login: on for this account; required (supervisors, admins) before anything else. */
  totp_enabled?: boolean;
  totp_required?: boolean;
}

/** POST /api/auth/totp/setup: the new secret (shown once) and its otpauth:// URI. */
export interface TotpSetup {
  secret: string;
  uri: string;
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
  /** chat:sync only: the cards handed off in the conversation. */
  handoffs?: Handoff[];
  /** chat:sync only: the report the conversation belongs to. */
  report?: Report | null;
  /** chat:sync, staff only: the conversation's notes, oldest first. */
  notes?: StaffNote[];
}

// Urgent reports, triage and handoffs.

export const MAX_LOCATION_CHARS = 200;

export const REPORT_CATEGORIES = ["party", "violence", "hurt", "online_crime", "unsafe", "other"] as const;
export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

export const PRIORITIES = ["P1", "P2", "P3", "P4"] as const;
export type Priority = (typeof PRIORITIES)[number];

export type ReportStatus = "new" | "claimed" | "closed";

export const OUTCOMES = ["advice", "handoff_112", "handoff_11414", "referred_support", "no_action", "abusive"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The kinds an officer can hand off with one click (a deployment may add its own). */
export const HANDOFF_KINDS = ["112", "11414", "online_report", "bris", "mind"] as const;

/** A guidance or handoff card; texts come from the server in the young person's language. */
export interface Card {
  kind: string;
  title: string;
  body: string;
  tel?: string | null;
  url?: string | null;
}

export interface Handoff {
  id: string;
  kind: string;
  card: Card;
  created_at: string;
  opened_at: string | null;
}

export interface Report {
  id: string;
  room: string;
  category: ReportCategory | (string & {});
  happening_now: boolean;
  priority: Priority | (string & {});
  status: ReportStatus;
  /** 1-based place in the queue while new. */
  position: number | null;
  created_at: string;
  conversation_id: string | null;
  officer: { name: string; badge?: Badge | null } | null;
  /** Staff only from here on. */
  location?: string | null;
  body?: string;
  reasons?: string[];
  claimed_at?: string | null;
  claimed_by?: { id: string | number; name: string } | null;
  outcome?: string | null;
  escalated_at?: string | null;
  youth?: Youth;
  /** Staff only: the burst the report belongs to (reports from one source, or with one text). */
  group?: ReportGroup;
}

export interface ReportGroup {
  key: string;
  reason: "same_text" | "same_source" | (string & {});
  count: number;
  likely_flood: boolean;
}

export interface ReportSubmitResult {
  report: Report;
  guidance: Card[];
  availability: Availability;
}

export interface HandoffEvent {
  conversation_id: string;
  handoff: Handoff;
}

export interface TriageAlert {
  report: Report;
  reason: string;
}

/**
 * `sync:needed`: the server lost its Redis subscription at `since` (its clock) and has it back;
 * events written meanwhile may not have arrived though the connection stayed up: resync.
 */
export interface SyncNeededEvent {
  since: string;
}

// Moderation (socket events).

/** `message:hidden`: a moderator removed a room message. */
export interface MessageHiddenEvent {
  id: string;
  room: string;
}

/** `moderation:muted`: posting in rooms is paused until then; private chats stay open. */
export interface MutedEvent {
  until: string;
  minutes: number;
}

/** `room:settings`. */
export interface RoomSettings {
  room: string;
  slow_mode_seconds: number;
}

// Supervisor review (HTTP).

/** One row of GET /api/transcripts (no content). */
export interface TranscriptSummary {
  id: string;
  room: string;
  status: ConversationStatus;
  created_at: string;
  closed_at: string | null;
  officer: { id: string; name: string } | null;
  report: { id: string; category: string; priority: string; outcome: string | null } | null;
  handoffs: string[];
  flags: string[];
  messages: number;
  reviewed: boolean;
}

export interface TranscriptPage {
  conversations: TranscriptSummary[];
  next: string | null;
}

export interface AuditActor {
  kind: "staff" | "youth" | "system" | (string & {});
  id: string | null;
}

/** An officer action in a transcript (an audit entry of the conversation or its report). */
export interface TranscriptEvent {
  at: string;
  action: string;
  actor: AuditActor;
  detail: Record<string, unknown> | null;
}

export interface ReviewChecklist {
  answered_in_time: boolean;
  right_handoff: boolean;
  good_tone: boolean;
  secrecy_kept: boolean;
}

export interface QualityReview extends ReviewChecklist {
  id: string;
  reviewer_id: string;
  notes: string;
  created_at: string;
  /** GET /api/my/reviews only. */
  conversation_id?: string;
}

export interface TranscriptConversation extends Conversation {
  taken_at?: string | null;
  closed_at?: string | null;
  legal_hold: boolean;
}

export interface Transcript {
  conversation: TranscriptConversation;
  report: (Report & { closed_at?: string | null }) | null;
  messages: Message[];
  handoffs: (Handoff & { conversation_id?: string })[];
  events: TranscriptEvent[];
  /** Staff-only notes, masked like the messages. */
  notes?: StaffNote[];
  reviews: QualityReview[];
  masked: boolean;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: AuditActor;
  action: string;
  target: { kind: string | null; id: string | null };
  detail: Record<string, unknown> | null;
}

export interface AuditPage {
  entries: AuditEntry[];
  next: string | null;
}

export interface Timing {
  count: number;
  median_s: number | null;
  p90_s: number | null;
}

export interface Dashboard {
  from: string;
  to: string;
  volume: { room: string; name: string; conversations: number; reports: number }[];
  first_reply: Timing;
  time_to_claim: Record<string, Timing>;
  unclaimed_reports: number;
  handoffs: Record<string, number>;
  demand: { room: string; in_window: number; outside: number }[];
  reports_while_unstaffed: number;
  safety: { week: string; responses: number; average: number }[];
}
