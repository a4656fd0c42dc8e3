"""Anonymous youth identities: a bearer token is the only way back to a conversation."""

from __future__ import annotations

import hashlib
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from server.errors import Blocked, Invalid
from server.services import access, retention, screening, shapes, triage
from server.services.actors import YouthActor
from server.services.deps import Deps
from server.storage.records import ConversationRec, YouthRec

LANGS = ("sv", "en")
NICK_ANIMALS = (
    "Räv", "Uggla", "Älg", "Lo", "Hare", "Ekorre", "Grävling", "Järv", "Bäver", "Mård",
    "Trana", "Korp", "Igelkott", "Utter", "Lodjur", "Hjort",
)  # fmt: skip
# Words a nickname may not carry: nobody may pass for police or staff.
RESERVED_NICK = re.compile(r"polis|police|admin|moderat|kvarter|officer", re.IGNORECASE)
NICK_MIN, NICK_MAX = 2, 32


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def random_nickname() -> str:
    return f"{secrets.choice(NICK_ANIMALS)}-{secrets.randbelow(9000) + 1000}"


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})


def _compact(nick: str) -> str:
    """'P 0 l i s' → 'polis': spacing, punctuation, leet digits and accents removed."""
    folded = unicodedata.normalize("NFKD", nick.lower().translate(_LEET))
    return "".join(ch for ch in folded if ch.isalpha() and not unicodedata.combining(ch))


def clean_nickname(raw: str) -> str:
    """Normalise and check a chosen nickname."""
    nick = " ".join(unicodedata.normalize("NFC", raw).split())
    if not NICK_MIN <= len(nick) <= NICK_MAX:
        raise Invalid(f"nickname must be {NICK_MIN}-{NICK_MAX} characters")
    if any(unicodedata.category(ch).startswith(("C", "Z")) and ch != " " for ch in nick):
        raise Invalid("nickname contains invisible or control characters")
    if RESERVED_NICK.search(nick) or RESERVED_NICK.search(_compact(nick)):
        raise Blocked("that nickname could be mistaken for police or staff; choose another")
    verdict = screening.screen(nick, "nickname")
    if screening.blocked(verdict):
        raise Blocked(screening.explain(verdict), screening.details(verdict))
    return nick


@dataclass(frozen=True)
class YouthSession:
    youth: YouthRec
    token: str
    conversations: list[ConversationRec]
    reports: list[dict[str, Any]]
    # How long chats are kept, in days (the widget's welcome text says it).
    retention: dict[str, int]

    def payload(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "youth": shapes.youth_self(self.youth),
            "conversations": [shapes.conversation(c, for_staff=False) for c in self.conversations],
            "reports": self.reports,
            "retention": self.retention,
        }


async def connect(deps: Deps, token: str | None, lang: str) -> YouthSession:
    """The identity for a valid token, or a fresh one with a new token."""
    now = deps.clock.now()
    kept = retention.for_youth(deps.settings)
    async with deps.db.transaction() as tx:
        if token:
            found = await tx.youth.by_token_hash(token_hash(token))
            if found is not None:
                await tx.youth.touch(found.id, lang=lang, now=now)
                convs = await tx.conversations.open_of_youth(found.id)
                reports = await triage.youth_reports(tx, found.id)
                return YouthSession(found, token, convs, reports, kept)
        new_token = secrets.token_urlsafe(32)
        youth = await tx.youth.add(
            youth_id=secrets.token_hex(12),
            token_hash=token_hash(new_token),
            nickname=random_nickname(),
            lang=lang,
            now=now,
        )
        return YouthSession(youth, new_token, [], [], kept)


async def set_nickname(deps: Deps, actor: YouthActor, nickname: str) -> dict[str, Any]:
    nick = clean_nickname(nickname)
    async with deps.db.transaction() as tx:
        await access.youth_member(tx, actor)
        await tx.youth.set_nickname(actor.youth_id, nick)
        youth = await access.youth_member(tx, actor)
    return {"youth": shapes.youth_self(youth)}
