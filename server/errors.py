"""The error family of the protocol; edges map them to acks and HTTP responses."""

from __future__ import annotations

from typing import Any, ClassVar


class KvarterError(Exception):
    """An error the client is told about, with a protocol code."""

    code: ClassVar[str] = "internal"
    http_status: ClassVar[int] = 500

    def __init__(self, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            out["details"] = self.details
        return out


class Invalid(KvarterError):
    code = "invalid"
    http_status = 400


class TooLong(KvarterError):
    code = "too_long"
    http_status = 400


class Unauthorized(KvarterError):
    code = "unauthorized"
    http_status = 401


class Forbidden(KvarterError):
    code = "forbidden"
    http_status = 403


class NotFound(KvarterError):
    code = "not_found"
    http_status = 404


class RateLimited(KvarterError):
    code = "rate_limited"
    http_status = 429


class NewIdentityRefused(RateLimited):
    """A fresh anonymous identity not stored now: too many new ones from its source
    (services/admission.py). Reports and chats turn it into their refusal with the 112 card."""

    def __init__(self, wait: float) -> None:
        seconds = max(1, round(wait))
        super().__init__(
            f"many new young people are writing from your network just now; try again in {seconds} s",
            {"retry_after": seconds},
        )
        self.wait = wait


class Blocked(KvarterError):
    code = "blocked"
    http_status = 422


class Closed(KvarterError):
    code = "closed"
    http_status = 409


class Conflict(KvarterError):
    code = "conflict"
    http_status = 409


class Unavailable(KvarterError):
    """Storage or broker down: nothing was stored, the client may retry."""

    code = "unavailable"
    http_status = 503


class Internal(KvarterError):
    code = "internal"
    http_status = 500
