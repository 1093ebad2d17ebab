"""The procrastinate task (``medextract.tasks.extract_document``) without a procrastinate worker:
what a retried job does with the document its dead worker held."""

from __future__ import annotations

import queue
from types import SimpleNamespace
from typing import Any

import pytest

from medextract import engine_runner, tasks
from medextract.services import documents, jobs, upload
from medextract.services.context import Context
from tests.test_store_support import FakeClock, FakeEngine, make_result


def job_context(ctx: Context, engine: FakeEngine) -> Any:
    runners: queue.Queue[engine_runner.Runner] = queue.Queue()
    runners.put(engine_runner.InProcess(engine, ()))
    return SimpleNamespace(additional_context={tasks.STATE: tasks.WorkerState(ctx, runners)})


def test_a_retried_job_whose_document_lease_expires_meanwhile_is_retried_not_dropped(
    ctx: Context, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 20-kill loop lost a document this way: procrastinate retried the dead worker's job just
    before the document's own lease expired; the claim was refused (lease alive), the lease expired
    before the task looked at who held it, and the task ended "succeeded" with the document left
    "extracting" and no job to take it: it was never extracted."""
    doc_id = upload.add_upload(ctx, "a.png", b"a", uploader="uma").document_id
    assert doc_id is not None
    assert jobs.claim_next(ctx, lease=30) is not None  # the worker that was killed
    claim = jobs.claim_document

    def refused_then_expired(*args: Any, **kwargs: Any) -> Any:
        job = claim(*args, **kwargs)
        clock.advance(seconds=31)  # the dead worker's lease runs out right after the refusal
        return job

    monkeypatch.setattr(jobs, "claim_document", refused_then_expired)
    engine = FakeEngine(make_result("prescription"))
    with pytest.raises(tasks.LeaseHeld):  # procrastinate retries it after a lease
        tasks.extract_document(job_context(ctx, engine), doc_id)
    assert engine.calls == []

    monkeypatch.setattr(jobs, "claim_document", claim)
    tasks.extract_document(job_context(ctx, engine), doc_id)  # the retry
    assert documents.get(ctx, doc_id, user="uma").status == "extracted" and len(engine.calls) == 1


def test_a_job_whose_document_moved_on_ends_without_reading_it(ctx: Context) -> None:
    doc_id = upload.add_upload(ctx, "a.png", b"a", uploader="uma").document_id
    assert doc_id is not None
    engine = FakeEngine(make_result("prescription"))
    tasks.extract_document(job_context(ctx, engine), doc_id)
    tasks.extract_document(job_context(ctx, engine), doc_id)  # a second job: extracted already
    assert documents.get(ctx, doc_id, user="uma").status == "extracted" and len(engine.calls) == 1
