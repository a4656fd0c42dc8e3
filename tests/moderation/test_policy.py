"""Policy per context: the same flags lead to different actions in a room, a private chat, an officer's post."""

from __future__ import annotations

import pytest

from moderation import Action, Context, Moderator, Verdict, analyze, mask

PNR = "080314-1233"


def test_analyze_returns_a_frozen_verdict() -> None:
    """The module-level analyze returns a frozen Verdict with action, flags, spans, reasons."""
    verdict = analyze("hej")
    assert isinstance(verdict, Verdict)
    assert verdict.action is Action.ALLOW
    assert verdict.flags == frozenset()
    with pytest.raises(AttributeError):
        verdict.action = Action.BLOCK  # type: ignore[misc]


def test_personnummer_blocked_in_public_with_a_kind_reason(moderator: Moderator) -> None:
    """youth_public: a personnummer is blocked, and the reason says where to share it instead."""
    verdict = moderator.analyze(f"mitt pnr är {PNR}")
    assert verdict.action is Action.BLOCK
    assert "Dela inte ditt personnummer här – öppna en privat chatt om en polis behöver det" in verdict.reasons


def test_personal_data_allowed_but_flagged_in_private(moderator: Moderator) -> None:
    """youth_private: personal data goes through, flagged with spans for masking."""
    text = f"mitt pnr är {PNR}, ring 070-123 45 67"
    verdict = moderator.analyze(text, context="youth_private")
    assert verdict.action is Action.ALLOW
    assert {"pii.personnummer", "pii.phone"} <= verdict.flags
    assert mask(text, verdict.spans) == "mitt pnr är •••••••••••, ring •••••••••••••"


def test_risk_is_allowed_and_flagged_in_public(moderator: Moderator) -> None:
    """youth_public: a cry for help is never hidden; it is allowed and flagged, with 112 guidance."""
    verdict = moderator.analyze("jag vill inte leva längre")
    assert verdict.action is Action.ALLOW
    assert "risk.self_harm" in verdict.flags
    assert any("90101" in reason for reason in verdict.reasons)


@pytest.mark.parametrize(
    ("text", "action"),
    [("du är så dum", Action.HOLD), ("hora", Action.BLOCK), ("jag ska döda dig", Action.BLOCK), ("kys", Action.HOLD)],
)
def test_abuse_in_public(moderator: Moderator, text: str, action: Action) -> None:
    """youth_public: insults are held for an officer; slurs and threats against a person are blocked."""
    assert moderator.analyze(text).action is action


def test_spam_held_in_public(moderator: Moderator) -> None:
    """youth_public: spam is held."""
    assert moderator.analyze("köp köp köp köp köp köp köp köp köp köp").action is Action.HOLD


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        (f"Mannen, {PNR}, är anhållen", "pii.personnummer"),
        ("Ärende 5000-K123456-24 utreds vidare", "pii.case_number"),
        ("Ring mig på 070-222 33 44", "pii.phone"),
        ("Vi söker vittnen till händelsen på Kungsgatan 14, Umeå", "pii.address"),
    ],
)
def test_secrecy_check_on_officer_posts(moderator: Moderator, text: str, flag: str) -> None:
    """staff_public: personnummer, case numbers, phones and addresses give "warn" with the spans."""
    verdict = moderator.analyze(text, context=Context.STAFF_PUBLIC)
    assert verdict.action is Action.WARN
    assert any(s.flag == flag for s in verdict.spans)
    assert any("vill du verkligen publicera" in reason for reason in verdict.reasons)


def test_officer_may_talk_about_risks(moderator: Moderator) -> None:
    """staff_public: talking about knives and 112 is allowed."""
    verdict = moderator.analyze("Bär inte kniv. Ring 112 om någon är i fara, 114 14 för tips", context="staff_public")
    assert verdict.action is Action.ALLOW


@pytest.mark.parametrize(
    "name", ["Polis", "p0l1s", "P O L I S", "P.o.l.i.s_Anna", "OfficerAnna", "4dm1n", "m0d", "Moderator", "cop"]
)
def test_nickname_that_passes_for_police_is_blocked(moderator: Moderator, name: str) -> None:
    """nickname: names that pass for police or staff are blocked, whatever the spelling."""
    verdict = moderator.analyze(name, context="nickname")
    assert verdict.action is Action.BLOCK
    assert "abuse.impersonation" in verdict.flags


@pytest.mark.parametrize("name", ["Lisa_07", "Badmintonkungen", "Staffan", "Metropolis", "emma🌸", "Thora", "modig"])
def test_ordinary_nicknames_pass(moderator: Moderator, name: str) -> None:
    """nickname: ordinary names, even ones containing "admin", "staff" or "polis" inside a word, pass."""
    assert moderator.analyze(name, context="nickname").action is Action.ALLOW


def test_nickname_with_slur_or_personal_data_is_blocked(moderator: Moderator) -> None:
    """nickname: slurs and personal data are blocked."""
    assert moderator.analyze("HoraKalle", context="nickname").action is Action.BLOCK
    assert moderator.analyze(f"anna{PNR.replace('-', '')}", context="nickname").action is Action.BLOCK


def test_unknown_context_is_a_programming_error(moderator: Moderator) -> None:
    """An unknown context raises ValueError; it is a bug in the caller, not bad input."""
    with pytest.raises(ValueError, match="bogus"):
        moderator.analyze("hej", context="bogus")
