"""Turn text as people write it into word tokens the lexicons can match.

Every token keeps the offsets of the original text it came from, so a match on the normalised
form can be masked in the original. The steps, and why:

- lower-case, fold accents (é → e) but keep å, ä and ö: "höra" (hear) and "hora" (whore) must
  stay apart; the lexicons add the ASCII spellings (a/o, aa/ae/oe) of their own entries instead;
- zero-width and bidi control characters vanish, so "kn\u200biv" is "kniv";
- symbols inside a word are dropped or read as leet ("k.n.i.v", "bög-jävel", "h0ra", "k1ll");
- a run of three or more equal letters marks the token as elongated and is collapsed ("kniiiiv");
- three or more single letters in a row are joined ("k n i v");
- emoji become tokens of their own, so a lexicon may name them, and never glue words together.

Only the Latin alphabet (plus Cyrillic look-alikes) is read; other scripts are ignored.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# Characters that carry no meaning but hide words: zero-width, soft hyphen, bidi controls.
_INVISIBLE = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d\u200e\u200f"
_INVISIBLE += "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"

# One character in, one character out, so offsets are unchanged by this step.
_FOLD_PAIRS = {
    "àáâãāăą": "a",
    "æ": "ä",
    "çćč": "c",
    "ďđ": "d",
    "èéêëēėęě": "e",
    "ìíîïīį": "i",
    "ł": "l",
    "ñńň": "n",
    "òóôõōő": "o",
    "ø": "ö",
    "śšş": "s",
    "ß": "s",
    "ťţ": "t",
    "ùúûūůű": "u",
    "ü": "y",
    "ýÿ": "y",
    "źżž": "z",
    # Cyrillic letters that look Latin, a common trick to slip past word lists.
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
}
_FOLD: dict[int, str] = {}
for _chars, _target in _FOLD_PAIRS.items():
    for _char in _chars:
        _FOLD[ord(_char)] = _target
for _char in _INVISIBLE:
    _FOLD[ord(_char)] = "\x00"
for _offset in range(26):
    # Fullwidth Latin letters (ｋｎｉｖ) and fullwidth digits.
    _FOLD[0xFF41 + _offset] = chr(ord("a") + _offset)
    _FOLD[0xFF21 + _offset] = chr(ord("a") + _offset)
for _offset in range(10):
    _FOLD[0xFF10 + _offset] = str(_offset)

_LETTERS = "a-zåäö"
# A token is letters/digits, optionally joined by one symbol at a time ("k.n.i.v", "h@ra", "bög-jävel").
# Each repetition starts with exactly one joiner, so the pattern cannot backtrack badly.
_TOKEN = re.compile(
    rf"[0-9{_LETTERS}]+(?:[\x00@$!|*.'’\-][0-9{_LETTERS}]+)*"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)
_JOINERS = str.maketrans({"\x00": None, ".": None, "'": None, "’": None, "-": None, "*": None})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"})
_LEET_SYMBOLS = str.maketrans({"@": "a", "$": "s", "!": "i", "|": "l"})
# "15år", "10st", "3e", "2kr": a number with a unit is not leet.
_NUMBER_WITH_UNIT = re.compile(r"\d+[a-zåäö]{0,4}")
_ELONGATED = re.compile(r"([a-zåäö])\1\1")
_REPEATS = re.compile(r"([a-zåäö])\1+")
_HAS_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class Normalised:
    """Tokens of one text and where each came from.

    ``text`` is ``" " + " ".join(tokens) + " "``: a space on both sides of every token lets a
    lexicon key say "whole word" (`` kniv ``), "word start" (`` kniv``) or "word end" (``kniv ``).
    """

    tokens: list[str]
    starts: list[int]
    ends: list[int]
    elongated: list[bool]
    text: str = ""
    _text_starts: list[int] = field(default_factory=list)

    def token_at(self, pos: int) -> int:
        """Index of the token that covers character ``pos`` of ``text`` (or precedes it)."""
        if not self._text_starts:
            starts: list[int] = []
            pos_in_text = 1
            for token in self.tokens:
                starts.append(pos_in_text)
                pos_in_text += len(token) + 1
            self._text_starts = starts
        return bisect_right(self._text_starts, pos) - 1

    def original_span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets in the original text covered by tokens ``first`` … ``last``."""
        return self.starts[first], self.ends[last]


def fold(text: str) -> str:
    """Lower-case and fold look-alike characters, keeping the length (so offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters lower-case to two ("İ"); keep one so offsets line up.
        lowered = "".join(char.lower()[:1] or char for char in text)
    return lowered.translate(_FOLD)


def _clean_token(raw: str) -> str:
    """Read leet and drop joiners inside one raw token."""
    if not raw.isalnum():
        raw = raw.translate(_LEET_SYMBOLS).translate(_JOINERS)
    if not raw.isalpha() and not raw.isdigit() and _HAS_DIGIT.search(raw) and not _NUMBER_WITH_UNIT.fullmatch(raw):
        raw = raw.translate(_LEET)
    return raw


def normalise(text: str) -> Normalised:
    """Split ``text`` into normalised tokens with their original offsets."""
    folded = fold(text)
    tokens: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _TOKEN.finditer(folded):
        token = _clean_token(match.group())
        if token:
            tokens.append(token)
            starts.append(match.start())
            ends.append(match.end())
    elongated = [False] * len(tokens)
    if _ELONGATED.search(folded):
        for index, token in enumerate(tokens):
            if _ELONGATED.search(token):
                tokens[index] = _REPEATS.sub(r"\1", token)
                elongated[index] = True
    result = Normalised(tokens, starts, ends, elongated)
    _join_spaced_letters(result, folded)
    result.text = " " + " ".join(result.tokens) + " "
    return result


def _join_spaced_letters(norm: Normalised, folded: str) -> None:
    """Join runs of three or more single letters written apart ("k n i v", "h_o_r_a")."""
    tokens = norm.tokens
    if len(tokens) < 3:
        return
    index = 0
    out_tokens: list[str] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    out_elongated: list[bool] = []
    changed = False
    while index < len(tokens):
        run_end = index
        while (
            run_end < len(tokens)
            and len(tokens[run_end]) == 1
            and tokens[run_end].isalpha()
            and (run_end == index or norm.starts[run_end] - norm.ends[run_end - 1] <= 3)
            and (run_end == index or not folded[norm.ends[run_end - 1] : norm.starts[run_end]].strip(" _-.,*/+~"))
        ):
            run_end += 1
        if run_end - index >= 3:
            out_tokens.append("".join(tokens[index:run_end]))
            out_starts.append(norm.starts[index])
            out_ends.append(norm.ends[run_end - 1])
            out_elongated.append(False)
            index = run_end
            changed = True
        else:
            out_tokens.append(tokens[index])
            out_starts.append(norm.starts[index])
            out_ends.append(norm.ends[index])
            out_elongated.append(norm.elongated[index])
            index += 1
    if changed:
        norm.tokens, norm.starts, norm.ends, norm.elongated = out_tokens, out_starts, out_ends, out_elongated


def pattern_variants(word: str) -> set[str]:
    """Spellings of a lexicon word people use without Swedish letters: ä → a/ae, ö → o/oe, å → a/aa."""
    variants = {word}
    for letter, options in (("å", ("a", "aa")), ("ä", ("a", "ae")), ("ö", ("o", "oe"))):
        if letter in word:
            variants |= {v.replace(letter, option) for v in variants for option in options}
    return variants


def collapse_repeats(word: str) -> str:
    """The spelling an elongated token is reduced to: every run of a letter becomes one letter."""
    return _REPEATS.sub(r"\1", word)
