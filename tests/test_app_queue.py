"""The Queue page in AppTest: counts per status, filters, search, a click on a row, Review next, and
a supervisor's bulk actions."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from app import downloads, queue_view
from medextract.services import documents, review
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
    at.pills(key="queue_statuses").set_value(["verified"]).run()
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


def click_row(at: Any, ids: list[int], row: int) -> None:
    """What a click on a cell of row ``row`` sends: a one-cell selection of the table drawn for ``ids``."""
    key = queue_view.table_key(ids, at.session_state.get("queue_table_round", 0))
    at.session_state[key] = {"selection": {"rows": [], "columns": [], "cells": [[row, "file"]]}}
    at.run()


def tick_rows(at: Any, ids: list[int], rows: list[int]) -> None:
    """What ticking rows sends: a row selection of the table drawn for ``ids``."""
    key = queue_view.table_key(ids, at.session_state.get("queue_table_round", 0))
    at.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.run()


def test_a_click_on_a_row_opens_its_document(ctx: Any) -> None:
    first, second = seed(ctx, 2)
    at = app(QUEUE, user="uma", role="clerk")
    click_row(at, [first, second], 1)
    assert not at.exception
    assert at.session_state["review_doc_id"] == second
    assert f"Review #{second}" in texts(at)


def test_a_failed_document_opens_where_it_can_be_extracted_again(ctx: Any) -> None:
    [doc_id] = seed(ctx, 1, extract_fn=fake_extract(fail="tesseract timed out"))
    at = app(QUEUE, user="uma", role="clerk")
    click_row(at, [doc_id], 0)
    assert at.session_state["review_doc_id"] == doc_id
    assert "Extraction failed: tesseract timed out" in texts(at)


def test_the_search_box_filters_by_patient_file_or_id_and_lives_in_the_url(ctx: Any) -> None:
    first, second = seed(ctx, 2)
    [record] = seed(
        ctx,
        1,
        name="intake",
        extract_fn=fake_extract({"patient_name": "Émile Zola"}, doc_type="patient_details"),
    )
    at = app(QUEUE)
    at.text_input(key="queue_search").input("émile").run()
    assert list(at.dataframe[0].value["id"]) == [record]
    assert list(at.dataframe[0].value["patient"]) == ["Émile Zola"]
    at.text_input(key="queue_search").input("RX_1").run()
    assert list(at.dataframe[0].value["id"]) == [second]
    at.text_input(key="queue_search").input(f"#{first}").run()
    assert list(at.dataframe[0].value["id"]) == [first]
    at.text_input(key="queue_search").input("nobody").run()
    assert "No documents match this search." in texts(at)
    assert at.query_params["q"] == "nobody"
    # A link with a search opens the queue searched.
    linked = app(QUEUE, role="admin")
    linked.query_params["q"] = "smith"
    linked.run()
    assert linked.text_input(key="queue_search").value == "smith"
    assert list(linked.dataframe[0].value["id"]) == [first, second]


def test_every_time_in_the_table_has_one_format(ctx: Any) -> None:
    first, _ = seed(ctx, 2)
    claimed = review.start_review(ctx, first, user="uma").claimed_at
    at = app(QUEUE)
    table = at.dataframe[0].value
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", t) for t in table["uploaded"])
    assert list(table["claimed by"]) == ["uma", ""]
    assert list(table["claimed"]) == [f"{claimed:%Y-%m-%d %H:%M} UTC", ""]


def test_a_clerk_gets_no_bulk_actions(ctx: Any) -> None:
    seed(ctx, 2)
    at = app(QUEUE, user="uma", role="clerk")
    assert not [b for b in at.button if b.key == "queue_bulk_apply"]
    assert "Tick rows" not in texts(at)


def test_a_supervisor_rejects_ticked_rows_in_one_action_and_hears_of_each_refusal(ctx: Any) -> None:
    first, held, third = seed(ctx, 3)
    review.start_review(ctx, held, user="vic")
    at = app(QUEUE, user="sue", role="supervisor")
    tick_rows(at, [first, held, third], [0, 1])
    assert "2 selected: #1 rx\\_0\\.png, #2 rx\\_1\\.png" in texts(at)
    at.selectbox(key="queue_bulk_action").select("reject").run()
    at.button(key="queue_bulk_apply").click().run()  # no reason yet: nothing done, nothing lost
    assert "Say why the documents are rejected" in texts(at)
    assert documents.get(ctx, first, user="sue").status == "extracted"
    at.text_input(key="queue_bulk_reason").input("Duplicate scan").run()
    at.button(key="queue_bulk_apply").click().run()
    assert not at.exception
    assert "Reject: 1 of 2 documents done." in [w.value for w in at.warning]
    assert "vic is reviewing it" in texts(at)
    assert documents.get(ctx, first, user="sue").status == "rejected"
    assert documents.get(ctx, held, user="sue").status == "in_review"
    # Rejected is not an open status: the table shows the two others, none of them ticked.
    assert list(at.dataframe[0].value["id"]) == [held, third]
    assert at.button(key="queue_bulk_apply").disabled


def test_a_supervisor_extracts_ticked_rows_again_as_another_type(ctx: Any) -> None:
    first, second = seed(ctx, 2)
    at = app(QUEUE, user="sue", role="supervisor")
    tick_rows(at, [first, second], [1])
    at.selectbox(key="queue_bulk_action").select("set_type").run()
    at.selectbox(key="queue_bulk_type").select("patient_details").run()
    at.button(key="queue_bulk_apply").click().run()
    assert "Set type and extract again: 1 of 1 documents done." in [s.value for s in at.success]
    stored = documents.get(ctx, second, user="sue")
    assert (stored.status, stored.forced_type) == ("queued", "patient_details")


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
    assert linked.pills(key="queue_statuses").value == ["verified"]
    assert linked.selectbox(key="queue_type").value == "prescription"
    assert "No documents match" in texts(linked)


def test_the_queue_pages_and_the_page_lives_in_the_url(ctx: Any) -> None:
    ids = seed(ctx, 27)
    at = app(QUEUE)
    assert list(at.dataframe[0].value["id"]) == ids  # 50 to a page by default
    assert "1–27 of 27 documents" in texts(at)
    at.selectbox(key="queue_page_size").select(25).run()
    assert list(at.dataframe[0].value["id"]) == ids[:25]
    assert at.query_params["size"] == "25" and "page" not in at.query_params
    at.number_input(key="queue_page").set_value(2).run()
    assert list(at.dataframe[0].value["id"]) == ids[25:]
    assert "26–27 of 27 documents" in texts(at)
    assert at.query_params["page"] == "2"
    # A new search starts on its first page.
    at.text_input(key="queue_search").input("rx_2").run()  # rx_2, rx_20 ... rx_26
    assert list(at.dataframe[0].value["id"]) == [ids[2], *ids[20:27]]
    assert at.number_input(key="queue_page").value == 1 and "page" not in at.query_params
    # A link to a page opens that page, a page past the last shows the last.
    linked = app(QUEUE, role="admin")
    linked.query_params["page"] = "2"
    linked.query_params["size"] = "25"
    linked.run()
    assert list(linked.dataframe[0].value["id"]) == ids[25:]
    past = app(QUEUE, role="admin")
    past.query_params["page"] = "9"
    past.query_params["size"] = "25"
    past.run()
    assert list(past.dataframe[0].value["id"]) == ids[25:]
    assert past.number_input(key="queue_page").value == 2


def test_a_supervisor_gives_ticked_rows_to_a_reviewer_who_finds_them_first(ctx: Any) -> None:
    first, second, third = seed(ctx, 3)
    at = app(QUEUE, user="sue", role="supervisor")
    tick_rows(at, [first, second, third], [1, 2])
    at.selectbox(key="queue_bulk_action").select("reassign").run()
    at.button(key="queue_bulk_apply").click().run()  # nobody chosen: nothing done
    assert "Choose the reviewer" in texts(at)
    assert documents.get(ctx, second, user="sue").claimed_by is None
    assert "vic" in at.selectbox(key="queue_bulk_assignee").options
    at.selectbox(key="queue_bulk_assignee").select("vic").run()
    at.button(key="queue_bulk_apply").click().run()
    assert not at.exception
    assert "Assign to a reviewer: 2 of 2 documents done." in [s.value for s in at.success]
    assert list(at.dataframe[0].value["claimed by"]) == ["", "vic", "vic"]
    # vic is told, and Review next opens them before the older document nobody holds.
    theirs = app(QUEUE, user="vic", role="clerk")
    assert "2 documents are waiting for you" in texts(theirs)
    theirs.button(key="queue_review_next").click().run()
    assert theirs.session_state["review_doc_id"] == second


def test_a_supervisor_exports_the_ticked_rows_that_are_verified(ctx: Any) -> None:
    first, second, third = seed(ctx, 3)
    for doc_id in (first, third):
        view = review.start_review(ctx, doc_id, user="uma")
        assert review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version).ok
    at = app(QUEUE, user="sue", role="supervisor")
    at.pills(key="queue_statuses").set_value([]).run()  # every status
    at.selectbox(key="queue_bulk_action").select("export").run()
    assert "Tick verified documents" in texts(at)
    assert not [b for b in at.button if b.key == "queue_bulk_apply"]  # a download, not a change
    tick_rows(at, [first, second, third], [0, 1, 2])
    [link] = at.get("link_button")
    assert link.proto.label == "Download 2 Prescription record(s)"
    assert link.proto.url == downloads.export_url("prescription", document_ids=[first, third])
    assert f"Not verified, so no record to export: #{second} rx\\_1\\.png (waiting for review)" in texts(at)
    tick_rows(at, [first, second, third], [1])
    assert "None of the selected documents is verified" in texts(at)
    assert not at.get("link_button")
