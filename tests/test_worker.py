"""The worker: claims atomically, survives every engine failure, resumes after a crash, caches by hash."""

from __future__ import annotations

import threading
import time

import pytest

from medextract.pool import (
    ensure_background_worker,
    stop_background_worker,
    wait_for_progress,
    wake_background_worker,
)
from medextract.processing import finished_count, process_pending
from medextract.services import documents, jobs, queue, review, upload
from medextract.services.context import Context
from tests.test_store_support import FakeEngine, FakeExtractionError, make_result


def queue_file(ctx: Context, data: bytes, name: str = "doc.pdf") -> int:
    outcome = upload.add_upload(ctx, name, data, uploader="uma")
    assert outcome.document_id is not None
    return outcome.document_id


def test_engine_errors_fail_the_document_with_the_engines_message(ctx: Context) -> None:
    doc_id = queue_file(ctx, b"broken")
    engine = FakeEngine(
        FakeExtractionError("This PDF is encrypted; remove the password and upload it again.")
    )

    assert process_pending(ctx, extract_fn=engine, engine_errors=(FakeExtractionError,)) == 1

    view = documents.get(ctx, doc_id, user="uma")
    assert view.status == "failed"
    assert view.error == "This PDF is encrypted; remove the password and upload it again."
    # The bytes are kept: the same document can be queued again and succeed.
    review.reextract(ctx, doc_id, doc_type=None, user="uma")
    retry = FakeEngine(make_result())
    assert process_pending(ctx, extract_fn=retry) == 1
    assert retry.calls[0][0] == b"broken" and documents.get(ctx, doc_id, user="uma").status == "extracted"


def test_unexpected_exceptions_fail_one_document_and_the_loop_goes_on(ctx: Context) -> None:
    first = queue_file(ctx, b"one", "one.pdf")
    second = queue_file(ctx, b"two", "two.pdf")
    engine = FakeEngine(ZeroDivisionError("division by zero"), make_result())

    assert process_pending(ctx, extract_fn=engine, engine_errors=(FakeExtractionError,)) == 2

    failed = documents.get(ctx, first, user="uma")
    assert (
        failed.status == "failed" and failed.error == "Unexpected error: ZeroDivisionError: division by zero"
    )
    assert documents.get(ctx, second, user="uma").status == "extracted"
    assert [call[2] for call in engine.calls] == ["one.pdf", "two.pdf"]


def test_limit_and_an_empty_queue(ctx: Context) -> None:
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 0
    for n in range(3):
        queue_file(ctx, bytes([n]))
    assert process_pending(ctx, extract_fn=FakeEngine(make_result()), limit=2) == 2
    assert queue.status_counts(ctx, user="uma")["queued"] == 1


def test_a_claimed_document_is_taken_again_only_after_its_lease_expired(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    doc_id = queue_file(ctx, b"x")
    job = jobs.claim_next(ctx, lease=30)
    assert job is not None and job.document_id == doc_id and job.content == b"x" and not job.cached
    assert job.owner and job.attempt == 1
    assert jobs.claim_next(ctx) is None
    assert documents.get(ctx, doc_id, user="uma").status == "extracting"

    clock.advance(seconds=29)  # its worker is alive: the lease holds
    assert jobs.claim_next(ctx) is None
    assert jobs.renew_lease(ctx, job, 30)  # its heartbeat
    clock.advance(seconds=29)
    assert jobs.claim_next(ctx) is None and jobs.claim_document(ctx, doc_id) is None

    clock.advance(seconds=2)  # no heartbeat for a whole lease: its worker died
    again = jobs.claim_next(ctx, lease=30)
    assert again is not None and again.document_id == doc_id and again.owner != job.owner
    assert again.attempt == 2
    # The first worker's late result, failure or heartbeat changes nothing: the lease is not its own.
    assert not jobs.renew_lease(ctx, job)
    assert not jobs.save_extraction(ctx, job, _output())
    assert not jobs.fail_extraction(ctx, job, "late")
    assert documents.get(ctx, doc_id, user="uma").status == "extracting"
    assert jobs.save_extraction(ctx, again, _output())
    assert documents.get(ctx, doc_id, user="uma").status == "extracted"


def test_a_document_whose_every_worker_died_is_set_aside(ctx: Context, clock, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv(jobs.MAX_ATTEMPTS_ENV, "2")
    doc_id = queue_file(ctx, b"poison")
    for attempt in (1, 2):
        job = jobs.claim_next(ctx, lease=5)
        assert job is not None and job.attempt == attempt
        clock.advance(seconds=6)
    assert jobs.claim_next(ctx) is None
    view = documents.get(ctx, doc_id, user="uma")
    assert view.status == "failed" and view.error is not None and "stopped 2 times" in view.error
    review.reextract(ctx, doc_id, doc_type=None, user="uma")  # a person may try again: attempts start over
    job = jobs.claim_next(ctx)
    assert job is not None and job.attempt == 1


def test_clerks_uploads_go_before_bulk_batches(ctx: Context) -> None:
    bulk = [
        upload.add_upload(ctx, f"bulk{n}.pdf", bytes([n]), uploader="uma", priority=jobs.PRIORITY_BULK)
        for n in range(3)
    ]
    clerk = upload.add_upload(ctx, "clerk.pdf", b"clerk", uploader="uma")  # the app's default
    order = []
    while (job := jobs.claim_next(ctx)) is not None:
        order.append(job.document_id)
    assert order == [clerk.document_id] + [outcome.document_id for outcome in bulk]


def test_a_stopping_worker_puts_its_document_back_at_once(ctx: Context) -> None:
    doc_id = queue_file(ctx, b"stop")
    job = jobs.claim_next(ctx)
    assert job is not None and jobs.release(ctx, job)
    assert documents.get(ctx, doc_id, user="uma").status == "queued"
    again = jobs.claim_next(ctx)
    assert again is not None and again.attempt == 1  # a clean stop is not counted as an attempt


def _output():  # type: ignore[no-untyped-def]
    from medextract.engine_runner import to_output

    return to_output(make_result())


def test_the_same_request_is_never_ocrd_twice(ctx: Context) -> None:
    doc_id = queue_file(ctx, b"bytes")
    engine = FakeEngine(lambda doc_type: make_result("prescription"))
    process_pending(ctx, extract_fn=engine)
    draft = review.save_draft(
        ctx,
        doc_id,
        {"refills": "7"},
        user="uma",
        expected_version=documents.get(ctx, doc_id, user="uma").version,
    )
    assert draft.ok

    review.reextract(ctx, doc_id, doc_type="auto", user="uma")  # same request: the stored result answers it
    assert process_pending(ctx, extract_fn=engine) == 1
    assert len(engine.calls) == 1
    view = documents.get(ctx, doc_id, user="uma")
    assert view.status == "extracted" and view.fields["refills"].value == "2"  # drafts were dropped

    review.reextract(ctx, doc_id, doc_type="prescription", user="uma")  # a forced type: the engine runs again
    process_pending(ctx, extract_fn=engine)
    assert [call[1] for call in engine.calls] == ["auto", "prescription"]


def test_background_worker_takes_expired_leases_and_extracts_them(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    doc_id = queue_file(ctx, b"bg")
    assert jobs.claim_next(ctx, lease=5) is not None  # a killed worker left it "extracting"
    clock.advance(seconds=6)
    engine = FakeEngine(make_result())
    try:
        callers = [
            threading.Thread(target=ensure_background_worker, args=(ctx,), kwargs={"extract_fn": engine})
            for _ in range(4)
        ]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join()
        ensure_background_worker(ctx, extract_fn=engine)  # idempotent and thread-safe: one thread
        assert sum(t.name == "medextract-worker" for t in threading.enumerate()) == 1
        deadline = time.monotonic() + 10
        while documents.get(ctx, doc_id, user="uma").status != "extracted" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert documents.get(ctx, doc_id, user="uma").status == "extracted"
        assert len(engine.calls) == 1
        later = queue_file(ctx, b"later")  # picked up by polling
        while documents.get(ctx, later, user="uma").status != "extracted" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert documents.get(ctx, later, user="uma").status == "extracted"
    finally:
        assert stop_background_worker(ctx)


def test_two_workers_never_claim_the_same_document(ctx: Context) -> None:
    queue_file(ctx, b"only one")
    barrier = threading.Barrier(4)
    taken = []

    def claim() -> None:
        barrier.wait()
        taken.append(jobs.claim_next(ctx))

    threads = [threading.Thread(target=claim) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(taken) == 4 and sum(job is not None for job in taken) == 1


def test_the_real_engines_result_and_errors_are_understood(ctx: Context) -> None:
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
    doc_id = queue_file(ctx, b"real")
    assert process_pending(ctx, extract_fn=FakeEngine(result)) == 1
    view = documents.get(ctx, doc_id, user="uma")
    assert view.fields["patient_name"].box == (5, 6, 50, 20) and view.fields["refills"].reason == "not found"

    failing = queue_file(ctx, b"unreadable")
    message = "This file is not a PDF, PNG, JPEG or TIFF."
    assert process_pending(ctx, extract_fn=FakeEngine(extraction.UnreadableDocumentError(message))) == 1
    assert (
        documents.get(ctx, failing, user="uma").error == message
    )  # no "Unexpected error" prefix for the engine's own errors


def test_a_result_the_database_refuses_fails_the_document(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc_id = queue_file(ctx, b"odd")

    def refuse(ctx: object, job: object, output: object) -> bool:
        raise ValueError("value too long")

    monkeypatch.setattr(jobs, "save_extraction", refuse)
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1
    view = documents.get(ctx, doc_id, user="uma")
    assert view.status == "failed" and view.error is not None and "value too long" in view.error


def test_nul_characters_from_ocr_are_dropped(ctx: Context) -> None:
    doc_id = queue_file(ctx, b"nul")
    result = make_result(values={"patient_name": "Jo\x00hn"})
    assert process_pending(ctx, extract_fn=FakeEngine(result)) == 1
    assert documents.get(ctx, doc_id, user="uma").fields["patient_name"].value == "John"


def test_a_page_waiting_for_progress_wakes_when_the_worker_finishes_a_document(ctx: Context) -> None:
    class SlowEngine(FakeEngine):
        def __call__(self, *args: object, **kwargs: object) -> object:
            time.sleep(0.3)
            return super().__call__(*args, **kwargs)

    # No worker thread of this process serves the store yet: nothing could wake a waiter.
    started = time.monotonic()
    assert not wait_for_progress(ctx, finished_count(), 5.0)
    assert time.monotonic() - started < 1.0
    try:
        ensure_background_worker(ctx, extract_fn=SlowEngine(make_result()))
        since = finished_count()
        doc_id = queue_file(ctx, b"watched")
        wake_background_worker(ctx)
        started = time.monotonic()
        assert wait_for_progress(ctx, since, 10.0)
        assert time.monotonic() - started < 5.0  # woken by the document, not by the timeout
        assert documents.get(ctx, doc_id, user="uma").status == "extracted"
        # Nothing more to do: a wait for the next document times out and says so.
        assert not wait_for_progress(ctx, finished_count(), 0.2)
    finally:
        assert stop_background_worker(ctx)
