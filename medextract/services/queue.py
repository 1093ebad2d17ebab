"""The queue: documents by status and type, oldest first, counts, and what to review next."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.models import Document, FieldExtraction
from medextract.services.claims import claimable, live_claim
from medextract.services.context import Actor, Context, authorize
from medextract.views import DocumentSummary


def documents(
    ctx: Context, *, user: Actor, status: str | Sequence[str] | None = None, doc_type: str | None = None
) -> list[DocumentSummary]:
    """Documents oldest first, optionally of some status(es) and one detected type."""
    flagged = (
        select(FieldExtraction.document_id, func.count().label("n"))
        .where(FieldExtraction.needs_review.is_(True))
        .group_by(FieldExtraction.document_id)
        .subquery()
    )
    query = (
        select(Document, func.coalesce(flagged.c.n, 0))
        .outerjoin(flagged, flagged.c.document_id == Document.id)
        .order_by(Document.uploaded_at, Document.id)
    )
    if status is not None:
        query = query.where(Document.status.in_([status] if isinstance(status, str) else list(status)))
    if doc_type is not None:
        query = query.where(Document.doc_type == doc_type)
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        rows = session.execute(query).all()
    summaries = []
    for doc, n in rows:
        holder = live_claim(ctx, doc)
        summaries.append(
            DocumentSummary(
                id=doc.id,
                filename=doc.filename,
                status=doc.status,
                doc_type=doc.doc_type,
                uploaded_at=doc.uploaded_at,
                uploader=doc.uploader,
                pages=doc.pages,
                error=doc.error,
                flagged_fields=int(n) if doc.status in lifecycle.HAS_RESULTS else 0,
                claimed_by=holder,
                claimed_at=doc.claimed_at if holder else None,
            )
        )
    return summaries


def status_counts(ctx: Context, *, user: Actor) -> dict[str, int]:
    """How many documents are in each status; every status is a key."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        return count_statuses(session)


def count_statuses(session: Session) -> dict[str, int]:
    """Documents per status in ``session`` (every status a key), for the queue and the dashboard."""
    counts = dict.fromkeys(lifecycle.STATUSES, 0)
    for status, n in session.execute(select(Document.status, func.count()).group_by(Document.status)):
        counts[status] = int(n)
    return counts


def next_for_review(ctx: Context, *, user: Actor) -> int | None:
    """The document ``user`` should review next, without claiming it.

    The user's own unfinished review comes first; else the oldest "extracted" document or
    "in_review" one nobody holds (an expired claim holds nothing).
    """
    order = (Document.uploaded_at, Document.id)
    with ctx.read() as session:
        name = authorize(session, user, lifecycle.CLAIM)
        own = select(Document.id).where(Document.status == lifecycle.IN_REVIEW, Document.claimed_by == name)
        free = select(Document.id).where(claimable(ctx))
        for query in (own, free):
            found = session.execute(query.order_by(*order).limit(1)).scalar()
            if found is not None:
                return int(found)
    return None
