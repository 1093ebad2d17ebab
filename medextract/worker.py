"""The standalone extraction worker process: ``python -m medextract.worker`` (``make worker``).

On SQLite the documents table is the queue (``run``: a ``medextract.pool.Pool`` in this process,
the same as ``make run``'s background pool). On PostgreSQL the deployment's workers are
procrastinate workers (``medextract.tasks``), which call the same claim, heartbeat, sandbox and
store for each task (``medextract.processing``).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from collections.abc import Sequence

from medextract import config, metrics
from medextract.engine_runner import ExtractFn, InProcess, Runner, default_engine_errors, load_engine
from medextract.pool import WORKERS_ENV, Pool, default_slots
from medextract.privacy import secure_process
from medextract.sandbox import Sandbox
from medextract.services import webhooks
from medextract.services.context import Context

log = logging.getLogger(__name__)


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
