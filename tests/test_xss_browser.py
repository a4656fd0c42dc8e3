"""Stored XSS, in real Chromium: standard payloads saved as room messages, nicknames, private chat
messages, report texts and locations, handover notes, notices, tips and Q&A questions, then shown
in the widget, the patrol console and the supervisor pages. No script runs (no dialog, nothing sets
window.__xss, no CSP violation from injected markup, no request for an injected image), every
payload is on screen as text, and no token or session id ever appears in a URL."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

import pytest

from server.config import Settings
from tests.clients import cid
from tests.conftest import Officer, Running
from tests.test_browser import CHROMIUM_ARGS, DIST, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"])]

PAYLOADS = [
    "<script>window.__xss=1;alert(1)</script>",
    '<img src=x onerror="window.__xss=1;alert(1)">',
    "<svg onload=window.__xss=1;alert(1)>",
    '"><iframe src="javascript:parent.__xss=1">',
    '<a href="javascript:window.__xss=1">klicka</a>',
    "{{constructor.constructor('window.__xss=1')()}}",
    "<details open ontoggle=window.__xss=1>",
    "javascript:window.__xss=1",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
    "&lt;img src=x onerror=window.__xss=1&gt;",
    "'-alert(1)-'\"-alert(1)-\"",
    "<body onload=window.__xss=1>",
]
DESKTOP = {"width": 1280, "height": 900}
# Runs before every page's own scripts: note CSP violations (injected markup that tried to run or
# load), and hand the widget young person A's token the way it keeps it itself.
WATCH = """
(() => {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
  const token = %s;
  if (token && location.pathname.startsWith('/widget')) {
    try { localStorage.setItem('kvarter.token', token); } catch (e) {}
  }
})();
"""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    if not (DIST / "widget.js").is_file():
        pytest.fail("webclient/dist is not built: run `make build` (make test does)")
    return replace(settings, static_dir=DIST)


class Watch:
    """What the pages did that they should not have."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.urls: list[str] = []

    def attach(self, page: Any) -> None:
        async def dismiss(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            await dialog.dismiss()

        page.on("dialog", dismiss)
        page.on("request", lambda request: self.urls.append(request.url))

    async def check(self, page: Any, where: str) -> None:
        for frame in page.frames:
            state = await frame.evaluate("() => [typeof window.__xss, window.__csp || []]")
            assert state[0] == "undefined", f"{where}: a payload ran (window.__xss is set)"
            assert state[1] == [], f"{where}: CSP violations: {state[1]}"
        assert not self.dialogs, f"{where}: dialogs opened: {self.dialogs}"
        injected = [u for u in self.urls if u.rstrip("/").endswith("/x") or u.startswith("javascript:")]
        assert not injected, f"{where}: injected markup loaded {injected}"


async def context(
    browser: Any, watch: Watch, *, token: str | None = None, cookie: str | None = None, url: str = ""
) -> Any:
    ctx = await browser.new_context(viewport=DESKTOP, locale="sv-SE")
    await ctx.add_init_script(WATCH % json.dumps(token))
    if cookie:
        name, _, value = cookie.partition("=")
        await ctx.add_cookies([{"name": name, "value": value, "url": url}])
    page = await ctx.new_page()
    watch.attach(page)
    return page


async def seed(server: Running) -> dict[str, Any]:
    """Every payload saved wherever content enters, through the public protocol."""
    officer = await server.officer(region="Nord")
    console = await server.staff(officer)
    await console.ok("duty:start", {"rooms": ["umea"]})
    supervisor = await server.officer(role="supervisor", region="Nord")
    boss = await server.staff(supervisor)
    nicknames: list[str] = []
    for payload in PAYLOADS:  # one young person per payload: nickname and room message
        author = await server.youth()
        nicknames.append((await author.ok("profile:set", {"nickname": payload[:32]}))["youth"]["nickname"])
        await author.ok("room:join", {"room": "umea"})
        await author.ok("room:send", {"room": "umea", "client_id": cid(), "body": payload})
        await author.disconnect()
        server.clients.remove(author)
    for payload in PAYLOADS:
        await console.ok("room:send", {"room": "umea", "client_id": cid(), "body": "Polisen: " + payload})

    youth = await server.youth()  # A: the one whose widget is opened
    assert youth.session is not None
    name = (await youth.ok("profile:set", {"nickname": PAYLOADS[1][:32]}))["youth"]["nickname"]
    conv = (await youth.ok("chat:open", {"room": "umea", "client_id": cid(), "body": PAYLOADS[0]}))["conversation"]
    await console.ok("chat:take", {"conversation_id": conv["id"]})
    for payload in PAYLOADS:
        await youth.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "Jag: " + payload})
        await console.ok("chat:send", {"conversation_id": conv["id"], "client_id": cid(), "body": "Du: " + payload})
    reporter = await server.youth()
    await reporter.ok(
        "report:submit",
        {"room": "umea", "client_id": cid(), "category": "unsafe", "happening_now": False,
         "body": "Rapport " + PAYLOADS[2], "location": "Plats " + PAYLOADS[3]},
    )  # fmt: skip
    await console.ok("handover:write", {"room": "umea", "body": "Överlämning " + PAYLOADS[4]})

    now = dt.datetime.now(dt.UTC)
    starts, ends = (now - dt.timedelta(minutes=1)).isoformat(), (now + dt.timedelta(hours=1)).isoformat()
    title = "Fråga polisen " + PAYLOADS[5][:40]
    session = await console.ok("qa:schedule", {"room": "umea", "title": title, "starts_at": starts, "ends_at": ends})
    session_id = session["session"]["id"]
    approved = await reporter.ok(
        "qa:ask", {"session_id": session_id, "client_id": cid(), "body": "Fråga " + PAYLOADS[6]}
    )
    await console.ok("qa:review", {"question_id": approved["question"]["id"], "decision": "approve"})
    other = await server.youth()
    await other.ok("qa:ask", {"session_id": session_id, "client_id": cid(), "body": "Väntande " + PAYLOADS[7]})

    published = await console.ok("notice:draft", {"room": "umea", "body": "Efterlysning " + PAYLOADS[8]})
    await boss.ok("notice:approve", {"notice_id": published["notice"]["id"]})
    await reporter.ok(
        "notice:tip", {"notice_id": published["notice"]["id"], "client_id": cid(), "body": "Tips " + PAYLOADS[9]}
    )
    await console.ok("notice:draft", {"room": "umea", "body": "Utkast " + PAYLOADS[10]})

    # A closed chat for the supervisor's transcript view.
    closed_youth = await server.youth()
    closed = await closed_youth.ok(
        "chat:open", {"room": "umea", "client_id": cid(), "body": "Transkript " + PAYLOADS[11]}
    )
    await console.ok("chat:take", {"conversation_id": closed["conversation"]["id"]})
    await console.ok(
        "chat:send",
        {"conversation_id": closed["conversation"]["id"], "client_id": cid(), "body": "Svar " + PAYLOADS[2]},
    )
    await console.ok("chat:close", {"conversation_id": closed["conversation"]["id"]})
    for client in (console, boss):  # the browser pages log in as these two instead
        await client.disconnect()
        server.clients.remove(client)
    return {
        "officer": officer, "supervisor": supervisor, "token": youth.session["token"], "nickname": name,
        "nicknames": nicknames, "conv": conv["id"], "closed": closed["conversation"]["id"], "session": session_id,
        "notice": published["notice"]["id"],
    }  # fmt: skip


async def shows(locator: Any, texts: list[str]) -> None:
    from playwright.async_api import expect

    for text in texts:
        await expect(locator).to_contain_text(text, timeout=10_000)


@pytest.mark.timeout(240)
async def test_stored_payloads_stay_text_everywhere(server: Running) -> None:
    """Every payload shows as text in the widget, the console and the supervisor pages; none runs."""
    from playwright.async_api import async_playwright, expect

    seeded = await seed(server)
    officer: Officer = seeded["officer"]
    supervisor: Officer = seeded["supervisor"]
    watch = Watch()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            # The widget, as young person A.
            widget = await context(browser, watch, token=seeded["token"])
            await widget.goto(f"{server.url}/widget/?room=umea")
            room = widget.get_by_test_id("room-log")
            await shows(room, [*PAYLOADS, *(f"Polisen: {p}" for p in PAYLOADS), *seeded["nicknames"]])
            notice = widget.get_by_test_id(f"notice-{seeded['notice']}")
            await shows(notice, ["Efterlysning " + PAYLOADS[8]])
            banner = widget.get_by_test_id(f"qa-banner-{seeded['session']}")
            await shows(banner, [PAYLOADS[5][:40]])
            await banner.click()
            await shows(widget.get_by_test_id("qa-view"), ["Fråga " + PAYLOADS[6]])
            await widget.get_by_test_id("qa-back").click()
            await widget.get_by_test_id("tab-chat").click()
            await shows(
                widget.get_by_test_id("chat-log"), [*(f"Jag: {p}" for p in PAYLOADS), *(f"Du: {p}" for p in PAYLOADS)]
            )
            await watch.check(widget, "widget")

            # The patrol console, as the officer.
            console = await context(browser, watch, cookie=officer.cookie, url=server.url)
            await console.goto(f"{server.url}/console/")
            await shows(console.get_by_test_id("room-log-umea"), [*PAYLOADS, *seeded["nicknames"]])
            await shows(console.get_by_test_id("handover-list"), ["Överlämning " + PAYLOADS[4]])
            triage = console.locator("[data-testid^=triage-item-]")
            await shows(triage, ["Rapport " + PAYLOADS[2], "Plats " + PAYLOADS[3]])
            await console.get_by_test_id(f"inbox-item-{seeded['conv']}").click()
            await shows(
                console.get_by_test_id("chat-log"), [*(f"Jag: {p}" for p in PAYLOADS), *(f"Du: {p}" for p in PAYLOADS)]
            )
            await shows(console.get_by_test_id("inbox"), [seeded["nickname"]])
            await console.get_by_test_id("section-notices").click()
            published = console.get_by_test_id(f"notice-item-{seeded['notice']}")
            await shows(published, ["Efterlysning " + PAYLOADS[8]])
            await published.get_by_test_id("notice-tips-toggle").click()
            await shows(published.get_by_test_id("notice-tip"), ["Tips " + PAYLOADS[9]])
            await console.get_by_test_id("section-qa").click()
            await console.get_by_test_id(f"qa-session-{seeded['session']}").get_by_test_id("qa-open").click()
            await shows(console.get_by_test_id("qa-queue"), ["Väntande " + PAYLOADS[7]])
            await watch.check(console, "console")

            # The supervisor pages.
            review = await context(browser, watch, cookie=supervisor.cookie, url=server.url)
            await review.goto(f"{server.url}/supervisor/#notices")
            await shows(review.locator("[data-testid^=review-item-]"), ["Utkast " + PAYLOADS[10]])
            await review.get_by_test_id("nav-transcripts").click()
            await review.get_by_test_id("filter-room").select_option("umea")
            await review.get_by_test_id("search-submit").click()
            row = review.get_by_test_id(f"transcript-row-{seeded['closed']}")
            await expect(row).to_be_visible()
            await row.get_by_test_id("transcript-select").click()
            await review.get_by_test_id("reason-select").select_option("quality_review")
            await review.get_by_test_id("transcript-open").click()
            await shows(
                review.locator("body"),
                ["Transkript " + PAYLOADS[11], "Svar " + PAYLOADS[2]],
            )
            await watch.check(review, "supervisor")
        finally:
            await browser.close()

    secrets_ = [seeded["token"], officer.cookie.split("=", 1)[1], supervisor.cookie.split("=", 1)[1]]
    leaked = [u for u in watch.urls if any(s in u for s in secrets_)]
    assert not leaked, f"a token or session id in a URL: {leaked}"
