"""Settings and helpers the hardening rests on: what the header settings accept, and how a
client's address becomes a per-source key."""

from __future__ import annotations

import datetime as dt

import pytest

from server.config import ConfigError, Settings, load_settings
from server.http.source import client_source, source_key


def test_settings_refuse_what_could_weaken_the_headers() -> None:
    """KVARTER_WIDGET_FRAME_ANCESTORS takes CSP sources only (nothing that ends the directive or
    adds one), and KVARTER_TRUSTED_PROXIES addresses or networks only; both name the variable."""
    base = {"KVARTER_SECRET_KEY": "k" * 40}
    for bad in ("https://a.example; script-src *", "'unsafe-inline'", "javascript:", "https://a.example'"):
        with pytest.raises(ConfigError, match="KVARTER_WIDGET_FRAME_ANCESTORS"):
            load_settings({**base, "KVARTER_WIDGET_FRAME_ANCESTORS": bad})
    good = load_settings({**base, "KVARTER_WIDGET_FRAME_ANCESTORS": "'self', https://*.kommun.example.se:443 *"})
    assert good.frame_ancestors() == "'self' https://*.kommun.example.se:443 *"
    with pytest.raises(ConfigError, match="KVARTER_TRUSTED_PROXIES"):
        load_settings({**base, "KVARTER_TRUSTED_PROXIES": "nginx.local"})
    assert load_settings({**base, "KVARTER_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}).trusted_proxies == (
        "127.0.0.1/32",
        "10.0.0.0/8",
    )


def test_the_source_is_a_daily_keyed_hash_of_the_right_address() -> None:
    """Behind a trusted proxy the nearest untrusted X-Forwarded-For hop is the client (a malformed
    hop stops the walk); the key for an address changes every day and does not contain it."""
    trusting = Settings(secret_key="k" * 40, trusted_proxies=("10.0.0.0/8",))
    plain = Settings(secret_key="k" * 40)

    def environ(peer: str, forwarded: str | None = None) -> dict[str, str]:
        return {"REMOTE_ADDR": peer, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}

    assert client_source(environ("10.0.0.2", "198.51.100.1, 203.0.113.9, 10.0.0.3"), trusting) == "203.0.113.9"
    assert client_source(environ("10.0.0.2", "203.0.113.9, not-an-ip"), trusting) == "unknown"
    assert client_source(environ("10.0.0.2"), trusting) == "10.0.0.2"
    assert client_source(environ("192.0.2.7", "203.0.113.9"), trusting) == "192.0.2.7"
    assert client_source(environ("10.0.0.2", "203.0.113.9"), plain) == "10.0.0.2"
    today = dt.date(2026, 11, 22)
    key = source_key("203.0.113.9", "k" * 40, today)
    assert key == source_key("203.0.113.9", "k" * 40, today)
    assert key != source_key("203.0.113.9", "k" * 40, today + dt.timedelta(days=1))
    assert key != source_key("203.0.113.9", "another secret key of forty characters!!", today)
    assert "203" not in key and len(key) == 32
