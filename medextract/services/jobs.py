"""The worker's side: take a queued document under a lease, store what the engine found, or its failure.

These are the server's own operations (the audit log names the "worker"); no person performs
them. Each is one transaction, and each moves a document only from the status
``medextract.lifecycle`` says it starts from, so a late result never overwrites a document that
moved on.

A worker that takes a document holds a *lease* on it: ``lease_owner`` (a token new for every
claim) and ``lease_expires_at``. The worker's heartbeat renews the lease while it reads the
document (:func:`renew_lease`); a document whose lease expired is taken again by any worker (its
worker died, or lost the database), and never while the lease is alive. Storing a result or a
failure requires the lease's token, so a worker that lost its lease stores nothing: no document is
stored twice and none is half-stored. Works the same on SQLite and PostgreSQL (``UPDATE ... WHERE``
the row is still claimable: two workers never both win).
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.config import positive_number
from medextract.encryption import seal, unseal
from medextract.models import Document, DraftValue, FieldEvidence, FieldExtraction, PageImage
from medextract.services.audit import write_event
from medextract.services.context import WORKER, Context
from medextract.services.documents import change_marks

AUTO = "auto"
LEASE_SECONDS_ENV = "MEDEXTRACT_LEASE_SECONDS"
DEFAULT_LEASE_SECONDS = 30.0
MAX_ATTEMPTS_ENV = "MEDEXTRACT_MAX_ATTEMPTS"
DEFAULT_MAX_ATTEMPTS = 3
# Queue order, higher first: what a clerk uploads in the app is waited for at the screen; a batch
# sent over the API is not.
PRIORITY_CLERK = 10
PRIORITY_BULK = 0


def lease_seconds() -> float:
    """How long a claim lasts without a heartbeat: MEDEXTRACT_LEASE_SECONDS, default 30."""
    return positive_number(LEASE_SECONDS_ENV, DEFAULT_LEASE_SECONDS)


def max_attempts() -> int:
    """How many workers may die reading one document before it fails: MEDEXTRACT_MAX_ATTEMPTS, 3."""
    return int(positive_number(MAX_ATTEMPTS_ENV, DEFAULT_MAX_ATTEMPTS))


def new_owner() -> str:
    """A lease token: this host and process (for the logs) and a random part new for every claim."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{secrets.token_hex(8)}"


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
    owner: str = ""  # the lease token: only its holder may store a result
    attempt: int = 0  # 1 for the first claim of this document since its last result


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
    layout_id: str | None = None  # the learned layout it was read with, and how sure the match was
    layout_match: float | None = None


def _claimable(now: Any) -> ColumnElement[bool]:
    """Queued, or extracting under a lease that expired (a row from before leases has none)."""
    expired = or_(Document.lease_expires_at.is_(None), Document.lease_expires_at < now)
    return or_(
        Document.status.in_(lifecycle.sources(lifecycle.EXTRACT)),
        and_(Document.status.in_(lifecycle.sources(lifecycle.RECLAIM)), expired),
    )


def claim_next(ctx: Context, *, owner: str | None = None, lease: float | None = None) -> Job | None:
    """Atomically take the next document for extraction, or None when none is waiting.

    Highest priority first, then oldest. A queued document, or one whose worker's lease expired.
    The claim is ``UPDATE ... WHERE id=? AND <still claimable>``, so two workers never take the same
    document. When the stored extraction already answers the request (same bytes, same type asked)
    the document goes straight to "extracted".
    """
    now = ctx.now()
    with ctx.write.begin() as session:
        candidates = session.execute(
            select(Document.id)
            .where(_claimable(now))
            .order_by(Document.priority.desc(), Document.uploaded_at, Document.id)
            .limit(5)
        ).all()
        for (doc_id,) in candidates:
            job = _take(ctx, session, doc_id, owner or new_owner(), lease)
            if job is not None:
                return job
    return None


def claim_document(
    ctx: Context, document_id: int, *, owner: str | None = None, lease: float | None = None
) -> Job | None:
    """Take this document if it is claimable now (a task of the PostgreSQL queue names it), else None."""
    with ctx.write.begin() as session:
        return _take(ctx, session, document_id, owner or new_owner(), lease)


def lease_holder(ctx: Context, document_id: int) -> tuple[str, str | None] | None:
    """(status, lease owner while the lease is alive) of a document; None when there is no such document."""
    with ctx.read() as session:
        row = session.execute(
            select(Document.status, Document.lease_owner, Document.lease_expires_at).where(
                Document.id == document_id
            )
        ).first()
    if row is None:
        return None
    alive = row.lease_expires_at is not None and row.lease_expires_at >= ctx.now()
    return row.status, row.lease_owner if alive and row.status == lifecycle.EXTRACTING else None


def _take(ctx: Context, session: Session, doc_id: int, owner: str, lease: float | None) -> Job | None:
    now = ctx.now()
    row = session.execute(
        select(Document.status, Document.forced_type, Document.extracted_as, Document.attempts).where(
            Document.id == doc_id, _claimable(now)
        )
    ).first()
    if row is None:
        return None
    requested = row.forced_type or AUTO
    if row.status == lifecycle.EXTRACTING and row.attempts >= max_attempts():
        return _set_aside(ctx, session, doc_id, row.attempts, now)
    cached = (
        row.status == lifecycle.QUEUED and row.extracted_as == requested and _has_extraction(session, doc_id)
    )
    if cached:
        action, lease_values = lifecycle.REUSE, {"lease_owner": None, "lease_expires_at": None}
    else:
        action = lifecycle.EXTRACT if row.status == lifecycle.QUEUED else lifecycle.RECLAIM
        expires = now + timedelta(seconds=lease or lease_seconds())
        lease_values = {"lease_owner": owner, "lease_expires_at": expires, "attempts": Document.attempts + 1}
    claimed = session.execute(
        update(Document)
        .where(Document.id == doc_id, Document.status == row.status, _claimable(now))
        .values(status=lifecycle.target(action), **lease_values, **change_marks(ctx))
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None  # another worker took it first
    found = session.execute(select(Document.filename, Document.content).where(Document.id == doc_id)).one()
    content = b"" if cached else unseal(found.content)
    return Job(doc_id, found.filename, content, requested, cached, "" if cached else owner, row.attempts + 1)


def _set_aside(ctx: Context, session: Session, doc_id: int, attempts: int, now: Any) -> None:
    """Fail a document whose every worker died reading it (killed, out of memory): it stops here."""
    message = (
        f"The worker reading this document stopped {attempts} times before it finished (killed or"
        " out of memory); it was set aside. Check the file, then extract it again."
    )
    where = (Document.id == doc_id, Document.status == lifecycle.EXTRACTING, _claimable(now))
    _mark_failed(ctx, session, doc_id, where, message)


def renew_lease(ctx: Context, job: Job, lease: float | None = None) -> bool:
    """The heartbeat: extend the lease by ``lease`` seconds from now; False when it is no longer ours."""
    expires = ctx.now() + timedelta(seconds=lease or lease_seconds())
    with ctx.write.begin() as session:
        result = session.execute(
            update(Document)
            .where(_held(job))
            .values(lease_expires_at=expires)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount) == 1


def release(ctx: Context, job: Job) -> bool:
    """Put a document back in the queue at once (its worker is stopping before it finished)."""
    with ctx.write.begin() as session:
        result = session.execute(
            update(Document)
            .where(_held(job))
            .values(
                status=lifecycle.target(lifecycle.REQUEUE),
                lease_owner=None,
                lease_expires_at=None,
                attempts=Document.attempts - 1,  # not its fault: this attempt does not count
                **change_marks(ctx),
            )
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount) == 1


def _held(job: Job) -> ColumnElement[bool]:
    """The document is still extracting under this job's lease (whether or not it expired: nobody
    else took it, so the result is still the one wanted)."""
    return and_(
        Document.id == job.document_id,
        Document.status == lifecycle.EXTRACTING,
        Document.lease_owner == job.owner,
    )


def save_extraction(ctx: Context, job: Job, output: EngineOutput) -> bool:
    """Store the engine's results and page images in one transaction; "extracting" -> "extracted".

    Returns False (and stores nothing) if the document left "extracting" meanwhile or another
    worker holds it now (this job's lease expired and it was taken again).
    """
    with ctx.write.begin() as session:
        result = session.execute(
            update(Document)
            .where(_held(job))
            .values(
                attempts=0,
                lease_owner=None,
                lease_expires_at=None,
                status=lifecycle.target(lifecycle.STORE_RESULT),
                doc_type=output.doc_type,
                type_confidence=output.type_confidence,
                pages=output.pages,
                extracted_as=job.requested,
                error=None,
                layout_id=output.layout_id,
                layout_match=output.layout_match,
                **change_marks(ctx),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
        for table in (FieldExtraction, PageImage, DraftValue, FieldEvidence):  # boxes drawn on old images
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
                data=seal(page.data),
            )
            for index, page in enumerate(output.page_images)
        )
        detail = {"doc_type": output.doc_type, "pages": output.pages, "fields": len(output.fields)}
        if output.layout_id is not None:
            detail["layout"] = output.layout_id
        write_event(ctx, session, WORKER.name, lifecycle.EXTRACTED, job.document_id, detail)
    return True


def fail_extraction(ctx: Context, job: Job, message: str) -> bool:
    """Mark the document "failed" with ``message``, keeping its bytes; False if it moved on (or
    another worker holds it now)."""
    with ctx.write.begin() as session:
        return _mark_failed(ctx, session, job.document_id, (_held(job),), message)


def _mark_failed(ctx: Context, session: Session, doc_id: int, where: tuple[Any, ...], message: str) -> bool:
    """Mark the document "failed" with ``message`` and its lease dropped, if it still matches
    ``where``; audited. False when it no longer matched."""
    result = session.execute(
        update(Document)
        .where(*where)
        .values(
            status=lifecycle.target(lifecycle.FAIL),
            error=message,
            attempts=0,
            lease_owner=None,
            lease_expires_at=None,
            **change_marks(ctx),
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    write_event(ctx, session, WORKER.name, "extraction_failed", doc_id, {"error": message})
    return True


def _has_extraction(session: Session, doc_id: int) -> bool:
    query = select(FieldExtraction.id).where(FieldExtraction.document_id == doc_id).limit(1)
    return session.execute(query).first() is not None
