"""One claimed document's extraction: read under a lease, outside any transaction, and stored.

``process_job`` reads a document (claimed by ``jobs.claim_next`` or a procrastinate task) in its
runner (``medextract.sandbox``'s child process by default: a time and memory budget, never in
this process), while a ``Heartbeat`` renews the document's lease. The engine runs outside any
database transaction (OCR takes seconds; a transaction held that long would block every clerk on
SQLite). Whatever the engine does, the document ends "extracted" or "failed" with a message.
Every document is read with the learned layouts (``medextract.layouts``; the result says which
one fitted, stored with the document).

``process_pending`` does the waiting documents one at a time in this thread (tests, benchmarks);
``finished_count`` counts the documents finished in this process, which pages wait on
(``medextract.pool.wait_for_progress``).
"""

from __future__ import annotations

import logging
import threading
import time

from medextract import metrics
from medextract.engine_runner import ExtractFn, Runner, make_runner
from medextract.sandbox import Cancelled, ExtractionFailed, Reading
from medextract.services import jobs, layouts
from medextract.services.context import Context
from medextract.services.jobs import Job

# The worker's log, whichever module writes it: its lines read as they did before the split.
log = logging.getLogger("medextract.worker")

# Documents finished in this process (any database), and the condition pages wait on for the
# next one: a page watching an upload wakes the moment its document is done instead of polling.
_finished = 0
_progress = threading.Condition()


class Heartbeat:
    """While a document is read: renew its lease every third of the lease; ``lost`` is set when the
    lease is no longer ours (it expired and another worker took the document), or ``stop`` is."""

    def __init__(self, ctx: Context, job: Job, stop: threading.Event | None = None) -> None:
        self.ctx, self.job = ctx, job
        self.lease = jobs.lease_seconds()
        self.lost = threading.Event()
        self._done = threading.Event()
        self._stop = stop
        self._thread = threading.Thread(target=self._beat, name="medextract-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()

    def _beat(self) -> None:
        interval = self.lease / 3
        due = time.monotonic() + interval
        while not self._done.wait(min(interval, 0.2)):
            if self._stop is not None and self._stop.is_set():
                self.lost.set()  # the worker is stopping: the read is cancelled, the lease released
                return
            if time.monotonic() < due:
                continue
            due = time.monotonic() + interval
            try:
                if not jobs.renew_lease(self.ctx, self.job, self.lease):
                    log.warning("document %s: lease lost, stopping its extraction", self.job.document_id)
                    self.lost.set()
                    return
            except Exception:  # the database is briefly unreachable: try again at the next beat
                log.warning("document %s: could not renew the lease", self.job.document_id, exc_info=True)


def process_job(
    ctx: Context,
    job: Job,
    runner: Runner,
    stop: threading.Event | None = None,
    *,
    page_workers: int | None = None,
) -> bool:
    """Extract one claimed document with ``page_workers`` engine threads (default the engine's)
    and store the outcome; True when it ended "extracted"."""
    try:
        return _process_job(ctx, job, runner, stop, page_workers)
    finally:
        _announce_progress()


def finished_count() -> int:
    """How many documents this process's workers have finished: read before looking at the
    statuses, then pass to ``medextract.pool.wait_for_progress`` so a document done in between is
    not missed."""
    return _finished


def wait_for_finished(since: int, timeout: float) -> bool:
    """Block until a document finishes after ``since`` (a ``finished_count``) or ``timeout``;
    True when one did."""
    with _progress:
        return _progress.wait_for(lambda: _finished != since, timeout)


def _announce_progress() -> None:
    global _finished
    with _progress:
        _finished += 1
        _progress.notify_all()


def _process_job(
    ctx: Context, job: Job, runner: Runner, stop: threading.Event | None, page_workers: int | None
) -> bool:
    if job.cached:
        return True  # claim_next already re-used the stored extraction of these bytes
    started = time.perf_counter()
    try:
        with Heartbeat(ctx, job, stop) as heartbeat:
            reading = runner.read(
                job.content,
                doc_type=job.requested,
                filename=job.filename,
                cancel=heartbeat.lost,
                layouts=str(layouts.folder(ctx)),
                page_workers=page_workers,
            )
    except Cancelled:
        if stop is not None and stop.is_set() and jobs.release(ctx, job):
            log.info("document %s: put back in the queue (the worker is stopping)", job.document_id)
        else:
            log.warning("document %s: not stored, another worker holds it now", job.document_id)
        return False
    except ExtractionFailed as failure:
        log.info("document %s: failed (%s) after %.2f s", job.document_id, failure.kind, _since(started))
        metrics.document_failed(failure.kind)
        jobs.fail_extraction(ctx, job, failure.message)
        return False
    return _store(ctx, job, reading, started)


def _store(ctx: Context, job: Job, reading: Reading, started: float) -> bool:
    engine_done = time.perf_counter()
    try:
        saved = jobs.save_extraction(ctx, job, reading.output)
    except Exception as exc:
        # A result the database refuses would otherwise leave the document "extracting" and, after
        # its lease expires, be OCR'd and refused again until it is set aside. If the database
        # itself is down, this raises too and the loop backs off; the lease then expires.
        log.error("document %s: could not store the extraction (%s)", job.document_id, type(exc).__name__)
        metrics.document_failed("store")
        jobs.fail_extraction(
            ctx, job, f"Unexpected error while storing the result: {type(exc).__name__}: {exc}"
        )
        return False
    if not saved:
        log.warning("document %s: result not stored, the document moved on", job.document_id)
        return False
    pages = int(reading.output.pages)
    metrics.document_done(pages, reading.stage_seconds, engine_done - started)
    log.info(
        "document %s: %d page(s), engine %.2f s (%s), store %.2f s",
        job.document_id,
        pages,
        engine_done - started,
        ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in reading.stage_seconds.items()),
        time.perf_counter() - engine_done,
    )
    return True


def _since(started: float) -> float:
    return time.perf_counter() - started


def process_pending(
    ctx: Context,
    *,
    extract_fn: ExtractFn | None = None,
    limit: int | None = None,
    engine_errors: tuple[type[BaseException], ...] | None = None,
) -> int:
    """Extract waiting documents one at a time until none is left (or ``limit``); how many were done.

    ``extract_fn`` runs in this process (tests' fakes); by default the engine runs in a sandboxed
    child process with its time and memory budget. ``engine_errors`` (default
    ``extraction.ExtractionError``) are the exceptions whose message is meant for a clerk.
    """
    runner = make_runner(extract_fn, engine_errors)
    done = 0
    try:
        while limit is None or done < limit:
            job = jobs.claim_next(ctx)
            if job is None:
                break
            process_job(ctx, job, runner)
            done += 1
    finally:
        runner.close()
    return done
