"""Personal data in free text: personnummer, phone numbers, e-mail, street addresses, case numbers.

Every detector first finds cheap candidates with a linear regular expression (no nested
quantifiers) and only then asks the library made for the job, so ordinary messages cost little
and a 100,000-character message costs time in proportion to its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import luhn
from stdnum.se import personnummer

from moderation.detectors.phone import find_phones, find_spelled_phones
from moderation.verdict import Span

# Digits written with other scripts or fullwidth forms read as ASCII, one for one.
# Arabic-Indic, Persian, Devanagari, fullwidth, and the five mathematical digit sets.
_DIGIT_BASES = (0x0660, 0x06F0, 0x0966, 0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6)
_DIGITS = str.maketrans({chr(base + d): str(d) for base in _DIGIT_BASES for d in range(10)})

# --- personnummer / samordningsnummer -------------------------------------------------------------

# YYMMDD-NNNN, YYMMDD+NNNN, YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDDNNNN (a space may stand for the dash).
_PNR = re.compile(r"(?<![\d+-])((?:19|20)?\d{6}) ?([-+]?) ?(\d{4})(?!\d)")
# Numbers preceded by these words are references, not people ("ordernummer 8501011234").
_NOT_A_PERSON = re.compile(
    r"(?:order|ordernr|ordernummer|kundnummer|kundnr|referens|ref|ocr|faktura|fakturanummer|bankgiro|"
    r"plusgiro|clearing|kontonummer|konto|artikel|artikelnr|tracking|kolli|sändningsnummer|orgnr|"
    r"organisationsnummer|invoice|account|serial|serienummer|imei|order number|customer number)"
    r"(?:\s{1,3}(?:är|is|nr|no|number|nummer))?\W{0,3}$",
    re.IGNORECASE,
)


def _valid_personnummer(date: str, sign: str, serial: str) -> bool:
    """Valid date (samordningsnummer: day + 60) and a valid Luhn check digit over the last ten digits."""
    if len(date) == 8 and date[:2] not in ("18", "19", "20"):
        return False
    day = int(date[-2:])
    if day > 60:
        # Samordningsnummer: the library knows only real birth dates, so check the date with the
        # day moved back, and the check digit over the digits as written.
        date = f"{date[:-2]}{day - 60:02d}"
    elif day == 0:
        return False
    number = f"{date}{sign or '-'}{serial}"
    try:
        personnummer.get_birth_date(number)
    except ValueError:
        return False
    written = f"{date[:-2]}{day:02d}{serial}"
    return luhn.is_valid(written[-10:])


def find_personnummer(text: str) -> Iterator[Span]:
    """Personnummer and samordningsnummer with a valid date and check digit."""
    for match in _PNR.finditer(text):
        date, sign, serial = match.groups()
        if not _valid_personnummer(date, sign, serial):
            continue
        if _NOT_A_PERSON.search(text, max(0, match.start() - 24), match.start()):
            continue
        yield Span(match.start(), match.end(), "pii.personnummer")


# --- case numbers ---------------------------------------------------------------------------------

# Police case numbers: 5000-K123456-24 (authority code, K + serial, two-digit year), or K123456-24.
_CASE = re.compile(r"(?<![\w-])(?:\d{4}-)?K\d{2,7}-\d{2}(?![\w-])", re.IGNORECASE)


def find_case_numbers(text: str) -> Iterator[Span]:
    """Police case numbers (ärendenummer)."""
    for match in _CASE.finditer(text):
        yield Span(match.start(), match.end(), "pii.case_number")


# --- e-mail ---------------------------------------------------------------------------------------

# Local part and domain as RFC 5322 "dot-atom" without quoting, looked for around each "@" (or a
# written-out "(at)") and at most 64 + 253 characters away, so a long line without an address costs
# one pass and a long line of "@"s costs a bounded amount per "@".
_AT = re.compile(r"@|[(\[{]\s?at\s?[)\]}]| snabel-a ", re.IGNORECASE)
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\s?$")
_DOMAIN = re.compile(
    r"\s?(?:[A-Za-z0-9åäöÅÄÖ](?:[A-Za-z0-9åäöÅÄÖ-]{0,61}[A-Za-z0-9åäöÅÄÖ])?(?:\.|\s?[(\[{]dot[)\]}]\s?))+"
    r"[A-Za-z]{2,24}(?![A-Za-z0-9-])",
    re.IGNORECASE,
)


def find_emails(text: str) -> Iterator[Span]:
    """E-mail addresses, also with "(at)" written for "@"."""
    for at in _AT.finditer(text):
        local = _LOCAL.search(text, max(0, at.start() - 64), at.start())
        if local is None:
            continue
        domain = _DOMAIN.match(text, at.end(), min(len(text), at.end() + 254))
        if domain is None:
            continue
        yield Span(local.start(), domain.end(), "pii.email")


# --- street addresses -----------------------------------------------------------------------------

_STREET_ENDINGS = (
    "gatan|gata|vägen|väg|gränd|gränden|stigen|stig|torget|torg|allén|allé|backen|backe|plan|leden|led|"
    "platsen|plats|gången|stråket|esplanaden|kajen|kaj|promenaden|liden|slingan|kroken|svängen|ringen|"
    "höjden|bron|parken|vallen|udden|hagen|berget|ängen|dalen|gardet|malmen|vagen|vag|gatan"
)
# The street word ending, then a house number (12, 12B, 12 B, 12-14) not followed by a time or unit.
_STREET_SUFFIXES = tuple(_STREET_ENDINGS.split("|"))
# A word of letters, one or two spaces, a house number (12, 12B, 12 B, 12-14) not followed by a time
# or a unit. The word is bounded (3–40 letters), so a long run of letters costs a constant per
# character; the street ending is checked in Python on the few candidates.
_WORD_NUMBER = re.compile(
    r"([A-Za-zÅÄÖåäöéÉüÜ]{3,40})\s{1,2}(\d{1,4}(?:\s?[A-Za-z](?![A-Za-zåäöÅÄÖ]))?(?:-\d{1,4})?)"
    r"(?!\d|[.:,]\d|\s?(?:kr|st|min|år|ar|m|km|procent|%|gånger|personer|kl)\b)"
)
_NAME_BEFORE = re.compile(r"([A-ZÅÄÖ][a-zåäö]{1,20})\s$")
_POSTCODE_TOWN = re.compile(r",?\s{0,2}(?:\d{3}\s?\d{2})(?:\s{1,2}[A-ZÅÄÖ][a-zåäöé]{1,30})?")
_TOWN = re.compile(r",\s{0,2}[A-ZÅÄÖ][a-zåäöé]{1,30}")


def find_addresses(text: str) -> Iterator[Span]:
    """Swedish street addresses: a street name with a usual ending, a number, maybe postcode and town."""
    for match in _WORD_NUMBER.finditer(text):
        word = match.group(1)
        lowered = word.lower()
        if not lowered.endswith(_STREET_SUFFIXES):
            continue
        start = match.start()
        # "Gamla Stans gränd", "Södra vägen": a capitalised word just before belongs to the name.
        before = _NAME_BEFORE.search(text, max(0, start - 22), start)
        if before and before.group(1).lower() in _NOT_NAME_WORDS:
            before = None
        if lowered in _STREET_SUFFIXES and before is None:
            # A bare ending ("plan 3", "vägen 2") with no street name in front is not an address.
            continue
        if before is not None and (lowered in _STREET_SUFFIXES or word[0].isupper()):
            start = before.start()
        end = match.end()
        tail = _POSTCODE_TOWN.match(text, end) or _TOWN.match(text, end)
        if tail:
            end = tail.end()
        yield Span(start, end, "pii.address")


_NOT_NAME_WORDS = frozenset({"på", "vid", "i", "till", "från", "bor", "om", "mot", "och", "the", "at", "on", "in"})


def find_pii(text: str, lowered: str | None = None) -> list[Span]:
    """All personal data spans in ``text`` (offsets into ``text``).

    ``lowered`` is ``text`` lower-cased with the same length (the engine has it already).
    """
    # Most messages have no digit and no "@": a few scans in C say so, and nothing else runs.
    digits_text = text.translate(_DIGITS) if not text.isascii() and _OTHER_DIGITS.search(text) else text
    spans: list[Span] = []
    if _ASCII_DIGIT.search(digits_text):
        digits = len(_ASCII_DIGIT.findall(digits_text))
        if digits >= 10 and _SIX_DIGITS.search(digits_text):
            spans.extend(find_personnummer(digits_text))
        if digits >= 4 and ("k" in digits_text or "K" in digits_text):
            spans.extend(find_case_numbers(digits_text))
        if digits >= 3:
            spans.extend(find_phones(digits_text, exclude=spans, digits=digits))
        spans.extend(find_addresses(digits_text))
    if lowered is None:
        lowered = text.lower()
    spans.extend(find_spelled_phones(text, lowered, exclude=spans))
    if "@" in text or _may_spell_at(text, lowered):
        spans.extend(find_emails(text))
    return spans


def _may_spell_at(text: str, lowered: str) -> bool:
    """Whether "(at)" or "snabel-a" may be in the text; a cheap test before the real pattern."""
    if "(" in text or "[" in text or "{" in text:
        return _AT_WORDS.search(text) is not None
    return "snabel-a" in lowered


_ASCII_DIGIT = re.compile(r"[0-9]")
# Every digit _DIGITS translates: only a text that has one pays for str.translate.
# (Few wide ranges: a character class of many small ones is several times slower to scan.)
_OTHER_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\uff10-\uff19\U0001d7ce-\U0001d7ff]")
_SIX_DIGITS = re.compile(r"[0-9]{6}")
_AT_WORDS = re.compile(r"[(\[{]\s?at\s?[)\]}]|snabel-a", re.IGNORECASE)
