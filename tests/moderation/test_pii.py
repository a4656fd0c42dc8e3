"""Personal data: personnummer, phone numbers, e-mail, addresses and case numbers, with exact spans."""

from __future__ import annotations

import pytest
from stdnum import luhn

from moderation import Moderator


def _pnr(date: str, serial: str = "123") -> str:
    """A personnummer with a correct check digit for a YYMMDD date."""
    return f"{date}-{serial}{luhn.calc_check_digit(date + serial)}"


def _flags_and_text(moderator: Moderator, text: str, flag: str) -> list[str]:
    verdict = moderator.analyze(text)
    return [text[s.start : s.end] for s in verdict.spans if s.flag == flag]


@pytest.mark.parametrize(
    "written",
    [
        _pnr("080314"),
        _pnr("080314").replace("-", "+"),
        _pnr("080314").replace("-", ""),
        "20" + _pnr("080314").replace("-", ""),
        "20" + _pnr("080314"),
        _pnr("080374"),  # samordningsnummer: day + 60
    ],
)
def test_personnummer_formats(moderator: Moderator, written: str) -> None:
    """YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN, YYYYMMDDNNNN and samordningsnummer are found, span exact."""
    assert _flags_and_text(moderator, f"mitt nummer är {written} ok", "pii.personnummer") == [written]


@pytest.mark.parametrize(
    "text",
    [
        "20240101 var en måndag",
        "ordernummer 8501011234",  # a valid-looking number after "ordernummer"
        _pnr("080314")[:-1] + str((int(_pnr("080314")[-1]) + 1) % 10),  # wrong check digit
        "081314-1234",  # month 13
        "080399-1234",  # day 99 (neither a date nor a samordningsnummer)
        "det kostar 1299 kr",
    ],
)
def test_not_personnummer(moderator: Moderator, text: str) -> None:
    """Dates, order numbers and numbers with a wrong check digit are not personnummer."""
    assert "pii.personnummer" not in moderator.analyze(text).flags


@pytest.mark.parametrize(
    "number", ["070-123 45 67", "0701234567", "+46 70 123 45 67", "08-123 456 78", "031-701 23 45", "+44 7911 123456"]
)
def test_phone_numbers(moderator: Moderator, number: str) -> None:
    """Swedish mobiles and landlines and international numbers are found with their exact span."""
    assert _flags_and_text(moderator, f"ring {number} ikväll", "pii.phone") == [number]


@pytest.mark.parametrize("text", ["ring 112", "ring 114 14", "BRIS 116 111", "Självmordslinjen 90101", "ring 1177"])
def test_service_numbers_are_not_personal(moderator: Moderator, text: str) -> None:
    """The public emergency and support numbers are never flagged as personal data."""
    assert not moderator.analyze(text).flags


@pytest.mark.parametrize("address", ["anna.svensson@gmail.com", "kalle_08@hotmail.se", "emma(at)gmail.com"])
def test_email(moderator: Moderator, address: str) -> None:
    """E-mail addresses, also with (at) for @, are found with their exact span."""
    assert _flags_and_text(moderator, f"maila {address} tack", "pii.email") == [address]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("jag bor på Storgatan 12", "Storgatan 12"),
        ("adress: Drottninggatan 45B, 111 51 Stockholm", "Drottninggatan 45B, 111 51 Stockholm"),
        ("hon bor på björkstigen 14, Luleå", "björkstigen 14, Luleå"),
        ("Södra vägen 3", "Södra vägen 3"),
    ],
)
def test_street_address(moderator: Moderator, text: str, address: str) -> None:
    """A street name with a Swedish ending and a number, with optional postcode and town."""
    assert _flags_and_text(moderator, text, "pii.address") == [address]


@pytest.mark.parametrize(
    "text", ["vi ses vid Stortorget 18.00", "jag bor på Storgatan", "på plan 3", "Kungsgatan 3 st"]
)
def test_not_an_address(moderator: Moderator, text: str) -> None:
    """A street without a number, a time after a square, or "plan 3" is not an address."""
    assert "pii.address" not in moderator.analyze(text).flags


def test_case_number(moderator: Moderator) -> None:
    """Police case numbers (5000-K123456-24) are flagged."""
    assert _flags_and_text(moderator, "ärende 5000-K123456-24 utreds", "pii.case_number") == ["5000-K123456-24"]
