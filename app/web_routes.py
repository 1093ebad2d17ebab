"""The review app's own HTTP routes, beside Streamlit's (served by ``serve.py``'s ``st.App``).

Streamlit talks to the browser over a websocket, which cannot set a cookie; these two routes can:

- ``POST /_medextract/session`` {"code": ...}: the signed-in page posts its one-time hand-off code
  (``sessions.begin``); the answer sets the session token as an HttpOnly, SameSite=Strict cookie,
  so no script of the page ever sees the token.
- ``POST /_medextract/session/end``: revokes the session the cookie names, and deletes the cookie.

Both refuse a request whose Origin is not this server (a page elsewhere cannot use them).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from medextract.services import sessions
from medextract.services.context import Context

SESSION_PATH = "/_medextract/session"
END_PATH = "/_medextract/session/end"
MAX_BODY = 1024


def _context() -> Context:
    from app import ui_runtime  # the app's one Context per database per process

    url, data_dir = ui_runtime.store_identity()
    return ui_runtime.open_context(url, data_dir)


def same_origin(request: Request) -> bool:
    """Whether the request comes from a page of this server (Origin's host is our Host)."""
    origin = request.headers.get("origin", "")
    host = request.headers.get("host", "")
    return bool(origin) and bool(host) and urlsplit(origin).netloc == host


def _answer(status: int) -> Response:
    return Response(status_code=status, headers={"Cache-Control": "no-store"})


async def start_session(request: Request) -> Response:
    """Swap a hand-off code for the session cookie."""
    if not same_origin(request):
        return _answer(403)
    body = await request.body()
    try:
        code = json.loads(body)["code"] if len(body) <= MAX_BODY else None
    except (ValueError, KeyError, TypeError):
        code = None
    if not isinstance(code, str):
        return _answer(400)
    exchanged = await run_in_threadpool(sessions.exchange, _context(), code)
    if exchanged is None:
        return _answer(403)
    token, max_age = exchanged
    response = _answer(204)
    response.set_cookie(
        sessions.COOKIE,
        token,
        max_age=max_age,
        path="/",
        secure=request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return response


async def end_session(request: Request) -> Response:
    """Revoke the cookie's session (if still live) and delete the cookie."""
    if not same_origin(request):
        return _answer(403)
    ctx = _context()
    live = await run_in_threadpool(sessions.resolve, ctx, request.cookies.get(sessions.COOKIE))
    if live is not None:
        await run_in_threadpool(sessions.revoke, ctx, live.id)
    response = _answer(204)
    response.delete_cookie(
        sessions.COOKIE, path="/", secure=request.url.scheme == "https", httponly=True, samesite="strict"
    )
    return response


ROUTES = [
    Route(SESSION_PATH, start_session, methods=["POST"]),
    Route(END_PATH, end_session, methods=["POST"]),
]
