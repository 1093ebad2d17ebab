"""Who calls: the bearer token of every /v1 request, checked by ``services.bearer`` (audited): an
API token, or a JWT from the app's single sign-on provider (``app.state.oidc``, None without one).

The token only says which account acts. What that account may do is decided by each service the
route calls, which loads the account afresh: a route never checks a role itself.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from medextract.services import bearer as bearer_tokens
from medextract.services.context import Context

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="API token",
    description=(
        "A token an administrator made (`python -m medextract create-token --user NAME ...`), or a JWT "
        "from the app's single sign-on provider for an account bound to it."
    ),
)


async def context(request: Request) -> Context:
    """The app's service Context (one per process and database).

    ``async``: a plain attribute read, so FastAPI runs it on the event loop instead of sending it
    to a worker thread and back (a thread hop costs more than the read, on every request).
    """
    ctx: Context = request.app.state.ctx
    return ctx


Ctx = Annotated[Context, Depends(context)]


def current_user(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)], ctx: Ctx
) -> str:
    """The username the request's token acts for; TokenRefused (a 401 problem) otherwise, or
    PermissionDenied (403) for a valid JWT of a deactivated account.

    A header with another scheme ("Basic ...") is checked as it is, and so refused as malformed.
    """
    token = credentials.credentials if credentials else request.headers.get("authorization")
    username = bearer_tokens.authenticate(ctx, token, request.app.state.oidc)
    request.state.user = username  # for the access log line
    return username


User = Annotated[str, Depends(current_user)]  # a route's first parameter: the token is checked first
