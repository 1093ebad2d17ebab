"""Extraction as procrastinate tasks: the queue of a PostgreSQL deployment (``make worker``).

procrastinate keeps its jobs in the PostgreSQL the deployment already runs (migration 0005 puts
its schema in the schema ``procrastinate``). A trigger on ``documents`` defers one
``extract_document(document_id)`` job whenever a document becomes "queued", in the transaction
that queued it, with the document's priority: an upload is never acknowledged without its job,
and a clerk's upload is fetched before an API batch (procrastinate fetches higher priority first).

Each worker process runs ``concurrency`` jobs at once (default one per core), each in its own
sandboxed engine. Workers on several machines share the database. procrastinate records a
heartbeat per worker; every worker also looks for jobs whose worker's heartbeat stopped for a
lease (MEDEXTRACT_LEASE_SECONDS) and retries them. The task itself takes the document under the
same lease as the local pool (``jobs.claim_document``), renewed by its own heartbeat while it
reads: a retried job takes the document only once that lease expired too, so a document is never
taken from a worker that is alive, and only the lease's holder may store a result.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue as queue_module
import signal
import threading
from dataclasses import dataclass, field
from typing import Any

import procrastinate
from procrastinate import JobContext, RetryStrategy
from sqlalchemy.engine import make_url

from medextract import learning, lifecycle, processing
from medextract.cores import CoreShare
from medextract.encryption import DataKeyError
from medextract.engine_runner import Runner
from medextract.sandbox import Sandbox
from medextract.services import jobs
from medextract.services import learning as learning_jobs
from medextract.services.context import Context

log = logging.getLogger(__name__)

SCHEMA = "procrastinate"  # migration 0005
QUEUE = "extraction"
TASK = "extract_document"
LEARN_TASK = "learn_layout"  # deferred by migration 0009's trigger for every learning task
STATE = "medextract"  # the key of the worker's state in the jobs' context


class LeaseHeld(Exception):
    """The document is being read by a live worker (a retried job came early): try again later."""


@dataclass
class WorkerState:
    """What the tasks of one worker process share: the database, its sandboxes, its stop flag,
    and the cores its documents' engines divide among them."""

    ctx: Context
    runners: queue_module.Queue[Runner]
    stop: threading.Event = field(default_factory=threading.Event)
    cores: CoreShare = field(default_factory=CoreShare)


def conninfo(url: str) -> str:
    """A libpq connection string for a SQLAlchemy PostgreSQL URL."""
    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def make_app(url: str) -> procrastinate.App:
    """A procrastinate App on ``url`` whose connections see procrastinate's schema first."""
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(url), kwargs={"options": f"-c search_path={SCHEMA},public"}
    )
    app = procrastinate.App(connector=connector)
    lease = jobs.lease_seconds()
    app.task(
        name=TASK,
        queue=QUEUE,
        pass_context=True,
        # DataKeyError: this worker lacks the key the document was stored with; another may have it
        retry=RetryStrategy(
            max_attempts=20, wait=max(1, int(lease)), retry_exceptions=[LeaseHeld, DataKeyError]
        ),
    )(extract_document)
    app.task(
        name=LEARN_TASK,
        queue=QUEUE,
        pass_context=True,
        retry=RetryStrategy(max_attempts=20, wait=max(1, int(lease)), retry_exceptions=[LeaseHeld]),
    )(learn_layout)
    return app


def extract_document(context: JobContext, document_id: int) -> None:
    """The task: take the document under a lease, read it in a sandbox, store the outcome."""
    state: WorkerState = (context.additional_context or {})[STATE]
    job = jobs.claim_document(state.ctx, document_id)
    if job is None:
        holder = jobs.lease_holder(state.ctx, document_id)
        # Still waiting to be read: its lease was alive when the claim was refused (it may have
        # expired since; the retry takes it then). Only a document that moved on ends the job.
        if holder is not None and holder[0] in (lifecycle.QUEUED, lifecycle.EXTRACTING):
            raise LeaseHeld(f"document {document_id} is held by a worker's lease")
        return  # extracted already, failed, or moved on (a re-extract deferred its own job)
    runner = state.runners.get()
    try:
        with state.cores.reading() as page_workers:
            processing.process_job(state.ctx, job, runner, state.stop, page_workers=page_workers)
    finally:
        state.runners.put(runner)


def learn_layout(context: JobContext, job_id: int) -> None:
    """The learning task (issue 10): take it under a lease, read the verified document again in a
    sandbox if need be, store the layout it teaches (``medextract.learning``)."""
    state: WorkerState = (context.additional_context or {})[STATE]
    job = learning_jobs.claim_job(state.ctx, job_id)
    if job is None:
        # Held under a lease when the claim was refused (it may have expired since: the retry
        # takes it then). Only a task that is done, failed or dropped ends the job.
        if learning_jobs.still_to_do(state.ctx, job_id):
            raise LeaseHeld(f"learning task {job_id} is held by a worker's lease")
        return
    runner = state.runners.get()
    try:
        learning.process(state.ctx, job, runner)
    finally:
        state.runners.put(runner)


async def _retry_stalled(app: procrastinate.App, lease: float, stop: asyncio.Event) -> None:
    """Every half lease: put back the jobs of workers whose heartbeat stopped a lease ago."""
    while not stop.is_set():
        try:
            stalled = await app.job_manager.get_stalled_jobs(queue=QUEUE, seconds_since_heartbeat=lease)
            for job in stalled:
                try:
                    await app.job_manager.retry_job(job)
                    log.warning("job %s (document %s): its worker stopped; retried", job.id, _doc(job))
                except Exception:  # another worker retried it first
                    log.debug("job %s was retried elsewhere", job.id)
        except Exception:
            log.warning("could not look for stalled jobs", exc_info=True)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=lease / 2)


def _doc(job: Any) -> Any:
    return (job.task_kwargs or {}).get("document_id")


def run_worker(
    ctx: Context, url: str, *, concurrency: int, engine: str | None = None, once: bool = False
) -> None:
    """Run a procrastinate worker on ``url`` until SIGTERM/SIGINT (with ``once``: until caught up).

    Its sandboxes are started here, in the main thread, so that each child process lives as long as
    this process (and dies with it).
    """
    runners: queue_module.Queue[Runner] = queue_module.Queue()
    started = []
    for _ in range(concurrency):
        runner = Sandbox(engine)
        runner.start()
        runners.put(runner)
        started.append(runner)
    state = WorkerState(ctx, runners)
    app = make_app(url)
    lease = jobs.lease_seconds()
    try:
        asyncio.run(_run(app, state, concurrency=concurrency, lease=lease, once=once))
    finally:
        for runner in started:
            runner.close()


async def _run(
    app: procrastinate.App, state: WorkerState, *, concurrency: int, lease: float, once: bool
) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    async with app.open_async():
        work = asyncio.create_task(
            app.run_worker_async(
                queues=[QUEUE],
                concurrency=concurrency,
                wait=not once,
                install_signal_handlers=False,
                additional_context={STATE: state},
                update_heartbeat_interval=max(lease / 3, 0.5),
                stalled_worker_timeout=lease,
                fetch_job_polling_interval=min(5.0, lease),
                delete_jobs="successful",
                name="medextract",
            )
        )

        def stop(*_: Any) -> None:
            state.stop.set()  # running documents are put back in the queue at once
            stopping.set()
            work.cancel()  # procrastinate then stops gracefully: it waits for the running jobs

        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop)
        recovery = asyncio.create_task(_retry_stalled(app, lease, stopping))
        try:
            await work
        except asyncio.CancelledError:
            pass
        finally:
            stopping.set()
            await recovery
