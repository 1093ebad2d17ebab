"""Merge, split and rotate in the review app (AppTest, issue 11): the queue's merge panel, the
review page's page tools, and the new document shown after each action."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from app import queue_view
from docgen import generate
from medextract import lifecycle
from medextract.services import documents, pages, review, upload
from tests.app_support import app, fake_extract, open_context, process, texts
from tests.test_store_support import TEAM, add_people

QUEUE = "pages/queue.py"
REVIEW = "pages/review.py"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    opened = open_context(tmp_path, monkeypatch)
    add_people(opened, TEAM)
    return opened


def photographed(ctx: Any, seed: int, *, extract: bool = True) -> list[int]:
    """The two pages of a generated patient form, each uploaded as its own photo; read by the
    fake engine as two one-page documents unless ``extract`` is False."""
    ids = []
    for index, page in enumerate(
        generate(seed, "patient_details", "clean", fonts="tuning", hand_rate=0).pages
    ):
        buffer = io.BytesIO()
        page.convert("L").save(buffer, "JPEG", quality=90)
        outcome = upload.add_upload(ctx, f"form-p{index + 1}.jpg", buffer.getvalue(), uploader="uma")
        assert outcome.document_id is not None, outcome.message
        ids.append(outcome.document_id)
    if extract:
        process(ctx, fake_extract(doc_type="patient_details", values={}))
    return ids


def tick_rows(at: Any, ids: list[int], rows: list[int]) -> None:
    key = queue_view.table_key(ids, at.session_state.get("queue_table_round", 0))
    at.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    at.run()


def test_a_clerk_merges_two_ticked_rows_in_the_order_she_sets_and_sees_the_new_document(ctx: Any) -> None:
    first, second = photographed(ctx, 3)
    at = app(QUEUE, user="uma", role="clerk")
    assert "Merge: tick two or more rows" in texts(at)
    tick_rows(at, [first, second], [0, 1])
    order = at.multiselect[0]
    assert order.value == [first, second]
    order.set_value([second, first]).run()  # the second photo is the form's first page
    at.button(key="queue_merge_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    new_id = at.session_state["review_doc_id"]
    assert new_id not in (first, second)
    shown = texts(at).replace("\\", "")  # markdown escapes aside
    assert f"Review #{new_id}" in shown and f"Merged #{second}, #{first} into document #{new_id}" in shown
    assert pages.lineage(ctx, new_id, user="uma").made_from == (second, first)
    assert {documents.get(ctx, i, user="uma").status for i in (first, second)} == {lifecycle.MERGED}
    assert [b.label for b in at.button if b.key and b.key.startswith("review_link_from")] == [
        f"#{second}",
        f"#{first}",
    ]
    at.switch_page(REVIEW).run()  # AppTest's next run stays on the page it was told (the browser moved)
    at.button(key=f"review_link_from_{new_id}_{second}").click().run()  # back to a source
    shown = texts(at).replace("\\", "")
    assert f"Review #{second}" in shown and "Merged" in shown and "Its pages went into" in shown
    assert "did not recognise" not in shown and not [
        b for b in at.button if b.key == f"review_reject_{second}"
    ]


def test_a_refused_merge_says_why_and_stays_on_the_queue(ctx: Any) -> None:
    first, second = photographed(ctx, 4)
    review.start_review(ctx, second, user="vic")  # vic is reviewing the second page
    at = app(QUEUE, user="uma", role="clerk")
    tick_rows(at, [first, second], [0, 1])
    at.button(key="queue_merge_apply").click().run()
    assert "being reviewed by vic" in " ".join(e.value for e in at.error)
    assert "Review #" not in texts(at)
    assert documents.get(ctx, first, user="uma").status == lifecycle.EXTRACTED


def test_the_review_page_turns_a_page_and_splits_after_one(ctx: Any) -> None:
    first, second = photographed(ctx, 5)
    [merged] = pages.merge(ctx, [first, second], user="uma").documents
    process(ctx, fake_extract(doc_type="patient_details", values={}, pages=2))
    at = app(REVIEW, user="uma", role="clerk", review_doc_id=merged)
    rotations = [b.label for b in at.button if b.key and b.key.startswith("review_rotate_")]
    assert rotations == ["⟲", "⟳", "⟲", "⟳"]  # each of the two pages
    assert not [b for b in at.button if b.key == f"review_split_{merged}_1"]  # nothing after the last page

    at.button(key=f"review_rotate_right_{merged}_1").click().run()
    assert not at.exception
    assert f"Page 2 of document #{merged} turned 90° clockwise" in texts(at).replace("\\", "")
    doc = documents.get(ctx, merged, user="uma")
    assert doc.status == lifecycle.QUEUED and at.session_state["review_doc_id"] == merged

    process(ctx, fake_extract(doc_type="patient_details", values={}, pages=2))
    at.run()
    at.button(key=f"review_split_{merged}_0").click().run()
    assert not at.exception
    parts = pages.lineage(ctx, merged, user="uma").went_into
    assert len(parts) == 2 and at.session_state["review_doc_id"] == parts[0]
    assert f"Review #{parts[0]}" in texts(at) and "Made by splitting" in texts(at)
