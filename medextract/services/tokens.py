"""API tokens: an administrator makes one for an account, shown once; every API call presents it.

A token reads ``mxt_<key_id>_<secret>``. ``key_id`` (12 hex characters) is public: it finds the
row and names the token in listings and the audit log. ``secret`` (256 random bits) exists only in
the caller's hands: the database keeps its SHA-256, compared in constant time. (A slow password
hash protects guessable secrets; a random 256-bit one needs none.)

A token is its account: it carries no role of its own. The services load the account afresh on
every call, so the account's role decides what a token may do, and a demotion or deactivation
applies to the very next call. Every token expires (1 to ``MAX_DAYS`` days); revoking is
immediate and final. Audited: ``token_create`` and ``token_revoke`` (by the administrator) and
``api_auth_failed`` (the reason and the key id when one was sent; never a secret).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.accounts import AccountError, normalize_username
from medextract.errors import TokenRefused
from medextract.models import ApiToken, User
from medextract.services.audit import record, write_event
from medextract.services.context import Actor, Context, authorize
from medextract.views import NewToken, TokenInfo

PREFIX = "mxt"
MAX_DAYS = 365
MAX_NAME = 100
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often (one write)
ANONYMOUS = "(anonymous)"  # the audit log's name for a caller whose token names nobody
_TOKEN = re.compile(rf"^{PREFIX}_([0-9a-f]{{12}})_([A-Za-z0-9_-]{{43}})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

MISSING = "This request needs an API token: send the header 'Authorization: Bearer <token>'."
INVALID = "The API token is not valid: check that it was copied whole, or ask an administrator for one."
REVOKED = "The API token was revoked; ask an administrator for a new one."


def create_token(
    ctx: Context, username: str, *, by: Actor, expires_days: int, name: str | None = None
) -> NewToken:
    """A new token for an active account, valid ``expires_days`` days (administrators).

    The returned ``token`` is the only copy of the secret. AccountError for an unknown or
    deactivated account, a lifetime out of range.
    """
    if not isinstance(expires_days, int) or not 1 <= expires_days <= MAX_DAYS:
        raise AccountError(f"A token lasts 1 to {MAX_DAYS} days.")
    label = _CONTROL.sub("", name or "").strip()[:MAX_NAME] or "API token"
    key_id, secret = secrets.token_hex(6), secrets.token_urlsafe(32)
    now = ctx.now()
    with ctx.write.begin() as session:
        actor = authorize(session, by, lifecycle.MANAGE_ACCOUNTS)
        user = session.execute(
            select(User).where(User.username == normalize_username(username))
        ).scalar_one_or_none()
        if user is None:
            raise AccountError(f"There is no user {normalize_username(username)}.")
        if not user.active:
            raise AccountError(f"The account {user.username} is deactivated; reactivate it first.")
        row = ApiToken(
            key_id=key_id,
            secret_hash=_digest(secret),
            user_id=user.id,
            name=label,
            created_by=actor,
            created_at=now,
            expires_at=now + timedelta(days=expires_days),
        )
        session.add(row)
        detail = {"username": user.username, "key_id": key_id, "name": label, "expires_at": row.expires_at}
        write_event(ctx, session, actor, "token_create", None, detail)
        info = _info(row, user.username)
    return NewToken(f"{PREFIX}_{key_id}_{secret}", info)


def list_tokens(ctx: Context, *, by: Actor, username: str | None = None) -> list[TokenInfo]:
    """Every token (or one account's), newest first (administrators)."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if username is not None:
        query = query.where(User.username == normalize_username(username))
    query = query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    with ctx.read() as session:
        authorize(session, by, lifecycle.MANAGE_ACCOUNTS)
        return [_info(row, name) for row, name in session.execute(query).all()]


def revoke_token(ctx: Context, key_id: str, *, by: Actor) -> TokenInfo:
    """Revoke a token for good (administrators); revoking it again changes nothing.

    AccountError when no token has this key id.
    """
    key_id = key_id.strip().lower()
    with ctx.write.begin() as session:
        actor = authorize(session, by, lifecycle.MANAGE_ACCOUNTS)
        found = session.execute(
            select(ApiToken, User.username)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.key_id == key_id)
        ).first()
        if found is None:
            raise AccountError(f"There is no API token {key_id!r}.")
        row, username = found
        if row.revoked_at is None:
            row.revoked_at, row.revoked_by = ctx.now(), actor
            write_event(ctx, session, actor, "token_revoke", None, {"username": username, "key_id": key_id})
        return _info(row, username)


def authenticate(ctx: Context, token: str | None) -> str:
    """The username a bearer token acts for; TokenRefused (audited) when it may not act.

    Only the token is checked here (format, secret, expiry, revocation); the account itself and
    its role are checked by each service the call reaches.
    """
    if not token:
        raise _refused(ctx, "missing", MISSING)
    match = _TOKEN.fullmatch(token.strip())
    if match is None:
        raise _refused(ctx, "malformed", INVALID)
    key_id, secret = match.groups()
    now = ctx.now()
    with ctx.read() as session:
        row = _lookup(session, key_id)
    if row is None or not hmac.compare_digest(_digest(secret), row.secret_hash):
        raise _refused(ctx, "unknown", INVALID, key_id=key_id)
    username = row.username
    if row.revoked_at is not None:
        raise _refused(ctx, "revoked", REVOKED, key_id=key_id, username=username)
    if row.expires_at <= now:
        when = f"{row.expires_at:%Y-%m-%d %H:%M} UTC"
        expired = f"The API token expired on {when}; ask an administrator for a new one."
        raise _refused(ctx, "expired", expired, key_id=key_id, username=username)
    if row.last_used_at is None or row.last_used_at < now - TOUCH_EVERY:
        with ctx.write.begin() as session:
            session.execute(update(ApiToken).where(ApiToken.id == row.id).values(last_used_at=now))
    return username


# ---- helpers ------------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


_LOOKUP = (  # built once: every API call runs it, and its columns are all authenticate reads
    select(
        ApiToken.id,
        ApiToken.secret_hash,
        ApiToken.revoked_at,
        ApiToken.expires_at,
        ApiToken.last_used_at,
        User.username,
    )
    .join(User, User.id == ApiToken.user_id)
    .where(ApiToken.key_id == bindparam("key_id"))
)


def _lookup(session: Session, key_id: str) -> Row[Any] | None:
    return session.execute(_LOOKUP, {"key_id": key_id}).first()


def _refused(
    ctx: Context, reason: str, message: str, *, key_id: str | None = None, username: str | None = None
) -> TokenRefused:
    """Audit a refused token (whose it was only once its secret matched) and build the error."""
    detail = {"reason": reason, "method": "token"} | ({"key_id": key_id} if key_id else {})
    record(ctx, username or ANONYMOUS, "api_auth_failed", detail=detail)
    return TokenRefused(reason, message)


def _info(row: ApiToken, username: str) -> TokenInfo:
    return TokenInfo(
        key_id=row.key_id,
        username=username,
        name=row.name,
        created_by=row.created_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
        revoked_by=row.revoked_by,
        last_used_at=row.last_used_at,
    )
