"""Where the moderation library plugs into the service: text in, signals out.

The defaults find nothing; app.py passes the moderation library's functions.
"""

from __future__ import annotations

from collections.abc import Callable

RiskSignals = Callable[[str], frozenset[str]]
PiiSpans = Callable[[str], list[tuple[int, int, str]]]


def no_risk_signals(_text: str) -> frozenset[str]:
    return frozenset()


def no_pii_spans(_text: str) -> list[tuple[int, int, str]]:
    return []
