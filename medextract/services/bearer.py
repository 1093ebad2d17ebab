"""Who an API call's bearer token is: an API token (``services.tokens``) or a single sign-on JWT.

A JWT (three dot-separated base64url parts; an API token has no dot) is checked by the
provider's keys (``services.oidc_keys``: signature, algorithm, issuer, audience, expiry) and then
names an account only through the binding the app's single sign-on made (``sso_identities``:
issuer + subject -> account, ``services.sso``). The token's other claims (a ``preferred_username``,
an e-mail address, verified or not, a role claim) pick nothing and change nothing: a person signs
in to the app once to be bound, and the account's role, loaded afresh by each service, decides what
the call may do, as for an API token.

Refusals are audited ``api_auth_failed`` with ``{"reason", "method": "oidc"}`` (and the issuer
and subject once the signature held; never the token): a JWT when no provider is configured, one
that fails a check, a subject bound to no account (401), a deactivated account (403, the
services' own refusal).
"""

from __future__ import annotations

import re

from sqlalchemy import bindparam, select

from medextract.errors import PermissionDenied, TokenRefused
from medextract.models import SsoIdentity, User
from medextract.services import tokens
from medextract.services.audit import record
from medextract.services.context import Context
from medextract.services.oidc_keys import InvalidJwt, OidcVerifier, ProviderUnavailable

_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")

NOT_CONFIGURED = (
    "This server accepts single sign-on tokens only when a provider is configured, and none is: "
    "use an API token (mxt_...) from an administrator."
)
UNKNOWN_SUBJECT = (
    "This single sign-on identity has no account here: sign in to the app once with single "
    "sign-on, or ask an administrator."
)
UNAVAILABLE = "The single sign-on provider cannot be reached to check the token; try again shortly."

_BOUND = (  # built once: every JWT call runs it
    select(User.username, User.active)
    .join(SsoIdentity, SsoIdentity.user_id == User.id)
    .where(SsoIdentity.issuer == bindparam("issuer"), SsoIdentity.subject == bindparam("subject"))
)


def is_jwt(token: str | None) -> bool:
    """Whether ``token`` has a compact JWS's shape (an API token never does)."""
    return bool(token) and _JWT.fullmatch(token.strip()) is not None  # type: ignore[union-attr]


def authenticate(ctx: Context, token: str | None, oidc: OidcVerifier | None) -> str:
    """The username the bearer ``token`` acts for: TokenRefused (401), or PermissionDenied (403) for
    a deactivated account behind a valid JWT; every refusal is audited."""
    if not is_jwt(token):
        return tokens.authenticate(ctx, token)
    assert token is not None
    if oidc is None:
        raise _refused(ctx, "oidc_disabled", NOT_CONFIGURED)
    try:
        claims = oidc.verify(token.strip(), ctx.now())
    except InvalidJwt as exc:
        raise _refused(ctx, exc.reason, str(exc)) from None
    except ProviderUnavailable:
        raise _refused(ctx, "provider_unavailable", UNAVAILABLE) from None
    issuer, subject = claims["iss"], claims["sub"]
    who = {"issuer": issuer, "subject": subject}
    with ctx.read() as session:
        account = session.execute(_BOUND, who).first()
    if account is None:
        raise _refused(ctx, "unknown_subject", UNKNOWN_SUBJECT, **who)
    if not account.active:
        detail = {"reason": "deactivated", "method": "oidc", **who}
        record(ctx, account.username, "api_auth_failed", detail=detail)
        raise PermissionDenied(
            f"The account {account.username} has been deactivated; ask an administrator.",
            username=account.username,
            action="api",
        )
    return str(account.username)


def _refused(ctx: Context, reason: str, message: str, **detail: str) -> TokenRefused:
    record(ctx, tokens.ANONYMOUS, "api_auth_failed", detail={"reason": reason, "method": "oidc", **detail})
    return TokenRefused(reason, message)
