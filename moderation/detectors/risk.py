"""Risk: signs that someone may be in danger. Found by the lexicons; this module adds judgement.

- Dampeners (``[dampen]`` in the rules) drop a risk when the message is of a harmless kind, e.g.
  a general question ("hur många knivbrott var det i Malmö förra året?") with no one in it.
- A threat against a person is also a risk of violence, so officers see it in triage.
"""

from __future__ import annotations

from collections.abc import Iterable

from moderation.lexicon import Dampener, Match

# A flag that, when found, also raises another: officers triage on risk flags.
IMPLIED = {"abuse.threat": "risk.violence"}


def _matches_prefix(flag: str, prefixes: Iterable[str]) -> bool:
    return any(flag == p or (p.endswith(".") and flag.startswith(p)) for p in prefixes)


def apply_dampeners(matches: list[Match], contexts: set[str], dampeners: Iterable[Dampener]) -> list[Match]:
    """Drop matches whose flag a dampener silences in this message."""
    silenced: list[str] = []
    for dampener in dampeners:
        if dampener.when in contexts and (dampener.unless is None or dampener.unless not in contexts):
            silenced.extend(dampener.flags)
    if not silenced:
        return matches
    return [m for m in matches if not _matches_prefix(m.rule.name, silenced)]
