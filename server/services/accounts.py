"""Staff accounts: creation and administration, login with a second factor and throttling,
server-side sessions with idle and absolute timeouts."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import math
import re
import secrets
from collections.abc import AsyncIterator, Collection
from dataclasses import dataclass

from server.errors import Conflict, Forbidden, Invalid, RateLimited, Unauthorized
from server.services import audit, device_cookies, duty, login_throttle, passwords, secretbox, totp
from server.services.actors import ROLES, StaffActor
from server.services.deps import Deps
from server.storage.db import Duplicate
from server.storage.records import StaffRec, StaffSessionRec, TotpState
from server.storage.tx import Tx

log = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
BAD_LOGIN = "wrong username or password"
# Supervisors read transcripts and personal data, admins manage accounts: they need a second
# factor. Officers may enrol one and are reminded until they do.
TOTP_ROLES = frozenset({"supervisor", "admin"})
FULL = "full"
# A supervisor or admin without a second factor logs in to this scope: it may only enrol.
TOTP_SETUP = "totp_setup"
SETUP_SESSION = dt.timedelta(minutes=15)
# A session's last use is written at most this often (the idle timer's resolution).
TOUCH_EVERY = dt.timedelta(seconds=60)
# Enrolling a second factor needs the password again unless the login is this recent.
RECENT_LOGIN = dt.timedelta(minutes=5)
# How long a login waits for a free argon2 slot (Deps.hashing) before it is told to come back.
HASH_WAIT_S = 10.0


def session_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def totp_required(user: StaffRec) -> bool:
    return user.role in TOTP_ROLES


@dataclass(frozen=True)
class LoginResult:
    user: StaffRec
    session_token: str
    expires_at: dt.datetime
    scope: str
    totp_enabled: bool
    device: str | None = None  # the device cookie's new value, after a login


def _idle_since(deps: Deps, now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=deps.settings.staff_idle_minutes)


def _context(user_id: int) -> str:
    return f"totp:{user_id}"


async def _user(tx: Tx, username: str) -> StaffRec:
    user = await tx.staff.by_username(username.strip().lower())
    if user is None:
        raise Invalid(f"no account {username!r}")
    return user


# Accounts


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
    else:
        passwords.check_new_password(password, username)
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
    """Replace an account's password and end its sessions; returns the password (generated
    when none was given)."""
    if password is None:
        password = passwords.generate_password()
    else:
        passwords.check_new_password(password, username.strip().lower())
    hashed = await passwords.hash_password(password)
    async with deps.db.transaction() as tx:
        user = await _user(tx, username)
        await tx.staff.set_password_hash(user.id, hashed)
        await tx.staff.delete_sessions_of(user.id)
        await audit.record(
            tx, at=deps.clock.now(), actor=None, action="account.password_set",
            target_kind="staff", target_id=str(user.id),
        )  # fmt: skip
    return password


async def set_active(deps: Deps, username: str, active: bool) -> StaffRec:
    """Disable (or enable again) an account. Disabling ends its sessions: HTTP at once, open
    consoles at the next tick of every process (StaffNamespace.end_revoked_sessions)."""
    async with deps.db.transaction() as tx:
        user = await _user(tx, username)
        await tx.staff.set_active(user.id, active)
        ended = await tx.staff.delete_sessions_of(user.id) if not active else 0
        await audit.record(
            tx, at=deps.clock.now(), actor=None, action="account.enable" if active else "account.disable",
            target_kind="staff", target_id=str(user.id), detail={"sessions_ended": ended},
        )  # fmt: skip
    return user


async def set_role(deps: Deps, username: str, role: str) -> StaffRec:
    """Change an account's role and end its sessions, so that the new role (and, for a
    supervisor or admin, the second factor) applies from the next login."""
    if role not in ROLES:
        raise Invalid(f"role must be one of {', '.join(ROLES)}")
    async with deps.db.transaction() as tx:
        user = await _user(tx, username)
        await tx.staff.set_role(user.id, role)
        ended = await tx.staff.delete_sessions_of(user.id)
        await audit.record(
            tx, at=deps.clock.now(), actor=None, action="account.role_set", target_kind="staff",
            target_id=str(user.id), detail={"from": user.role, "to": role, "sessions_ended": ended},
        )  # fmt: skip
    return user


async def reset_totp(deps: Deps, username: str) -> StaffRec:
    """Remove an account's second factor and recovery codes (a lost phone) and end its
    sessions; the account enrols again at its next login."""
    async with deps.db.transaction() as tx:
        user = await _user(tx, username)
        await tx.staff.reset_totp(user.id)
        ended = await tx.staff.delete_sessions_of(user.id)
        await audit.record(
            tx, at=deps.clock.now(), actor=None, action="account.totp_reset", target_kind="staff",
            target_id=str(user.id), detail={"sessions_ended": ended},
        )  # fmt: skip
    return user


async def end_sessions(deps: Deps, username: str | None) -> int:
    """End every session of one account, or of all accounts (None); returns how many."""
    async with deps.db.transaction() as tx:
        user = await _user(tx, username) if username is not None else None
        ended = await tx.staff.delete_sessions_of(user.id if user else None)
        await audit.record(
            tx, at=deps.clock.now(), actor=None, action="account.sessions_ended", target_kind="staff",
            target_id=str(user.id) if user else None, detail={"sessions_ended": ended},
        )  # fmt: skip
    return ended


# Login


def _throttle_keys(deps: Deps, username: str, source: str) -> tuple[str, str]:
    return login_throttle.account_key(deps.settings.secret_key, username), login_throttle.source_key(source)


async def _throttle_wait(tx: Tx, keys: Collection[str], now: dt.datetime) -> None:
    failures = await tx.staff.login_failures(keys, now - login_throttle.HOUR)
    wait = max(login_throttle.wait(failures.get(k, []), now, login_throttle.free_failures(k)) for k in keys)
    if wait > dt.timedelta(0):
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise RateLimited(f"too many failed logins; try again in {seconds} s")


async def _reserve_attempt(deps: Deps, keys: Collection[str], now: dt.datetime) -> list[int]:
    """Check the throttle and count this attempt as a failure, in one transaction that holds
    the keys: concurrent attempts are decided one after another, so no more pass than the
    throttle allows, however many arrive at once. The attempt's rows are dropped again when it
    succeeds (`_settle`); otherwise they are its failure."""
    async with deps.db.transaction() as tx:
        await tx.staff.lock_login_keys(keys, forget_before=now - login_throttle.HOUR)
        await _throttle_wait(tx, keys, now)
        return await tx.staff.add_login_failures(keys, now)


async def _settle(deps: Deps, attempt: list[int]) -> None:
    """The attempt was not a failure (it succeeded, or stopped for a reason not the caller's)."""
    async with deps.db.transaction() as tx:
        await tx.staff.drop_login_failures(attempt)


@contextlib.asynccontextmanager
async def _hashing(deps: Deps) -> AsyncIterator[None]:
    """One of the process's few argon2 slots (each check takes 64 MiB and a core for a while):
    a burst of logins waits its turn, and past HASH_WAIT_S is told to come back."""
    try:
        await asyncio.wait_for(deps.hashing.acquire(), HASH_WAIT_S)
    except TimeoutError:
        raise RateLimited("the server is busy checking passwords; try again in a few seconds") from None
    try:
        yield
    finally:
        deps.hashing.release()


async def _check_password(
    deps: Deps, keys: Collection[str], now: dt.datetime, stored: str | None, password: str
) -> tuple[bool, list[int]]:
    """A throttled password check: whether it matched, and the attempt's failure rows (dropped
    with `_settle` when the attempt turns out not to be a failure). A key already waiting is
    refused at once; otherwise the attempt is reserved only once it holds an argon2 slot, so
    that the attempts counted while still undecided are the few being checked right now — a
    station's twenty officers logging in together are never refused for each other's logins."""
    async with deps.db.transaction() as tx:
        await _throttle_wait(tx, keys, now)
    async with _hashing(deps):
        attempt = await _reserve_attempt(deps, keys, now)
        return await passwords.verify_password(stored, password), attempt


async def _failed(deps: Deps, user: StaffRec | None, now: dt.datetime, reason: str) -> None:
    """Audit a failed attempt (its rows were written when it was reserved)."""
    async with deps.db.transaction() as tx:
        await audit.record(
            tx, at=now, actor=StaffActor(user.id) if user else None,
            action="auth.login_failed", target_kind="staff",
            target_id=str(user.id) if user else None, detail={"reason": reason},
        )  # fmt: skip


async def _password_again(
    deps: Deps, user: StaffRec, password: str, source: str, now: dt.datetime, reason: str, wrong: str
) -> None:
    """A logged-in staff member confirms a sensitive step with their password: throttled like a
    login, a wrong one is a failed login (audited with `reason`) and 403 `wrong`."""
    keys = _throttle_keys(deps, user.username, source)
    ok, attempt = await _check_password(deps, keys, now, user.password_hash, password)
    if not ok:
        await _failed(deps, user, now, reason)
        raise Forbidden(wrong)
    await _settle(deps, attempt)


def _unseal(deps: Deps, sealed: str, user_id: int) -> str | None:
    try:
        return secretbox.unseal(deps.settings.secret_key, sealed, _context(user_id))
    except secretbox.SealError:
        log.warning("a second-factor secret cannot be read user_id=%s (secret key changed?)", user_id)
        return None


async def _second_factor(deps: Deps, user: StaffRec, state: TotpState, code: str, now: dt.datetime) -> str | None:
    """Which factor it was ("totp", "recovery_code") when the code is good and unused (it is
    spent now); else None."""
    if totp.looks_like_totp(code):
        assert state.secret is not None
        secret = _unseal(deps, state.secret, user.id)
        counter = totp.match(secret, code, now, state.last_counter) if secret else None
        if counter is None:
            return None
        async with deps.db.transaction() as tx:
            return "totp" if await tx.staff.claim_totp_counter(user.id, counter) else None
    for code_id, stored in state.recovery_codes:
        if await asyncio.to_thread(totp.recovery_code_matches, stored, code):
            async with deps.db.transaction() as tx:
                return "recovery_code" if await tx.staff.use_recovery_code(code_id) else None
    return None


async def login(
    deps: Deps,
    username: str,
    password: str,
    *,
    totp_code: str | None = None,
    source: str = "",
    replaces: str | None = None,
    device: str | None = None,
) -> LoginResult:
    """Check credentials and the second factor, and open a new session (ending the one in
    `replaces`, the cookie the browser sent). Unknown users, disabled accounts and wrong
    passwords look alike, in answer and in time. Failures are throttled per account and per
    source (`source`: the daily keyed hash of the client address, never the address) — or,
    when the browser's device cookie (`device`) knows this account, per that device only, so
    that nobody elsewhere can keep the owner out of it; the result carries the cookie's new
    value."""
    key = username.strip().lower()
    now = deps.clock.now()
    known = device_cookies.device_for(deps.settings.secret_key, device, key)
    keys = (login_throttle.device_key(known),) if known else _throttle_keys(deps, key, source)
    async with deps.db.transaction() as tx:
        user = await tx.staff.by_username(key)
    ok, attempt = await _check_password(deps, keys, now, user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        await _failed(deps, user, now, "password")
        raise Unauthorized(BAD_LOGIN)
    async with deps.db.transaction() as tx:
        state = await tx.staff.totp_state(user.id)
    scope, factor = FULL, "none"
    if state.secret is not None:
        if not totp_code:
            # The password was right; the client asks for the code (not counted as a failure).
            await _settle(deps, attempt)
            raise Unauthorized("enter the code from your authenticator app", {"totp": "required"})
        found = await _second_factor(deps, user, state, totp_code, now)
        if found is None:
            await _failed(deps, user, now, "second_factor")
            raise Unauthorized("wrong or already used code", {"totp": "invalid"})
        factor = found
    elif totp_required(user):
        scope = TOTP_SETUP
    new_hash = None
    if passwords.needs_rehash(user.password_hash):
        async with _hashing(deps):
            new_hash = await passwords.hash_password(password)
    token = secrets.token_urlsafe(32)
    lifetime = dt.timedelta(hours=deps.settings.staff_session_hours)
    expires = now + (min(lifetime, SETUP_SESSION) if scope == TOTP_SETUP else lifetime)
    async with deps.db.transaction() as tx:
        await tx.staff.drop_login_failures(attempt)
        await tx.staff.clear_login_failures(keys[0])  # the account's, or the known device's
        if new_hash:
            await tx.staff.set_password_hash(user.id, new_hash)
        if replaces:
            await tx.staff.delete_session(session_hash(replaces))
        await tx.staff.add_session(
            session_hash=session_hash(token), user_id=user.id, now=now, expires_at=expires, scope=scope
        )
        await audit.record(
            tx, at=now, actor=StaffActor(user.id), action="auth.login", target_kind="staff",
            target_id=str(user.id), detail={"second_factor": factor, "scope": scope},
        )  # fmt: skip
    cookie = device_cookies.issue(deps.settings.secret_key, device, key)
    return LoginResult(user, token, expires, scope, state.secret is not None, cookie)


async def change_password(
    deps: Deps, session: StaffSessionRec, current: str, new: str, *, source: str = ""
) -> LoginResult:
    """A staff member's own password change: the current password again (a wrong one counts
    as a failed login), a new one that meets the rules; every session of the account ends and
    a new one begins."""
    user = session.user
    now = deps.clock.now()
    await _password_again(deps, user, current, source, now, "password_change", "the current password is wrong")
    passwords.check_new_password(new, user.username)
    async with _hashing(deps):
        hashed = await passwords.hash_password(new)
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=deps.settings.staff_session_hours)
    async with deps.db.transaction() as tx:
        await tx.staff.set_password_hash(user.id, hashed)
        await tx.staff.delete_sessions_of(user.id)
        await tx.staff.add_session(session_hash=session_hash(token), user_id=user.id, now=now, expires_at=expires)
        enabled = await tx.staff.totp_enabled(user.id)
        await audit.record(
            tx, at=now, actor=StaffActor(user.id), action="account.password_changed",
            target_kind="staff", target_id=str(user.id),
        )  # fmt: skip
    return LoginResult(user, token, expires, FULL, enabled)


# Enrolment of the second factor


async def totp_setup(
    deps: Deps, session: StaffSessionRec, password: str | None = None, *, source: str = ""
) -> dict[str, str]:
    """Start enrolment: a new secret, pending until a code from it is confirmed. Returned only
    here, once per call; never after confirmation. A session alone is not enough — a stolen one
    could enrol its own phone and, by the confirmation ending every other session, lock the
    owner out: the password is asked again unless the login was a moment ago (or this is the
    enrol-only session a supervisor's first login gets). A wrong one counts as a failed login."""
    user = session.user
    now = deps.clock.now()
    if session.scope != TOTP_SETUP and now - session.created_at > RECENT_LOGIN:
        if password is None:
            raise Unauthorized("enter your password to set up two-factor login", {"password": "required"})
        await _password_again(deps, user, password, source, now, "totp_setup", "the password is wrong")
    secret = totp.new_secret()
    async with deps.db.transaction() as tx:
        if await tx.staff.totp_enabled(user.id):
            raise Conflict("two-factor login is already on; an admin resets it with `kvarter user totp`")
        await tx.staff.set_totp_pending(user.id, secretbox.seal(deps.settings.secret_key, secret, _context(user.id)))
        await audit.record(
            tx, at=deps.clock.now(), actor=StaffActor(user.id), action="auth.totp_setup",
            target_kind="staff", target_id=str(user.id),
        )  # fmt: skip
    return {"secret": secret, "uri": totp.provisioning_uri(secret, user.username)}


async def totp_confirm(deps: Deps, session: StaffSessionRec, code: str) -> tuple[LoginResult, list[str]]:
    """Finish enrolment with a code from the new secret: the second factor is on, ten recovery
    codes are made (returned once, stored hashed), every session of the account ends and a new
    full one begins."""
    user = session.user
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        state = await tx.staff.totp_state(user.id)
    if state.secret is not None:
        raise Conflict("two-factor login is already on")
    secret = _unseal(deps, state.pending, user.id) if state.pending else None
    if state.pending is None or secret is None:
        raise Invalid("start with POST /api/auth/totp/setup")
    counter = totp.match(secret, code, now, None)
    if counter is None:
        raise Invalid("the code does not match; check that the phone's clock is right and try the next code")
    codes = totp.new_recovery_codes()
    hashes = [await asyncio.to_thread(totp.hash_recovery_code, c) for c in codes]
    token = secrets.token_urlsafe(32)
    expires = now + dt.timedelta(hours=deps.settings.staff_session_hours)
    async with deps.db.transaction() as tx:
        if not await tx.staff.enable_totp(user.id, state.pending, counter, now):
            raise Conflict("enrolment changed meanwhile; start again")
        await tx.staff.replace_recovery_codes(user.id, hashes, now)
        await tx.staff.delete_sessions_of(user.id)
        await tx.staff.add_session(session_hash=session_hash(token), user_id=user.id, now=now, expires_at=expires)
        await audit.record(
            tx, at=now, actor=StaffActor(user.id), action="auth.totp_enabled",
            target_kind="staff", target_id=str(user.id),
        )  # fmt: skip
    return LoginResult(user, token, expires, FULL, True), codes


# Sessions


async def session_for(deps: Deps, token: str | None, scopes: Collection[str] = (FULL,)) -> StaffSessionRec | None:
    """The live session behind a cookie, in one of `scopes`, or None; each use slides its
    idle timer."""
    if not token or len(token) > 128:
        return None
    now = deps.clock.now()
    hashed = session_hash(token)
    async with deps.db.transaction() as tx:
        found = await tx.staff.session(hashed, now, _idle_since(deps, now))
        if found is None or found.scope not in scopes:
            return None
        if now - found.last_seen_at >= TOUCH_EVERY:
            await tx.staff.touch_sessions([hashed], now, now - TOUCH_EVERY)
    return found


async def user_for_session(deps: Deps, token: str | None) -> StaffRec | None:
    """The staff member behind a full session cookie, or None."""
    found = await session_for(deps, token)
    return found.user if found else None


async def totp_enabled(deps: Deps, user: StaffRec) -> bool:
    async with deps.db.transaction() as tx:
        return await tx.staff.totp_enabled(user.id)


async def live_sessions(deps: Deps, hashes: Collection[str]) -> set[str]:
    """Which of these session hashes (of connected consoles) are still live: not logged out,
    ended or past their absolute end, of an active account. An open console counts as use, so
    it does not idle out, and its idle timer slides for when it closes."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        live = await tx.staff.live_sessions(hashes, now)
        await tx.staff.touch_sessions(live, now, now - TOUCH_EVERY)
    return live


async def logout(deps: Deps, token: str, user: StaffRec) -> None:
    """End this session; an officer with no session left goes off duty at once, and their
    chats go back to the queue (other ways a session ends are seen by the ticker's sweep)."""
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        await tx.staff.delete_session(session_hash(token))
        await audit.record(
            tx, at=now, actor=StaffActor(user.id), action="auth.logout",
            target_kind="staff", target_id=str(user.id),
        )  # fmt: skip
    await duty.sweep(deps, [], only=[user.id])
