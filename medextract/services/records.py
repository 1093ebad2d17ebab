"""Verified records, their CSV export (audited) and the dashboard: supervisors' operations."""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select

from medextract import lifecycle
from medextract.models import Document, FieldExtraction, VerifiedValue
from medextract.services.audit import link_documents, write_event
from medextract.services.context import Actor, Context, authorize
from medextract.services.queue import count_statuses
from medextract.views import DashboardStats, FieldCorrectionRate, VerifiedRecord

IN_CHUNK = 500  # ids per IN (...) list: stays under SQLite's and psycopg's parameter limits


def verified_records(
    ctx: Context,
    doc_type: str,
    *,
    user: Actor,
    date_from: date | None = None,
    date_to: date | None = None,
    reviewer: str | None = None,
) -> list[VerifiedRecord]:
    """Verified documents of ``doc_type``, oldest verification first.

    ``date_from``/``date_to`` are inclusive UTC days (an aware datetime is used as an exact
    bound); ``reviewer`` keeps one verifier's records.
    """
    # Plain columns, not ORM objects: a claims system polls this, and building thousands of
    # objects per call was most of its time.
    query = select(
        Document.id, Document.filename, Document.verified_by, Document.verified_at, Document.uploaded_at
    ).where(Document.status == lifecycle.VERIFIED, Document.doc_type == doc_type)
    if date_from is not None:
        query = query.where(Document.verified_at >= _bound(date_from))
    if isinstance(date_to, datetime):
        query = query.where(Document.verified_at <= date_to)
    elif date_to is not None:
        query = query.where(Document.verified_at < _bound(date_to) + timedelta(days=1))
    if reviewer is not None:
        query = query.where(Document.verified_by == reviewer)
    query = query.order_by(Document.verified_at, Document.id)
    with ctx.read() as session:
        authorize(session, user, lifecycle.RECORDS)
        docs = session.execute(query).all()
        ids = [d.id for d in docs]
        verified: dict[int, dict[str, str]] = {i: {} for i in ids}
        engine: dict[int, dict[str, tuple[str, float]]] = {i: {} for i in ids}
        for chunk in _chunks(ids):
            values = select(VerifiedValue.document_id, VerifiedValue.field, VerifiedValue.value)
            for doc_id, field, value in session.execute(values.where(VerifiedValue.document_id.in_(chunk))):
                verified[doc_id][field] = value
            read = select(
                FieldExtraction.document_id,
                FieldExtraction.field,
                FieldExtraction.value,
                FieldExtraction.confidence,
            )
            for doc_id, field, value, confidence in session.execute(
                read.where(FieldExtraction.document_id.in_(chunk))
            ):
                engine[doc_id][field] = (value, confidence)
    order = ctx.catalog.field_names(doc_type)
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


def reviewers(ctx: Context, *, user: Actor) -> list[str]:
    """Everyone who has verified a document, sorted."""
    query = select(Document.verified_by).where(Document.verified_by.is_not(None)).distinct()
    with ctx.read() as session:
        authorize(session, user, lifecycle.RECORDS)
        return sorted(str(name) for name in session.execute(query).scalars())


def export_csv(
    ctx: Context,
    doc_type: str,
    *,
    user: Actor,
    provenance: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    reviewer: str | None = None,
) -> bytes:
    """The CSV of :func:`verified_records` (see medextract.export), with the export audited."""
    from medextract.export import records_to_csv  # pandas is only needed when exporting

    records = export_records(
        ctx,
        doc_type,
        user=user,
        provenance=provenance,
        date_from=date_from,
        date_to=date_to,
        reviewer=reviewer,
    )
    return records_to_csv(records, doc_type, provenance=provenance, fields=ctx.catalog.field_names(doc_type))


def export_records(
    ctx: Context,
    doc_type: str,
    *,
    user: Actor,
    provenance: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
    reviewer: str | None = None,
    channel: str = "csv",
) -> list[VerifiedRecord]:
    """:func:`verified_records` as they leave the system (a CSV, the API's JSON): audited "export"."""
    records = verified_records(
        ctx, doc_type, user=user, date_from=date_from, date_to=date_to, reviewer=reviewer
    )
    filters = {"date_from": str(date_from or ""), "date_to": str(date_to or ""), "reviewer": reviewer or ""}
    if channel != "csv":
        filters["format"] = channel
    log_export(ctx, records, user=user, doc_type=doc_type, provenance=provenance, filters=filters)
    return records


def log_export(
    ctx: Context,
    records: Sequence[VerifiedRecord],
    *,
    user: Actor,
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
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.RECORDS)
        event = write_event(ctx, session, name, "export", None, detail)
        link_documents(session, event, detail["document_ids"])


def dashboard(ctx: Context, *, user: Actor) -> DashboardStats:
    """Status counts, verifications per UTC day, per-field correction rates, median review time."""
    corrected = case((func.coalesce(FieldExtraction.value, "") != VerifiedValue.value, 1), else_=0)
    rates_query = (
        select(Document.doc_type, VerifiedValue.field, func.sum(corrected), func.count())
        .join(VerifiedValue, VerifiedValue.document_id == Document.id)
        .outerjoin(
            FieldExtraction,
            and_(FieldExtraction.document_id == Document.id, FieldExtraction.field == VerifiedValue.field),
        )
        .where(Document.status == lifecycle.VERIFIED)
        .group_by(Document.doc_type, VerifiedValue.field)
    )
    times_query = select(Document.verified_at, Document.review_started_at).where(
        Document.status == lifecycle.VERIFIED
    )
    with ctx.read() as session:
        authorize(session, user, lifecycle.DASHBOARD)
        counts = count_statuses(session)
        rate_rows = session.execute(rates_query).all()
        times = session.execute(times_query).all()
    per_day = Counter(verified_at.date() for verified_at, _ in times if verified_at is not None)
    durations = [
        (end - start).total_seconds() for end, start in times if end is not None and start is not None
    ]
    return DashboardStats(
        status_counts=counts,
        verified_per_day=sorted(per_day.items()),
        field_correction_rate=_ordered_rates(ctx, rate_rows),
        median_review_seconds=statistics.median(durations) if durations else None,
    )


def _ordered_rates(ctx: Context, rows: Sequence[Any]) -> list[FieldCorrectionRate]:
    """Rates in the catalog's type and field order (unknown ones after, alphabetically)."""
    types = ctx.catalog.type_names()

    def key(row: Any) -> tuple[int, str, int, str]:
        doc_type, field = str(row[0]), str(row[1])
        fields = ctx.catalog.field_names(doc_type)
        type_rank = types.index(doc_type) if doc_type in types else len(types)
        field_rank = fields.index(field) if field in fields else len(fields)
        return (type_rank, doc_type, field_rank, field)

    return [
        FieldCorrectionRate(str(t), str(f), int(c), int(n), int(c) / int(n) if n else 0.0)
        for t, f, c, n in sorted(rows, key=key)
    ]


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), IN_CHUNK):
        yield ids[start : start + IN_CHUNK]


def _bound(day: date) -> datetime:
    """The start of ``day`` in UTC; an aware datetime is kept as the exact bound."""
    if isinstance(day, datetime):
        return day
    return datetime.combine(day, time.min, tzinfo=UTC)
