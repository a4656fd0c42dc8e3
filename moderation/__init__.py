"""Kvarter moderation: a pure library that turns a text into a verdict.

    >>> from moderation import analyze
    >>> analyze("mitt personnummer är 900101-1239").action
    <Action.BLOCK: 'block'>

It imports nothing from the server. See docs/moderation.md for the rules and their limits.
"""

from __future__ import annotations

from moderation.engine import RULES_ENV, Moderator, default_moderator, reset_default
from moderation.lexicon import RulesError
from moderation.verdict import Action, Context, Span, Verdict, mask

__all__ = [
    "RULES_ENV",
    "Action",
    "Context",
    "Moderator",
    "RulesError",
    "Span",
    "Verdict",
    "analyze",
    "mask",
    "reset_default",
]


def analyze(text: str, *, context: str = Context.YOUTH_PUBLIC) -> Verdict:
    """Moderate ``text`` for ``context`` (youth_public, youth_private, staff_public or nickname).

    Uses the packaged rules plus any directories in the KVARTER_MODERATION_RULES variable.
    Never raises for any text; raises ValueError for an unknown context.
    """
    return default_moderator().analyze(text, context=context)
