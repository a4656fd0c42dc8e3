"""Priority levels and guidance cards: pure rules, and the editable card file's validation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from server.services import guidance, priority
from server.services.guidance import Guidance, GuidanceError


@pytest.mark.parametrize(
    ("category", "now", "risks", "label", "danger"),
    [
        ("violence", True, frozenset(), "P1", True),
        ("hurt", True, frozenset(), "P1", True),
        ("violence", False, frozenset(), "P2", False),
        ("party", True, frozenset(), "P2", True),
        ("online_crime", False, frozenset(), "P2", False),
        ("party", False, frozenset(), "P3", False),
        ("unsafe", True, frozenset(), "P2", False),
        ("other", False, frozenset(), "P4", False),
        ("other", True, frozenset({"risk.weapon"}), "P1", True),
        ("other", False, frozenset({"risk.self_harm"}), "P2", False),
        ("other", False, frozenset({"abuse.insult"}), "P4", False),
    ],
)
def test_priority_levels(category: str, now: bool, risks: frozenset[str], label: str, danger: bool) -> None:
    """Each combination of category, happening-now and risk signals gets its documented level."""
    result = priority.assess(category, now, risks)
    assert result.label == label
    assert result.danger_now is danger
    assert result.reasons[0] == f"category:{category}"
    assert ("happening_now" in result.reasons) is now


def test_guidance_cards_for_reports() -> None:
    """112 first when someone may be in danger; 112 and 114 14 whenever nobody is on duty."""
    assert guidance.for_report(category="party", danger_now=True, staffed=True) == ["112"]
    assert guidance.for_report(category="other", danger_now=False, staffed=True) == ["11414"]
    assert guidance.for_report(category="unsafe", danger_now=False, staffed=False) == ["112", "11414", "bris", "mind"]


def test_shipped_guidance_file_has_every_card_in_both_languages() -> None:
    """The data file loads and gives each required card in Swedish and English."""
    cards = Guidance.load()
    for kind in guidance.REQUIRED_KINDS:
        assert cards.card(kind, "sv")["title"] != cards.card(kind, "en")["title"]
    assert cards.card("bris", "sv")["tel"] == "116111"
    assert cards.card("mind", "en")["tel"] == "90101"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["en"].pop("bris"), "lacks cards bris"),
        (lambda d: d["sv"]["112"].update(tel="ring mig"), "tel"),
        (lambda d: d["sv"]["112"].update(url="javascript:alert(1)"), "url"),
        (lambda d: d["sv"]["112"].update(colour="red"), "colour"),
    ],
)
def test_a_broken_guidance_file_is_refused(tmp_path: Path, change: object, message: str) -> None:
    """A deployment's edited file is validated at start-up, with a message saying what is wrong."""
    data = json.loads(guidance.DEFAULT_FILE.read_text())
    change(data)  # type: ignore[operator]
    path = tmp_path / "guidance.json"
    path.write_text(json.dumps(data))
    with pytest.raises(GuidanceError, match=message):
        Guidance.load(path)
