"""Time-based one-time codes (RFC 6238, the 6-digit codes of authenticator apps) and one-time
recovery codes. Pure functions: storage and the rules of who needs them live in accounts.py."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ISSUER = "Kvarter"
# One step of clock drift either way; a code stays usable about 30 s on each side of its step.
DRIFT_STEPS = 1
RECOVERY_CODES = 10
# 10 characters from 31 unambiguous ones: about 50 bits each. Below 112 bits, so stored as an
# argon2id hash with a random salt (ASVS 6.5.2), with OWASP's minimum parameters (19 MiB, t=2,
# p=1): checking all ten stays under a second. Guessing is bounded by the login throttle.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LEN = 10
_SIX_DIGITS = re.compile(r"^\d{6}$")
_recovery_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def new_secret() -> str:
    """A fresh 160-bit base32 secret from the system's CSPRNG."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str) -> str:
    """otpauth:// URI for authenticator apps (as a QR code or a link)."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)


def normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def looks_like_totp(code: str) -> bool:
    return bool(_SIX_DIGITS.match(normalise(code)))


def match(secret: str, code: str, now: dt.datetime, last_counter: int | None) -> int | None:
    """The time step `code` belongs to, if it is valid now and newer than the last one used
    (so that a code is never accepted twice); else None. Time is the server's, never the client's."""
    code = normalise(code)
    if not _SIX_DIGITS.match(code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    found = None
    for counter in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        # Compare every candidate, so the time taken does not tell which step matched.
        if hmac.compare_digest(totp.generate_otp(counter), code) and (last_counter is None or counter > last_counter):
            found = counter
    return found


def new_recovery_codes() -> list[str]:
    """Ten fresh codes, shown once, formatted 'abcde-fghjk'."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LEN))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    return codes


def hash_recovery_code(code: str) -> str:
    """Blocking (argon2): call it from a thread."""
    return _recovery_hasher.hash(normalise(code))


def recovery_code_matches(stored: str, code: str) -> bool:
    """Blocking (argon2): call it from a thread."""
    try:
        return _recovery_hasher.verify(stored, normalise(code))
    except (VerificationError, InvalidHashError):
        return False
