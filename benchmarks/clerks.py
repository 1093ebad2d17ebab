"""Several clerks at once while the worker pool extracts: is the review app still responsive?

One app server as `make run` starts it (`streamlit run serve.py` with its local worker pool), on a
fresh SQLite database holding N clerk accounts, N x ``--documents`` (+ N spare) ``docgen``
documents already extracted by the tests' fake engine (the clerks' queue, oldest first: real
page images, known fields), and ``--extract``
documents from ``docgen`` uploaded as a bulk batch just before the server starts, so the pool
reads them (real OCR) while the clerks work. Each clerk is its own headless Chromium (a thread
each), signed in, on the Review page; together they start the loop:

- open: "Review next" clicked -> a document's title and fields shown (once per clerk: after
  that, Verify & next opens the next one);
- field edit: the patient's name clicked, Ctrl+A, a new name typed, Enter -> the rerun finished
  and the page settled (``review_effort.Clerk.act``: the wall time, at least the round trip);
- Verify & next: Alt+V -> the next document's title and fields shown.

Reports per action kind the median, p90 and max over all clerks, the sessions that failed or
timed out (a step waits ``--timeout`` s at most, 90 as in issue 13), whether two clerks ever
had the same document open (claims must prevent it), the load average, and the pages the pool
extracted per minute while the clerks worked, the server's own time per script run (the page
script's wall time from start to end as the server timed it, and the CPU seconds of its thread,
which the load of the machine hardly moves; all sessions' runs, and with one clerk its edits'
runs alone too), and the CPU seconds the server process used per clerk action (read
from /proc: what the sessions share, and the figure least moved by other load on the machine).
``--profile PATH`` writes a cProfile of every script run there. ``--clerks 1,5`` runs each count
on a fresh server and database, one after the other, in the same invocation.

Usage, from the repository's root:
``python -m benchmarks.clerks [--clerks 1,5] [--documents 10] [--extract 20] [--profile PATH]``
(``-m`` puts the root on the path, for the tests' helpers). Needs Chromium at /usr/bin/chromium,
tesseract and poppler.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from benchmarks import review_effort
from benchmarks.corpus import generated_documents
from benchmarks.review_effort import WS_PROBE, App, Clerk, Run, start
from medextract import lifecycle
from medextract.models import Document
from medextract.services import accounts, upload
from medextract.services.context import CLI, Context
from medextract.services.jobs import PRIORITY_BULK
from tests.app_support import PRESCRIPTION, TEAM, add_people, fake_extract, process
from tests.test_e2e_browser import CHROMIUM, CHROMIUM_ARGS, sign_in, stop_app
from tests.test_e2e_review import PASSWORD, field_input
from tests.test_store_support import FAST_HASHER, SYSTEM

VIEWPORT = (1440, 900)
NAMES = ["Mary Clerkson", "Ann Reviewer"]  # the edit alternates between them

# A document other than ``prev`` is shown (title and fields); the moment is kept in the page.
SHOWN_OTHER_JS = """(prev) => {
  const m = document.body.innerText.match(/Review #(\\d+):/);
  if (!m || Number(m[1]) === prev) return false;
  if (!document.querySelector('.st-key-field_' + m[1] + '_patient_name input')) return false;
  window.__mxShownAt = performance.now();
  return Number(m[1]);
}"""


@dataclass
class ClerkRun:
    name: str
    opened: list[int] = field(default_factory=list)  # document ids, in order
    times: dict[str, list[float]] = field(default_factory=dict)  # action kind -> seconds
    edits: list[tuple[float, float]] = field(default_factory=list)  # each edit's wall-clock window
    failure: str = ""


def prepare(
    data: Path, clerks: int, documents: int, queue: list[Path], batch: list[Path]
) -> tuple[list[str], set[int]]:
    """The database: clerk accounts; their queue, ``clerks`` x (``documents`` + 1) generated
    documents extracted by the fake engine (real page images, known fields); the batch queued for
    the pool. The clerks' names and the batch's document ids."""
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}", hasher=FAST_HASHER)
    try:
        add_people(ctx, TEAM)  # the uploader "seed"
        for path in queue[: clerks * (documents + 1)]:
            outcome = upload.add_upload(ctx, path.name, path.read_bytes(), uploader="seed")
            assert outcome.accepted, outcome.message
        process(ctx, fake_extract(PRESCRIPTION))
        names = [f"clerk{index + 1}" for index in range(clerks)]
        for name in names:
            accounts.create_account(ctx, name, role="clerk", by=CLI)
            accounts.set_password(ctx, name, PASSWORD, by=SYSTEM)
        queued = set()
        for path in batch:
            outcome = upload.add_upload(
                ctx, path.name, path.read_bytes(), uploader="seed", priority=PRIORITY_BULK
            )
            assert outcome.accepted, outcome.message
            queued.add(outcome.document_id)
    finally:
        ctx.close()
    return names, queued


class Extraction:
    """Polls the database: when each batch document's extraction finished, and its pages."""

    def __init__(self, data: Path, ids: set[int]) -> None:
        self.ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
        self.ids = ids
        self.done: dict[int, tuple[float, int]] = {}  # id -> (time seen finished, pages)
        self.load: list[float] = []  # 1-minute load average, sampled
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.poll, daemon=True)

    def poll(self) -> None:
        while not self.stop.is_set():
            self.load.append(os.getloadavg()[0])
            with self.ctx.read() as session:
                rows = session.execute(
                    select(Document.id, Document.status, Document.pages).where(Document.id.in_(self.ids))
                ).all()
            now = time.time()
            for doc_id, status, pages in rows:
                if doc_id not in self.done and lifecycle.extraction_finished(status):
                    self.done[doc_id] = (now, pages or 0)
            self.stop.wait(1.0)

    def pages_between(self, start: float, end: float) -> tuple[int, float]:
        """Pages finished between two times, and the seconds the batch was being read in them
        (to ``end``, or to its last document's finish when it ran out of work first)."""
        pages = sum(pages for at, pages in self.done.values() if start <= at <= end)
        if len(self.done) == len(self.ids) and self.done:
            end = min(end, max(at for at, _ in self.done.values()))
        return pages, max(end - start, 0.0)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        self.ctx.close()


def shown(page: Any, prev: int) -> int:
    """Wait for a document other than ``prev`` to be shown; its id."""
    handle = page.wait_for_function(SHOWN_OTHER_JS, arg=prev, polling="raf", timeout=review_effort.WAIT_MS)
    return int(handle.json_value())


def clerk_loop(
    name: str, url: str, app: App, documents: int, ready: threading.Barrier, out: ClerkRun
) -> None:
    """One clerk in its own Chromium: sign in, wait for the others, then the review loop."""
    from playwright.sync_api import sync_playwright

    page = None
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
                context.add_init_script(WS_PROBE)
                page = context.new_page()
                page.set_default_timeout(review_effort.WAIT_MS)
                sign_in(page, url, name, PASSWORD)
                page.goto(f"{url}/review")
                button = page.get_by_role("button", name="Review next")
                button.wait_for()
                clerk = Clerk(page, Run(VIEWPORT), app.run_log)
                clerk.settle(clerk.now())
                ready.wait(timeout=300)

                t0 = clerk.now()
                button.click()
                doc_id = shown(page, -1)
                out.times.setdefault("open", []).append((page.evaluate("window.__mxShownAt") - t0) / 1000)
                out.opened.append(doc_id)
                clerk.settle(t0)
                # Its keys (Alt+V) are the viewer's: listened for once it is up. A clerk who pressed
                # Alt+V before that on the session's first document would see nothing happen.
                page.locator(".mx-box").first.wait_for()
                for index in range(documents):
                    field_input(page, doc_id, "patient_name").click()
                    page.keyboard.press("Control+A")
                    page.keyboard.type(NAMES[index % 2])
                    edit_from = time.time()
                    clerk.press("edit", "field", "Enter")
                    out.edits.append((edit_from, time.time()))
                    out.times.setdefault("edit", []).append(clerk.run.actions[-1].wall)
                    out.times.setdefault("edit_server", []).append(clerk.run.actions[-1].server)
                    # Script runs that ended meanwhile: this edit's own only when it is the only clerk.
                    out.times.setdefault("edit_script", []).append(clerk.run.actions[-1].script)
                    t0 = clerk.now()
                    page.keyboard.press("Alt+V")
                    next_id = shown(page, doc_id)
                    out.times.setdefault("verify", []).append(
                        (page.evaluate("window.__mxShownAt") - t0) / 1000
                    )
                    clerk.settle(t0)
                    doc_id = next_id
                    out.opened.append(doc_id)
            except Exception:
                if page is not None:
                    shot = Path(tempfile.gettempdir()) / f"clerks_{name}_failed.png"
                    page.screenshot(path=str(shot))
                    print(f"{name}: the page when it failed: {shot}", file=sys.stderr)
                raise
            finally:
                browser.close()
    except Exception as exc:  # one clerk's failure is a figure, not the end of the run
        kind = "timed out" if "Timeout" in type(exc).__name__ else "failed"
        out.failure = (
            f"{kind} after {len(out.times.get('verify', []))} documents: {type(exc).__name__}: {exc}"
        )
        out.failure = out.failure.splitlines()[0]
        traceback.print_exc(file=sys.stderr)


def quantile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    if len(xs) == 1:
        return xs[0]
    return statistics.quantiles(xs, n=10, method="inclusive")[int(p * 10) - 1]


@dataclass
class Result:
    clerks: int
    runs: list[ClerkRun]
    seconds: float
    load: list[float]
    load_end: tuple[float, float, float]
    pages: int
    pages_seconds: float
    pages_total: int
    batch_done: int
    batch: int
    verified: dict[str, int]
    batch_status: dict[str, int]
    script_runs: list[tuple[float, float]]  # (seconds, CPU seconds) of each script run (all sessions)
    server_cpu: float  # CPU seconds the server process (all its threads) used during the review
    edit_runs: list[tuple[float, float]]  # the script runs that ended within an edit's window


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, all its threads, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def script_runs(run_log: Path, start: float, end: float) -> list[tuple[float, float]]:
    """(seconds, CPU seconds of its thread) of each script run that ended between two wall-clock
    times (the server's log)."""
    lines = [line.split() for line in (run_log.read_text().splitlines() if run_log.exists() else [])]
    return [(float(x[1]), float(x[3])) for x in lines if start <= float(x[0]) <= end]


def run_once(
    clerks: int,
    documents: int,
    queue: list[Path],
    batch: list[Path],
    tmp: Path,
    profile: Path | None = None,
) -> Result:
    base = tmp / f"clerks-{clerks}"
    base.mkdir()
    data = base / "data"
    names, queued = prepare(data, clerks, documents, queue, batch)
    app = App(None, data, base / "runs.log", {})
    extraction = Extraction(data, queued)
    runs = [ClerkRun(name) for name in names]
    ready = threading.Barrier(clerks + 1)
    try:
        start(app, tmp, profile, worker=True)
        extraction.thread.start()
        threads = [
            threading.Thread(target=clerk_loop, args=(name, app.url, app, documents, ready, out))
            for name, out in zip(names, runs, strict=True)
        ]
        for thread in threads:
            thread.start()
        try:
            ready.wait(timeout=300)
        except threading.BrokenBarrierError:
            print("not every clerk got signed in and ready", file=sys.stderr)
        started = time.time()
        cpu_from = process_cpu(app.process.pid)
        load_from = len(extraction.load)
        for thread in threads:
            thread.join()
        ended = time.time()
        server_cpu = process_cpu(app.process.pid) - cpu_from
        load_end = os.getloadavg()
    finally:
        extraction.close()
        if app.process:
            stop_app(app.process)
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        with ctx.read() as session:
            rows = session.execute(
                select(Document.verified_by).where(Document.status == lifecycle.VERIFIED)
            ).all()
            statuses = session.execute(select(Document.status).where(Document.id.in_(queued))).scalars().all()
    finally:
        ctx.close()
    verified: dict[str, int] = {}
    for (by,) in rows:
        verified[by] = verified.get(by, 0) + 1
    return Result(
        clerks,
        runs,
        ended - started,
        extraction.load[load_from:],
        load_end,
        *extraction.pages_between(started, ended),
        sum(pages for _, pages in extraction.done.values()),
        len(extraction.done),
        len(queued),
        verified,
        dict(Counter(statuses)),
        script_runs(app.run_log, started, ended),
        server_cpu,
        [run for out in runs for window in out.edits for run in script_runs(app.run_log, *window)],
    )


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def report(result: Result) -> None:
    print(
        f"\n## {result.clerks} clerk(s): {result.seconds:.0f} s of review,"
        f" load average (1 min) during it {min(result.load, default=0):.1f}-{max(result.load, default=0):.1f}"
        f" (mean {statistics.mean(result.load) if result.load else float('nan'):.1f}),"
        f" at the end {' '.join(f'{x:.2f}' for x in result.load_end)}\n"
    )
    print("| action | n | median s | p90 s | max s |")
    print("|---|---|---|---|---|")
    labels = {
        "edit": "field edit -> rerun finished",
        "edit_server": "  (its round trip: rerun asked -> finished)",
        "open": "open document (Review next)",
        "verify": "Verify & next -> next shown",
    }
    if result.clerks == 1:  # with more, an edit's window holds the other sessions' runs too
        labels["edit_script"] = "  (its script runs, as the server timed them)"
    for kind, label in labels.items():
        xs = [x for run in result.runs for x in run.times.get(kind, [])]
        digits = 3 if kind == "edit_script" else 2  # a few hundredths: the milliseconds matter
        print(
            f"| {label} | {len(xs)} | {statistics.median(xs) if xs else float('nan'):.{digits}f}"
            f" | {quantile(xs, 0.9):.{digits}f} | {max(xs, default=float('nan')):.{digits}f} |"
        )
    walls, cpus = [w for w, _ in result.script_runs], [c for _, c in result.script_runs]
    print(
        f"\nScript runs (all sessions): {len(walls)}, median {median(walls):.3f} s,"
        f" p90 {quantile(walls, 0.9):.3f} s, {sum(walls):.1f} s in all;"
        f" CPU of the script's thread median {1000 * median(cpus):.1f} ms, {sum(cpus):.1f} s in all"
    )
    if result.clerks == 1:  # with more, an edit's window holds the other sessions' runs too
        edits = [c for _, c in result.edit_runs]
        print(f"  the edits' runs: {len(edits)}, CPU median {1000 * median(edits):.1f} ms")
    actions = sum(len(run.times.get(kind, [])) for run in result.runs for kind in ("open", "edit", "verify"))
    print(
        f"Server process CPU during the review: {result.server_cpu:.1f} s"
        f" ({1000 * result.server_cpu / max(actions, 1):.0f} ms per clerk action, {actions} actions;"
        " its page routes and the pool's threads included, not the engines' own processes)"
    )
    failed = [run for run in result.runs if run.failure]
    print(f"\nSessions failed or timed out: {len(failed)} of {len(result.runs)}")
    for run in failed:
        print(f"  {run.name}: {run.failure}")
    holders: dict[int, list[str]] = {}
    for run in result.runs:
        for doc_id in run.opened:
            holders.setdefault(doc_id, []).append(run.name)
    shared = {doc_id: who for doc_id, who in holders.items() if len(set(who)) > 1}
    print(
        "Two clerks on one document: "
        + (", ".join(f"#{d} {'/'.join(w)}" for d, w in sorted(shared.items())) if shared else "never")
    )
    print(f"Verified, per clerk: {result.verified}")
    minutes = result.pages_seconds / 60
    print(
        f"Extraction meanwhile: {result.pages} pages finished"
        f" in the review's first {result.pages_seconds:.0f} s"
        f" ({result.pages / minutes if minutes else float('nan'):.1f} pages/min);"
        f" {result.batch_done} of {result.batch} batch documents ({result.pages_total} pages) done by the end"
        f" (statuses: {result.batch_status})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", default="1,5", help="clerk counts, one run each (default 1,5)")
    parser.add_argument("--documents", type=int, default=10, help="documents each clerk verifies")
    parser.add_argument("--extract", type=int, default=20, help="docgen documents for the pool")
    parser.add_argument("--seed", type=int, default=13, help="docgen seed")
    parser.add_argument("--timeout", type=float, default=90, help="seconds one step may wait")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the server's script runs here")
    args = parser.parse_args(argv)
    review_effort.WAIT_MS = int(args.timeout * 1000)  # Clerk's waits read it at call time
    counts = [int(x) for x in args.clerks.split(",")]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for folder in ("queue", "batch"):
            (tmp / folder).mkdir()
        started = time.perf_counter()
        need = max(counts) * (args.documents + 1)
        queue = [d.path for d in generated_documents(need, args.seed + 1, tmp / "queue")]
        batch = [d.path for d in generated_documents(args.extract, args.seed, tmp / "batch")]
        print(
            f"{need} + {len(batch)} documents generated in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        ok = True
        for count in counts:
            profile = args.profile.with_suffix(f".{count}{args.profile.suffix}") if args.profile else None
            result = run_once(count, args.documents, queue, batch, tmp, profile)
            report(result)
            ok &= not any(run.failure for run in result.runs)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
