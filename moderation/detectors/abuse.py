"""Abuse in nicknames: names are short, glued together and tuned to pass filters, so they get a
second reading with every word joined ("P0l1s_Anna" → "polisanna") for the nickname-only rules
(impersonation of police and staff, slurs hidden inside a name).
"""

from __future__ import annotations

import re

from moderation.normalise import END, START, Normalised, normalise

# "OfficerAnna", "CopKalle": a capital after a small letter starts a new word.
_CAMEL = re.compile(r"(?<=[a-zåäö])(?=[A-ZÅÄÖ])")


def nickname_forms(text: str) -> tuple[Normalised, Normalised]:
    """The nickname split into words (camelCase too), and the same with every word joined."""
    split = normalise(_CAMEL.sub(" ", text)) if _CAMEL.search(text) else normalise(text)
    joined = "".join(split.words)
    squashed = Normalised(
        [START, joined, END],
        [False, any(split.elongated), False],
        folded=text,
        starts=[0, 0, len(text)],
        ends=[0, len(text), len(text)],
    )
    return split, squashed
