"""Merge documents, split one, rotate a page: the services' ``pages`` over HTTP (issue 11).

Every rule (who may, which documents, claims and drafts) is ``services.pages``'; a refusal is its
message as a 409 problem. Pages count from 0, as in the page image route.
"""

from __future__ import annotations

from fastapi import APIRouter

from medextract import pool
from medextract.api.auth import Ctx, User
from medextract.api.errors import problem_responses
from medextract.api.schemas import LinksOut, MergeIn, PagesOut, RotateIn, SplitIn
from medextract.services import pages
from medextract.services.pages import PagesResult

router = APIRouter(prefix="/v1/documents", tags=["documents"])
PROBLEMS = problem_responses(401, 403, 404, 409, 422)
REFUSED = (
    " Refused (409, nothing changed) for a verified document, one being read by the engine, one someone"
    " else is reviewing or holds a draft of, and a page that is not there."
)


@router.post(
    "/merge",
    response_model=PagesOut,
    summary="Merge documents into one, their pages in the order given",
    description="The new document is queued for extraction; each document named ends merged." + REFUSED,
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def merge_documents(body: MergeIn, user: User, ctx: Ctx) -> PagesOut:
    return _answer(ctx, pages.merge(ctx, body.document_ids, user=user))


@router.post(
    "/{doc_id}/split",
    response_model=PagesOut,
    summary="Split a document after the pages given",
    description="One new document per part, each queued for extraction; the document ends split." + REFUSED,
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def split_document(doc_id: int, body: SplitIn, user: User, ctx: Ctx) -> PagesOut:
    return _answer(ctx, pages.split(ctx, doc_id, body.after_pages, user=user))


@router.post(
    "/{doc_id}/pages/{page}/rotate",
    response_model=PagesOut,
    summary="Turn a page clockwise and extract the document again; pages count from 0",
    description="The uploaded file is kept; the document's file becomes the turned pages." + REFUSED,
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def rotate_page(doc_id: int, page: int, body: RotateIn, user: User, ctx: Ctx) -> PagesOut:
    return _answer(ctx, pages.rotate(ctx, doc_id, page, body.degrees, user=user))


@router.get(
    "/{doc_id}/links",
    response_model=LinksOut,
    summary="Which documents this one was made of, and which were made of its pages",
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def document_links(doc_id: int, user: User, ctx: Ctx) -> LinksOut:
    found = pages.lineage(ctx, doc_id, user=user)
    return LinksOut(
        made_by=found.made_by,
        made_from=list(found.made_from),
        went_into=list(found.went_into),
    )


def _answer(ctx: Ctx, result: PagesResult) -> PagesOut:
    pool.wake_background_worker(ctx)  # the new (or turned) pages wait in the queue
    return PagesOut(
        action=result.action,
        sources=list(result.sources),
        documents=list(result.documents),
        message=result.message,
    )
