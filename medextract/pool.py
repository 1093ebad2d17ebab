"""The local pool of extraction slots, and the background pool the app and the API run.

A ``Pool`` has slots (default one per core, MEDEXTRACT_WORKERS), each a thread that claims a
document (``jobs.claim_next``: highest priority, then oldest; or one whose worker's lease expired),
reads and stores it (``medextract.processing.process_job``), and goes on. A slot with no document
waiting learns layouts from verified documents (``medextract.learning``).

``ensure_background_worker`` starts one pool per database per process (what ``make run`` and the
API run, with the documents table as the queue); ``wake_background_worker`` starts it at once
after an upload, and ``wait_for_progress`` lets a page wait for its next finished document.
``python -m medextract.worker`` runs a pool as a separate process.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

from medextract import learning, lifecycle
from medextract.cores import CoreShare
from medextract.engine_runner import ExtractFn, Runner, env_limit, make_runner
from medextract.processing import process_job, wait_for_finished
from medextract.services import jobs, webhooks
from medextract.services.context import Context

# The worker's log, whichever module writes it: its lines read as they did before the split.
log = logging.getLogger("medextract.worker")

POLL_SECONDS = 0.5
ERROR_BACKOFF_SECONDS = 5.0
WORKERS_ENV = "MEDEXTRACT_WORKERS"

# Per database: this process's pool (its slots, stop flag, and the event that wakes it for an upload).
_workers: dict[str, Pool] = {}
_workers_lock = threading.Lock()


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


def wait_for_progress(ctx: Context, since: int, timeout: float) -> bool:
    """Block until a document finishes after ``since`` (a ``processing.finished_count``) or
    ``timeout``; True when one did. Returns False at once when no worker thread of this process
    serves ``ctx``'s database (a separate worker process cannot wake us: the caller polls instead)."""
    running = _workers.get(ctx.url)
    if running is None or not running.alive():
        return False
    return wait_for_finished(since, timeout)
