"""Whether a nickname a young person chose could pass for the police, staff or an officer.

A word list alone is beaten by look-alike letters: "ᴘᴏʟɪs" (small capitals), "𝐏𝐨𝐥𝐢𝐬"
(mathematical bold), "Ρоlіs" (Greek and Cyrillic letters among Latin ones). So every nickname
is compared on its confusable skeleton (Unicode TS #39, computed by the `disarm` library, with
its case folding): the skeletons of the nickname — as written, in lower and in upper case, and
with spaces and punctuation removed — against the skeletons of the police words of the
languages young people in Sweden write (not only the widget's), and of every active staff
member's display name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache

from disarm import skeleton_key

# Police and staff words. Swedish, English, Finnish (a national minority language), Somali,
# Ukrainian and Russian, Arabic, Persian/Dari and Tigrinya: the languages of issue-by-issue
# widget work, reserved already so that nobody passes for police in them meanwhile.
RESERVED_WORDS = (
    "polis", "police", "poliisi", "booliis", "полиция", "поліція", "полис", "شرطة", "پلیس", "ፖሊስ",
    "admin", "moderat", "kvarter", "officer",
)  # fmt: skip
# The older spelling tricks: "P 0 l i s", "p.o.l.i.s" (leet digits, spacing, accents).
RESERVED_NICK = re.compile(r"polis|police|admin|moderat|kvarter|officer", re.IGNORECASE)
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
# A staff name is matched in full (a first name alone is anyone's name).
MIN_NAME = 5


def _compact(nick: str) -> str:
    """'P 0 l i s' → 'polis': spacing, punctuation, leet digits and accents removed."""
    folded = unicodedata.normalize("NFKD", nick.lower().translate(_LEET))
    return "".join(ch for ch in folded if ch.isalpha() and not unicodedata.combining(ch))


def _keys(text: str) -> frozenset[str]:
    """The skeletons of a text as written and in both cases (TS #39 maps "I" and "l" alike
    before case is folded, so "POLIS" and "polis" have different skeletons)."""
    return frozenset(k for v in (text, text.lower(), text.upper()) if (k := skeleton_key(v)))


@cache
def _reserved_keys() -> tuple[frozenset[str], ...]:
    return tuple(_keys(word) for word in RESERVED_WORDS)


@lru_cache(maxsize=4096)
def _name_keys(name: str) -> frozenset[str]:
    """A staff name's skeletons (names are few and change seldom: kept)."""
    return _keys(" ".join(name.split())) | _keys("".join(ch for ch in name if ch.isalnum()))


def _candidates(nick: str) -> frozenset[str]:
    bare = "".join(ch for ch in nick if ch.isalnum())
    return _keys(nick) | _keys(bare) | _keys(_compact(nick))


def _contains(candidates: Iterable[str], keys: Iterable[str]) -> bool:
    return any(key in candidate for key in keys for candidate in candidates)


def passes_for_police(nick: str) -> bool:
    """A police or staff word is in the nickname, however it is spelled or lettered."""
    if RESERVED_NICK.search(nick) or RESERVED_NICK.search(_compact(nick)):
        return True
    candidates = _candidates(nick)
    return any(_contains(candidates, keys) for keys in _reserved_keys())


def passes_for_staff(nick: str, staff_names: Iterable[str]) -> bool:
    """An active staff member's display name is in the nickname, however it is lettered."""
    candidates = _candidates(nick)
    return any(len(name.strip()) >= MIN_NAME and _contains(candidates, _name_keys(name)) for name in staff_names)


def room_key(nick: str) -> str:
    """One skeleton for a nickname in a room, so that "Lo-4821", "LO-4821" and "Lо-4821" (a
    Cyrillic о) are one name there: the skeleton of the upper case, lower-cased (TS #39 maps
    "I" and "l" alike, so this also joins "Mikael" and "MlKAEL")."""
    return skeleton_key(" ".join(nick.upper().split())).lower()
