"""The queue: documents by status and type, oldest first or a page at a time, counts, a search by
patient, file or id, and what to review next."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, update
from sqlalchemy.orm import Session

from medextract import db, lifecycle
from medextract.models import Document, DraftValue, FieldExtraction, VerifiedValue
from medextract.services.audit import write_event
from medextract.services.claims import claimable, live_claim
from medextract.services.context import Actor, Context, authorize
from medextract.services.documents import change_marks
from medextract.views import DocumentSummary

CLAIM_ATTEMPTS = 20  # documents claim_next tries when others keep taking the oldest first
UNKNOWN_TYPE = "unknown"  # a document whose type the engine did not recognise
PATIENT_FIELD = "patient_name"  # the field both document types name their patient in
SEARCH_MAX = 200  # characters of a search that are used
PAGE_SIZE = 50  # documents on a page of the queue unless asked otherwise
MAX_PAGE_SIZE = 500  # the most one page may hold (as many as a bulk action may name)
_DOC_ID = re.compile(r"#?\s*([0-9]{1,12})")


class QueueItem(NamedTuple):
    """One row of the review queue: the document and its patient's name as it stands now (the
    verified value, else the reviewer's draft, else the engine's; "" when none was read)."""

    doc: DocumentSummary
    patient: str


def documents(
    ctx: Context, *, user: Actor, status: str | Sequence[str] | None = None, doc_type: str | None = None
) -> list[DocumentSummary]:
    """Documents oldest first, optionally of some status(es) and one detected type."""
    query = _filtered(_summaries(), status, doc_type).order_by(Document.uploaded_at, Document.id)
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        rows = session.execute(query).all()
    return [_summary(ctx, doc, n) for doc, n in rows]


def search(
    ctx: Context,
    *,
    user: Actor,
    text: str = "",
    status: str | Sequence[str] | None = None,
    doc_type: str | None = None,
) -> list[QueueItem]:
    """The queue's documents oldest first, with their patient's name, optionally of some
    status(es) (None or empty: any) and one type ("unknown": none recognised), matching ``text``.

    ``text`` matches (case-insensitively, anywhere) the patient's name as it stands now, or the
    file name; digits ("42", "#42") also match the document with that id. Done in the query, on
    SQLite and PostgreSQL alike: field values and file names are stored in clear (only the files
    and page images are encrypted at rest, medextract.encryption). An empty ``text`` matches all.
    """
    patient = _patient_now()
    chosen = _search_filter(text, status, doc_type, patient)
    query = _summaries().add_columns(patient).where(*chosen).order_by(Document.uploaded_at, Document.id)
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        rows = session.execute(query).all()
    return [QueueItem(_summary(ctx, doc, n), name or "") for doc, n, name in rows]


class QueuePage(NamedTuple):
    """One page of the queue: its items, the page it is (from 1), the page size, and how many
    documents match in all (counted in SQL)."""

    items: list[QueueItem]
    page: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        """How many pages the matching documents fill (1 when none match)."""
        return max(1, -(-self.total // self.size))

    @property
    def first(self) -> int:
        """The position (from 1) of this page's first item among all that match; 0 when none."""
        return (self.page - 1) * self.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        """The position of this page's last item; 0 when none."""
        return self.first + len(self.items) - 1 if self.items else 0


def search_page(
    ctx: Context,
    *,
    user: Actor,
    text: str = "",
    status: str | Sequence[str] | None = None,
    doc_type: str | None = None,
    page: int = 1,
    size: int = PAGE_SIZE,
) -> QueuePage:
    """Page ``page`` (from 1) of :func:`search`'s documents, ``size`` to a page (1 to
    ``MAX_PAGE_SIZE``), and how many match in all.

    The count and the page are two SQL statements (COUNT, then LIMIT/OFFSET in upload order) in
    one read, whatever the queue's length; a page past the last is the last page (a link kept
    while documents left the queue still shows something).
    """
    size = min(max(1, int(size)), MAX_PAGE_SIZE)
    patient = _patient_now()
    chosen = _search_filter(text, status, doc_type, patient)
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        total = int(session.execute(select(func.count()).select_from(Document).where(*chosen)).scalar_one())
        page = min(max(1, int(page)), max(1, -(-total // size)))
        query = (
            select(Document, _flagged_count(), patient)  # counted for this page's rows only
            .where(*chosen)
            .order_by(Document.uploaded_at, Document.id)
            .limit(size)
            .offset((page - 1) * size)
        )
        rows = session.execute(query).all() if total else []
    items = [QueueItem(_summary(ctx, doc, n), name or "") for doc, n, name in rows]
    return QueuePage(items, page, size, total)


def _flagged_count() -> ColumnElement[int]:
    """SQL: each document's number of flagged fields, counted row by row (for a page: LIMIT then
    applies before the counting, where ``_summaries``' grouped join counts every document first)."""
    return (
        select(func.count())
        .where(FieldExtraction.document_id == Document.id, FieldExtraction.needs_review.is_(True))
        .scalar_subquery()
    )


def _search_filter(
    text: str, status: str | Sequence[str] | None, doc_type: str | None, patient: ColumnElement[str]
) -> list[ColumnElement[bool]]:
    """SQL conditions of a queue search (see :func:`search`); ``patient``: :func:`_patient_now`."""
    chosen: list[ColumnElement[bool]] = []
    if status:
        chosen.append(Document.status.in_([status] if isinstance(status, str) else list(status)))
    if doc_type == UNKNOWN_TYPE:
        chosen.append(or_(Document.doc_type.is_(None), Document.doc_type == UNKNOWN_TYPE))
    elif doc_type is not None:
        chosen.append(Document.doc_type == doc_type)
    wanted = " ".join(str(text or "").split())[:SEARCH_MAX]
    if wanted:
        chosen.append(_matches(wanted, patient))
    return chosen


def page(
    ctx: Context,
    *,
    user: Actor,
    status: str | Sequence[str] | None = None,
    doc_type: str | None = None,
    updated_since: datetime | None = None,
    after_id: int | None = None,
    limit: int = 50,
) -> list[DocumentSummary]:
    """At most ``limit`` documents in id (upload) order after ``after_id``: one page of a listing.

    A listing paged by the last id it showed never repeats or skips a document, whatever changes
    meanwhile. ``updated_since`` keeps documents changed at or after that moment.
    """
    query = _filtered(_summaries(), status, doc_type)
    if updated_since is not None:
        query = query.where(Document.updated_at >= updated_since)
    if after_id is not None:
        query = query.where(Document.id > after_id)
    query = query.order_by(Document.id).limit(max(1, limit))
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        rows = session.execute(query).all()
    return [_summary(ctx, doc, n) for doc, n in rows]


def _summaries() -> Select[tuple[Document, int]]:
    """Each document with its number of flagged fields."""
    flagged = (
        select(FieldExtraction.document_id, func.count().label("n"))
        .where(FieldExtraction.needs_review.is_(True))
        .group_by(FieldExtraction.document_id)
        .subquery()
    )
    return select(Document, func.coalesce(flagged.c.n, 0)).outerjoin(
        flagged, flagged.c.document_id == Document.id
    )


def _patient_now() -> ColumnElement[str]:
    """SQL: each document's patient name now: verified, else the draft, else the engine's."""
    return func.coalesce(
        *(
            select(model.value)
            .where(model.document_id == Document.id, model.field == PATIENT_FIELD)
            .scalar_subquery()
            for model in (VerifiedValue, DraftValue, FieldExtraction)
        )
    )


def _matches(text: str, patient: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL: the patient name or the file name contains ``text`` (any case), or ``text`` is the id."""
    folded = text.lower()
    found = or_(
        db.lower(patient).contains(folded, autoescape=True),
        db.lower(Document.filename).contains(folded, autoescape=True),
    )
    number = _DOC_ID.fullmatch(text)
    return or_(found, Document.id == int(number.group(1))) if number else found


def _filtered(
    query: Select[tuple[Document, int]], status: str | Sequence[str] | None, doc_type: str | None
) -> Select[tuple[Document, int]]:
    if status is not None:
        query = query.where(Document.status.in_([status] if isinstance(status, str) else list(status)))
    if doc_type is not None:
        query = query.where(Document.doc_type == doc_type)
    return query


def _summary(ctx: Context, doc: Document, flagged: int) -> DocumentSummary:
    holder = live_claim(ctx, doc)
    return DocumentSummary(
        id=doc.id,
        filename=doc.filename,
        status=doc.status,
        doc_type=doc.doc_type,
        uploaded_at=doc.uploaded_at,
        uploader=doc.uploader,
        pages=doc.pages,
        error=doc.error,
        flagged_fields=int(flagged) if doc.status in lifecycle.HAS_RESULTS else 0,
        claimed_by=holder,
        claimed_at=doc.claimed_at if holder else None,
        updated_at=doc.updated_at,
    )


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


def held_count(ctx: Context, *, user: Actor) -> int:
    """How many documents are in review under ``user``'s name: their unfinished reviews and those
    a supervisor gave them (services.assign), which "Review next" opens before any other."""
    with ctx.read() as session:
        name = authorize(session, user, lifecycle.CLAIM)
        mine = select(func.count()).where(Document.status == lifecycle.IN_REVIEW, Document.claimed_by == name)
        return int(session.execute(mine).scalar_one())


def progress(ctx: Context, *, user: Actor, doc_id: int) -> tuple[int, int] | None:
    """Where document ``doc_id`` stands among what ``user`` has to review, in the order "Review
    next" takes them (the user's own open reviews, then the documents nobody holds, oldest
    first): (its place from 1, how many in all), or None when it is not among them (verified,
    rejected, or held by someone else). Counted in the database: the review page asks on every
    rerun, whatever the queue's length."""
    order = (Document.uploaded_at, Document.id)
    with ctx.read() as session:
        name = authorize(session, user, lifecycle.CLAIM)
        mine_rows = select(Document.id).where(
            Document.status == lifecycle.IN_REVIEW, Document.claimed_by == name
        )
        mine = [int(i) for i in session.execute(mine_rows.order_by(*order)).scalars()]
        free = and_(claimable(ctx), Document.id.not_in(mine))
        total = len(mine) + int(session.execute(select(func.count()).where(free)).scalar_one())
        if doc_id in mine:
            return mine.index(doc_id) + 1, total
        doc = session.execute(select(Document.uploaded_at).where(Document.id == doc_id, free)).first()
        if doc is None:
            return None
        earlier = or_(
            Document.uploaded_at < doc.uploaded_at,
            and_(Document.uploaded_at == doc.uploaded_at, Document.id < doc_id),
        )
        before = int(session.execute(select(func.count()).where(free, earlier)).scalar_one())
    return len(mine) + before + 1, total


def claim_next(ctx: Context, *, user: Actor) -> int | None:
    """Pick the document ``user`` should review next and claim it, in one write transaction.

    The "Review next" button's service: the choice is made at the click, not when the page was
    drawn, and two reviewers clicking together never get the same document. The user's own
    unfinished review comes first (its claim refreshed); else the oldest "extracted" document or
    "in_review" one nobody holds. The claim is ``review.start_review``'s (audited "claim").
    None when nothing is waiting.
    """
    order = (Document.uploaded_at, Document.id)
    now = ctx.now()
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.CLAIM)
        own = select(Document.id).where(Document.status == lifecycle.IN_REVIEW, Document.claimed_by == name)
        found = session.execute(own.order_by(*order).limit(1)).scalar()
        if found is not None:  # perhaps assigned to them (services.assign): its review starts now
            started = func.coalesce(Document.review_started_at, now)
            session.execute(
                update(Document).where(Document.id == found).values(claimed_at=now, review_started_at=started)
            )
            return int(found)
        for _ in range(CLAIM_ATTEMPTS):
            found = session.execute(
                select(Document.id).where(claimable(ctx)).order_by(*order).limit(1)
            ).scalar()
            if found is None:
                return None
            if take_claim(ctx, session, int(found), name, now):
                return int(found)
    return None


def take_claim(ctx: Context, session: Session, doc_id: int, name: str, now: datetime) -> bool:
    """Claim ``doc_id`` for ``name`` if it is claimable, and audit the claim; False when someone
    else holds it (or it is not waiting for review).

    On PostgreSQL a reviewer who claimed it first makes this UPDATE wait, then match no row (its
    WHERE is checked again); SQLite runs one writer at a time.
    """
    taken = session.execute(
        update(Document)
        .where(Document.id == doc_id, claimable(ctx))
        .values(
            status=lifecycle.target(lifecycle.CLAIM),
            claimed_by=name,
            claimed_at=now,
            review_started_at=func.coalesce(Document.review_started_at, now),
            **change_marks(ctx),
        )
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        return False
    write_event(ctx, session, name, "claim", doc_id, "")
    return True
