"""The youth widget in real Chromium: phone viewports, embedding on a hostile page, offline and
reconnect, accessibility (axe-core), language, quick exit, no-trace and forget-me, Fast 3G.

`KVARTER_SCREENSHOTS=1` saves the main states to docs/screenshots/ for the README."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from server.config import Settings, load_settings
from server.realtime import resync
from server.realtime.keys import SIO
from tests.clients import Client, cid
from tests.conftest import Running, free_port
from tests.test_browser import DIST

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"])]

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "webclient" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = ROOT / "docs" / "screenshots"
PHONE = {"width": 360, "height": 740}
SMALL = {"width": 320, "height": 568}
EXIT = "https://www.google.com/"
# Chrome DevTools' "Fast 3G" preset (bytes per second, milliseconds).
FAST_3G = {"offline": False, "latency": 562.5, "downloadThroughput": 180_000, "uploadThroughput": 84_375}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    if not (DIST / "widget.js").is_file():
        pytest.fail("webclient/dist is not built: run `make build` (make test does)")
    # The host pages of these tests are on another origin (localhost): let them frame the widget.
    return replace(settings, static_dir=DIST, widget_frame_ancestors="*")


@pytest.fixture(autouse=True)
def patient_expect() -> Iterator[None]:
    """On a busy machine (two shared cores) a widget may take longer than expect's 5 s to connect."""
    from playwright.async_api import expect

    expect.set_options(timeout=15_000)
    yield
    expect.set_options(timeout=None)


@pytest.fixture
def browser(chromium: Any) -> Any:
    """The system Chromium (conftest's `chromium`)."""
    return chromium


@dataclass
class HostSite:
    """Pages of a school's site on another origin (localhost, while Kvarter is 127.0.0.1)."""

    url: str
    pages: dict[str, str] = field(default_factory=dict)

    def page(self, path: str, body: str, head: str = "") -> str:
        self.pages[path] = (
            f"<!doctype html><html lang=sv><head><meta charset=utf-8>"
            f'<meta name=viewport content="width=device-width, initial-scale=1"><title>Exempelskolan</title>'
            f"{head}</head><body>{body}</body></html>"
        )
        return self.url + path.lstrip("/")


@pytest.fixture
async def host_site() -> AsyncIterator[HostSite]:
    site = HostSite("")

    async def serve(request: web.Request) -> web.Response:
        html = site.pages.get(request.path)
        if html is None:
            raise web.HTTPNotFound
        return web.Response(text=html, content_type="text/html")

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "localhost", port).start()
    site.url = f"http://localhost:{port}/"
    yield site
    await runner.cleanup()


def embed(server: Running, **attrs: str) -> str:
    """The loader's script tag, as a school would paste it."""
    data = " ".join(f'data-{k.replace("_", "-")}="{v}"' for k, v in {"room": "ostersund", **attrs}.items())
    return f'<script src="{server.url}/widget.js" {data} async></script>'


async def shot(page: Any, name: str, tmp_path: Path, *, full_page: bool = False) -> None:
    """A screenshot: into docs/screenshots/ with KVARTER_SCREENSHOTS=1, else beside the test."""
    target = SHOTS if os.environ.get("KVARTER_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(target / f"{name}.png"), full_page=full_page)


async def axe(target: Any, state: str) -> list[dict[str, Any]]:
    """Runs axe-core (WCAG 2.0/2.1 A and AA) in a page or frame; fails on serious or critical findings."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: run `npm ci` in webclient/ (make test does)")
    await target.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = await target.evaluate(
        """async () => {
            const result = await axe.run(document, {
                runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ")),
            }));
        }"""
    )
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe, {state}: {json.dumps(bad, ensure_ascii=False, indent=1)}"
    return violations


def csp_errors(page: Any) -> list[str]:
    """Collects the page's Content-Security-Policy complaints (the widget must cause none)."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    return errors


async def widget_frame(page: Any) -> Any:
    """The widget's Frame inside a host page (for evaluate and axe; locators use frame_locator)."""
    for _ in range(100):
        for frame in page.frames:
            if "/widget/" in frame.url:
                return frame
        await page.wait_for_timeout(50)
    raise AssertionError(f"no widget frame: {[f.url for f in page.frames]}")


async def officer_in(server: Running, room: str = "ostersund") -> Client:
    _, staff = await server.on_duty(room)
    await staff.ok("room:join", {"room": room})
    return staff


async def poll(check: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


# Controls lower than 44 px (a radio button or check box: its label; links in running text and
# small text buttons: lower than 32 px).
SMALL_TARGETS = """() => [...document.querySelectorAll("button, input, textarea, summary, a")]
    .filter((el) => el.getClientRects().length > 0 && !(el.tagName === "A" && el.closest("p")))
    .map((el) => [el.dataset.testid || el.textContent.trim(),
                  (el.closest("label") ?? el).getBoundingClientRect().height,
                  el.matches(".link-button, summary, a") ? 32 : 44])
    .filter(([, height, least]) => height < least)"""


async def test_room_and_trust_on_a_phone(server: Running, tmp_path: Path, browser: Any) -> None:
    """At 360 and 320 px: the welcome says what the chat is for, 112, that police may act and how long chats
    are kept; a room message goes both ways; the officer's message carries the badge and the explainer, and its
    time in Swedish time for a viewer in New York."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from playwright.async_api import expect

    staff = await officer_in(server)
    answer: dict[str, Any] = {}
    for viewport, suffix in ((PHONE, ""), (SMALL, "-320")):
        context = await browser.new_context(
            viewport=viewport, locale="sv-SE", timezone_id="America/New_York", has_touch=True, is_mobile=True
        )
        page = await context.new_page()
        errors = csp_errors(page)
        await page.goto(f"{server.url}/widget/?room=ostersund")
        await expect(page.get_by_test_id("status")).to_contain_text("Poliser online: 1")
        welcome = page.get_by_test_id("welcome")
        await expect(welcome).to_contain_text("ring 112")
        await expect(welcome).to_contain_text("orosanmälan")
        await expect(welcome).to_contain_text("sparas i 30 dagar")
        if not suffix:
            await page.get_by_test_id("room-input").fill("Hej! Är det lugnt i stan i kväll?")
            await page.get_by_test_id("room-send").click()
            await staff.wait_for("room:message", lambda m: "lugnt i stan" in m["body"])
            answer = await staff.ok(
                "room:send", {"room": "ostersund", "client_id": cid(), "body": "Hej! Ja, lugnt hittills."}
            )
        log = page.get_by_test_id("room-log")
        # New messages are announced politely to screen readers.
        await expect(log).to_have_attribute("role", "log")
        await expect(log).to_have_attribute("aria-live", "polite")
        officer_message = log.locator(".message-officer").last
        await expect(officer_message).to_contain_text("Östersund")
        await expect(officer_message).to_contain_text("polis")
        sent_at = dt.datetime.fromisoformat(answer["message"]["created_at"].replace("Z", "+00:00"))
        await expect(officer_message.locator("time")).to_have_text(
            sent_at.astimezone(ZoneInfo("Europe/Stockholm")).strftime("%H:%M")
        )
        await officer_message.get_by_text("Är det här verkligen polisen?").click()
        await expect(officer_message).to_contain_text("polisen.se")
        await officer_message.locator(".trust-text").scroll_into_view_if_needed()
        # Phone first: nothing wider than the screen, and large tap targets.
        assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert await page.evaluate(SMALL_TARGETS) == []
        await shot(page, f"room{suffix}", tmp_path)
        assert errors == []
        await context.close()


class TestTheDeploymentsRetention:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        env = {"KVARTER_SECRET_KEY": "k" * 32, "KVARTER_RETENTION": "chat=14,referred_support=400"}
        return replace(settings, retention_days=load_settings(env).retention_days)

    async def test_the_welcome_states_the_deployments_retention(
        self, server: Running, tmp_path: Path, browser: Any
    ) -> None:
        """With KVARTER_RETENTION=chat=14,referred_support=400 the welcome, the chat tab and the privacy page
        say 14 and at most 400 days (not the defaults), in Swedish and in English."""
        from playwright.async_api import expect

        context = await browser.new_context(viewport=SMALL, locale="sv-SE", has_touch=True, is_mobile=True)
        page = await context.new_page()
        await page.goto(f"{server.url}/widget/?room=ostersund")
        kept = page.get_by_test_id("welcome-kept")
        await expect(kept).to_have_text(
            "Chattar sparas i 14 dagar. Behöver polisen dem i sitt arbete sparas de längre, som mest i 400 dagar. "
            "Sedan raderas de."
        )
        await page.get_by_test_id("tab-chat").click()
        await expect(page.get_by_test_id("chat-kept")).to_contain_text("sparas i 14 dagar")
        await expect(page.get_by_test_id("chat-kept")).to_contain_text("som mest i 400 dagar")
        await page.get_by_test_id("lang-toggle").click()
        await expect(page.get_by_test_id("chat-kept")).to_contain_text("kept for 14 days")
        await page.get_by_test_id("chat-kept").scroll_into_view_if_needed()
        await shot(page, "retention-320", tmp_path)
        await page.get_by_test_id("privacy-open").click()
        await expect(page.get_by_test_id("privacy").get_by_test_id("welcome-kept")).to_contain_text("at most 400 days")
        await context.close()


async def test_private_chat_handoff_and_feedback(server: Running, tmp_path: Path, browser: Any) -> None:
    """On a phone: a private chat with an officer (badge, explainer), a 114 14 handoff card, the officer
    ends the chat and the young person answers "Do you feel safer now?"."""
    from playwright.async_api import expect

    staff = await officer_in(server)
    context = await browser.new_context(viewport=PHONE, locale="sv-SE", has_touch=True, is_mobile=True)
    page = await context.new_page()
    errors = csp_errors(page)
    await page.goto(f"{server.url}/widget/?room=ostersund")
    await page.get_by_test_id("tab-chat").click()
    intro = page.locator("#panel-chat")
    await expect(intro).to_contain_text("orosanmälan")
    await expect(intro).to_contain_text("sparas i 30 dagar")
    await page.get_by_test_id("open-chat").click()
    await page.get_by_test_id("chat-input").fill("Någon skriver elaka saker om mig på nätet")
    await page.get_by_test_id("chat-send").click()
    update = await staff.wait_for("inbox:updated", lambda e: e["conversation"]["status"] == "waiting")
    conversation = update["conversation"]["id"]
    await staff.ok("chat:take", {"conversation_id": conversation})
    await expect(page.get_by_test_id("chat-officer")).to_contain_text("polis · Östersund")
    await staff.ok(
        "chat:send", {"conversation_id": conversation, "client_id": cid(), "body": "Tråkigt att höra. Vad skriver de?"}
    )
    await expect(page.get_by_test_id("chat-log")).to_contain_text("Vad skriver de?")
    await page.get_by_test_id("chat-input").fill("Att ingen gillar mig")
    await page.get_by_test_id("chat-send").click()
    await staff.wait_for("chat:message", lambda m: m["body"] == "Att ingen gillar mig")
    await shot(page, "private-chat", tmp_path)
    assert await page.evaluate(SMALL_TARGETS) == []

    await staff.ok("handoff:give", {"conversation_id": conversation, "kind": "11414"})
    card = page.get_by_test_id("chat-log").get_by_test_id("handoff-11414")
    await expect(card).to_be_visible()
    await expect(card.locator("a[href^='tel:']")).to_be_visible()
    await card.scroll_into_view_if_needed()
    await shot(page, "handoff-card", tmp_path)

    await staff.ok("chat:close", {"conversation_id": conversation})
    await expect(page.get_by_test_id("feedback")).to_contain_text("Känner du dig tryggare nu?")
    await shot(page, "feedback", tmp_path)
    await page.get_by_test_id("feedback-4").click()
    await expect(page.get_by_test_id("feedback-thanks")).to_be_visible()
    assert errors == []
    await context.close()


async def test_report_shows_the_112_card_at_once(server: Running, tmp_path: Path, browser: Any) -> None:
    """At 320 px with nobody on duty in the region: a report of violence happening now shows the 112 card
    with tap-to-call at once, before and without any officer."""
    from playwright.async_api import expect

    for viewport, suffix in ((PHONE, ""), (SMALL, "-320")):
        context = await browser.new_context(viewport=viewport, locale="sv-SE", has_touch=True, is_mobile=True)
        page = await context.new_page()
        await page.goto(f"{server.url}/widget/?room=umea")
        await page.get_by_test_id("report-open").click()
        await expect(page.locator("#panel-report")).to_contain_text("Ring 112")
        await shot(page, f"report-form{suffix}", tmp_path)
        assert await page.evaluate(SMALL_TARGETS) == []
        await page.get_by_test_id("report-category-violence").check()
        await page.get_by_test_id("report-now-yes").check()
        await page.get_by_test_id("report-location").fill("Busshållplatsen vid Vasaplan")
        await page.get_by_test_id("report-body").fill("Några slåss och en har kniv")
        await page.get_by_test_id("report-submit").click()
        card = page.get_by_test_id("card-112")
        await expect(card).to_be_visible()
        await expect(card.locator("a[href='tel:112']")).to_be_visible()
        call = page.locator("#panel-report a[href='tel:112']").first
        await expect(call).to_be_in_viewport(ratio=1)
        box = await call.bounding_box()
        assert box is not None and box["height"] >= 44
        assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        await shot(page, f"report-112{suffix}", tmp_path)
        await context.close()


async def test_another_young_persons_nickname_is_refused_in_the_room(
    server: Running, tmp_path: Path, browser: Any
) -> None:
    """Two phones in Östersund: Lo writes; the other young person renames themselves "LO" and
    writes — the message is not sent, and the line under it says someone in the room already
    writes under that name."""
    from playwright.async_api import expect

    await server.on_duty("ostersund")
    pages = []
    for nickname in ("Lo", "LO"):
        page = await (await browser.new_context(viewport=PHONE, locale="sv-SE")).new_page()
        await page.goto(f"{server.url}/widget/?room=ostersund")
        await page.get_by_role("button", name="Byt namn").click()
        await page.get_by_test_id("nickname-input").fill(nickname)
        await page.get_by_test_id("nickname-save").click()
        await expect(page.get_by_test_id("nickname")).to_have_text(nickname)
        pages.append(page)
    lo, other = pages
    await lo.get_by_test_id("room-input").fill("Hej allihop")
    await lo.get_by_test_id("room-send").click()
    await expect(lo.locator("[data-testid=message][data-status=sent]")).to_have_count(1)
    await other.get_by_test_id("room-input").fill("Det är jag, Lo")
    await other.get_by_test_id("room-send").click()
    failed = other.locator(".message-failed-line")
    await expect(failed).to_contain_text("Någon annan i rummet skriver redan under det namnet")
    await shot(other, "room-nickname-taken", tmp_path)


async def test_closed_hours_on_a_phone(server: Running, tmp_path: Path, browser: Any) -> None:
    """Outside its windows at 320 px: nobody online, when next (Swedish time), 112 / 114 14, and a question
    can still be left for later."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from playwright.async_api import expect

    from server.services import neighbourhoods, schedules

    day = dt.datetime.now(ZoneInfo("Europe/Stockholm")).date() + dt.timedelta(days=2)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    await neighbourhoods.add(server.deps, slug="kiruna", name="Kiruna", police_area="Kiruna", region="Nord")
    await schedules.add_weekly(server.deps, None, "kiruna", f"{weekday} 18:00-02:00")
    for viewport, suffix in ((PHONE, ""), (SMALL, "-320")):
        context = await browser.new_context(viewport=viewport, locale="sv-SE", timezone_id="Europe/Stockholm")
        page = await context.new_page()
        await page.goto(f"{server.url}/widget/?room=kiruna")
        status = page.get_by_test_id("status")
        await expect(status).to_contain_text("Ingen polis är online just nu")
        await expect(page.get_by_test_id("next-window")).to_contain_text("18:00")
        await expect(status).to_contain_text("Ring 112")
        await expect(status).to_contain_text("114 14")
        await page.get_by_test_id("tab-chat").click()
        await expect(page.get_by_test_id("leave-question")).to_be_visible()
        assert await page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        await shot(page, f"closed-hours{suffix}", tmp_path)
        await context.close()


async def open_private_chat(page: Any, staff: Client, first: str) -> str:
    """Starts a private chat with `first`, has the officer take it; returns the conversation id."""
    from playwright.async_api import expect

    await page.get_by_test_id("tab-chat").click()
    await page.get_by_test_id("open-chat").click()
    await page.get_by_test_id("chat-input").fill(first)
    await page.get_by_test_id("chat-send").click()
    update = await staff.wait_for("inbox:updated", lambda e: e["conversation"]["status"] == "waiting")
    conversation: str = update["conversation"]["id"]
    await staff.ok("chat:take", {"conversation_id": conversation})
    await expect(page.get_by_test_id("chat-officer")).to_be_visible()
    return conversation


async def count_stored(staff: Client, conversation: str, body: str) -> int:
    ack = await staff.ok("chat:sync", {"conversation_id": conversation})
    return sum(1 for m in ack["messages"] if m["body"] == body)


async def test_offline_messages_wait_and_are_sent_once(server: Running, tmp_path: Path, browser: Any) -> None:
    """Offline, a message is kept as "sending…" under an offline notice; back online it is sent once."""
    from playwright.async_api import expect

    staff = await officer_in(server)
    context = await browser.new_context(viewport=PHONE, locale="sv-SE")
    page = await context.new_page()
    await page.goto(f"{server.url}/widget/?room=ostersund")
    conversation = await open_private_chat(page, staff, "Hej")

    status = page.get_by_test_id("status")
    await expect(status).to_contain_text("Poliser online: 1")
    await context.set_offline(True)
    await expect(page.get_by_test_id("connection")).to_contain_text("Du är offline")
    # The last count of officers online is not shown as if it were current.
    await expect(status).to_have_attribute("data-state", "unknown")
    await page.get_by_test_id("chat-input").fill("Skickat utan nät")
    await page.get_by_test_id("chat-send").click()
    pending = page.get_by_test_id("chat-log").locator("[data-testid=message][data-status=sending]")
    await expect(pending).to_contain_text("Skickar…")
    await shot(page, "offline-sending", tmp_path)

    await context.set_offline(False)
    sent = page.get_by_test_id("chat-log").locator("[data-testid=message]", has_text="Skickat utan nät")
    await expect(sent).to_have_attribute("data-status", "sent", timeout=15_000)
    await expect(sent).to_have_count(1)
    await expect(page.get_by_test_id("connection")).to_have_attribute("data-state", "online")
    await expect(status).to_contain_text("Poliser online: 1")
    await staff.wait_for("chat:message", lambda m: m["body"] == "Skickat utan nät")
    assert await count_stored(staff, conversation, "Skickat utan nät") == 1
    await context.close()


async def test_a_lost_ack_is_resent_with_the_same_client_id_and_stored_once(
    server: Running, tmp_path: Path, browser: Any
) -> None:
    """The connection dies after the server stored a message but before its ack arrived: after the
    reconnect the widget sends it again with the same client_id, and it is stored and shown once."""
    from playwright.async_api import expect

    staff = await officer_in(server)
    sends: list[str] = []
    sockets: list[Any] = []
    lost = {"on": False}

    def relay(ws: Any) -> None:
        upstream = ws.connect_to_server()
        sockets.append(ws)

        def from_page(message: str | bytes) -> None:
            if isinstance(message, str) and '"chat:send"' in message and "Kvittot försvinner" in message:
                sends.append(json.loads(message[message.index("[") :])[1]["client_id"])
                # Everything the server says on this connection from now on is lost.
                lost["on"] = len(sends) == 1
            upstream.send(message)

        def from_server(message: str | bytes) -> None:
            if not (lost["on"] and ws is sockets[-1] and len(sockets) == 1):
                ws.send(message)

        ws.on_message(from_page)
        upstream.on_message(from_server)

    context = await browser.new_context(viewport=PHONE, locale="sv-SE")
    page = await context.new_page()
    await page.route_web_socket(re.compile(r".*/socket\.io/.*"), relay)
    await page.goto(f"{server.url}/widget/?room=ostersund")
    conversation = await open_private_chat(page, staff, "Hej")

    await page.get_by_test_id("chat-input").fill("Kvittot försvinner")
    await page.get_by_test_id("chat-send").click()
    await staff.wait_for("chat:message", lambda m: m["body"] == "Kvittot försvinner")
    log = page.get_by_test_id("chat-log")
    await expect(log.locator("[data-testid=message][data-status=sending]")).to_contain_text("Kvittot försvinner")
    await sockets[0].close()

    mine = log.locator("[data-testid=message]", has_text="Kvittot försvinner")
    await expect(mine).to_have_attribute("data-status", "sent", timeout=15_000)
    await poll(lambda: len(sends) >= 2)
    assert len(set(sends)) == 1, sends
    await expect(mine).to_have_count(1)
    assert await count_stored(staff, conversation, "Kvittot försvinner") == 1
    # The server emits a retried message again, with the one stored id: the console keys it by id.
    assert len({m["id"] for m in staff.events["chat:message"] if m["body"] == "Kvittot försvinner"}) == 1
    await context.close()


async def test_sync_needed_brings_a_message_whose_event_was_lost(server: Running, tmp_path: Path, browser: Any) -> None:
    """A chat message's live event never reaches the widget although its connection stays up (as
    when the server's Redis was away); the server's `sync:needed` makes the widget resync the
    chat on the same connection, and the message appears."""
    from playwright.async_api import expect

    staff = await officer_in(server)
    sockets: list[Any] = []

    def relay(ws: Any) -> None:
        upstream = ws.connect_to_server()
        sockets.append(ws)
        ws.on_message(upstream.send)
        # The live event of one message is lost; the acks of later syncs that carry it are not.
        lost = ('"chat:message"', "Tappat på vägen")
        upstream.on_message(lambda m: None if all(part in str(m) for part in lost) else ws.send(m))

    context = await browser.new_context(viewport=PHONE, locale="sv-SE")
    page = await context.new_page()
    await page.route_web_socket(re.compile(r".*/socket\.io/.*"), relay)
    await page.goto(f"{server.url}/widget/?room=ostersund")
    conversation = await open_private_chat(page, staff, "Hej")
    log = page.get_by_test_id("chat-log")

    lost_at = dt.datetime.now(dt.UTC)
    for body in ("Tappat på vägen", "Efter tappet"):
        await staff.ok("chat:send", {"conversation_id": conversation, "client_id": cid(), "body": body})
    await expect(log).to_contain_text("Efter tappet")  # the later message arrived live ...
    await expect(log).not_to_contain_text("Tappat på vägen")  # ... the earlier one's event was lost

    await resync.announcer(server.app[SIO], server.deps.availability.invalidate)(lost_at)
    await expect(log).to_contain_text("Tappat på vägen", timeout=10_000)
    await expect(log.locator("[data-testid=message]", has_text="Efter tappet")).to_have_count(1)
    assert len(sockets) == 1, "the widget reconnected instead of resyncing on its connection"
    await shot(page, "sync-needed", tmp_path)
    await context.close()


async def test_axe_finds_nothing_serious_in_any_state(
    server: Running, host_site: HostSite, tmp_path: Path, browser: Any
) -> None:
    """axe-core in Chromium, WCAG 2.1 A/AA: closed, open, room, private chat, report flow, 112 card,
    handoff card, closed hours, privacy panel, dark theme, English: nothing serious or critical."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from playwright.async_api import expect

    from server.services import neighbourhoods, schedules

    staff = await officer_in(server)
    await staff.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Välkommen! Vi är på plats i kväll."})
    url = host_site.page("/", f"<main><h1>Exempelskolan</h1><p>Skolans sida.</p></main>{embed(server)}")
    # axe is injected with add_script_tag, an inline script: the pages' strict CSP is bypassed for it.
    context = await browser.new_context(viewport=PHONE, locale="sv-SE", bypass_csp=True)
    page = await context.new_page()
    await page.goto(url)
    found: dict[str, list[dict[str, Any]]] = {}
    found["closed"] = await axe(page, "closed (host page with the launcher)")
    await page.get_by_role("button", name="Chatta med polisen").click()
    widget = page.frame_locator("iframe")
    frame = await widget_frame(page)
    await expect(widget.get_by_test_id("status")).to_contain_text("Poliser online: 1")
    found["open"] = await axe(frame, "open (room)")
    found["host-open"] = await axe(page, "host page with the widget open")
    message = widget.locator(".message-officer").last
    await message.get_by_text("Är det här verkligen polisen?").click()
    found["room-trust"] = await axe(frame, "room with the explainer open")

    await widget.get_by_test_id("tab-chat").click()
    found["chat-intro"] = await axe(frame, "private chat, before it starts")
    await widget.get_by_test_id("open-chat").click()
    await widget.get_by_test_id("chat-input").fill("Hej, jag vill fråga en sak")
    await widget.get_by_test_id("chat-send").click()
    found["chat-waiting"] = await axe(frame, "private chat, waiting")
    update = await staff.wait_for("inbox:updated", lambda e: e["conversation"]["status"] == "waiting")
    conversation = update["conversation"]["id"]
    await staff.ok("chat:take", {"conversation_id": conversation})
    await staff.ok("chat:send", {"conversation_id": conversation, "client_id": cid(), "body": "Hej, vad gäller det?"})
    await expect(widget.get_by_test_id("chat-log")).to_contain_text("vad gäller det?")
    found["chat-active"] = await axe(frame, "private chat with an officer")
    await staff.ok("handoff:give", {"conversation_id": conversation, "kind": "bris"})
    await expect(widget.get_by_test_id("chat-log").get_by_test_id("handoff-bris")).to_be_visible()
    found["handoff"] = await axe(frame, "handoff card")
    await staff.ok("chat:close", {"conversation_id": conversation})
    await expect(widget.get_by_test_id("feedback")).to_be_visible()
    found["feedback"] = await axe(frame, "after the chat: do you feel safer now?")

    await widget.get_by_test_id("report-open").click()
    found["report-form"] = await axe(frame, "report form")
    await widget.get_by_test_id("report-submit").click()
    await expect(widget.locator("#report-body-error")).to_be_visible()
    found["report-errors"] = await axe(frame, "report form with errors")
    await widget.get_by_test_id("report-category-hurt").check()
    await widget.get_by_test_id("report-now-yes").check()
    await widget.get_by_test_id("report-body").fill("Någon har ramlat och slagit i huvudet")
    await widget.get_by_test_id("report-submit").click()
    await expect(widget.get_by_test_id("card-112")).to_be_visible()
    found["report-112"] = await axe(frame, "report sent, 112 card")

    await widget.get_by_test_id("privacy-open").click()
    await expect(widget.get_by_test_id("privacy")).to_be_visible()
    found["privacy"] = await axe(frame, "privacy and info")
    await widget.get_by_test_id("forget").click()
    found["forget"] = await axe(frame, "forget me, asking to confirm")
    await widget.get_by_test_id("lang-toggle").click()
    await expect(widget.get_by_test_id("privacy")).to_contain_text("Leave no trace")
    found["english"] = await axe(frame, "privacy and info in English")
    await context.close()

    day = dt.datetime.now(ZoneInfo("Europe/Stockholm")).date() + dt.timedelta(days=2)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    await neighbourhoods.add(server.deps, slug="kiruna", name="Kiruna", police_area="Kiruna", region="Nord")
    await schedules.add_weekly(server.deps, None, "kiruna", f"{weekday} 18:00-02:00")
    for theme in ("light", "dark"):
        context = await browser.new_context(viewport=SMALL, locale="sv-SE", bypass_csp=True)
        page = await context.new_page()
        await page.goto(f"{server.url}/widget/?room=kiruna&theme={theme}")
        await expect(page.get_by_test_id("next-window")).to_be_visible()
        found[f"closed-hours-{theme}"] = await axe(page, f"closed hours, {theme}")
        await page.get_by_test_id("tab-chat").click()
        found[f"closed-chat-{theme}"] = await axe(page, f"closed hours, leave a question, {theme}")
        await page.get_by_test_id("report-open").click()
        found[f"closed-report-{theme}"] = await axe(page, f"closed hours, report form, {theme}")
        await context.close()
    context = await browser.new_context(viewport=PHONE, locale="sv-SE", bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{server.url}/widget/?room=ostersund&theme=dark")
    await expect(page.get_by_test_id("room-log")).to_contain_text("Vi är på plats")
    found["room-dark"] = await axe(page, "room, dark")
    await context.close()

    summary = {state: sorted(f"{v['id']} ({v['impact']})" for v in vs) for state, vs in found.items()}
    (tmp_path / "axe.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    print(json.dumps(summary, ensure_ascii=False))


async def test_axe_dark_theme_with_a_notice_and_qa_sessions(server: Running, tmp_path: Path, browser: Any) -> None:
    """The dark theme with what officers put in a room: a pinned notice (and its tip form), a live and an
    upcoming Q&A session, and the Q&A view with an answered question and one's own waiting one: readable
    (axe-core finds no serious contrast or other problem)."""
    import datetime as dt

    from playwright.async_api import expect

    staff = await officer_in(server)
    supervisor = await server.staff(await server.officer(role="supervisor"))
    body = "Pågående händelse vid resecentrum i kväll – har du sett något? Ring 112 om det är akut."
    drafted = (await staff.ok("notice:draft", {"room": "ostersund", "body": body}))["notice"]
    await supervisor.ok("notice:approve", {"notice_id": drafted["id"]})
    now = dt.datetime.now(dt.UTC)

    def at(minutes: int) -> str:
        return (now + dt.timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")

    live = (
        await staff.ok(
            "qa:schedule", {"room": "ostersund", "title": "Öppen frågestund", "starts_at": at(-5), "ends_at": at(60)}
        )
    )["session"]
    await staff.ok(
        "qa:schedule", {"room": "ostersund", "title": "Fester och helgen", "starts_at": at(1500), "ends_at": at(1560)}
    )
    asker = await server.youth()
    await asker.ok("qa:join", {"session_id": live["id"]})
    question = "Vad händer om man blir tagen med alkohol på en fest?"
    asked = (await asker.ok("qa:ask", {"session_id": live["id"], "client_id": cid(), "body": question}))["question"]
    await staff.ok("qa:review", {"question_id": asked["id"], "decision": "approve"})
    await staff.ok("qa:answer", {"question_id": asked["id"], "body": "Polisen häller ut alkoholen och ringer hem."})

    context = await browser.new_context(viewport=PHONE, locale="sv-SE", bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{server.url}/widget/?room=ostersund&theme=dark")
    await expect(page.get_by_test_id("notices")).to_contain_text("resecentrum")
    await expect(page.locator(".qa-banner")).to_have_count(2)
    await axe(page, "room with a notice and Q&A sessions, dark")
    await shot(page, "room-dark", tmp_path)
    await page.get_by_test_id("tip-open").click()
    await expect(page.get_by_test_id("tip-body")).to_be_visible()
    await axe(page, "the notice's tip form, dark")
    await page.get_by_test_id(f"qa-banner-{live['id']}").click()
    await expect(page.get_by_test_id("qa-answer")).to_contain_text("ringer hem")
    await page.get_by_test_id("qa-input").fill("Får polisen titta i min mobil?")
    await page.get_by_test_id("qa-ask").click()
    await expect(page.get_by_test_id("qa-mine")).to_contain_text("Får polisen titta i min mobil?")
    await axe(page, "Q&A view with an answer and one's own question, dark")
    await shot(page, "qa-widget-dark", tmp_path, full_page=True)
    await context.close()


async def fast_3g_first_message(
    browser: Any, url: str, body: str, conditions: dict[str, Any] | None = FAST_3G
) -> dict[str, int]:
    """One cold load on "Fast 3G" (or other `conditions`; None: the loopback as it is): ms from
    navigation start until the room's text box takes a message, and until the first message is
    stored and acknowledged. bench/timings.py runs it repeatedly beside an unthrottled baseline."""
    from playwright.async_api import expect

    context = await browser.new_context(viewport=PHONE, locale="sv-SE")
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("Network.enable")
    await cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    if conditions is not None:
        await cdp.send("Network.emulateNetworkConditions", conditions)
    await page.goto(url, wait_until="commit")
    ready = await page.wait_for_function(
        "() => { const el = document.querySelector('[data-testid=room-input]');"
        " return el && !el.disabled ? performance.now() : 0; }",
        polling="raf",
        timeout=15_000,
    )
    ready_ms = await ready.json_value()
    await page.get_by_test_id("room-input").fill(body)
    await page.get_by_test_id("room-send").click()
    sent = page.get_by_test_id("room-log").locator("[data-testid=message]", has_text=body)
    await expect(sent).to_have_attribute("data-status", "sent", timeout=15_000)
    acked_ms = await page.evaluate("performance.now()")
    await context.close()
    return {"ready_ms": round(ready_ms), "first_message_acked_ms": round(acked_ms)}


async def test_first_message_on_fast_3g(server: Running, tmp_path: Path, browser: Any) -> None:
    """Cold cache on Chromium's "Fast 3G" profile: the room's text box takes the first message and
    the message is acknowledged (it is sent as soon as the socket is up). The aim is within 2 s of
    navigation start; that figure is measured by bench/timings.py beside an unthrottled baseline
    (docs/benchmarks.md), not asserted here — on a loaded two-core CI machine a timing bound
    flakes — and the assertion is a functional one: ready and acknowledged within 10 s."""
    await officer_in(server)
    url = f"{server.url}/widget/?room=ostersund"
    run = await fast_3g_first_message(browser, url, "Första meddelandet")
    (tmp_path / "fast3g.json").write_text(json.dumps(run))
    print(f"Fast 3G: {run} (aim: ready within 2,000 ms)")
    assert run["ready_ms"] <= 10_000 and run["first_message_acked_ms"] <= 10_000, run


async def test_the_keyboard_does_not_hide_the_text_box(server: Running, tmp_path: Path, browser: Any) -> None:
    """With a phone's keyboard up (320 x 300 px left), the focused text box, its send button and some
    messages stay in sight, in the room and in the private chat."""
    from playwright.async_api import expect

    staff = await officer_in(server)
    await staff.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Hej från polisen"})
    context = await browser.new_context(viewport={"width": 320, "height": 300}, locale="sv-SE", has_touch=True)
    page = await context.new_page()
    await page.goto(f"{server.url}/widget/?room=ostersund")
    await expect(page.get_by_test_id("room-log")).to_contain_text("Hej från polisen")
    for name in ("room-input", "chat-input"):
        if name == "chat-input":
            await page.get_by_test_id("room-input").blur()
            await page.get_by_test_id("tab-chat").click()
            await page.get_by_test_id("open-chat").click()
        await page.get_by_test_id(name).focus()
        await page.get_by_test_id(name).fill("Jag skriver med tangentbordet uppe")
        for test_id in (name, name.replace("input", "send"), "quick-exit"):
            await expect(page.get_by_test_id(test_id)).to_be_in_viewport(ratio=1)
        log = page.get_by_test_id(name.replace("input", "log"))
        box = await log.bounding_box()
        assert box is not None and box["height"] >= 60, box
        await shot(page, f"keyboard-{name.split('-')[0]}", tmp_path)
    await context.close()


HOSTILE_CSS = """<style>
* { all: unset !important; }
html, body, main, p, h1 { display: block !important; }
head, script, style, title { display: none !important; }
body * { position: static !important; transform: rotate(2deg) !important; font-size: 40px !important;
         color: red !important; opacity: .2 !important; pointer-events: none !important; }
button, iframe, kvarter-widget { display: none !important; visibility: hidden !important; width: 1px !important; }
</style>"""


async def test_a_hostile_host_page_cannot_break_or_read_the_widget(
    server: Running, host_site: HostSite, tmp_path: Path, browser: Any
) -> None:
    """A host page whose CSS tries to hide, shrink and restyle everything still shows a working launcher and
    widget; the widget cannot read the host page; data-position, data-theme and data-lang are honoured."""
    from playwright.async_api import expect

    await officer_in(server)
    url = host_site.page("/hostile", f"<main><h1>Fientlig sida</h1></main>{embed(server)}", head=HOSTILE_CSS)
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="sv-SE")
    page = await context.new_page()
    errors = csp_errors(page)
    await page.goto(url)
    launcher = page.get_by_role("button", name="Chatta med polisen")
    await expect(launcher).to_be_visible()
    box = await launcher.bounding_box()
    assert box is not None and box["height"] >= 48 and box["x"] > 1000 and box["y"] > 650, box
    assert await launcher.evaluate("el => getComputedStyle(el).color") == "rgb(255, 255, 255)"
    await launcher.click()
    frame_box = await page.locator("iframe").bounding_box()
    assert frame_box is not None and frame_box["width"] == 380 and frame_box["height"] >= 500, frame_box
    widget = page.frame_locator("iframe")
    await expect(widget.get_by_test_id("status")).to_contain_text("Poliser online: 1")
    frame = await widget_frame(page)
    peek = "() => { try { return parent.document.title; } catch (e) { return e.name; } }"
    assert await frame.evaluate(peek) == "SecurityError"
    await shot(page, "embedded-hostile-host", tmp_path)
    await widget.get_by_test_id("widget-close").click()
    await expect(page.locator("iframe")).to_be_hidden()
    assert errors == []

    url = host_site.page(
        "/left", f"<main><h1>Exempelskolan</h1></main>{embed(server, position='left', theme='dark', lang='en')}"
    )
    await page.goto(url)
    launcher = page.get_by_role("button", name="Chat with the police")
    box = await launcher.bounding_box()
    assert box is not None and box["x"] < 40, box
    await launcher.click()
    widget = page.frame_locator("iframe")
    await expect(widget.get_by_test_id("status")).to_contain_text("Police online: 1")
    frame = await widget_frame(page)
    assert await frame.evaluate("document.documentElement.dataset.theme") == "dark"
    assert await frame.evaluate("document.documentElement.lang") == "en"
    frame_box = await page.locator("iframe").bounding_box()
    assert frame_box is not None and frame_box["x"] < 40, frame_box
    await shot(page, "embedded-dark-left-en", tmp_path)
    await context.close()


async def test_data_theme_auto_follows_the_device(server: Running, host_site: HostSite, browser: Any) -> None:
    """`data-theme="auto"`: dark on a device set to dark, and light as soon as the device changes to light,
    while the widget is open."""
    from playwright.async_api import expect

    await officer_in(server)
    url = host_site.page("/auto", f"<main><h1>Exempelskolan</h1></main>{embed(server, theme='auto')}")
    context = await browser.new_context(viewport=PHONE, locale="sv-SE", color_scheme="dark")
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_role("button", name="Chatta med polisen").click()
    widget = page.frame_locator("iframe")
    await expect(widget.get_by_test_id("status")).to_contain_text("Poliser online: 1")
    frame = await widget_frame(page)
    assert "theme=auto" in frame.url
    assert await frame.evaluate("document.documentElement.dataset.theme") == "dark"
    await page.emulate_media(color_scheme="light")
    await expect(widget.locator("html")).to_have_attribute("data-theme", "light")
    await context.close()


async def test_keyboard_only(server: Running, host_site: HostSite, browser: Any) -> None:
    """Without a mouse: Tab to the launcher, Enter opens the widget with the focus inside, Tab reaches the
    room's text box, Enter sends, arrow keys switch tabs, Escape closes and the focus returns to the launcher."""
    from playwright.async_api import expect

    await officer_in(server)
    url = host_site.page("/", f'<main><h1>Exempelskolan</h1><a href="#info">Om skolan</a></main>{embed(server)}')
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="sv-SE")
    page = await context.new_page()
    await page.goto(url)
    on_launcher = "() => document.activeElement?.shadowRoot?.activeElement?.dataset.kvarter === 'launcher'"
    for _ in range(5):
        await page.keyboard.press("Tab")
        if await page.evaluate(on_launcher):
            break
    assert await page.evaluate(on_launcher)
    await page.keyboard.press("Enter")
    widget = page.frame_locator("iframe")
    await expect(widget.get_by_test_id("status")).to_contain_text("Poliser online: 1")
    frame = await widget_frame(page)
    await expect(widget.locator("#widget-title")).to_be_focused()

    active = "() => document.activeElement?.dataset.testid ?? document.activeElement?.id ?? ''"
    seen = []
    for _ in range(20):
        await page.keyboard.press("Tab")
        seen.append(await frame.evaluate(active))
        if seen[-1] == "room-input":
            break
    assert seen[-1] == "room-input", seen
    assert "quick-exit" in seen and "report-open" in seen and "tab-room" in seen, seen
    assert "tab-chat" not in seen, "one tab stop for the tab list"
    await page.keyboard.type("Skrivet med tangentbordet")
    await page.keyboard.press("Enter")
    await expect(widget.get_by_test_id("room-log")).to_contain_text("Skrivet med tangentbordet")

    await widget.get_by_test_id("tab-room").focus()
    await page.keyboard.press("ArrowRight")
    await expect(widget.get_by_test_id("tab-chat")).to_be_focused()
    await expect(widget.get_by_test_id("tab-chat")).to_have_attribute("aria-selected", "true")
    await expect(widget.get_by_test_id("open-chat")).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(page.locator("iframe")).to_be_hidden()
    assert await page.evaluate(on_launcher)
    await context.close()


async def test_language_switch_and_swedish_time(server: Running, host_site: HostSite, browser: Any) -> None:
    """Swedish by default, English at a tap and back; data-lang="en" on the script tag starts in English;
    a viewer in another time zone is told that times are Swedish time."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from playwright.async_api import expect

    from server.services import neighbourhoods, schedules

    day = dt.datetime.now(ZoneInfo("Europe/Stockholm")).date() + dt.timedelta(days=2)
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    await neighbourhoods.add(server.deps, slug="kiruna", name="Kiruna", police_area="Kiruna", region="Nord")
    await schedules.add_weekly(server.deps, None, "kiruna", f"{weekday} 18:00-02:00")
    context = await browser.new_context(viewport=PHONE, locale="en-US", timezone_id="America/New_York")
    page = await context.new_page()
    await page.goto(f"{server.url}/widget/?room=kiruna")
    await expect(page.get_by_test_id("tab-room")).to_have_text("Rummet")
    await expect(page.get_by_test_id("next-window")).to_contain_text("18:00 (svensk tid)")
    assert await page.evaluate("document.documentElement.lang") == "sv"
    await page.get_by_test_id("lang-toggle").click()
    await expect(page.get_by_test_id("tab-room")).to_have_text("The room")
    await expect(page.get_by_test_id("status")).to_contain_text("No police officer is online right now")
    await expect(page.get_by_test_id("next-window")).to_contain_text("18:00 (Swedish time)")
    await expect(page.get_by_test_id("welcome")).to_contain_text("kept for 30 days")
    assert await page.evaluate("document.documentElement.lang") == "en"
    assert await page.title() == "Kvarter – chat with the police"
    await page.get_by_test_id("lang-toggle").click()
    await expect(page.get_by_test_id("tab-room")).to_have_text("Rummet")
    await context.close()

    url = host_site.page("/en", f"<main><h1>School</h1></main>{embed(server, lang='en')}")
    context = await browser.new_context(viewport=PHONE, locale="sv-SE")
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_role("button", name="Chat with the police").click()
    widget = page.frame_locator("iframe")
    await expect(widget.get_by_test_id("report-open")).to_have_text("Something is happening – report it")
    await context.close()


async def neutral_sites(context: Any) -> None:
    """The neutral sites quick exit goes to, answered locally (the tests have no internet)."""
    for site in (EXIT, "https://www.smhi.se/"):
        await context.route(
            f"{site}**", lambda route: route.fulfill(content_type="text/html", body="<title>Sök</title>")
        )


async def test_quick_exit_leaves_at_once_and_replaces_the_history_entry(
    server: Running, host_site: HostSite, tmp_path: Path, browser: Any
) -> None:
    """One tap on quick exit: embedded, the loader sends the top window to the page's neutral site with
    location.replace, so Back skips the page with the chat; on the full page the same from the widget."""
    from playwright.async_api import expect

    start = host_site.page("/start", "<main><h1>Startsida</h1></main>")
    school = host_site.page(
        "/school", f"<main><h1>Exempelskolan</h1></main>{embed(server, exit_url='https://www.smhi.se/')}"
    )
    context = await browser.new_context(viewport=PHONE, locale="sv-SE")
    await neutral_sites(context)
    page = await context.new_page()
    await page.goto(start)
    await page.goto(school)
    await page.get_by_role("button", name="Chatta med polisen").click()
    widget = page.frame_locator("iframe")
    await widget.get_by_test_id("quick-exit").click()
    await page.wait_for_url("https://www.smhi.se/")
    await page.go_back()
    assert page.url == start

    await page.goto(f"{server.url}/widget/?room=ostersund")
    await expect(page.get_by_test_id("quick-exit")).to_have_text("Lämna sidan")
    await page.get_by_test_id("quick-exit").click()
    await page.wait_for_url(EXIT)
    await page.go_back()
    assert page.url == start
    await context.close()


async def test_no_trace_and_forget_me(server: Running, tmp_path: Path, browser: Any) -> None:
    """No-trace keeps nothing in browser storage and gives the tab a neutral title, also after a reload;
    "forget me" ends the open chat, removes the token and starts over as someone new."""
    from playwright.async_api import expect

    staff = await officer_in(server)
    storage = "async () => [localStorage.length, sessionStorage.length, document.cookie,"
    storage += " (await indexedDB.databases()).length]"
    context = await browser.new_context(viewport=PHONE, locale="sv-SE")
    page = await context.new_page()
    await page.goto(f"{server.url}/widget/?room=ostersund&notrace=1")
    await expect(page.get_by_test_id("status")).to_contain_text("Poliser online: 1")
    await page.get_by_test_id("room-input").fill("Inga spår")
    await page.get_by_test_id("room-send").click()
    await expect(page.get_by_test_id("room-log").locator("[data-status=sent]")).to_contain_text("Inga spår")
    assert await page.evaluate(storage) == [0, 0, "", 0]
    assert await page.title() == "Meddelanden"

    # Remembered by default; no-trace switched on in the privacy panel drops the token at once.
    await page.goto(f"{server.url}/widget/?room=ostersund")
    await expect(page.get_by_test_id("nickname")).not_to_have_text("Laddar…")
    first = await page.get_by_test_id("nickname").inner_text()
    assert await page.evaluate("localStorage.getItem('kvarter.token')") is not None
    assert await page.title() == "Kvarter – chatta med polisen"
    await page.get_by_test_id("privacy-open").click()
    await expect(page.get_by_test_id("storage-mode")).to_have_attribute("data-mode", "device")
    await shot(page, "privacy", tmp_path)
    await page.get_by_test_id("notrace").check()
    await expect(page.get_by_test_id("storage-mode")).to_have_attribute("data-mode", "notrace")
    assert await page.evaluate(storage) == [0, 0, "", 0]
    assert await page.title() == "Meddelanden"
    assert "notrace=1" in page.url
    await page.reload()
    await expect(page.get_by_test_id("nickname")).not_to_have_text("Laddar…")
    assert await page.get_by_test_id("nickname").inner_text() != first
    assert await page.evaluate(storage) == [0, 0, "", 0]
    await page.get_by_test_id("privacy-open").click()
    await page.get_by_test_id("notrace").uncheck()
    assert await page.evaluate("localStorage.getItem('kvarter.token')") is not None

    # Forget me: the open chat ends, nothing is kept, a new anonymous identity.
    await page.get_by_test_id("privacy-back").click()
    conversation = await open_private_chat(page, staff, "Jag vill inte synas här sen")
    me = await page.get_by_test_id("nickname").inner_text()
    await page.get_by_test_id("privacy-open").click()
    await page.get_by_test_id("forget").click()
    await shot(page, "forget-me", tmp_path)
    await page.get_by_test_id("forget-confirm").click()
    await expect(page.get_by_test_id("forgotten")).to_be_visible()
    await expect(page.get_by_test_id("nickname")).not_to_have_text("Laddar…")
    assert await page.get_by_test_id("nickname").inner_text() != me
    assert await page.evaluate(storage) == [0, 0, "", 0]
    assert "forgotten" not in page.url
    closed = await staff.wait_for("chat:updated", lambda c: c["id"] == conversation and c["status"] == "closed")
    assert closed["status"] == "closed"
    await context.close()


BLOCK_STORAGE = """
if (location.pathname.startsWith("/widget/")) {
  Object.defineProperty(window, "localStorage", {
    get() { throw new DOMException("Access is denied for this document.", "SecurityError"); },
  });
}
"""


async def test_blocked_storage_falls_back_to_memory_and_says_so(
    server: Running, host_site: HostSite, tmp_path: Path, browser: Any
) -> None:
    """A browser that denies the cross-site iframe its storage: the widget works from memory, says a reload
    starts over, and offers the full page in a tab of its own."""
    from playwright.async_api import expect

    await officer_in(server)
    url = host_site.page("/", f"<main><h1>Exempelskolan</h1></main>{embed(server)}")
    context = await browser.new_context(viewport=PHONE, locale="sv-SE")
    await context.add_init_script(BLOCK_STORAGE)
    page = await context.new_page()
    await page.goto(url)
    await page.get_by_role("button", name="Chatta med polisen").click()
    widget = page.frame_locator("iframe")
    await widget.get_by_test_id("room-input").fill("Hej utan lagring")
    await widget.get_by_test_id("room-send").click()
    await expect(widget.get_by_test_id("room-log").locator("[data-status=sent]")).to_contain_text("Hej utan lagring")
    await widget.get_by_test_id("tab-chat").click()
    notice = widget.get_by_test_id("storage-notice")
    await expect(notice).to_contain_text("Laddar du om sidan")
    own_tab = notice.get_by_test_id("own-tab")
    href = await own_tab.get_attribute("href")
    assert href == f"{server.url}/widget/?room=ostersund&lang=sv"
    await shot(page, "storage-blocked", tmp_path)
    await widget.get_by_test_id("privacy-open").click()
    await expect(widget.get_by_test_id("storage-mode")).to_have_attribute("data-mode", "blocked")
    await context.close()


async def test_demo_host_page(server: Running, tmp_path: Path, browser: Any) -> None:
    """The demo page embeds the widget with the loader and links the full page for links and QR codes;
    on a phone the open widget fills the screen."""
    from playwright.async_api import expect

    await officer_in(server)
    for viewport, suffix in ((PHONE, ""), (SMALL, "-320")):
        context = await browser.new_context(viewport=viewport, locale="sv-SE", has_touch=True, is_mobile=True)
        page = await context.new_page()
        await page.goto(f"{server.url}/demo/")
        await expect(page.get_by_role("link", name="/widget/?room=ostersund")).to_be_visible()
        launcher = page.get_by_role("button", name="Chatta med polisen")
        await expect(launcher).to_be_in_viewport(ratio=1)
        await shot(page, f"closed{suffix}", tmp_path)
        await launcher.click()
        widget = page.frame_locator("iframe")
        await expect(widget.get_by_test_id("status")).to_contain_text("Poliser online: 1")
        box = await page.locator("iframe").bounding_box()
        assert box == {"x": 0, "y": 0, "width": viewport["width"], "height": viewport["height"]}, box
        await shot(page, f"open{suffix}", tmp_path)
        await context.close()
