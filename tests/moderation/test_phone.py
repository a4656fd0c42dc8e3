"""Phone numbers: the ways people write them, what is not one, and the fast Swedish check."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from moderation import Moderator
from moderation.detectors.phone import is_phone_number


def _phones(moderator: Moderator, text: str) -> list[str]:
    verdict = moderator.analyze(text)
    return [text[s.start : s.end] for s in verdict.spans if s.flag == "pii.phone"]


@pytest.mark.parametrize(
    "number",
    [
        "070 - 123 45 67",  # wide separators
        "070_123_45_67",
        "08-12-12-12",
        "+46 (0)70-123 45 67",  # the national 0 kept after the country code
        "0046 70 123 45 67",
        "+44 7700 900123",  # a country code, a range the plan sets aside: still a number
        "0044 7911 123456",
        "+1 415 555 2671",
        "O7O-l23 45 67",  # look-alike letters: O for 0, l for 1
        "o7o1234567",
        "O73-I23 45 67",  # and I for 1
        "noll sju noll ett två tre fyra fem sex sju",
        "Noll sju tre ett två tre fyra fem sex sju",
        "noll sju noll 123 45 67",  # words and digits mixed
        "zero seven nine one one one two three four five six",
    ],
)
def test_phone_number_formats(moderator: Moderator, number: str) -> None:
    """Spaced, dashed, country-coded, look-alike and spelled-out numbers are found, span exact."""
    assert _phones(moderator, f"ring mig {number} ikväll") == [number]


@pytest.mark.parametrize(
    "text",
    [
        "öppet 08.00-17.00 alla dagar",
        "kl. 0900-1700 på vardagar",
        "0900 - 1700 öppet",
        "8:30 - 16:45 på fredagar",
        "02/03/2024 - 04/05/2024",
        "vi ses 01.10.2023",
        "född 01-10-2023",
        "sommarlov 10.06 - 18.08",
        "0123456789",
        "räkna: noll, en, två, tre, fyra, fem, sex, sju, åtta, nio, tio",
        "zero one two three four five six seven eight nine",
        "resultat 0 - 1 - 2 - 3 - 4 - 5 - 6 - 7",
        "noll koll, noll noll noll noll noll noll noll",
        "+39 000 0000",
        "vann med +10 000 000 poäng",
        "lol 0l0l0l I love it",
        "0, 1, 2, 3, 4, 5, 6, 7",
        "drick 0,5 l vatten och 0.7 l juice",
        "version 0.10.2 släpptes 2024-01-01",
    ],
)
def test_not_phone_numbers(moderator: Moderator, text: str) -> None:
    """Opening hours, dates, counting, placeholders and scores are not phone numbers."""
    assert _phones(moderator, text) == []


def _reference(digits: str) -> bool:
    """What phonenumbers itself says, as the detector asked it before it had a Swedish fast path."""
    for region in ("SE", "GB"):
        try:
            if phonenumbers.is_valid_number(phonenumbers.parse(digits, region)):
                return True
        except phonenumbers.NumberParseException:
            pass
    return False


def _swedish_like_numbers(count: int) -> list[str]:
    rng = random.Random(46)
    prefixes = ["07", "070", "072", "073", "076", "079", "08", "01", "03", "031", "04", "040", "05", "06", "09"]
    prefixes += ["020", "0200", "077", "0900", "0939", "0944", "099", "0254", "0470", "0"]
    numbers = []
    for _ in range(count):
        prefix = rng.choice(prefixes)
        length = rng.randint(7, 13)
        numbers.append(prefix + "".join(rng.choice("0123456789") for _ in range(max(0, length - len(prefix)))))
    return numbers


def test_swedish_check_agrees_with_phonenumbers() -> None:
    """For numbers with a leading 0, the compiled Swedish plan answers exactly as phonenumbers does."""
    numbers = _swedish_like_numbers(4000)
    disagreements = [n for n in numbers if is_phone_number(n) != _reference(n)]
    assert disagreements == []
    # Both answers are well represented, so the comparison means something.
    valid = sum(map(_reference, numbers))
    assert 500 < valid < len(numbers) - 500


def test_country_codes_lose_nothing_phonenumbers_finds() -> None:
    """A number phonenumbers calls valid with +46 or +44 in front is a phone number here too."""
    for national in _swedish_like_numbers(1500):
        for code in ("46", "44"):
            digits = code + national[1:]
            parsed = phonenumbers.parse("+" + digits, None)
            if phonenumbers.is_valid_number(parsed):
                assert is_phone_number(digits, international=True), digits
                assert is_phone_number("00" + digits), digits
