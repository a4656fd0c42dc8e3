/** Q&A sessions and neighbourhood notices (docs/protocol.md, "Q&A sessions" and "Neighbourhood notices"). */

export const MAX_QUESTION_CHARS = 500;

export interface QaHost {
  name: string;
  role: string;
  police_area: string;
}

export type QaStatus = "upcoming" | "live" | "ended" | (string & {});

export interface QaSession {
  id: string;
  room: string;
  title: string;
  description: string;
  starts_at: string;
  ends_at: string;
  status: QaStatus;
  hosts: QaHost[];
  /** Staff only. */
  host_ids?: string[];
}

export type QuestionStatus = "pending" | "approved" | "rejected" | "answered";

export interface QaQuestion {
  id: string;
  session_id: string;
  status: QuestionStatus | (string & {});
  body: string;
  votes: number;
  pinned: boolean;
  created_at: string;
  answer: { body: string; by: string; at: string } | null;
  /** Viewers: this viewer voted for it. */
  voted?: boolean;
  /** The asker's own question. */
  mine?: boolean;
  /** Asker and hosts: the words as asked, and a rejection's reason. */
  original?: string;
  reason?: string | null;
  /** Hosts: moderation flags. */
  flags?: string[];
}

export interface QaJoinResult {
  session: QaSession;
  questions: QaQuestion[];
  mine?: QaQuestion[];
  pending?: QaQuestion[];
  host?: boolean;
}

/** The moderation library's verdict on a text: spans are [start, end, flag] in code points. */
export interface Verdict {
  action: string;
  flags: string[];
  spans: [number, number, string][];
  reasons: string[];
}

export type NoticeStatus = "pending" | "returned" | "published" | "followup_pending" | "closed" | "expired";

export interface Notice {
  id: string;
  room: string;
  body: string;
  status: NoticeStatus | (string & {});
  pinned: boolean;
  author: { kind: "officer"; name: string };
  published_at: string | null;
  expires_at: string;
  followup: string | null;
  closed_at: string | null;
  /** Staff only. */
  author_id?: string;
  secrecy?: string[];
  review_comment?: string | null;
  followup_secrecy?: string[];
  created_at?: string;
}

export interface Tip {
  id: string;
  notice_id: string;
  youth_id: string;
  body: string;
  flags: string[];
  created_at: string;
}
