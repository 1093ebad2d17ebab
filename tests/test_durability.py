"""Durability: SIGKILL the standalone worker mid-batch; no document or record is lost or half-written.

The worker runs as ``python -m medextract.worker --engine tests.test_durability:slow_extract`` on a
SQLite file: a fake engine that sleeps, so the kill lands while a document is being extracted.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from medextract.models import Document, FieldExtraction, PageImage, VerifiedValue
from medextract.services import documents, jobs, queue, review, upload
from medextract.services.context import Context
from tests.app_support import _unique_png, fake_extract, seed
from tests.conftest import REPO
from tests.test_store_support import CAST, add_people

DOCS = 8
SLOW_ENV = "MEDEXTRACT_TEST_ENGINE_SECONDS"


def slow_extract(source: Any, **kwargs: Any) -> Any:
    """The fake engine the worker subprocess loads: sleeps, then reads every document the same way."""
    time.sleep(float(os.environ.get(SLOW_ENV, "0.4")))
    return fake_extract()(source, **kwargs)


def start_worker(url: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, SLOW_ENV: "0.4", "MEDEXTRACT_LEASE_SECONDS": "1"}
    command = [sys.executable, "-m", "medextract.worker", "--database", url, "--concurrency", "1"]
    command += ["--engine", "tests.test_durability:slow_extract", *extra]
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def wait_for(condition: Any, timeout: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise AssertionError(f"worker exited early ({process.returncode}):\n{output}")
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the worker")


def rows(ctx: Context, query: Any) -> list[Any]:
    with ctx.engine.connect() as conn:
        return list(conn.execute(query).all())


def test_sigkill_mid_batch_loses_nothing_and_a_restart_finishes_the_queue(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'medextract.db'}"
    ctx = Context.open(url)
    add_people(ctx, CAST)
    uploads = {f"doc_{i}.png": _unique_png("durable", i) for i in range(DOCS)}
    for name, data in uploads.items():
        assert upload.add_upload(ctx, name, data, uploader="uma").accepted
    worker = start_worker(url)
    try:
        # Kill it while a document is being extracted, after at least two are done.
        wait_for(
            lambda: (
                queue.status_counts(ctx, user="uma")["extracted"] >= 2
                and queue.status_counts(ctx, user="uma")["extracting"] == 1
            ),
            30,
            worker,
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(10)

    counts = queue.status_counts(ctx, user="uma")
    assert counts["extracted"] < DOCS and counts["extracting"] <= 1, counts
    # Every document is there with its exact bytes.
    stored = {r.filename: r.sha256 for r in rows(ctx, select(Document.filename, Document.sha256))}
    assert stored == {name: hashlib.sha256(data).hexdigest() for name, data in uploads.items()}
    for doc in rows(ctx, select(Document.id, Document.sha256, Document.content)):
        assert hashlib.sha256(doc.content).hexdigest() == doc.sha256
    # No partial records: fields and page images only for documents that finished.
    assert_no_half_records(ctx)

    restart = start_worker(url, "--once")
    try:
        assert restart.wait(60) == 0, restart.stdout.read().decode(errors="replace") if restart.stdout else ""
    finally:
        if restart.poll() is None:
            restart.kill()
    counts = queue.status_counts(ctx, user="uma")
    assert counts["extracted"] == DOCS and counts["extracting"] == 0 and counts["queued"] == 0, counts
    assert_no_half_records(ctx)
    ctx.close()


def assert_no_half_records(ctx: Context) -> None:
    """Field rows and page images exist exactly for documents that have results."""
    done = {r.id for r in rows(ctx, select(Document.id).where(Document.status == "extracted"))}
    with_fields = {r.document_id for r in rows(ctx, select(FieldExtraction.document_id).distinct())}
    with_pages = {r.document_id for r in rows(ctx, select(PageImage.document_id).distinct())}
    assert with_fields == done and with_pages == done
    per_doc = rows(
        ctx, select(FieldExtraction.document_id, func.count()).group_by(FieldExtraction.document_id)
    )
    assert len({n for _, n in per_doc}) <= 1  # every finished document has all its fields


def test_a_crashed_workers_document_is_taken_once_its_lease_expired(tmp_path: Path) -> None:
    ctx = Context.open(f"sqlite:///{tmp_path / 'medextract.db'}")
    add_people(ctx, CAST)
    upload.add_upload(ctx, "a.png", _unique_png("crash", 1), uploader="uma")
    assert jobs.claim_next(ctx, lease=0.5) is not None  # a worker took it and died
    assert queue.status_counts(ctx, user="uma")["extracting"] == 1
    from medextract.worker import run

    assert run(ctx, extract_fn=fake_extract(), once=True) == 1
    assert (
        queue.status_counts(ctx, user="uma")["extracting"] == 0
        and queue.status_counts(ctx, user="uma")["extracted"] == 1
    )
    ctx.close()


def test_each_verify_is_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure inside verify (after the status changed) rolls everything back: no half verify."""
    ctx = Context.open(f"sqlite:///{tmp_path / 'medextract.db'}")
    [doc_id] = seed(ctx, 1)
    version = documents.get(ctx, doc_id, user="uma").version

    def boom(*_: Any, **__: Any) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(review, "write_event", boom)  # the last write of verify
    with pytest.raises(RuntimeError):
        review.verify(ctx, doc_id, {"refills": "3"}, user="uma", expected_version=version)
    view = documents.get(ctx, doc_id, user="uma")
    assert (view.status, view.version, view.verified_by) == ("extracted", version, None)
    assert rows(ctx, select(VerifiedValue.id)) == []
    assert view.fields["refills"].value == "2"
    ctx.close()


def test_worker_engine_argument_must_name_a_function() -> None:
    from medextract.engine_runner import load_engine

    assert load_engine("tests.test_durability:slow_extract") is slow_extract
    with pytest.raises(ValueError, match="module:function"):
        load_engine("tests.test_durability")
