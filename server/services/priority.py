"""Explainable urgency: a priority from P1 (most urgent) to P4, with the reasons for it."""

from __future__ import annotations

from dataclasses import dataclass

from server.services.hooks import RiskSignals, no_risk_signals

CATEGORIES = ("party", "violence", "hurt", "online_crime", "unsafe", "other")
BASE_LEVEL = {"violence": 2, "hurt": 2, "online_crime": 2, "party": 3, "unsafe": 3, "other": 4}
# Categories where "happening now" means someone may be in danger: the 112 card shows at once.
DANGER_CATEGORIES = frozenset({"violence", "hurt", "party"})
# Risk signals from the moderation library that make a report as urgent as violence.
SEVERE_RISKS = frozenset({"risk.violence", "risk.weapon", "risk.self_harm", "risk.crime_in_progress"})


@dataclass(frozen=True, slots=True)
class Assessment:
    level: int
    reasons: tuple[str, ...]
    danger_now: bool

    @property
    def label(self) -> str:
        return f"P{self.level}"


def assess(category: str, happening_now: bool, risks: frozenset[str]) -> Assessment:
    """Priority from category, happening-now and risk signals; every step leaves a reason code."""
    level = BASE_LEVEL[category]
    reasons = [f"category:{category}"]
    if happening_now:
        level -= 1
        reasons.append("happening_now")
    severe = sorted(risks & SEVERE_RISKS)
    if severe:
        level = min(level, 1 if happening_now else 2)
        reasons += [f"risk:{r.removeprefix('risk.')}" for r in severe]
    level = max(level, 1)
    return Assessment(level, tuple(reasons), danger_now(category, happening_now, level))


def danger_now(category: str, happening_now: bool, level: int) -> bool:
    """Someone may be in danger now: show the 112 card at once."""
    return happening_now and (category in DANGER_CATEGORIES or level == 1)


__all__ = ["RiskSignals", "assess", "danger_now", "no_risk_signals"]
