"""The seams of a shift in real Chromium: a risky private message shows the 112 card at once; the
console asks before going off duty with a chat open and hands it to a colleague with a note; the
young person sees who has the chat now, and after the last officer leaves, that it waits and how
to reach 112. `KVARTER_SCREENSHOTS=1` saves the states to docs/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from server.clock import FakeClock
from server.config import Settings
from server.realtime import resync
from server.realtime.keys import SIO
from server.services import chat_queue
from tests.clients import cid
from tests.conftest import Officer, Running
from tests.test_widget_browser import DIST, patient_expect, poll, shot  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"])]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 12, 4, 19, 0, tzinfo=dt.UTC))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The built web client, and no ticker: the clock work is run by the tests that need it."""
    if not (DIST / "widget.js").is_file():
        pytest.fail("webclient/dist is not built: run `make build` (make test does)")
    return replace(settings, static_dir=DIST, widget_frame_ancestors="*", tick_seconds=3600)


async def console_on_duty(chromium: Any, server: Running, officer: Officer, relay: Any = None) -> Any:
    """A console on duty in Östersund; `relay` (a handler for page.route_web_socket) sees its
    socket.io frames both ways."""
    from playwright.async_api import expect

    ctx = await chromium.new_context(viewport={"width": 1400, "height": 1000})
    page = await ctx.new_page()
    if relay is not None:
        await page.route_web_socket(re.compile(r".*/socket\.io/.*"), relay)
    await page.goto(f"{server.url}/console/")
    await page.get_by_test_id("login-username").fill(officer.username)
    await page.get_by_test_id("login-password").fill(officer.password)
    await page.get_by_test_id("login-submit").click()
    await page.get_by_test_id("duty-room-ostersund").check()
    await page.get_by_test_id("duty-start").click()
    await expect(page.get_by_test_id("shift-until")).to_be_visible()
    return page


async def test_a_shift_ends_without_leaving_the_young_person_alone(
    server: Running, chromium: Any, tmp_path: Path
) -> None:
    """Risk → 112 card in the widget and a highlight in the console; "Gå ur tjänst" with a chat
    open → the dialog → handed to a colleague with a note, seen from both sides; the colleague
    leaves too (back to the queue) → the widget says nobody is online, with 112."""
    from playwright.async_api import expect

    anna, sara = await server.officer(), await server.officer()
    first = await console_on_duty(chromium, server, anna)
    second = await console_on_duty(chromium, server, sara)
    youth_ctx = await chromium.new_context(viewport={"width": 360, "height": 740})
    widget = await youth_ctx.new_page()
    await widget.goto(f"{server.url}/widget/?room=ostersund")
    await widget.get_by_test_id("tab-chat").click()
    await widget.get_by_test_id("open-chat").click()
    await expect(widget.get_by_test_id("chat-position")).to_have_text("Du är nummer 1 i kön.")
    await widget.get_by_test_id("chat-input").fill("Hej, det är bråk på en fest här")
    await widget.get_by_test_id("chat-send").click()

    await first.get_by_test_id("inbox").locator("[data-testid^=inbox-item-]").first.click()
    await first.get_by_test_id("chat-take").click()
    await expect(widget.get_by_test_id("chat-officer")).to_contain_text(f"Test {anna.username}")
    await widget.get_by_test_id("chat-input").fill("Nu har någon en kniv")
    await widget.get_by_test_id("chat-send").click()
    guidance = widget.get_by_test_id("risk-guidance-chat")
    await expect(guidance).to_be_visible()
    await expect(guidance.locator("[data-kind]").first).to_have_attribute("data-kind", "112")
    await expect(widget.get_by_test_id("risk-card-112-call")).to_have_attribute("href", "tel:112")
    await shot(widget, "chat-risk-112", tmp_path)
    await expect(first.get_by_test_id("message-risk").last).to_contain_text("vapen")

    # Saved replies: "/" in the empty input, a filter, Enter puts it in the box unsent.
    await first.get_by_test_id("chat-input").click()
    await first.keyboard.type("/")
    await expect(first.get_by_test_id("replies-picker")).to_be_visible()
    await expect(first.get_by_test_id("replies-picker")).to_contain_text("Inga sparade svar")

    await first.get_by_test_id("duty-end").click()
    dialog = first.get_by_test_id("end-shift-dialog")
    await expect(dialog).to_be_visible()
    await first.get_by_test_id("end-shift-choice").select_option(label=f"Lämna över till Test {sara.username}")
    await first.get_by_test_id("end-shift-note").fill("Fest på Storgatan, någon har en kniv.")
    await shot(first, "console-end-shift", tmp_path)
    await first.get_by_test_id("end-shift-confirm").click()
    await expect(dialog).to_have_count(0)
    await expect(first.get_by_test_id("duty-start")).to_be_visible()

    await expect(widget.get_by_test_id("chat-officer")).to_contain_text(f"Test {sara.username}")
    await expect(widget.get_by_test_id("chat-log")).to_contain_text(
        f"Du chattar nu med Test {sara.username}, polis i Östersund."
    )
    await widget.get_by_test_id("risk-guidance-dismiss").click()
    await shot(widget, "chat-transferred", tmp_path)
    item = second.get_by_test_id("inbox").locator("[data-testid^=inbox-item-]")
    await expect(item).to_have_count(1)
    await expect(item.get_by_test_id("inbox-given")).to_contain_text(f"Från Test {anna.username}")
    await item.click()
    await expect(second.get_by_test_id("chat-given")).to_contain_text(f"Test {anna.username} lämnade över chatten")
    await expect(second.get_by_test_id("staff-note")).to_contain_text("någon har en kniv")
    await expect(second.get_by_test_id("chat-log")).to_contain_text("Nu har någon en kniv")
    assert "någon har en kniv." not in await widget.get_by_test_id("chat-log").inner_text()

    await second.get_by_test_id("duty-end").click()
    await expect(second.get_by_test_id("end-shift-choice")).to_have_value("")
    await second.get_by_test_id("end-shift-confirm").click()
    log = widget.get_by_test_id("chat-log")
    await expect(log).to_contain_text("Just nu är ingen polis online")
    await expect(log).to_contain_text("ring 112")
    await expect(widget.get_by_test_id("chat-position")).to_have_text("Du är nummer 1 i kön.")
    await shot(widget, "chat-nobody-online", tmp_path)


async def test_a_chat_waiting_too_long_alerts_the_console_and_the_supervisor_page(
    server: Running, chromium: Any, clock: FakeClock
) -> None:
    """120 s unanswered: a banner in the console of the officer on duty, whose button opens the
    chat; 240 s: a banner on the supervisor page of the region."""
    from playwright.async_api import expect

    officer = await server.officer()
    console = await console_on_duty(chromium, server, officer)
    boss = await server.officer(role="supervisor")
    boss_ctx = await chromium.new_context()
    name, value = boss.cookie.split("=", 1)
    await boss_ctx.add_cookies([{"name": name, "value": value, "url": server.url}])
    supervisor = await boss_ctx.new_page()
    await supervisor.goto(f"{server.url}/supervisor/#overview")
    await expect(supervisor.get_by_test_id("nav-replies")).to_be_visible()
    youth = await server.youth()
    await youth.ok("chat:open", {"room": "ostersund"})

    clock.advance(121)
    assert await chat_queue.alert_due(server.deps) == 1
    banner = console.get_by_test_id("chat-alert")
    await expect(banner).to_have_attribute("data-reason", "waiting")
    await expect(banner).to_contain_text("har väntat i 2:01")
    await console.get_by_test_id("chat-alert-open").click()
    await expect(console.get_by_test_id("chat-take")).to_be_visible()
    await expect(banner).to_have_count(0)

    clock.advance(120)
    assert await chat_queue.alert_due(server.deps) == 1
    await expect(supervisor.get_by_test_id("supervisor-chat-alert")).to_contain_text(
        "Ingen har tagit en chatt i ostersund"
    )
    await expect(supervisor.get_by_test_id("supervisor-chat-alert")).to_contain_text("på 4:01")


async def test_duty_in_another_region_with_a_supervisors_leave(server: Running, chromium: Any, tmp_path: Path) -> None:
    """A Mitt officer ticks Umeå (Nord): the console says leave from a supervisor of Nord is
    needed. Nord's supervisor gives it on the overview page (who, how long, why); the officer goes
    on duty in Umeå. Revoked, the officer is off duty in Umeå again."""
    from playwright.async_api import expect

    from tests.clients import next_totp

    officer = await server.officer(region="Mitt")
    nord = await server.officer(role="supervisor", region="Nord")
    console = await (await chromium.new_context(viewport={"width": 1400, "height": 1000})).new_page()
    await console.goto(f"{server.url}/console/")
    await console.get_by_test_id("login-username").fill(officer.username)
    await console.get_by_test_id("login-password").fill(officer.password)
    await console.get_by_test_id("login-submit").click()
    await console.get_by_test_id("duty-room-umea").check()
    await console.get_by_test_id("duty-start").click()
    await expect(console.get_by_test_id("duty-needs-grant")).to_contain_text("region Nord")
    await expect(console.get_by_test_id("duty-needs-grant")).to_contain_text("Umeå centrum")
    await shot(console, "console-duty-needs-grant", tmp_path)

    page = await (await chromium.new_context(viewport={"width": 1280, "height": 1100})).new_page()
    await page.goto(f"{server.url}/supervisor/")
    await page.get_by_test_id("login-username").fill(nord.username)
    await page.get_by_test_id("login-password").fill(nord.password)
    await page.get_by_test_id("login-totp").fill(await next_totp(server.url, nord.username))
    await page.get_by_test_id("login-submit").click()
    grants = page.get_by_test_id("duty-grants")
    await expect(grants).to_contain_text("region Nord")
    await page.get_by_test_id("grant-username").fill(officer.username)
    await page.get_by_test_id("grant-hours").select_option("3")
    await page.get_by_test_id("grant-reason").fill("Förstärkning, två sjuka i kväll")
    await page.get_by_test_id("grant-give").click()
    item = page.get_by_test_id("grant-item")
    await expect(item).to_contain_text(f"Test {officer.username}")
    await expect(item).to_contain_text("Förstärkning, två sjuka i kväll")
    await grants.scroll_into_view_if_needed()
    await shot(page, "supervisor-duty-grant", tmp_path, full_page=True)

    await console.get_by_test_id("duty-start").click()
    await expect(console.get_by_test_id("shift-until")).to_be_visible()
    await expect(console.get_by_test_id("duty-needs-grant")).to_have_count(0)
    await item.get_by_test_id("grant-revoke").click()
    await expect(page.get_by_test_id("grant-item")).to_have_count(0)
    await expect(console.get_by_test_id("shift-until")).to_have_count(0)


async def test_the_console_resyncs_on_sync_needed(server: Running, chromium: Any, tmp_path: Path) -> None:
    """Every event about a chat is lost on the console's connection for a while, though the
    connection stays up (as when the server's Redis was away); `sync:needed` makes the console
    resync on the same connection, and the young person's message appears."""
    from playwright.async_api import expect

    sockets: list[Any] = []
    outage: dict[str, str | None] = {"conversation": None}
    syncs: dict[str, set[str]] = {"asked": set(), "answered": set()}  # chat:sync ack ids

    def relay(ws: Any) -> None:
        upstream = ws.connect_to_server()
        sockets.append(ws)

        def from_page(m: str | bytes) -> None:
            if found := re.match(r'42/staff,(\d+)\["chat:sync"', str(m)):
                syncs["asked"].add(found[1])
            upstream.send(m)

        def from_server(m: str | bytes) -> None:
            if found := re.match(r"43/staff,(\d+)\[", str(m)):
                syncs["answered"].add(found[1])
            lost = outage["conversation"]
            if not (lost and str(m).startswith("42") and lost in str(m)):  # events, not acks
                ws.send(m)

        ws.on_message(from_page)

        upstream.on_message(from_server)

    console = await console_on_duty(chromium, server, await server.officer(), relay)
    youth = await server.youth()
    conversation = (await youth.ok("chat:open", {"room": "ostersund"}))["conversation"]["id"]
    await youth.ok("chat:send", {"conversation_id": conversation, "client_id": cid(), "body": "Hej polisen"})
    inbox = console.get_by_test_id("inbox").locator("[data-testid^=inbox-item-]")
    await inbox.first.click()
    await console.get_by_test_id("chat-take").click()
    log = console.get_by_test_id("chat-log")
    await expect(log).to_contain_text("Hej polisen")
    await expect(console.get_by_test_id("chat-take")).to_have_count(0)
    await poll(lambda: bool(syncs["asked"]) and syncs["asked"] <= syncs["answered"])  # the take's sync is done

    lost_at = server.deps.clock.now()
    outage["conversation"] = conversation
    await youth.ok("chat:send", {"conversation_id": conversation, "client_id": cid(), "body": "Tappat på vägen"})
    other = await server.youth()
    await other.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Efter tappet"})
    # A later event on the same connection arrived (one that makes the console sync nothing) ...
    await expect(console.get_by_test_id("room-log-ostersund")).to_contain_text("Efter tappet")
    await expect(log).not_to_contain_text("Tappat på vägen")  # ... the chat's events were lost
    outage["conversation"] = None

    await resync.announcer(server.app[SIO], server.deps.availability.invalidate)(lost_at)
    await expect(log).to_contain_text("Tappat på vägen", timeout=10_000)
    assert len(sockets) == 1, "the console reconnected instead of resyncing on its connection"
    await shot(console, "console-sync-needed", tmp_path)
    await console.context.close()
