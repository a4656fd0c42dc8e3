"""Logging set-up. Logs carry ids, event names and outcome codes, never content."""

from __future__ import annotations

import logging

# Libraries whose DEBUG output includes SQL parameters, that is message text and nicknames.
CONTENT_LOGGERS = ("aiosqlite", "sqlalchemy.engine", "sqlalchemy.pool", "asyncpg")


def silence_content_loggers() -> None:
    """Keep libraries that would log statements and their parameters at WARNING and above."""
    for name in CONTENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def configure(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    silence_content_loggers()
