"""Guidance and handoff cards: texts, numbers and links from an editable data file.

A deployment points KVARTER_GUIDANCE_FILE at its own copy to change texts without code;
the file is validated when the server starts.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

import msgspec

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "content" / "guidance.json"
LANGS = ("sv", "en")
REQUIRED_KINDS = ("112", "11414", "online_report", "bris", "mind")


class Card(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=120)]
    body: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    tel: Annotated[str, msgspec.Meta(pattern=r"^\+?[0-9]{3,15}$")] | None = None
    url: Annotated[str, msgspec.Meta(pattern=r"^https://\S+$")] | None = None


class GuidanceError(Exception):
    """The guidance file is missing, malformed or incomplete."""


def read_content(path: Path, kind: Any, error: type[Exception]) -> Any:
    """A deployment's content file (JSON) decoded as `kind` and validated; `error` says what is
    wrong, naming the file (start-up stops with it)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise error(f"{path}: {exc.strerror}") from None
    try:
        return msgspec.json.decode(raw, type=kind)
    except msgspec.ValidationError as exc:
        raise error(f"{path}: {exc}") from None
    except msgspec.DecodeError as exc:
        raise error(f"{path}: not JSON: {exc}") from None


class Guidance:
    """Cards per language and kind."""

    def __init__(self, cards: dict[str, dict[str, Card]]) -> None:
        self._cards = cards

    @classmethod
    def load(cls, path: Path = DEFAULT_FILE) -> Guidance:
        cards: dict[str, dict[str, Card]] = read_content(path, dict[str, dict[str, Card]], GuidanceError)
        for lang in LANGS:
            missing = [k for k in REQUIRED_KINDS if k not in cards.get(lang, {})]
            if missing:
                raise GuidanceError(f"{path}: language {lang!r} lacks cards {', '.join(missing)}")
        bad = [k for lang in cards.values() for k in lang if not re.fullmatch(r"[a-z0-9_]{1,32}", k)]
        if bad:
            raise GuidanceError(f"{path}: card kinds must be a-z, 0-9 or _: {bad[0]!r}")
        return cls(cards)

    def kinds(self) -> frozenset[str]:
        return frozenset(self._cards["sv"])

    def card(self, kind: str, lang: str) -> dict[str, Any]:
        """A card in the protocol's shape, in the language asked for (Swedish as fallback)."""
        card = self._cards.get(lang, {}).get(kind) or self._cards["sv"][kind]
        out: dict[str, Any] = {"kind": kind, "title": card.title, "body": card.body}
        if card.tel:
            out["tel"] = card.tel
        if card.url:
            out["url"] = card.url
        return out


def for_report(*, category: str, danger_now: bool, staffed: bool) -> list[str]:
    """Which cards a young person sees at once after reporting, most urgent first.

    The 112 card comes first whenever someone may be in danger now, and 112 and 114 14 are
    always shown when no officer is on duty to read the report soon.
    """
    kinds: list[str] = []
    if danger_now:
        kinds.append("112")
    if category == "online_crime":
        kinds += ["11414", "online_report", "bris"]
    elif category == "unsafe":
        kinds += ["bris", "mind"]
    elif not danger_now:
        kinds.append("11414")
    if not staffed:
        kinds = ["112", "11414", *kinds]
    return list(dict.fromkeys(kinds))
