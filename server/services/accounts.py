"""Staff accounts: creation, login with throttling, server-side sessions."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from server.errors import Conflict, Invalid, RateLimited, Unauthorized
from server.services import audit, passwords
from server.services.actors import ROLES, StaffActor
from server.services.deps import Deps
from server.storage.db import Duplicate
from server.storage.records import StaffRec

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
BAD_LOGIN = "wrong username or password"


def session_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LoginResult:
    user: StaffRec
    session_token: str
    expires_at: dt.datetime


async def create_user(
    deps: Deps,
    *,
    username: str,
    role: str,
    display_name: str | None = None,
    police_area: str = "",
    region: str = "",
    password: str | None = None,
) -> tuple[StaffRec, str]:
    """Create an account; returns it with the password (generated when none was given)."""
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise Invalid("username: 2-64 characters, a-z, 0-9, '.', '_' or '-'")
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    if password is None:
        password = passwords.generate_password()
    elif len(password) < passwords.MIN_PASSWORD_LENGTH:
        raise Invalid(f"password must be at least {passwords.MIN_PASSWORD_LENGTH} characters")
    hashed = await passwords.hash_password(password)
    now = deps.clock.now()
    try:
        async with deps.db.transaction() as tx:
            user = await tx.staff.add(
                username=username,
                password_hash=hashed,
                display_name=(display_name or username).strip()[:120],
                role=role,
                police_area=police_area.strip()[:120],
                region=region.strip()[:120],
                now=now,
            )
            await audit.record(
                tx, at=now, actor=None, action="account.create", target_kind="staff",
                target_id=str(user.id), detail={"role": role},
            )  # fmt: skip
    except Duplicate:
        raise Conflict(f"the username {username!r} is taken") from None
    return user, password


async def set_password(deps: Deps, username: str, password: str | None = None) -> str:
    """Replace an account's password; returns it (generated when none was given)."""
    if password is None:
        password = passwords.generate_password()
    elif len(password) < passwords.MIN_PASSWORD_LENGTH:
        raise Invalid(f"password must be at least {passwords.MIN_PASSWORD_LENGTH} characters")
    hashed = await passwords.hash_password(password)
    async with deps.db.transaction() as tx:
        user = await tx.staff.by_username(username.strip().lower())
        if user is None:
            raise Invalid(f"no account {username!r}")
        await tx.staff.set_password_hash(user.id, hashed)
        await audit.record(
            tx, at=deps.clock.now(), actor=None, action="account.password_set",
            target_kind="staff", target_id=str(user.id),
        )  # fmt: skip
    return password


async def login(deps: Deps, username: str, password: str) -> LoginResult:
    """Check credentials and open a session. Unknown users and wrong passwords look alike."""
    key = username.strip().lower()
    now = deps.clock.now()
    if deps.login_throttle.blocked(key, now):
        raise RateLimited("too many failed logins; wait a while and try again")
    async with deps.db.transaction() as tx:
        user = await tx.staff.by_username(key)
    ok = await passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        deps.login_throttle.fail(key, now)
        async with deps.db.transaction() as tx:
            await audit.record(
                tx, at=now, actor=StaffActor(user.id) if user else None,
                action="auth.login_failed", target_kind="staff",
                target_id=str(user.id) if user else None,
            )  # fmt: skip
        raise Unauthorized(BAD_LOGIN)
    deps.login_throttle.reset(key)
    new_hash = await passwords.hash_password(password) if passwords.needs_rehash(user.password_hash) else None
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=deps.settings.staff_session_hours)
    async with deps.db.transaction() as tx:
        if new_hash:
            await tx.staff.set_password_hash(user.id, new_hash)
        await tx.staff.add_session(session_hash=session_hash(token), user_id=user.id, now=now, expires_at=expires)
        await audit.record(
            tx, at=now, actor=StaffActor(user.id), action="auth.login",
            target_kind="staff", target_id=str(user.id),
        )  # fmt: skip
    return LoginResult(user, token, expires)


async def user_for_session(deps: Deps, token: str | None) -> StaffRec | None:
    """The staff member behind a session cookie, or None."""
    if not token or len(token) > 128:
        return None
    async with deps.db.transaction() as tx:
        return await tx.staff.user_for_session(session_hash(token), deps.clock.now())


async def logout(deps: Deps, token: str, user: StaffRec) -> None:
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await tx.staff.delete_session(session_hash(token))
        await audit.record(
            tx, at=now, actor=StaffActor(user.id), action="auth.logout",
            target_kind="staff", target_id=str(user.id),
        )  # fmt: skip
