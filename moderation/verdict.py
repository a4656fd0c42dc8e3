"""The result of moderating one text: what to do, why, and where in the text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Action(StrEnum):
    """What the service should do with the text, from mildest to strictest."""

    ALLOW = "allow"
    WARN = "warn"
    HOLD = "hold"
    BLOCK = "block"

    @property
    def severity(self) -> int:
        """Rank used to pick the strictest action when several flags apply."""
        return _SEVERITY[self]


_SEVERITY = {Action.ALLOW: 0, Action.WARN: 1, Action.HOLD: 2, Action.BLOCK: 3}


class Context(StrEnum):
    """Where the text is going; the same words get different actions in different places."""

    YOUTH_PUBLIC = "youth_public"
    YOUTH_PRIVATE = "youth_private"
    STAFF_PUBLIC = "staff_public"
    NICKNAME = "nickname"


class Span(NamedTuple):
    """A flagged stretch of the original text: ``text[start:end]`` raised ``flag``."""

    start: int
    end: int
    flag: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """The moderation result for one text.

    ``flags`` are dotted names (``risk.weapon``, ``pii.phone``, ``abuse.slur``, ``spam.repeat``);
    ``spans`` point into the original text so a client can mask exactly what was flagged;
    ``reasons`` are short Swedish sentences a young person or an officer can read.
    """

    action: Action
    flags: frozenset[str]
    spans: tuple[Span, ...]
    reasons: tuple[str, ...]
    context: Context

    @property
    def families(self) -> frozenset[str]:
        """The flag families present, e.g. ``{"risk", "pii"}``."""
        return frozenset(flag.split(".", 1)[0] for flag in self.flags)

    def has(self, prefix: str) -> bool:
        """Whether any flag equals ``prefix`` or starts with it (``"pii."`` or ``"pii.phone"``)."""
        return any(flag == prefix or flag.startswith(prefix) for flag in self.flags)


def mask(text: str, spans: tuple[Span, ...] | list[Span], *, prefix: str = "pii.", fill: str = "•") -> str:
    """Return ``text`` with every span whose flag starts with ``prefix`` replaced by ``fill`` characters.

    The length of the text is kept, so offsets of other spans stay valid.
    """
    chosen = sorted((s for s in spans if s.flag.startswith(prefix)), key=lambda s: s.start)
    if not chosen:
        return text
    out: list[str] = []
    pos = 0
    for span in chosen:
        start = max(span.start, pos)
        if span.end <= start:
            continue
        out.append(text[pos:start])
        out.append(fill * (span.end - start))
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
