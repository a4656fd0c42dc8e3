"""Settings fail early and name the variable at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.config import ConfigError, load_settings

KEY = "k" * 40


def test_defaults_with_only_a_secret() -> None:
    """With just a secret key: SQLite under var/, one process, Stockholm time, own origins allowed."""
    s = load_settings({"KVARTER_SECRET_KEY": KEY})
    assert s.database_url.startswith("sqlite+aiosqlite:///") and s.database_url.endswith("var/kvarter.db")
    assert s.redis_url is None
    assert s.timezone == "Europe/Stockholm"
    assert s.origins() == ("http://127.0.0.1:8080", "http://localhost:8080")
    assert "k" * 40 not in repr(s)


def test_secret_from_file(tmp_path: Path) -> None:
    """KVARTER_SECRET_KEY_FILE is read and stripped."""
    path = tmp_path / "secret"
    path.write_text(KEY + "\n")
    assert load_settings({"KVARTER_SECRET_KEY_FILE": str(path)}).secret_key == KEY


def test_plain_urls_get_async_drivers() -> None:
    """postgresql:// and sqlite:// URLs are accepted and given the async drivers."""
    s = load_settings({"KVARTER_SECRET_KEY": KEY, "KVARTER_DATABASE_URL": "postgresql://u@h/db"})
    assert s.database_url == "postgresql+asyncpg://u@h/db"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "KVARTER_SECRET_KEY"),
        ({"KVARTER_SECRET_KEY": "short"}, "KVARTER_SECRET_KEY"),
        ({"KVARTER_SECRET_KEY_FILE": "/nonexistent/secret"}, "KVARTER_SECRET_KEY_FILE"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_PORT": "eighty"}, "KVARTER_PORT"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_PORT": "70000"}, "KVARTER_PORT"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_TIMEZONE": "Europe/Atlantis"}, "KVARTER_TIMEZONE"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_DATABASE_URL": "mysql://x/y"}, "KVARTER_DATABASE_URL"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_REDIS_URL": "http://x"}, "KVARTER_REDIS_URL"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_ALLOWED_ORIGINS": "evil"}, "KVARTER_ALLOWED_ORIGINS"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_COOKIE_SECURE": "maybe"}, "KVARTER_COOKIE_SECURE"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_LOG_LEVEL": "LOUD"}, "KVARTER_LOG_LEVEL"),
        ({"KVARTER_SECRET_KEY": KEY, "KVARTER_P1_ALERT_SECONDS": "1"}, "KVARTER_P1_ALERT_SECONDS"),
    ],
)
def test_bad_settings_name_the_variable(env: dict[str, str], named: str) -> None:
    """Each bad value stops start-up with a message that names its variable."""
    with pytest.raises(ConfigError, match=named):
        load_settings(env)
