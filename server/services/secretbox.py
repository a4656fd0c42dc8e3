"""Small secrets at rest (TOTP seeds), sealed with keys derived from KVARTER_SECRET_KEY.

`cryptography` is not a dependency of Kvarter, so this is built from the standard library only:
HMAC-SHA256 as a pseudo-random function in counter mode gives the key stream (like AES-CTR, with
HMAC for the block cipher), and HMAC-SHA256 over the version, the context, the nonce and the
ciphertext authenticates it (encrypt-then-MAC). Encryption and MAC keys are derived separately
from the secret key. The context binds a sealed value to its row, so it cannot be copied to
another account. A database dump alone does not reveal the secrets; the secret key does, and
changing the secret key makes them unreadable (those accounts enrol again: `kvarter user totp`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

VERSION = "v1"
_NONCE = 16
_TAG = 32


class SealError(Exception):
    """A sealed value was changed, belongs elsewhere, or was sealed under another key."""


def _keys(secret_key: str) -> tuple[bytes, bytes]:
    root = hmac.new(secret_key.encode(), b"kvarter secretbox " + VERSION.encode(), hashlib.sha256).digest()
    return (
        hmac.new(root, b"encrypt", hashlib.sha256).digest(),
        hmac.new(root, b"authenticate", hashlib.sha256).digest(),
    )


def _stream(key: bytes, nonce: bytes, size: int) -> bytes:
    blocks = (hmac.new(key, nonce + i.to_bytes(4, "big"), hashlib.sha256).digest() for i in range(size // 32 + 1))
    return b"".join(blocks)[:size]


def _tag(key: bytes, context: str, nonce: bytes, ciphertext: bytes) -> bytes:
    ctx = context.encode()
    header = VERSION.encode() + len(ctx).to_bytes(4, "big") + ctx
    return hmac.new(key, header + nonce + ciphertext, hashlib.sha256).digest()


def seal(secret_key: str, plaintext: str, context: str) -> str:
    """Encrypt and authenticate `plaintext` for `context` (e.g. "totp:42")."""
    enc, mac = _keys(secret_key)
    data = plaintext.encode()
    nonce = secrets.token_bytes(_NONCE)
    ciphertext = bytes(a ^ b for a, b in zip(data, _stream(enc, nonce, len(data)), strict=True))
    packed = nonce + ciphertext + _tag(mac, context, nonce, ciphertext)
    return f"{VERSION}:{base64.urlsafe_b64encode(packed).decode()}"


def unseal(secret_key: str, sealed: str, context: str) -> str:
    """The plaintext of a sealed value; SealError if it does not check out."""
    version, _, body = sealed.partition(":")
    if version != VERSION:
        raise SealError("unknown sealed format")
    try:
        packed = base64.urlsafe_b64decode(body.encode())
    except ValueError:
        raise SealError("not a sealed value") from None
    if len(packed) < _NONCE + _TAG:
        raise SealError("not a sealed value")
    nonce, ciphertext, tag = packed[:_NONCE], packed[_NONCE:-_TAG], packed[-_TAG:]
    enc, mac = _keys(secret_key)
    if not hmac.compare_digest(tag, _tag(mac, context, nonce, ciphertext)):
        raise SealError("sealed value does not authenticate")
    data = bytes(a ^ b for a, b in zip(ciphertext, _stream(enc, nonce, len(ciphertext)), strict=True))
    return data.decode()
