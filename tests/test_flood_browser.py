"""Abuse seen in real Chromium: the console folds a flood into one "likely flood" item below a real
report; a young person whose report is not taken now still sees the 112 card first; bidi
controls in a message are shown, not obeyed."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from server.config import Settings
from tests.clients import cid
from tests.conftest import Running
from tests.test_shift_browser import console_on_duty
from tests.test_widget_browser import DIST, patient_expect, shot  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("backend", ["sqlite"])]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    if not (DIST / "widget.js").is_file():
        pytest.fail("webclient/dist is not built: run `make build` (make test does)")
    return replace(settings, static_dir=DIST, widget_frame_ancestors="*", anonymous_burst=Settings.anonymous_burst)


async def test_a_flood_is_one_item_and_a_refused_report_still_shows_112(
    server: Running, chromium: Any, tmp_path: Path
) -> None:
    from playwright.async_api import expect

    console = await console_on_duty(chromium, server, await server.officer())
    for _ in range(Settings.anonymous_burst):
        youth = await server.youth()
        body = {"room": "ostersund", "client_id": cid(), "category": "violence", "happening_now": True}
        await youth.ok("report:submit", {**body, "body": "Våld händer nu, han har en kniv"})
        await youth.disconnect()
    burst = console.get_by_test_id("triage-burst")
    await expect(burst).to_have_attribute("data-flood", "true")
    await expect(burst).to_contain_text(f"Samma text från {Settings.anonymous_burst} unga")
    await shot(console, "console-flood", tmp_path)

    ctx = await chromium.new_context(viewport={"width": 360, "height": 740})
    widget = await ctx.new_page()
    await widget.goto(f"{server.url}/widget/?room=ostersund")
    await widget.get_by_role("button", name="Något händer nu – rapportera").click()
    await widget.get_by_test_id("report-category-violence").check()
    await widget.get_by_test_id("report-now-yes").check()
    await widget.get_by_test_id("report-body").fill("Någon hotar oss med en kniv")
    await widget.get_by_test_id("report-submit").click()
    guidance = widget.get_by_test_id("risk-guidance-report")
    await expect(guidance).to_be_visible()
    await expect(guidance.locator("[data-kind]").first).to_have_attribute("data-kind", "112")
    await expect(widget.get_by_test_id("report-body")).to_have_value("Någon hotar oss med en kniv")
    await shot(widget, "report-refused-112", tmp_path)


async def test_bidi_controls_in_a_message_are_shown_not_obeyed(server: Running, chromium: Any) -> None:
    """A room message with a right-to-left override reads as written, the override shown as [RLO]."""
    from playwright.async_api import expect

    writer = await server.youth()
    await writer.ok("room:join", {"room": "ostersund"})
    await writer.ok("room:send", {"room": "ostersund", "client_id": cid(), "body": "Ring \u202e211 om det är akut"})
    ctx = await chromium.new_context(viewport={"width": 360, "height": 740})
    widget = await ctx.new_page()
    await widget.goto(f"{server.url}/widget/?room=ostersund")
    body = widget.get_by_test_id("room-log").locator(".message-body").last
    await expect(body).to_have_text("Ring [RLO]211 om det är akut")
    assert await body.get_attribute("dir") == "auto"
