"""The supervisor's dashboard: a period's figures, overall and per reviewer, and the reviewers' CSV.

A period is whole UTC days (:func:`date_range`: today, the last 7 or 30 days, or chosen days),
as the app stores and shows every time in UTC. Every figure is counted by the database (GROUP BY,
portable between SQLite and PostgreSQL, days cut in UTC by :class:`utc_day`); only medians, which
neither database computes the same way, are taken in Python over one timestamp pair per document.

Who counts for what:

- verified: documents verified in the period, as they stand (``Document.verified_by``); a record
  reopened since counts again once it is verified again.
- rejected: "reject" audit events in the period (the document keeps no rejecter), one per
  document and person.
- fields corrected: fields of those verified documents whose verified value is not the engine's
  (``FieldExtraction`` beside ``VerifiedValue``); flagged ones are the engine's ``needs_review``.
- claim to verify: from the verifier's last "claim" or "take_over" of the document before the
  verify (the audit log), else from when its review started.

Supervisors and administrators only (``lifecycle.DASHBOARD``), checked in every call: a clerk
sees none of it, not even their own row, as with every other supervisor's figure.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from medextract import lifecycle
from medextract.export import neutralize
from medextract.models import AuditEvent, Document, FieldExtraction, VerifiedValue
from medextract.services.context import Actor, Context, authorize
from medextract.views import DashboardStats, DateRange, FieldCorrectionRate, ReviewerFigures

TODAY, WEEK, MONTH, CUSTOM = "today", "7 days", "30 days", "custom"
PRESETS = (TODAY, WEEK, MONTH, CUSTOM)  # the period's choices, the default first after "today"
DEFAULT_PRESET = WEEK
_PRESET_DAYS = {TODAY: 1, WEEK: 7, MONTH: 30}
CLAIMS = ("claim", "take_over")  # the audit events that give a reviewer a document

CSV_COLUMNS = (
    "reviewer",
    "verified",
    lifecycle.REJECTED,
    "fields_corrected",
    "flagged_fields",
    "flagged_confirmed_unchanged",
    "flagged_confirmed_unchanged_share",
    "median_claim_to_verify_seconds",
)


class utc_day(FunctionElement[str]):
    """The UTC day of a stored timestamp as ``YYYY-MM-DD`` text, on SQLite and on PostgreSQL.

    SQLite keeps UTC without a zone (``models.UTCDateTime``); PostgreSQL's ``timestamptz`` would
    be cut in the session's time zone by a plain ``date()``, so it is put in UTC first.
    """

    type = String()
    inherit_cache = True
    name = "utc_day"


@compiles(utc_day)
def _utc_day_sqlite(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element: utc_day, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


# ---- the period --------------------------------------------------------------------------------


def today(ctx: Context) -> date:
    """Today's UTC day by the services' clock."""
    return ctx.now().astimezone(UTC).date()


def date_range(
    ctx: Context, preset: str = DEFAULT_PRESET, custom: tuple[date | None, date | None] = (None, None)
) -> DateRange:
    """The period a preset names, ending today (UTC); ``custom``'s days (either order; one day
    alone is that day) for CUSTOM, the default period while none is picked. An unknown preset is
    the default."""
    if preset == CUSTOM:
        picked = [d for d in custom if d is not None]
        if picked:
            return DateRange(min(picked), max(picked))
        preset = DEFAULT_PRESET
    last = today(ctx)
    days = _PRESET_DAYS.get(preset, _PRESET_DAYS[DEFAULT_PRESET])
    return DateRange(last - timedelta(days=days - 1), last)


def bounds(period: DateRange) -> tuple[datetime, datetime]:
    """The period's first instant and the instant after it (exclusive), in UTC."""
    start = datetime.combine(period.first, time.min, tzinfo=UTC)
    return start, datetime.combine(period.last + timedelta(days=1), time.min, tzinfo=UTC)


def _within(column: Any, period: DateRange | None) -> list[ColumnElement[bool]]:
    if period is None:
        return []
    start, end = bounds(period)
    return [column >= start, column < end]


def _verified(period: DateRange | None) -> list[ColumnElement[bool]]:
    """Documents verified in ``period`` (all time for None), as they stand."""
    return [Document.status == lifecycle.VERIFIED, *_within(Document.verified_at, period)]


# ---- the figures -------------------------------------------------------------------------------


def overview(ctx: Context, *, user: Actor, period: DateRange | None = None) -> DashboardStats:
    """The dashboard's figures for ``period`` (None: all time); see ``DashboardStats``."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.DASHBOARD)
        counts = dict.fromkeys(lifecycle.STATUSES, 0)
        statuses = select(Document.status, func.count()).where(*_within(Document.uploaded_at, period))
        for status, n in session.execute(statuses.group_by(Document.status)):
            counts[status] = int(n)
        per_reviewer_day = _per_reviewer_day(session, period)
        rate_rows = session.execute(_rates_query(period)).all()
        sums = _field_sums(session, period)
        durations = _claim_durations(session, period)
    per_day: dict[date, int] = defaultdict(int)
    for day, _, n in per_reviewer_day:
        per_day[day] += n
    every = [seconds for spans in durations.values() for seconds in spans]
    return DashboardStats(
        status_counts=counts,
        verified_per_day=sorted(per_day.items()),
        field_correction_rate=ordered_rates(ctx, rate_rows),
        median_review_seconds=statistics.median(every) if every else None,
        period=period,
        verified_per_reviewer_day=per_reviewer_day,
        flagged_corrected=(sum(s[2] for s in sums.values()), sum(s[1] for s in sums.values())),
        unflagged_corrected=(
            sum(s[4] for s in sums.values()),
            sum(s[0] - s[1] for s in sums.values()),
        ),
    )


def reviewer_figures(ctx: Context, *, user: Actor, period: DateRange | None = None) -> list[ReviewerFigures]:
    """Each reviewer's work in ``period`` (None: all time), by name; see ``ReviewerFigures``."""
    verified_q = (
        select(Document.verified_by, func.count()).where(*_verified(period)).group_by(Document.verified_by)
    )
    rejected_q = (
        select(AuditEvent.user, func.count(func.distinct(AuditEvent.document_id)))
        .where(AuditEvent.action == "reject", *_within(AuditEvent.at, period))
        .group_by(AuditEvent.user)
    )
    with ctx.read() as session:
        authorize(session, user, lifecycle.DASHBOARD)
        verified = {str(name): int(n) for name, n in session.execute(verified_q) if name}
        rejected = {str(name): int(n) for name, n in session.execute(rejected_q)}
        sums = _field_sums(session, period)
        durations = _claim_durations(session, period)
    figures = []
    for name in sorted(set(verified) | set(rejected)):
        counted = sums.get(name, (0, 0, 0, 0, 0))
        _, flagged, flagged_corrected, flagged_unchanged, unflagged_corrected = counted
        spans = durations.get(name, [])
        figures.append(
            ReviewerFigures(
                reviewer=name,
                verified=verified.get(name, 0),
                rejected=rejected.get(name, 0),
                fields_corrected=flagged_corrected + unflagged_corrected,
                flagged=flagged,
                flagged_unchanged=flagged_unchanged,
                median_claim_to_verify_seconds=statistics.median(spans) if spans else None,
            )
        )
    return figures


def reviewers_csv(ctx: Context, *, user: Actor, period: DateRange) -> bytes:
    """:func:`reviewer_figures` as CSV for Excel: UTF-8 with BOM, CRLF rows, a header row
    (``CSV_COLUMNS``), names a spreadsheet would run as a formula neutralised."""
    return figures_to_csv(reviewer_figures(ctx, user=user, period=period))


def figures_to_csv(figures: Iterable[ReviewerFigures]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in figures:
        share = f.flagged_unchanged_share
        seconds = f.median_claim_to_verify_seconds
        writer.writerow(
            [
                neutralize(f.reviewer),
                f.verified,
                f.rejected,
                f.fields_corrected,
                f.flagged,
                f.flagged_unchanged,
                "" if share is None else f"{share:.4f}",
                "" if seconds is None else f"{seconds:.0f}",
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def csv_file_name(period: DateRange) -> str:
    """The reviewers' CSV's file name: its period, so exports of different periods do not clash."""
    return f"medextract-reviewers-{period.first.isoformat()}-to-{period.last.isoformat()}.csv"


# ---- the queries -------------------------------------------------------------------------------


def _changed() -> ColumnElement[bool]:
    """A verified value that is not the engine's (outer whitespace aside, as verify compares)."""
    return func.trim(func.coalesce(FieldExtraction.value, "")) != VerifiedValue.value


def _per_reviewer_day(session: Session, period: DateRange | None) -> list[tuple[date, str, int]]:
    day = utc_day(Document.verified_at)
    query = (
        select(day, Document.verified_by, func.count())
        .where(*_verified(period))
        .group_by(day, Document.verified_by)
    )
    rows = [(date.fromisoformat(str(d)), str(name or ""), int(n)) for d, name, n in session.execute(query)]
    return sorted(rows)


def _rates_query(period: DateRange | None) -> Any:
    corrected = case((_changed(), 1), else_=0)
    return (
        select(Document.doc_type, VerifiedValue.field, func.sum(corrected), func.count())
        .join(VerifiedValue, VerifiedValue.document_id == Document.id)
        .outerjoin(
            FieldExtraction,
            and_(FieldExtraction.document_id == Document.id, FieldExtraction.field == VerifiedValue.field),
        )
        .where(*_verified(period))
        .group_by(Document.doc_type, VerifiedValue.field)
    )


def _field_sums(session: Session, period: DateRange | None) -> dict[str, tuple[int, int, int, int, int]]:
    """Per verifier: (fields, flagged, flagged corrected, flagged unchanged, unflagged corrected)."""
    flagged = FieldExtraction.needs_review.is_(True)
    changed = _changed()

    def count(condition: ColumnElement[bool]) -> Any:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    query = (
        select(
            Document.verified_by,
            func.count(),
            count(flagged),
            count(and_(flagged, changed)),
            count(and_(flagged, ~changed)),
            count(and_(~flagged, changed)),
        )
        .join(VerifiedValue, VerifiedValue.document_id == Document.id)
        .outerjoin(
            FieldExtraction,
            and_(FieldExtraction.document_id == Document.id, FieldExtraction.field == VerifiedValue.field),
        )
        .where(*_verified(period))
        .group_by(Document.verified_by)
    )
    return {
        str(name or ""): (int(n), int(f), int(fc), int(fu), int(uc))
        for name, n, f, fc, fu, uc in session.execute(query)
    }


def _claim_durations(session: Session, period: DateRange | None) -> dict[str, list[float]]:
    """Per verifier: seconds from their last claim of each document verified in ``period`` to its
    verify (one row per document: its last claim is the database's MAX, matched in a join)."""
    claimed = func.max(AuditEvent.at)
    query = (
        select(Document.verified_by, Document.verified_at, Document.review_started_at, claimed)
        .outerjoin(
            AuditEvent,
            and_(
                AuditEvent.document_id == Document.id,
                AuditEvent.user == Document.verified_by,
                AuditEvent.action.in_(CLAIMS),
                AuditEvent.at <= Document.verified_at,
            ),
        )
        .where(*_verified(period))
        .group_by(Document.id, Document.verified_by, Document.verified_at, Document.review_started_at)
    )
    spans: dict[str, list[float]] = defaultdict(list)
    for name, verified_at, started_at, claim_at in session.execute(query):
        start = claim_at or started_at
        if verified_at is not None and start is not None:
            spans[str(name or "")].append(max(0.0, (verified_at - start).total_seconds()))
    return dict(spans)


def ordered_rates(ctx: Context, rows: Sequence[Any]) -> list[FieldCorrectionRate]:
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
