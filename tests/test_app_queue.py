"""The Queue page in AppTest: counts per status, filters, Review next, Extract again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from medextract.services import documents
from tests.app_support import app, fake_extract, open_context, seed, texts

QUEUE = "pages/queue.py"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def metrics(at: Any) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_counts_per_status_and_the_table_oldest_first(ctx: Any) -> None:
    first, second = seed(ctx, 2)
    seed(ctx, 1, name="broken", extract_fn=fake_extract(fail="unreadable scan"))
    at = app(QUEUE)
    counts = metrics(at)
    assert counts["Waiting for review"] == "2"
    assert counts["Failed"] == "1"
    assert counts["Verified"] == "0"
    table = at.dataframe[0].value
    assert list(table["id"]) == [first, second, 3]
    assert list(table["status"]) == ["Waiting for review", "Waiting for review", "Failed"]
    assert table["error"].iloc[2] == "unreadable scan"


def test_filters_by_status_and_type(ctx: Any) -> None:
    seed(ctx, 2)
    seed(ctx, 1, name="rec", extract_fn=fake_extract(doc_type="patient_details", values={}))
    at = app(QUEUE)
    at.selectbox(key="queue_type").select("patient_details").run()
    assert list(at.dataframe[0].value["type"]) == ["Patient medical record"]
    at.selectbox(key="queue_type").select("all").run()
    at.multiselect(key="queue_statuses").set_value(["verified"]).run()
    assert "No documents match" in texts(at)


def test_review_next_opens_the_oldest_waiting_document(ctx: Any) -> None:
    first, _ = seed(ctx, 2)
    at = app(QUEUE)
    at.button(key="queue_review_next").click().run()
    assert not at.exception
    assert at.session_state["review_doc_id"] == first
    assert f"Review #{first}" in texts(at)


def test_review_next_with_an_empty_queue_says_so(ctx: Any) -> None:
    at = app(QUEUE)
    at.button(key="queue_review_next").click().run()
    assert "Nothing is waiting for review." in texts(at)


def test_a_failed_document_can_be_extracted_again(ctx: Any) -> None:
    [doc_id] = seed(ctx, 1, extract_fn=fake_extract(fail="tesseract timed out"))
    at = app(QUEUE)
    at.selectbox(key="queue_pick").select(doc_id).run()
    at.button(key="queue_retry").click().run()
    assert not at.exception
    assert documents.get(ctx, doc_id, user="uma").status == "queued"


def test_open_a_chosen_document(ctx: Any) -> None:
    _, second = seed(ctx, 2)
    at = app(QUEUE)
    at.selectbox(key="queue_pick").select(second).run()
    at.button(key="queue_open").click().run()
    assert at.session_state["review_doc_id"] == second


def test_the_filters_live_in_the_url(ctx: Any) -> None:
    seed(ctx, 1)
    seed(ctx, 1, name="rec", extract_fn=fake_extract(doc_type="patient_details", values={}))
    at = app(QUEUE)
    at.selectbox(key="queue_type").select("patient_details").run()
    assert at.query_params["type"] == "patient_details"
    # A link with filters opens the queue filtered that way.
    linked = app(QUEUE, role="admin")
    linked.query_params["status"] = "verified"
    linked.query_params["type"] = "prescription"
    linked.run()
    assert linked.multiselect(key="queue_statuses").value == ["verified"]
    assert linked.selectbox(key="queue_type").value == "prescription"
    assert "No documents match" in texts(linked)
