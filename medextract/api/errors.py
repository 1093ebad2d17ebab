"""Every error the API answers is a problem detail (RFC 9457) with a stable ``code``, never a trace.

The services' refusals (``medextract.errors``), the intake's and the engine's are translated here,
once: a route raises or lets through, and the handlers below choose the status, the code and the
title. ``detail`` is the services' own message, meant for a person; ``code`` is for software.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from medextract import sandbox
from medextract.errors import DocumentNotFound, PermissionDenied, StoreError, TokenRefused
from medextract.sandbox import ExtractionFailed
from medextract.services.preview import Refused

log = logging.getLogger("medextract.api")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "urn:medextract:problem:"
TITLES = {
    "unauthenticated": "An API token is needed",
    "invalid_token": "The API token is not valid",
    "token_expired": "The API token has expired",
    "token_revoked": "The API token was revoked",
    "oidc_not_configured": "Single sign-on tokens are not accepted here",
    "unknown_identity": "The single sign-on identity has no account here",
    "identity_provider_unavailable": "The single sign-on provider cannot be reached",
    "forbidden": "Not allowed for this account",
    "document_not_found": "No such document",
    "page_not_found": "No such page",
    "not_found": "No such resource",
    "method_not_allowed": "Method not allowed",
    "validation_error": "The request is not valid",
    "invalid_cursor": "The cursor is not valid",
    "unknown_document_type": "Unknown document type",
    "empty_file": "The file is empty",
    "file_too_large": "The file is too large",
    "not_a_document": "Not a PDF, PNG, JPEG or TIFF",
    "too_many_files": "Too many files in one request",
    "request_too_large": "The request is too large",
    "unreadable_document": "The document cannot be read",
    "document_too_large": "The document has too many pages or pixels",
    "engine_timeout": "Reading the document took too long",
    "engine_out_of_memory": "Reading the document needed too much memory",
    "engine_failed": "The engine could not read the document",
    "engine_unavailable": "The engine cannot run on this server",
    "not_ready": "The service is not ready",
    "refused": "The request was refused",
    "internal_error": "Internal server error",
}
TOKEN_CODES = {
    "missing": "unauthenticated",
    "malformed": "invalid_token",
    "unknown": "invalid_token",
    "expired": "token_expired",
    "revoked": "token_revoked",
    "oidc_disabled": "oidc_not_configured",
    "unknown_subject": "unknown_identity",
    "provider_unavailable": "identity_provider_unavailable",
}
# intake's and upload's refusal reasons: (HTTP status, code)
REFUSALS = {
    "empty": (422, "empty_file"),
    "too_large": (413, "file_too_large"),
    "not_a_document": (415, "not_a_document"),
    "unreadable": (422, "unreadable_document"),
    "unknown_type": (422, "unknown_document_type"),
}
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "request_too_large"}


class FieldProblem(BaseModel):
    """One invalid part of a request: where (``query.limit``) and what is wrong with it."""

    location: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, plus ``code`` (stable, for software) and the request's id."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldProblem] | None = None


class ApiError(Exception):
    """A refusal a route raises itself: answered as a problem with this status and code."""

    def __init__(self, status: int, code: str, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail, self.headers = status, code, detail, headers


class RequestTooLarge(HTTPException):
    """The body grew past the request limit while it was being read (see middleware)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request is larger than {limit / (1024 * 1024):.0f} MB; send fewer files.")


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a route that answers ``statuses`` with a problem document."""
    return {status: {"model": Problem, "content": {"application/problem+json": {}}} for status in statuses}


def problem(
    status: int,
    code: str,
    detail: str,
    *,
    request_id: str | None = None,
    instance: str | None = None,
    errors: list[FieldProblem] | None = None,
) -> Problem:
    """A problem with the title that goes with ``code``."""
    return Problem(
        type=TYPE_BASE + code,
        title=TITLES.get(code, "Error"),
        status=status,
        detail=detail,
        code=code,
        instance=instance,
        request_id=request_id,
        errors=errors,
    )


def refusal_problem(reason: str, message: str) -> Problem:
    """The problem for an intake or upload refusal (one file of a batch carries its own)."""
    status, code = REFUSALS.get(reason, (422, "refused"))
    return problem(status, code, message)


def engine_problem(exc: Exception) -> tuple[int, str]:
    """(status, code) for an ``extraction.ExtractionError``: the engine's message is the detail."""
    return _engine_error_problem(type(exc))


def _engine_error_problem(error: type[BaseException]) -> tuple[int, str]:
    from extraction import errors as engine

    if issubclass(error, engine.DocumentTooLargeError):
        return 413, "document_too_large"
    if issubclass(error, engine.MissingDependencyError):
        return 503, "engine_unavailable"
    if issubclass(error, engine.ToolTimeoutError):
        return 422, "engine_timeout"
    if issubclass(error, engine.ToolFailedError):
        return 422, "engine_failed"
    if issubclass(error, engine.UnknownDocumentTypeError):
        return 422, "unknown_document_type"
    return 422, "unreadable_document"


# A sandbox's failure kinds other than the engine's own error: (HTTP status, code)
SANDBOX_FAILURES = {
    sandbox.TIMEOUT: (422, "engine_timeout"),
    sandbox.MEMORY: (422, "engine_out_of_memory"),
    sandbox.CRASHED: (422, "engine_failed"),
}


def sandbox_problem(exc: ExtractionFailed) -> tuple[int, str] | None:
    """(status, code) for a document the sandboxed engine could not read; None for an unexpected
    error (a bug: answered as a 500 that names nothing of the document)."""
    if exc.kind == sandbox.ENGINE:
        try:
            from extraction import errors as engine
        except ImportError:
            return 422, "unreadable_document"
        error = getattr(engine, exc.error, None)
        if isinstance(error, type) and issubclass(error, engine.ExtractionError):
            return _engine_error_problem(error)
        return 422, "unreadable_document"
    return SANDBOX_FAILURES.get(exc.kind)


def respond(request: Request, body: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    """The problem as ``application/problem+json``, stamped with the request's path and id."""
    body.instance = body.instance or request.url.path
    body.request_id = body.request_id or getattr(request.state, "request_id", None)
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=body.status, headers=headers, media_type=PROBLEM_JSON
    )


def install(app: FastAPI) -> None:
    """Register the handlers that turn every refusal into a problem."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return respond(request, problem(exc.status, exc.code, exc.detail), exc.headers)

    @app.exception_handler(TokenRefused)
    async def _token(request: Request, exc: TokenRefused) -> JSONResponse:
        code = TOKEN_CODES.get(exc.reason, "invalid_token")
        if code == "identity_provider_unavailable":  # not the caller's fault: try again
            return respond(request, problem(503, code, str(exc)), {"Retry-After": "30"})
        challenge = 'Bearer realm="medextract"' + (
            "" if exc.reason == "missing" else ', error="invalid_token"'
        )
        return respond(request, problem(401, code, str(exc)), {"WWW-Authenticate": challenge})

    @app.exception_handler(PermissionDenied)
    async def _forbidden(request: Request, exc: PermissionDenied) -> JSONResponse:
        return respond(request, problem(403, "forbidden", str(exc)))

    @app.exception_handler(DocumentNotFound)
    async def _not_found(request: Request, exc: DocumentNotFound) -> JSONResponse:
        return respond(request, problem(404, "document_not_found", str(exc)))

    @app.exception_handler(StoreError)
    async def _refused(request: Request, exc: StoreError) -> JSONResponse:
        return respond(request, problem(409, "refused", str(exc)))

    @app.exception_handler(Refused)
    async def _intake(request: Request, exc: Refused) -> JSONResponse:
        return respond(request, refusal_problem(exc.outcome.reason, exc.outcome.message))

    @app.exception_handler(ExtractionFailed)
    async def _sandbox(request: Request, exc: ExtractionFailed) -> JSONResponse:
        known = sandbox_problem(exc)
        if known is not None:
            return respond(request, problem(*known, exc.message))
        # The child's message may quote the document: only its kind is logged, nothing answered.
        request_id = getattr(request.state, "request_id", None)
        log.error("the engine failed unexpectedly in its sandbox (%s)", exc.kind)
        detail = f"Something went wrong on the server. Quote the request id {request_id} when asking."
        return respond(request, problem(500, "internal_error", detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # The input itself is never echoed: it may be part of a patient's record.
        errors = [
            FieldProblem(location=".".join(str(p) for p in e.get("loc", ())), message=str(e.get("msg", "")))
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e.location}: {e.message}" for e in errors) or "The request is not valid."
        return respond(request, problem(422, "validation_error", detail, errors=errors))

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code = HTTP_CODES.get(exc.status_code, "refused" if exc.status_code < 500 else "internal_error")
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(code, "Error")
        return respond(request, problem(exc.status_code, code, detail), _headers(exc))

    _install_engine_handler(app)


def _install_engine_handler(app: FastAPI) -> None:
    try:
        from extraction import ExtractionError
    except ImportError:  # the API without the engine: /v1/extract answers engine_unavailable
        return

    @app.exception_handler(ExtractionError)
    async def _engine(request: Request, exc: ExtractionError) -> JSONResponse:
        status, code = engine_problem(exc)
        return respond(request, problem(status, code, str(exc)))


def _headers(exc: HTTPException) -> dict[str, Any] | None:
    return dict(exc.headers) if getattr(exc, "headers", None) else None
