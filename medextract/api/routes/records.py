"""Verified records, as JSON or as the CSV the Records page exports (both audited as exports)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from medextract.api.auth import Ctx, User
from medextract.api.errors import ApiError, problem_responses
from medextract.api.params import document_type, moment
from medextract.api.schemas import RecordList
from medextract.catalog import field_kinds
from medextract.export import records_table
from medextract.services import records
from medextract.services.context import Context
from medextract.views import VerifiedRecord

router = APIRouter(prefix="/v1", tags=["records"])
SINCE = "a date (from its start, UTC) or an ISO 8601 time"
UNTIL = "a date (to its end, UTC) or an ISO 8601 time"
PROVENANCE = (
    "add each field's engine value, whether it was corrected, and its confidence, and why a date "
    "or phone has no normalised form"
)
PROBLEMS = problem_responses(401, 403, 422)


@dataclass(frozen=True)
class Filters:
    """The query both routes take: a type (required), a verification window, a reviewer."""

    doc_type: str
    date_from: date | datetime | None
    date_to: date | datetime | None
    reviewer: str | None
    provenance: bool


async def record_filters(
    ctx: Ctx,
    type: Annotated[str, Query(description="the document type")],
    verified_since: Annotated[str | None, Query(description=SINCE)] = None,
    verified_until: Annotated[str | None, Query(description=UNTIL)] = None,
    reviewer: Annotated[str | None, Query(description="only this verifier's records")] = None,
    provenance: Annotated[bool, Query(description=PROVENANCE)] = False,
) -> Filters:
    """The query checked (422 problems). ``async`` though it does no I/O: FastAPI would otherwise
    run it in a worker thread, and the hop there and back costs more than the parsing."""
    checked = document_type(ctx, type)
    if checked is None:
        raise ApiError(422, "validation_error", "type is required.")
    return Filters(
        doc_type=checked,
        date_from=moment(verified_since, "verified_since"),
        date_to=moment(verified_until, "verified_until"),
        reviewer=reviewer.strip().lower() if reviewer and reviewer.strip() else None,
        provenance=provenance,
    )


RecordFilters = Annotated[Filters, Depends(record_filters)]


@router.get(
    "/records",
    response_model=RecordList,
    summary="Verified records of one type, with the CSV export's columns",
    description=(
        "Values exactly as verified; each date and phone field also has `<field>__normalised` "
        "(YYYY-MM-DD, E.164), empty when it has no sure reading: an either-way day and month "
        "without MEDEXTRACT_DATE_ORDER, a two-digit year, a number without its area code."
    ),
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def list_records(user: User, filters: RecordFilters, ctx: Ctx) -> RecordList:
    found = _export(ctx, filters, user, "json")
    fields = ctx.catalog.field_names(filters.doc_type)
    kinds = field_kinds(ctx.catalog, filters.doc_type, fields)
    columns, rows = records_table(
        found, filters.doc_type, provenance=filters.provenance, fields=fields, kinds=kinds
    )
    return RecordList(doc_type=filters.doc_type, provenance=filters.provenance, columns=columns, records=rows)


@router.get(
    "/records.csv",
    summary="Verified records of one type as CSV (as the Records page downloads it)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **PROBLEMS},  # type: ignore[dict-item]
)
def records_csv(user: User, filters: RecordFilters, ctx: Ctx) -> Response:
    data = records.export_csv(
        ctx,
        filters.doc_type,
        user=user,
        provenance=filters.provenance,
        date_from=filters.date_from,
        date_to=filters.date_to,
        reviewer=filters.reviewer,
    )
    disposition = f'attachment; filename="{filters.doc_type}_records.csv"'
    return Response(data, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": disposition})


def _export(ctx: Context, filters: Filters, user: str, channel: str) -> list[VerifiedRecord]:
    return records.export_records(
        ctx,
        filters.doc_type,
        user=user,
        provenance=filters.provenance,
        date_from=filters.date_from,
        date_to=filters.date_to,
        reviewer=filters.reviewer,
        channel=channel,
    )
