"""Around every request: its id, its size limit, one log line, and no stack trace ever answered.

The request id is the caller's ``X-Request-ID`` when it is a plain token (letters, digits,
``._:-``, at most 128), else a new one; it is sent back on every response, set in a context
variable that :class:`RequestIdFilter` puts on every log record, and named in every problem. The
log line says who, what route, which status and how long: never a body, a query string, a file
name or other text from the path, any of which may carry patient data (the path is logged as its
route with the numeric ids filled in). An unexpected exception is logged by its type and
traceback (the frames, not its message) and answered as a 500 problem.
"""

from __future__ import annotations

import contextvars
import logging
import re
import time
import traceback
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from medextract.api.errors import PROBLEM_JSON, RequestTooLarge, problem

log = logging.getLogger("medextract.api")

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID = contextvars.ContextVar("medextract_request_id", default="-")
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record (``-`` outside a request), for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """One handler on stderr whose lines carry the request id (``python -m medextract.api``)."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


class RequestContext:
    """Pure ASGI middleware: request id, body limit, access log, last-resort 500."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        given = headers.get(REQUEST_ID_HEADER.lower(), "")
        request_id = given if _VALID_ID.fullmatch(given) else uuid.uuid4().hex
        reset = REQUEST_ID.set(request_id)
        state: dict[str, Any] = scope.setdefault("state", {})
        state["request_id"] = request_id
        started = time.perf_counter()
        response: dict[str, Any] = {"status": 500, "started": False}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                response.update(status=message["status"], started=True)
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            length = headers.get("content-length", "")
            if length.isdigit() and int(length) > self.max_body_bytes:
                too_large = RequestTooLarge(self.max_body_bytes)
                await _answer(
                    send_with_id, scope, request_id, 413, "request_too_large", str(too_large.detail)
                )
                return
            await self.app(scope, self._limited(receive), send_with_id)
        except RequestTooLarge as exc:  # raised while the body was read outside a route
            if not response["started"]:
                await _answer(send_with_id, scope, request_id, 413, "request_too_large", str(exc.detail))
        except Exception as exc:
            log.error(
                "unhandled %s in %s %s\n%s",
                type(exc).__name__,
                scope.get("method"),
                loggable_path(scope),
                "".join(traceback.format_tb(exc.__traceback__)),
            )
            if not response["started"]:
                detail = f"Something went wrong on the server. Quote the request id {request_id} when asking."
                await _answer(send_with_id, scope, request_id, 500, "internal_error", detail)
        finally:
            log.info(
                "%s %s %d %.1f ms user=%s",
                scope.get("method"),
                loggable_path(scope),
                response["status"],
                (time.perf_counter() - started) * 1000,
                state.get("user", "-"),
            )
            REQUEST_ID.reset(reset)

    def _limited(self, receive: Receive) -> Receive:
        """``receive`` that raises RequestTooLarge once the body passes the limit (chunked bodies)."""
        seen = 0

        async def receive_limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise RequestTooLarge(self.max_body_bytes)
            return message

        return receive_limited


def loggable_path(scope: Scope) -> str:
    """The route's template with its numeric parameters filled in ("/v1/documents/17"); any other
    text a caller put in the path (which could be anything, a name too) is never logged."""
    template = getattr(scope.get("route"), "path", None)
    if not isinstance(template, str):
        return "(no route)"
    params = scope.get("path_params") or {}
    shown = {k: v if str(v).isdigit() else "{" + k + "}" for k, v in params.items()}
    try:
        return template.format(**shown)
    except (KeyError, IndexError, ValueError):
        return template


async def _answer(send: Send, scope: Scope, request_id: str, status: int, code: str, detail: str) -> None:
    """Send a problem straight from the middleware (the app never saw the request, or it broke)."""
    body = problem(status, code, detail, request_id=request_id, instance=scope.get("path"))
    payload = body.model_dump_json(exclude_none=True).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})
