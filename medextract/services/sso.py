"""Single sign-on (OIDC): which account an identity is, bound by the provider's issuer and subject.

``sign_in`` turns an ID token's claims into the ``auth.Identity`` a session acts as:

1. An identity already bound (``sso_identities``: issuer + subject -> account) is that account.
2. Otherwise, when the provider says the e-mail address is verified (``email_verified`` true), an
   account an administrator made with that address as its username is bound to it, unless the
   account is already bound to another identity.
3. Otherwise, when the ID token's role claim names a role, a new password-less account is made and
   bound: named by the verified e-mail address, else ``sso-`` and a digest of issuer and subject.
4. Otherwise the person is signed in at the provider but has no role here.

A name the person can choose at the provider (``preferred_username``, an unverified e-mail) never
picks an account. The role claim, when present, is the account's role (an administrator of the
provider decides it); a change is written to the account and audited, so every service, which
reads the role from the account, agrees with it. A deactivated account is refused whatever the
token says. Only the first sign-in (or a role change) writes; the others read one row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from medextract import auth
from medextract.models import SsoIdentity, User
from medextract.services.audit import write_event
from medextract.services.context import Context

LINKED_ELSEWHERE = (
    "This e-mail address belongs to an account here that is linked to another single sign-on "
    "identity. Ask an administrator."
)
NAME_TAKEN = "An account here already has your name but is not linked to you. Ask an administrator."
MAX_ID = 255  # the width of issuer and subject


def sign_in(ctx: Context, claims: Mapping[str, Any], *, role_claim: str) -> auth.Identity | None:
    """The identity of ID-token ``claims`` (None when they lack an issuer or a subject)."""
    issuer, subject = _claim_id(claims, "iss"), _claim_id(claims, "sub")
    if issuer is None or subject is None:
        return None
    role, problem = auth.claimed_role(claims, role_claim)
    with ctx.read() as session:
        user = _bound_user(session, issuer, subject)
        if user is not None and (problem or role is None or role == user.role or not user.active):
            return _identity(user, claims, role, problem)
    try:
        with ctx.write.begin() as session:
            return _bind(ctx, session, claims, issuer, subject, role, problem)
    except IntegrityError:  # a first sign-in of the same person in another tab won the race
        with ctx.write.begin() as session:
            return _bind(ctx, session, claims, issuer, subject, role, problem)


def _bind(
    ctx: Context,
    session: Session,
    claims: Mapping[str, Any],
    issuer: str,
    subject: str,
    role: str | None,
    problem: str | None,
) -> auth.Identity:
    """Steps 1-3 of the module's rules, in one write transaction."""
    email = auth.verified_email(claims)
    fallback = email or auth.subject_username(issuer, subject)
    user = _bound_user(session, issuer, subject)
    if user is None and email is not None:
        candidate = _user_named(session, email)
        if candidate is not None:
            if _binding_of(session, candidate.id) is not None:
                return _refused(claims, fallback, LINKED_ELSEWHERE)
            _link(ctx, session, candidate, issuer, subject, created=False)
            user = candidate
    if user is None:
        if problem is not None or role is None:
            return _refused(claims, fallback, problem or auth.NO_ROLE)
        if _user_named(session, fallback) is not None:
            return _refused(claims, fallback, NAME_TAKEN)
        user = User(
            username=fallback,
            display_name=auth.display_name(claims, fallback),
            role=role,
            password_hash=None,
            active=True,
            created_at=ctx.now(),
        )
        session.add(user)
        session.flush()
        _link(ctx, session, user, issuer, subject, created=True)
    if user.active and problem is None and role is not None and role != user.role:
        detail = {"username": user.username, "old": user.role, "new": role, "from": "sso_claim"}
        write_event(ctx, session, user.username, "user_role", None, detail)
        user.role = role
    return _identity(user, claims, role, problem)


def _identity(user: User, claims: Mapping[str, Any], role: str | None, problem: str | None) -> auth.Identity:
    """The bound account's identity: refused when deactivated or the claim's role is unknown."""
    display = auth.display_name(claims, user.display_name or user.username)
    if not user.active:
        return auth.Identity(user.username, display, None, "oidc", auth.DEACTIVATED)
    if problem is not None:
        return auth.Identity(user.username, display, None, "oidc", problem)
    return auth.Identity(user.username, display, role or user.role, "oidc")


def _refused(claims: Mapping[str, Any], username: str, problem: str) -> auth.Identity:
    return auth.Identity(username, auth.display_name(claims, username), None, "oidc", problem)


def _link(ctx: Context, session: Session, user: User, issuer: str, subject: str, *, created: bool) -> None:
    session.add(SsoIdentity(issuer=issuer, subject=subject, user_id=user.id, created_at=ctx.now()))
    session.flush()
    detail = {"username": user.username, "issuer": issuer, "new_account": created, "role": user.role}
    write_event(ctx, session, user.username, "sso_link", None, detail)


def _claim_id(claims: Mapping[str, Any], key: str) -> str | None:
    value = claims.get(key)
    return value if isinstance(value, str) and value.strip() and len(value) <= MAX_ID else None


def _bound_user(session: Session, issuer: str, subject: str) -> User | None:
    query = (
        select(User)
        .join(SsoIdentity, SsoIdentity.user_id == User.id)
        .where(SsoIdentity.issuer == issuer, SsoIdentity.subject == subject)
    )
    return session.execute(query).scalar_one_or_none()


def _user_named(session: Session, username: str) -> User | None:
    return session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def _binding_of(session: Session, user_id: int) -> SsoIdentity | None:
    query = select(SsoIdentity).where(SsoIdentity.user_id == user_id)
    return session.execute(query).scalar_one_or_none()
