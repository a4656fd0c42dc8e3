"""Measure the moderation on a labelled set: precision and recall per flag family and per flag.

A labelled set is JSON Lines, one message a line::

    {"text": "...", "lang": "sv", "context": "youth_public", "expect": ["risk.self_harm"]}

``expect`` lists the flags (or whole families, written "risk.") the message should raise; an
empty list marks a harmless message. Run it on any set, e.g. a held-out one kept elsewhere::

    python -m moderation.evaluation path/to/set.jsonl
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from moderation.verdict import Verdict

FAMILIES = ("risk", "pii", "abuse", "spam")
PII_FLAGS = ("pii.personnummer", "pii.phone", "pii.email", "pii.address", "pii.case_number")


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled message."""

    text: str
    expect: frozenset[str]
    context: str = "youth_public"
    lang: str = "sv"

    @property
    def families(self) -> frozenset[str]:
        """Families the message should raise."""
        return frozenset(flag.split(".", 1)[0] for flag in self.expect)


@dataclass(slots=True)
class Score:
    """Counts for one flag or family."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Share of raised flags that were expected (1.0 when none were raised)."""
        raised = self.true_positive + self.false_positive
        return self.true_positive / raised if raised else 1.0

    @property
    def recall(self) -> float:
        """Share of expected flags that were raised (1.0 when none were expected)."""
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0

    @property
    def support(self) -> int:
        """How many messages expected this flag."""
        return self.true_positive + self.false_negative


@dataclass(slots=True)
class Report:
    """Scores of one run over a labelled set."""

    families: dict[str, Score]
    flags: dict[str, Score]
    harmless: int
    # Harmless messages (nothing expected) that raised each family.
    harmless_raising: dict[str, list[str]]

    @property
    def harmless_with_risk(self) -> list[str]:
        return self.harmless_raising["risk"]

    @property
    def harmless_with_pii(self) -> list[str]:
        return self.harmless_raising["pii"]

    def harmless_rate(self, family: str) -> float:
        """Share of harmless messages that raised any flag of ``family``."""
        return len(self.harmless_raising[family]) / self.harmless if self.harmless else 0.0

    @property
    def harmless_risk_rate(self) -> float:
        """Share of harmless messages that raised any ``risk.`` flag."""
        return self.harmless_rate("risk")

    def lines(self) -> list[str]:
        """The report as printable lines."""
        out = [f"{'':24} {'precision':>9} {'recall':>7} {'support':>7}"]
        for name, score in [*self.families.items(), *self.flags.items()]:
            out.append(f"{name:24} {score.precision:9.3f} {score.recall:7.3f} {score.support:7d}")
        raising = "; ".join(
            f"{family} {len(texts)} ({self.harmless_rate(family):.1%})"
            for family, texts in self.harmless_raising.items()
        )
        out.append(f"harmless messages ({self.harmless}) raising: {raising}")
        return out


def load(path: Path | str) -> list[Example]:
    """Read a JSON Lines labelled set."""
    examples: list[Example] = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            examples.append(
                Example(
                    text=str(row["text"]),
                    expect=frozenset(row.get("expect", ())),
                    context=str(row.get("context", "youth_public")),
                    lang=str(row.get("lang", "sv")),
                )
            )
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}:{number}: {error}") from error
    return examples


def evaluate(examples: Iterable[Example], analyze: Callable[..., Verdict]) -> Report:
    """Run ``analyze`` over the examples and score it per family and per PII flag."""
    families = {family: Score() for family in FAMILIES}
    flags = {flag: Score() for flag in PII_FLAGS}
    harmless = 0
    harmless_raising: dict[str, list[str]] = {family: [] for family in FAMILIES}
    for example in examples:
        verdict = analyze(example.text, context=example.context)
        for family, score in families.items():
            _count(score, family in example.families, family in verdict.families, example.text)
        for flag, score in flags.items():
            expected = flag in example.expect
            _count(score, expected, flag in verdict.flags, example.text)
        if not example.expect:
            harmless += 1
            for family in FAMILIES:
                if family in verdict.families:
                    harmless_raising[family].append(example.text)
    return Report(families, flags, harmless, harmless_raising)


def _count(score: Score, expected: bool, raised: bool, text: str) -> None:
    if expected and raised:
        score.true_positive += 1
    elif expected:
        score.false_negative += 1
        score.misses.append(text)
    elif raised:
        score.false_positive += 1
        score.false_alarms.append(text)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report for each labelled set named on the command line."""
    # Imported here so that `import moderation.evaluation` does not compile the rules.
    from moderation import analyze

    paths = list(sys.argv[1:] if argv is None else argv)
    if not paths:
        print("usage: python -m moderation.evaluation SET.jsonl [SET.jsonl …]", file=sys.stderr)  # noqa: T201
        return 2
    for path in paths:
        report = evaluate(load(path), analyze)
        print(path)  # noqa: T201
        for line in report.lines():
            print("  " + line)  # noqa: T201
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
