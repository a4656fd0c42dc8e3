"""The service's use of the moderation library: what a verdict means for a message."""

from __future__ import annotations

from typing import Any

import moderation
from moderation import Action, Verdict
from moderation.engine import default_moderator
from server.events import Category

# Most serious first: a message with several signals is reported under the first that applies.
RISK_TO_CATEGORY: dict[str, Category] = {
    "risk.weapon": "violence",
    "risk.violence": "violence",
    "risk.crime_in_progress": "violence",
    "risk.sexual_exploitation": "online_crime",
    "risk.self_harm": "unsafe",
    "risk.party": "party",
    "risk.unsafe": "unsafe",
}
# Risk signals that mean something may be happening right now.
NOW_RISKS = frozenset({"risk.crime_in_progress", "risk.party", "risk.weapon", "risk.violence", "risk.self_harm"})


def load_rules() -> None:
    """Load the lexicons now (from disk), at start-up, instead of on the first message."""
    default_moderator()


def screen(text: str, context: str) -> Verdict:
    return moderation.analyze(text, context=context)


def risk_signals(text: str) -> frozenset[str]:
    """The hook for triage priority: the risk flags of a text."""
    return frozenset(f for f in screen(text, "youth_private").flags if f.startswith("risk."))


def pii_spans(text: str) -> list[tuple[int, int, str]]:
    """The hook for masking in review: where personal data is in a text."""
    return [(s.start, s.end, s.flag) for s in screen(text, "youth_private").spans if s.flag.startswith("pii.")]


def blocked(verdict: Verdict) -> bool:
    return verdict.action == Action.BLOCK


def held(verdict: Verdict) -> bool:
    return verdict.action == Action.HOLD


def risks(verdict: Verdict) -> list[str]:
    return sorted(f for f in verdict.flags if f.startswith("risk."))


def report_category(flags: list[str]) -> Category:
    for flag, category in RISK_TO_CATEGORY.items():
        if flag in flags:
            return category
    return "other"


def explain(verdict: Verdict) -> str:
    return " ".join(verdict.reasons) or "the message was not accepted"


def details(verdict: Verdict) -> dict[str, Any]:
    """What a client needs to show why: flags, spans into the text, readable reasons."""
    return {
        "action": str(verdict.action),
        "flags": sorted(verdict.flags),
        "spans": [[s.start, s.end, s.flag] for s in verdict.spans],
        "reasons": list(verdict.reasons),
    }
