"""Spam in one message: the same thing over and over, a flood of links or symbols, a wall of text.

The library sees one message at a time; the same message sent many times by one sender is for
the service's rate limits to catch, not for this module.
"""

from __future__ import annotations

import re
from collections import Counter

from moderation.normalise import Normalised
from moderation.verdict import Span

# The same character 15 or more times in a row ("!!!!!!!!!!!!!!!", "😂" × 15); fewer is emphasis.
_CHAR_RUN = re.compile(r"(\S)\1{14,}")
# The same test written out: finding where a run starts is about twice as fast this way.
_CHAR_RUN_START = re.compile(r"(\S)" + r"\1" * 14)
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']{1,2048}"
    r"|\b[a-z0-9-]{2,63}\.(?:com|net|org|se|io|ly|gg|xyz|ru|info|biz|link|click|top)/[^\s]{0,2048}",
    re.IGNORECASE,
)
MAX_LINKS = 2
LONG_MESSAGE = 3000
MIN_TOKENS_FOR_REPEAT = 8
REPEAT_SHARE = 0.5


def find_spam(text: str, norm: Normalised) -> list[Span]:
    """Spans of repeated text, link floods and over-long messages."""
    spans: list[Span] = []
    start = _CHAR_RUN_START.search(text)
    run = _CHAR_RUN.match(text, start.start()) if start else None
    if run:
        spans.append(Span(run.start(), run.end(), "spam.repeat"))
    tokens = norm.words
    # One word can make up half the message only if at most half + 1 of the words differ.
    if len(tokens) >= MIN_TOKENS_FOR_REPEAT and len(set(tokens)) <= len(tokens) // 2 + 1:
        _, count = Counter(tokens).most_common(1)[0]
        whole = Span(norm.starts[1], norm.ends[-2], "spam.repeat")
        mostly_one_word = count / len(tokens) >= REPEAT_SHARE and count >= MIN_TOKENS_FOR_REPEAT // 2
        if mostly_one_word or (len(tokens) >= 2 * MIN_TOKENS_FOR_REPEAT and _repeated_phrase(tokens)):
            spans.append(whole)
    if ("http" in text or "www." in text or "/" in text) and text.count(".") >= MAX_LINKS + 1:
        links = list(_LINK.finditer(text))
        if len(links) > MAX_LINKS:
            spans.extend(Span(link.start(), link.end(), "spam.links") for link in links)
    if len(text) > LONG_MESSAGE:
        spans.append(Span(LONG_MESSAGE, len(text), "spam.flood"))
    return spans


def _repeated_phrase(tokens: list[str]) -> bool:
    """Whether a phrase of 2–6 words makes up most of the message (a pasted line, repeated)."""
    for size in range(2, 7):
        grams = Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
        _, count = grams.most_common(1)[0]
        if count * size / len(tokens) >= REPEAT_SHARE and count >= 3:
            return True
    return False
