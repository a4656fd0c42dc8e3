"""Q&A sessions and neighbourhood notices in real Chromium: the patrol console, the supervisor
page and the widget of two young people, all against one running server."""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from server.config import Settings
from tests.conftest import Officer, Running
from tests.test_browser import CHROMIUM_ARGS, DIST, chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"])]

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "webclient" / "node_modules" / "axe-core" / "axe.min.js"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
PHONE = {"width": 390, "height": 800}
DESKTOP = {"width": 1360, "height": 900}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    if not (DIST / "widget.js").is_file():
        pytest.fail("webclient/dist is not built: run `make build` (make test does)")
    return replace(settings, static_dir=DIST)


def local_input(at: dt.datetime) -> str:
    """A moment as an <input type=datetime-local> value in Swedish time."""
    return at.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: docs/screenshots/ with KVARTER_SCREENSHOTS=1, else beside the test."""
    if os.environ.get("KVARTER_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        return SHOTS
    return tmp_path


async def axe(page: Any, within: str, state: str) -> None:
    """axe-core (WCAG 2.1 A/AA and best practice) on the part of the page this test is about;
    fails on serious or critical findings."""
    await page.add_script_tag(path=str(AXE))
    violations = await page.evaluate(
        """async (within) => {
            const result = await axe.run({ include: [within] }, {
                runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
            });
            return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(" ")),
            }));
        }""",
        within,
    )
    bad = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe, {state}: {json.dumps(bad, ensure_ascii=False, indent=1)}"


async def console_login(browser: Any, server: Running, officer: Officer) -> Any:
    # bypass_csp: axe is injected as a script tag; the pages' own code runs under the CSP as usual.
    page = await (await browser.new_context(viewport=DESKTOP, bypass_csp=True)).new_page()
    await page.goto(f"{server.url}/console/")
    await page.get_by_test_id("login-username").fill(officer.username)
    await page.get_by_test_id("login-password").fill(officer.password)
    await page.get_by_test_id("login-submit").click()
    return page


async def widget(browser: Any, server: Running) -> Any:
    page = await (await browser.new_context(viewport=PHONE, locale="sv-SE", bypass_csp=True)).new_page()
    await page.goto(f"{server.url}/widget/?room=ostersund")
    return page


async def test_qa_session_host_and_two_young_people(server: Running, shots: Path) -> None:
    """The host schedules a live session; A asks (identifying herself), the host rewords and approves
    it; B sees it, votes once; the host answers and both young people see the answer live."""
    from playwright.async_api import async_playwright, expect

    officer = await server.officer()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            console = await console_login(browser, server, officer)
            await console.get_by_test_id("duty-room-ostersund").check()
            await console.get_by_test_id("duty-start").click()
            await expect(console.get_by_test_id("room-log-ostersund")).to_be_visible()

            youth_a, youth_b = await widget(browser, server), await widget(browser, server)
            await console.get_by_test_id("section-qa").click()
            now = dt.datetime.now(dt.UTC)
            await console.get_by_test_id("qa-room").select_option("ostersund")
            await console.get_by_test_id("qa-title").fill("Fråga polisen om fester och helgen")
            description = "Vi svarar på era frågor om fester, alkohol och helgen."
            await console.get_by_test_id("qa-description").fill(description)
            await console.get_by_test_id("qa-starts").fill(local_input(now - dt.timedelta(minutes=1)))
            await console.get_by_test_id("qa-ends").fill(local_input(now + dt.timedelta(minutes=60)))
            await console.get_by_test_id("qa-schedule-submit").click()
            item = console.locator("[data-testid^=qa-session-]")
            await expect(item).to_have_count(1)
            session_id = (await item.get_attribute("data-testid") or "").removeprefix("qa-session-")
            await item.get_by_test_id("qa-open").click()
            await expect(console.get_by_test_id("qa-queue")).to_be_attached()

            # Both young people see the live session announced in their room, and open it.
            for youth in (youth_a, youth_b):
                banner = youth.get_by_test_id(f"qa-banner-{session_id}")
                await expect(banner).to_contain_text("Pågår nu — Fråga polisen om fester och helgen")
                if youth is youth_a:
                    await youth.screenshot(path=str(shots / "qa-widget-banner.png"))
                await banner.click()
                await expect(youth.get_by_test_id("qa-view")).to_be_visible()
            await youth_b.screenshot(path=str(shots / "qa-widget-empty.png"))

            asked = "Jag går i 8B på Björkskolan. Vad händer om man blir tagen med alkohol på en fest?"
            await youth_a.get_by_test_id("qa-input").fill(asked)
            await youth_a.get_by_test_id("qa-ask").click()
            await expect(youth_a.get_by_test_id("qa-mine")).to_contain_text("Väntar på att polisen läser frågan")

            pending = console.locator("[data-testid^=qa-pending-]")
            await expect(pending).to_contain_text("Björkskolan")
            reworded = "Vad händer om man blir tagen med alkohol på en fest?"
            await pending.get_by_test_id("qa-edit").fill(reworded)
            await expect(pending.get_by_test_id("qa-approve")).to_have_text("Godkänn ändrad")
            await console.screenshot(path=str(shots / "qa-console-review.png"))
            await axe(console, "[data-testid=qa-panel]", "console, a question to review")
            await pending.get_by_test_id("qa-approve").click()
            told = f"Godkänd och omskriven så att ingen kan se vem som frågade: ”{reworded}”"
            await expect(youth_a.get_by_test_id("qa-mine")).to_contain_text(told)

            # A second question is rejected: only A learns why.
            await youth_a.get_by_test_id("qa-input").fill("Är ni dumma eller?")
            await youth_a.get_by_test_id("qa-ask").click()
            await expect(pending).to_contain_text("Är ni dumma eller?")
            await pending.get_by_test_id("qa-reject").click()
            await pending.get_by_test_id("qa-reason").fill("Ställ gärna en fråga om något som rör polisen.")
            await pending.get_by_test_id("qa-reject-confirm").click()
            await expect(pending).to_have_count(0)
            mine = youth_a.locator("[data-testid^=qa-mine-][data-status=rejected]")
            await expect(mine).to_contain_text("Inte publicerad: Ställ gärna en fråga om något som rör polisen.")

            # B sees only the reworded question, votes once; A cannot vote for her own.
            question = youth_b.locator("[data-testid^=qa-q-]")
            await expect(question).to_contain_text(reworded)
            await expect(youth_b.get_by_test_id("qa-questions")).not_to_contain_text("Björkskolan")
            await expect(youth_b.get_by_test_id("qa-view")).not_to_contain_text("dumma")
            await expect(youth_a.locator("[data-testid^=qa-q-]")).to_contain_text("Din fråga")
            await expect(youth_a.get_by_test_id("qa-vote")).to_have_count(0)
            await question.get_by_test_id("qa-vote").click()
            await expect(question.get_by_test_id("qa-vote")).to_be_disabled()
            await expect(question.get_by_test_id("qa-vote")).to_have_text("Du har röstat")
            await expect(question.get_by_test_id("qa-votes")).to_have_text("Röster: 1")
            public = console.locator("[data-testid^=qa-public-]")
            await expect(public).to_contain_text("Röster: 1")

            answer = (
                "Polisen häller ut alkoholen och kontaktar dina vårdnadshavare. "
                "Är du under 18 kan socialtjänsten få veta."
            )
            await public.get_by_test_id("qa-answer-input").fill(answer)
            await public.get_by_test_id("qa-answer-send").click()
            for youth in (youth_a, youth_b):
                await expect(youth.get_by_test_id("qa-answer")).to_contain_text(answer)
            await expect(public.get_by_test_id("qa-answer")).to_contain_text(answer)
            await youth_b.screenshot(path=str(shots / "qa-widget.png"))
            await youth_a.screenshot(path=str(shots / "qa-widget-mine.png"), full_page=True)
            await console.screenshot(path=str(shots / "qa-console.png"))
            await axe(youth_a, "body", "widget, Q&A view with an answer")

            await youth_b.get_by_test_id("qa-back").click()
            await expect(youth_b.get_by_test_id("room-log")).to_be_visible()
        finally:
            await browser.close()


async def test_notice_review_pin_and_tip(server: Running, shots: Path) -> None:
    """An officer drafts two notices (the secrecy check marks a case number in one); a supervisor
    sends that one back and approves the other; it appears pinned in the widget, live; a young
    person's tip reaches the author's console, and the supervisor sees the notice's history."""
    from playwright.async_api import async_playwright, expect

    author = await server.officer()
    supervisor = await server.officer(role="supervisor")  # enrolled in two-factor login by the helper
    clean = "Pågående händelse vid Stortorget – har du sett något? Ring 112."
    secret = "Gäller ärende 5000-K123456-24 vid Stortorget. Ring 112."
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            console = await console_login(browser, server, author)
            await console.get_by_test_id("section-notices").click()
            await console.get_by_test_id("notice-room").select_option("ostersund")
            await console.get_by_test_id("notice-body").fill(secret)
            await console.get_by_test_id("notice-send").click()
            await expect(console.get_by_test_id("notice-verdict")).to_contain_text("Ärendenummer")
            await expect(console.get_by_test_id("notice-marked").locator("mark")).to_have_text("5000-K123456-24")
            await console.screenshot(path=str(shots / "notice-console-secrecy.png"))
            await console.get_by_test_id("notice-body").fill(clean)
            await console.get_by_test_id("notice-send").click()
            await expect(console.get_by_test_id("notice-verdict")).to_contain_text("hittade inget")
            await expect(console.locator("[data-testid^=notice-item-][data-status=pending]")).to_have_count(2)

            youth = await widget(browser, server)
            await expect(youth.get_by_test_id("room-log")).to_be_visible()
            await expect(youth.get_by_test_id("notices")).to_have_count(0)

            review_ctx = await browser.new_context(viewport=DESKTOP, bypass_csp=True)
            name, _, value = supervisor.cookie.partition("=")
            await review_ctx.add_cookies([{"name": name, "value": value, "url": server.url}])
            review = await review_ctx.new_page()
            await review.goto(f"{server.url}/supervisor/#notices")
            items = review.locator("[data-testid^=review-item-]")
            await expect(items).to_have_count(2)
            flagged = items.filter(has_text="5000-K123456-24")
            await expect(flagged.get_by_test_id("review-secrecy")).to_contain_text("Ärendenummer")
            await expect(items.filter(has_text="Pågående händelse").get_by_test_id("review-secrecy")).to_contain_text(
                "hittade inget"
            )
            await review.screenshot(path=str(shots / "notice-supervisor.png"), full_page=True)
            await axe(review, "[data-testid=notice-review]", "supervisor, notices to review")
            await flagged.get_by_test_id("review-reject").click()
            await expect(flagged.get_by_role("alert")).to_contain_text("Skriv vad som ska ändras")
            await flagged.get_by_test_id("review-comment").fill("Ta bort ärendenumret.")
            await flagged.get_by_test_id("review-reject").click()
            await items.filter(has_text="Pågående händelse").get_by_test_id("review-approve").click()
            await expect(items).to_have_count(0)

            # Pinned in the widget at once; the author learns both decisions.
            notice = youth.locator("[data-testid^=notice-]").filter(has_text=clean)
            await expect(notice).to_contain_text("Från polisen")
            await expect(youth.get_by_test_id("notices")).not_to_contain_text("5000-K123456-24")
            news = console.get_by_test_id("notice-news")
            await expect(news).to_contain_text("Publicerad")
            await expect(news).to_contain_text("Ta bort ärendenumret.")

            await notice.get_by_test_id("tip-open").click()
            await expect(notice).to_contain_text("Ring 112 om det är akut")
            tip = "Jag såg två personer springa mot busshållplatsen vid 21-tiden."
            await notice.get_by_test_id("tip-body").fill(tip)
            await youth.screenshot(path=str(shots / "notice-widget-tip.png"))
            await axe(youth, "body", "widget, a pinned notice with the tip form")
            await notice.get_by_test_id("tip-send").click()
            await expect(notice.get_by_test_id("tip-thanks")).to_be_visible()
            await youth.screenshot(path=str(shots / "notice-widget.png"))

            await expect(console.get_by_test_id("section-tips")).to_have_text("Nya tips: 1")
            published = console.locator("[data-testid^=notice-item-][data-status=published]")
            await expect(published.get_by_test_id("notice-tips-new")).to_have_text("Nya: 1")
            await published.get_by_test_id("notice-tips-toggle").click()
            await expect(published.get_by_test_id("notice-tip")).to_contain_text(tip)
            await expect(console.get_by_test_id("section-tips")).to_have_count(0)
            await console.screenshot(path=str(shots / "notice-console.png"))
            await axe(console, "[data-testid=notices-panel]", "console, my notices with a tip")

            await review.get_by_test_id("review-room").select_option("ostersund")
            row = review.locator("[data-testid^=review-room-]").filter(has_text=clean)
            await row.get_by_test_id("review-history").click()
            history = row.get_by_test_id("review-history-list")
            await expect(history).to_contain_text("Skrev notisen")
            await expect(history).to_contain_text("Godkände och publicerade")
            await expect(history.get_by_test_id("review-tip-count")).to_have_text("Tips som kommit in: 1")
        finally:
            await browser.close()
