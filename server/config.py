"""Settings: one frozen object read from KVARTER_* environment variables.

Bad settings stop start-up with a message naming the variable, so a misconfigured
deployment fails at once instead of at the first request.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB_PATH = REPO_ROOT / "var" / "kvarter.db"
DEFAULT_STATIC_DIR = REPO_ROOT / "webclient" / "dist"
DEFAULT_GUIDANCE_FILE = REPO_ROOT / "server" / "content" / "guidance.json"
DEFAULT_CHAT_LINES_FILE = REPO_ROOT / "server" / "content" / "chat_lines.json"
MIN_SECRET_LENGTH = 32


class ConfigError(Exception):
    """A setting is missing or wrong; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    """Everything the service is built from."""

    secret_key: str = field(repr=False)
    database_url: str = f"sqlite+aiosqlite:///{DEFAULT_DB_PATH}"
    redis_url: str | None = None
    redis_prefix: str = "kvarter:"
    host: str = "127.0.0.1"
    port: int = 8080
    allowed_origins: tuple[str, ...] = ()
    timezone: str = "Europe/Stockholm"
    cookie_secure: bool = False
    log_level: str = "INFO"
    staff_session_hours: int = 12
    # A staff session not used for this long ends (an open console counts as use).
    staff_idle_minutes: int = 30
    # CSP frame-ancestors of /widget/: the host sites that may embed it. Empty: this server's own
    # origins only ('self' and the allowed origins); "*" lets any site frame it.
    widget_frame_ancestors: str = ""
    static_dir: Path = DEFAULT_STATIC_DIR
    guidance_file: Path = DEFAULT_GUIDANCE_FILE
    p1_alert_seconds: int = 60
    # A chat waiting this long alerts the officers on duty for its room; twice this long, the
    # region's supervisors.
    chat_alert_seconds: int = 120
    # What the young person is told when their chat changes hands (services/chat_lines.py).
    chat_lines_file: Path = DEFAULT_CHAT_LINES_FILE
    # How often the server's clock work runs: escalations, duty expiry, window boundaries.
    tick_seconds: float = 5.0
    duty_heartbeat_seconds: int = 120
    default_shift_hours: int = 8
    # Retention periods in days by key (see services/retention.py); unset keys use defaults.
    retention_days: dict[str, int] = field(default_factory=dict)
    # permessage-deflate on socket.io websockets: off by default, as in Node's socket.io; on, it
    # costs a zlib stream per connection and the per-connection (not the one-frame) broadcast.
    ws_deflate: bool = False
    # Proxies whose X-Forwarded-For is believed (addresses or networks), e.g. nginx on 127.0.0.1;
    # without them every client behind a proxy is the proxy's address (server/http/source.py).
    trusted_proxies: tuple[str, ...] = ()
    # Concurrent socket.io connections per source (keyed hash of the client address); 0: no cap.
    max_connections_per_source: int = 50
    # Socket.IO events a /youth connection may send: a burst, then so many a second (a /staff
    # connection gets STAFF_EVENT_FACTOR times both). Beyond: `rate_limited`, then a disconnect.
    event_rate: int = 20
    event_burst: int = 40
    # Anonymous work that reaches officers (services/admission.py): reports a source (a client
    # address, or an IPv6 /64) may send at once, then 10 a minute; new private chats the same
    # burst, then 20 a minute; a neighbourhood takes 3x the burst and a region 8x.
    anonymous_burst: int = 20
    # Private messages one young person may send at once, then one a second.
    youth_chat_burst: int = 20
    # /metrics answers a bearer of this token from anywhere; without one, loopback clients only.
    metrics_token: str | None = field(default=None, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def frame_ancestors(self) -> str:
        """The CSP frame-ancestors sources of the widget."""
        return self.widget_frame_ancestors or " ".join(("'self'", *self.origins()))

    def origins(self) -> tuple[str, ...]:
        """The websocket/CSRF origin allow-list: the configured one or this server's own."""
        if self.allowed_origins:
            return self.allowed_origins
        hosts = {self.host}
        if self.host in ("127.0.0.1", "localhost", "0.0.0.0"):  # noqa: S104 - a name, not a bind
            hosts = {"127.0.0.1", "localhost"}
        return tuple(sorted(f"http://{h}:{self.port}" for h in hosts))


def normalise_database_url(url: str) -> str:
    """Accept plain sqlite:// and postgresql:// URLs and pick the async driver."""
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def _bool(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ConfigError(f"{name} must be true or false, not {raw!r}")


def _int(name: str, raw: str, low: int, high: int) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, not {value}")
    return value


def _origin(name: str, raw: str) -> str:
    parts = urlsplit(raw.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ConfigError(f"{name}: {raw!r} is not an origin like https://example.se")
    return f"{parts.scheme}://{parts.netloc}"


# A CSP source the widget's frame-ancestors accepts: 'self', *, a scheme, or [scheme://]host[:port]
# with an optional leading "*." — nothing that could end the directive or add another.
_FRAME_SOURCE = re.compile(r"^(?:'self'|\*|https?:|(?:https?://)?(?:\*\.)?[A-Za-z0-9.-]+(?::(?:[0-9]{1,5}|\*))?)$")


def _frame_ancestors(raw: str) -> str:
    sources = [s for s in re.split(r"[\s,]+", raw) if s]
    for source in sources:
        if not _FRAME_SOURCE.match(source):
            raise ConfigError(f"KVARTER_WIDGET_FRAME_ANCESTORS: {source!r} is not a CSP source like https://example.se")
    return " ".join(sources)


def _networks(name: str, raw: str) -> tuple[str, ...]:
    out = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        try:
            out.append(str(ipaddress.ip_network(part, strict=False)))
        except ValueError:
            raise ConfigError(f"{name}: {part!r} is not an IP address or network like 10.0.0.0/8") from None
    return tuple(out)


def _secret(env: Mapping[str, str]) -> str:
    if "KVARTER_SECRET_KEY_FILE" in env:
        path = Path(env["KVARTER_SECRET_KEY_FILE"])
        try:
            secret = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"KVARTER_SECRET_KEY_FILE: cannot read {path}: {exc.strerror}") from None
        name = "KVARTER_SECRET_KEY_FILE"
    elif "KVARTER_SECRET_KEY" in env:
        secret = env["KVARTER_SECRET_KEY"].strip()
        name = "KVARTER_SECRET_KEY"
    else:
        raise ConfigError("KVARTER_SECRET_KEY or KVARTER_SECRET_KEY_FILE must be set")
    if len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(f"{name}: the secret key must be at least {MIN_SECRET_LENGTH} characters")
    return secret


# Days to keep, by report outcome; "chat" for chats without a report, "room" for public room
# messages, "youth" for idle anonymous identities. KVARTER_RETENTION overrides any of them.
DEFAULT_RETENTION_DAYS = {
    "chat": 30,
    "room": 30,
    "youth": 90,
    "no_action": 30,
    "advice": 90,
    "abusive": 90,
    "referred_support": 180,
    "handoff_112": 365,
    "handoff_11414": 365,
    "qa": 30,
    "tips": 90,
}


def _retention(raw: str) -> dict[str, int]:
    """'no_action=30,handoff_112=365' → {'no_action': 30, 'handoff_112': 365}."""
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in raw.split(","))):
        key, _, value = (s.strip() for s in part.partition("="))
        if key not in DEFAULT_RETENTION_DAYS:
            raise ConfigError(f"KVARTER_RETENTION: unknown key {key!r}; one of {', '.join(DEFAULT_RETENTION_DAYS)}")
        if not value.isdigit() or not 1 <= int(value) <= 3650:
            raise ConfigError(f"KVARTER_RETENTION: {key} must be a whole number of days from 1 to 3650")
        out[key] = int(value)
    return out


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate settings; raises ConfigError naming the variable at fault."""
    env = os.environ if env is None else env
    kwargs: dict[str, object] = {"secret_key": _secret(env)}
    if url := env.get("KVARTER_DATABASE_URL", "").strip():
        url = normalise_database_url(url)
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ConfigError("KVARTER_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        kwargs["database_url"] = url
    if redis_url := env.get("KVARTER_REDIS_URL", "").strip():
        if urlsplit(redis_url).scheme not in ("redis", "rediss", "unix"):
            raise ConfigError("KVARTER_REDIS_URL must be a redis://, rediss:// or unix:// URL")
        kwargs["redis_url"] = redis_url
    if prefix := env.get("KVARTER_REDIS_PREFIX", "").strip():
        kwargs["redis_prefix"] = prefix
    if host := env.get("KVARTER_HOST", "").strip():
        kwargs["host"] = host
    if port := env.get("KVARTER_PORT", "").strip():
        kwargs["port"] = _int("KVARTER_PORT", port, 0, 65535)
    if origins := env.get("KVARTER_ALLOWED_ORIGINS", "").strip():
        kwargs["allowed_origins"] = tuple(
            _origin("KVARTER_ALLOWED_ORIGINS", o) for o in origins.split(",") if o.strip()
        )
    if tz := env.get("KVARTER_TIMEZONE", "").strip():
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"KVARTER_TIMEZONE: unknown time zone {tz!r}") from None
        kwargs["timezone"] = tz
    if secure := env.get("KVARTER_COOKIE_SECURE"):
        kwargs["cookie_secure"] = _bool("KVARTER_COOKIE_SECURE", secure)
    if level := env.get("KVARTER_LOG_LEVEL", "").strip():
        if not isinstance(logging.getLevelName(level.upper()), int):
            raise ConfigError(f"KVARTER_LOG_LEVEL: unknown level {level!r}")
        kwargs["log_level"] = level.upper()
    if hours := env.get("KVARTER_STAFF_SESSION_HOURS", "").strip():
        kwargs["staff_session_hours"] = _int("KVARTER_STAFF_SESSION_HOURS", hours, 1, 24 * 7)
    if idle := env.get("KVARTER_STAFF_IDLE_MINUTES", "").strip():
        kwargs["staff_idle_minutes"] = _int("KVARTER_STAFF_IDLE_MINUTES", idle, 5, 24 * 60)
    if ancestors := env.get("KVARTER_WIDGET_FRAME_ANCESTORS", "").strip():
        kwargs["widget_frame_ancestors"] = _frame_ancestors(ancestors)
    if static := env.get("KVARTER_STATIC_DIR", "").strip():
        kwargs["static_dir"] = Path(static)
    if guidance := env.get("KVARTER_GUIDANCE_FILE", "").strip():
        kwargs["guidance_file"] = Path(guidance)
    if lines := env.get("KVARTER_CHAT_LINES_FILE", "").strip():
        kwargs["chat_lines_file"] = Path(lines)
    if chat_alert := env.get("KVARTER_CHAT_ALERT_SECONDS", "").strip():
        kwargs["chat_alert_seconds"] = _int("KVARTER_CHAT_ALERT_SECONDS", chat_alert, 10, 3600)
    if alert := env.get("KVARTER_P1_ALERT_SECONDS", "").strip():
        kwargs["p1_alert_seconds"] = _int("KVARTER_P1_ALERT_SECONDS", alert, 5, 3600)
    if heartbeat := env.get("KVARTER_DUTY_HEARTBEAT_SECONDS", "").strip():
        kwargs["duty_heartbeat_seconds"] = _int("KVARTER_DUTY_HEARTBEAT_SECONDS", heartbeat, 30, 3600)
    if retention := env.get("KVARTER_RETENTION", "").strip():
        kwargs["retention_days"] = _retention(retention)
    if shift := env.get("KVARTER_DEFAULT_SHIFT_HOURS", "").strip():
        kwargs["default_shift_hours"] = _int("KVARTER_DEFAULT_SHIFT_HOURS", shift, 1, 16)
    if deflate := env.get("KVARTER_WS_DEFLATE"):
        kwargs["ws_deflate"] = _bool("KVARTER_WS_DEFLATE", deflate)
    if proxies := env.get("KVARTER_TRUSTED_PROXIES", "").strip():
        kwargs["trusted_proxies"] = _networks("KVARTER_TRUSTED_PROXIES", proxies)
    if cap := env.get("KVARTER_MAX_CONNECTIONS_PER_SOURCE", "").strip():
        kwargs["max_connections_per_source"] = _int("KVARTER_MAX_CONNECTIONS_PER_SOURCE", cap, 0, 1_000_000)
    if rate := env.get("KVARTER_EVENT_RATE", "").strip():
        kwargs["event_rate"] = _int("KVARTER_EVENT_RATE", rate, 1, 10_000)
    if burst := env.get("KVARTER_EVENT_BURST", "").strip():
        kwargs["event_burst"] = _int("KVARTER_EVENT_BURST", burst, 1, 100_000)
    if token := env.get("KVARTER_METRICS_TOKEN", "").strip():
        if len(token) < MIN_SECRET_LENGTH:
            raise ConfigError(f"KVARTER_METRICS_TOKEN: at least {MIN_SECRET_LENGTH} characters")
        kwargs["metrics_token"] = token
    if anonymous := env.get("KVARTER_ANONYMOUS_BURST", "").strip():
        kwargs["anonymous_burst"] = _int("KVARTER_ANONYMOUS_BURST", anonymous, 1, 100_000)
    if chat_burst := env.get("KVARTER_YOUTH_CHAT_BURST", "").strip():
        kwargs["youth_chat_burst"] = _int("KVARTER_YOUTH_CHAT_BURST", chat_burst, 1, 100_000)
    return Settings(**kwargs)  # type: ignore[arg-type]
