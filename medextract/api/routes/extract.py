"""POST /v1/extract: a file in, the engine's fields with evidence out; nothing is stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile

from medextract.api.auth import Ctx, User
from medextract.api.errors import Problem
from medextract.api.files import read_upload
from medextract.api.schemas import ExtractResult
from medextract.services import preview
from medextract.views import UploadOutcome

router = APIRouter(prefix="/v1", tags=["extract"])
PROBLEMS = {
    status: {"model": Problem, "content": {"application/problem+json": {}}}
    for status in (401, 403, 413, 415, 422, 503)
}


@router.post(
    "/extract",
    response_model=ExtractResult,
    summary="Read one document and answer its fields; nothing is stored",
    description=(
        "The same JSON as `python -m extraction --json` prints per file. The file passes the upload "
        "checks (size, PDF/PNG/JPEG/TIFF) and the engine's page and pixel limits."
    ),
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def extract(
    request: Request,
    user: User,
    file: Annotated[UploadFile, File(description="A PDF, PNG, JPEG or TIFF")],
    ctx: Ctx,
    doc_type: Annotated[str, Form(description='"auto" detects the type; or force one')] = "auto",
) -> ExtractResult:
    name, data, refusal = read_upload(file)
    if refusal is not None:
        raise preview.Refused(UploadOutcome(None, None, False, refusal.message, refusal.reason))
    # The engine runs here, in the threadpool (this is a plain function), a few at a time.
    result = preview.read(
        ctx, name, data, user=user, doc_type=doc_type, extract_fn=request.app.state.extract_fn
    )
    return ExtractResult.model_validate({"file": name, **result.to_dict()})
