"""The command line: migrate, accounts, neighbourhoods, demo data, and configuration errors."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SECRET
from tests.procs import clean_environ


def kvarter(args: list[str], env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "server", *args], env=env, input=stdin, capture_output=True, text=True, timeout=60
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    e = {**clean_environ(), "KVARTER_SECRET_KEY": SECRET, "KVARTER_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db"}
    assert kvarter(["migrate"], e).returncode == 0
    return e


def test_user_add_with_password_from_stdin_and_generated(env: dict[str, str]) -> None:
    """`user add` takes a password from stdin, or prints a generated one once; duplicates are refused."""
    given = kvarter(
        ["user", "add", "--username", "anna", "--role", "officer", "--password-stdin"], env, "lösenord-som-duger\n"
    )
    assert given.returncode == 0, given.stderr
    assert "lösenord-som-duger" not in given.stdout
    generated = kvarter(["user", "add", "--username", "erik", "--role", "supervisor"], env)
    assert generated.returncode == 0
    assert "password (shown once):" in generated.stdout
    again = kvarter(["user", "add", "--username", "anna", "--role", "officer"], env)
    assert again.returncode == 1
    assert "taken" in again.stderr
    short = kvarter(["user", "add", "--username", "lisa", "--role", "officer", "--password-stdin"], env, "kort\n")
    assert short.returncode == 1
    assert "at least 12" in short.stderr


def test_neighbourhood_add_and_demo_are_idempotent(env: dict[str, str]) -> None:
    """`demo` can run twice; the second run creates nothing and prints no password, and adds no
    second set of saved replies."""
    made = kvarter(["neighbourhood", "add", "--slug", "kiruna", "--name", "Kiruna"], env)
    assert made.returncode == 0
    assert kvarter(["neighbourhood", "add", "--slug", "Bad Slug", "--name", "x"], env).returncode == 1
    first = kvarter(["demo"], env)
    assert first.returncode == 0
    assert first.stdout.count("with password:") == 3  # officer, officer2, supervisor
    second = kvarter(["demo"], env)
    assert second.returncode == 0
    assert "with password:" not in second.stdout
    assert "exists" in second.stdout
    # A live and an upcoming Q&A session and one published notice, not doubled by the second run.
    db = sqlite3.connect(env["KVARTER_DATABASE_URL"].removeprefix("sqlite:///"))
    try:
        assert db.execute("SELECT count(*) FROM qa_sessions").fetchone() == (2,)
        assert db.execute("SELECT status FROM notices").fetchall() == [("published",)]
        assert db.execute("SELECT count(*) FROM saved_replies WHERE region = 'Mitt'").fetchone() == (7,)
    finally:
        db.close()


def test_bad_configuration_exits_2_naming_the_variable(tmp_path: Path) -> None:
    """A bad setting stops the command with exit code 2 and names the variable."""
    env = clean_environ()
    result = kvarter(["migrate"], {**env, "KVARTER_SECRET_KEY": SECRET, "KVARTER_PORT": "x"})
    assert result.returncode == 2
    assert "KVARTER_PORT" in result.stderr
    assert kvarter(["migrate"], env).returncode == 2


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    """`serve` and `demo` on a database without the schema say to run migrate, and exit 1."""
    env = {**clean_environ(), "KVARTER_SECRET_KEY": SECRET, "KVARTER_DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"}
    for command in (["demo"], ["serve", "--port", "0"]):
        result = kvarter(command, env)
        assert result.returncode == 1, command
        assert "run `kvarter migrate`" in result.stderr
        assert "Traceback" not in result.stderr


def test_window_and_closure_commands(env: dict[str, str]) -> None:
    """`window add|list|remove` and `closure add|remove` edit a schedule; bad input exits 1 with the reason."""
    assert kvarter(["neighbourhood", "add", "--slug", "lulea", "--name", "Luleå"], env).returncode == 0
    weekly = kvarter(["window", "add", "--room", "lulea", "--weekly", "fre 20:00-02:00"], env)
    assert weekly.returncode == 0, weekly.stderr
    assert "fri 20:00-02:00" in weekly.stdout
    dated = kvarter(
        [
            "window",
            "add",
            "--room",
            "lulea",
            "--date",
            "2030-04-30",
            "--from",
            "18:00",
            "--to",
            "03:00",
            "--label",
            "Valborg",
        ],
        env,
    )
    assert dated.returncode == 0, dated.stderr
    overlap = kvarter(["window", "add", "--room", "lulea", "--weekly", "fri 23:00-01:00"], env)
    assert overlap.returncode == 1
    assert "overlaps" in overlap.stderr
    both = kvarter(["window", "add", "--room", "lulea", "--weekly", "fri 10:00-11:00", "--date", "2030-01-01"], env)
    assert both.returncode == 1
    closure = kvarter(["closure", "add", "--room", "lulea", "--date", "2030-04-26"], env)  # a Friday
    assert closure.returncode == 0, closure.stderr
    listed = kvarter(["window", "list", "--room", "lulea"], env).stdout
    assert "fri" in listed
    assert "2030-04-30 18:00-03:00  Valborg" in listed
    assert "closed 2030-04-26" in listed
    window_id = listed.split()[0]
    assert kvarter(["window", "remove", window_id], env).returncode == 0
    assert kvarter(["window", "remove", window_id], env).returncode == 1


def test_neighbourhood_share_marks_and_unmarks(env: dict[str, str]) -> None:
    """`neighbourhood share` marks a neighbourhood shared (officers of every region may go on duty
    there without a grant), `--off` undoes it, both audited; an unknown slug exits 1."""
    assert kvarter(["neighbourhood", "add", "--slug", "haparanda", "--name", "Haparanda"], env).returncode == 0
    db_path = env["KVARTER_DATABASE_URL"].removeprefix("sqlite:///")

    def shared() -> object:
        db = sqlite3.connect(db_path)
        try:
            return db.execute("SELECT shared FROM neighbourhoods WHERE slug = 'haparanda'").fetchone()[0]
        finally:
            db.close()

    assert shared() == 0
    on = kvarter(["neighbourhood", "share", "haparanda"], env)
    assert (on.returncode, on.stdout.strip(), shared()) == (0, "neighbourhood 'haparanda' is shared", 1)
    off = kvarter(["neighbourhood", "share", "haparanda", "--off"], env)
    assert (off.returncode, shared()) == (0, 0)
    missing = kvarter(["neighbourhood", "share", "atlantis"], env)
    assert missing.returncode == 1 and "not_found" in missing.stderr
    db = sqlite3.connect(db_path)
    try:
        actions = db.execute("SELECT action FROM audit_log WHERE target_id = 'haparanda' ORDER BY id").fetchall()
    finally:
        db.close()
    assert actions == [("neighbourhood.create",), ("neighbourhood.share",), ("neighbourhood.unshare",)]
