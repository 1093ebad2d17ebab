"""The kill loop: workers killed with SIGKILL mid-document, on PostgreSQL and on the SQLite pool.

Issue 13 asks that a worker killed mid-document has its document taken up by another once its
heartbeat stops, and never while it is alive; that no document is extracted twice or lost over 20
kills. This starts real worker processes (``python -m medextract.worker``: procrastinate on
PostgreSQL, the documents table on SQLite), two at a time, on a queue that is kept topped up.
Each trial waits until a worker is reading a document (not one killed before, not a slow one),
kills that worker with SIGKILL, starts a replacement, and waits until another worker takes the
document up. At the end every document must be extracted, with one "extracted" event, one set of
fields and one page image each; a document read a second time must have lost its first reader to
a kill, and been taken up only after that reader's lease expired.

The engine is a stand-in that sleeps ``--engine-seconds`` per document, and every fifth document
three leases (so live workers hold documents well past a lease, which nobody may take from them),
in the workers' sandboxed child processes as the real one runs; it notes each read: which worker,
which document, when.
These figures are about the queue, not about OCR. PostgreSQL is started as the tests start it
(``tests/pg.py``: initdb in a temporary folder, a free port).

Usage, from the repository's root: ``python -m benchmarks.kill_loop [--kills 20] [--lease 3]
[--engine-seconds 1.5] [--backends sqlite,postgresql]``. Exits 1 when a check fails (the workers'
logs are then kept, and the folder named).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
READS_ENV = "MEDEXTRACT_KILL_LOOP_READS"
SECONDS_ENV = "MEDEXTRACT_KILL_LOOP_SECONDS"
SLOW_ENV = "MEDEXTRACT_KILL_LOOP_SLOW_SECONDS"
SLOW_MARK = b"\nslow"  # after the PNG's last chunk: this document takes SLOW_ENV seconds
SLOW_EVERY = 5
ENGINE = "benchmarks.kill_loop:noting_engine"
UPLOADER = "bench"
TOP_UP = 8  # documents added whenever fewer than half this many are waiting
TAKE_UP_TIMEOUT = 120.0


# ---- the engine, run in the workers' sandboxes ---------------------------------------------------


def noting_engine(source: bytes, **_: Any) -> Any:
    """Note "time worker-pid sha256" (the sandbox's parent is its worker), sleep, read a prescription."""
    from PIL import Image

    from extraction import ExtractionResult, FieldResult

    line = f"{time.time():.6f} {os.getppid()} {hashlib.sha256(source).hexdigest()}\n"
    descriptor = os.open(os.environ[READS_ENV], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(descriptor, line.encode())  # one short O_APPEND write: lines never interleave
    finally:
        os.close(descriptor)
    slow = source.endswith(SLOW_MARK)
    time.sleep(float(os.environ.get(SLOW_ENV if slow else SECONDS_ENV, "1.5")))
    fields = {
        "patient_name": FieldResult("John Smith", 0.9, False, None, 0, (10, 10, 200, 30)),
        "refills": FieldResult("2", 0.9, False, None, 0, (10, 40, 60, 60)),
    }
    return ExtractionResult("prescription", 0.9, 1, 300, fields, page_images=[Image.new("L", (120, 80), 255)])


# ---- what the loop watches -----------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    """One document begun by the engine: when, by which worker, which bytes."""

    at: float
    worker: int
    digest: str


@dataclass
class Trial:
    """One worker killed mid-document, and who took the document up."""

    document: int
    worker: int
    killed_at: float
    lease_expires: float  # as the database held it when the worker died
    taken_at: float | None = None
    taken_by: int | None = None


@dataclass
class Figures:
    backend: str
    trials: list[Trial] = field(default_factory=list)
    near_misses: int = 0  # the document was stored between choosing and killing its worker
    documents: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    stored_twice: int = 0
    uneven_rows: int = 0
    reads: int = 0
    held_past_lease: int = 0  # slow documents read once, by a live worker, for three leases
    read_again_while_alive: int = 0
    taken_before_expiry: int = 0
    not_taken_up: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)


def read_log(path: Path) -> list[Read]:
    if not path.exists():
        return []
    reads = []
    for line in path.read_text().splitlines():
        at, worker, digest = line.split()
        reads.append(Read(float(at), int(worker), digest))
    return reads


def epoch(moment: datetime | None) -> float:
    if moment is None:
        return 0.0
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def owner_pid(owner: str | None) -> int | None:
    """The worker's pid in a lease token ("host:pid:random")."""
    parts = (owner or "").split(":")
    return int(parts[-2]) if len(parts) >= 3 and parts[-2].isdigit() else None


# ---- the workers ---------------------------------------------------------------------------------


class Workers:
    """Worker processes on one database; each logs to its own file in ``folder``."""

    def __init__(self, url: str, folder: Path, lease: float, engine_seconds: float) -> None:
        self.url, self.folder = url, folder
        self.env = {
            **os.environ,
            "PYTHONPATH": str(REPO),
            READS_ENV: str(folder / "reads.txt"),
            SECONDS_ENV: str(engine_seconds),
            SLOW_ENV: str(3 * lease),
            "MEDEXTRACT_LEASE_SECONDS": str(lease),
            "MEDEXTRACT_BACKGROUND_WORKER": "0",
        }
        self.live: dict[int, subprocess.Popen[bytes]] = {}
        self.killed: dict[int, float] = {}
        self.started = 0

    def start(self) -> int:
        log = (self.folder / f"worker{self.started}.log").open("wb")
        self.started += 1
        command = [sys.executable, "-m", "medextract.worker", "--database", self.url, "--concurrency", "1"]
        process = subprocess.Popen(
            [*command, "--engine", ENGINE], cwd=REPO, env=self.env, stdout=log, stderr=log
        )
        self.live[process.pid] = process
        return process.pid

    def kill(self, pid: int) -> float:
        process = self.live.pop(pid)
        process.send_signal(signal.SIGKILL)
        killed_at = time.time()
        process.wait(10)
        self.killed[pid] = killed_at
        return killed_at

    def stop(self) -> None:
        for process in self.live.values():
            process.send_signal(signal.SIGTERM)
        for process in self.live.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.live.clear()


# ---- one backend ---------------------------------------------------------------------------------


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A new database: a SQLite file, or a PostgreSQL server started for this run."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'medextract.db'}"
        return
    from tests.pg import create_database, find_bindir, postgres_server

    bindir = find_bindir()
    if bindir is None:
        raise SystemExit("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    with postgres_server(bindir) as base:
        yield create_database(base, f"k_{uuid.uuid4().hex[:12]}")


def document_png(index: int) -> bytes:
    """A small PNG, different for every index (so no upload is a duplicate); every SLOW_EVERY-th
    is a slow one."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("L", (160, 60), 255)
    ImageDraw.Draw(image).text((4, 4), f"kill loop {index}", fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue() + (SLOW_MARK if index % SLOW_EVERY == SLOW_EVERY - 1 else b"")


class Queue:
    """The benchmark's side of the database: uploads, and what it looks at."""

    def __init__(self, url: str) -> None:
        from medextract.services import accounts
        from medextract.services.context import CLI, Context

        self.ctx = Context.open(url)
        accounts.create_account(self.ctx, UPLOADER, role="clerk", by=CLI)
        self.digests: dict[str, int] = {}
        self.slow: set[int] = set()

    def top_up(self) -> None:
        from medextract.services import upload

        if self.counts().get("queued", 0) >= TOP_UP // 2:
            return
        for _ in range(TOP_UP):
            data = document_png(len(self.digests))
            outcome = upload.add_upload(self.ctx, f"k{len(self.digests)}.png", data, uploader=UPLOADER)
            assert outcome.accepted and outcome.document_id is not None, outcome.message
            self.digests[hashlib.sha256(data).hexdigest()] = outcome.document_id
            if data.endswith(SLOW_MARK):
                self.slow.add(outcome.document_id)

    def counts(self) -> dict[str, int]:
        from sqlalchemy import func, select

        from medextract.models import Document

        with self.ctx.engine.connect() as conn:
            rows = conn.execute(select(Document.status, func.count()).group_by(Document.status)).all()
        return {status: int(count) for status, count in rows}

    def held(self) -> dict[int, tuple[str, int | None, float]]:
        """Per document being extracted: (status, its worker's pid, its lease's expiry)."""
        from sqlalchemy import select

        from medextract.models import Document

        query = select(Document.id, Document.status, Document.lease_owner, Document.lease_expires_at)
        with self.ctx.engine.connect() as conn:
            rows = conn.execute(query.where(Document.status == "extracting")).all()
        return {r.id: (r.status, owner_pid(r.lease_owner), epoch(r.lease_expires_at)) for r in rows}

    def holder(self, doc_id: int) -> tuple[str, int | None, float]:
        from sqlalchemy import select

        from medextract.models import Document

        query = select(Document.status, Document.lease_owner, Document.lease_expires_at)
        with self.ctx.engine.connect() as conn:
            row = conn.execute(query.where(Document.id == doc_id)).one()
        return row.status, owner_pid(row.lease_owner), epoch(row.lease_expires_at)

    def per_document(self) -> tuple[Counter[int], Counter[int], Counter[int]]:
        """Per document: "extracted" events, field rows, page images."""
        from sqlalchemy import func, select

        from medextract.models import AuditEvent, FieldExtraction, PageImage

        with self.ctx.engine.connect() as conn:
            events = conn.execute(
                select(AuditEvent.document_id, func.count())
                .where(AuditEvent.action == "extracted")
                .group_by(AuditEvent.document_id)
            ).all()
            fields = conn.execute(
                select(FieldExtraction.document_id, func.count()).group_by(FieldExtraction.document_id)
            ).all()
            pages = conn.execute(
                select(PageImage.document_id, func.count()).group_by(PageImage.document_id)
            ).all()
        return (
            Counter({d: int(n) for d, n in events}),
            Counter({d: int(n) for d, n in fields}),
            Counter({d: int(n) for d, n in pages}),
        )


def choose_victim(
    queue: Queue, workers: Workers, reads: list[Read], done: set[int]
) -> tuple[int, int] | None:
    """(document, worker) for a live worker whose engine has begun a document not killed before;
    never a slow one: those are held by live workers for three leases, which nobody may take."""
    begun = {(r.worker, r.digest) for r in reads}
    by_id = {doc_id: digest for digest, doc_id in queue.digests.items()}
    for doc_id, (_, pid, _) in queue.held().items():
        if doc_id in queue.slow or doc_id in done or pid not in workers.live:
            continue
        if (pid, by_id.get(doc_id)) in begun:
            return doc_id, pid
    return None


def run_trials(queue: Queue, workers: Workers, figures: Figures, kills: int, reads_path: Path) -> None:
    killed_docs: set[int] = set()
    deadline = time.monotonic() + kills * TAKE_UP_TIMEOUT
    while len(figures.trials) < kills and time.monotonic() < deadline:
        queue.top_up()
        victim = choose_victim(queue, workers, read_log(reads_path), killed_docs)
        if victim is None:
            time.sleep(0.05)
            continue
        doc_id, pid = victim
        killed_at = workers.kill(pid)
        workers.start()  # two workers again
        status, holder, expires = queue.holder(doc_id)
        if status != "extracting" or holder != pid:
            figures.near_misses += 1  # stored before the kill landed: not a mid-document kill
            continue
        killed_docs.add(doc_id)
        trial = Trial(doc_id, pid, killed_at, expires)
        figures.trials.append(trial)
        wait_for_take_up(queue, trial, reads_path)
        print(
            f"  {figures.backend} kill {len(figures.trials):2d}: document {doc_id} "
            + (
                f"taken up {trial.taken_at - killed_at:.1f} s after the kill"
                if trial.taken_at is not None
                else "NOT taken up"
            ),
            flush=True,
        )


def wait_for_take_up(queue: Queue, trial: Trial, reads_path: Path) -> None:
    """Until another worker begins the killed worker's document (or TAKE_UP_TIMEOUT)."""
    digest = next(d for d, doc_id in queue.digests.items() if doc_id == trial.document)
    deadline = time.monotonic() + TAKE_UP_TIMEOUT
    while time.monotonic() < deadline:
        later = [r for r in read_log(reads_path) if r.digest == digest and r.worker != trial.worker]
        if later:
            first = min(later, key=lambda r: r.at)
            trial.taken_at, trial.taken_by = first.at, first.worker
            return
        queue.top_up()
        time.sleep(0.1)


def drain(queue: Queue, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = queue.counts()
        if counts.get("queued", 0) == 0 and counts.get("extracting", 0) == 0:
            return
        time.sleep(0.2)


def check(queue: Queue, workers: Workers, figures: Figures, reads: list[Read]) -> None:
    """Every document extracted exactly once; re-reads only after a kill and a lease's expiry."""
    events, fields, pages = queue.per_document()
    ids = set(queue.digests.values())
    figures.documents = len(ids)
    figures.statuses = queue.counts()
    figures.stored_twice = sum(1 for doc_id in ids if events[doc_id] > 1)
    not_extracted = len(ids) - figures.statuses.get("extracted", 0)
    if not_extracted:
        figures.problems.append(f"{not_extracted} document(s) not extracted: {figures.statuses}")
    uneven_events = sum(1 for doc_id in ids if events[doc_id] != 1)
    if uneven_events:
        figures.problems.append(f"{uneven_events} document(s) without exactly one 'extracted' event")
    figures.uneven_rows = sum(1 for doc_id in ids if (fields[doc_id], pages[doc_id]) != (2, 1))
    if figures.uneven_rows:
        figures.problems.append(f"{figures.uneven_rows} document(s) without exactly one set of results")
    figures.reads = len(reads)
    by_digest: dict[str, list[Read]] = defaultdict(list)
    for read in reads:
        by_digest[read.digest].append(read)
    killed_docs = {trial.document for trial in figures.trials}
    figures.held_past_lease = sum(
        1
        for digest, doc_id in queue.digests.items()
        if doc_id in queue.slow and doc_id not in killed_docs and len(by_digest[digest]) == 1
    )
    for digest, seen in by_digest.items():
        seen.sort(key=lambda r: r.at)
        for before, after in itertools.pairwise(seen):
            killed_at = workers.killed.get(before.worker)
            if killed_at is None or killed_at > after.at:
                figures.read_again_while_alive += 1
                figures.problems.append(f"document {queue.digests[digest]} read again while its reader lived")
    for trial in figures.trials:
        if trial.taken_at is None:
            figures.not_taken_up += 1
            figures.problems.append(f"document {trial.document} never taken up")
        elif trial.taken_at < trial.lease_expires:
            figures.taken_before_expiry += 1
            figures.problems.append(f"document {trial.document} taken before its lease expired")


def run_backend(backend: str, args: argparse.Namespace) -> Figures:
    figures = Figures(backend)
    with (
        tempfile.TemporaryDirectory(prefix=f"kill-loop-{backend}-") as tmp,
        database(backend, Path(tmp)) as url,
    ):
        folder = Path(tmp)
        queue = Queue(url)
        workers = Workers(url, folder, args.lease, args.engine_seconds)
        started = time.perf_counter()
        try:
            queue.top_up()
            workers.start()
            workers.start()
            run_trials(queue, workers, figures, args.kills, folder / "reads.txt")
            drain(queue)
        finally:
            workers.stop()
        figures.seconds = time.perf_counter() - started
        check(queue, workers, figures, read_log(folder / "reads.txt"))
        if figures.problems:
            kept = Path(tempfile.mkdtemp(prefix=f"kill-loop-logs-{backend}-"))
            for log in folder.glob("*.log"):
                (kept / log.name).write_bytes(log.read_bytes())
            figures.problems.append(f"worker logs kept in {kept}")
        queue.ctx.close()
    return figures


def report(all_figures: list[Figures], args: argparse.Namespace) -> None:
    print()
    print(f"Kill loop: lease {args.lease:g} s, engine {args.engine_seconds:g} s a document, 2 workers")
    print(
        f"{'backend':<11} {'kills':>5} {'docs':>5} {'extracted':>9} {'failed':>6} {'stored 2x':>9} "
        f"{'lost':>4} {'reads':>5} {'re-read alive':>13} {'early':>5} {'take-up s (min/med/max)':>24} "
        f"{'after expiry s (min)':>20} {'wall s':>7}"
    )
    for f in all_figures:
        delays = [t.taken_at - t.killed_at for t in f.trials if t.taken_at is not None]
        margins = [t.taken_at - t.lease_expires for t in f.trials if t.taken_at is not None]
        spread = f"{min(delays):.1f}/{statistics.median(delays):.1f}/{max(delays):.1f}" if delays else "-"
        extracted = f.statuses.get("extracted", 0)
        print(
            f"{f.backend:<11} {len(f.trials):>5} {f.documents:>5} {extracted:>9} "
            f"{f.statuses.get('failed', 0):>6} {f.stored_twice:>9} {f.documents - extracted:>4} "
            f"{f.reads:>5} {f.read_again_while_alive:>13} {f.taken_before_expiry:>5} {spread:>24} "
            f"{(min(margins) if margins else 0):>20.2f} {f.seconds:>7.0f}"
        )
        print(
            f"  {f.backend}: {f.held_past_lease} slow document(s) read once by a live worker"
            " over 3 leases: none taken from it"
        )
        if f.near_misses:
            print(f"  {f.backend}: {f.near_misses} kill(s) landed after the document was stored (retried)")
        for problem in f.problems:
            print(f"  {f.backend} PROBLEM: {problem}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.kill_loop", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--kills", type=int, default=20, help="workers killed mid-document per backend")
    parser.add_argument("--lease", type=float, default=3.0, help="MEDEXTRACT_LEASE_SECONDS for the workers")
    parser.add_argument(
        "--engine-seconds", type=float, default=1.5, help="the stand-in engine's time a document"
    )
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    args = parser.parse_args(argv)
    all_figures = []
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        print(f"{backend}: {args.kills} kills", flush=True)
        all_figures.append(run_backend(backend, args))
    report(all_figures, args)
    return 1 if any(f.problems for f in all_figures) else 0


if __name__ == "__main__":
    sys.exit(main())
