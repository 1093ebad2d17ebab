"""Documents and pages per minute with 1 and 2 workers, side by side, on the same documents.

Generates ``--documents`` documents of mixed damage (``docgen.generate_set``: the familiar
layouts under every damage profile) once, then for each worker count queues all of them in a new
SQLite database and lets a pool of that many slots extract them: each slot claims under a lease
and reads in its own sandboxed engine process, exactly as ``make run`` and ``make worker`` do.
The engines are started before the clock starts (their start is a worker's, not a document's).
Each document's engine gets its share of the cores among the documents being read, as in the
app (``--cores N`` divides N cores instead of this machine's: ``--cores 1`` reads every document
on one thread). ``--rounds`` repeats the comparison, the worker counts taking turns, so a machine
whose load changes during the run weighs on each count alike; the table adds the rounds up.
Prints a table (with the engines' CPU seconds per page, tesseract's and poppler's included, and
how many cores they kept busy), the seconds per page of each stage, and a paper model of the
machines needed for 100,000 pages a day.

Usage: ``python -m benchmarks.throughput [--documents 60] [--seed 7] [--workers 1,2] [--rounds 1]
[--cores N]``
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select

from benchmarks.corpus import generated_documents
from medextract import lifecycle, metrics
from medextract.cores import CoreShare
from medextract.models import Document
from medextract.pool import Pool
from medextract.sandbox import Sandbox
from medextract.services import accounts, upload
from medextract.services.context import CLI, Context
from medextract.services.jobs import PRIORITY_BULK

PAGES_PER_DAY = 100_000


def stage_totals() -> dict[str, tuple[float, float]]:
    """(sum, count) of the seconds-per-page histogram per stage, so far in this process."""
    totals: dict[str, list[float]] = {}
    for family in metrics.REGISTRY.collect():
        if family.name != "medextract_stage_seconds_per_page":
            continue
        for sample in family.samples:
            stage = sample.labels.get("stage", "")
            if sample.name.endswith("_sum"):
                totals.setdefault(stage, [0.0, 0.0])[0] = sample.value
            elif sample.name.endswith("_count"):
                totals.setdefault(stage, [0.0, 0.0])[1] = sample.value
    return {stage: (values[0], values[1]) for stage, values in totals.items()}


def run_pool(
    paths: Sequence[Path], workers: int, folder: Path, name: str = "", cores: int | None = None
) -> dict[str, float]:
    """Queue every file in a new database, extract them with ``workers`` slots; the figures."""
    ctx = Context.open(f"sqlite:///{folder / f'throughput_{workers}{name}.db'}")
    accounts.create_account(ctx, "bench", role="clerk", by=CLI)
    for path in paths:
        outcome = upload.add_upload(
            ctx, path.name, path.read_bytes(), uploader="bench", priority=PRIORITY_BULK
        )
        assert outcome.accepted, outcome.message
    used_before = _children_cpu_seconds()
    sandboxes = [Sandbox() for _ in range(workers)]
    for box in sandboxes:
        box.start()
    spare = list(sandboxes)
    used_before += sum(_cpu_seconds_so_far(box) for box in sandboxes)  # their start is not the run's
    before = stage_totals()
    started = time.perf_counter()
    pool = Pool(ctx, slots=workers, make=spare.pop, cores=CoreShare(cores)).start()
    while _waiting(ctx) > 0:
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    pool.shutdown(timeout=30)  # the engines are reaped: their CPU time is counted from here on
    cpu_seconds = _children_cpu_seconds() - used_before
    with ctx.read() as session:
        rows = dict(session.execute(select(Document.status, func.count()).group_by(Document.status)).all())
        pages = session.execute(select(func.coalesce(func.sum(Document.pages), 0))).scalar_one()
    after = stage_totals()
    ctx.close()
    stages = {
        stage: (total - before.get(stage, (0.0, 0.0))[0]) / max(count - before.get(stage, (0.0, 0.0))[1], 1)
        for stage, (total, count) in after.items()
    }
    done = rows.get(lifecycle.EXTRACTED, 0)
    return {
        "seconds": seconds,
        "documents": float(len(paths)),
        "extracted": float(done),
        "failed": float(rows.get(lifecycle.FAILED, 0)),
        "pages": float(pages),
        "docs_per_minute": len(paths) * 60 / seconds,
        "pages_per_minute": pages * 60 / seconds,
        "cpu_seconds": cpu_seconds,
        **{f"stage:{stage}": value for stage, value in stages.items()},
    }


def _cpu_seconds_so_far(box: Sandbox) -> float:
    """The CPU time a live engine process has used (Linux), 0 where it cannot be read."""
    try:
        fields = Path(f"/proc/{box._process.pid}/stat").read_text().rpartition(")")[2].split()  # type: ignore[union-attr]
    except (OSError, AttributeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def _children_cpu_seconds() -> float:
    """CPU time of this process's reaped children and theirs: the engines, tesseract, poppler."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _waiting(ctx: Context) -> int:
    with ctx.read() as session:
        query = select(func.count()).where(Document.status.in_(lifecycle.WAITING_FOR_ENGINE))
        return int(session.execute(query).scalar_one())


def combined(runs: Sequence[dict[str, float]]) -> dict[str, float]:
    """Several runs of one worker count as one: totals, rates over the total time, mean stages."""
    total = {
        key: sum(run[key] for run in runs)
        for key in ("seconds", "documents", "extracted", "failed", "pages", "cpu_seconds")
    }
    stages = {key for run in runs for key in run if key.startswith("stage:")}
    return {
        **total,
        "docs_per_minute": total["documents"] * 60 / total["seconds"],
        "pages_per_minute": total["pages"] * 60 / total["seconds"],
        **{key: sum(run.get(key, 0.0) for run in runs) / len(runs) for key in stages},
    }


def report(results: dict[int, dict[str, float]]) -> str:
    counts = sorted(results)
    lines = [
        "| workers | documents | pages | failed | seconds | documents/min | pages/min | s/page | speed-up"
        " | CPU s/page | cores busy |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    cores = os.cpu_count() or 1
    base = results[counts[0]]["pages_per_minute"]
    for n in counts:
        r = results[n]
        lines.append(
            f"| {n} | {r['documents']:.0f} | {r['pages']:.0f} | {r['failed']:.0f} | {r['seconds']:.1f} |"
            f" {r['docs_per_minute']:.1f} | {r['pages_per_minute']:.1f} | {60 / r['pages_per_minute']:.2f} |"
            f" {r['pages_per_minute'] / base:.2f}x | {r['cpu_seconds'] / r['pages']:.2f} |"
            f" {r['cpu_seconds'] / r['seconds']:.2f} of {cores} |"
        )
    stages = sorted({key for r in results.values() for key in r if key.startswith("stage:")})
    lines += ["", "Seconds per page per stage (mean over documents):", ""]
    lines.append("| stage | " + " | ".join(f"{n} worker(s)" for n in counts) + " |")
    lines.append("|---|" + "---|" * len(counts))
    for key in stages:
        lines.append(f"| {key[6:]} | " + " | ".join(f"{results[n].get(key, 0.0):.3f}" for n in counts) + " |")
    best = results[counts[-1]]
    core_seconds = 60 / best["pages_per_minute"] * counts[-1]
    per_machine_day = best["pages_per_minute"] * 60 * 24
    per_machine_shift = best["pages_per_minute"] * 60 * 8
    lines += [
        "",
        f"Paper model for {PAGES_PER_DAY:,} pages a day, at {best['pages_per_minute']:.1f} pages/min per"
        f" {counts[-1]}-core machine ({core_seconds:.2f} core-seconds per page):",
        f"- around the clock: {per_machine_day:,.0f} pages per machine per day ->"
        f" {math.ceil(PAGES_PER_DAY / per_machine_day)} machine(s),"
        f" {math.ceil(PAGES_PER_DAY / per_machine_day * 1.5)} with 50 % headroom for peaks",
        f"- within an 8-hour working day: {per_machine_shift:,.0f} pages per machine ->"
        f" {math.ceil(PAGES_PER_DAY / per_machine_shift)} machine(s),"
        f" {math.ceil(PAGES_PER_DAY / per_machine_shift * 1.5)} with 50 % headroom",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.throughput", description=__doc__)
    parser.add_argument("--documents", type=int, default=60, help="generated documents (default 60)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    parser.add_argument("--rounds", type=int, default=1, help="times each count runs, in turns (default 1)")
    parser.add_argument("--cores", type=int, help="cores the engines divide (default: this machine's)")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    folder = Path(tempfile.mkdtemp(prefix="medextract-throughput-"))
    documents = generated_documents(args.documents, args.seed, folder)
    paths = [doc.path for doc in documents]
    print(
        f"{len(paths)} generated documents ({', '.join(sorted({d.source for d in documents}))})", flush=True
    )
    runs: dict[int, list[dict[str, float]]] = {n: [] for n in counts}
    for round_number in range(1, max(1, args.rounds) + 1):
        for workers in counts:
            load = os.getloadavg()[0]
            run = run_pool(paths, workers, folder, f"_{round_number}", args.cores)
            runs[workers].append(run)
            print(
                f"round {round_number}, {workers} worker(s): {run['seconds']:.1f} s,"
                f" {run['pages_per_minute']:.1f} pages/min (load average {load:.1f} at the start)",
                flush=True,
            )
    print()
    print(report({n: combined(runs[n]) for n in counts}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
