"""What an operator watches, in the Prometheus text format: queue depth, throughput, time per page
per stage, failures by kind.

The worker records each document it finishes here (``document_done`` / ``document_failed``);
``serve(ctx, port)`` exposes them on ``http://HOST:PORT/metrics`` (the worker starts it when
MEDEXTRACT_METRICS_PORT is set). The queue depth is read from the database at each scrape, so
every worker shows the whole queue. Nothing here names a file or a patient: labels are statuses,
stages and failure kinds.

    medextract_queue_depth{status="queued"|"extracting"}      documents waiting / being read
    medextract_documents_total{outcome="extracted"|"failed"}  documents finished by this worker
    medextract_pages_total                                     pages of the documents extracted
    medextract_documents_per_minute, medextract_pages_per_minute   over the last 5 minutes
    medextract_stage_seconds_per_page{stage}                   histogram: engine stage time / pages
    medextract_document_seconds                                histogram: a document's engine time
    medextract_failures_total{kind}                            timeout, memory, crashed, engine, ...
"""

from __future__ import annotations

import collections
import os
import threading
import time
from collections.abc import Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from medextract import lifecycle

METRICS_PORT_ENV = "MEDEXTRACT_METRICS_PORT"
METRICS_ADDR_ENV = "MEDEXTRACT_METRICS_ADDR"
WINDOW_SECONDS = 300.0
QUEUE_STATUSES = (lifecycle.QUEUED, lifecycle.EXTRACTING)
# The engine's time per page when this process has read nothing lately (the upload's estimate):
# the README's measured 1.0 s a page for the two-page record and 1.5 s for a one-page photo.
DEFAULT_SECONDS_PER_PAGE = 1.5

REGISTRY = CollectorRegistry()
DOCUMENTS = Counter("medextract_documents", "Documents this worker finished.", ["outcome"], registry=REGISTRY)
PAGES = Counter("medextract_pages", "Pages of the documents this worker extracted.", registry=REGISTRY)
FAILURES = Counter(
    "medextract_failures", "Documents that failed, by kind of failure.", ["kind"], registry=REGISTRY
)
STAGE_SECONDS = Histogram(
    "medextract_stage_seconds_per_page",
    "Seconds per page spent in each engine stage.",
    ["stage"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0),
    registry=REGISTRY,
)
DOCUMENT_SECONDS = Histogram(
    "medextract_document_seconds",
    "Seconds from the start of a document's extraction to its result.",
    buckets=(0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 45.0, 90.0, 180.0),
    registry=REGISTRY,
)

# (when, pages, engine seconds) of each document finished here; a failed one has no pages
_recent: collections.deque[tuple[float, int, float]] = collections.deque()
_recent_lock = threading.Lock()


def document_done(pages: int, stage_seconds: dict[str, float], seconds: float) -> None:
    """Count one extracted document: its pages, each stage's seconds per page, its time."""
    DOCUMENTS.labels(lifecycle.EXTRACTED).inc()
    PAGES.inc(pages)
    DOCUMENT_SECONDS.observe(seconds)
    for stage, spent in stage_seconds.items():
        STAGE_SECONDS.labels(stage).observe(spent / max(pages, 1))
    with _recent_lock:
        _recent.append((time.monotonic(), pages, seconds))


def document_failed(kind: str) -> None:
    """Count one failed document by ``kind`` (a sandbox kind, or "store")."""
    DOCUMENTS.labels(lifecycle.FAILED).inc()
    FAILURES.labels(kind).inc()
    with _recent_lock:
        _recent.append((time.monotonic(), 0, 0.0))


def per_minute(now: float | None = None) -> tuple[float, float]:
    """(documents, pages) per minute over the last five minutes (or since the first document)."""
    recent = _window(now)
    if not recent:
        return 0.0, 0.0
    now = time.monotonic() if now is None else now
    span = max(now - recent[0][0], 60.0)  # one document in the first second is not 60/min
    documents, pages = len(recent), sum(p for _, p, _ in recent)
    return documents * 60 / span, pages * 60 / span


def seconds_per_page(now: float | None = None) -> float | None:
    """The engine's seconds per page over the last five minutes: the time of the documents this
    process extracted, over their pages (each document's own time, however many run at once).
    None when it extracted none (a worker in another process: see ``DEFAULT_SECONDS_PER_PAGE``)."""
    recent = [(p, s) for _, p, s in _window(now) if p > 0]
    pages = sum(p for p, _ in recent)
    return sum(s for _, s in recent) / pages if pages else None


def _window(now: float | None) -> list[tuple[float, int, float]]:
    """The documents finished in the last five minutes, oldest first (older ones are dropped)."""
    now = time.monotonic() if now is None else now
    with _recent_lock:
        while _recent and _recent[0][0] < now - WINDOW_SECONDS:
            _recent.popleft()
        return list(_recent)


class _Live(Collector):
    """Read at each scrape: the queue's depth from the database, the per-minute rates."""

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from medextract.services import queue
        from medextract.services.context import WORKER

        depth = GaugeMetricFamily("medextract_queue_depth", "Documents by queue status.", labels=["status"])
        try:
            counts = queue.status_counts(self.ctx, user=WORKER)
        except Exception:  # the database is briefly unreachable: no depth this scrape
            counts = None
        if counts is not None:
            for status in QUEUE_STATUSES:
                depth.add_metric([status], counts.get(status, 0))
        yield depth
        documents, pages = per_minute()
        yield GaugeMetricFamily(
            "medextract_documents_per_minute", "Documents finished per minute (last 5 min).", value=documents
        )
        yield GaugeMetricFamily(
            "medextract_pages_per_minute", "Pages extracted per minute (last 5 min).", value=pages
        )


_served: dict[int, Any] = {}


def metrics_port() -> int | None:
    """MEDEXTRACT_METRICS_PORT, or None (no endpoint)."""
    raw = os.environ.get(METRICS_PORT_ENV, "").strip()
    return int(raw) if raw.isdigit() else None


def serve(ctx: Any, port: int, addr: str | None = None) -> int:
    """Expose the metrics on ``addr:port`` (default MEDEXTRACT_METRICS_ADDR or 127.0.0.1); the port.

    Port 0 takes a free one. Once per process: a second call returns the first server's port.
    """
    if _served:
        return next(iter(_served))
    registry = CollectorRegistry()
    registry.register(_Registered(REGISTRY))
    registry.register(_Live(ctx))
    host = addr or os.environ.get(METRICS_ADDR_ENV, "").strip() or "127.0.0.1"
    server, _thread = start_http_server(port, addr=host, registry=registry)
    bound = int(server.server_port)
    _served[bound] = server
    return bound


class _Registered(Collector):
    """The module's counters and histograms inside the served registry."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Any]:
        yield from self.registry.collect()


def render(ctx: Any) -> str:
    """The text a scrape would get (for tests and a one-off look)."""
    from prometheus_client import generate_latest

    registry = CollectorRegistry()
    registry.register(_Registered(REGISTRY))
    registry.register(_Live(ctx))
    return generate_latest(registry).decode()
