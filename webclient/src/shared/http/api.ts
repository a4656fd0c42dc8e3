import type {
  Ack,
  ApiError,
  AuditPage,
  Closure,
  Dashboard,
  DutyGrant,
  Neighbourhood,
  QualityReview,
  ReviewChecklist,
  Roster,
  SavedReply,
  Schedule,
  ScheduleWindow,
  StaffUser,
  TotpSetup,
  Transcript,
  TranscriptPage,
} from "../protocol/types";

type Method = "GET" | "POST" | "PUT" | "DELETE";

/** What a supervisor writes of a saved reply. */
export interface ReplyDraft {
  title: string;
  body: string;
  lang: string;
}

/** What a supervisor writes to let an officer of another region go on duty in their region. */
export interface GrantDraft {
  username: string;
  hours: number;
  reason: string;
}

/** A weekly window ("fri 18:00-02:00") or one on a date; times are HH:MM Swedish time. */
export type NewWindow =
  | { weekly: string; label?: string }
  | { date: string; start: string; end: string; label?: string };

/** The public iCalendar feed of a neighbourhood's coming windows. */
export function calendarUrl(slug: string, base = ""): string {
  return `${base}/api/neighbourhoods/${encodeURIComponent(slug)}/calendar.ics`;
}

/** Query parameters with a value, in the given order, as "?a=1&b=2" ("" when none has one). */
export function toQuery(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value.trim() !== "") q.set(name, value.trim());
  }
  const text = q.toString();
  return text ? `?${text}` : "";
}

/** GET /api/transcripts/{id}, with the stated reason (and `unmask=true` to show personal data). */
export function transcriptPath(id: string, reason: string, unmask = false): string {
  return `/api/transcripts/${encodeURIComponent(id)}${toQuery({ reason, unmask: unmask ? "true" : null })}`;
}

/** The audited export of a transcript (unmasked: it is the record), opened in a new tab. */
export function exportUrl(id: string, format: "json" | "pdf", reason: string, base = ""): string {
  return `${base}/api/transcripts/${encodeURIComponent(id)}/export.${format}${toQuery({ reason })}`;
}

/** The audit log as CSV with the same filters (the export is itself audited). */
export function auditCsvUrl(filters: Record<string, string>, base = ""): string {
  return `${base}/api/audit.csv${toQuery(filters)}`;
}

/**
 * The staff HTTP API: CSRF token, login/logout, current user, neighbourhoods, schedules and
 * who is on duty. The session is an HttpOnly cookie the browser keeps; every state-changing
 * request sends X-CSRF-Token.
 */
export class StaffApi {
  private csrf: string | null = null;

  constructor(private readonly base: string = "") {}

  async me(): Promise<Ack<{ user: StaffUser }>> {
    return this.call("GET", "/api/auth/me");
  }

  /** `totp`: a code from the authenticator app, or a recovery code; the server asks for it
   * (401 with details.totp "required") when the account has two-factor login on. */
  async login(username: string, password: string, totp?: string): Promise<Ack<{ user: StaffUser }>> {
    const ack = await this.call<{ user: StaffUser }>("POST", "/api/auth/login", totp ? { username, password, totp } : { username, password });
    if (ack.ok) this.csrf = null; // the token is bound to the session: the new one has its own
    return ack;
  }

  /**
   * Start two-factor enrolment: a new secret, pending until a code from it is confirmed. The
   * password is asked again (`details.password: "required"`) when the login was not a moment ago.
   */
  async totpSetup(password?: string): Promise<Ack<TotpSetup>> {
    return this.call("POST", "/api/auth/totp/setup", password ? { password } : {});
  }

  /** Turn two-factor login on; the recovery codes are in this answer only. */
  async totpConfirm(code: string): Promise<Ack<{ user: StaffUser; recovery_codes: string[] }>> {
    const ack = await this.call<{ user: StaffUser; recovery_codes: string[] }>("POST", "/api/auth/totp/confirm", { code });
    if (ack.ok) this.csrf = null; // a new session
    return ack;
  }

  async logout(): Promise<Ack<object>> {
    const ack = await this.call<object>("POST", "/api/auth/logout");
    this.csrf = null;
    return ack;
  }

  async neighbourhoods(): Promise<Ack<{ neighbourhoods: Neighbourhood[] }>> {
    return this.call("GET", "/api/neighbourhoods");
  }

  /** Windows, closures and the next two weeks' openings of a neighbourhood (anyone may read). */
  async schedule(slug: string): Promise<Ack<Schedule>> {
    return this.call("GET", `/api/neighbourhoods/${encodeURIComponent(slug)}/schedule`);
  }

  /** Supervisors and admins; `invalid` (with the server's reason) for overlaps, bad times… */
  async addWindow(slug: string, window: NewWindow): Promise<Ack<{ window: ScheduleWindow }>> {
    return this.call("POST", `/api/neighbourhoods/${encodeURIComponent(slug)}/windows`, window);
  }

  async removeWindow(id: string): Promise<Ack<object>> {
    return this.call("DELETE", `/api/windows/${encodeURIComponent(id)}`);
  }

  /** `invalid` when nothing is scheduled that date, `conflict` when it is already closed. */
  async addClosure(slug: string, date: string, reason?: string): Promise<Ack<{ closure: Closure }>> {
    return this.call("POST", `/api/neighbourhoods/${encodeURIComponent(slug)}/closures`, reason ? { date, reason } : { date });
  }

  async removeClosure(id: string): Promise<Ack<object>> {
    return this.call("DELETE", `/api/closures/${encodeURIComponent(id)}`);
  }

  /** The saved replies of the caller's region. */
  async replies(): Promise<Ack<{ replies: SavedReply[] }>> {
    return this.call("GET", "/api/replies");
  }

  /** Supervisors: a new saved reply in their region (`invalid` / `too_long` say what is wrong). */
  async addReply(draft: ReplyDraft): Promise<Ack<{ reply: SavedReply }>> {
    return this.call("POST", "/api/replies", draft);
  }

  async changeReply(id: string, draft: ReplyDraft): Promise<Ack<{ reply: SavedReply }>> {
    return this.call("PUT", `/api/replies/${encodeURIComponent(id)}`, draft);
  }

  async removeReply(id: string): Promise<Ack<object>> {
    return this.call("DELETE", `/api/replies/${encodeURIComponent(id)}`);
  }

  /** Supervisors and admins: who is on duty in every neighbourhood, and the latest handover notes. */
  async duty(): Promise<Ack<Roster>> {
    return this.call("GET", "/api/duty");
  }

  /** Supervisors: the duty grants for their region that are in force now. */
  async grants(): Promise<Ack<{ grants: DutyGrant[] }>> {
    return this.call("GET", "/api/duty/grants");
  }

  /** Supervisors: let an officer of another region go on duty in their region for some hours (audited). */
  async giveGrant(draft: GrantDraft): Promise<Ack<{ grant: DutyGrant }>> {
    return this.call("POST", "/api/duty/grants", draft);
  }

  /** Supervisors: end a grant now; the officer's duty in the region ends and their chats there go back to the queue. */
  async revokeGrant(id: string): Promise<Ack<{ grant: DutyGrant }>> {
    return this.call("DELETE", `/api/duty/grants/${encodeURIComponent(id)}`);
  }

  /** Supervisors: conversations of the region matching the filters, newest first (no content, not audited). */
  async transcripts(filters: Record<string, string>): Promise<Ack<TranscriptPage>> {
    return this.call("GET", `/api/transcripts${toQuery(filters)}`);
  }

  /** One transcript; every read is audited with its reason (an unmasked read separately). */
  async transcript(id: string, reason: string, unmask = false): Promise<Ack<Transcript>> {
    return this.call("GET", transcriptPath(id, reason, unmask));
  }

  async review(id: string, review: ReviewChecklist & { notes?: string }): Promise<Ack<{ review: QualityReview }>> {
    return this.call("POST", `/api/transcripts/${encodeURIComponent(id)}/review`, review);
  }

  /** A legal hold exempts the conversation from retention (audited with the reason). */
  async hold(id: string, hold: boolean, reason: string): Promise<Ack<{ legal_hold: boolean }>> {
    return this.call("POST", `/api/transcripts/${encodeURIComponent(id)}/hold`, { hold, reason });
  }

  async audit(filters: Record<string, string>): Promise<Ack<AuditPage>> {
    return this.call("GET", `/api/audit${toQuery(filters)}`);
  }

  /** Figures of the supervisor's region; without dates the last 30 days. */
  async dashboard(from: string, to: string): Promise<Ack<Dashboard>> {
    return this.call("GET", `/api/dashboard${toQuery({ from, to })}`);
  }

  /** An officer's own quality reviews. */
  async myReviews(): Promise<Ack<{ reviews: QualityReview[] }>> {
    return this.call("GET", "/api/my/reviews");
  }

  private async csrfToken(): Promise<string> {
    if (this.csrf) return this.csrf;
    const ack = await this.call<{ token: string }>("GET", "/api/auth/csrf");
    if (!ack.ok) throw new Error(ack.error.message);
    this.csrf = ack.token;
    return ack.token;
  }

  private async call<T extends object>(method: Method, path: string, body?: object, retried = false): Promise<Ack<T>> {
    const headers: Record<string, string> = { Accept: "application/json" };
    try {
      if (method !== "GET") {
        headers["X-CSRF-Token"] = await this.csrfToken();
        headers["Content-Type"] = "application/json";
      }
      const response = await fetch(this.base + path, {
        method,
        headers,
        credentials: "same-origin",
        ...(method !== "GET" ? { body: JSON.stringify(body ?? {}) } : {}),
      });
      const data: unknown = await response.json().catch(() => ({}));
      if (response.ok) return { ok: true, ...(typeof data === "object" && data !== null ? (data as T) : ({} as T)) };
      const error = readError(data, response.status);
      if (response.status === 403) {
        // A refused CSRF token is fetched again, and the request sent once more: the token is
        // bound to the session, so a login or logout in another tab makes this tab's one
        // "stale" (or, with the cookie already replaced, "invalid").
        this.csrf = null;
        if (error.details?.csrf && method !== "GET" && !retried) return this.call(method, path, body, true);
      }
      return { ok: false, error };
    } catch (err) {
      return { ok: false, error: { code: "network", message: err instanceof Error ? err.message : String(err) } };
    }
  }
}

function readError(data: unknown, status: number): ApiError {
  const error = (data as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === "string") {
    const details = typeof error.details === "object" && error.details !== null ? error.details : undefined;
    return {
      code: error.code,
      message: typeof error.message === "string" ? error.message : "",
      ...(details ? { details: details as Record<string, unknown> } : {}),
    };
  }
  const code = status === 401 ? "unauthorized" : status === 429 ? "rate_limited" : status === 404 ? "not_found" : "internal";
  return { code, message: `HTTP ${status}` };
}
