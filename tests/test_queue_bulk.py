"""The queue's search and the supervisors' bulk actions, on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from medextract.errors import PermissionDenied, StoreError
from medextract.models import AuditEvent, AuditEventDocument
from medextract.processing import process_pending
from medextract.services import bulk, documents, queue, review, upload
from medextract.services.context import Context
from tests.test_store_support import GOOD_PRESCRIPTION, FakeEngine, make_result


def extracted(ctx: Context, name: str, patient: str, *, doc_type: str = "prescription") -> int:
    """Upload a file and have the fake engine read ``patient`` as its patient's name."""
    outcome = upload.add_upload(ctx, name, f"%PDF {name}".encode(), uploader="uma")
    assert outcome.accepted and outcome.document_id is not None
    values = {**GOOD_PRESCRIPTION, "patient_name": patient} if doc_type == "prescription" else {}
    assert process_pending(ctx, extract_fn=FakeEngine(make_result(doc_type, values))) == 1  # type: ignore[arg-type]
    return outcome.document_id


def found(ctx: Context, text: str, **filters: object) -> list[int]:
    return [item.doc.id for item in queue.search(ctx, user="uma", text=text, **filters)]  # type: ignore[arg-type]


def test_search_finds_a_patient_a_file_or_an_id_in_any_case(ctx: Context) -> None:
    smith = extracted(ctx, "scan_A.pdf", "John Smith")
    emile = extracted(ctx, "Émile-intake.pdf", "Émile Zoë Brontë")
    other = extracted(ctx, "100%_done_scan.pdf", "Ann Lee")

    assert found(ctx, "") == [smith, emile, other]
    assert found(ctx, "  smith ") == [smith]
    assert found(ctx, "ÉMILE") == [emile]  # not only ASCII letters fold: SQLite too
    assert found(ctx, "zoë") == [emile]
    assert found(ctx, "SCAN") == [smith, other]  # the file name
    assert found(ctx, "100%") == [other]  # % and _ are searched for, not wildcards
    assert found(ctx, "_a.") == [smith]
    assert found(ctx, f"#{emile}") == [emile]
    assert found(ctx, "nobody") == []
    items = queue.search(ctx, user="uma", text="lee")
    assert [(item.doc.filename, item.patient) for item in items] == [("100%_done_scan.pdf", "Ann Lee")]


def test_search_reads_the_patient_as_it_stands_now(ctx: Context) -> None:
    doc_id = extracted(ctx, "rx.pdf", "Jon Smtih")
    doc = review.start_review(ctx, doc_id, user="uma")
    values = {name: f.value for name, f in doc.fields.items()} | {"patient_name": "John Smith"}
    assert review.save_draft(ctx, doc_id, values, user="uma", expected_version=doc.version).ok
    assert found(ctx, "john smith") == [doc_id]  # the reviewer's correction
    assert found(ctx, "smtih") == []  # no longer what the engine misread
    [item] = queue.search(ctx, user="uma")
    assert item.patient == "John Smith"


def test_search_combines_with_the_status_and_type_filters(ctx: Context) -> None:
    rx = extracted(ctx, "rx.pdf", "John Smith")
    record = extracted(ctx, "record.pdf", "", doc_type="patient_details")
    assert found(ctx, "", status=["extracted"], doc_type="prescription") == [rx]
    assert found(ctx, "", status=[], doc_type="patient_details") == [record]
    assert found(ctx, "smith", status=["verified"]) == []
    assert found(ctx, "", doc_type="unknown") == []


def test_the_queue_pages_in_upload_order_with_the_total_counted(ctx: Context) -> None:
    ids = [extracted(ctx, f"rx_{i}.pdf", "Ann Lee" if i % 2 else "John Smith") for i in range(7)]

    def shown(**paging: object) -> tuple[list[int], int, int, int]:
        found = queue.search_page(ctx, user="uma", **paging)  # type: ignore[arg-type]
        return [item.doc.id for item in found.items], found.page, found.total, found.pages

    assert shown(size=3) == (ids[:3], 1, 7, 3)
    assert shown(size=3, page=2) == (ids[3:6], 2, 7, 3)
    assert shown(size=3, page=3) == (ids[6:], 3, 7, 3)
    assert shown(size=3, page=9) == (ids[6:], 3, 7, 3)  # past the last page: the last
    assert shown(size=3, page=0) == (ids[:3], 1, 7, 3)
    # The search and the filters are applied before paging, and counted.
    assert shown(size=2, page=2, text="lee") == ([ids[5]], 2, 3, 2)
    assert shown(size=2, text="nobody") == ([], 1, 0, 1)
    assert shown(size=5, status=["verified"]) == ([], 1, 0, 1)
    found = queue.search_page(ctx, user="uma", size=3, page=3)
    assert (found.first, found.last) == (7, 7)
    assert queue.search_page(ctx, user="uma", size=10_000).size == queue.MAX_PAGE_SIZE


def test_searching_needs_an_account(ctx: Context) -> None:
    with pytest.raises(PermissionDenied):
        queue.search(ctx, user="nobody")


def test_only_a_supervisor_acts_in_bulk_and_nothing_is_done_otherwise(ctx: Context) -> None:
    doc_id = extracted(ctx, "rx.pdf", "John Smith")
    with pytest.raises(PermissionDenied, match="supervisor"):
        bulk.apply(ctx, bulk.REEXTRACT, [doc_id], user="uma")
    with pytest.raises(StoreError, match="why"):
        bulk.apply(ctx, bulk.REJECT, [doc_id], user="sue", reason="  ")
    with pytest.raises(StoreError, match="document types"):
        bulk.apply(ctx, bulk.SET_TYPE, [doc_id], user="sue", doc_type="invoice")
    with pytest.raises(StoreError, match="Unknown bulk action"):
        bulk.apply(ctx, "delete", [doc_id], user="sue")
    assert documents.get(ctx, doc_id, user="sue").status == "extracted"


def test_bulk_reject_reports_each_refusal_and_does_the_others(ctx: Context) -> None:
    first = extracted(ctx, "a.pdf", "A")
    held = extracted(ctx, "b.pdf", "B")
    last = extracted(ctx, "c.pdf", "C")
    review.start_review(ctx, held, user="vic")  # vic is reviewing it

    result = bulk.apply(
        ctx, bulk.REJECT, [first, held, 999_999, last, first], user="sue", reason="Duplicates"
    )

    assert result.done == [first, last]
    assert {o.doc_id: o.message for o in result.failed} == {
        held: "vic is reviewing it: release their claim first, or wait.",
        999_999: "Document 999999 does not exist.",
    }
    assert result.summary() == "Reject: 2 of 4 documents done."
    assert [documents.get(ctx, d, user="sue").status for d in (first, held, last)] == [
        "rejected",
        "in_review",
        "rejected",
    ]
    assert documents.get(ctx, first, user="sue").reject_reason == "Duplicates"


def test_bulk_release_frees_others_claims_audited(ctx: Context) -> None:
    held = extracted(ctx, "a.pdf", "A")
    free = extracted(ctx, "b.pdf", "B")
    review.start_review(ctx, held, user="vic")

    result = bulk.apply(ctx, bulk.RELEASE, [held, free], user="sue")

    assert result.done == [held]
    assert [o.message for o in result.failed] == ["Nobody is reviewing it."]
    doc = documents.get(ctx, held, user="sue")
    assert (doc.status, doc.claimed_by) == ("in_review", None)
    with ctx.read() as session:
        actions = session.execute(
            select(AuditEvent.action, AuditEvent.detail).where(AuditEvent.document_id == held)
        ).all()
        linked = session.execute(
            select(AuditEventDocument.document_id)
            .join(AuditEvent, AuditEvent.id == AuditEventDocument.event_id)
            .where(AuditEvent.action == "bulk")
        ).scalars()
        assert sorted(linked) == sorted([held, free])
        [event] = session.execute(select(AuditEvent).where(AuditEvent.action == "bulk")).scalars()
    assert [a for a, _ in actions][-2:] == ["take_over", "release"]
    assert event.user == "sue"
    detail = json.loads(event.detail)
    assert detail["action"] == "release" and detail["done"] == [held]
    assert detail["failed"] == {str(free): "Nobody is reviewing it."}


def test_bulk_extract_again_and_set_type_queue_the_documents(ctx: Context) -> None:
    first = extracted(ctx, "a.pdf", "A")
    second = extracted(ctx, "b.pdf", "B")
    verified = extracted(ctx, "c.pdf", "C")
    doc = review.start_review(ctx, verified, user="uma")
    assert review.verify(ctx, verified, {}, user="uma", expected_version=doc.version).ok

    again = bulk.apply(ctx, bulk.REEXTRACT, [first, verified], user="sue")
    assert again.done == [first]
    assert "verified" in again.failed[0].message.lower()

    typed = bulk.apply(ctx, bulk.SET_TYPE, [second], user="ada", doc_type="patient_details")
    assert typed.done == [second]
    stored = documents.get(ctx, second, user="sue")
    assert (stored.status, stored.forced_type) == ("queued", "patient_details")


def test_bulk_refuses_too_many_documents_at_once(ctx: Context) -> None:
    with pytest.raises(StoreError, match="at most"):
        bulk.apply(ctx, bulk.REEXTRACT, range(1, bulk.MAX_DOCUMENTS + 2), user="sue")


def test_the_export_keeps_only_the_selected_documents(ctx: Context) -> None:
    from medextract.services import records

    ids = [extracted(ctx, f"rx_{i}.pdf", f"P{i}") for i in range(3)]
    for doc_id in ids:
        doc = review.start_review(ctx, doc_id, user="uma")
        assert review.verify(ctx, doc_id, {}, user="uma", expected_version=doc.version).ok
    chosen = records.export_records(ctx, "prescription", user="sue", document_ids=[ids[2], ids[0]])
    assert [r.document_id for r in chosen] == [ids[0], ids[2]]  # in the order they were verified
    assert records.export_records(ctx, "prescription", user="sue", document_ids=[]) == []
    assert len(records.export_records(ctx, "prescription", user="sue")) == 3  # no selection: all
