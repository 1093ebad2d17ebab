"""Browser sessions of the review app: a password sign-in that survives a reload until logout.

How a session is made, in two steps so that its token never passes through the page's scripts:

1. ``begin`` (right after ``accounts.authenticate`` said yes) stores a session row with a one-time
   hand-off code, valid ``HANDOFF_SECONDS``; the signed-in page posts that code to the server.
2. ``exchange`` (the server's HTTP route) swaps the code for the session token and the route sets
   it as an HttpOnly, SameSite=Strict cookie. The code is spent: a second exchange fails.

On a reload the app reads the cookie on the server (``st.context.cookies``) and ``resolve`` says
whose session it is: only a live one (not revoked, not expired) of an active account with a
password. ``revoke`` (logout) ends it at once, whatever the browser still holds. Code and token are
256 random bits each, stored only as SHA-256 (a slow hash protects guessable secrets; these are not).
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update

from medextract import lifecycle
from medextract.models import User, WebSession
from medextract.services.context import Actor, Context, authorize

COOKIE = "medextract_session"
HOURS_ENV = "MEDEXTRACT_SESSION_HOURS"
DEFAULT_HOURS = 12.0  # a working day: a clerk signs in once in the morning
HANDOFF_SECONDS = 120  # the page posts the code back within a second; slow machines get room


@dataclass(frozen=True)
class LiveSession:
    """Whose a live session is: ``id`` names it for ``revoke``; ``username`` is the account."""

    id: int
    username: str
    max_age: int  # seconds until it expires (the cookie's Max-Age)


def session_hours() -> float:
    """How long a session lasts after sign-in: env MEDEXTRACT_SESSION_HOURS, default 12."""
    raw = os.environ.get(HOURS_ENV, "").strip()
    try:
        hours = float(raw) if raw else DEFAULT_HOURS
    except ValueError:
        return DEFAULT_HOURS
    return hours if hours > 0 else DEFAULT_HOURS


def begin(ctx: Context, *, user: Actor) -> tuple[int, str]:
    """A new session for ``user`` (an active account), not yet bound to a browser: its id (for
    ``revoke``) and its hand-off code.

    Call it only after the person proved who they are (``accounts.authenticate``).
    """
    code = secrets.token_urlsafe(32)
    now = ctx.now()
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.VIEW)
        user_id = session.execute(select(User.id).where(User.username == name)).scalar_one()
        row = WebSession(
            user_id=user_id,
            handoff_hash=_digest(code),
            handoff_expires_at=now + timedelta(seconds=HANDOFF_SECONDS),
            created_at=now,
            expires_at=now + timedelta(hours=session_hours()),
        )
        session.add(row)
        session.flush()
        return row.id, code


def exchange(ctx: Context, code: str) -> tuple[str, int] | None:
    """The session token for a hand-off code, and its lifetime in seconds; None when the code is
    unknown, spent, late, or its session revoked. Spends the code."""
    if not isinstance(code, str) or not 20 <= len(code) <= 100:
        return None
    token = secrets.token_urlsafe(32)
    now = ctx.now()
    with ctx.write.begin() as session:
        row = session.execute(
            select(WebSession).where(WebSession.handoff_hash == _digest(code))
        ).scalar_one_or_none()
        if row is None or row.revoked_at is not None:
            return None
        late = row.handoff_expires_at is None or row.handoff_expires_at < now or row.expires_at < now
        spent = session.execute(
            update(WebSession)
            .where(WebSession.id == row.id, WebSession.handoff_hash == _digest(code))
            .values(handoff_hash=None, handoff_expires_at=None, token_hash=None if late else _digest(token))
            .execution_options(synchronize_session=False)
        )
        if late or spent.rowcount != 1:
            return None
        return token, int((row.expires_at - now).total_seconds())


def resolve(ctx: Context, token: str | None) -> LiveSession | None:
    """Whose live session ``token`` (the cookie's value) is; None for anything else."""
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        return None
    now = ctx.now()
    with ctx.read() as session:
        found = session.execute(
            select(WebSession.id, WebSession.expires_at, User.username)
            .join(User, User.id == WebSession.user_id)
            .where(
                WebSession.token_hash == _digest(token),
                WebSession.revoked_at.is_(None),
                WebSession.expires_at > now,
                User.active.is_(True),
                User.password_hash.is_not(None),
            )
        ).first()
    if found is None:
        return None
    session_id, expires_at, username = found
    return LiveSession(session_id, username, int((expires_at - now).total_seconds()))


def revoke(ctx: Context, session_id: int) -> None:
    """End a session at once (logout): its cookie no longer signs anyone in."""
    with ctx.write.begin() as session:
        session.execute(
            update(WebSession)
            .where(WebSession.id == session_id, WebSession.revoked_at.is_(None))
            .values(revoked_at=ctx.now(), handoff_hash=None, handoff_expires_at=None)
            .execution_options(synchronize_session=False)
        )


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()
