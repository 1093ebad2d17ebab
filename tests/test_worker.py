"""The worker: claims atomically, survives every engine failure, resumes after a crash, caches by hash."""

from __future__ import annotations

import threading
import time

import pytest

from medextract.store import Store
from medextract.worker import (
    ensure_background_worker,
    finished_count,
    process_pending,
    stop_background_worker,
    wait_for_progress,
    wake_background_worker,
)
from tests.test_store_support import FakeEngine, FakeExtractionError, make_result


def upload(store: Store, data: bytes, name: str = "doc.pdf") -> int:
    outcome = store.add_upload(name, data, uploader="uma")
    assert outcome.document_id is not None
    return outcome.document_id


def test_engine_errors_fail_the_document_with_the_engines_message(store: Store) -> None:
    doc_id = upload(store, b"broken")
    engine = FakeEngine(
        FakeExtractionError("This PDF is encrypted; remove the password and upload it again.")
    )

    assert process_pending(store, extract_fn=engine, engine_errors=(FakeExtractionError,)) == 1

    view = store.document(doc_id)
    assert view.status == "failed"
    assert view.error == "This PDF is encrypted; remove the password and upload it again."
    # The bytes are kept: the same document can be queued again and succeed.
    store.reextract(doc_id, doc_type=None, user="uma")
    retry = FakeEngine(make_result())
    assert process_pending(store, extract_fn=retry) == 1
    assert retry.calls[0][0] == b"broken" and store.document(doc_id).status == "extracted"


def test_unexpected_exceptions_fail_one_document_and_the_loop_goes_on(store: Store) -> None:
    first = upload(store, b"one", "one.pdf")
    second = upload(store, b"two", "two.pdf")
    engine = FakeEngine(ZeroDivisionError("division by zero"), make_result())

    assert process_pending(store, extract_fn=engine, engine_errors=(FakeExtractionError,)) == 2

    failed = store.document(first)
    assert (
        failed.status == "failed" and failed.error == "Unexpected error: ZeroDivisionError: division by zero"
    )
    assert store.document(second).status == "extracted"
    assert [call[2] for call in engine.calls] == ["one.pdf", "two.pdf"]


def test_limit_and_an_empty_queue(store: Store) -> None:
    assert process_pending(store, extract_fn=FakeEngine(make_result())) == 0
    for n in range(3):
        upload(store, bytes([n]))
    assert process_pending(store, extract_fn=FakeEngine(make_result()), limit=2) == 2
    assert store.status_counts()["queued"] == 1


def test_a_claimed_document_is_not_claimed_twice_and_stuck_ones_are_requeued(store: Store) -> None:
    doc_id = upload(store, b"x")
    job = store.claim_next()
    assert job is not None and job.document_id == doc_id and job.content == b"x" and not job.cached
    assert store.claim_next() is None
    assert store.document(doc_id).status == "extracting"

    assert store.requeue_stuck() == 1  # the worker that claimed it died

    assert store.document(doc_id).status == "queued"
    # The dead worker's late result is not stored over the re-queued document.
    assert not store.save_extraction(job, _output())
    assert not store.fail_extraction(job, "late")
    assert store.document(doc_id).status == "queued"


def _output():  # type: ignore[no-untyped-def]
    from medextract.worker import to_output

    return to_output(make_result())


def test_the_same_request_is_never_ocrd_twice(store: Store) -> None:
    doc_id = upload(store, b"bytes")
    engine = FakeEngine(lambda doc_type: make_result("prescription"))
    process_pending(store, extract_fn=engine)
    draft = store.save_draft(
        doc_id, {"refills": "7"}, user="uma", expected_version=store.document(doc_id).version
    )
    assert draft.ok

    store.reextract(doc_id, doc_type="auto", user="uma")  # same request: the stored result answers it
    assert process_pending(store, extract_fn=engine) == 1
    assert len(engine.calls) == 1
    view = store.document(doc_id)
    assert view.status == "extracted" and view.fields["refills"].value == "2"  # drafts were dropped

    store.reextract(doc_id, doc_type="prescription", user="uma")  # a forced type: the engine runs again
    process_pending(store, extract_fn=engine)
    assert [call[1] for call in engine.calls] == ["auto", "prescription"]


def test_background_worker_requeues_stuck_documents_and_extracts_them(store: Store) -> None:
    doc_id = upload(store, b"bg")
    assert store.claim_next() is not None  # a killed worker left it "extracting"
    engine = FakeEngine(make_result())
    try:
        callers = [
            threading.Thread(target=ensure_background_worker, args=(store,), kwargs={"extract_fn": engine})
            for _ in range(4)
        ]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join()
        ensure_background_worker(store, extract_fn=engine)  # idempotent and thread-safe: one thread
        assert sum(t.name == "medextract-worker" for t in threading.enumerate()) == 1
        deadline = time.monotonic() + 10
        while store.document(doc_id).status != "extracted" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.document(doc_id).status == "extracted"
        assert len(engine.calls) == 1
        later = upload(store, b"later")  # picked up by polling
        while store.document(later).status != "extracted" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.document(later).status == "extracted"
    finally:
        assert stop_background_worker(store)


def test_two_workers_never_claim_the_same_document(store: Store) -> None:
    upload(store, b"only one")
    barrier = threading.Barrier(4)
    jobs = []

    def claim() -> None:
        barrier.wait()
        jobs.append(store.claim_next())

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(jobs) == 4 and sum(job is not None for job in jobs) == 1


def test_the_real_engines_result_and_errors_are_understood(store: Store) -> None:
    """The engine's own types (no OCR): attribute names and the default error class match."""
    extraction = pytest.importorskip("extraction")
    from PIL import Image

    fields = {
        "patient_name": extraction.FieldResult("John Smith", 0.93, False, None, 0, (5, 6, 50, 20)),
        "refills": extraction.FieldResult("", 0.0, True, "not found", 0, None),
    }
    result = extraction.ExtractionResult(
        document_type="prescription",
        type_confidence=0.8,
        pages=1,
        dpi=300,
        fields=fields,
        page_images=[Image.new("L", (40, 30), 255)],
    )
    doc_id = upload(store, b"real")
    assert process_pending(store, extract_fn=FakeEngine(result)) == 1
    view = store.document(doc_id)
    assert view.fields["patient_name"].box == (5, 6, 50, 20) and view.fields["refills"].reason == "not found"

    failing = upload(store, b"unreadable")
    message = "This file is not a PDF, PNG, JPEG or TIFF."
    assert process_pending(store, extract_fn=FakeEngine(extraction.UnreadableDocumentError(message))) == 1
    assert (
        store.document(failing).error == message
    )  # no "Unexpected error" prefix for the engine's own errors


def test_a_result_the_database_refuses_fails_the_document(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = upload(store, b"odd")

    def refuse(job: object, output: object) -> bool:
        raise ValueError("value too long")

    monkeypatch.setattr(store, "save_extraction", refuse)
    assert process_pending(store, extract_fn=FakeEngine(make_result())) == 1
    view = store.document(doc_id)
    assert view.status == "failed" and view.error is not None and "value too long" in view.error


def test_nul_characters_from_ocr_are_dropped(store: Store) -> None:
    doc_id = upload(store, b"nul")
    result = make_result(values={"patient_name": "Jo\x00hn"})
    assert process_pending(store, extract_fn=FakeEngine(result)) == 1
    assert store.document(doc_id).fields["patient_name"].value == "John"


def test_a_page_waiting_for_progress_wakes_when_the_worker_finishes_a_document(store: Store) -> None:
    class SlowEngine(FakeEngine):
        def __call__(self, *args: object, **kwargs: object) -> object:
            time.sleep(0.3)
            return super().__call__(*args, **kwargs)

    # No worker thread of this process serves the store yet: nothing could wake a waiter.
    started = time.monotonic()
    assert not wait_for_progress(store, finished_count(), 5.0)
    assert time.monotonic() - started < 1.0
    try:
        ensure_background_worker(store, extract_fn=SlowEngine(make_result()))
        since = finished_count()
        doc_id = upload(store, b"watched")
        wake_background_worker(store)
        started = time.monotonic()
        assert wait_for_progress(store, since, 10.0)
        assert time.monotonic() - started < 5.0  # woken by the document, not by the timeout
        assert store.document(doc_id).status == "extracted"
        # Nothing more to do: a wait for the next document times out and says so.
        assert not wait_for_progress(store, finished_count(), 0.2)
    finally:
        assert stop_background_worker(store)
