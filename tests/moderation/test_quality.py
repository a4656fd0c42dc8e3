"""Precision and recall on the labelled sets in tests/moderation/data/.

tune.jsonl is the set the lexicons were tuned on; holdout.jsonl was written before tuning. It is
no longer a clean held-out set: one of its phone numbers informed the phone detector, and some
rule alternatives matter only for its rows (issue #25, which retires it into the tuning set and
replaces it). Its figures are not an unseen-data estimate.

The floors see both kinds of error: recall per family (misses), and precision per family with a
ceiling on harmless messages raising each family (over-flagging) — a moderator that flagged
everything would pass recall floors alone.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from moderation import Action, Moderator
from moderation.evaluation import Report, evaluate, load
from moderation.verdict import Verdict

DATA = Path(__file__).with_name("data")


def _report(moderator: Moderator, name: str) -> Report:
    report = evaluate(load(DATA / name), moderator.analyze)
    print(f"\n{name}")
    for line in report.lines():
        print("  " + line)
    return report


def test_labelled_sets_are_large_enough() -> None:
    """The tuning set has at least 300 messages, the held-out set at least 100, both languages."""
    tune, holdout = load(DATA / "tune.jsonl"), load(DATA / "holdout.jsonl")
    assert len(tune) >= 300
    assert len(holdout) >= 100
    assert {e.lang for e in tune} == {"sv", "en"}
    assert not {e.text for e in tune} & {e.text for e in holdout}


# Floors per set: recall and precision per family, and the most harmless messages that may raise
# each family. The held-out set's are lower where its support is small (5–19 rows a family: one
# miss is 5–20 %). Measured now: tuning precision 0.98–1.00, recall 1.00; held-out precision
# 0.98–1.00, recall 0.94–1.00; one harmless message in each set raises risk, none anything else.
RECALL = {
    "tune.jsonl": {"risk": 0.90, "pii": 0.95, "abuse": 0.80, "spam": 0.80},
    "holdout.jsonl": {"risk": 0.90, "pii": 0.90, "abuse": 0.80, "spam": 0.80},
}
PRECISION = {
    "tune.jsonl": {"risk": 0.95, "pii": 0.95, "abuse": 0.90, "spam": 0.80},
    "holdout.jsonl": {"risk": 0.90, "pii": 0.90, "abuse": 0.85, "spam": 0.70},
}
HARMLESS_RAISING = {"risk": 0.05, "pii": 0.0, "abuse": 0.03, "spam": 0.03}


def shortfalls(report: Report, name: str) -> list[str]:
    """Every floor or ceiling the report misses, as readable lines (none: it meets them all)."""
    out = []
    for family, floor in RECALL[name].items():
        if report.families[family].recall < floor:
            out.append(f"{family} recall {report.families[family].recall:.3f} < {floor}")
    for family, floor in PRECISION[name].items():
        if report.families[family].precision < floor:
            out.append(f"{family} precision {report.families[family].precision:.3f} < {floor}")
    for family, ceiling in HARMLESS_RAISING.items():
        if report.harmless_rate(family) > ceiling:
            out.append(f"harmless raising {family} {report.harmless_rate(family):.1%} > {ceiling:.0%}")
    return out


def test_tuned_set_meets_the_targets(moderator: Moderator) -> None:
    """On the tuning set: the family floors above, and PII recall ≥ 0.95 per kind."""
    report = _report(moderator, "tune.jsonl")
    assert shortfalls(report, "tune.jsonl") == []
    for flag in ("pii.personnummer", "pii.phone", "pii.email"):
        assert report.flags[flag].recall >= 0.95, flag


def test_held_out_set_meets_the_family_targets(moderator: Moderator) -> None:
    """On the held-out set: the family floors above, and PII recall ≥ 0.80 per kind."""
    report = _report(moderator, "holdout.jsonl")
    assert shortfalls(report, "holdout.jsonl") == []
    # Small support (5–6 each): one miss is 17 %, so the floor here is lower than on the tuning set.
    for flag in ("pii.personnummer", "pii.phone", "pii.email"):
        assert report.flags[flag].recall >= 0.80, flag
    # Phone numbers have their own target (issue #5): every held-out number is found.
    assert report.flags["pii.phone"].recall >= 0.95


@pytest.mark.parametrize("name", ["tune.jsonl", "holdout.jsonl"])
def test_a_moderator_that_flags_everything_misses_the_floors(moderator: Moderator, name: str) -> None:
    """The floors can see over-flagging: the real moderator plus `abuse.insult` and `spam.scam` on
    every message (held) would meet every recall floor, and fails on precision and harmless
    messages (the recall-only floors let it pass)."""

    def flag_everything(text: str, **kwargs: Any) -> Verdict:
        verdict = moderator.analyze(text, **kwargs)
        return replace(verdict, action=Action.HOLD, flags=verdict.flags | {"abuse.insult", "spam.scam"})

    report = evaluate(load(DATA / name), flag_everything)
    missed = shortfalls(report, name)
    assert any(line.startswith("abuse precision") for line in missed), missed
    assert any(line.startswith("spam precision") for line in missed), missed
    assert any(line.startswith("harmless raising abuse") for line in missed), missed
    assert not any("recall" in line for line in missed), missed


@pytest.mark.parametrize("name", ["tune.jsonl", "holdout.jsonl"])
def test_every_row_names_known_flags(name: str) -> None:
    """Every expected flag in the data belongs to one of the four families and every context exists."""
    for example in load(DATA / name):
        assert example.families <= {"risk", "pii", "abuse", "spam"}, example.text
        assert example.context in {"youth_public", "youth_private", "staff_public", "nickname"}
