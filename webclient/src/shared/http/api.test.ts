import { afterEach, describe, expect, it, vi } from "vitest";
import { StaffApi } from "./api";

type Answer = { status: number; body: unknown };

/** A fetch that answers in turn and records what was asked (method, path, CSRF header). */
function fakeFetch(answers: Answer[]) {
  const asked: { method: string; path: string; token: string | undefined }[] = [];
  const fetch = vi.fn(async (url: string, init: RequestInit) => {
    const headers = init.headers as Record<string, string>;
    asked.push({ method: init.method ?? "GET", path: url, token: headers["X-CSRF-Token"] });
    const answer = answers.shift();
    if (!answer) throw new Error(`nothing to answer ${url}`);
    return new Response(JSON.stringify(answer.body), { status: answer.status });
  });
  vi.stubGlobal("fetch", fetch);
  return asked;
}

const token = (t: string): Answer => ({ status: 200, body: { token: t } });
const stale: Answer = {
  status: 403,
  body: { error: { code: "forbidden", message: "the CSRF token is for another session", details: { csrf: "stale" } } },
};

afterEach(() => vi.unstubAllGlobals());

describe("StaffApi and the session-bound CSRF token", () => {
  it("fetches a new token after a login, for the new session", async () => {
    const asked = fakeFetch([token("before"), { status: 200, body: { user: {} } }, token("after"), { status: 200, body: {} }]);
    const api = new StaffApi();
    expect((await api.login("anna", "lösenord")).ok).toBe(true);
    expect((await api.removeReply("1")).ok).toBe(true);
    expect(asked.map((a) => `${a.method} ${a.path} ${a.token ?? "-"}`)).toEqual([
      "GET /api/auth/csrf -",
      "POST /api/auth/login before",
      "GET /api/auth/csrf -",
      "DELETE /api/replies/1 after",
    ]);
  });

  it("sends a request again once with a fresh token when its token is for another session", async () => {
    const asked = fakeFetch([token("old"), stale, token("new"), { status: 200, body: {} }]);
    const ack = await new StaffApi().removeReply("7");
    expect(ack.ok).toBe(true);
    expect(asked.filter((a) => a.method === "DELETE").map((a) => a.token)).toEqual(["old", "new"]);
  });

  it("also resends once when another tab's login replaced the cookie (the pair no longer matches)", async () => {
    const mismatch: Answer = {
      status: 403,
      body: { error: { code: "forbidden", message: "missing or wrong CSRF token", details: { csrf: "invalid" } } },
    };
    const asked = fakeFetch([token("mine"), mismatch, token("theirs"), { status: 200, body: {} }]);
    expect((await new StaffApi().removeReply("7")).ok).toBe(true);
    expect(asked.filter((a) => a.method === "DELETE").map((a) => a.token)).toEqual(["mine", "theirs"]);
  });

  it("gives up after one retry, and does not retry other refusals", async () => {
    const twice = fakeFetch([token("a"), stale, token("b"), stale]);
    const ack = await new StaffApi().removeReply("7");
    expect(ack.ok).toBe(false);
    expect(twice.filter((a) => a.method === "DELETE")).toHaveLength(2);

    const forbidden = { status: 403, body: { error: { code: "forbidden", message: "not your region" } } };
    const once = fakeFetch([token("c"), forbidden]);
    expect((await new StaffApi().removeReply("7")).ok).toBe(false);
    expect(once.filter((a) => a.method === "DELETE")).toHaveLength(1);
  });
});
