"""Precision and recall on the labelled sets in tests/moderation/data/.

tune.jsonl is the set the lexicons were tuned on. It includes the former held-out set, retired
into it in December 2026 because it had shaped rules (a phone number informed the phone
detector; some rule alternatives mattered only for its rows): its figures were no unseen-data
estimate (issue #25).

heldout-2026-12.jsonl is the held-out set now: 212 messages written for it by someone who had
not read the rules, never used to change a rule, never quoted in rules, tests or commits. It is
pinned by its checksum: any edit fails `test_the_held_out_set_is_unchanged`. Whoever tunes the
rules does not read it; a rule change is measured on it afterwards, never made from it.

The floors see both kinds of error: recall per family (misses), and precision per family with a
ceiling on harmless messages raising each family (over-flagging) — a moderator that flagged
everything would pass recall floors alone.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from moderation import Action, Moderator
from moderation.evaluation import Report, evaluate, load
from moderation.verdict import Verdict

DATA = Path(__file__).with_name("data")
HELD_OUT = "heldout-2026-12.jsonl"
HELD_OUT_SHA256 = "d07704088f02094747fee84f00a7f9f93d6a108a85717b2eb480ce0279508ed4"


def _report(moderator: Moderator, name: str) -> Report:
    report = evaluate(load(DATA / name), moderator.analyze)
    print(f"\n{name}")
    for line in report.lines():
        print("  " + line)
    return report


def test_labelled_sets_are_large_enough() -> None:
    """The tuning set has at least 300 messages, the held-out set at least 200, both languages,
    and no message is in both."""
    tune, held_out = load(DATA / "tune.jsonl"), load(DATA / HELD_OUT)
    assert len(tune) >= 300
    assert len(held_out) >= 200
    assert {e.lang for e in tune} == {e.lang for e in held_out} == {"sv", "en"}
    assert not {e.text for e in tune} & {e.text for e in held_out}


def test_the_held_out_set_is_unchanged() -> None:
    """An edit to the held-out set (a row fixed to match the rules, a miss dropped) fails here. A
    set that must change is retired into the tuning set and a new one written."""
    digest = hashlib.sha256((DATA / HELD_OUT).read_bytes()).hexdigest()
    assert digest == HELD_OUT_SHA256, f"{HELD_OUT} was edited: retire it instead (docs/moderation.md)"


# Floors per set: recall and precision per family, and the most harmless messages that may raise
# each family. On the held-out set they are regression floors a little under its first reading
# (December 2026: risk recall 0.527, abuse 0.696, spam 0.889, pii 0.966; precision 0.96-1.00; 2 of
# 69 harmless messages raise risk), far under the targets of issue #17 (risk recall >= 0.95):
# they catch a change that makes things worse, and say nothing good about the rules.
RECALL = {
    "tune.jsonl": {"risk": 0.90, "pii": 0.95, "abuse": 0.80, "spam": 0.80},
    HELD_OUT: {"risk": 0.50, "pii": 0.90, "abuse": 0.65, "spam": 0.75},
}
PRECISION = {
    "tune.jsonl": {"risk": 0.95, "pii": 0.95, "abuse": 0.90, "spam": 0.80},
    HELD_OUT: {"risk": 0.90, "pii": 0.90, "abuse": 0.85, "spam": 0.70},
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


def test_held_out_set_meets_its_floors(moderator: Moderator) -> None:
    """On the held-out set: the family floors above, and every personnummer, phone number and
    e-mail address found."""
    report = _report(moderator, HELD_OUT)
    assert shortfalls(report, HELD_OUT) == []
    for flag in ("pii.personnummer", "pii.phone", "pii.email"):
        assert report.flags[flag].recall >= 0.95, flag


@pytest.mark.parametrize("name", ["tune.jsonl", HELD_OUT])
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


@pytest.mark.parametrize("name", ["tune.jsonl", HELD_OUT])
def test_every_row_names_known_flags(name: str) -> None:
    """Every expected flag in the data belongs to one of the four families and every context exists."""
    for example in load(DATA / name):
        assert example.families <= {"risk", "pii", "abuse", "spam"}, example.text
        assert example.context in {"youth_public", "youth_private", "staff_public", "nickname"}
