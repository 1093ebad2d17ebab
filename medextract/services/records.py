"""Verified records, their CSV export (audited) and the dashboard: supervisors' operations."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Row, Select, and_, bindparam, func, select
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.catalog import field_kinds
from medextract.models import Document, FieldExtraction, VerifiedValue
from medextract.services.audit import insert_event
from medextract.services.context import Actor, Context, authorize
from medextract.services.dashboard import overview
from medextract.views import DashboardStats, DateRange, VerifiedRecord

# Tables, not ORM entities: the records' queries then skip the ORM's result layer.
_DOCUMENTS, _VERIFIED, _EXTRACTED = Document.__table__, VerifiedValue.__table__, FieldExtraction.__table__


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
    with ctx.read() as session:
        authorize(session, user, lifecycle.RECORDS)
        return _read_records(ctx, session, doc_type, date_from, date_to, reviewer)


def _read_records(
    ctx: Context,
    session: Session,
    doc_type: str,
    date_from: date | None,
    date_to: date | None,
    reviewer: str | None,
    *,
    engine: bool = True,
    document_ids: Sequence[int] | None = None,
) -> list[VerifiedRecord]:
    """Two queries whatever the number of records: the documents, then every verified value (with
    the engine's value and confidence beside it when ``engine``; without, a record's
    ``engine_values`` and ``confidences`` are empty). A claims system polls this, so it runs
    statements built once per kind of filter, builds plain rows, never ORM objects, and each
    record's dicts in one pass over its values. ``document_ids`` keeps only those documents (a
    selection in the queue)."""
    params: dict[str, Any] = {"doc_type": doc_type}
    if document_ids is not None:
        params["ids"] = [int(i) for i in document_ids]
    if date_from is not None:
        params["date_from"] = _bound(date_from)
    if isinstance(date_to, datetime):
        params["date_to"] = date_to
    elif date_to is not None:
        params["date_to"] = _bound(date_to) + timedelta(days=1)
    if reviewer is not None:
        params["reviewer"] = reviewer
    docs_query, values_query = _statements(
        date_from is not None,
        date_to is not None,
        isinstance(date_to, datetime),
        reviewer is not None,
        engine,
        document_ids is not None,
    )
    docs = session.execute(docs_query, params).all()
    if not docs:
        return []
    values = session.execute(values_query, params).all()
    order = ctx.catalog.field_names(doc_type)
    fields: dict[int, _Fields] = {}
    if engine:
        for doc_id, field, value, engine_value, confidence in values:
            found = fields.get(doc_id) or fields.setdefault(doc_id, _Fields(order, engine=True))
            found.values[field] = value
            found.engine[field] = engine_value or ""
            found.confidences[field] = confidence or 0.0
    else:
        for doc_id, field, value in values:
            found = fields.get(doc_id) or fields.setdefault(doc_id, _Fields(order, engine=False))
            found.values[field] = value
    return [(fields.get(row[0]) or _Fields(order, engine=engine)).record(row, doc_type) for row in docs]


@functools.cache
def _statements(
    since: bool, until: bool, until_exact: bool, reviewer: bool, engine: bool, chosen_ids: bool = False
) -> tuple[Select[Any], Select[Any]]:
    """The documents' and the values' statements for one kind of filter, built once (a poll's
    statements are then only executed: building a select costs more than SQLite's reading of it).
    Parameters: doc_type, and date_from, date_to, reviewer, ids (a list) when filtered."""
    doc, val, ext = _DOCUMENTS.c, _VERIFIED.c, _EXTRACTED.c
    chosen = [doc.status == lifecycle.VERIFIED, doc.doc_type == bindparam("doc_type")]
    if since:
        chosen.append(doc.verified_at >= bindparam("date_from"))
    if until:  # an exact time is inclusive; a day's end is the next day's start, exclusive
        chosen.append(
            doc.verified_at <= bindparam("date_to") if until_exact else doc.verified_at < bindparam("date_to")
        )
    if reviewer:
        chosen.append(doc.verified_by == bindparam("reviewer"))
    if chosen_ids:
        chosen.append(doc.id.in_(bindparam("ids", expanding=True)))
    docs = (
        select(doc.id, doc.filename, doc.verified_by, func.coalesce(doc.verified_at, doc.uploaded_at))
        .where(*chosen)
        .order_by(doc.verified_at, doc.id)
    )
    # The same filter as a join (not an IN list of ids): one statement for any number of records.
    values = select(val.document_id, val.field, val.value).join(_DOCUMENTS, doc.id == val.document_id)
    if engine:
        values = values.add_columns(ext.value, ext.confidence).outerjoin(
            _EXTRACTED, and_(ext.document_id == val.document_id, ext.field == val.field)
        )
    return docs, values.where(*chosen).order_by(val.document_id, val.id)


_NO_ENGINE: dict[str, Any] = {}  # shared by the records read without the engine's values: never written


class _Fields:
    """One record's values, engine values and confidences, in the type's field order (fields the
    catalog no longer lists after them, in the order they were verified)."""

    __slots__ = ("confidences", "engine", "values")

    def __init__(self, order: list[str], *, engine: bool) -> None:
        self.values = dict.fromkeys(order, "")
        self.engine: dict[str, Any] = dict.fromkeys(order, "") if engine else _NO_ENGINE
        self.confidences: dict[str, Any] = dict.fromkeys(order, 0.0) if engine else _NO_ENGINE

    def record(self, doc: Row[Any], doc_type: str) -> VerifiedRecord:
        doc_id, filename, verified_by, verified_at = doc  # verified_at, else (older rows) uploaded_at
        return VerifiedRecord(
            document_id=doc_id,
            filename=filename,
            doc_type=doc_type,
            verified_by=verified_by or "",
            verified_at=verified_at,
            values=self.values,
            engine_values=self.engine,
            confidences=self.confidences,
        )


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
    document_ids: Sequence[int] | None = None,
) -> bytes:
    """The CSV of :func:`verified_records` (see medextract.export), with the export audited;
    ``document_ids`` keeps only those documents (the queue's ticked rows)."""
    from medextract.export import records_to_csv  # pandas is only needed when exporting

    records = export_records(
        ctx,
        doc_type,
        user=user,
        provenance=provenance,
        date_from=date_from,
        date_to=date_to,
        reviewer=reviewer,
        document_ids=document_ids,
    )
    fields = ctx.catalog.field_names(doc_type)
    kinds = field_kinds(ctx.catalog, doc_type, fields)
    return records_to_csv(records, doc_type, provenance=provenance, fields=fields, kinds=kinds)


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
    document_ids: Sequence[int] | None = None,
) -> list[VerifiedRecord]:
    """:func:`verified_records` as they leave the system (a CSV, the API's JSON): audited "export".
    Without ``provenance`` (which alone shows them) the engine's values are not read: the records'
    ``engine_values`` and ``confidences`` are then empty.

    The account is checked once, in the read; the audit event is then one short write of its own
    (a read inside SQLite's write lock would hold every other writer back).
    """
    with ctx.read() as session:
        name = authorize(session, user, lifecycle.RECORDS)
        records = _read_records(
            ctx, session, doc_type, date_from, date_to, reviewer, engine=provenance, document_ids=document_ids
        )
    filters = {"date_from": str(date_from or ""), "date_to": str(date_to or ""), "reviewer": reviewer or ""}
    if document_ids is not None:
        filters["selected"] = str(len(set(document_ids)))  # chosen in the queue, not by a filter
    if channel != "csv":
        filters["format"] = channel
    with ctx.write.begin() as session:
        _write_export(ctx, session, name, records, doc_type, provenance, filters)
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
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.RECORDS)
        _write_export(ctx, session, name, records, doc_type, provenance, filters or {})


def _write_export(
    ctx: Context,
    session: Session,
    name: str,
    records: Sequence[VerifiedRecord],
    doc_type: str,
    provenance: bool,
    filters: Mapping[str, Any],
) -> None:
    ids = [r.document_id for r in records]
    detail = {
        "doc_type": doc_type,
        "records": len(records),
        "provenance": provenance,
        "document_ids": ids,
        **{k: str(v) for k, v in filters.items()},
    }
    insert_event(ctx, session, name, "export", detail, documents=ids)


def dashboard(ctx: Context, *, user: Actor, period: DateRange | None = None) -> DashboardStats:
    """The dashboard's figures for ``period`` (None: all time): ``services.dashboard.overview``."""
    return overview(ctx, user=user, period=period)


def _bound(day: date) -> datetime:
    """The start of ``day`` in UTC; an aware datetime is kept as the exact bound."""
    if isinstance(day, datetime):
        return day
    return datetime.combine(day, time.min, tzinfo=UTC)
