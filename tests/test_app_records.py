"""The Records & export page in AppTest: the table, its filters, and the CSV it hands out.

AppTest cannot read a download button's bytes, so the page's call of export.records_to_csv is
recorded and checked; the CSV format itself is the storage layer's tests' business.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from medextract.services import review
from tests.app_support import app, open_context, seed, texts

RECORDS = "pages/records.py"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def verify(ctx: Any, doc_id: int, user: str, **changes: str) -> None:
    doc = review.start_review(ctx, doc_id, user=user)
    values = {name: f.value for name, f in doc.fields.items()} | changes
    result = review.verify(ctx, doc_id, values, user=user, expected_version=doc.version)
    assert result.ok, (result.message, result.errors)


@pytest.fixture
def verified(ctx: Any) -> list[int]:
    first, second, _waiting = seed(ctx, 3)
    verify(ctx, first, "ana", patient_name="Ann Other")
    verify(ctx, second, "bob")
    return [first, second]


@pytest.fixture
def csv_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Records every call of export.records_to_csv the page makes, passing it through."""
    from medextract import export

    calls: list[dict[str, Any]] = []
    real = export.records_to_csv

    def spy(records: Any, doc_type: str, *, provenance: bool) -> bytes:
        calls.append(
            {"ids": [r.document_id for r in records], "doc_type": doc_type, "provenance": provenance}
        )
        return real(records, doc_type, provenance=provenance)

    monkeypatch.setattr(export, "records_to_csv", spy)
    return calls


def test_verified_records_are_listed_and_offered_as_csv(
    ctx: Any, verified: list[int], csv_calls: list[dict[str, Any]]
) -> None:
    at = app(RECORDS)
    at.selectbox(key="records_type").select("prescription").run()
    table = at.dataframe[0].value
    assert list(table["document_id"]) == verified
    assert "Ann Other" in set(table["patient_name"])
    assert not any(column.endswith("__engine_value") for column in table.columns)
    link = at.get("link_button")[0]
    assert "Download CSV" in str(link.proto.label)
    # The app's own route, bound to the signed-in browser (app.downloads): no /media/ URL, no data.
    assert link.proto.url == "/_medextract/export.csv?type=prescription"
    assert not at.get("download_button") and csv_calls == []


def test_provenance_checkbox_adds_the_columns_to_table_and_csv(
    ctx: Any, verified: list[int], csv_calls: list[dict[str, Any]]
) -> None:
    at = app(RECORDS)
    at.selectbox(key="records_type").select("prescription").run()
    at.checkbox(key="records_provenance").check().run()
    assert "patient_name__engine_value" in at.dataframe[0].value.columns
    assert at.get("link_button")[0].proto.url == "/_medextract/export.csv?type=prescription&provenance=1"


def test_reviewer_and_date_filters(ctx: Any, verified: list[int], csv_calls: list[dict[str, Any]]) -> None:
    at = app(RECORDS)
    at.selectbox(key="records_type").select("prescription").run()
    assert at.selectbox(key="records_reviewer").options == ["Anyone", "ana", "bob"]
    at.selectbox(key="records_reviewer").select("bob").run()
    assert list(at.dataframe[0].value["document_id"]) == [verified[1]]
    assert at.get("link_button")[0].proto.url.endswith("&reviewer=bob")
    at.selectbox(key="records_reviewer").select("Anyone").run()
    past = date.today() - timedelta(days=30)
    at.date_input(key="records_dates").set_value((past, past + timedelta(days=1))).run()
    assert "No verified records match" in texts(at)
    assert (
        f"&from={past.isoformat()}&to={(past + timedelta(days=1)).isoformat()}"
        in at.get("link_button")[0].proto.url
    )


def test_no_records_of_a_type(ctx: Any, verified: list[int]) -> None:
    at = app(RECORDS)
    at.selectbox(key="records_type").select("patient_details").run()
    assert "No verified records match" in texts(at)
    assert at.get("link_button")[0].proto.disabled
