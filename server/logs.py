"""Logging set-up. Logs carry ids, event names and outcome codes, never content."""

from __future__ import annotations

import logging

# Libraries whose DEBUG output includes SQL parameters, that is message text and nicknames.
CONTENT_LOGGERS = ("aiosqlite", "sqlalchemy.engine", "sqlalchemy.pool", "asyncpg")


def silence_content_loggers() -> None:
    """Keep libraries that would log statement parameters above DEBUG, whatever the level."""
    for name in CONTENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO or logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)


def configure(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    silence_content_loggers()
