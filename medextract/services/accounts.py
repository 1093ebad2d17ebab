"""Accounts: create, list, change role, deactivate, set passwords (administrators); sign-in checks.

The rules (usernames, password length, roles) are ``medextract.accounts``'. Changes name the
administrator making them (``by``), whose account is loaded afresh and must be an active
administrator, or ``context.CLI`` for the server's shell. Sign-in (``authenticate``) needs no
actor: it is how a person becomes one.
"""

from __future__ import annotations

import contextlib
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
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
from medextract.models import AuditEvent, User
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
    if password is not None:
        check_password(password)
    label = (display_name or "").strip() or name
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
        check_password(password)
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
    """Whether ``username`` has LOCKOUT_FAILURES failures within the window since its last login."""
    name = normalize_username(username)[:USERNAME_MAX]
    now = ctx.now()
    with ctx.read() as session:
        last_ok = session.execute(
            select(func.max(AuditEvent.at)).where(AuditEvent.user == name, AuditEvent.action == "login")
        ).scalar_one()
        since = now - LOCKOUT_WINDOW
        if last_ok is not None and last_ok > since:
            since = last_ok
        failures = session.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.user == name, AuditEvent.action == "login_failed", AuditEvent.at > since)
        ).scalar_one()
    return int(failures) >= LOCKOUT_FAILURES


def authenticate(ctx: Context, username: str, password: str) -> LoginResult:
    """Check a password sign-in, audit it and apply the lockout (see ``medextract.accounts``)."""
    name = normalize_username(username)[:USERNAME_MAX] or "(blank)"
    if is_locked(ctx, name):
        # Refused before checking the password, so guessing on during a lockout learns nothing.
        # Not counted as a failure: the lock ends LOCKOUT_WINDOW after the failures that set it.
        record(ctx, name, "login_locked", detail={"method": "password"})
        return LoginResult(False, None, LOCKED_OUT)
    account = verify_password(ctx, name, password)
    if account is None:
        record(ctx, name, "login_failed", detail={"method": "password"})
        return LoginResult(False, None, WRONG_CREDENTIALS)
    record(ctx, account.username, "login", detail={"method": "password"})
    return LoginResult(True, account, "")


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
