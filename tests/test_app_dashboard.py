"""The Dashboard page in AppTest: the period, its counts, verified per reviewer per day, each
reviewer's figures and their CSV link, corrections per field with labels in full.

The services' clock is fixed (``context.utcnow`` patched before the app opens its Context), so
"today" and every period are known days.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from medextract.services import context as service_context
from medextract.services import review
from tests.app_support import app, fake_extract, open_context, seed, texts
from tests.test_store_support import FakeClock

DASHBOARD = "pages/dashboard.py"
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fixed = FakeClock(NOW)
    monkeypatch.setattr(service_context, "utcnow", fixed)
    return fixed


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> Any:
    return open_context(tmp_path, monkeypatch)


def verify(ctx: Any, doc_id: int, user: str, changes: dict[str, str] | None = None) -> None:
    doc = review.start_review(ctx, doc_id, user=user)
    values = {name: f.value for name, f in doc.fields.items()} | (changes or {})
    assert review.verify(ctx, doc_id, values, user=user, expected_version=doc.version).ok


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table(at: AppTest, column: str) -> Any:
    """The one table with ``column`` (AppTest gives a dataframe no key to find it by)."""
    [found] = [d.value for d in at.dataframe if column in d.value.columns]
    return found


def charts(at: AppTest) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Each Altair chart's Vega-Lite spec and its rows (Streamlit sends the data as Arrow)."""
    found = []
    for chart in at.get("vega_lite_chart"):
        rows = [
            row
            for named in chart.proto.datasets
            for row in pa.ipc.open_stream(named.data.data).read_all().to_pylist()
        ]
        found.append((json.loads(chart.proto.spec), rows))
    return found


def csv_link(at: AppTest) -> Any:
    [button] = [b for b in at.get("link_button") if b.proto.label == "Download CSV"]
    return button.proto


def seed_fortnight(ctx: Any, clock: FakeClock) -> None:
    """ana verified one on March 8 (outside the last 7 days); bob one today, correcting refills."""
    clock.now = datetime(2026, 3, 8, 10, 0, tzinfo=UTC)
    [old] = seed(ctx, 1, name="old")
    verify(ctx, old, "ana")
    clock.now = NOW
    [new, _] = seed(ctx, 2, name="new")
    verify(ctx, new, "bob", {"refills": "4"})
    seed(ctx, 1, name="bad", extract_fn=fake_extract(fail="unreadable"))


def test_empty_dashboard(ctx: Any) -> None:
    at = app(DASHBOARD)
    assert metrics(at)["Verified"] == "0"
    assert metrics(at)["Median review time"] == "—"
    assert metrics(at)["Unflagged fields corrected"] == "—"
    said = texts(at)
    assert "2026-03-14 to 2026-03-20 (7 days, UTC)" in said
    assert "Nothing verified in this period." in said
    assert "Nobody verified or rejected a document in this period." in said
    assert csv_link(at).disabled


def test_the_default_week(ctx: Any, clock: FakeClock) -> None:
    seed_fortnight(ctx, clock)
    at = app(DASHBOARD)
    assert at.radio(key="dashboard_period").value == "7 days"
    shown = metrics(at)
    assert (shown["Verified"], shown["Waiting for review"], shown["Failed"]) == ("1", "1", "1")
    assert shown["Unflagged fields corrected"] == "14% (1 of 7)"

    reviewers = table(at, "reviewer")
    assert list(reviewers["reviewer"]) == ["bob"]  # ana's verify was 12 days ago
    assert list(reviewers["verified"]) == [1] and list(reviewers["fields corrected"]) == [1]
    corrections = table(at, "correction rate")
    assert {"type", "field", "corrected", "verified", "correction rate"} <= set(corrections.columns)
    assert list(corrections[corrections["field"] == "refills"]["corrected"]) == [1]

    link = urlsplit(csv_link(at).url)
    assert link.path == "/_medextract/reviewers.csv" and not csv_link(at).disabled
    assert parse_qs(link.query) == {"from": ["2026-03-14"], "to": ["2026-03-20"]}


def test_charts_keep_their_labels_whole(ctx: Any, clock: FakeClock) -> None:
    seed_fortnight(ctx, clock)
    at = app(DASHBOARD)
    (per_day, _), (corrections, rows) = charts(at)

    assert per_day["encoding"]["x"]["scale"]["domain"] == [f"Mar {d}" for d in range(14, 21)]
    assert per_day["encoding"]["color"]["legend"]["labelLimit"] == 0
    bars = corrections["encoding"]["y"]
    assert bars["field"] == "label" and bars["axis"]["labelLimit"] == 0  # horizontal, never cut
    assert [row["label"] for row in rows] == ["Prescription · Refills"]  # the type's title in full


def test_switching_the_period(ctx: Any, clock: FakeClock) -> None:
    seed_fortnight(ctx, clock)
    at = app(DASHBOARD)

    at.radio(key="dashboard_period").set_value("30 days").run()
    assert list(table(at, "reviewer")["reviewer"]) == ["ana", "bob"]
    assert metrics(at)["Verified"] == "2"
    assert "2026-02-19 to 2026-03-20 (30 days, UTC)" in texts(at)

    at.radio(key="dashboard_period").set_value("custom").run()
    at.date_input(key="dashboard_dates").set_value((date(2026, 3, 1), date(2026, 3, 10))).run()
    assert not at.exception
    assert list(table(at, "reviewer")["reviewer"]) == ["ana"]
    assert parse_qs(urlsplit(csv_link(at).url).query) == {"from": ["2026-03-01"], "to": ["2026-03-10"]}

    at.radio(key="dashboard_period").set_value("today").run()
    assert "2026-03-20 (UTC)" in texts(at)
    assert list(table(at, "reviewer")["reviewer"]) == ["bob"]


def test_a_long_type_title_and_field_label_are_kept_whole() -> None:
    from app import dashboard_charts, ui_state
    from medextract.views import FieldCorrectionRate

    rates = [
        FieldCorrectionRate("patient_details", "birth_date", 2, 8, 0.25),
        FieldCorrectionRate("patient_details", "phone_number", 0, 8, 0.0),
    ]
    frame = dashboard_charts.correction_rows(rates, ui_state.doc_type_label, lambda t, f: f"Label of {f}")
    chart = dashboard_charts.corrections_chart(frame).to_dict()  # the corrected fields only
    [rows] = chart["datasets"].values()
    assert [row["label"] for row in rows] == ["Patient medical record · Label of birth_date"]
    assert chart["encoding"]["y"]["axis"]["labelLimit"] == 0
    assert chart["height"] == {"step": dashboard_charts.ROW_PX}  # a row per field
