"""Liveness and readiness: no token needed, no data shown."""

from __future__ import annotations

import shutil

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from extraction import tesseract
from medextract.api.auth import Ctx
from medextract.api.schemas import Health
from medextract.services.context import Context

router = APIRouter(tags=["health"])
# The programs the engine runs; tesseract it loads as a library (extraction.tesseract).
PROGRAMS = {"poppler": ("pdfinfo", "pdftoppm")}


@router.get("/healthz", response_model=Health, summary="Liveness: the process answers")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    summary="Readiness: the database answers and the OCR tools are installed",
    responses={503: {"model": Health, "description": "Something the service needs is missing"}},
)
def readyz(ctx: Ctx) -> JSONResponse:
    checks = {"database": _database(ctx), "tesseract": _missing(tesseract.missing_parts())}
    for tool, programs in PROGRAMS.items():
        checks[tool] = _missing([p for p in programs if shutil.which(p) is None])
    ready = all(v == "ok" for v in checks.values())
    body = Health(status="ready" if ready else "not_ready", checks=checks)
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503)


def _missing(parts: list[str]) -> str:
    return "ok" if not parts else f"missing: {', '.join(parts)}"


def _database(ctx: Context) -> str:
    try:
        with ctx.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # the reason only: a URL or a password never leaves the server
        return f"unreachable ({type(exc).__name__})"
    return "ok"
