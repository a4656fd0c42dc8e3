"""Precision and recall on the labelled sets in tests/moderation/data/.

tune.jsonl is the set the lexicons were tuned on; holdout.jsonl was written before tuning and
never used to change a rule, so its figures estimate how the rules do on unseen messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from moderation import Moderator
from moderation.evaluation import Report, evaluate, load

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


def test_tuned_set_meets_the_targets(moderator: Moderator) -> None:
    """On the tuning set: risk recall ≥ 0.90, ≤ 5 % harmless raise risk, PII recall ≥ 0.95, abuse ≥ 0.80."""
    report = _report(moderator, "tune.jsonl")
    assert report.families["risk"].recall >= 0.90
    assert report.harmless_risk_rate <= 0.05
    for flag in ("pii.personnummer", "pii.phone", "pii.email"):
        assert report.flags[flag].recall >= 0.95, flag
    assert report.harmless_with_pii == []
    assert report.families["abuse"].recall >= 0.80


def test_held_out_set_meets_the_family_targets(moderator: Moderator) -> None:
    """On the held-out set: risk recall ≥ 0.90, ≤ 5 % harmless raise risk, abuse ≥ 0.80, no PII on harmless."""
    report = _report(moderator, "holdout.jsonl")
    assert report.families["risk"].recall >= 0.90
    assert report.harmless_risk_rate <= 0.05
    assert report.families["abuse"].recall >= 0.80
    assert report.harmless_with_pii == []
    # Small support (5–6 each): one miss is 17 %, so the floor here is lower than on the tuning set.
    for flag in ("pii.personnummer", "pii.phone", "pii.email"):
        assert report.flags[flag].recall >= 0.80, flag
    # Phone numbers have their own target (issue #5): every held-out number is found.
    assert report.flags["pii.phone"].recall >= 0.95


@pytest.mark.parametrize("name", ["tune.jsonl", "holdout.jsonl"])
def test_every_row_names_known_flags(name: str) -> None:
    """Every expected flag in the data belongs to one of the four families and every context exists."""
    for example in load(DATA / name):
        assert example.families <= {"risk", "pii", "abuse", "spam"}, example.text
        assert example.context in {"youth_public", "youth_private", "staff_public", "nickname"}
