"""What to do with a text, per context, given its flags; and the reasons to show.

The detectors say what a text contains; this module alone says what that means in each place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from moderation.verdict import Action, Context

# Abuse that is blocked outright in a public room rather than held for an officer to look at.
SEVERE_ABUSE = frozenset({"abuse.slur", "abuse.threat"})


def action_for(context: Context, flag: str) -> Action:
    """The action one flag calls for in ``context``."""
    family = flag.split(".", 1)[0]
    if context is Context.YOUTH_PUBLIC:
        if family == "pii":
            return Action.BLOCK
        if family == "abuse":
            return Action.BLOCK if flag in SEVERE_ABUSE else Action.HOLD
        if family == "spam":
            return Action.HOLD
        # Risk stays visible: the service shows 112 guidance and raises it to the officers,
        # and hiding a cry for help would be the worst outcome.
        return Action.ALLOW
    if context is Context.YOUTH_PRIVATE:
        # A young person talking to an officer is never stopped; flags serve masking and triage.
        return Action.ALLOW
    if context is Context.STAFF_PUBLIC:
        # The secrecy check: the console asks "really post this?"; officers may speak of risks.
        return Action.WARN if family in ("pii", "abuse", "spam") else Action.ALLOW
    return Action.BLOCK


def decide(context: Context, flags: Iterable[str]) -> Action:
    """The strictest action any flag calls for; ``allow`` when there are none."""
    action = Action.ALLOW
    for flag in flags:
        candidate = action_for(context, flag)
        if candidate.severity > action.severity:
            action = candidate
    return action


def reasons_for(context: Context, flags: Iterable[str], texts: Mapping[str, Mapping[str, str]]) -> tuple[str, ...]:
    """Readable reasons, strictest first, each text once."""
    ordered = sorted(flags, key=lambda flag: (-action_for(context, flag).severity, flag))
    reasons: list[str] = []
    for flag in ordered:
        text = _lookup(texts.get(context.value, {}), flag) or _lookup(texts.get("default", {}), flag)
        if text and text not in reasons:
            reasons.append(text)
    return tuple(reasons)


def _lookup(table: Mapping[str, str], flag: str) -> str | None:
    return table.get(flag) or table.get(flag.split(".", 1)[0] + ".")
