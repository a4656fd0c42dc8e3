"""`python -m server …` / `kvarter …`: serve, migrate, accounts, neighbourhoods, demo data."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from server import logs
from server.clock import SystemClock
from server.config import ConfigError, Settings, load_settings
from server.errors import Invalid, KvarterError
from server.services import accounts, demo, neighbourhoods, retention, schedules
from server.services.chat_lines import ChatLinesError
from server.services.deps import Deps
from server.services.emitter import NullEmitter
from server.services.guidance import GuidanceError
from server.storage import migrate
from server.storage.db import Database

T = TypeVar("T")


def _with_deps(settings: Settings, work: Callable[[Deps], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database(settings.database_url)
        try:
            await migrate.check_current(db.engine)
            return await work(Deps(settings=settings, db=db, clock=SystemClock(), emitter=NullEmitter()))
        finally:
            await db.close()

    return asyncio.run(run())


async def _nothing(_deps: Deps) -> None:
    return None


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="kvarter", description="Kvarter net-patrol chat service")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run the server")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    sub.add_parser("migrate", help="create or upgrade the database schema")
    sub.add_parser("demo", help="idempotent demo data for a first look")
    purge_cmd = sub.add_parser("purge", help="apply the retention rules (KVARTER_RETENTION)")
    purge_cmd.add_argument("--dry-run", action="store_true", help="only count what would be deleted")

    user = sub.add_parser("user", help="staff accounts").add_subparsers(dest="action", required=True)
    add = user.add_parser("add", help="create a staff account")
    add.add_argument("--username", required=True)
    add.add_argument("--role", required=True, choices=["officer", "supervisor", "admin"])
    add.add_argument("--display-name")
    add.add_argument("--police-area", default="")
    add.add_argument("--region", default="")
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    pw = user.add_parser("password", help="set a new password (generated unless --password-stdin)")
    pw.add_argument("--username", required=True)
    pw.add_argument("--password-stdin", action="store_true")
    for action, text in (
        ("disable", "disable an account and end its sessions (open consoles close within seconds)"),
        ("enable", "enable a disabled account again"),
        ("totp", "reset an account's second factor (lost phone): it enrols again at the next login"),
    ):
        user.add_parser(action, help=text).add_argument("--username", required=True)
    out = user.add_parser("logout", help="end every session of an account (or of all accounts)")
    who = out.add_mutually_exclusive_group(required=True)
    who.add_argument("--username")
    who.add_argument("--all", action="store_true")
    role = user.add_parser("role", help="change an account's role and end its sessions")
    role.add_argument("--username", required=True)
    role.add_argument("--role", required=True, choices=["officer", "supervisor", "admin"])

    win = sub.add_parser("window", help="availability windows").add_subparsers(dest="action", required=True)
    w_add = win.add_parser("add", help='add a window: --weekly "fri 18:00-02:00", or --date --from --to')
    w_add.add_argument("--room", required=True)
    w_add.add_argument("--weekly")
    w_add.add_argument("--date")
    w_add.add_argument("--from", dest="start")
    w_add.add_argument("--to", dest="end")
    w_add.add_argument("--label", default="")
    w_list = win.add_parser("list", help="windows, closures and the next two weeks")
    w_list.add_argument("--room", required=True)
    w_rm = win.add_parser("remove", help="remove a window")
    w_rm.add_argument("id", type=int)
    clo = sub.add_parser("closure", help="dates when no window opens").add_subparsers(dest="action", required=True)
    c_add = clo.add_parser("add", help="close a date")
    c_add.add_argument("--room", required=True)
    c_add.add_argument("--date", required=True)
    c_add.add_argument("--reason", default="")
    c_rm = clo.add_parser("remove", help="reopen a closed date")
    c_rm.add_argument("id", type=int)

    nb = sub.add_parser("neighbourhood", help="neighbourhoods").add_subparsers(dest="action", required=True)
    nb_add = nb.add_parser("add", help="create a neighbourhood")
    nb_add.add_argument("--slug", required=True)
    nb_add.add_argument("--name", required=True)
    nb_add.add_argument("--police-area", default="")
    nb_add.add_argument("--region", default="")
    nb_share = nb.add_parser(
        "share", help="let officers of every region go on duty here without a grant (--off: only with one)"
    )
    nb_share.add_argument("slug")
    nb_share.add_argument("--off", action="store_true")
    return p


def _read_password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from aiohttp import web

    from server import patches
    from server.app import create_app
    from server.http.middleware import AccessLogger
    from server.realtime import pacing

    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    if (host, port) != (settings.host, settings.port):
        settings = Settings(**{**settings.__dict__, "host": host, "port": port})
    _with_deps(settings, _nothing)  # refuses an out-of-date schema before binding the port
    app = create_app(settings)
    pacing.settle_heap()  # no full collection over the start-up heap in a storm
    patches.install_process()  # e.g. connections the peers ended are closed a few per loop turn
    print(f"Kvarter serving on http://{host}:{port}", flush=True)  # noqa: T201
    loop = _new_event_loop()
    web.run_app(app, host=host, port=port, access_log_class=AccessLogger, print=None, loop=loop)
    return 0


def _new_event_loop() -> asyncio.AbstractEventLoop:
    """uvloop where it is installed, else the standard loop."""
    try:
        import uvloop
    except ImportError:
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def _demo(settings: Settings) -> int:
    result = _with_deps(settings, demo.seed)
    out = ["Demo data ready: neighbourhoods " + ", ".join(s for s, *_ in demo.NEIGHBOURHOODS)]
    for username, password in result.created_accounts:
        out.append(f"  created {username!r} with password: {password}   (shown once, stored hashed)")
    for username in result.existing_accounts:
        out.append(f"  {username!r} exists; new password: python -m server user password --username {username}")
    out.append("  'supervisor' sets up two-factor login (an authenticator app) at the first login")
    print("\n".join(out))  # noqa: T201
    return 0


def _schedule(settings: Settings, args: argparse.Namespace) -> int:
    """window add|list|remove and closure add|remove, run as an operator (audited as system)."""
    if args.command == "window" and args.action == "add":
        if args.weekly and not (args.date or args.start or args.end):
            work = lambda d: schedules.add_weekly(d, None, args.room, args.weekly, args.label)  # noqa: E731
        elif args.date and args.start and args.end and not args.weekly:
            work = lambda d: schedules.add_dated(d, None, args.room, args.date, args.start, args.end, args.label)  # noqa: E731
        else:
            raise Invalid('give --weekly "fri 18:00-02:00", or --date YYYY-MM-DD --from HH:MM --to HH:MM')
        window = _with_deps(settings, work)["window"]
        print(f"added window {window['id']}: {window['weekday'] or window['date']} {window['start']}-{window['end']}")  # noqa: T201
    elif args.command == "window" and args.action == "list":
        info = _with_deps(settings, lambda d: schedules.describe(d, args.room))
        for w in info["windows"]:
            print(f"{w['id']:>5}  {w['weekday'] or w['date']:<10} {w['start']}-{w['end']}  {w['label']}")  # noqa: T201
        for c in info["closures"]:
            print(f"closed {c['date']} (closure {c['id']}) {c['reason']}")  # noqa: T201
    elif args.command == "window" and args.action == "remove":
        _with_deps(settings, lambda d: schedules.remove_window(d, None, args.id))
        print(f"removed window {args.id}")  # noqa: T201
    elif args.command == "closure" and args.action == "add":
        closure = _with_deps(settings, lambda d: schedules.add_closure(d, None, args.room, args.date, args.reason))
        print(f"closed {closure['closure']['date']} (closure {closure['closure']['id']})")  # noqa: T201
    else:
        _with_deps(settings, lambda d: schedules.remove_closure(d, None, args.id))
        print(f"removed closure {args.id}")  # noqa: T201
    return 0


def _user_admin(settings: Settings, args: argparse.Namespace) -> int:
    """user disable|enable|logout|role|totp, run as an operator (audited as system)."""
    if args.action in ("disable", "enable"):
        _with_deps(settings, lambda d: accounts.set_active(d, args.username, args.action == "enable"))
        done = "disabled; its sessions have ended" if args.action == "disable" else "enabled"
        print(f"{args.username!r} {done}")  # noqa: T201
    elif args.action == "logout":
        ended = _with_deps(settings, lambda d: accounts.end_sessions(d, None if args.all else args.username))
        print(f"ended {ended} session(s)")  # noqa: T201
    elif args.action == "role":
        user = _with_deps(settings, lambda d: accounts.set_role(d, args.username, args.role))
        print(f"{args.username!r} is now {args.role} (was {user.role}); its sessions have ended")  # noqa: T201
    else:
        _with_deps(settings, lambda d: accounts.reset_totp(d, args.username))
        print(f"two-factor login of {args.username!r} reset; it enrols again at the next login")  # noqa: T201
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"kvarter: configuration error: {exc}", file=sys.stderr)  # noqa: T201
        return 2
    logs.configure(settings.log_level)
    try:
        if args.command == "serve":
            return _serve(settings, args)
        if args.command == "migrate":
            migrate.upgrade(settings.database_url)
            print("database schema is up to date")  # noqa: T201
            return 0
        if args.command == "demo":
            return _demo(settings)
        if args.command == "purge":
            counts = _with_deps(settings, lambda d: retention.purge(d, dry_run=args.dry_run))
            verb = "would delete" if args.dry_run else "deleted"
            print(f"{verb}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))  # noqa: T201
            return 0
        if args.command == "user" and args.action == "add":
            password = _read_password() if args.password_stdin else None
            user, pw = _with_deps(
                settings,
                lambda d: accounts.create_user(
                    d, username=args.username, role=args.role, display_name=args.display_name,
                    police_area=args.police_area, region=args.region, password=password,
                ),
            )  # fmt: skip
            print(f"created {user.role} {user.username!r}")  # noqa: T201
            if password is None:
                print(f"password (shown once): {pw}")  # noqa: T201
            return 0
        if args.command == "user" and args.action == "password":
            password = _read_password() if args.password_stdin else None
            pw = _with_deps(settings, lambda d: accounts.set_password(d, args.username, password))
            print("password changed" if password else f"new password (shown once): {pw}")  # noqa: T201
            return 0
        if args.command == "user":
            return _user_admin(settings, args)
        if args.command in ("window", "closure"):
            return _schedule(settings, args)
        if args.command == "neighbourhood" and args.action == "add":
            nb = _with_deps(
                settings,
                lambda d: neighbourhoods.add(
                    d, slug=args.slug, name=args.name, police_area=args.police_area, region=args.region
                ),
            )
            print(f"created neighbourhood {nb.slug!r}")  # noqa: T201
            return 0
        if args.command == "neighbourhood" and args.action == "share":
            _with_deps(settings, lambda d: neighbourhoods.set_shared(d, args.slug, not args.off))
            print(f"neighbourhood {args.slug!r} is {'not ' if args.off else ''}shared")  # noqa: T201
            return 0
    except KvarterError as exc:
        print(f"kvarter: {exc.code}: {exc.message}", file=sys.stderr)  # noqa: T201
        return 1
    except (migrate.SchemaOutOfDate, GuidanceError, ChatLinesError) as exc:
        print(f"kvarter: {exc}", file=sys.stderr)  # noqa: T201
        return 1
    return 2
