"""A young person in the embedded widget and an officer in the console, in real Chromium."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp import web

from server.config import Settings
from tests import services
from tests.conftest import Running, free_port

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"])]

DIST = Path(__file__).resolve().parent.parent / "webclient" / "dist"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--no-first-run", "--disable-sync", "--disable-quic",
]  # fmt: skip


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = "Chromium is not installed (apt-get install chromium)"
        if services.required():
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def settings(settings: Settings) -> Settings:
    if not (DIST / "widget.js").is_file():
        pytest.fail("webclient/dist is not built: run `make build` (make test does)")
    # The host page is on another origin (localhost, while Kvarter is 127.0.0.1): let it frame the widget.
    return replace(settings, static_dir=DIST, widget_frame_ancestors="'self' http://localhost:*")


@pytest.fixture
async def host_page(server: Running) -> AsyncIterator[str]:
    """A school's page on another origin that embeds the widget with the loader script."""
    html = (
        "<!doctype html><html lang=sv><head><meta charset=utf-8><title>Exempelskolan</title></head>"
        f'<body><h1>Exempelskolan</h1><script src="{server.url}/widget.js" data-room="ostersund" async></script>'
        "</body></html>"
    )

    async def page(_request: web.Request) -> web.Response:
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/", page)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "localhost", port).start()
    yield f"http://localhost:{port}/"
    await runner.cleanup()


async def test_widget_and_console_chat_both_ways(server: Running, host_page: str, tmp_path: Path) -> None:
    """Room and private chat between the embedded widget and the console, and a reload keeps the chat."""
    from playwright.async_api import async_playwright, expect

    officer = await server.officer()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            console_ctx = await browser.new_context()
            console = await console_ctx.new_page()
            await console.goto(f"{server.url}/console/")
            await console.get_by_test_id("login-username").fill(officer.username)
            await console.get_by_test_id("login-password").fill(officer.password)
            await console.get_by_test_id("login-submit").click()
            await console.get_by_test_id("duty-room-ostersund").check()
            await console.get_by_test_id("duty-start").click()
            await expect(console.get_by_test_id("room-log-ostersund")).to_be_visible()

            youth_ctx = await browser.new_context()
            host = await youth_ctx.new_page()
            await host.goto(host_page)
            await host.get_by_role("button", name="Chatta med polisen").click()
            widget = host.frame_locator("iframe")
            await expect(widget.get_by_test_id("status")).to_contain_text("1")

            await widget.get_by_test_id("room-input").fill("Hej från widgeten")
            await widget.get_by_test_id("room-send").click()
            await expect(console.get_by_test_id("room-log-ostersund")).to_contain_text("Hej från widgeten")
            await console.get_by_test_id("room-input-ostersund").fill("Hej från polisen <b>inte fet</b>")
            await console.get_by_test_id("room-send-ostersund").click()
            await expect(widget.get_by_test_id("room-log")).to_contain_text("Hej från polisen <b>inte fet</b>")

            await widget.get_by_test_id("tab-chat").click()
            await widget.get_by_test_id("open-chat").click()
            await widget.get_by_test_id("chat-input").fill("Jag vill prata privat")
            await widget.get_by_test_id("chat-send").click()
            item = console.get_by_test_id("inbox").locator("[data-testid^=inbox-item-]")
            await expect(item).to_have_count(1)
            first_chat = await item.get_attribute("data-testid")
            await item.click()
            await console.get_by_test_id("chat-take").click()
            await expect(console.get_by_test_id("chat-log")).to_contain_text("Jag vill prata privat")
            await console.get_by_test_id("chat-input").fill("Jag lyssnar")
            await console.get_by_test_id("chat-send").click()
            await expect(widget.get_by_test_id("chat-log")).to_contain_text("Jag lyssnar")

            await host.screenshot(path=str(tmp_path / "widget-cross-origin.png"))

            # The demo page embeds the widget from its own site, so the widget may keep its
            # token (a cross-site iframe may be denied storage by the browser) and a reload
            # resumes the conversation.
            demo_ctx = await browser.new_context()
            demo = await demo_ctx.new_page()
            await demo.goto(f"{server.url}/demo/")
            await demo.get_by_role("button", name="Chatta med polisen").click()
            widget = demo.frame_locator("iframe")
            await widget.get_by_test_id("tab-chat").click()
            await widget.get_by_test_id("open-chat").click()
            await widget.get_by_test_id("chat-input").fill("Andra chatten")
            await widget.get_by_test_id("chat-send").click()
            await expect(item).to_have_count(2)
            await console.locator(f"[data-testid^=inbox-item-]:not([data-testid='{first_chat}'])").click()
            await console.get_by_test_id("chat-take").click()
            await expect(console.get_by_test_id("chat-log")).to_contain_text("Andra chatten")
            await console.get_by_test_id("chat-input").fill("Jag finns kvar")
            await console.get_by_test_id("chat-send").click()
            await expect(widget.get_by_test_id("chat-log")).to_contain_text("Jag finns kvar")

            await demo.reload()
            await demo.get_by_role("button", name="Chatta med polisen").click()
            widget = demo.frame_locator("iframe")
            await widget.get_by_test_id("tab-chat").click()
            await expect(widget.get_by_test_id("chat-log")).to_contain_text("Andra chatten")
            await expect(widget.get_by_test_id("chat-log")).to_contain_text("Jag finns kvar")
            await widget.get_by_test_id("chat-input").fill("Fortfarande här")
            await widget.get_by_test_id("chat-send").click()
            await expect(console.get_by_test_id("chat-log")).to_contain_text("Fortfarande här")
        finally:
            await browser.close()


async def test_urgent_report_to_claimed_chat(server: Running, tmp_path: Path) -> None:
    """A young person reports a party out of control happening now, sees the 112 card at once;
    an officer claims it in the console, they chat, and the officer hands off to 112."""
    from playwright.async_api import async_playwright, expect

    officer = await server.officer()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            console = await (await browser.new_context()).new_page()
            await console.goto(f"{server.url}/console/")
            await console.get_by_test_id("login-username").fill(officer.username)
            await console.get_by_test_id("login-password").fill(officer.password)
            await console.get_by_test_id("login-submit").click()
            await console.get_by_test_id("duty-room-ostersund").check()
            await console.get_by_test_id("duty-start").click()
            await expect(console.get_by_test_id("triage")).to_be_visible()

            youth = await (await browser.new_context(viewport={"width": 390, "height": 800})).new_page()
            await youth.goto(f"{server.url}/widget/?room=ostersund")
            await youth.get_by_test_id("report-open").click()
            await youth.get_by_test_id("report-category-party").check()
            await youth.get_by_test_id("report-now-yes").check()
            await youth.get_by_test_id("report-location").fill("Parkvägen 3, källaren")
            await youth.get_by_test_id("report-body").fill("Festen har spårat ur, det är alldeles för många här")
            await youth.get_by_test_id("report-submit").click()
            card = youth.get_by_test_id("card-112")
            await expect(card).to_be_visible()
            await expect(card.locator("a[href='tel:112']")).to_be_visible()
            await youth.screenshot(path=str(tmp_path / "report-112.png"))

            item = console.locator("[data-testid^=triage-item-]")
            await expect(item).to_have_count(1)
            await expect(item).to_contain_text("P2")
            await expect(item).to_contain_text("Parkvägen 3")
            report_id = (await item.get_attribute("data-testid") or "").removeprefix("triage-item-")
            await console.get_by_test_id(f"triage-claim-{report_id}").click()
            await expect(console.get_by_test_id("chat-log")).to_be_visible()
            await expect(youth.get_by_test_id("report-status")).to_contain_text("polis")
            await console.get_by_test_id("chat-input").fill("Jag har din rapport. Är du i säkerhet?")
            await console.get_by_test_id("chat-send").click()
            await expect(youth.get_by_test_id("chat-log")).to_contain_text("Är du i säkerhet?")
            await youth.get_by_test_id("chat-input").fill("Ja, jag är ute på gatan")
            await youth.get_by_test_id("chat-send").click()
            await expect(console.get_by_test_id("chat-log")).to_contain_text("ute på gatan")
            await console.get_by_test_id("handoff-112").click()
            await expect(youth.get_by_test_id("chat-log").get_by_test_id("handoff-112")).to_be_visible()
        finally:
            await browser.close()


SV_DAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


async def test_closed_state_shows_the_next_window(server: Running, tmp_path: Path) -> None:
    """Outside its windows the widget says closed, gives the next window in Stockholm time and the
    112 / 114 14 guidance; inside a window it says open only once an officer is on duty."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from playwright.async_api import async_playwright, expect

    from server.services import neighbourhoods, schedules

    day = dt.datetime.now(ZoneInfo("Europe/Stockholm")).date() + dt.timedelta(days=3)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    await neighbourhoods.add(server.deps, slug="kiruna", name="Kiruna", police_area="Kiruna", region="Nord")
    await schedules.add_weekly(server.deps, None, "kiruna", f"{weekday} 18:00-02:00")
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(viewport={"width": 360, "height": 740}, locale="sv-SE")).new_page()
            await page.goto(f"{server.url}/widget/?room=kiruna")
            status = page.get_by_test_id("status")
            await expect(status).to_contain_text("Ingen polis är online just nu")
            await expect(page.get_by_test_id("next-window")).to_contain_text(f"{SV_DAYS[day.weekday()]} 18:00")
            await expect(status).to_contain_text("Ring 112")
            await page.screenshot(path=str(tmp_path / "closed.png"))

            await page.goto(f"{server.url}/widget/?room=ostersund")  # scheduled round the clock
            await expect(page.get_by_test_id("status")).to_contain_text("ingen har loggat in")
            _, console = await server.on_duty("ostersund")
            await expect(page.get_by_test_id("status")).to_contain_text("Poliser online: 1")
            await console.ok("duty:end", {})
            await expect(page.get_by_test_id("status")).to_contain_text("ingen har loggat in")
        finally:
            await browser.close()


async def test_supervisor_reviews_a_transcript(server: Running, tmp_path: Path) -> None:
    """A supervisor searches, opens a chat with a reason, unmasks a phone number, rates the chat,
    and finds the reads in the audit log."""
    from playwright.async_api import async_playwright, expect

    from tests.clients import cid, next_totp

    _, officer = await server.on_duty("ostersund")
    youth = await server.youth()
    conv = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    await officer.ok("chat:take", {"conversation_id": conv})
    await youth.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "Ring mig på 070-123 45 67"})
    await officer.ok("chat:send", {"conversation_id": conv, "client_id": cid(), "body": "Vi tar det här i chatten."})
    await officer.ok("chat:close", {"conversation_id": conv})
    supervisor = await server.officer(role="supervisor")

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
            await page.goto(f"{server.url}/supervisor/")
            await page.get_by_test_id("login-username").fill(supervisor.username)
            await page.get_by_test_id("login-password").fill(supervisor.password)
            await page.get_by_test_id("login-totp").fill(await next_totp(server.url, supervisor.username))
            await page.get_by_test_id("login-submit").click()
            await page.get_by_test_id("nav-transcripts").click()
            await page.get_by_test_id("filter-room").select_option("ostersund")
            await page.get_by_test_id("search-submit").click()
            row = page.get_by_test_id(f"transcript-row-{conv}")
            await expect(row).to_be_visible()
            await row.get_by_test_id("transcript-select").click()
            await page.get_by_test_id("reason-select").select_option("quality_review")
            await page.get_by_test_id("transcript-open").click()
            first = page.get_by_test_id("transcript-message").first
            await expect(first).to_contain_text("[telefonnummer]")
            await expect(first).not_to_contain_text("070-123")
            await page.get_by_test_id("unmask").click()
            await page.get_by_test_id("unmask-confirm").click()
            await expect(page.get_by_test_id("transcript-message").first).to_contain_text("070-123 45 67")
            for name in ("answered_in_time", "right_handoff", "good_tone", "secrecy_kept"):
                await page.get_by_test_id(f"review-{name}").check()
            await page.get_by_test_id("review-notes").fill("Bra bemötande")
            await page.get_by_test_id("review-submit").click()
            await expect(page.get_by_test_id("review-list")).to_contain_text("Bra bemötande")
            await page.screenshot(path=str(tmp_path / "transcript.png"), full_page=True)
            await page.get_by_test_id("nav-audit").click()
            await page.get_by_test_id("audit-filter-action").fill("transcript.")
            await page.get_by_test_id("audit-submit").click()
            await expect(page.locator("[data-testid=audit-row][data-action='transcript.read']")).to_have_count(1)
            await expect(page.locator("[data-testid=audit-row][data-action='transcript.unmask']")).to_have_count(1)
        finally:
            await browser.close()
