import type { Ack, ApiError, Closure, Neighbourhood, Roster, Schedule, ScheduleWindow, StaffUser } from "../protocol/types";

type Method = "GET" | "POST" | "DELETE";

/** A weekly window ("fri 18:00-02:00") or one on a date; times are HH:MM Swedish time. */
export type NewWindow =
  | { weekly: string; label?: string }
  | { date: string; start: string; end: string; label?: string };

/** The public iCalendar feed of a neighbourhood's coming windows. */
export function calendarUrl(slug: string, base = ""): string {
  return `${base}/api/neighbourhoods/${encodeURIComponent(slug)}/calendar.ics`;
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

  async login(username: string, password: string): Promise<Ack<{ user: StaffUser }>> {
    return this.call("POST", "/api/auth/login", { username, password });
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

  /** Supervisors and admins: who is on duty in every neighbourhood, and the latest handover notes. */
  async duty(): Promise<Ack<Roster>> {
    return this.call("GET", "/api/duty");
  }

  private async csrfToken(): Promise<string> {
    if (this.csrf) return this.csrf;
    const ack = await this.call<{ token: string }>("GET", "/api/auth/csrf");
    if (!ack.ok) throw new Error(ack.error.message);
    this.csrf = ack.token;
    return ack.token;
  }

  private async call<T extends object>(method: Method, path: string, body?: object): Promise<Ack<T>> {
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
      // A stale CSRF token is fetched again on the next call.
      if (response.status === 403) this.csrf = null;
      return { ok: false, error: readError(data, response.status) };
    } catch (err) {
      return { ok: false, error: { code: "network", message: err instanceof Error ? err.message : String(err) } };
    }
  }
}

function readError(data: unknown, status: number): ApiError {
  const error = (data as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (error && typeof error.code === "string") {
    return { code: error.code, message: typeof error.message === "string" ? error.message : "" };
  }
  const code = status === 401 ? "unauthorized" : status === 429 ? "rate_limited" : status === 404 ? "not_found" : "internal";
  return { code, message: `HTTP ${status}` };
}
