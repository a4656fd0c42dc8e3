"""Device cookies: a browser that logged in to an account before is throttled on its own.

OWASP's "Slow Down Online Guessing Attacks with Device Cookies": a successful login leaves a
signed cookie in the browser, bound to the account. A later attempt for that account that
carries one is counted under the device's own key, not under the account's and the address's —
so attackers who hold the account in its delays from elsewhere never keep its owner out of the
browser they last logged in from, and a copied cookie still gets only the account's five free
failures before its own delays.

The cookie holds, for each of the last few accounts that logged in from the browser (a station
computer is shared), a random nonce and an HMAC of the nonce and the username under the secret
key. No username, account id or address is in it; a new secret key makes every cookie unknown.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets

COOKIE = "kvarter_device"
PATH = "/api/auth"
LIFETIME = dt.timedelta(days=180)
MAX_ACCOUNTS = 5
_ENTRY = re.compile(r"^[0-9a-f]{32}\.[0-9a-f]{32}$")


def _mac(secret_key: str, username: str, nonce: str) -> str:
    return hmac.new(secret_key.encode(), f"device\0{username}\0{nonce}".encode(), hashlib.sha256).hexdigest()[:32]


def _entries(value: str | None) -> list[str]:
    return [e for e in (value or "").split("-")[:MAX_ACCOUNTS] if _ENTRY.match(e)]


def _nonce_for(secret_key: str, entry: str, username: str) -> str | None:
    nonce, _, mac = entry.partition(".")
    return nonce if hmac.compare_digest(mac, _mac(secret_key, username, nonce)) else None


def device_for(secret_key: str, value: str | None, username: str) -> str | None:
    """The device's nonce when the cookie `value` holds a good entry for `username`; else None."""
    for entry in _entries(value):
        if (nonce := _nonce_for(secret_key, entry, username)) is not None:
            return nonce
    return None


def issue(secret_key: str, value: str | None, username: str) -> str:
    """The cookie after a successful login to `username`: its entry first (the same nonce when
    it had one, so the device keeps its throttle key), then up to MAX_ACCOUNTS - 1 others."""
    entries = _entries(value)
    own = [e for e in entries if _nonce_for(secret_key, e, username) is not None]
    nonce = own[0].partition(".")[0] if own else secrets.token_hex(16)
    others = [e for e in entries if e not in own]
    return "-".join([f"{nonce}.{_mac(secret_key, username, nonce)}", *others][:MAX_ACCOUNTS])
