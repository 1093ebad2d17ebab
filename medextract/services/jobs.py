"""The worker's side: take a queued document, store what the engine found, or its failure.

These are the server's own operations (the audit log names the "worker"); no person performs
them. Each is one transaction, and each moves a document only from the status
``medextract.lifecycle`` says it starts from, so a late result never overwrites a document that
moved on.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.models import Document, DraftValue, FieldExtraction, PageImage
from medextract.services.audit import write_event
from medextract.services.context import WORKER, Context
from medextract.services.documents import change_marks

AUTO = "auto"


@dataclass(frozen=True)
class Job:
    """A document the worker claimed: extract ``content`` asking for ``requested`` ("auto" or a type).

    ``cached`` means the stored extraction already answers that request and the document went
    straight to "extracted": there is nothing to OCR.
    """

    document_id: int
    filename: str
    content: bytes
    requested: str
    cached: bool = False


@dataclass(frozen=True)
class EngineField:
    """One field of an engine result, as it is stored."""

    name: str
    value: str
    confidence: float
    needs_review: bool
    reason: str | None
    page: int
    box: tuple[int, int, int, int] | None


@dataclass(frozen=True)
class EnginePage:
    """One page image in the frame the boxes refer to, already encoded."""

    width: int
    height: int
    media_type: str
    data: bytes


@dataclass(frozen=True)
class EngineOutput:
    """What the worker stores for one document after the engine ran."""

    doc_type: str
    type_confidence: float
    pages: int
    fields: list[EngineField]
    page_images: list[EnginePage]


def requeue_stuck(ctx: Context) -> int:
    """Put documents left in "extracting" (their worker died) back in the queue; how many."""
    with ctx.write.begin() as session:
        result = session.execute(
            update(Document)
            .where(Document.status.in_(lifecycle.sources(lifecycle.REQUEUE)))
            .values(status=lifecycle.target(lifecycle.REQUEUE), **change_marks(ctx))
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)


def claim_next(ctx: Context) -> Job | None:
    """Atomically take the oldest queued document for extraction, or None when none is queued.

    The claim is ``UPDATE ... SET status='extracting' WHERE id=? AND status='queued'``, so
    two workers never take the same document. When the stored extraction already answers the
    request (same bytes, same type asked) the document goes straight to "extracted".
    """
    with ctx.write.begin() as session:
        candidates = session.execute(
            select(Document.id, Document.forced_type, Document.extracted_as)
            .where(Document.status.in_(lifecycle.sources(lifecycle.EXTRACT)))
            .order_by(Document.uploaded_at, Document.id)
            .limit(5)
        ).all()
        for doc_id, forced_type, extracted_as in candidates:
            requested = forced_type or AUTO
            cached = extracted_as == requested and _has_extraction(session, doc_id)
            action = lifecycle.REUSE if cached else lifecycle.EXTRACT
            claimed = session.execute(
                update(Document)
                .where(Document.id == doc_id, Document.status.in_(lifecycle.sources(action)))
                .values(status=lifecycle.target(action), **change_marks(ctx))
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                continue  # another worker took it first
            row = session.execute(
                select(Document.filename, Document.content).where(Document.id == doc_id)
            ).one()
            return Job(doc_id, row.filename, b"" if cached else bytes(row.content), requested, cached)
    return None


def save_extraction(ctx: Context, job: Job, output: EngineOutput) -> bool:
    """Store the engine's results and page images in one transaction; "extracting" -> "extracted".

    Returns False (and stores nothing) if the document left "extracting" meanwhile.
    """
    with ctx.write.begin() as session:
        result = session.execute(
            update(Document)
            .where(
                Document.id == job.document_id,
                Document.status.in_(lifecycle.sources(lifecycle.STORE_RESULT)),
            )
            .values(
                status=lifecycle.target(lifecycle.STORE_RESULT),
                doc_type=output.doc_type,
                type_confidence=output.type_confidence,
                pages=output.pages,
                extracted_as=job.requested,
                error=None,
                **change_marks(ctx),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
        for table in (FieldExtraction, PageImage, DraftValue):
            session.execute(delete(table).where(table.document_id == job.document_id))
        session.add_all(
            FieldExtraction(
                document_id=job.document_id,
                field=f.name,
                position=position,
                value=f.value,
                confidence=f.confidence,
                needs_review=f.needs_review,
                reason=f.reason,
                page=f.page,
                box_x0=f.box[0] if f.box else None,
                box_y0=f.box[1] if f.box else None,
                box_x1=f.box[2] if f.box else None,
                box_y1=f.box[3] if f.box else None,
            )
            for position, f in enumerate(output.fields)
        )
        session.add_all(
            PageImage(
                document_id=job.document_id,
                page_index=index,
                width=page.width,
                height=page.height,
                media_type=page.media_type,
                data=page.data,
            )
            for index, page in enumerate(output.page_images)
        )
        detail = {"doc_type": output.doc_type, "pages": output.pages, "fields": len(output.fields)}
        write_event(ctx, session, WORKER.name, lifecycle.EXTRACTED, job.document_id, detail)
    return True


def fail_extraction(ctx: Context, job: Job, message: str) -> bool:
    """Mark the document "failed" with ``message``, keeping its bytes; False if it moved on."""
    with ctx.write.begin() as session:
        result = session.execute(
            update(Document)
            .where(Document.id == job.document_id, Document.status.in_(lifecycle.sources(lifecycle.FAIL)))
            .values(status=lifecycle.target(lifecycle.FAIL), error=message, **change_marks(ctx))
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
        write_event(ctx, session, WORKER.name, "extraction_failed", job.document_id, {"error": message})
        return True


def _has_extraction(session: Session, doc_id: int) -> bool:
    query = select(FieldExtraction.id).where(FieldExtraction.document_id == doc_id).limit(1)
    return session.execute(query).first() is not None
