"""User accounts: create, list, change role, deactivate, set and check passwords, lock out guessers.

Contract:
- Usernames are stored stripped and lower-cased (``Ana`` and ``ana`` are one person), 1-80
  characters from letters, digits and ``. _ @ + -`` (so an e-mail address is a valid username).
- Passwords are hashed with argon2id (argon2-cffi's ``PasswordHasher``); the plaintext is never
  stored, logged or audited. A password has at least ``MIN_PASSWORD_LENGTH`` characters. An
  account without a password (``password_hash`` NULL) can only sign in through single sign-on.
- ``authenticate`` is the one way the app checks a password: it audits every attempt
  ("login" / "login_failed" / "login_locked", never with the password) and refuses a username
  with ``LOCKOUT_FAILURES`` failures within ``LOCKOUT_WINDOW`` since its last success, whatever
  the password. Its message never says whether the username exists.
- Changes made by a person (``by``) are audited: user_create, user_role, user_active,
  user_password. The last active administrator cannot be demoted or deactivated.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from medextract.db import writer
from medextract.models import ROLES, AuditEvent, User

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; a cap keeps a huge "password" from costing CPU
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=10)
USERNAME_MAX = 80  # the width of every user column (users, documents, audit_events)
WRONG_CREDENTIALS = "Wrong username or password."
LOCKED_OUT = "Too many failed attempts for this username. Wait a few minutes and try again."

_USERNAME = re.compile(r"^[a-z0-9._@+-]{1,80}$")

Clock = Callable[[], datetime]


class AccountError(Exception):
    """A request about accounts that is refused; the message is meant for the person who asked."""


@dataclass(frozen=True)
class Account:
    """A user as the app sees it; never carries the password hash."""

    username: str
    display_name: str
    role: str
    active: bool
    has_password: bool
    created_at: datetime


@dataclass(frozen=True)
class LoginResult:
    """The outcome of one password sign-in: ``account`` is set exactly when ``ok``."""

    ok: bool
    account: Account | None
    message: str


def normalize_username(username: str) -> str:
    """The stored form of a username: stripped and lower-cased (not validated)."""
    return username.strip().lower()


def check_username(username: str) -> str:
    """The normalized username, or AccountError saying what is wrong with it."""
    name = normalize_username(username)
    if not _USERNAME.fullmatch(name):
        raise AccountError(
            "A username is 1-80 characters: letters, digits and . _ @ + - (an e-mail address works)."
        )
    return name


def check_password(password: str) -> None:
    """AccountError unless ``password`` is acceptable: 12 to 1024 characters, not just spaces."""
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise AccountError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"A password has at most {MAX_PASSWORD_LENGTH} characters.")


def check_role(role: str) -> str:
    """``role`` when it is one of ROLES, else AccountError."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    return role


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _account(user: User) -> Account:
    return Account(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=bool(user.active),
        has_password=user.password_hash is not None,
        created_at=user.created_at,
    )


class Accounts:
    """User management over a Store's database. Thread-safe: one session per call.

    ``store`` provides the engine and ``audit``. ``clock`` defaults to the store's own: the lockout
    counts audit rows the store stamps, so both must tell the same time.
    """

    def __init__(
        self, store: Any, *, clock: Clock | None = None, hasher: PasswordHasher | None = None
    ) -> None:
        self._store = store
        self._read = sessionmaker(store.engine, expire_on_commit=False)
        self._write = sessionmaker(writer(store.engine), expire_on_commit=False)
        self._now: Clock = clock or getattr(store, "_now", None) or _utcnow
        self._hasher = hasher or PasswordHasher()
        self._dummy_hash: str | None = None

    # ---- reading ------------------------------------------------------------------------------

    def get(self, username: str) -> Account | None:
        """The account with this username (any case, surrounding spaces ignored), or None."""
        with self._read() as session:
            user = self._find(session, normalize_username(username))
            return _account(user) if user else None

    def list(self) -> list[Account]:
        """Every account, active or not, ordered by username."""
        with self._read() as session:
            return [_account(u) for u in session.execute(select(User).order_by(User.username)).scalars()]

    def active_admins(self) -> int:
        """How many active administrators exist (the first one is made with the CLI)."""
        with self._read() as session:
            return self._count_admins(session)

    # ---- changing -----------------------------------------------------------------------------

    def create(
        self,
        username: str,
        *,
        role: str,
        by: str,
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
        user = User(
            username=name,
            display_name=label[:200],
            role=role,
            password_hash=self._hasher.hash(password) if password is not None else None,
            active=True,
            created_at=self._now(),
        )
        try:
            with self._write.begin() as session:
                if self._find(session, name) is not None:
                    raise AccountError(f"The username {name} is already taken.")
                session.add(user)
        except IntegrityError as exc:  # a concurrent create won the race for the unique username
            raise AccountError(f"The username {name} is already taken.") from exc
        self._store.audit(
            by, "user_create", detail={"username": name, "role": role, "password": bool(password)}
        )
        return _account(user)

    def set_role(self, username: str, role: str, *, by: str) -> Account:
        """Change the account's role; refuses to demote the last active administrator."""
        check_role(role)
        with self._write.begin() as session:
            user = self._require(session, username)
            if user.role == "admin" and role != "admin" and user.active and self._count_admins(session) <= 1:
                raise AccountError("This is the last active administrator; make another one first.")
            old, user.role = user.role, role
            account = _account(user)
        self._store.audit(by, "user_role", detail={"username": account.username, "old": old, "new": role})
        return account

    def set_active(self, username: str, active: bool, *, by: str) -> Account:
        """Deactivate (no sign-in at all, password or SSO) or reactivate an account.

        Refuses to deactivate the last active administrator.
        """
        with self._write.begin() as session:
            user = self._require(session, username)
            if not active and user.role == "admin" and user.active and self._count_admins(session) <= 1:
                raise AccountError("This is the last active administrator; make another one first.")
            user.active = active
            account = _account(user)
        self._store.audit(by, "user_active", detail={"username": account.username, "active": active})
        return account

    def deactivate(self, username: str, *, by: str) -> Account:
        """``set_active(username, False)``."""
        return self.set_active(username, False, by=by)

    def set_password(self, username: str, password: str | None, *, by: str) -> Account:
        """Set or reset the password; None removes it (the account then signs in by SSO only)."""
        if password is not None:
            check_password(password)
        new_hash = self._hasher.hash(password) if password is not None else None
        with self._write.begin() as session:
            user = self._require(session, username)
            user.password_hash = new_hash
            account = _account(user)
        self._store.audit(
            by, "user_password", detail={"username": account.username, "set": new_hash is not None}
        )
        return account

    # ---- signing in ---------------------------------------------------------------------------

    def verify_password(self, username: str, password: str) -> Account | None:
        """The active account when ``password`` is its password, else None. No audit, no lockout.

        Takes about as long for an unknown user as for a wrong password, so timing tells nothing.
        """
        with self._read() as session:
            user = self._find(session, normalize_username(username))
            stored = user.password_hash if user is not None else None
        if stored is None or len(password) > MAX_PASSWORD_LENGTH:
            self._burn(password[:MAX_PASSWORD_LENGTH])
            return None
        try:
            self._hasher.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if not user.active:  # checked after the hash, so an inactive account costs the same time
            return None
        if self._hasher.check_needs_rehash(stored):  # parameters got stronger since it was hashed
            self._rehash(user.username, password)
        return _account(user)

    def is_locked(self, username: str) -> bool:
        """Whether ``username`` has LOCKOUT_FAILURES failures within the window since its last login."""
        name = normalize_username(username)[:USERNAME_MAX]
        now = self._now()
        with self._read() as session:
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

    def authenticate(self, username: str, password: str) -> LoginResult:
        """Check a password sign-in, audit it and apply the lockout (see the module contract)."""
        name = normalize_username(username)[:USERNAME_MAX] or "(blank)"
        if self.is_locked(name):
            # Refused before checking the password, so guessing on during a lockout learns nothing.
            # Not counted as a failure: the lock ends LOCKOUT_WINDOW after the failures that set it.
            self._store.audit(name, "login_locked", detail={"method": "password"})
            return LoginResult(False, None, LOCKED_OUT)
        account = self.verify_password(name, password)
        if account is None:
            self._store.audit(name, "login_failed", detail={"method": "password"})
            return LoginResult(False, None, WRONG_CREDENTIALS)
        self._store.audit(account.username, "login", detail={"method": "password"})
        return LoginResult(True, account, "")

    # ---- helpers ------------------------------------------------------------------------------

    def _find(self, session: Session, name: str) -> User | None:
        return session.execute(select(User).where(User.username == name)).scalar_one_or_none()

    def _require(self, session: Session, username: str) -> User:
        user = self._find(session, normalize_username(username))
        if user is None:
            raise AccountError(f"There is no user {normalize_username(username)}.")
        return user

    def _count_admins(self, session: Session) -> int:
        query = select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True))
        return int(session.execute(query).scalar_one())

    def _burn(self, password: str) -> None:
        """Verify against a throwaway hash: the same work as a real check, for unknown users."""
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash("not a real password, only for timing")
        with contextlib.suppress(VerificationError, InvalidHashError):
            self._hasher.verify(self._dummy_hash, password)

    def _rehash(self, username: str, password: str) -> None:
        with self._write.begin() as session:
            user = self._find(session, username)
            if user is not None:
                user.password_hash = self._hasher.hash(password)
