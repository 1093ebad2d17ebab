"""Documents: upload a batch, list them a page at a time, read one (and its page images)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from medextract import lifecycle, pool
from medextract.api.auth import Ctx, User
from medextract.api.errors import ApiError, problem_responses
from medextract.api.files import read_upload
from medextract.api.params import decode_cursor, document_type, encode_cursor, moment, start_of
from medextract.api.schemas import DocumentList, DocumentOut, DocumentSummaryOut, UploadBatch, UploadItem
from medextract.errors import PermissionDenied, StoreError
from medextract.services import audit, documents, jobs, queue, upload
from medextract.views import UploadOutcome

router = APIRouter(prefix="/v1/documents", tags=["documents"])
MAX_FILES = 100
MAX_LIMIT = 200
STATUS_HELP = f"one of {', '.join(lifecycle.STATUSES)}; repeat it or separate with commas"
PROBLEMS = problem_responses(400, 401, 403, 404, 422)


@router.post(
    "",
    response_model=UploadBatch,
    summary="Upload one or many documents for extraction",
    description=(
        "Each file is accepted (queued as a new document: its id), a duplicate (the id of the "
        "document with the same bytes) or refused with its own problem; one bad file never stops "
        "the others."
    ),
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def upload_documents(
    user: User,
    files: Annotated[list[UploadFile], File(description="PDF, PNG, JPEG or TIFF files")],
    ctx: Ctx,
    doc_type: Annotated[str, Form(description='"auto" detects each type; or force one for all')] = "auto",
) -> UploadBatch:
    if len(files) > MAX_FILES:
        raise ApiError(413, "too_many_files", f"At most {MAX_FILES} files per request; send the rest next.")
    unknown = upload.unknown_type(ctx, doc_type)
    if unknown is not None:
        raise ApiError(422, "unknown_document_type", unknown)
    results = []
    for file in files:  # one file's refusal is its own answer; the batch goes on
        name, data, too_large = read_upload(file)
        if too_large is not None:
            outcome = UploadOutcome(None, None, False, too_large.message, too_large.reason)
        else:
            # A batch sent by machine waits behind what clerks upload in the app.
            outcome = upload.intake(
                ctx, name, data, uploader=user, forced_type=doc_type, priority=jobs.PRIORITY_BULK
            )
        results.append(UploadItem.of(name, outcome))
    if any(r.status == "accepted" for r in results):
        pool.wake_background_worker(ctx)
    return UploadBatch(results=results)


@router.get(
    "",
    response_model=DocumentList,
    summary="List documents in upload order, a page at a time",
    description=(
        "Filter by status (repeat it or separate with commas), detected type and last change. "
        "Follow next_cursor until it is null; to poll for changes, pass the previous answer's "
        "as_of as updated_since."
    ),
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def list_documents(
    user: User,
    ctx: Ctx,
    status: Annotated[list[str] | None, Query(description=STATUS_HELP)] = None,
    type: Annotated[str | None, Query(description="the detected document type")] = None,
    updated_since: Annotated[str | None, Query(description="a date or an ISO 8601 time (UTC)")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> DocumentList:
    statuses = [s.strip() for value in status or [] for s in value.split(",") if s.strip()]
    unknown = [s for s in statuses if s not in lifecycle.STATUSES]
    if unknown:
        raise ApiError(
            422,
            "validation_error",
            f"Unknown status {unknown[0]!r}; use one of: {', '.join(lifecycle.STATUSES)}.",
        )
    as_of = ctx.now()
    found = queue.page(
        ctx,
        user=user,
        status=statuses or None,
        doc_type=document_type(ctx, type, allow_unknown=True),
        updated_since=start_of(moment(updated_since, "updated_since")),
        after_id=decode_cursor(cursor),
        limit=limit + 1,  # one more than shown says whether there is a next page
    )
    shown = found[:limit]
    more = len(found) > limit
    return DocumentList(
        items=[DocumentSummaryOut.of(d) for d in shown],
        next_cursor=encode_cursor(shown[-1].id) if more else None,
        as_of=as_of,
    )


@router.get(
    "/{doc_id}",
    response_model=DocumentOut,
    summary="One document: status, type, fields with evidence, verified values, history",
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def get_document(doc_id: int, user: User, ctx: Ctx) -> DocumentOut:
    doc = documents.get(ctx, doc_id, user=user)
    try:
        history = audit.history(ctx, doc_id, user=user)
    except PermissionDenied:  # the services decide who sees a history: supervisors and up
        history = None
    return DocumentOut.of(doc, history)


@router.get(
    "/{doc_id}/pages/{page}",
    summary="A page image (PNG) in the frame the fields' boxes refer to; pages count from 0",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}, **PROBLEMS},  # type: ignore[dict-item]
)
def get_page(doc_id: int, page: int, user: User, ctx: Ctx) -> Response:
    try:
        data = documents.page_image(ctx, doc_id, page, user=user)
    except (PermissionDenied, LookupError):
        raise
    except StoreError as exc:
        raise ApiError(404, "page_not_found", str(exc)) from exc
    return Response(data, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})
