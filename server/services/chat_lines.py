"""What the young person is told, in their language, when their chat changes hands.

The texts are data (KVARTER_CHAT_LINES_FILE, by default server/content/chat_lines.json), so a
deployment changes them without code; the file is validated when the server starts.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import msgspec

from server.config import DEFAULT_CHAT_LINES_FILE
from server.services.guidance import read_content

LANGS = ("sv", "en")
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=600)]


class Lines(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    weekdays: Annotated[list[Text], msgspec.Meta(min_length=7, max_length=7)]
    months: Annotated[list[Text], msgspec.Meta(min_length=12, max_length=12)]
    when: Text
    officer_left: Text
    officer_left_nobody: Text
    officer_left_nobody_next: Text
    emergency: Text
    transferred: Text


class ChatLinesError(Exception):
    """The chat lines file is missing, malformed or incomplete."""


class ChatLines:
    """The texts per language (Swedish when a language has none)."""

    def __init__(self, lines: dict[str, Lines]) -> None:
        self._lines = lines

    @classmethod
    def load(cls, path: Path = DEFAULT_CHAT_LINES_FILE) -> ChatLines:
        lines: dict[str, Lines] = read_content(path, dict[str, Lines], ChatLinesError)
        missing = [lang for lang in LANGS if lang not in lines]
        if missing:
            raise ChatLinesError(f"{path}: no texts for {', '.join(missing)}")
        return cls(lines)

    def _of(self, lang: str) -> Lines:
        return self._lines.get(lang) or self._lines["sv"]

    def when(self, at: dt.datetime, lang: str, tz: ZoneInfo) -> str:
        """A moment as people say it: "fredag 11 december kl. 18:00"."""
        lines, local = self._of(lang), at.astimezone(tz)
        return lines.when.format(
            weekday=lines.weekdays[local.weekday()],
            day=local.day,
            month=lines.months[local.month - 1],
            time=local.strftime("%H:%M"),
        )

    def officer_left(self, lang: str, officer: str, *, others_on_duty: bool, next_window: str | None) -> str:
        """The officer went off duty: the chat waits for the next one, or nobody is online (then
        when next, and the way to 112 and 114 14)."""
        lines = self._of(lang)
        if others_on_duty:
            return lines.officer_left.format(officer=officer)
        if next_window:
            text = lines.officer_left_nobody_next.format(officer=officer, when=next_window)
        else:
            text = lines.officer_left_nobody.format(officer=officer)
        return f"{text} {lines.emergency}"

    def transferred(self, lang: str, officer: str, area: str) -> str:
        return self._of(lang).transferred.format(officer=officer, area=area)
