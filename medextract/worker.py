"""The extraction worker: takes queued documents under a lease, runs the engine, stores what it found.

A worker has slots (default one per core), each a thread that claims a document
(``jobs.claim_next``: highest priority, then oldest; or one whose worker's lease expired), reads it
in its own sandboxed child process (``medextract.sandbox``: a time and memory budget, never in
this process), and stores the outcome. A heartbeat renews the document's lease while it is read.
The engine runs outside any database transaction (OCR takes seconds; a transaction held that long
would block every clerk on SQLite). Whatever the engine does, the document ends "extracted" or
"failed" with a message, and the slot goes on.

Here the documents table is the queue (SQLite: ``make run``'s zero-setup default). On PostgreSQL
the deployment's workers are procrastinate workers (``medextract.tasks``), which call the same
claim, heartbeat, sandbox and store for each task.

Every document is read with the learned layouts (``medextract.layouts``; the result says which
one fitted, stored with the document). A slot with no document waiting learns layouts from
verified documents (``medextract.learning``).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence

from medextract import config, learning, lifecycle, metrics
from medextract.cores import CoreShare
from medextract.engine_runner import (
    ExtractFn,
    InProcess,
    Runner,
    default_engine_errors,
    env_limit,
    load_engine,
    make_runner,
)
from medextract.privacy import secure_process
from medextract.sandbox import Cancelled, ExtractionFailed, Reading, Sandbox
from medextract.services import jobs, layouts, webhooks
from medextract.services.context import Context
from medextract.services.jobs import Job

log = logging.getLogger(__name__)

POLL_SECONDS = 0.5
ERROR_BACKOFF_SECONDS = 5.0
WORKERS_ENV = "MEDEXTRACT_WORKERS"

# Per database: this process's pool (its slots, stop flag, and the event that wakes it for an upload).
_workers: dict[str, Pool] = {}
_workers_lock = threading.Lock()
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
    statuses, then pass to ``wait_for_progress`` so a document done in between is not missed."""
    return _finished


def wait_for_progress(ctx: Context, since: int, timeout: float) -> bool:
    """Block until a document finishes after ``since`` (a ``finished_count``) or ``timeout``;
    True when one did. Returns False at once when no worker thread of this process serves
    ``ctx``'s database (a separate worker process cannot wake us: the caller polls instead)."""
    running = _workers.get(ctx.url)
    if running is None or not running.alive():
        return False
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


def default_slots() -> int:
    """How many documents a worker reads at once: MEDEXTRACT_WORKERS, default one per core."""
    return env_limit(WORKERS_ENV, os.cpu_count() or 1)


class Pool:
    """A worker's slots: threads that each claim a document, read it in their own runner (a sandbox
    child process by default) under a lease with a heartbeat, and store the outcome.

    Nothing is re-queued at start: a document another worker is reading keeps its live lease, and
    one whose worker died is claimed again once its lease expired. Each document's engine gets its
    share of ``cores`` (default this machine's) among the documents being read.
    """

    def __init__(
        self,
        ctx: Context,
        *,
        slots: int,
        make: Callable[[], Runner],
        once: bool = False,
        cores: CoreShare | None = None,
    ) -> None:
        self.ctx = ctx
        self.cores = cores or CoreShare()
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.once = once
        self.done = 0
        self._make = make
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._slot, name="medextract-worker", daemon=True) for _ in range(slots)
        ]

    def start(self) -> Pool:
        for thread in self._threads:
            thread.start()
        return self

    def alive(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    def join(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in self._threads:
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not self.alive()

    def shutdown(self, timeout: float = 10.0) -> bool:
        """Stop the slots; a document being read is put back in the queue at once."""
        self.stop.set()
        self.wake.set()
        return self.join(timeout)

    def _slot(self) -> None:
        try:
            runner = self._make()
            runner.start()  # import the engine now, while nobody waits
        except Exception:
            log.exception("the extraction engine cannot be started")
            runner = None
        try:
            while not self.stop.is_set():
                if runner is None:
                    self.stop.wait(ERROR_BACKOFF_SECONDS)
                    runner = self._make()
                    continue
                try:
                    job = jobs.claim_next(self.ctx)
                    if job is not None:
                        with self.cores.reading() as page_workers:
                            process_job(self.ctx, job, runner, self.stop, page_workers=page_workers)
                        with self._lock:
                            self.done += 1
                        continue
                    if learning.work_one(self.ctx, runner):  # no document waits: learn layouts
                        continue
                    if self.once and not _anything_extracting(self.ctx):
                        return
                except Exception:  # e.g. the database is briefly unreachable: wait and try again
                    log.exception("worker iteration failed")
                    self.stop.wait(ERROR_BACKOFF_SECONDS)
                    continue
                # Poll, but start at once when an upload in this process says there is work.
                self.wake.wait(POLL_SECONDS)
                self.wake.clear()
        finally:
            if runner is not None:
                runner.close()


def _anything_extracting(ctx: Context) -> bool:
    """Whether a document is being read (by anyone): ``--once`` waits for their leases."""
    from medextract.services import queue
    from medextract.services.context import WORKER

    return queue.status_counts(ctx, user=WORKER).get(lifecycle.EXTRACTING, 0) > 0


def wake_background_worker(ctx: Context) -> None:
    """Tell this process's worker a document was just queued, so it starts without waiting for
    its next poll (the clerk watches the clock between upload and fields). No-op without one."""
    running = _workers.get(ctx.url)
    if running is not None:
        running.wake.set()


def ensure_background_worker(
    ctx: Context, *, extract_fn: ExtractFn | None = None, slots: int | None = None
) -> None:
    """Start this process's extraction pool, once per database per process.

    Safe to call on every page run and from several threads. The engine runs in sandboxed child
    processes, one per slot (default one slot per core, MEDEXTRACT_WORKERS), never in this
    process; ``extract_fn`` (tests) runs in this process in one slot.
    """
    webhooks.ensure_dispatcher(ctx)  # the deployment's webhook, if any, is served beside it
    with _workers_lock:
        running = _workers.get(ctx.url)
        if running is not None and running.alive():
            return
        count = slots or (1 if extract_fn is not None else default_slots())
        pool = Pool(ctx, slots=count, make=lambda: make_runner(extract_fn, None))
        _workers[ctx.url] = pool.start()


def stop_background_worker(ctx: Context, timeout: float = 10.0) -> bool:
    """Stop this database's pool; a document being read goes back to the queue. True when ended."""
    webhooks.stop_dispatcher(ctx)
    with _workers_lock:
        running = _workers.pop(ctx.url, None)
    if running is None:
        return True
    return running.shutdown(timeout)


# ---- the standalone worker process: python -m medextract.worker ---------------------------------


def run(
    ctx: Context,
    *,
    extract_fn: ExtractFn | None = None,
    engine: str | None = None,
    once: bool = False,
    slots: int = 1,
) -> int:
    """The worker process's main loop on the documents table; returns how many documents it read.

    ``slots`` documents at once, each in its own sandboxed engine (``engine`` is ``module:function``,
    default the real one; ``extract_fn`` runs in this process instead). Until SIGTERM/SIGINT, which
    puts the documents being read back in the queue; with ``once`` until nothing is waiting or
    being read. A SIGKILL loses only the OCR in progress: its documents are taken again when their
    leases expire, and each result is stored in one transaction, so no half record is ever visible.
    """
    if extract_fn is not None:
        runner_errors = default_engine_errors()

        def make() -> Runner:
            return InProcess(extract_fn, runner_errors)
    else:

        def make() -> Runner:
            return Sandbox(engine)

    pool = Pool(ctx, slots=slots, make=make, once=once)
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: pool.stop.set())
    pool.start()
    while pool.alive() and not pool.stop.is_set():
        pool.join(0.5)
    pool.shutdown(timeout=30)
    return pool.done


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m medextract.worker [--database URL] [--concurrency N] [--queue auto|table|procrastinate]
    [--engine module:function] [--once]``."""
    parser = argparse.ArgumentParser(
        prog="python -m medextract.worker", description="Extract queued documents until stopped."
    )
    parser.add_argument(
        "--database", help="database URL (default: as the app finds it: secrets, DATABASE_URL, the data dir)"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=0,
        help=f"documents read at once, each in its own process (default {WORKERS_ENV}, else one per core)",
    )
    parser.add_argument(
        "--queue",
        choices=("auto", "table", "procrastinate"),
        default="auto",
        help="procrastinate on PostgreSQL, the documents table on SQLite (auto, the default)",
    )
    parser.add_argument("--engine", help="module:function to call instead of extraction.extract")
    parser.add_argument("--once", action="store_true", help="stop when nothing is waiting or being read")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    secure_process()  # umask 077 and a private temporary folder: page images and OCR text stay ours
    if args.engine:
        load_engine(args.engine)  # a wrong name fails here, not in every sandbox
    ctx = Context.open(config.database_url(args.database))  # as the app and the API find it
    slots = args.concurrency if args.concurrency > 0 else default_slots()
    queue_kind = args.queue
    if queue_kind == "auto":
        queue_kind = "procrastinate" if ctx.engine.dialect.name == "postgresql" else "table"
    port = metrics.metrics_port()
    if port is not None:
        log.info("metrics on port %d", metrics.serve(ctx, port))
    webhooks.ensure_dispatcher(ctx)
    try:
        if queue_kind == "procrastinate":
            from medextract import tasks

            log.info("procrastinate worker, %d at once", slots)
            tasks.run_worker(
                ctx,
                str(ctx.engine.url.render_as_string(hide_password=False)),
                concurrency=slots,
                engine=args.engine,
                once=args.once,
            )
            done = -1
        else:
            log.info("worker on the documents table, %d at once", slots)
            done = run(ctx, engine=args.engine, once=args.once, slots=slots)
    finally:
        webhooks.stop_dispatcher(ctx)
        ctx.close()
    log.info("worker stopped" + (f" after {done} document(s)" if done >= 0 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
