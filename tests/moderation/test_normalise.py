"""Normalisation: the ways people write a word still match it, and offsets point at the original."""

from __future__ import annotations

import pytest

from moderation import Moderator
from moderation.normalise import normalise


@pytest.mark.parametrize(
    "text",
    [
        "han har en KNIV",
        "han har en kniiiiiv",
        "han har en k n i v",
        "han har en k.n.i.v",
        "han har en kn\u200biv",
        "han har en ｋｎｉｖ",
        "han har en kniv🔪",
        "han har en k_n_i_v",
    ],
)
def test_weapon_survives_how_it_is_written(moderator: Moderator, text: str) -> None:
    """Case, repeated letters, spaced letters, zero-width characters, fullwidth and emoji do not hide a word."""
    assert "risk.weapon" in moderator.analyze(text).flags


@pytest.mark.parametrize("text", ["din jävla idiot", "din javla idiot", "din jaevla idiot", "din j4vla 1diot"])
def test_swedish_letters_written_without_dots(moderator: Moderator, text: str) -> None:
    """ä written as a or ae (and leet digits) still matches the Swedish word."""
    assert "abuse.insult" in moderator.analyze(text).flags


def test_leet_and_elongation(moderator: Moderator) -> None:
    """Leet (k1ll, h0ra) and elongation (dööö) are read as the word."""
    assert "abuse.slur" in moderator.analyze("h0ra").flags
    assert "risk.self_harm" in moderator.analyze("jag vill dööööö").flags
    assert "risk.self_harm" in moderator.analyze("i want to k1ll myself").flags


def test_hora_and_hora_stay_apart(moderator: Moderator) -> None:
    """Folding keeps å/ä/ö, so "höra" (hear) is not "hora"."""
    assert not moderator.analyze("jag vill höra mer om hur det är att vara polis").flags


def test_offsets_point_into_the_original_text(moderator: Moderator) -> None:
    """A span covers the word as the person wrote it, zero-width characters and all."""
    text = "ok\u200b så, han har en K\u200bN\u200bIIIIV i väskan"
    verdict = moderator.analyze(text)
    spans = [s for s in verdict.spans if s.flag == "risk.weapon"]
    assert "K\u200bN\u200bIIIIV" in [text[s.start : s.end] for s in spans]


def test_tokens_keep_their_original_offsets() -> None:
    """Every token maps back to the characters it came from."""
    text = "Hej  DU, k n i v!"
    norm = normalise(text)
    assert norm.words == ["hej", "du", "kniv"]
    assert [text[s:e] for s, e in zip(norm.starts[1:-1], norm.ends[1:-1], strict=True)] == ["Hej", "DU", "k n i v"]


def test_spaced_words_split_at_wider_gaps() -> None:
    """ "v i l l  d ö" is two words, split where the gap is wider."""
    assert normalise("v i l l  d ö").words == ["vill", "dö"]


def test_numbers_with_units_are_not_leet() -> None:
    """ "15år" stays a number with a unit; "h0ra" is leet."""
    assert normalise("jag är 15år").words == ["jag", "är", "15år"]
    assert normalise("h0ra").words == ["hora"]
