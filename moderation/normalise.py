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
from itertools import accumulate, repeat
from operator import add

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
    # Greek look-alikes.
    "α": "a",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ο": "o",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
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
START = "\x02"
END = "\x03"
# A token is letters/digits, optionally joined by one symbol at a time ("k.n.i.v", "h@ra", "bög-jävel").
# Each repetition starts with exactly one joiner, so the pattern cannot backtrack badly; the
# possessive quantifiers say so to the regex engine, which then keeps no backtracking state.
_TOKEN = re.compile(
    rf"[0-9{_LETTERS}]++(?:[\x00@$!|*.'’\-][0-9{_LETTERS}]++)*+"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF]"
)
_JOINERS = str.maketrans({"\x00": None, ".": None, "'": None, "’": None, "-": None, "*": None})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", "$": "s"})
_LEET_SYMBOLS = str.maketrans({"@": "a", "$": "s", "!": "i", "|": "l"})
# "15år", "10st", "40åring": a number with a unit is not leet; one digit before a word is ("1diot").
_NUMBER_WITH_UNIT = re.compile(r"\d{2,}[a-zåäö]{0,8}|\d[a-zåäö]{0,2}")
_ELONGATED = re.compile(r"([a-zåäö])\1\1")
_REPEATS = re.compile(r"([a-zåäö])\1+")
_HAS_DIGIT = re.compile(r"\d")


class Normalised:
    """Tokens of one text and where each came from.

    The first and last tokens are the markers START and END (empty spans at either end).
    ``text`` is ``" " + " ".join(tokens) + " "``: a space on both sides of every token lets a
    lexicon key say "whole word" (`` kniv ``), "word start" (`` kniv``) or "word end" (``kniv ``).
    Offsets are worked out only when asked for: most messages never need them.
    """

    __slots__ = ("_ends", "_starts", "_text_starts", "any_elongated", "elongated", "folded", "text", "tokens")

    def __init__(
        self,
        tokens: list[str],
        elongated: list[bool],
        *,
        folded: str = "",
        starts: list[int] | None = None,
        ends: list[int] | None = None,
    ) -> None:
        self.tokens = tokens
        self.elongated = elongated
        self.any_elongated = True in elongated
        #: The original text lower-cased and folded, character for character (same length).
        self.folded = folded
        self._starts = starts
        self._ends = ends
        self._text_starts: list[int] | None = None
        self.text = " " + " ".join(tokens) + " "

    @property
    def starts(self) -> list[int]:
        """Start offset of every token in the original text."""
        if self._starts is None:
            self._locate()
        assert self._starts is not None
        return self._starts

    @property
    def ends(self) -> list[int]:
        """End offset of every token in the original text."""
        if self._ends is None:
            self._locate()
        assert self._ends is not None
        return self._ends

    def _locate(self) -> None:
        spans = [match.span() for match in _TOKEN.finditer(self.folded)]
        self._starts = [0, *(start for start, _ in spans), len(self.folded)]
        self._ends = [0, *(end for _, end in spans), len(self.folded)]

    def text_starts(self) -> list[int]:
        """Where each token starts in ``text``; ``bisect_right(starts, pos) - 1`` is the token at ``pos``."""
        if self._text_starts is None:
            # Token i starts after i spaces and the tokens before it (map and accumulate run in C).
            lengths = map(add, map(len, self.tokens), repeat(1, len(self.tokens) - 1))
            self._text_starts = list(accumulate(lengths, initial=1))
        return self._text_starts

    def token_at(self, pos: int) -> int:
        """Index of the token that covers character ``pos`` of ``text`` (or precedes it)."""
        return bisect_right(self.text_starts(), pos) - 1

    def original_span(self, first: int, last: int) -> tuple[int, int]:
        """Offsets in the original text covered by tokens ``first`` … ``last``."""
        return self.starts[first], self.ends[last]

    @property
    def words(self) -> list[str]:
        """The tokens without the start and end markers."""
        return self.tokens[1:-1]


# A superset of the characters _FOLD changes, in a few wide ranges (fast to scan), without å, ä and ö:
# emoji and other symbols are common and need no translate(), which is slow.
_FOLDABLE = re.compile(
    "[\u00ad\u00df-\u00e3\u00e6-\u00f5\u00f8-\u017f\u034f\u0391-\u03c9\u0400-\u045f\u061c\u115f\u1160"
    "\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\uff10-\uff5a]"
)


def fold(text: str) -> str:
    """Lower-case and fold look-alike characters, keeping the length (so offsets stay valid)."""
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few characters lower-case to two ("İ"); keep one so offsets line up.
        lowered = "".join(char.lower()[:1] or char for char in text)
    if not _FOLDABLE.search(lowered):
        # Plain Swedish or English, maybe with emoji: nothing to fold, and translate() is the slow part.
        return lowered
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
    # Symbols inside a word are rare, so clean only the tokens that have them (a token never
    # cleans down to nothing: it starts with a letter or digit).
    tokens = _TOKEN.findall(folded)
    if not all(map(str.isalpha, tokens)):
        # (A one-character token, such as an emoji or a digit, is never changed by cleaning.)
        tokens = [token if token.isalpha() or len(token) == 1 else _clean_token(token) for token in tokens]
    elongated = [False] * len(tokens)
    stretched = False
    if _ELONGATED.search(folded):
        stretched = True
        for index, token in enumerate(tokens):
            if _ELONGATED.search(token):
                tokens[index] = _REPEATS.sub(r"\1", token)
                elongated[index] = True
    starts: list[int] | None = None
    ends: list[int] | None = None
    # Joining needs three one-letter tokens, so most messages skip the pattern.
    if list(map(len, tokens)).count(1) >= 3 and _SPACED.search(folded):
        spans = [match.span() for match in _TOKEN.finditer(folded)]
        tokens, elongated, starts, ends = _join_spaced_letters(
            tokens, elongated, [a for a, _ in spans], [b for _, b in spans], folded
        )
        starts = [0, *starts, len(text)]
        ends = [0, *ends, len(text)]
    # Start and end markers let a pattern say "the whole message" ("^ idiot $").
    marked = [False, *elongated, False] if stretched else [False] * (len(tokens) + 2)
    return Normalised([START, *tokens, END], marked, folded=folded, starts=starts, ends=ends)


# Three single letters in a row, apart ("k n i v", "h_o_r_a"): only then is joining worth a look.
_SPACED = re.compile(r"(?<![0-9a-zåäö])[a-zåäö][^0-9a-zåäö]{1,3}[a-zåäö][^0-9a-zåäö]{1,3}[a-zåäö](?![0-9a-zåäö])")


def _join_spaced_letters(
    tokens: list[str], elongated: list[bool], starts: list[int], ends: list[int], folded: str
) -> tuple[list[str], list[bool], list[int], list[int]]:
    """Join runs of three or more single letters written apart ("k n i v", "h_o_r_a")."""
    out_tokens: list[str] = []
    out_elongated: list[bool] = []
    out_starts: list[int] = []
    out_ends: list[int] = []
    index = 0
    while index < len(tokens):
        run_end = index
        while (
            run_end < len(tokens)
            and len(tokens[run_end]) == 1
            and tokens[run_end].isalpha()
            and (run_end == index or starts[run_end] - ends[run_end - 1] <= 3)
            and (run_end == index or not folded[ends[run_end - 1] : starts[run_end]].strip(" _-.,*/+~"))
        ):
            run_end += 1
        if run_end - index >= 3:
            # A wider gap inside the run separates words: "v i l l  d ö" is "vill dö".
            narrow = min(starts[i] - ends[i - 1] for i in range(index + 1, run_end))
            word_start = index
            for i in range(index + 1, run_end + 1):
                if i == run_end or starts[i] - ends[i - 1] > narrow:
                    out_tokens.append("".join(tokens[word_start:i]))
                    out_elongated.append(False)
                    out_starts.append(starts[word_start])
                    out_ends.append(ends[i - 1])
                    word_start = i
            index = run_end
        else:
            out_tokens.append(tokens[index])
            out_elongated.append(elongated[index])
            out_starts.append(starts[index])
            out_ends.append(ends[index])
            index += 1
    return out_tokens, out_elongated, out_starts, out_ends


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
