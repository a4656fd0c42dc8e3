"""Anonymous youth identities: a bearer token is the only way back to a conversation."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from server.errors import Blocked, Invalid
from server.services import access, audit, nicknames, retention, screening, shapes, triage
from server.services.actors import PendingYouth, YouthActor
from server.services.deps import Deps
from server.storage.records import ConversationRec, YouthRec

LANGS = ("sv", "en")
NICK_ANIMALS = (
    "Räv", "Uggla", "Älg", "Lo", "Hare", "Ekorre", "Grävling", "Järv", "Bäver", "Mård",
    "Trana", "Korp", "Igelkott", "Utter", "Lodjur", "Hjort",
)  # fmt: skip
NICK_MIN, NICK_MAX = 2, 32
MISTAKEN = "that nickname could be mistaken for police or staff; choose another"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def clean_nickname(raw: str) -> str:
    """Normalise and check a chosen nickname."""
    nick = " ".join(unicodedata.normalize("NFC", raw).split())
    if not NICK_MIN <= len(nick) <= NICK_MAX:
        raise Invalid(f"nickname must be {NICK_MIN}-{NICK_MAX} characters")
    if any(unicodedata.category(ch).startswith(("C", "Z")) and ch != " " for ch in nick):
        raise Invalid("nickname contains invisible or control characters")
    if nicknames.passes_for_police(nick):
        raise Blocked(MISTAKEN)
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
    # Set while the identity is not stored yet (see `connect`).
    pending: PendingYouth | None = None

    def actor(self, source: str = "", admit: Callable[[], Awaitable[float]] | None = None) -> YouthActor:
        return YouthActor(self.youth.id, self.pending, source, admit if self.pending else None)

    def payload(self) -> dict[str, Any]:
        return {
            "token": self.token,
            "youth": shapes.youth_self(self.youth),
            "conversations": [shapes.conversation(c, for_staff=False) for c in self.conversations],
            "reports": self.reports,
            "retention": self.retention,
        }


def _mac(secret: str, purpose: bytes, raw: str) -> bytes:
    return hmac.new(secret.encode(), purpose + raw.encode(), hashlib.sha256).digest()


def _token_tag(secret: str, raw: str) -> str:
    return base64.urlsafe_b64encode(_mac(secret, b"youth-token:", raw)[:16]).rstrip(b"=").decode()


def _issue_token(secret: str) -> str:
    """A new bearer token: 256 random bits and a MAC of them, so that the server recognises a
    token it handed out even before the identity behind it is stored."""
    raw = secrets.token_urlsafe(32)
    return f"{raw}.{_token_tag(secret, raw)}"


def _issued_identity(secret: str, token: str) -> tuple[str, str] | None:
    """The id and nickname of an identity this server issued with the token (derived from it
    with the secret key, so a reconnect before the first write resumes the same identity), or
    None for a token it did not issue."""
    raw, _, mac = token.partition(".")
    if not raw or not hmac.compare_digest(mac.encode(), _token_tag(secret, raw).encode()):  # bytes: any text may come
        return None
    d = _mac(secret, b"youth-id:", raw)
    nickname = f"{NICK_ANIMALS[d[12] % len(NICK_ANIMALS)]}-{int.from_bytes(d[13:15]) % 9000 + 1000}"
    return d[:12].hex(), nickname


def _pending(
    youth_id: str, nickname: str, token: str, lang: str, now: dt.datetime, kept: dict[str, int]
) -> YouthSession:
    pending = PendingYouth(token_hash(token), nickname, lang, now)
    return YouthSession(YouthRec(youth_id, nickname, lang, None), token, [], [], kept, pending)


async def connect(deps: Deps, token: str | None, lang: str) -> YouthSession:
    """The identity for a valid token, or a fresh one with a new token. A fresh identity is
    not stored until its first write (`access.youth_member`): a connect costs no write, and a
    visitor who only reads leaves nothing behind."""
    now = deps.clock.now()
    kept = retention.for_youth(deps.settings)
    secret = deps.settings.secret_key
    if token:
        issued = _issued_identity(secret, token)
        async with deps.db.transaction() as tx:
            found = await tx.youth.by_token_hash(token_hash(token))
            if found is not None:
                await tx.youth.touch(found.id, lang=lang, now=now)
                convs = await tx.conversations.open_of_youth(found.id)
                reports = await triage.youth_reports(tx, found.id)
                return YouthSession(found, token, convs, reports, kept)
            # Issued here and never stored — unless its id is taken by a row that no longer
            # carries this token (scrubbed by retention): then it starts afresh like any other.
            if issued is not None and await tx.youth.by_id(issued[0]) is None:
                return _pending(*issued, token, lang, now, kept)
    new_token = _issue_token(secret)
    issued = _issued_identity(secret, new_token)
    assert issued is not None
    return _pending(*issued, new_token, lang, now, kept)


async def forget(deps: Deps, actor: YouthActor) -> dict[str, Any]:
    """ "Forget me": the token stops opening this identity at once, on the server — a copy of it
    reads nothing and gets a new identity on its next connect. An identity never written with is
    stored as revoked, so its token (whose identity is derived from it) cannot bring it back.
    What it wrote follows the retention rules."""
    marker = f"forgotten:{secrets.token_hex(16)}"
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        if await tx.youth.by_id(actor.youth_id) is not None:
            await tx.youth.revoke_token(actor.youth_id, marker)
        elif (pending := actor.pending) is not None:
            await tx.youth.add_if_absent(
                youth_id=actor.youth_id, token_hash=marker, nickname=pending.nickname, lang=pending.lang, now=now
            )
        await audit.record(
            tx, at=now, actor=actor, action="youth.forget", target_kind="youth", target_id=actor.youth_id
        )
    return {}


async def set_nickname(deps: Deps, actor: YouthActor, nickname: str) -> dict[str, Any]:
    nick = clean_nickname(nickname)
    async with deps.db.transaction() as tx:
        await access.youth_member(tx, actor)
        if nicknames.passes_for_staff(nick, await tx.staff.active_display_names()):
            raise Blocked(MISTAKEN)
        await tx.youth.set_nickname(actor.youth_id, nick)
        youth = await access.youth_member(tx, actor)
    return {"youth": shapes.youth_self(youth)}
