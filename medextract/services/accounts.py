"""Accounts: create, list, change role, deactivate, set passwords (administrators); sign-in checks.

The rules (usernames, password length, roles) are ``medextract.accounts``'. Changes name the
administrator making them (``by``), whose account is loaded afresh and must be an active
administrator, or ``context.CLI`` for the server's shell. Sign-in (``authenticate``) needs no
actor: it is how a person becomes one.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.accounts import (
    LOCKED_OUT,
    LOCKOUT_FAILURES,
    LOCKOUT_WINDOW,
    MAX_PASSWORD_LENGTH,
    USERNAME_MAX,
    WRONG_CREDENTIALS,
    Account,
    AccountError,
    LoginResult,
    account_of,
    check_password,
    check_role,
    check_username,
    normalize_username,
)
from medextract.models import LoginAttempt, User, UTCDateTime
from medextract.services.audit import record, write_event
from medextract.services.context import Actor, Context, authorize

LAST_ADMIN = "This is the last active administrator; make another one first."

# ---- reading ------------------------------------------------------------------------------------


def get_account(ctx: Context, username: str) -> Account | None:
    """The account with this username (any case, surrounding spaces ignored), or None.

    No actor: the front ends look up who is signed in with it, on every request.
    """
    with ctx.read() as session:
        user = _find(session, normalize_username(username))
        return account_of(user) if user else None


def list_accounts(ctx: Context, *, by: Actor) -> list[Account]:
    """Every account, active or not, ordered by username (administrators)."""
    with ctx.read() as session:
        authorize(session, by, lifecycle.MANAGE_ACCOUNTS)
        return [account_of(u) for u in session.execute(select(User).order_by(User.username)).scalars()]


def active_admins(ctx: Context) -> int:
    """How many active administrators exist (the login page and the CLI ask before the first)."""
    with ctx.read() as session:
        return _count_admins(session)


# ---- changing -----------------------------------------------------------------------------------


def create_account(
    ctx: Context,
    username: str,
    *,
    role: str,
    by: Actor,
    display_name: str | None = None,
    password: str | None = None,
) -> Account:
    """Add an active account; ``password`` None makes a single-sign-on-only account.

    AccountError for a bad username, role or password, or a username already taken.
    """
    name = check_username(username)
    check_role(role)
    label = (display_name or "").strip() or name
    if password is not None:
        check_password(password, username=name, display_name=label)
    password_hash = ctx.hasher.hash(password) if password is not None else None
    try:
        with ctx.write.begin() as session:
            actor = authorize(session, by, lifecycle.MANAGE_ACCOUNTS)
            if _find(session, name) is not None:
                raise AccountError(f"The username {name} is already taken.")
            user = User(
                username=name,
                display_name=label[:200],
                role=role,
                password_hash=password_hash,
                active=True,
                created_at=ctx.now(),
            )
            session.add(user)
            detail = {"username": name, "role": role, "password": bool(password)}
            write_event(ctx, session, actor, "user_create", None, detail)
    except IntegrityError as exc:  # a concurrent create won the race for the unique username
        raise AccountError(f"The username {name} is already taken.") from exc
    return account_of(user)


def set_role(ctx: Context, username: str, role: str, *, by: Actor) -> Account:
    """Change the account's role; refuses to demote the last active administrator."""
    check_role(role)
    with ctx.write.begin() as session:
        actor = authorize(session, by, lifecycle.MANAGE_ACCOUNTS)
        user = _require(session, username)
        demoted = user.role == lifecycle.ADMIN and role != lifecycle.ADMIN
        if demoted and user.active and _count_admins(session) <= 1:
            raise AccountError(LAST_ADMIN)
        old, user.role = user.role, role
        write_event(
            ctx, session, actor, "user_role", None, {"username": user.username, "old": old, "new": role}
        )
        return account_of(user)


def set_active(ctx: Context, username: str, active: bool, *, by: Actor) -> Account:
    """Deactivate (no sign-in at all, password or SSO, and no operation) or reactivate an account.

    Refuses to deactivate the last active administrator.
    """
    with ctx.write.begin() as session:
        actor = authorize(session, by, lifecycle.MANAGE_ACCOUNTS)
        user = _require(session, username)
        if not active and user.role == lifecycle.ADMIN and user.active and _count_admins(session) <= 1:
            raise AccountError(LAST_ADMIN)
        user.active = active
        write_event(ctx, session, actor, "user_active", None, {"username": user.username, "active": active})
        return account_of(user)


def deactivate(ctx: Context, username: str, *, by: Actor) -> Account:
    """``set_active(username, False)``."""
    return set_active(ctx, username, False, by=by)


def set_password(ctx: Context, username: str, password: str | None, *, by: Actor) -> Account:
    """Set or reset the password; None removes it (the account then signs in by SSO only)."""
    if password is not None:
        known = get_account(ctx, username)
        check_password(
            password,
            username=normalize_username(username),
            display_name=known.display_name if known is not None else None,
        )
    new_hash = ctx.hasher.hash(password) if password is not None else None
    with ctx.write.begin() as session:
        actor = authorize(session, by, lifecycle.MANAGE_ACCOUNTS)
        user = _require(session, username)
        user.password_hash = new_hash
        detail = {"username": user.username, "set": new_hash is not None}
        write_event(ctx, session, actor, "user_password", None, detail)
        return account_of(user)


# ---- signing in ---------------------------------------------------------------------------------


def verify_password(ctx: Context, username: str, password: str) -> Account | None:
    """The active account when ``password`` is its password, else None. No audit, no lockout.

    Takes about as long for an unknown user as for a wrong password, so timing tells nothing.
    """
    with ctx.read() as session:
        user = _find(session, normalize_username(username))
        stored = user.password_hash if user is not None else None
    if user is None or stored is None or len(password) > MAX_PASSWORD_LENGTH:
        _burn(ctx.hasher, password[:MAX_PASSWORD_LENGTH])
        return None
    try:
        ctx.hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if not user.active:  # checked after the hash, so an inactive account costs the same time
        return None
    if ctx.hasher.check_needs_rehash(stored):  # parameters got stronger since it was hashed
        _rehash(ctx, user.username, password)
    return account_of(user)


def is_locked(ctx: Context, username: str) -> bool:
    """Whether ``username`` has LOCKOUT_FAILURES failures in its current window (since its last
    successful sign-in, at most LOCKOUT_WINDOW old)."""
    name = normalize_username(username)[:USERNAME_MAX]
    with ctx.read() as session:
        row = session.get(LoginAttempt, name)
        if row is None or row.window_start <= ctx.now() - LOCKOUT_WINDOW:
            return False
        return row.failures >= LOCKOUT_FAILURES


def authenticate(ctx: Context, username: str, password: str) -> LoginResult:
    """Check a password sign-in, audit it and apply the lockout (see ``medextract.accounts``).

    The attempt is counted first, in one atomic write that returns the new count: of any number of
    simultaneous attempts, only the first LOCKOUT_FAILURES get their password checked. A success
    sets the count back to zero.
    """
    name = normalize_username(username)[:USERNAME_MAX] or "(blank)"
    if count_attempt(ctx, name) > LOCKOUT_FAILURES:
        # Refused before checking the password, so guessing on during a lockout learns nothing.
        # The window does not move: the lock ends LOCKOUT_WINDOW after the first failure.
        record(ctx, name, "login_locked", detail={"method": "password"})
        return LoginResult(False, None, LOCKED_OUT)
    account = verify_password(ctx, name, password)
    if account is None:
        record(ctx, name, "login_failed", detail={"method": "password"})
        return LoginResult(False, None, WRONG_CREDENTIALS)
    with ctx.write.begin() as session:
        session.execute(update(LoginAttempt).where(LoginAttempt.username == name).values(failures=0))
        write_event(ctx, session, account.username, "login", None, {"method": "password"})
    return LoginResult(True, account, "")


def count_attempt(ctx: Context, name: str) -> int:
    """Count one sign-in attempt for ``name`` and return the count in its window, atomically.

    One ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` (SQLite and PostgreSQL alike): the row
    lock (PostgreSQL) or the single writer (SQLite) orders concurrent attempts, and each gets its
    own number. A window older than LOCKOUT_WINDOW starts again at 1.
    """
    now = ctx.now()
    table = LoginAttempt.__table__
    expired = table.c.window_start <= now - LOCKOUT_WINDOW
    started = bindparam("now", now, type_=UTCDateTime())
    insert = _dialect_insert(ctx.engine.dialect.name)(table).values(
        username=name, failures=1, window_start=now
    )
    upsert = insert.on_conflict_do_update(
        index_elements=[table.c.username],
        set_={
            "failures": case((expired, 1), else_=table.c.failures + 1),
            "window_start": case((expired, started), else_=table.c.window_start),
        },
    ).returning(table.c.failures)
    with ctx.write.begin() as session:
        return int(session.execute(upsert).scalar_one())


def _dialect_insert(dialect: str) -> Any:
    """The INSERT construct with ``on_conflict_do_update`` for the database in use."""
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise NotImplementedError(f"the sign-in lockout needs SQLite or PostgreSQL, not {dialect}")


# ---- helpers ------------------------------------------------------------------------------------


def _find(session: Session, name: str) -> User | None:
    return session.execute(select(User).where(User.username == name)).scalar_one_or_none()


def _require(session: Session, username: str) -> User:
    user = _find(session, normalize_username(username))
    if user is None:
        raise AccountError(f"There is no user {normalize_username(username)}.")
    return user


def _count_admins(session: Session) -> int:
    query = select(func.count()).select_from(User).where(User.role == lifecycle.ADMIN, User.active.is_(True))
    return int(session.execute(query).scalar_one())


@functools.lru_cache(maxsize=4)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not a real password, only for timing")


def _burn(hasher: PasswordHasher, password: str) -> None:
    """Verify against a throwaway hash: the same work as a real check, for unknown users."""
    with contextlib.suppress(VerificationError, InvalidHashError):
        hasher.verify(_dummy_hash(hasher), password)


def _rehash(ctx: Context, username: str, password: str) -> None:
    with ctx.write.begin() as session:
        user = _find(session, username)
        if user is not None:
            user.password_hash = ctx.hasher.hash(password)
