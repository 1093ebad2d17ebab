"""The HTTP API's application: ``create_app(ctx)`` wires the routes to one service Context.

Routes only translate: a request becomes a service call with the token's account as the actor,
and the result (or the refusal) becomes JSON. Every rule (roles, statuses, limits, auditing) is
the services'. ``POST /v1/extract`` runs the engine as the worker does, never in this process: in
one of ``engine_slots`` sandboxed child processes (``medextract.sandbox``) with the document's
time and memory budget, so a hostile file fails alone and a burst of extractions leaves threads
(and cores) for everyone else.
"""

from __future__ import annotations

import os
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, Literal

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from medextract import config, pool
from medextract.api import errors
from medextract.api.middleware import RequestContext
from medextract.api.routes import documents, extract, health, layouts, pages, records, webhooks
from medextract.intake import max_upload_bytes
from medextract.sandbox import Budget, SandboxPool
from medextract.services import preview
from medextract.services.context import Context
from medextract.services.oidc_keys import OidcVerifier

MAX_REQUEST_MB_ENV = "MEDEXTRACT_API_MAX_REQUEST_MB"
DESCRIPTION = """Documents in, verified records out, for the systems around the clerks.

Every `/v1` call needs `Authorization: Bearer <token>`: an administrator makes tokens with
`python -m medextract create-token --user NAME --expires-days N` or on the Users page. Where the
app has single sign-on, a JWT from its provider (an ID or access token for the app's client id)
also works, for an account bound to that identity by a sign-in to the app. A token acts as its
account, with that account's role at the time of the call. Errors are problem details
(RFC 9457) with a stable `code`; every response carries `X-Request-ID`.
"""


def max_request_bytes() -> int:
    """The largest request body: env MEDEXTRACT_API_MAX_REQUEST_MB, else four files at the limit."""
    raw = os.environ.get(MAX_REQUEST_MB_ENV, "").strip()
    try:
        megabytes = float(raw) if raw else 0.0
    except ValueError:
        megabytes = 0.0
    return int(megabytes * 1024 * 1024) if megabytes > 0 else 4 * max_upload_bytes()


def create_app(
    ctx: Context,
    *,
    extract_fn: Callable[..., Any] | None = None,
    background_worker: bool = False,
    engine_slots: int = 2,
    engine: str | None = None,
    budget: Budget | None = None,
    oidc: OidcVerifier | Literal["config"] | None = "config",
) -> FastAPI:
    """The API on ``ctx``; ``background_worker`` runs the extraction worker in this process while
    it serves (as the review app does).

    ``/v1/extract`` reads in ``engine_slots`` sandboxes with ``budget`` (default the worker's, from
    the environment); ``engine`` (``module:function``) is what they run instead of the real engine,
    and ``extract_fn`` (tests' fakes) runs in this process instead of any sandbox.

    ``oidc`` checks the single sign-on JWTs: by default the app's provider
    (``config.oidc_config``), None to accept API tokens only.
    """
    if oidc == "config":
        found = config.oidc_config()
        oidc = OidcVerifier(found) if found is not None else None
    sandboxes = None
    if extract_fn is None:
        sandboxes = SandboxPool(engine_slots, engine=engine, budget=budget)
        read_fn = sandboxes.preview  # waits for a free sandbox
    else:
        read_fn = _limited(preview.in_process(extract_fn), threading.BoundedSemaphore(engine_slots))

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if background_worker:
            pool.ensure_background_worker(ctx)
        yield
        if background_worker:
            await run_in_threadpool(pool.stop_background_worker, ctx)
        if sandboxes is not None:
            sandboxes.close()

    app = FastAPI(
        title="MedExtract API",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs",
        openapi_url="/openapi.json",
    )
    app.state.ctx = ctx
    app.state.oidc = oidc
    app.state.sandboxes = sandboxes
    app.state.extract_fn = read_fn
    errors.install(app)
    for module in (health, extract, documents, pages, records, layouts, webhooks):
        app.include_router(module.router)
    app.add_middleware(RequestContext, max_body_bytes=max_request_bytes())
    return app


def from_environment() -> FastAPI:
    """For ``uvicorn --factory medextract.api.app:from_environment``: the app's database
    (``medextract.config``), with the worker unless MEDEXTRACT_BACKGROUND_WORKER=0."""
    ctx = Context.open(config.database_url())
    return create_app(ctx, background_worker=os.environ.get("MEDEXTRACT_BACKGROUND_WORKER", "1") != "0")


def _limited(extract_fn: Callable[..., Any], slots: threading.BoundedSemaphore) -> Callable[..., Any]:
    def extract_in_turn(*args: Any, **kwargs: Any) -> Any:
        with slots:
            return extract_fn(*args, **kwargs)

    return extract_in_turn
