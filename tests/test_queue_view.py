"""The Queue page's logic, without Streamlit: its rows, what a click means, what bulk reports."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from app import queue_view, ui_state
from medextract.services.bulk import Outcome
from medextract.services.queue import QueueItem
from medextract.views import DocumentSummary

T = datetime(2026, 3, 14, 9, 5, 59, tzinfo=UTC)


def summary(doc_id: int, **kw: object) -> DocumentSummary:
    fields: dict[str, object] = {
        "filename": "scan\u202egnp.pdf",
        "status": "in_review",
        "doc_type": "prescription",
        "uploaded_at": T,
        "uploader": "seed",
        "pages": 1,
        "error": None,
        "flagged_fields": 2,
        "claimed_by": None,
    }
    return DocumentSummary(id=doc_id, **(fields | kw))  # type: ignore[arg-type]


def test_format_time_is_one_format_in_utc() -> None:
    assert ui_state.format_time(T) == "2026-03-14 09:05 UTC"
    assert ui_state.format_time(None) == ""


def test_rows_show_the_patient_the_claim_and_every_time_alike() -> None:
    rows = queue_view.queue_rows(
        [
            QueueItem(summary(7, claimed_by="ana", claimed_at=T), "John\u200b Smith"),
            QueueItem(summary(8, doc_type=None), ""),
        ]
    )
    assert list(rows[0]) == list(queue_view.COLUMNS)
    assert rows[0]["file"] == "scangnp.pdf"  # no bidirectional control reaches the screen
    assert rows[0]["patient"] == "John Smith"
    assert (rows[0]["claimed by"], rows[0]["claimed"], rows[0]["uploaded"]) == (
        "ana",
        "2026-03-14 09:05 UTC",
        "2026-03-14 09:05 UTC",
    )
    assert (rows[1]["type"], rows[1]["claimed by"], rows[1]["claimed"]) == ("Unknown", "", "")


def test_a_click_is_the_row_of_the_table_as_drawn() -> None:
    rows, cells = queue_view.selection_of({"selection": {"rows": [2, 0], "cells": [[1, "file"]]}})
    assert (rows, cells) == ([2, 0], [[1, "file"]])
    assert queue_view.clicked_document(cells, [10, 11, 12]) == 11
    assert queue_view.clicked_document([[5, "file"]], [10, 11]) is None  # a row no longer there
    assert queue_view.ticked_documents(rows, [10, 11, 12]) == [10, 12]
    assert queue_view.ticked_documents([0, 9], [10]) == [10]
    as_object = SimpleNamespace(selection=SimpleNamespace(rows=[1], cells=[]))
    assert queue_view.selection_of(as_object) == ([1], [])
    assert queue_view.selection_of(None) == ([], [])


def test_the_table_key_changes_with_its_rows_and_after_a_bulk_action() -> None:
    key = queue_view.table_key([1, 2, 3])
    assert key == queue_view.table_key([1, 2, 3], 0)
    assert key != queue_view.table_key([1, 3, 2])
    assert key != queue_view.table_key([1, 2, 3], 1)


def test_bulk_lines_name_each_refusal_safely() -> None:
    outcomes = [Outcome(1, True, "Done."), Outcome(2, False, "vic is reviewing it: [wait](x)")]
    assert queue_view.bulk_lines(outcomes, {2: "b_*.pdf"}) == [
        "#2 b\\_\\*\\.pdf: vic is reviewing it\\: \\[wait\\]\\(x\\)"
    ]
    assert queue_view.ticked_line([], {}).startswith("tick rows")
    line = queue_view.ticked_line(list(range(1, 8)), {1: "a.pdf"})
    assert line.startswith("7 selected: #1 a\\.pdf, #2 ") and line.endswith("and 2 more")


def test_paging_from_the_url_and_back() -> None:
    assert queue_view.paging_of(None, None) == (1, queue_view.DEFAULT_PAGE_SIZE)
    assert queue_view.paging_of("3", "100") == (3, 100)
    assert queue_view.paging_of("0", "7") == (1, queue_view.DEFAULT_PAGE_SIZE)  # not a page, not a choice
    assert queue_view.paging_of("-2", "x") == (1, queue_view.DEFAULT_PAGE_SIZE)
    assert queue_view.paging_query(1, queue_view.DEFAULT_PAGE_SIZE) == {}
    assert queue_view.paging_query(4, 25) == {"page": "4", "size": "25"}
    assert queue_view.page_line(51, 100, 320) == "51–100 of 320 documents"
    assert queue_view.page_line(1, 1, 1) == "1–1 of 1 document"
