"""The extraction worker: takes queued documents, runs the engine, stores what it found.

The engine runs outside any database transaction (OCR takes seconds; a transaction held that
long would block every clerk on SQLite). Whatever the engine raises, the document ends "failed"
with a message and the loop goes on.
"""

from __future__ import annotations

import argparse
import importlib
import io
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from medextract.services import jobs
from medextract.services.context import Context
from medextract.services.jobs import EngineField, EngineOutput, EnginePage, Job

log = logging.getLogger(__name__)

ExtractFn = Callable[..., Any]
POLL_SECONDS = 0.5
ERROR_BACKOFF_SECONDS = 5.0

# Per database: the worker thread, its stop flag, and the event that wakes it for a new upload.
_workers: dict[str, tuple[threading.Thread, threading.Event, threading.Event]] = {}
_workers_lock = threading.Lock()
# Documents finished in this process (any database), and the condition pages wait on for the
# next one: a page watching an upload wakes the moment its document is done instead of polling.
_finished = 0
_progress = threading.Condition()


def _env_limit(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else default


def engine_options() -> Any:
    """The engine's Options with the limits read from the environment now, not at import time.

    MEDEXTRACT_MAX_PAGES and MEDEXTRACT_MAX_PAGE_PIXELS apply to the next document without a
    restart (the engine's own defaults are fixed when it is first imported).
    """
    from dataclasses import replace

    from extraction import DEFAULT_OPTIONS

    return replace(
        DEFAULT_OPTIONS,
        max_pages=_env_limit("MEDEXTRACT_MAX_PAGES", DEFAULT_OPTIONS.max_pages),
        max_page_pixels=_env_limit("MEDEXTRACT_MAX_PAGE_PIXELS", DEFAULT_OPTIONS.max_page_pixels),
    )


def _default_extract() -> ExtractFn:
    from extraction import extract  # lazily: medextract imports without the engine

    def extract_with_limits(source: Any, **kwargs: Any) -> Any:
        return extract(source, options=kwargs.pop("options", None) or engine_options(), **kwargs)

    return extract_with_limits


def _default_engine_errors() -> tuple[type[BaseException], ...]:
    try:
        from extraction import ExtractionError
    except ImportError:
        return ()
    return (ExtractionError,)


def encode_page(image: Any) -> EnginePage:
    """A PIL page image as PNG (lossless: boxes and small print stay exact).

    Compression level 1: 4x faster than the default on a phone photo's page (0.08 s vs 0.35 s)
    for 15 % more bytes, and this runs between OCR and the clerk seeing the fields.
    """
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return EnginePage(
        width=int(image.width), height=int(image.height), media_type="image/png", data=out.getvalue()
    )


def _text(value: Any) -> str:
    """Text as the database takes it: PostgreSQL refuses NUL characters, which OCR can produce."""
    return str(value or "").replace("\x00", "")


def to_output(result: Any) -> EngineOutput:
    """The parts of an engine result that are stored (any object with the result's attributes)."""
    fields = [
        EngineField(
            name=name,
            value=_text(f.value),
            confidence=float(f.confidence),
            needs_review=bool(f.needs_review),
            reason=_text(f.reason) or None,
            page=int(f.page or 0),
            box=tuple(int(v) for v in f.box) if f.box else None,  # type: ignore[arg-type]
        )
        for name, f in result.fields.items()
    ]
    return EngineOutput(
        doc_type=_text(result.document_type),
        type_confidence=float(result.type_confidence),
        pages=int(result.pages),
        fields=fields,
        page_images=[encode_page(image) for image in result.page_images],
    )


def process_job(
    ctx: Context, job: Job, extract_fn: ExtractFn, engine_errors: tuple[type[BaseException], ...]
) -> bool:
    """Extract one claimed document and store the outcome; True when it ended "extracted"."""
    try:
        return _process_job(ctx, job, extract_fn, engine_errors)
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
    if running is None or not running[0].is_alive():
        return False
    with _progress:
        return _progress.wait_for(lambda: _finished != since, timeout)


def _announce_progress() -> None:
    global _finished
    with _progress:
        _finished += 1
        _progress.notify_all()


def _process_job(
    ctx: Context, job: Job, extract_fn: ExtractFn, engine_errors: tuple[type[BaseException], ...]
) -> bool:
    if job.cached:
        return True  # claim_next already re-used the stored extraction of these bytes
    started = time.perf_counter()
    try:
        result = extract_fn(job.content, doc_type=job.requested, filename=job.filename)
        engine_done = time.perf_counter()
        output = to_output(result)  # PNG encoding too stays outside the transaction
        encoded = time.perf_counter()
    except engine_errors as exc:
        jobs.fail_extraction(ctx, job, str(exc) or type(exc).__name__)
        return False
    except Exception as exc:  # a bug or a broken file must not stop the queue
        log.exception("extraction of document %s failed unexpectedly", job.document_id)
        jobs.fail_extraction(ctx, job, f"Unexpected error: {type(exc).__name__}: {exc}")
        return False
    try:
        saved = jobs.save_extraction(ctx, job, output)
        stages = getattr(result, "stage_seconds", None) or {}
        log.info(
            "document %s: engine %.2f s (%s), encode %.2f s, store %.2f s",
            job.document_id,
            engine_done - started,
            ", ".join(f"{stage} {seconds:.2f}" for stage, seconds in stages.items()),
            encoded - engine_done,
            time.perf_counter() - encoded,
        )
        return saved
    except Exception as exc:
        # A result the database refuses would otherwise leave the document "extracting" and, after
        # a restart, be OCR'd and refused again forever. If the database itself is down, this
        # raises too and the loop backs off; the document is re-queued on the next start.
        log.exception("could not store the extraction of document %s", job.document_id)
        jobs.fail_extraction(
            ctx, job, f"Unexpected error while storing the result: {type(exc).__name__}: {exc}"
        )
        return False


def process_pending(
    ctx: Context,
    *,
    extract_fn: ExtractFn | None = None,
    limit: int | None = None,
    engine_errors: tuple[type[BaseException], ...] | None = None,
) -> int:
    """Extract queued documents one at a time until none is left (or ``limit``); how many were done.

    ``extract_fn`` defaults to ``extraction.extract``; ``engine_errors`` (default
    ``extraction.ExtractionError``) are the exceptions whose message is meant for a clerk.
    """
    extract_fn = extract_fn or _default_extract()
    errors = _default_engine_errors() if engine_errors is None else engine_errors
    done = 0
    while limit is None or done < limit:
        job = jobs.claim_next(ctx)
        if job is None:
            break
        process_job(ctx, job, extract_fn, errors)
        done += 1
    return done


def _loop(ctx: Context, stop: threading.Event, wake: threading.Event, extract_fn: ExtractFn | None) -> None:
    """Re-queue what a dead worker left "extracting", then extract until ``stop`` is set."""
    try:
        requeued = jobs.requeue_stuck(ctx)
        if requeued:
            log.warning("re-queued %d document(s) left in 'extracting' by a stopped worker", requeued)
    except Exception:
        log.exception("could not re-queue stuck documents")
    if extract_fn is None:
        # Import the engine (OpenCV, pdf2image, pytesseract) now, while nobody waits, not when the
        # first upload of this process arrives (measured: 0.5 s off that upload's fields).
        try:
            extract_fn = _default_extract()
        except ImportError:
            log.exception("the extraction engine cannot be imported")
    while not stop.is_set():
        try:
            busy = process_pending(ctx, extract_fn=extract_fn, limit=1)
        except Exception:  # e.g. the database is briefly unreachable: wait and try again
            log.exception("worker iteration failed")
            stop.wait(ERROR_BACKOFF_SECONDS)
            continue
        if not busy:
            # Poll, but start at once when an upload in this process says there is work.
            wake.wait(POLL_SECONDS)
            wake.clear()


def wake_background_worker(ctx: Context) -> None:
    """Tell this process's worker a document was just queued, so it starts without waiting for
    its next poll (the clerk watches the clock between upload and fields). No-op without one."""
    running = _workers.get(ctx.url)
    if running is not None:
        running[2].set()


def ensure_background_worker(ctx: Context, *, extract_fn: ExtractFn | None = None) -> None:
    """Start the daemon thread that extracts queued documents, once per database per process.

    Safe to call on every page run and from several threads. On start the thread re-queues
    documents stuck in "extracting" (a worker killed mid-document).
    """
    with _workers_lock:
        running = _workers.get(ctx.url)
        if running is not None and running[0].is_alive():
            return
        stop, wake = threading.Event(), threading.Event()
        thread = threading.Thread(
            target=_loop, args=(ctx, stop, wake, extract_fn), name="medextract-worker", daemon=True
        )
        _workers[ctx.url] = (thread, stop, wake)
        thread.start()


def stop_background_worker(ctx: Context, timeout: float = 10.0) -> bool:
    """Stop this database's worker thread after its current document; True when it has ended."""
    with _workers_lock:
        running = _workers.pop(ctx.url, None)
    if running is None:
        return True
    thread, stop, wake = running
    stop.set()
    wake.set()
    thread.join(timeout)
    return not thread.is_alive()


# ---- the standalone worker process: python -m medextract.worker ---------------------------------


def load_engine(spec: str) -> ExtractFn:
    """``module:function`` -> that callable (the engine to run; tests pass a fake, slow one)."""
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"--engine must look like module:function, got {spec!r}")
    function = getattr(importlib.import_module(module_name), attribute)
    if not callable(function):
        raise ValueError(f"{spec} is not callable")
    return function  # type: ignore[no-any-return]


def run(ctx: Context, *, extract_fn: ExtractFn | None = None, once: bool = False) -> int:
    """The worker process's main loop; returns how many documents it processed.

    Re-queues documents a killed worker left "extracting" (each document's result is stored in one
    transaction, so a kill loses at most the OCR in progress, never a document or half a record),
    then extracts until SIGTERM/SIGINT, or until the queue is empty with ``once``.
    """
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    requeued = jobs.requeue_stuck(ctx)
    if requeued:
        log.warning("re-queued %d document(s) left in 'extracting' by a stopped worker", requeued)
    done = 0
    while not stop.is_set():
        try:
            busy = process_pending(ctx, extract_fn=extract_fn, limit=1)
        except Exception:  # the database is briefly unreachable: wait and try again
            log.exception("worker iteration failed")
            stop.wait(ERROR_BACKOFF_SECONDS)
            continue
        done += busy
        if not busy:
            if once:
                break
            stop.wait(POLL_SECONDS)
    return done


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m medextract.worker [--database URL] [--engine module:function] [--once]``."""
    parser = argparse.ArgumentParser(
        prog="python -m medextract.worker", description="Extract queued documents until stopped."
    )
    parser.add_argument("--database", help="database URL (default: DATABASE_URL, else the data dir)")
    parser.add_argument("--engine", help="module:function to call instead of extraction.extract")
    parser.add_argument("--once", action="store_true", help="stop when the queue is empty")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx = Context.open(args.database)
    try:
        done = run(ctx, extract_fn=load_engine(args.engine) if args.engine else None, once=args.once)
    finally:
        ctx.close()
    log.info("worker stopped after %d document(s)", done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
