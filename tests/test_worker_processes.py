"""Worker processes sharing one queue: each document extracted once, and a worker killed with
SIGKILL mid-document has its document taken up by another once its lease expired, never before.

Real processes (``python -m medextract.worker``) on PostgreSQL (procrastinate, the deployment's
queue) and on SQLite (the documents table, ``make run``'s local pool), with a fake engine that runs
in the workers' sandboxes and notes every document it reads in a file. Leases are short here
(MEDEXTRACT_LEASE_SECONDS); every wait polls with a deadline.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from medextract.models import AuditEvent, Document
from medextract.services import upload
from medextract.services.context import Context
from tests.app_support import _unique_png, fake_extract
from tests.conftest import REPO
from tests.test_durability import assert_no_half_records
from tests.test_store_support import CAST, add_people

SLEEP_ENV = "MEDEXTRACT_TEST_ENGINE_SECONDS"
CALLS_ENV = "MEDEXTRACT_TEST_ENGINE_CALLS"
SLOW_MARK = b"slow"  # documents whose bytes start with this take SLOW_SECONDS the first time
SLOW_SECONDS = 30.0
LEASE = 1.5


def noting_extract(source: bytes, **kwargs: Any) -> Any:
    """The workers' engine: notes the document's hash, sleeps, reads every document the same way."""
    digest = hashlib.sha256(source).hexdigest()
    path = Path(os.environ[CALLS_ENV])
    first = not path.exists() or digest not in path.read_text()
    with path.open("a", encoding="ascii") as calls:
        calls.write(digest + "\n")
    slow = source.startswith(SLOW_MARK) and first  # the worker that is killed reads it first
    time.sleep(SLOW_SECONDS if slow else float(os.environ.get(SLEEP_ENV, "0.05")))
    return fake_extract()(source, **kwargs)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def queue_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database for worker processes: SQLite (documents table) or PostgreSQL (procrastinate)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'medextract.db'}"
    from tests.pg import create_database

    return create_database(request.getfixturevalue("postgres_base_url"), f"w_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def workers(tmp_path: Path, queue_url: str) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    """Start worker processes on ``queue_url``; all are stopped at the end."""
    started: list[subprocess.Popen[bytes]] = []
    env = {**os.environ, CALLS_ENV: str(tmp_path / "calls.txt"), "MEDEXTRACT_LEASE_SECONDS": str(LEASE)}
    env["PYTHONPATH"] = str(REPO)

    def start() -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker{len(started)}.log").open("wb")
        command = [sys.executable, "-m", "medextract.worker", "--database", queue_url, "--concurrency", "1"]
        command += ["--engine", "tests.test_worker_processes:noting_extract"]
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=log)
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until(what: str, condition: Callable[[], Any], timeout: float = 45.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    pytest.fail(f"gave up after {timeout:.0f} s waiting for {what}")


def queue_documents(ctx: Context, contents: list[bytes]) -> list[int]:
    add_people(ctx, CAST)
    ids = []
    for index, data in enumerate(contents):
        outcome = upload.add_upload(ctx, f"doc_{index}.png", data, uploader="uma")
        assert outcome.accepted and outcome.document_id is not None
        ids.append(outcome.document_id)
    return ids


def statuses(ctx: Context) -> dict[str, int]:
    with ctx.engine.connect() as conn:
        return dict(conn.execute(select(Document.status, func.count()).group_by(Document.status)).all())


def extracted_events(ctx: Context) -> Counter[int]:
    with ctx.engine.connect() as conn:
        rows = conn.execute(select(AuditEvent.document_id).where(AuditEvent.action == "extracted")).all()
    return Counter(row.document_id for row in rows)


def engine_calls(tmp_path: Path) -> Counter[str]:
    path = tmp_path / "calls.txt"
    return Counter(path.read_text().split()) if path.exists() else Counter()


def lease_of(ctx: Context, doc_id: int) -> tuple[str, str | None, Any]:
    with ctx.engine.connect() as conn:
        row = conn.execute(
            select(Document.status, Document.lease_owner, Document.lease_expires_at).where(
                Document.id == doc_id
            )
        ).one()
    return row.status, row.lease_owner, row.lease_expires_at


def test_two_workers_extract_forty_documents_each_exactly_once(
    queue_url: str, workers: Callable[[], subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    ctx = Context.open(queue_url)
    contents = [_unique_png("forty", n) for n in range(40)]
    ids = queue_documents(ctx, contents)
    first, second = workers(), workers()

    wait_until("all 40 documents extracted", lambda: statuses(ctx).get("extracted") == 40)

    assert first.poll() is None and second.poll() is None
    assert extracted_events(ctx) == Counter(ids)  # stored once each
    calls = engine_calls(tmp_path)
    assert calls == Counter(hashlib.sha256(data).hexdigest() for data in contents)  # read once each
    logs = [(tmp_path / f"worker{n}.log").read_text() for n in (0, 1)]
    assert all(re.search(r"document \d+: 1 page", log) for log in logs), logs  # both took part
    assert_no_half_records(ctx)
    ctx.close()


def test_a_killed_workers_document_is_taken_by_the_other_after_its_lease_and_not_before(
    queue_url: str, workers: Callable[[], subprocess.Popen[bytes]], tmp_path: Path
) -> None:
    ctx = Context.open(queue_url)
    slow = SLOW_MARK + _unique_png("killed", 0)
    [slow_id, *others] = queue_documents(ctx, [slow] + [_unique_png("others", n) for n in range(5)])
    doomed = workers()
    _, held_by, _ = wait_until(
        "the first worker to take the slow document",
        lambda: (
            (lease := lease_of(ctx, slow_id))[0] == "extracting"
            and f":{doomed.pid}:" in (lease[1] or "")
            and lease
        ),
    )
    survivor = workers()
    wait_until("the other worker to extract the rest", lambda: statuses(ctx).get("extracted") == len(others))
    # Alive, the first worker keeps its document well past one lease: its heartbeat renews it.
    renewed = wait_until(
        "a renewed lease", lambda: (lease := lease_of(ctx, slow_id))[2] is not None and lease
    )[2]
    time.sleep(LEASE * 1.5)  # not an assertion: the window in which a lost lease would be taken
    status, owner, expires = lease_of(ctx, slow_id)
    assert (status, owner) == ("extracting", held_by) and expires > renewed

    doomed.send_signal(signal.SIGKILL)
    doomed.wait(10)
    _, _, last_expiry = lease_of(ctx, slow_id)  # nobody renews it any more

    def taken_over() -> bool:
        status, owner, _ = lease_of(ctx, slow_id)
        if owner == held_by and status == "extracting":
            return False
        assert ctx.now() >= last_expiry, "taken while the dead worker's lease was still alive"
        return True

    wait_until("the surviving worker to take the slow document", taken_over)
    wait_until(
        "the slow document extracted", lambda: lease_of(ctx, slow_id)[0] == "extracted", SLOW_SECONDS * 4
    )

    assert survivor.poll() is None
    assert extracted_events(ctx) == Counter([slow_id, *others])
    assert engine_calls(tmp_path)[hashlib.sha256(slow).hexdigest()] == 2  # begun by each worker
    assert_no_half_records(ctx)
    ctx.close()


@pytest.mark.postgres
def test_queuing_a_document_defers_one_job_at_its_priority_in_the_same_transaction(
    postgres_base_url: str,
) -> None:
    from medextract.services import jobs, review
    from tests.pg import create_database

    ctx = Context.open(create_database(postgres_base_url, f"j_{uuid.uuid4().hex[:12]}"))
    add_people(ctx, CAST)
    clerk = upload.add_upload(ctx, "clerk.png", _unique_png("prio", 1), uploader="uma").document_id
    bulk = upload.add_upload(
        ctx, "bulk.png", _unique_png("prio", 2), uploader="uma", priority=jobs.PRIORITY_BULK
    ).document_id

    def waiting_jobs() -> list[tuple[Any, ...]]:
        with ctx.engine.connect() as conn:
            return list(
                conn.exec_driver_sql(
                    "SELECT args->>'document_id', priority, queueing_lock"
                    " FROM procrastinate.procrastinate_jobs WHERE status = 'todo' ORDER BY priority DESC, id"
                ).all()
            )

    assert waiting_jobs() == [
        (str(clerk), jobs.PRIORITY_CLERK, f"document-{clerk}"),
        (str(bulk), 0, f"document-{bulk}"),
    ]
    with ctx.engine.begin() as conn:  # a worker ran the bulk document's job
        conn.exec_driver_sql(
            "UPDATE procrastinate.procrastinate_jobs SET status = 'succeeded'"
            f" WHERE queueing_lock = 'document-{bulk}'"
        )
    job = jobs.claim_document(ctx, bulk)
    assert job is not None and jobs.fail_extraction(ctx, job, "broken")
    review.reextract(ctx, bulk, doc_type=None, user="uma")  # queued again: a new job
    review.reextract(ctx, clerk, doc_type=None, user="uma")  # still queued: its job is still waiting
    assert [row[0] for row in waiting_jobs()] == [str(clerk), str(bulk)]

    class Abandoned(Exception):
        pass

    with pytest.raises(Abandoned), ctx.engine.begin() as conn:  # a transaction rolled back defers nothing
        conn.exec_driver_sql(
            "UPDATE procrastinate.procrastinate_jobs SET status = 'failed'"
            f" WHERE args->>'document_id' = '{bulk}'"
        )
        conn.exec_driver_sql(f"UPDATE documents SET status = 'queued' WHERE id = {bulk}")
        raise Abandoned
    assert [row[0] for row in waiting_jobs()] == [str(clerk), str(bulk)]
    ctx.close()
