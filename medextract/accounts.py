"""User accounts' rules: what a username and a password must be, and an account as the app sees it.

The operations (create, change role, deactivate, set and check passwords, the lockout) are in
``medextract.services.accounts``, which applies these rules. Contract:
- Usernames are stored stripped and lower-cased (``Ana`` and ``ana`` are one person), 1-80
  characters from letters, digits and ``. _ @ + -`` (so an e-mail address is a valid username).
- Passwords are hashed with argon2id (argon2-cffi's ``PasswordHasher``); the plaintext is never
  stored, logged or audited. A password has at least ``MIN_PASSWORD_LENGTH`` characters and must
  not be easy to guess: zxcvbn (Dropbox's estimator: dictionaries of common passwords, names and
  words, repeats, sequences, dates, keyboard runs, and the person's own name) must rate it at
  least ``MIN_PASSWORD_SCORE`` of 4. An account without a password (``password_hash`` NULL) can
  only sign in through single sign-on.
- ``authenticate`` is the one way the app checks a password: it audits every attempt
  ("login" / "login_failed" / "login_locked", never with the password) and refuses a username
  with ``LOCKOUT_FAILURES`` failures within ``LOCKOUT_WINDOW`` since its last success, whatever
  the password. Each attempt is counted by one atomic write *before* the password is checked
  (``login_attempts``), so parallel guesses cannot all be checked against the same old count.
  Its message never says whether the username exists.
- Changes are made by an active administrator (``by``, checked afresh on every call) or by the
  server's CLI, and are audited: user_create, user_role, user_active, user_password. The last
  active administrator cannot be demoted or deactivated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from medextract.errors import StoreError
from medextract.lifecycle import ROLES
from medextract.models import User

MIN_PASSWORD_LENGTH = 12
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0-4: 3 is "safely unguessable" (about 10^8 guesses or more)
SCORED_PREFIX = 72  # zxcvbn refuses longer input; a longer password is scored by its start
MAX_PASSWORD_LENGTH = 1024  # argon2 takes any length; a cap keeps a huge "password" from costing CPU
LOCKOUT_FAILURES = 5
LOCKOUT_WINDOW = timedelta(minutes=10)
USERNAME_MAX = 80  # the width of every user column (users, documents, audit_events)
WRONG_CREDENTIALS = "Wrong username or password."
LOCKED_OUT = "Too many failed attempts for this username. Wait a few minutes and try again."

_USERNAME = re.compile(r"^[a-z0-9._@+-]{1,80}$")


class AccountError(StoreError):
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


def check_password(password: str, *, username: str | None = None, display_name: str | None = None) -> None:
    """AccountError unless ``password`` is acceptable: 12 to 1024 characters, not just spaces, not
    the person's name, and not easy to guess (zxcvbn's score at least ``MIN_PASSWORD_SCORE``).

    The message says why, in words for the person choosing it.
    """
    if len(password) < MIN_PASSWORD_LENGTH or not password.strip():
        raise AccountError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"A password has at most {MAX_PASSWORD_LENGTH} characters.")
    names = [n for n in (username, display_name) if n and n.strip()]
    folded = password.strip().casefold()
    if any(folded == n.strip().casefold() for n in names):
        raise AccountError("A password must not be the user name.")
    weakness = password_weakness(password, names)
    if weakness is not None:
        raise AccountError(f"This password is too easy to guess: {weakness}")


def password_weakness(password: str, personal: list[str]) -> str | None:
    """Why zxcvbn rates ``password`` below ``MIN_PASSWORD_SCORE``, or None when it is strong enough.

    ``personal`` (the user name, the display name) counts as a word an attacker tries first.
    """
    from zxcvbn import zxcvbn  # ~0.1 s to load its word lists: only when a password is set

    inputs = [part for name in personal for part in re.split(r"[\s._@+-]+", name.casefold()) if part]
    result = zxcvbn(password[:SCORED_PREFIX], user_inputs=[*personal, *inputs])
    if result["score"] >= MIN_PASSWORD_SCORE:
        return None
    feedback = result.get("feedback") or {}
    advice = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    said = " ".join(a.strip() for a in advice if a and a.strip())
    return (
        said
        or "it follows a pattern that is tried early. Add another word or two; uncommon words are better."
    )


def check_role(role: str) -> str:
    """``role`` when it is one of ROLES, else AccountError."""
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}: use one of {', '.join(ROLES)}.")
    return role


def account_of(user: User) -> Account:
    """The app's view of a user row."""
    return Account(
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=bool(user.active),
        has_password=user.password_hash is not None,
        created_at=user.created_at,
    )
