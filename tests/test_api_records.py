"""Verified records over HTTP: the CSV export's columns and provenance as JSON, the CSV itself."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import event, update

from medextract.models import VerifiedValue
from medextract.services import audit, records
from medextract.services.context import Context
from tests.api_support import Api, fake_extract, serve, verified
from tests.test_store_support import SYSTEM, FakeClock


@pytest.fixture
def api(ctx: Context) -> Iterator[Api]:
    with serve(ctx, extract_fn=fake_extract()) as client:
        yield client


def exports(ctx: Context) -> list[dict[str, object]]:
    return [json.loads(e.detail) for e in reversed(audit.audit_log(ctx, user=SYSTEM)) if e.action == "export"]


def test_records_as_json_have_the_csvs_columns_and_values(api: Api, ctx: Context) -> None:
    first, second = verified(ctx, "a.png", "b.png", values={"medicines": "=1+1", "refills": "3"})
    for provenance in (False, True):
        params = {"type": "prescription", "provenance": str(provenance).lower()}
        body = api.get("/v1/records", params=params, headers=api.as_("sue")).json()
        csv_rows = list(
            csv.reader(
                io.StringIO(
                    records.export_csv(ctx, "prescription", user="sue", provenance=provenance).decode(
                        "utf-8-sig"
                    )
                )
            )
        )
        assert body["columns"] == csv_rows[0]
        assert [list(row) for row in body["records"]] == [body["columns"]] * 2
        assert [r["document_id"] for r in body["records"]] == [first, second]
        row = body["records"][0]
        assert row["medicines"] == "=1+1"  # JSON is no spreadsheet: values as verified
        assert csv_rows[1][csv_rows[0].index("medicines")] == "'=1+1"  # the CSV neutralises formulas
        assert row["verified_by"] == "uma" and row["file_name"] == "a.png"
        if provenance:
            assert (row["refills__engine_value"], row["refills__corrected"]) == ("2", "yes")
            assert row["patient_name__corrected"] == "no" and row["patient_name__confidence"] == 0.95
    assert [(e["format"], e["records"], e["document_ids"]) for e in exports(ctx) if "format" in e] == [
        ("json", 2, [first, second]),
        ("json", 2, [first, second]),
    ]


def test_records_csv_is_the_records_pages_export(api: Api, ctx: Context) -> None:
    verified(ctx, "a.png")
    answer = api.get(
        "/v1/records.csv", params={"type": "prescription", "provenance": "true"}, headers=api.as_("ada")
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="prescription_records.csv"'
    assert answer.content == records.export_csv(ctx, "prescription", user="ada", provenance=True)
    assert answer.content.startswith(b"\xef\xbb\xbf") and b"\r\n" in answer.content
    assert [e["records"] for e in exports(ctx)] == [1, 1]  # both exports audited


def test_records_filter_by_verification_time_and_reviewer(api: Api, ctx: Context, clock: FakeClock) -> None:
    [early] = verified(ctx, "a.png")
    clock.advance(days=2)
    [late] = verified(ctx, "b.png", by="vic")

    def ids(**params: str) -> list[int]:
        answer = api.get("/v1/records", params={"type": "prescription", **params}, headers=api.as_("sue"))
        assert answer.status_code == 200, answer.text
        return [r["document_id"] for r in answer.json()["records"]]

    assert ids() == [early, late]
    assert ids(verified_since=clock().date().isoformat()) == [late]
    assert ids(verified_since=clock().isoformat()) == [late]
    assert ids(verified_until=(clock().date().replace(day=clock().day - 1)).isoformat()) == [early]
    assert ids(verified_since=clock().replace(tzinfo=None).isoformat() + "Z") == [late]
    assert ids(reviewer="VIC") == [late]
    assert (
        api.get("/v1/records", params={"type": "patient_details"}, headers=api.as_("sue")).json()["records"]
        == []
    )

    for params, code in [
        ({"type": "invoice"}, "unknown_document_type"),
        ({"type": "prescription", "verified_since": "last week"}, "validation_error"),
        ({}, "validation_error"),
    ]:
        answer = api.get("/v1/records", params=params, headers=api.as_("sue"))
        assert (answer.status_code, answer.json()["code"]) == (422, code), params


def test_a_records_call_costs_the_same_statements_for_one_record_or_many(api: Api, ctx: Context) -> None:
    """No statement per record (issue 12: a claims system polls this): the token, the account, the
    documents, their values, and one audit event with its document links, whatever the count."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, sql: str, *_: object) -> None:
        statements.append(sql.split()[0].upper())

    def one_call() -> list[str]:
        statements.clear()
        answer = api.get("/v1/records", params={"type": "prescription"}, headers=api.as_("sue"))
        assert answer.status_code == 200, answer.text
        return [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")]

    [first] = verified(ctx, "a.png")
    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        api.get("/v1/records", params={"type": "prescription"}, headers=api.as_("sue"))  # token touched
        few = one_call()
        many = verified(ctx, *(f"{n}.png" for n in range(6)))
        assert one_call() == few
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    assert few.count("SELECT") == 4 and few.count("INSERT") == 2
    for doc_id in (first, *many):  # each document's history still names the export
        entries = audit.history(ctx, doc_id, user="sue")
        assert [e.action for e in entries].count("export") >= 1


def verified_as(ctx: Context, doc_id: int, field: str, value: str) -> None:
    """The verified value of ``field`` as a clerk typed it from the page (the fake catalog's own
    validation only takes ISO dates, so a printed form is put in place directly)."""
    with ctx.write.begin() as session:
        session.execute(
            update(VerifiedValue)
            .where(VerifiedValue.document_id == doc_id, VerifiedValue.field == field)
            .values(value=value)
        )


def test_records_have_normalised_dates_beside_the_verified_ones(
    api: Api, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MEDEXTRACT_DATE_ORDER", raising=False)
    printed, either_way = verified(ctx, "a.png", "b.png")
    verified_as(ctx, printed, "prescription_date", "17/12/2020")
    verified_as(ctx, either_way, "prescription_date", "5/11/2022")
    params = {"type": "prescription", "provenance": "true"}

    body = api.get("/v1/records", params=params, headers=api.as_("sue")).json()
    at = body["columns"].index("prescription_date")
    assert body["columns"][at : at + 3] == [
        "prescription_date",
        "prescription_date__normalised",
        "prescription_date__normalised_note",
    ]
    first, second = body["records"]
    assert (first["prescription_date"], first["prescription_date__normalised"]) == (
        "17/12/2020",
        "2020-12-17",
    )
    assert (second["prescription_date"], second["prescription_date__normalised"]) == ("5/11/2022", "")
    assert "either way round" in second["prescription_date__normalised_note"]
    assert "patient_name__normalised" not in body["columns"]  # only dates and phones

    monkeypatch.setenv("MEDEXTRACT_DATE_ORDER", "DMY")  # the deployment's order decides
    plain = api.get("/v1/records", params={"type": "prescription"}, headers=api.as_("sue")).json()
    assert "prescription_date__normalised_note" not in plain["columns"]  # a provenance column
    assert [r["prescription_date__normalised"] for r in plain["records"]] == ["2020-12-17", "2022-11-05"]
    answer = api.get("/v1/records.csv", params={"type": "prescription"}, headers=api.as_("sue"))
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [(r["prescription_date"], r["prescription_date__normalised"]) for r in rows] == [
        ("17/12/2020", "2020-12-17"),
        ("5/11/2022", "2022-11-05"),
    ]
    assert list(rows[0]) == plain["columns"]
