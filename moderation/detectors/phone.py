"""Phone numbers in free text, as people write them to get past a filter.

A candidate starts with ``+``, ``00`` or ``0`` (a Swedish number is never written without them)
and is checked against the numbering plans in the phonenumbers library:

- Swedish numbers (``0…``, ``+46``, ``0046``) are checked by a compiled copy of the Swedish plan,
  the same test as ``phonenumbers.is_valid_number`` without its slow parser (a test compares the two);
- a number with a leading 0 that is not Swedish is tried as British;
- a number with a country code (``+44``, ``0044``) is also taken when it has the length and shape
  the country's plan allows, even if the plan has not (yet) given out its range: the country code
  itself says "phone number", and the library's data lags behind new ranges and leaves out the
  ranges set aside for fiction (``+44 7700 900123``), which are still someone's way of writing a number;
- digits written with look-alike letters (``O7O-l23 45 67``: o for 0, l or I for 1) and spelled out
  in Swedish or English (``noll sju noll ett två tre …``) are read as digits first.

Every pattern is linear (bounded repetitions, each step consumes a character), so a long text
costs time in proportion to its length.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers
from phonenumbers import NumberParseException, PhoneMetadata, ValidationResult

from moderation.verdict import Span

# A candidate: +, 00 or 0 (or "(0)") with no letter, digit or + before it, then 6–15 digits with
# up to three separators between them ("070 - 123 45 67"). The repetition is bounded and each step
# consumes a digit: linear time. (The look-behinds come after the first character so that the
# pattern starts with a character class, which the regex engine scans for quickly.)
_PHONE = re.compile(r"(?:\+(?<![\w+].)|\(0\)(?<![\w+]...)|0(?<![\w+].))(?:[ \-./()_]{0,3}\d){6,15}(?!\d)")
_NON_DIGIT = re.compile(r"\D")
# Service numbers that are public on purpose; never personal data.
PUBLIC_NUMBERS = frozenset(
    {"112", "11414", "114", "116111", "90101", "1177", "11313", "020919191", "0771141400", "0774400000"}
)


def find_phones(text: str, *, exclude: list[Span], digits: int) -> list[Span]:
    """Phone numbers written with digits (or look-alike letters) that a numbering plan says can exist.

    ``digits`` is how many ASCII digits ``text`` has. Numbers overlapping a span in ``exclude``
    (a personnummer, say) are left out.
    """
    found = [span for span in _find_written(text) if not _overlaps(span, exclude)] if digits >= 7 else []
    # A second reading with look-alike letters as digits, character for character, only when the
    # text has a word that mixes them with digits; it adds only numbers the first reading missed.
    reading = _with_lookalikes(text)
    if reading is not None:
        found.extend([s for s in _find_written(reading) if not _overlaps(s, exclude) and not _overlaps(s, found)])
    return found


def find_spelled_phones(text: str, lowered: str, *, exclude: list[Span]) -> list[Span]:
    """Phone numbers spelled out in words ("noll sju noll ett två …"); ``lowered`` is ``text`` lower-cased."""
    if "noll" not in lowered and "zero" not in lowered:
        return []
    return [span for span in _find_spelled(text) if not _overlaps(span, exclude)]


def _overlaps(span: Span, others: list[Span]) -> bool:
    return any(other.start < span.end and span.start < other.end for other in others)


def _find_written(text: str) -> Iterator[Span]:
    for match in _PHONE.finditer(text):
        candidate = match.group()
        digits = _NON_DIGIT.sub("", candidate)
        if digits in PUBLIC_NUMBERS or _counting(digits) or _TIME_OR_DATE.fullmatch(candidate):
            continue
        if is_phone_number(digits, international=candidate.startswith("+")):
            yield Span(match.start(), match.end(), "pii.phone")


# Opening hours and other clock-time ranges ("08.00-17.00", "0900 - 1700", "8:30-16:45"), dates
# with one kind of separator ("01.10.2023", "05 / 06 / 24", "01-10-2023") and date ranges
# ("01.06 - 15.08.2024", but not "08-12-12-12"): everyday text, seldom how a number is written.
# Dates with only spaces ("01 10 2023") look like numbers and stay candidates.
_CLOCK = r"(?:[01]?\d|2[0-3])[.: ]?[0-5]\d"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"  # a day or a month, in either order
_YEAR = r"(?:19|20)?\d\d"
_RANGE = r" {0,2}[-–] {0,2}"
_TIME_OR_DATE = re.compile(
    rf"{_CLOCK}{_RANGE}{_CLOCK}"
    rf"|{_DAY}(?P<sep> ?[-./] ?){_DAY}(?P=sep){_YEAR}"
    rf"|{_DAY}(?P<in> ?[./] ?){_DAY}(?:(?P=in){_YEAR})?{_RANGE}{_DAY}(?P=in){_DAY}(?:(?P=in){_YEAR})?"
)


def _counting(digits: str) -> bool:
    """0123456…, 1234567890, 9876543…: counting, not a number anyone has."""
    return digits in "01234567890" or digits in "09876543210"


def is_phone_number(digits: str, *, international: bool = False) -> bool:
    """Whether ``digits`` (after a ``+`` when ``international``, else starting with 0) is a phone number."""
    if international or digits.startswith("00"):
        return _international(digits if international else digits[2:])
    if not digits.startswith("0"):
        return False
    # Swedish first (most numbers in the service's messages), then British.
    return _SWEDEN.valid(digits[1:]) or _valid_in(digits, "GB")


def _international(number: str) -> bool:
    """A number after its ``+`` or ``00``: country code, then the national number."""
    for size in (1, 2, 3):
        code = int(number[:size]) if number[:size].isdigit() else 0
        if code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
            break
    else:
        return False
    national = number[size:]
    if code == _SWEDEN.code:
        # The Swedish plan also covers the "(0)" people keep after +46.
        stripped = national[1:] if national.startswith("0") else national
        if _SWEDEN.valid(stripped):
            return True
    try:
        parsed = phonenumbers.parse("+" + number, None)
    except NumberParseException:
        return False
    if phonenumbers.is_valid_number(parsed):
        return True
    return _plausible(parsed)


def _plausible(parsed: phonenumbers.PhoneNumber) -> bool:
    """A length and shape the country's plan allows, though the range may not be given out."""
    if phonenumbers.is_possible_number_with_reason(parsed) != ValidationResult.IS_POSSIBLE:
        return False
    national = phonenumbers.national_significant_number(parsed)
    if len(set(national)) == 1:
        # "+39 000 0000": a run of one digit is a placeholder, not a number.
        return False
    code = parsed.country_code or 0
    metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, phonenumbers.region_code_for_country_code(code))
    if metadata is None or metadata.general_desc is None:
        return False
    pattern = metadata.general_desc.national_number_pattern
    return pattern is not None and _compiled(pattern).fullmatch(national) is not None


def _valid_in(number: str, region: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(number, region))
    except NumberParseException:
        return False


@lru_cache(maxsize=64)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


class _Plan:
    """One region's numbering plan, compiled: ``valid`` is phonenumbers' is_valid_number for it.

    phonenumbers calls a national number valid when it fits the region's general description
    and the description of at least one type (fixed line, mobile, toll free …), each a set of
    lengths and a pattern.
    """

    def __init__(self, region: str) -> None:
        metadata = PhoneMetadata.metadata_for_region(region)
        if metadata is None or metadata.general_desc is None:
            raise ValueError(f"phonenumbers has no metadata for {region}")
        self.code = metadata.country_code
        self.general = _desc(metadata.general_desc)
        # The order does not change the answer; mobile and fixed line are what people share.
        types = (
            metadata.mobile,
            metadata.fixed_line,
            metadata.premium_rate,
            metadata.toll_free,
            metadata.shared_cost,
            metadata.voip,
            metadata.personal_number,
            metadata.pager,
            metadata.uan,
            metadata.voicemail,
        )
        self.types = tuple(_desc(desc) for desc in types if desc is not None and desc.national_number_pattern)

    def valid(self, national: str) -> bool:
        """Whether the national significant number (no national prefix) is valid in this plan."""
        if not _fits(national, self.general):
            return False
        return any(_fits(national, desc) for desc in self.types)


def _desc(desc: phonenumbers.PhoneNumberDesc) -> tuple[frozenset[int], re.Pattern[str] | None]:
    pattern = desc.national_number_pattern
    return frozenset(desc.possible_length), (re.compile(pattern) if pattern else None)


def _fits(national: str, desc: tuple[frozenset[int], re.Pattern[str] | None]) -> bool:
    lengths, pattern = desc
    if lengths and len(national) not in lengths:
        return False
    return pattern is not None and pattern.fullmatch(national) is not None


_SWEDEN = _Plan("SE")


# --- digits in disguise ---------------------------------------------------------------------------

# A word of digits and look-alike letters ("O7O", "l23"), with no letter or digit on either side.
# Possessive, so a long run is read once: linear time.
_LOOKALIKE_WORD = re.compile(r"(?<![^\W_])[0-9oOlI]++(?![^\W_])")
_LOOKALIKES = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1"})


# A look-alike letter next to a digit: the cheap test for whether a word mixes them.
_MIXED = re.compile(r"[0-9][oOlI]|[oOlI][0-9]")


def _with_lookalikes(text: str) -> str | None:
    """``text`` with look-alike letters read as digits in words that also have a digit; None if none."""
    if not _MIXED.search(text):
        return None
    parts: list[str] = []
    position = 0
    for match in _LOOKALIKE_WORD.finditer(text):
        word = match.group()
        if word.isdigit() or not any(char.isdigit() for char in word):
            continue
        parts.append(text[position : match.start()])
        parts.append(word.translate(_LOOKALIKES))
        position = match.end()
    if not parts:
        return None
    parts.append(text[position:])
    return "".join(parts)


_DIGIT_WORDS = {
    "noll": "0",
    "nolla": "0",
    "ett": "1",
    "en": "1",
    "etta": "1",
    "två": "2",
    "tva": "2",
    "tvåa": "2",
    "tre": "3",
    "trea": "3",
    "fyra": "4",
    "fem": "5",
    "femma": "5",
    "sex": "6",
    "sexa": "6",
    "sju": "7",
    "sjua": "7",
    "åtta": "8",
    "atta": "8",
    "nio": "9",
    "nia": "9",
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_WORD = "|".join(sorted(_DIGIT_WORDS, key=len, reverse=True))
# "noll sju noll, ett två tre 45 67": a zero word, then more digit words or digit groups, one to
# three separators apart (seven digits in all, counted after). Bounded, and each step consumes a
# word: linear time.
_SPELLED = re.compile(
    rf"(?<![^\W\d_])(?:noll|nolla|zero)(?:[\s,.\-]{{1,3}}(?:(?:{_WORD})(?![^\W\d_])|[0-9]{{1,4}}(?![0-9]))){{2,16}}",
    re.IGNORECASE,
)
_SPELLED_PART = re.compile(rf"(?:{_WORD})(?![^\W\d_])|[0-9]+", re.IGNORECASE)


def _find_spelled(text: str) -> Iterator[Span]:
    for match in _SPELLED.finditer(text):
        parts = _SPELLED_PART.findall(match.group())
        digits = "".join(_DIGIT_WORDS.get(part.lower(), part) for part in parts)
        if len(digits) >= 7 and not _counting(digits) and is_phone_number(digits):
            yield Span(match.start(), match.end(), "pii.phone")
