"""The services' contract on SQLite and PostgreSQL: uploads, review, verify, reject, records, dashboard."""

from __future__ import annotations

import io
import json
import threading
from datetime import date, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from medextract.errors import DocumentNotFound, StoreError
from medextract.models import Edit, VerifiedValue
from medextract.processing import process_pending
from medextract.services import audit, documents, queue, records, review, upload
from medextract.services.context import Context
from tests.test_store_support import (
    GOOD_PRESCRIPTION,
    PRESCRIPTION,
    SYSTEM,
    FakeClock,
    FakeEngine,
    make_result,
)


def extracted_doc(ctx: Context, name: str = "rx.pdf", data: bytes = b"%PDF rx", **result_kw: object) -> int:
    """Upload ``data`` and run the fake engine on it: the document ends "extracted"."""
    outcome = upload.add_upload(ctx, name, data, uploader="uma")
    assert outcome.accepted and outcome.document_id is not None
    assert process_pending(ctx, extract_fn=FakeEngine(make_result(**result_kw))) == 1  # type: ignore[arg-type]
    return outcome.document_id


def count(ctx: Context, query) -> int:  # type: ignore[no-untyped-def]
    with ctx.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def test_a_duplicate_names_another_users_file_only_to_a_supervisor(ctx: Context) -> None:
    first = upload.intake(ctx, "smith-john-hiv-test.png", b"\x89PNG\r\n\x1a\n same bytes", uploader="uma")
    other = upload.intake(ctx, "mine.png", b"\x89PNG\r\n\x1a\n same bytes", uploader="vic")
    assert (other.accepted, other.reason, other.duplicate_of) == (False, "duplicate", None)
    assert "smith" not in other.message and str(first.document_id) not in other.message
    assert (
        other.message
        == "mine.png: duplicate. The same file was already uploaded by someone else; nothing was stored."
    )
    boss = upload.intake(ctx, "again.pdf", b"\x89PNG\r\n\x1a\n same bytes", uploader="sue")
    assert boss.duplicate_of == first.document_id and "smith-john-hiv-test.png" in boss.message


def test_upload_then_duplicate_is_refused_and_nothing_stored(ctx: Context) -> None:
    first = upload.add_upload(ctx, "C:\\scans\\rx.pdf", b"same bytes", uploader="uma")
    again = upload.add_upload(ctx, "other-name.pdf", b"same bytes", uploader="uma")

    assert first.accepted and first.document_id is not None and first.duplicate_of is None
    assert not again.accepted and again.document_id is None
    assert again.duplicate_of == first.document_id  # the uploader learns which document it was
    assert str(first.document_id) in again.message and "rx.pdf" in again.message
    docs = queue.documents(ctx, user="uma")
    assert [(d.id, d.filename, d.status, d.uploader) for d in docs] == [
        (first.document_id, "rx.pdf", "queued", "uma")
    ]


def test_upload_refuses_empty_files_and_unknown_types(ctx: Context) -> None:
    assert not upload.add_upload(ctx, "empty.pdf", b"", uploader="uma").accepted
    unknown = upload.add_upload(ctx, "x.pdf", b"x", uploader="uma", forced_type="invoice")
    assert not unknown.accepted and "invoice" in unknown.message
    assert queue.documents(ctx, user="uma") == []
    forced = upload.add_upload(ctx, "x.pdf", b"x", uploader="uma", forced_type="patient_details")
    assert (
        forced.accepted
        and documents.get(ctx, forced.document_id, user="uma").forced_type == "patient_details"
    )  # type: ignore[arg-type]


def test_status_flow_from_upload_to_verified(ctx: Context, clock: FakeClock) -> None:
    doc_id = upload.add_upload(ctx, "rx.pdf", b"%PDF", uploader="uma").document_id
    assert doc_id is not None
    assert (
        documents.get(ctx, doc_id, user="uma").status == "queued"
        and documents.get(ctx, doc_id, user="uma").fields == {}
    )
    engine = FakeEngine(make_result(flagged=["refills", "medicines"], pages=2))
    assert process_pending(ctx, extract_fn=engine) == 1
    assert engine.calls == [(b"%PDF", "auto", "rx.pdf")]

    view = documents.get(ctx, doc_id, user="uma")
    assert (view.status, view.doc_type, view.pages, view.type_confidence) == (
        "extracted",
        "prescription",
        2,
        0.88,
    )
    assert list(view.fields) == PRESCRIPTION
    name = view.fields["patient_name"]
    assert (name.label, name.value, name.engine_value, name.needs_review) == (
        "Patient name",
        "John Smith",
        "John Smith",
        False,
    )
    assert name.box == (10, 21, 110, 41) and name.page == 0
    assert view.fields["refills"].box is None and view.fields["refills"].needs_review
    assert view.fields["medicines"].multiline and not name.multiline
    assert queue.documents(ctx, status="extracted", user="uma")[0].flagged_fields == 2
    with Image.open(io.BytesIO(documents.page_image(ctx, doc_id, 1, user="uma"))) as page:
        assert (page.format, page.size) == ("PNG", (301, 200))

    clock.advance(minutes=1)
    started = review.start_review(ctx, doc_id, user="uma")
    assert (started.status, started.claimed_by, started.review_started_at) == ("in_review", "uma", clock.now)
    assert review.start_review(ctx, doc_id, user="uma").version == started.version  # idempotent
    assert review.start_review(ctx, doc_id, user="vic").claimed_by == "uma"  # nobody steals a claim
    assert queue.next_for_review(ctx, user="uma") == doc_id and queue.next_for_review(ctx, user="vic") is None

    clock.advance(minutes=2)
    # Both flagged fields must be checked: refills is corrected, medicines still as the engine read it.
    refused = review.verify(ctx, doc_id, {"refills": "3"}, user="uma", expected_version=started.version)
    assert not refused.ok and list(refused.errors) == ["medicines"]
    result = review.verify(
        ctx, doc_id, {"refills": "3"}, user="uma", expected_version=started.version, confirmed=["medicines"]
    )
    assert result.ok and result.version == started.version + 1, result
    done = documents.get(ctx, doc_id, user="uma")
    assert (done.status, done.verified_by, done.verified_at, done.claimed_by) == (
        "verified",
        "uma",
        clock.now,
        None,
    )
    assert done.fields["refills"].value == "3" and done.fields["refills"].engine_value == "2"
    counts = queue.status_counts(ctx, user="uma")
    assert (
        counts["verified"] == 1
        and sum(counts.values()) == 1
        and set(counts) >= {"queued", "failed", "rejected"}
    )


def test_save_draft_writes_edits_only_for_changed_fields(ctx: Context) -> None:
    doc_id = extracted_doc(ctx)
    version = documents.get(ctx, doc_id, user="uma").version
    values = {**GOOD_PRESCRIPTION, "patient_name": "  Jon Smith ", "refills": "two"}

    saved = review.save_draft(ctx, doc_id, values, user="uma", expected_version=version)

    assert saved.ok and saved.version == version + 1
    assert saved.errors == {"refills": "'two' is not a whole number"}  # saved anyway: it is a draft
    with ctx.engine.connect() as conn:
        edits = conn.execute(select(Edit.field, Edit.old, Edit.new, Edit.user).order_by(Edit.field)).all()
    assert [tuple(e) for e in edits] == [
        ("patient_name", "John Smith", "Jon Smith", "uma"),
        ("refills", "2", "two", "uma"),
    ]
    view = documents.get(ctx, doc_id, user="uma")
    assert (view.status, view.claimed_by, view.fields["patient_name"].value) == (
        "in_review",
        "uma",
        "Jon Smith",
    )

    unchanged = review.save_draft(ctx, doc_id, values, user="uma", expected_version=saved.version)
    assert (
        unchanged.ok and unchanged.version == saved.version and count(ctx, select(func.count(Edit.id))) == 2
    )

    stale = review.save_draft(ctx, doc_id, {"refills": "1"}, user="vic", expected_version=version)
    assert not stale.ok and stale.version == saved.version and "Someone else" in stale.message
    assert (
        documents.get(ctx, doc_id, user="uma").fields["refills"].value == "two"
        and count(ctx, select(func.count(Edit.id))) == 2
    )

    unknown = review.save_draft(ctx, doc_id, {"colour": "red"}, user="uma", expected_version=saved.version)
    assert not unknown.ok and "colour" in unknown.errors


def test_verify_refuses_invalid_values_and_writes_nothing(ctx: Context) -> None:
    doc_id = extracted_doc(ctx, values={**GOOD_PRESCRIPTION, "prescription_date": "31/02/26"})
    version = documents.get(ctx, doc_id, user="uma").version

    refused = review.verify(ctx, doc_id, {"refills": "many"}, user="uma", expected_version=version)

    assert not refused.ok and refused.version == version
    assert set(refused.errors) == {"refills", "prescription_date"}  # an untouched bad engine value counts too
    view = documents.get(ctx, doc_id, user="uma")
    assert (view.status, view.version, view.fields["refills"].value) == ("extracted", version, "2")
    assert (
        count(ctx, select(func.count(Edit.id))) == 0 and count(ctx, select(func.count(VerifiedValue.id))) == 0
    )

    fixed = review.verify(
        ctx, doc_id, {"refills": "1", "prescription_date": "2026-02-28"}, user="uma", expected_version=version
    )
    assert fixed.ok
    assert count(ctx, select(func.count(VerifiedValue.id))) == len(PRESCRIPTION)
    assert count(ctx, select(func.count(Edit.id))) == 2
    again = review.verify(ctx, doc_id, {}, user="uma", expected_version=fixed.version)
    assert not again.ok and "verified" in again.message


def test_every_flagged_field_is_confirmed_or_corrected_before_verify(ctx: Context) -> None:
    doc_id = extracted_doc(ctx, flagged=["refills", "medicines", "patient_name"])
    version = review.start_review(ctx, doc_id, user="uma").version
    # A draft that corrects a flagged field counts as corrected at verify time.
    saved = review.save_draft(
        ctx, doc_id, {"patient_name": "Jane Smith"}, user="uma", expected_version=version
    )

    refused = review.verify(
        ctx, doc_id, {}, user="uma", expected_version=saved.version, confirmed=["medicines"]
    )
    assert not refused.ok and set(refused.errors) == {"refills"}
    assert "flagged" in refused.errors["refills"] and "confirm it or correct it" in refused.message
    # Typing back exactly what the engine read is no correction; a confirmation of another field
    # or of a field that is not flagged changes nothing either.
    again = review.verify(
        ctx,
        doc_id,
        {"refills": " 2 "},
        user="uma",
        expected_version=saved.version,
        confirmed=["medicines", "prescriber"],
    )
    assert set(again.errors) == {"refills"} and documents.get(ctx, doc_id, user="uma").status == "in_review"

    done = review.verify(
        ctx, doc_id, {}, user="uma", expected_version=saved.version, confirmed=["medicines", "refills"]
    )
    assert done.ok, done
    [event] = [e for e in audit.history(ctx, doc_id, user="sue") if e.action == "verify"]
    assert "medicines" in event.text and "refills" in event.text


def test_an_unknown_document_cannot_be_verified_until_its_type_is_chosen(ctx: Context) -> None:
    doc_id = extracted_doc(ctx, doc_type="unknown", values={})
    version = documents.get(ctx, doc_id, user="uma").version
    refused = review.verify(ctx, doc_id, {}, user="uma", expected_version=version)
    assert not refused.ok and "Choose the right type" in refused.message
    review.reextract(ctx, doc_id, doc_type="prescription", user="uma")
    assert documents.get(ctx, doc_id, user="uma").status == "queued"


def test_two_sessions_verifying_one_document_exactly_one_wins(ctx: Context) -> None:
    doc_id = extracted_doc(ctx)
    version = documents.get(ctx, doc_id, user="uma").version
    barrier = threading.Barrier(2)
    results = {}

    def verify_as(user: str, refills: str) -> None:
        barrier.wait()
        results[user] = review.verify(ctx, doc_id, {"refills": refills}, user=user, expected_version=version)

    threads = [threading.Thread(target=verify_as, args=(u, r)) for u, r in (("uma", "1"), ("vic", "5"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    winners = [user for user, result in results.items() if result.ok]
    assert len(results) == 2 and len(winners) == 1, results
    loser = next(r for r in results.values() if not r.ok)
    assert "Someone else" in loser.message and loser.version == version + 1
    view = documents.get(ctx, doc_id, user="uma")
    assert (
        view.verified_by == winners[0]
        and view.fields["refills"].value == {"uma": "1", "vic": "5"}[winners[0]]
    )
    assert count(ctx, select(func.count(VerifiedValue.id))) == len(PRESCRIPTION)
    assert count(ctx, select(func.count(Edit.id))) == 1


def test_reject_needs_a_reason_and_ends_the_review(ctx: Context) -> None:
    doc_id = extracted_doc(ctx)
    version = documents.get(ctx, doc_id, user="uma").version
    assert not review.reject(ctx, doc_id, "  ", user="uma", expected_version=version).ok

    rejected = review.reject(ctx, doc_id, "Illegible scan", user="uma", expected_version=version)

    assert rejected.ok
    view = documents.get(ctx, doc_id, user="uma")
    assert (view.status, view.reject_reason) == ("rejected", "Illegible scan")
    assert not review.verify(ctx, doc_id, {}, user="uma", expected_version=rejected.version).ok
    assert not review.save_draft(
        ctx, doc_id, {"refills": "1"}, user="uma", expected_version=rejected.version
    ).ok
    assert not review.reject(ctx, doc_id, "again", user="uma", expected_version=version).ok  # stale


def test_reextract_requeues_with_a_forced_type_and_drops_drafts(ctx: Context) -> None:
    doc_id = extracted_doc(ctx)
    saved = review.save_draft(
        ctx,
        doc_id,
        {"refills": "9"},
        user="uma",
        expected_version=documents.get(ctx, doc_id, user="uma").version,
    )
    with pytest.raises(StoreError):
        review.reextract(ctx, doc_id, doc_type="invoice", user="uma")

    review.reextract(ctx, doc_id, doc_type="patient_details", user="uma")

    view = documents.get(ctx, doc_id, user="uma")
    assert (view.status, view.forced_type, view.claimed_by, view.fields) == (
        "queued",
        "patient_details",
        None,
        {},
    )
    assert view.version > saved.version
    engine = FakeEngine(lambda doc_type: make_result(doc_type, {"patient_name": "Jane Roe"}))
    assert process_pending(ctx, extract_fn=engine) == 1
    assert engine.calls[0][1] == "patient_details"
    view = documents.get(ctx, doc_id, user="uma")
    assert view.doc_type == "patient_details" and view.fields["patient_name"].value == "Jane Roe"
    assert "refills" not in view.fields


def test_unknown_documents_and_pages_raise(ctx: Context) -> None:
    with pytest.raises(DocumentNotFound):
        documents.get(ctx, 999, user="uma")
    with pytest.raises(DocumentNotFound):
        documents.page_image(ctx, 999, 0, user="uma")
    doc_id = extracted_doc(ctx)
    with pytest.raises(StoreError, match="page 6"):
        documents.page_image(ctx, doc_id, 5, user="uma")


def test_next_for_review_prefers_own_claim_then_oldest(ctx: Context, clock: FakeClock) -> None:
    first = extracted_doc(ctx, "a.pdf", b"a")
    clock.advance(minutes=1)
    second = extracted_doc(ctx, "b.pdf", b"b")
    clock.advance(minutes=1)
    third = extracted_doc(ctx, "c.pdf", b"c")
    review.start_review(ctx, second, user="vic")
    review.start_review(ctx, third, user="uma")

    assert queue.next_for_review(ctx, user="uma") == third
    assert queue.next_for_review(ctx, user="vic") == second
    assert queue.next_for_review(ctx, user="wes") == first
    assert [d.id for d in queue.documents(ctx, status=["extracted", "in_review"], user="uma")] == [
        first,
        second,
        third,
    ]
    assert [d.claimed_by for d in queue.documents(ctx, status="in_review", user="uma")] == ["vic", "uma"]


def verify_doc(
    ctx: Context, clock: FakeClock, data: bytes, user: str, changes: dict[str, str], minutes: float
) -> int:
    """A verified prescription: reviewed for ``minutes`` with ``changes`` to the engine's values."""
    doc_id = extracted_doc(ctx, f"{data.decode()}.pdf", data)
    view = review.start_review(ctx, doc_id, user=user)
    clock.advance(minutes=minutes)
    result = review.verify(ctx, doc_id, changes, user=user, expected_version=view.version)
    assert result.ok, result
    return doc_id


def seed_verified(ctx: Context, clock: FakeClock) -> list[int]:
    """Three verified prescriptions over two days by two reviewers, plus one rejected, one queued."""
    ids = [verify_doc(ctx, clock, b"d1", "uma", {"refills": "1"}, 2)]
    ids.append(verify_doc(ctx, clock, b"d2", "vic", {"refills": "3", "patient_name": "Jon Smith"}, 4))
    clock.advance(days=1)
    ids.append(verify_doc(ctx, clock, b"d3", "uma", {}, 10))
    other = extracted_doc(ctx, "r.pdf", b"r")
    assert review.reject(
        ctx,
        other,
        "duplicate paper",
        user="uma",
        expected_version=documents.get(ctx, other, user="uma").version,
    ).ok
    upload.add_upload(ctx, "q.pdf", b"q", uploader="uma")
    return ids


def test_verified_records_filters(ctx: Context, clock: FakeClock) -> None:
    ids = seed_verified(ctx, clock)
    day1 = date(2026, 3, 2)

    every = records.verified_records(ctx, "prescription", user="sue")
    assert [r.document_id for r in every] == ids
    first = every[0]
    assert list(first.values) == PRESCRIPTION and first.values["refills"] == "1"
    assert first.engine_values["refills"] == "2" and first.confidences["refills"] == pytest.approx(0.95)
    assert (first.filename, first.doc_type, first.verified_by) == ("d1.pdf", "prescription", "uma")

    assert [
        r.document_id for r in records.verified_records(ctx, "prescription", reviewer="uma", user="sue")
    ] == [ids[0], ids[2]]
    assert [
        r.document_id for r in records.verified_records(ctx, "prescription", date_to=day1, user="sue")
    ] == ids[:2]
    assert [
        r.document_id
        for r in records.verified_records(ctx, "prescription", date_from=day1 + timedelta(1), user="sue")
    ] == [ids[2]]
    assert (
        records.verified_records(
            ctx, "prescription", date_from=day1, date_to=day1, reviewer="vic", user="sue"
        )[0].document_id
        == ids[1]
    )
    assert records.verified_records(ctx, "patient_details", user="sue") == []
    assert records.reviewers(ctx, user="sue") == ["uma", "vic"]


def test_dashboard_numbers(ctx: Context, clock: FakeClock) -> None:
    seed_verified(ctx, clock)

    stats = records.dashboard(ctx, user="sue")

    assert stats.status_counts["verified"] == 3 and stats.status_counts["rejected"] == 1
    assert stats.status_counts["queued"] == 1 and stats.status_counts["failed"] == 0
    assert stats.verified_per_day == [(date(2026, 3, 2), 2), (date(2026, 3, 3), 1)]
    assert stats.median_review_seconds == 240.0
    rates = {(r.doc_type, r.field): r for r in stats.field_correction_rate}
    assert [r.field for r in stats.field_correction_rate] == PRESCRIPTION  # the type's order
    assert rates[("prescription", "refills")][2:] == (2, 3, pytest.approx(2 / 3))
    assert rates[("prescription", "patient_name")][2:] == (1, 3, pytest.approx(1 / 3))
    assert rates[("prescription", "prescriber")].corrected == 0


def test_empty_dashboard(ctx: Context) -> None:
    stats = records.dashboard(ctx, user="sue")
    assert stats.verified_per_day == [] and stats.field_correction_rate == []
    assert stats.median_review_seconds is None and set(stats.status_counts.values()) == {0}


def test_audit_log_records_upload_edit_verify_reject_export(ctx: Context, clock: FakeClock) -> None:
    doc_id = extracted_doc(ctx, "e.pdf", b"e")
    seed_verified(ctx, clock)
    review.save_draft(
        ctx,
        doc_id,
        {"refills": "4"},
        user="vic",
        expected_version=documents.get(ctx, doc_id, user="uma").version,
    )

    csv = records.export_csv(ctx, "prescription", user="sue", provenance=True, reviewer="uma")

    assert csv.startswith(b"\xef\xbb\xbf") and csv.count(b"\n") == 3  # header and uma's two records
    log = audit.audit_log(ctx, user=SYSTEM)
    actions = {e.action for e in log}
    assert {"upload", "edit", "verify", "reject", "export"} <= actions
    export = log[0]
    assert (export.action, export.user, export.document_id) == ("export", "sue", None)
    assert json.loads(export.detail)["records"] == 2
    edit = next(e for e in log if e.action == "edit")
    assert (edit.user, edit.document_id, json.loads(edit.detail)) == ("vic", doc_id, {"fields": ["refills"]})
    assert all(e.document_id == doc_id for e in audit.audit_log(ctx, document_id=doc_id, user=SYSTEM))


def test_the_same_file_uploaded_twice_at_once_is_stored_once(ctx: Context) -> None:
    barrier = threading.Barrier(3)
    outcomes = []

    def send(user: str) -> None:
        barrier.wait()
        outcomes.append(upload.add_upload(ctx, f"{user}.pdf", b"simultaneous", uploader=user))

    threads = [threading.Thread(target=send, args=(u,)) for u in ("uma", "vic", "wes")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    accepted = [o for o in outcomes if o.accepted]
    assert len(outcomes) == 3 and len(accepted) == 1
    assert all(o.reason == "duplicate" and o.duplicate_of is None for o in outcomes if not o.accepted)
    assert len(queue.documents(ctx, user="uma")) == 1


def test_the_engines_catalog_gives_labels_order_and_validation() -> None:
    pytest.importorskip("extraction")
    from medextract.catalog import KNOWN_FIELDS, EngineCatalog

    catalog = EngineCatalog()
    assert set(catalog.type_names()) >= {"prescription", "patient_details"}
    for doc_type, names in KNOWN_FIELDS.items():
        assert catalog.field_names(doc_type) == list(names)
    assert catalog.label("prescription", "patient_name") != "" and catalog.field_names("unknown") == []
    assert catalog.validate("prescription", "refills", "lots") is not None
    assert catalog.validate("prescription", "refills", "2") is None
    assert catalog.validate("prescription", "no_such_field", "x") is None
