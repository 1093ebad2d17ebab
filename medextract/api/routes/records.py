"""Verified records, as JSON or as the CSV the Records page exports (both audited as exports)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from medextract.api.auth import Ctx, User
from medextract.api.errors import ApiError, Problem
from medextract.api.params import document_type, moment
from medextract.api.schemas import RecordList
from medextract.export import records_table
from medextract.services import records
from medextract.services.context import Context
from medextract.views import VerifiedRecord

router = APIRouter(prefix="/v1", tags=["records"])
SINCE = "a date (from its start, UTC) or an ISO 8601 time"
UNTIL = "a date (to its end, UTC) or an ISO 8601 time"
PROVENANCE = "add each field's engine value, whether it was corrected, and its confidence"
PROBLEMS = {
    status: {"model": Problem, "content": {"application/problem+json": {}}} for status in (401, 403, 422)
}


class Filters:
    """The query both routes take: a type (required), a verification window, a reviewer."""

    def __init__(
        self,
        ctx: Ctx,
        type: Annotated[str, Query(description="the document type")],
        verified_since: Annotated[str | None, Query(description=SINCE)] = None,
        verified_until: Annotated[str | None, Query(description=UNTIL)] = None,
        reviewer: Annotated[str | None, Query(description="only this verifier's records")] = None,
        provenance: Annotated[bool, Query(description=PROVENANCE)] = False,
    ) -> None:
        checked = document_type(ctx, type)
        if checked is None:
            raise ApiError(422, "validation_error", "type is required.")
        self.doc_type = checked
        self.date_from: date | datetime | None = moment(verified_since, "verified_since")
        self.date_to: date | datetime | None = moment(verified_until, "verified_until")
        self.reviewer = reviewer.strip().lower() if reviewer and reviewer.strip() else None
        self.provenance = provenance


@router.get(
    "/records",
    response_model=RecordList,
    summary="Verified records of one type, with the CSV export's columns",
    responses=PROBLEMS,  # type: ignore[arg-type]
)
def list_records(user: User, filters: Annotated[Filters, Depends()], ctx: Ctx) -> RecordList:
    found = _export(ctx, filters, user, "json")
    fields = ctx.catalog.field_names(filters.doc_type)
    columns, rows = records_table(found, filters.doc_type, provenance=filters.provenance, fields=fields)
    return RecordList(doc_type=filters.doc_type, provenance=filters.provenance, columns=columns, records=rows)


@router.get(
    "/records.csv",
    summary="Verified records of one type as CSV (as the Records page downloads it)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **PROBLEMS},  # type: ignore[dict-item]
)
def records_csv(user: User, filters: Annotated[Filters, Depends()], ctx: Ctx) -> Response:
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
