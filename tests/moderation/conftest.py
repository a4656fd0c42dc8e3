"""Shared fixtures for the moderation tests: one compiled moderator for the whole run."""

from __future__ import annotations

import pytest

from moderation import Moderator


@pytest.fixture(scope="session")
def moderator() -> Moderator:
    """The packaged rules, compiled once (about a second)."""
    return Moderator.from_dirs()
