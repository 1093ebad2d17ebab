"""POST /v1/extract: a file in, the engine's fields with evidence out; nothing is stored."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile

from medextract.api.auth import Ctx, User
from medextract.api.errors import problem_responses
from medextract.api.files import read_upload
from medextract.api.schemas import ExtractResult
from medextract.services import preview
from medextract.views import UploadOutcome

router = APIRouter(prefix="/v1", tags=["extract"])
PROBLEMS = problem_responses(401, 403, 413, 415, 422, 503)


@router.post(
    "/extract",
    response_model=ExtractResult,
    summary="Read one document and answer its fields; nothing is stored",
    description=(
        "The same JSON as `python -m extraction --json` prints per file. The file passes the upload "
        "checks (size, PDF/PNG/JPEG/TIFF) and the engine's page and pixel limits; the engine reads it "
        "in a separate process within a time and memory budget (`engine_timeout`, "
        "`engine_out_of_memory` when over it). It reads with the learned layouts, as the worker does "
        "(`python -m extraction --json --templates DIR`): `layout` names the one that fitted, or is null."
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
    # A plain function: it waits in the threadpool for a free sandbox, where the engine runs with
    # the document's time and memory budget (never in this process).
    result = preview.read(
        ctx, name, data, user=user, doc_type=doc_type, extract_fn=request.app.state.extract_fn
    )
    return ExtractResult.model_validate({"file": name, **result.to_dict()})
