"""The lock files (requirements/*.txt) pin every dependency pyproject.toml names, at a version
its range allows, with hashes: an edit of pyproject.toml without `make lock` fails here."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def pins(name: str) -> dict[str, tuple[str, int]]:
    """Each pinned package of a lock file: its version and how many hashes it lists."""
    found: dict[str, tuple[str, int]] = {}
    current = None
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        if match := PIN.match(line):
            current = canonicalize_name(match.group(1))
            found[current] = (match.group(2), 0)
        elif current and line.strip().startswith("--hash=sha256:"):
            version, hashes = found[current]
            found[current] = (version, hashes + 1)
    return found


def wanted(*extras: str) -> list[Requirement]:
    project = PYPROJECT["project"]
    specs = list(project["dependencies"])
    for extra in extras:
        specs += project["optional-dependencies"][extra]
    return [Requirement(spec) for spec in specs]


@pytest.mark.parametrize(("lock", "extras"), [("app.txt", ()), ("dev.txt", ("dev",)), ("bench.txt", ("dev", "bench"))])
def test_the_lock_pins_every_dependency_within_its_range(lock: str, extras: tuple[str, ...]) -> None:
    locked = pins(lock)
    for requirement in wanted(*extras):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        name = canonicalize_name(requirement.name)
        assert name in locked, f"{requirement.name} is not in requirements/{lock}: run `make lock`"
        version, _ = locked[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements/{lock} pins {name}=={version}, outside {requirement.specifier}: run `make lock`"
        )
    assert all(hashes >= 1 for _, hashes in locked.values()), f"a pin without a hash in requirements/{lock}"


def test_the_libraries_whose_internals_are_used_have_an_upper_bound() -> None:
    """A new minor release of these may change a private name Kvarter relies on: it comes only
    through `make upgrade` and the tests."""
    bounded = {canonicalize_name(r.name): r.specifier for r in wanted()}
    for name in ("aiohttp", "python-socketio", "python-engineio", "sqlalchemy", "aiosqlite"):
        assert any(spec.operator in ("<", "<=", "==", "~=") for spec in bounded[name]), name
