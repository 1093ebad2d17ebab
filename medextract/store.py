"""The store: every read and write the review app makes, each one short and transactional.

Contract (docs/store-api.md): pages never touch SQL. Writes that change a document check its
``version`` with ``UPDATE ... WHERE version = expected`` as their first write, so of two people
saving the same version exactly one wins and the other is told, with nothing written.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from sqlalchemy import Engine, and_, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from medextract.catalog import Catalog, default_catalog
from medextract.db import create_db_engine, resolve_url, upgrade, writer
from medextract.models import (
    STATUSES,
    AuditEvent,
    Document,
    DraftValue,
    Edit,
    FieldExtraction,
    PageImage,
    VerifiedValue,
)
from medextract.views import (
    AuditEntry,
    DashboardStats,
    DocumentSummary,
    DocumentView,
    FieldCorrectionRate,
    FieldView,
    HistoryEntry,
    SaveResult,
    UploadOutcome,
    VerifiedRecord,
)

AUTO = "auto"
REVIEWABLE = ("extracted", "in_review")
HAS_RESULTS = ("extracted", "in_review", "verified", "rejected")
REJECTABLE = ("queued", "extracted", "in_review", "failed")
NOT_REEXTRACTABLE = ("verified", "extracting")
MAX_FILENAME = 255
CLAIM_MINUTES_ENV = "MEDEXTRACT_CLAIM_MINUTES"
DEFAULT_CLAIM_MINUTES = 30.0
CLAIM_TOUCH_SECONDS = 60  # an open by the claimant refreshes the claim at most this often (one write)
SAVES = ("edit", "verify")  # audit actions whose transaction also writes Edit rows
WORKER_USER = "worker"  # the audit log's user for what the extraction worker does
IN_CHUNK = 500  # ids per IN (...) list: stays under SQLite's and psycopg's parameter limits

Clock = Callable[[], datetime]


class StoreError(Exception):
    """A request the store refuses; the message is meant for the person who asked."""


class DocumentNotFound(StoreError, LookupError):
    """No document has this id."""

    def __init__(self, doc_id: int) -> None:
        super().__init__(f"Document {doc_id} does not exist.")
        self.doc_id = doc_id


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
    """One field of an engine result, as the store keeps it."""

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


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _clean(value: Any) -> str:
    """A submitted value as stored: text, Windows line ends unified, outer whitespace dropped."""
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def _safe_filename(name: str) -> str:
    """Only the file's own name (browsers may send a path), cut to what the column holds."""
    base = PureWindowsPath(PurePosixPath((name or "").replace("\x00", "")).name).name.strip()
    return (base or "unnamed")[:MAX_FILENAME]


def claim_minutes() -> float:
    """How long a review claim lasts without a save or open by its holder: env, default 30."""
    raw = os.environ.get(CLAIM_MINUTES_ENV, "").strip()
    try:
        minutes = float(raw) if raw else DEFAULT_CLAIM_MINUTES
    except ValueError:
        return DEFAULT_CLAIM_MINUTES
    return minutes if minutes > 0 else DEFAULT_CLAIM_MINUTES


def claim_notice(claimed_by: str, claimed_at: datetime | None) -> str:
    """ "being reviewed by X since HH:MM" (UTC), as the queue and the review page say it."""
    since = f" since {claimed_at:%H:%M} UTC" if claimed_at is not None else ""
    return f"being reviewed by {claimed_by}{since}"


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def _stale(version: int) -> SaveResult:
    return SaveResult(
        ok=False,
        version=version,
        errors={},
        message=(
            "Someone else changed this document since you opened it, so nothing was saved. "
            "Reload it to see the current values, then make your change again."
        ),
    )


class Store:
    """The app's storage API. Thread-safe: each call uses its own session and transaction."""

    def __init__(
        self,
        engine: Engine,
        *,
        catalog: Catalog | None = None,
        clock: Clock | None = None,
        claim_timeout: timedelta | None = None,
    ) -> None:
        """Use ``engine`` as is (its schema must be at head: prefer :meth:`open`).

        ``claim_timeout``: how long an idle review claim lasts (default env MEDEXTRACT_CLAIM_MINUTES).
        """
        self.engine = engine
        self.claim_timeout = claim_timeout or timedelta(minutes=claim_minutes())
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(writer(engine), expire_on_commit=False)
        self._catalog = catalog
        self._catalog_lock = threading.Lock()
        self._now = clock or _utcnow

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        catalog: Catalog | None = None,
        clock: Clock | None = None,
        claim_timeout: timedelta | None = None,
    ) -> Store:
        """Connect (``url``, else env DATABASE_URL, else SQLite in the data dir) and migrate to head."""
        engine = create_db_engine(resolve_url(url))
        upgrade(engine)
        return cls(engine, catalog=catalog, clock=clock, claim_timeout=claim_timeout)

    @property
    def url(self) -> str:
        """The database URL with any password masked: safe to show or log."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def catalog(self) -> Catalog:
        """Document types, labels and validation (the engine's, loaded on first use)."""
        with self._catalog_lock:
            if self._catalog is None:
                self._catalog = default_catalog()
            return self._catalog

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()

    # ---- upload and queue -------------------------------------------------------------------

    def add_upload(
        self, filename: str, data: bytes, *, uploader: str, forced_type: str | None = None
    ) -> UploadOutcome:
        """Store the file as "queued"; refuse empty files, unknown types and duplicate content."""
        if not data:
            return UploadOutcome(None, None, False, f"{filename or 'The file'} is empty; nothing was stored.")
        if forced_type == AUTO:
            forced_type = None
        if forced_type is not None and forced_type not in self.catalog.type_names():
            known = ", ".join(self.catalog.type_names())
            return UploadOutcome(
                None, None, False, f"Unknown document type {forced_type!r}; use one of: {known}."
            )
        name = _safe_filename(filename)
        sha = hashlib.sha256(data).hexdigest()
        try:
            with self._write.begin() as session:
                duplicate = self._duplicate(session, sha)
                if duplicate is not None:
                    return duplicate
                doc = Document(
                    filename=name,
                    sha256=sha,
                    content=data,
                    size=len(data),
                    uploader=uploader,
                    uploaded_at=self._now(),
                    forced_type=forced_type,
                    status="queued",
                    version=1,
                )
                session.add(doc)
                session.flush()
                self._audit(session, uploader, "upload", doc.id, {"filename": name, "size": len(data)})
                doc_id = doc.id
        except IntegrityError:
            # Another session stored the same bytes between our check and our insert.
            with self._read() as session:
                duplicate = self._duplicate(session, sha)
            if duplicate is None:
                raise
            return duplicate
        return UploadOutcome(doc_id, None, True, f"{name} was added to the queue (document {doc_id}).")

    def _duplicate(self, session: Session, sha: str) -> UploadOutcome | None:
        row = session.execute(select(Document.id, Document.filename).where(Document.sha256 == sha)).first()
        if row is None:
            return None
        return UploadOutcome(
            None, row.id, False, f"This file was already uploaded as document {row.id} ({row.filename})."
        )

    def documents(
        self, *, status: str | Sequence[str] | None = None, doc_type: str | None = None
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
        with self._read() as session:
            rows = session.execute(query).all()
        return [
            DocumentSummary(
                id=doc.id,
                filename=doc.filename,
                status=doc.status,
                doc_type=doc.doc_type,
                uploaded_at=doc.uploaded_at,
                uploader=doc.uploader,
                pages=doc.pages,
                error=doc.error,
                flagged_fields=int(n) if doc.status in HAS_RESULTS else 0,
                claimed_by=self._live_claim(doc),
                claimed_at=doc.claimed_at if self._live_claim(doc) else None,
            )
            for doc, n in rows
        ]

    def status_counts(self) -> dict[str, int]:
        """How many documents are in each status; every status is a key."""
        with self._read() as session:
            return self._status_counts(session)

    def _status_counts(self, session: Session) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for status, n in session.execute(select(Document.status, func.count()).group_by(Document.status)):
            counts[status] = int(n)
        return counts

    def next_for_review(self, user: str) -> int | None:
        """The document ``user`` should review next, without claiming it.

        The user's own unfinished review comes first; else the oldest "extracted" document or
        "in_review" one nobody holds (an expired claim holds nothing).
        """
        order = (Document.uploaded_at, Document.id)
        own = select(Document.id).where(Document.status == "in_review", Document.claimed_by == user)
        free = select(Document.id).where(self._claimable())
        with self._read() as session:
            for query in (own, free):
                found = session.execute(query.order_by(*order).limit(1)).scalar()
                if found is not None:
                    return int(found)
        return None

    # ---- review -----------------------------------------------------------------------------

    def document(self, doc_id: int) -> DocumentView:
        """Everything the review page shows; raises DocumentNotFound."""
        with self._read() as session:
            doc = self._get(session, doc_id)
            return self._view(session, doc)

    def page_image(self, doc_id: int, page: int) -> bytes:
        """The image of page ``page`` (0-based) as the engine saw it; raises StoreError if absent."""
        with self._read() as session:
            data = session.execute(
                select(PageImage.data).where(PageImage.document_id == doc_id, PageImage.page_index == page)
            ).scalar()
            if data is None:
                self._get(session, doc_id)  # DocumentNotFound first, when that is the cause
                raise StoreError(f"Document {doc_id} has no image of page {page + 1}.")
            return bytes(data)

    def start_review(self, doc_id: int, *, user: str) -> DocumentView:
        """Claim an "extracted" (or unclaimed "in_review") document for ``user`` and return it.

        A claim whose holder has not saved or opened the document for ``claim_timeout`` has expired
        and is taken over. Opening one's own claim again refreshes it (without a version bump, so
        the form's version stays valid). A document someone else holds is returned unchanged:
        check ``claimed_by`` / ``claimed_at``.
        """
        now = self._now()
        with self._write.begin() as session:
            taken = session.execute(
                update(Document)
                .where(Document.id == doc_id, self._claimable())
                .values(
                    status="in_review",
                    claimed_by=user,
                    claimed_at=now,
                    review_started_at=func.coalesce(Document.review_started_at, now),
                    version=Document.version + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if taken.rowcount == 1:
                self._audit(session, user, "claim", doc_id, "")
            else:
                # The holder's own open counts as activity; written at most once a minute.
                session.execute(
                    update(Document)
                    .where(
                        Document.id == doc_id,
                        Document.status == "in_review",
                        Document.claimed_by == user,
                        or_(
                            Document.claimed_at.is_(None),
                            Document.claimed_at < now - timedelta(seconds=CLAIM_TOUCH_SECONDS),
                        ),
                    )
                    .values(claimed_at=now)
                    .execution_options(synchronize_session=False)
                )
            return self._view(session, self._get(session, doc_id))

    def _claimable(self) -> Any:
        """SQL condition: the document waits for review and nobody holds a live claim on it."""
        return or_(
            Document.status == "extracted",
            and_(
                Document.status == "in_review",
                or_(
                    Document.claimed_by.is_(None),
                    Document.claimed_at.is_(None),
                    Document.claimed_at < self._now() - self.claim_timeout,
                ),
            ),
        )

    def _live_claim(self, doc: Document) -> str | None:
        """Who holds a live (unexpired) review claim on ``doc``, or None."""
        if doc.status != "in_review" or doc.claimed_by is None or doc.claimed_at is None:
            return None
        return doc.claimed_by if doc.claimed_at >= self._now() - self.claim_timeout else None

    def _claim_refusal(self, doc: Document, user: str) -> SaveResult | None:
        """A refusal when someone other than ``user`` holds a live claim on ``doc``."""
        holder = self._live_claim(doc)
        if holder is None or holder == user:
            return None
        return SaveResult(
            False,
            doc.version,
            {},
            f"This document is {claim_notice(holder, doc.claimed_at)}, so nothing was saved. "
            "Your edits are still in the form; wait until they finish or their claim expires.",
        )

    def save_draft(
        self, doc_id: int, values: Mapping[str, str], *, user: str, expected_version: int
    ) -> SaveResult:
        """Save the clerk's values; an Edit is written for each field whose value changed.

        Saving is allowed with invalid values (``errors`` lists them); it claims an "extracted"
        document for ``user``. Refused (ok False, nothing written) when stale or not reviewable.
        """
        with self._write.begin() as session:
            doc = self._get(session, doc_id)
            refusal = self._check_editable(session, doc, values, expected_version, user)
            if refusal is not None:
                return refusal
            current = self._current_values(session, doc)
            submitted = {name: _clean(value) for name, value in values.items()}
            changed = {name: v for name, v in submitted.items() if v != current.get(name, "")}
            errors = self._validate(doc.doc_type or "", {**current, **submitted})
            if not changed:
                return SaveResult(True, doc.version, errors, "No changes to save.")
            now = self._now()
            if not self._bump(
                session,
                doc,
                expected_version,
                status="in_review",
                claimed_by=user,  # a live claim by someone else was refused above
                claimed_at=now,  # a save is activity: the claim's idle time starts again
                review_started_at=doc.review_started_at or now,
            ):
                return _stale(self._version(session, doc_id))
            self._record_changes(session, doc_id, current, changed, user, now)
            self._audit(session, user, "edit", doc_id, {"fields": sorted(changed)})
        return SaveResult(True, expected_version + 1, errors, f"Saved {len(changed)} change(s).")

    def verify(
        self, doc_id: int, values: Mapping[str, str], *, user: str, expected_version: int
    ) -> SaveResult:
        """Record the final values in one transaction; refused while any field is invalid.

        ``values`` may hold only the fields the clerk changed: the rest keep their current value.
        """
        with self._write.begin() as session:
            doc = self._get(session, doc_id)
            refusal = self._check_editable(session, doc, values, expected_version, user)
            if refusal is not None:
                return refusal
            names = self.catalog.field_names(doc.doc_type or "")
            if not names:
                return SaveResult(
                    False,
                    doc.version,
                    {},
                    f"The document type ({doc.doc_type or 'not detected'}) has no fields to verify. "
                    "Choose the right type and extract again.",
                )
            current = self._current_values(session, doc)
            submitted = {name: _clean(value) for name, value in values.items()}
            final = {name: submitted.get(name, current.get(name, "")) for name in names}
            errors = self._validate(doc.doc_type or "", final)
            if errors:
                return SaveResult(False, doc.version, errors, "Correct the marked fields before verifying.")
            now = self._now()
            if not self._bump(
                session,
                doc,
                expected_version,
                status="verified",
                verified_by=user,
                verified_at=now,
                claimed_by=None,
                claimed_at=None,
            ):
                return _stale(self._version(session, doc_id))
            changed = {name: v for name, v in final.items() if v != current.get(name, "")}
            self._record_changes(session, doc_id, current, changed, user, now)
            session.execute(delete(VerifiedValue).where(VerifiedValue.document_id == doc_id))
            session.add_all(
                VerifiedValue(document_id=doc_id, field=name, value=v) for name, v in final.items()
            )
            self._audit(session, user, "verify", doc_id, {"changed": sorted(changed)})
        return SaveResult(True, expected_version + 1, {}, "Verified.")

    def reject(self, doc_id: int, reason: str, *, user: str, expected_version: int) -> SaveResult:
        """Mark the document rejected with a reason (required); refused when stale or verified."""
        reason = _clean(reason)
        with self._write.begin() as session:
            doc = self._get(session, doc_id)
            if doc.version != expected_version:
                return _stale(doc.version)
            if not reason:
                return SaveResult(False, doc.version, {}, "Say why the document is rejected.")
            if doc.status not in REJECTABLE:
                return SaveResult(
                    False, doc.version, {}, f"A document that is {doc.status} cannot be rejected."
                )
            claimed = self._claim_refusal(doc, user)
            if claimed is not None:
                return claimed
            ok = self._bump(
                session,
                doc,
                expected_version,
                status="rejected",
                reject_reason=reason,
                claimed_by=None,
                claimed_at=None,
            )
            if not ok:
                return _stale(self._version(session, doc_id))
            self._audit(session, user, "reject", doc_id, {"reason": reason})
        return SaveResult(True, expected_version + 1, {}, "Rejected.")

    def reopen(
        self, doc_id: int, *, user: str, reason: str, expected_version: int | None = None
    ) -> SaveResult:
        """Send a verified document back to "in_review" (a supervisor's correction), unclaimed.

        ``reason`` is required and audited. The verified values are withdrawn from export; the
        clerk's values stay as drafts, so the next review starts from them. ``expected_version``
        (optional) refuses a stale request like any save. Role checks are the caller's.
        """
        reason = _clean(reason)
        with self._write.begin() as session:
            doc = self._get(session, doc_id)
            version = doc.version if expected_version is None else expected_version
            if doc.version != version:
                return _stale(doc.version)
            if not reason:
                return SaveResult(False, doc.version, {}, "Say why the document is reopened.")
            if doc.status != "verified":
                refused = f"Only verified documents can be reopened; this one is {doc.status}."
                return SaveResult(False, doc.version, {}, refused)
            # The verified values become the drafts: reopening must not undo the clerk's corrections.
            final = {
                v.field: v.value
                for v in session.execute(
                    select(VerifiedValue).where(VerifiedValue.document_id == doc_id)
                ).scalars()
            }
            if not self._bump(
                session,
                doc,
                version,
                status="in_review",
                verified_by=None,
                verified_at=None,
                claimed_by=None,
                claimed_at=None,
            ):
                return _stale(self._version(session, doc_id))
            session.execute(delete(DraftValue).where(DraftValue.document_id == doc_id))
            session.execute(delete(VerifiedValue).where(VerifiedValue.document_id == doc_id))
            session.add_all(DraftValue(document_id=doc_id, field=k, value=v) for k, v in final.items())
            detail = {"reason": reason, "was_verified_by": doc.verified_by}
            self._audit(session, user, "reopen", doc_id, detail)
        return SaveResult(True, version + 1, {}, "Reopened: the document is back in review.")

    def reextract(self, doc_id: int, *, doc_type: str | None, user: str) -> None:
        """Queue the document again, as ``doc_type`` (None or "auto": detect). Drafts are dropped.

        Raises StoreError for an unknown type, a verified document, or one being read right now.
        """
        forced = None if doc_type in (None, AUTO) else doc_type
        if forced is not None and forced not in self.catalog.type_names():
            raise StoreError(
                f"Unknown document type {forced!r}; use one of: {', '.join(self.catalog.type_names())}."
            )
        with self._write.begin() as session:
            doc = self._get(session, doc_id)
            result = session.execute(
                update(Document)
                .where(Document.id == doc_id, Document.status.not_in(NOT_REEXTRACTABLE))
                .values(
                    status="queued",
                    forced_type=forced,
                    error=None,
                    reject_reason=None,
                    claimed_by=None,
                    claimed_at=None,
                    review_started_at=None,
                    version=Document.version + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                raise StoreError(f"Document {doc_id} is {doc.status} and cannot be extracted again now.")
            session.execute(delete(DraftValue).where(DraftValue.document_id == doc_id))
            self._audit(session, user, "reextract", doc_id, {"doc_type": forced or AUTO})

    # ---- the worker's side ------------------------------------------------------------------

    def requeue_stuck(self) -> int:
        """Put documents left in "extracting" (their worker died) back in the queue; how many."""
        with self._write.begin() as session:
            result = session.execute(
                update(Document)
                .where(Document.status == "extracting")
                .values(status="queued", version=Document.version + 1)
                .execution_options(synchronize_session=False)
            )
            return int(result.rowcount)

    def claim_next(self) -> Job | None:
        """Atomically take the oldest queued document for extraction, or None when none is queued.

        The claim is ``UPDATE ... SET status='extracting' WHERE id=? AND status='queued'``, so
        two workers never take the same document. When the stored extraction already answers the
        request (same bytes, same type asked) the document goes straight to "extracted".
        """
        with self._write.begin() as session:
            candidates = session.execute(
                select(Document.id, Document.forced_type, Document.extracted_as)
                .where(Document.status == "queued")
                .order_by(Document.uploaded_at, Document.id)
                .limit(5)
            ).all()
            for doc_id, forced_type, extracted_as in candidates:
                requested = forced_type or AUTO
                cached = extracted_as == requested and self._has_extraction(session, doc_id)
                claimed = session.execute(
                    update(Document)
                    .where(Document.id == doc_id, Document.status == "queued")
                    .values(status="extracted" if cached else "extracting", version=Document.version + 1)
                    .execution_options(synchronize_session=False)
                )
                if claimed.rowcount != 1:
                    continue  # another worker took it first
                row = session.execute(
                    select(Document.filename, Document.content).where(Document.id == doc_id)
                ).one()
                return Job(doc_id, row.filename, b"" if cached else bytes(row.content), requested, cached)
        return None

    def _has_extraction(self, session: Session, doc_id: int) -> bool:
        query = select(FieldExtraction.id).where(FieldExtraction.document_id == doc_id).limit(1)
        return session.execute(query).first() is not None

    def save_extraction(self, job: Job, output: EngineOutput) -> bool:
        """Store the engine's results and page images in one transaction; "extracting" -> "extracted".

        Returns False (and stores nothing) if the document left "extracting" meanwhile.
        """
        with self._write.begin() as session:
            result = session.execute(
                update(Document)
                .where(Document.id == job.document_id, Document.status == "extracting")
                .values(
                    status="extracted",
                    doc_type=output.doc_type,
                    type_confidence=output.type_confidence,
                    pages=output.pages,
                    extracted_as=job.requested,
                    error=None,
                    version=Document.version + 1,
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
            self._audit(session, WORKER_USER, "extracted", job.document_id, detail)
        return True

    def fail_extraction(self, job: Job, message: str) -> bool:
        """Mark the document "failed" with ``message``, keeping its bytes; False if it moved on."""
        with self._write.begin() as session:
            result = session.execute(
                update(Document)
                .where(Document.id == job.document_id, Document.status == "extracting")
                .values(status="failed", error=message, version=Document.version + 1)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return False
            self._audit(session, WORKER_USER, "extraction_failed", job.document_id, {"error": message})
            return True

    # ---- records, export, dashboard ---------------------------------------------------------

    def verified_records(
        self,
        doc_type: str,
        *,
        date_from: date | None = None,
        date_to: date | None = None,
        reviewer: str | None = None,
    ) -> list[VerifiedRecord]:
        """Verified documents of ``doc_type``, oldest verification first.

        ``date_from``/``date_to`` are inclusive UTC days (an aware datetime is used as an exact
        bound); ``reviewer`` keeps one verifier's records.
        """
        query = select(Document).where(Document.status == "verified", Document.doc_type == doc_type)
        if date_from is not None:
            query = query.where(Document.verified_at >= _bound(date_from))
        if isinstance(date_to, datetime):
            query = query.where(Document.verified_at <= date_to)
        elif date_to is not None:
            query = query.where(Document.verified_at < _bound(date_to) + timedelta(days=1))
        if reviewer is not None:
            query = query.where(Document.verified_by == reviewer)
        query = query.order_by(Document.verified_at, Document.id)
        with self._read() as session:
            docs = list(session.execute(query).scalars())
            ids = [d.id for d in docs]
            verified: dict[int, dict[str, str]] = {i: {} for i in ids}
            engine: dict[int, dict[str, tuple[str, float]]] = {i: {} for i in ids}
            for chunk in _chunks(ids):
                for row in session.execute(
                    select(VerifiedValue).where(VerifiedValue.document_id.in_(chunk))
                ).scalars():
                    verified[row.document_id][row.field] = row.value
                for fe in session.execute(
                    select(FieldExtraction).where(FieldExtraction.document_id.in_(chunk))
                ).scalars():
                    engine[fe.document_id][fe.field] = (fe.value, fe.confidence)
        order = self.catalog.field_names(doc_type)
        records = []
        for doc in docs:
            names = order + [n for n in verified[doc.id] if n not in order]
            records.append(
                VerifiedRecord(
                    document_id=doc.id,
                    filename=doc.filename,
                    doc_type=doc_type,
                    verified_by=doc.verified_by or "",
                    verified_at=doc.verified_at or doc.uploaded_at,
                    values={n: verified[doc.id].get(n, "") for n in names},
                    engine_values={n: engine[doc.id].get(n, ("", 0.0))[0] for n in names},
                    confidences={n: engine[doc.id].get(n, ("", 0.0))[1] for n in names},
                )
            )
        return records

    def reviewers(self) -> list[str]:
        """Everyone who has verified a document, sorted."""
        query = select(Document.verified_by).where(Document.verified_by.is_not(None)).distinct()
        with self._read() as session:
            return sorted(str(name) for name in session.execute(query).scalars())

    def export_csv(
        self,
        doc_type: str,
        *,
        user: str,
        provenance: bool = False,
        date_from: date | None = None,
        date_to: date | None = None,
        reviewer: str | None = None,
    ) -> bytes:
        """The CSV of :meth:`verified_records` (see medextract.export), with the export audited."""
        from medextract.export import records_to_csv  # pandas is only needed when exporting

        records = self.verified_records(doc_type, date_from=date_from, date_to=date_to, reviewer=reviewer)
        data = records_to_csv(
            records, doc_type, provenance=provenance, fields=self.catalog.field_names(doc_type)
        )
        filters = {
            "date_from": str(date_from or ""),
            "date_to": str(date_to or ""),
            "reviewer": reviewer or "",
        }
        self.log_export(user, records, doc_type=doc_type, provenance=provenance, filters=filters)
        return data

    def log_export(
        self,
        user: str,
        records: Sequence[VerifiedRecord],
        *,
        doc_type: str,
        provenance: bool = False,
        filters: Mapping[str, Any] | None = None,
    ) -> None:
        """Audit an export of ``records`` (their ids are kept, so each document's history shows it).

        For a page that builds the CSV itself: call it from the download button's ``on_click``.
        """
        detail = {
            "doc_type": doc_type,
            "records": len(records),
            "provenance": provenance,
            "document_ids": [r.document_id for r in records],
            **{k: str(v) for k, v in (filters or {}).items()},
        }
        self.audit(user, "export", detail=detail)

    def history(self, doc_id: int) -> list[HistoryEntry]:
        """Everything that happened to one document, oldest first: upload, extraction, claims, each
        edit with old -> new, verify, reject, reopen, re-extract and every export that included it.

        Text is plain (the caller escapes it for display). Raises DocumentNotFound.
        """
        with self._read() as session:
            self._get(session, doc_id)
            events = list(
                session.execute(select(AuditEvent).where(AuditEvent.document_id == doc_id)).scalars()
            )
            edits = list(session.execute(select(Edit).where(Edit.document_id == doc_id)).scalars())
            exports = [
                e
                for e in session.execute(select(AuditEvent).where(AuditEvent.action == "export")).scalars()
                if doc_id in _detail(e.detail).get("document_ids", [])
            ]
        entries = [
            HistoryEntry(e.at, e.user, e.action, _describe(e.action, _detail(e.detail)), e.id)
            for e in [*events, *exports]
            if e.action != "edit"  # the Edit rows below say more: old -> new per field
        ]
        # An Edit row goes with the save or verify that wrote it: same user and time, in one
        # transaction (the audit event is written after the Edit rows).
        anchors = {(e.user, e.at): e.id for e in sorted(events, key=lambda e: -e.id) if e.action in SAVES}
        entries += [
            HistoryEntry(
                e.at, e.user, "edit", f"{e.field}: {e.old!r} -> {e.new!r}", anchors.get((e.user, e.at), 0)
            )
            for e in sorted(edits, key=lambda e: e.id)
        ]
        return sorted(entries, key=lambda h: (h.at, h.order, h.action != "edit"))

    def dashboard(self) -> DashboardStats:
        """Status counts, verifications per UTC day, per-field correction rates, median review time."""
        corrected = case((func.coalesce(FieldExtraction.value, "") != VerifiedValue.value, 1), else_=0)
        rates_query = (
            select(Document.doc_type, VerifiedValue.field, func.sum(corrected), func.count())
            .join(VerifiedValue, VerifiedValue.document_id == Document.id)
            .outerjoin(
                FieldExtraction,
                and_(
                    FieldExtraction.document_id == Document.id, FieldExtraction.field == VerifiedValue.field
                ),
            )
            .where(Document.status == "verified")
            .group_by(Document.doc_type, VerifiedValue.field)
        )
        times_query = select(Document.verified_at, Document.review_started_at).where(
            Document.status == "verified"
        )
        with self._read() as session:
            counts = self._status_counts(session)
            rate_rows = session.execute(rates_query).all()
            times = session.execute(times_query).all()
        per_day = Counter(verified_at.date() for verified_at, _ in times if verified_at is not None)
        durations = [
            (end - start).total_seconds() for end, start in times if end is not None and start is not None
        ]
        return DashboardStats(
            status_counts=counts,
            verified_per_day=sorted(per_day.items()),
            field_correction_rate=self._ordered_rates(rate_rows),
            median_review_seconds=statistics.median(durations) if durations else None,
        )

    def _ordered_rates(self, rows: Sequence[Any]) -> list[FieldCorrectionRate]:
        """Rates in the catalog's type and field order (unknown ones after, alphabetically)."""
        types = self.catalog.type_names()

        def key(row: Any) -> tuple[int, str, int, str]:
            doc_type, field = str(row[0]), str(row[1])
            fields = self.catalog.field_names(doc_type)
            type_rank = types.index(doc_type) if doc_type in types else len(types)
            field_rank = fields.index(field) if field in fields else len(fields)
            return (type_rank, doc_type, field_rank, field)

        return [
            FieldCorrectionRate(str(t), str(f), int(c), int(n), int(c) / int(n) if n else 0.0)
            for t, f, c, n in sorted(rows, key=key)
        ]

    # ---- audit ------------------------------------------------------------------------------

    def audit(self, user: str, action: str, *, document_id: int | None = None, detail: Any = "") -> None:
        """Record an event in the audit log (``detail``: text, or anything JSON-able)."""
        with self._write.begin() as session:
            self._audit(session, user, action, document_id, detail)

    def audit_log(self, *, limit: int = 200, document_id: int | None = None) -> list[AuditEntry]:
        """The latest audit events, newest first."""
        query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
        if document_id is not None:
            query = query.where(AuditEvent.document_id == document_id)
        with self._read() as session:
            return [
                AuditEntry(e.id, e.user, e.action, e.document_id, e.detail, e.at)
                for e in session.execute(query).scalars()
            ]

    def _audit(self, session: Session, user: str, action: str, document_id: int | None, detail: Any) -> None:
        text = detail if isinstance(detail, str) else json.dumps(detail, sort_keys=True, default=str)
        session.add(
            AuditEvent(user=user, action=action, document_id=document_id, detail=text, at=self._now())
        )

    # ---- helpers ----------------------------------------------------------------------------

    def _get(self, session: Session, doc_id: int) -> Document:
        doc = session.get(Document, doc_id)
        if doc is None:
            raise DocumentNotFound(doc_id)
        return doc

    def _version(self, session: Session, doc_id: int) -> int:
        return int(session.execute(select(Document.version).where(Document.id == doc_id)).scalar_one())

    def _bump(self, session: Session, doc: Document, expected_version: int, **changes: Any) -> bool:
        """The optimistic lock: apply ``changes`` only if the row is still at ``expected_version``.

        This must be the transaction's first write: on PostgreSQL a concurrent winner makes this
        UPDATE wait, then match no row; on SQLite the writers are already serialised.
        """
        result = session.execute(
            update(Document)
            .where(Document.id == doc.id, Document.version == expected_version)
            .values(version=Document.version + 1, **changes)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1

    def _check_editable(
        self, session: Session, doc: Document, values: Mapping[str, str], expected_version: int, user: str
    ) -> SaveResult | None:
        """Why this edit must be refused (stale, wrong status, another's claim, unknown fields), or None."""
        if doc.version != expected_version:
            return _stale(doc.version)
        if doc.status not in REVIEWABLE:
            return SaveResult(
                False, doc.version, {}, f"This document is {doc.status}; it cannot be edited now."
            )
        claimed = self._claim_refusal(doc, user)
        if claimed is not None:
            return claimed
        known = set(self._field_order(session, doc))
        unknown = {name: "not a field of this document type" for name in values if name not in known}
        if unknown:
            return SaveResult(
                False, doc.version, unknown, "Some values are for fields this document does not have."
            )
        return None

    def _field_order(self, session: Session, doc: Document) -> list[str]:
        """The document's fields: the catalog's for its type, else the engine's in its order."""
        names = self.catalog.field_names(doc.doc_type or "")
        if names:
            return names
        query = (
            select(FieldExtraction.field)
            .where(FieldExtraction.document_id == doc.id)
            .order_by(FieldExtraction.position)
        )
        return list(session.execute(query).scalars())

    def _current_values(self, session: Session, doc: Document) -> dict[str, str]:
        """Each field's value now: the draft where there is one, else the engine's."""
        values = {
            fe.field: fe.value
            for fe in session.execute(
                select(FieldExtraction).where(FieldExtraction.document_id == doc.id)
            ).scalars()
        }
        for draft in session.execute(select(DraftValue).where(DraftValue.document_id == doc.id)).scalars():
            values[draft.field] = draft.value
        return values

    def _validate(self, doc_type: str, values: Mapping[str, str]) -> dict[str, str]:
        errors = {}
        for name, value in values.items():
            message = self.catalog.validate(doc_type, name, value) if value else None
            if message:
                errors[name] = message
        return errors

    def _record_changes(
        self,
        session: Session,
        doc_id: int,
        current: Mapping[str, str],
        changed: Mapping[str, str],
        user: str,
        now: datetime,
    ) -> None:
        """Write the drafts and one Edit per changed field."""
        drafts = {
            d.field: d
            for d in session.execute(select(DraftValue).where(DraftValue.document_id == doc_id)).scalars()
        }
        for name, new in changed.items():
            session.add(
                Edit(document_id=doc_id, field=name, old=current.get(name, ""), new=new, user=user, at=now)
            )
            if name in drafts:
                drafts[name].value = new
            else:
                session.add(DraftValue(document_id=doc_id, field=name, value=new))

    def _view(self, session: Session, doc: Document) -> DocumentView:
        return DocumentView(
            id=doc.id,
            filename=doc.filename,
            status=doc.status,
            doc_type=doc.doc_type,
            type_confidence=doc.type_confidence,
            pages=doc.pages,
            version=doc.version,
            error=doc.error,
            reject_reason=doc.reject_reason,
            uploaded_at=doc.uploaded_at,
            uploader=doc.uploader,
            verified_by=doc.verified_by,
            verified_at=doc.verified_at,
            claimed_by=self._live_claim(doc),
            fields=self._field_views(session, doc) if doc.status in HAS_RESULTS else {},
            forced_type=doc.forced_type,
            review_started_at=doc.review_started_at,
            claimed_at=doc.claimed_at if self._live_claim(doc) else None,
        )

    def _field_views(self, session: Session, doc: Document) -> dict[str, FieldView]:
        extractions = {
            fe.field: fe
            for fe in session.execute(
                select(FieldExtraction).where(FieldExtraction.document_id == doc.id)
            ).scalars()
        }
        if not extractions:
            return {}
        current = self._current_values(session, doc)
        if doc.status == "verified":
            query = select(VerifiedValue).where(VerifiedValue.document_id == doc.id)
            current.update({v.field: v.value for v in session.execute(query).scalars()})
        doc_type = doc.doc_type or ""
        views = {}
        for name in self._field_order(session, doc):
            fe = extractions.get(name)
            box = (fe.box_x0, fe.box_y0, fe.box_x1, fe.box_y1) if fe else None
            views[name] = FieldView(
                name=name,
                label=self.catalog.label(doc_type, name),
                value=current.get(name, ""),
                engine_value=fe.value if fe else "",
                confidence=fe.confidence if fe else 0.0,
                needs_review=fe.needs_review if fe else True,
                reason=fe.reason if fe else "The engine returned nothing for this field.",
                page=fe.page if fe else 0,
                box=box if box and None not in box else None,  # type: ignore[arg-type]
                multiline=self.catalog.multiline(doc_type, name),
            )
        return views


def _detail(text: str) -> dict[str, Any]:
    """An audit event's JSON detail as a dict ({} for plain text)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _describe(action: str, detail: Mapping[str, Any]) -> str:
    """One plain-text line for a history entry."""
    keys = {
        "upload": ("filename", "size"),
        "extracted": ("doc_type", "pages", "fields"),
        "extraction_failed": ("error",),
        "verify": ("changed",),
        "reject": ("reason",),
        "reopen": ("reason", "was_verified_by"),
        "reextract": ("doc_type",),
        "export": ("doc_type", "records", "provenance"),
    }.get(action, tuple(detail))
    return ", ".join(f"{k}: {detail[k]}" for k in keys if k in detail)


def _bound(day: date) -> datetime:
    """The start of ``day`` in UTC; an aware datetime is kept as the exact bound."""
    if isinstance(day, datetime):
        return day
    return datetime.combine(day, time.min, tzinfo=UTC)
