"""The Dashboard page in AppTest: counts per status, verified per day, corrections, review time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medextract.services import review
from tests.app_support import app, fake_extract, open_context, seed, texts

DASHBOARD = "pages/dashboard.py"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def test_empty_dashboard(ctx: Any) -> None:
    at = app(DASHBOARD)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Verified"] == "0"
    assert metrics["Median review time"] == "—"
    assert "Nothing verified yet." in texts(at)


def test_dashboard_counts_and_corrections(ctx: Any) -> None:
    first, _ = seed(ctx, 2)
    seed(ctx, 1, name="bad", extract_fn=fake_extract(fail="unreadable"))
    doc = review.start_review(ctx, first, user="ana")
    values = {name: f.value for name, f in doc.fields.items()} | {"refills": "4"}
    assert review.verify(ctx, first, values, user="ana", expected_version=doc.version).ok
    at = app(DASHBOARD)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Verified"] == "1"
    assert metrics["Waiting for review"] == "1"
    assert metrics["Failed"] == "1"
    assert metrics["Median review time"] != "—"
    corrections = at.dataframe[0].value
    assert {"type", "field", "corrected", "verified", "correction rate"} <= set(corrections.columns)
    refills = corrections[corrections["field"] == "refills"]
    assert list(refills["corrected"]) == [1]
