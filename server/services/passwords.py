"""Argon2id password hashing, run in a thread so the event loop never blocks on it, and the
rules a new password must meet."""

from __future__ import annotations

import asyncio
import itertools
import re
import secrets
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.profiles import RFC_9106_LOW_MEMORY

from server.errors import Invalid

# argon2id with RFC 9106's low-memory profile: 64 MiB, t=3, p=4 — above OWASP's minimum of
# 19 MiB, t=2, p=1. A stored hash with other parameters is replaced at the next login.
_hasher = PasswordHasher.from_parameters(RFC_9106_LOW_MEMORY)
# Verified when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # the login body's limit; argon2 takes any length

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "content" / "common-passwords.txt"
# Words of this service and its users that make easy guesses (ASVS 6.2.11); a password that is
# one of them with digits or punctuation around it is refused like a common one.
CONTEXT_WORDS = frozenset(
    {"kvarter", "kvarteret", "polis", "polisen", "police", "natpolis", "nätpolis", "netpatrol", "lösenord",
     "losenord", "password", "sommar", "vinter", "hejsan", "sverige", "stockholm", "umea", "umeå",
     "ostersund", "östersund", "malmo", "malmö", "officer", "supervisor", "admin", "administrator"}
)  # fmt: skip
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_SEPARATORS = re.compile(r"[\W\d_]+")
# A Swedish personal identity number or a date (YYYYMMDD-NNNN, YYMMDDNNNN, 1990-01-01…) or a phone number.
_DATE_OR_ID = re.compile(r"^((19|20)?\d{6}[-+]?\d{4}|(19|20)\d{2}[-./]?\d{2}[-./]?\d{2}.*|\+?46[\d -]+|0\d[\d -]{7,})$")


def _run(digits: str) -> bool:
    """123456789012 or 987654321098: each digit one more (or less) than the one before."""
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {9})


def _load_common(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


# Read once at import (start-up), never on the event loop.
COMMON_PASSWORDS = _load_common(COMMON_PASSWORDS_FILE)


def _easy_guess(password: str, username: str) -> bool:
    lowered = password.lower()
    words = COMMON_PASSWORDS | CONTEXT_WORDS | ({username.lower()} if username else set())
    core = _EDGES.sub("", lowered)
    if lowered in words or core in words:
        return True
    if not core:  # digits and punctuation only: no rule against that, but dates, ids, runs
        digits = re.sub(r"\D", "", password)
        return bool(_DATE_OR_ID.match(password.strip())) or _run(digits) or len(set(digits)) <= 2
    # "passwordpassword", "anna-anna-anna", "abcabcabcabc", "aaaaaaaaaaaa"
    letters = _SEPARATORS.sub("", core)
    for size in range(1, len(letters) // 2 + 1):
        if len(letters) % size == 0 and letters[:size] * (len(letters) // size) == letters:
            return size <= 3 or letters[:size] in words
    return False


def check_new_password(password: str, username: str = "") -> None:
    """Refuse a password that is too short, too long, common, built from a common one or the
    username, or (if only digits) a date, an identity or phone number or a run (ASVS 6.2.1,
    6.2.4, 6.2.9, 6.2.11). No composition rules (6.2.5)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"password must be at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(f"password must be at most {MAX_PASSWORD_LENGTH} characters")
    if _easy_guess(password, username):
        raise Invalid("that password is too common or easy to guess; choose another (a few random words work well)")


def generate_password() -> str:
    """A random password of about 96 bits, for new accounts."""
    return secrets.token_urlsafe(12)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


async def verify_password(stored: str | None, password: str) -> bool:
    """Check a password; with no stored hash, spend the same time and say no."""
    if stored is None:
        await asyncio.to_thread(_verify, _DUMMY_HASH, password)
        return False
    return await asyncio.to_thread(_verify, stored, password)


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)
