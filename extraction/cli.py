"""Command line: ``python -m extraction [--type auto|TYPE] [--json] [--jobs N] [--templates DIR] FILE...``.

A stable contract: with ``--json`` one JSON object per line per file, in input order; a file
that fails prints ``{"file": ..., "error": ...}`` and the others still run; exit code 1 if any
file failed, 2 for bad arguments.

In bulk: a folder stands for every PDF, PNG, JPEG and TIFF under it, ``@LIST`` (or ``--list``) for
the paths in a text file, one per line. ``--jobs N`` files are read at once, in N processes
(default one per core), each engine on its share of the cores. ``--output FILE`` writes the
records to a file instead, as JSON Lines (the ``--json`` records) or CSV (``--format``, else the
file's extension), each record as soon as its file is read; ``--resume`` skips the files already
in that file, so an interrupted run goes on where it stopped. A progress bar with an estimate of
the time left goes to stderr when it is a terminal (``--progress`` forces it, ``--no-progress``
hides it).

``--templates DIR`` reads with the layouts learned in DIR (``python -m extraction learn``, see
``extraction.learn_cli``); each record then also has ``"layout": {"id", "match"}`` or null.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from extraction.doctypes import document_types
from extraction.errors import ExtractionError
from extraction.layouts import LayoutTemplate, TemplateError, TemplateStore
from extraction.options import DEFAULT_OPTIONS, Options
from extraction.pipeline import extract
from extraction.types import ExtractionResult

DOCUMENT_SUFFIXES = frozenset({".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"})
FORMATS = ("jsonl", "csv")
CSV_HEAD = ("file", "error", "document_type", "type_confidence", "pages", "seconds")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m extraction",
        description="Read prescriptions and patient records (PDF, PNG, JPEG, TIFF) into fields.",
    )
    parser.add_argument(
        "--type",
        default="auto",
        choices=["auto", *sorted(document_types())],
        help="document type; auto detects it (default)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line per file")
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        help="files read at once, one process each (default: one per core)",
    )
    parser.add_argument(
        "--list", action="append", default=[], metavar="LIST", help="a file of paths, one per line"
    )
    parser.add_argument("--output", "-o", metavar="FILE", help="write the records to FILE instead of stdout")
    parser.add_argument("--format", choices=FORMATS, help="jsonl or csv (default: from --output's extension)")
    parser.add_argument(
        "--resume", action="store_true", help="skip files already in --output; append the rest"
    )
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress", action="store_true", default=None, help="always show the progress bar"
    )
    progress.add_argument("--no-progress", dest="progress", action="store_false", help="never show it")
    parser.add_argument(
        "--templates", metavar="DIR", help="read with the layouts learned in DIR (python -m extraction learn)"
    )
    parser.add_argument("files", nargs="*", metavar="FILE", help="files, folders, or @LIST files of paths")
    return parser


def run_file(
    path: str, doc_type: str, layouts: Sequence[LayoutTemplate] | None = None, options: Options | None = None
) -> dict[str, Any]:
    """The CLI record for one file: the result's dict with its name, or the error message."""
    try:
        result = extract(path, doc_type=doc_type, filename=path, layouts=layouts, options=options)
    except ExtractionError as exc:
        return {"file": path, "error": str(exc)}
    except Exception as exc:  # one broken file must never stop the batch
        return {"file": path, "error": f"Unexpected error ({type(exc).__name__}): {exc}"}
    return {"file": path, **result.to_dict()}


def format_table(record: dict[str, Any]) -> str:
    """A readable block for one file: type, then one line per field, '!' marking fields to check."""
    if "error" in record:
        return f"{record['file']}: ERROR {record['error']}"
    header = (
        f"{record['file']}: {record['document_type']} (confidence {record['type_confidence']:.2f}), "
        f"{record['pages']} page(s), {record['seconds']:.1f} s"
    )
    rows = [header]
    width = max((len(name) for name in record["fields"]), default=0)
    for name, evidence in record["fields"].items():
        mark = "!" if evidence["needs_review"] else " "
        value = evidence["value"].replace("\n", " / ") or "(blank)"
        reason = f"   <- {evidence['reason']}" if evidence["needs_review"] else ""
        rows.append(f"  {mark} {name:<{width}}  {value}  [{evidence['confidence']:.2f}]{reason}")
    return "\n".join(rows)


def expand_inputs(arguments: Sequence[str], lists: Sequence[str] = ()) -> list[str]:
    """The files to read: each argument as given, a folder's documents (sorted, recursively), the
    lines of ``@LIST`` arguments and ``lists`` (blank lines and ``#`` comments skipped)."""
    paths: list[str] = []
    for argument in [*arguments, *(f"@{name}" for name in lists)]:
        if argument.startswith("@") and len(argument) > 1:
            lines = Path(argument[1:]).read_text(encoding="utf-8").splitlines()
            paths += [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
        elif Path(argument).is_dir():
            found = (p for p in Path(argument).rglob("*") if p.suffix.lower() in DOCUMENT_SUFFIXES)
            paths += sorted(str(p) for p in found if p.is_file())
        else:
            paths.append(argument)
    return paths


def output_format(path: str | None, chosen: str | None) -> str:
    """``--format``, else the output file's extension (.csv), else JSON Lines."""
    if chosen:
        return chosen
    return "csv" if path and path.lower().endswith(".csv") else "jsonl"


def done_files(path: Path, fmt: str) -> set[str]:
    """The files an earlier run already wrote to ``path``; a line cut short by an interruption is
    dropped from the file, so the run appends after the last whole record."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    if len(whole) != len(data):
        path.write_bytes(whole)
    text = whole.decode("utf-8-sig")
    if fmt == "csv":
        return {row["file"] for row in csv.DictReader(text.splitlines()) if row.get("file")}
    done = set()
    for line in text.splitlines():
        try:
            done.add(json.loads(line)["file"])
        except (ValueError, KeyError, TypeError):
            continue
    return done


def csv_columns() -> list[str]:
    """The CSV header: the file, its error or type, then every known field's value and evidence."""
    columns = list(CSV_HEAD)
    for doc_type in document_types().values():
        for spec in doc_type.fields:
            for column in (spec.name, f"{spec.name}__confidence", f"{spec.name}__needs_review"):
                if column not in columns:
                    columns.append(column)
    return columns


def csv_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading ' (as the app's export does)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_row(record: dict[str, Any]) -> dict[str, Any]:
    row = {key: csv_cell(record.get(key, "")) for key in CSV_HEAD}
    for name, evidence in record.get("fields", {}).items():
        row[name] = csv_cell(evidence["value"])
        row[f"{name}__confidence"] = evidence["confidence"]
        row[f"{name}__needs_review"] = "yes" if evidence["needs_review"] else "no"
    return row


class Sink:
    """Where records go: stdout (the --json contract, or the table), or a JSON Lines / CSV file."""

    def __init__(self, out: TextIO, *, as_json: bool, path: str | None, fmt: str, append: bool) -> None:
        self.out, self.as_json, self.fmt = out, as_json, fmt
        self.file: TextIO | None = None
        self.writer: csv.DictWriter[str] | None = None
        if path is None:
            return
        target = Path(path)
        fresh = not append or not target.exists() or target.stat().st_size == 0
        self.file = target.open("w" if not append else "a", encoding="utf-8", newline="")
        if fmt == "csv":
            self.writer = csv.DictWriter(self.file, fieldnames=csv_columns(), extrasaction="ignore")
            if fresh:
                self.writer.writeheader()

    def write(self, record: dict[str, Any]) -> None:
        if self.file is None:
            text = json.dumps(record, ensure_ascii=False) if self.as_json else format_table(record)
            print(text, file=self.out, flush=True)
            return
        if self.writer is not None:
            self.writer.writerow(csv_row(record))
        else:
            self.file.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


def read_all(
    paths: Sequence[str],
    doc_type: str,
    jobs: int,
    layouts: Sequence[LayoutTemplate] | None = None,
    options: Options | None = None,
) -> Iterator[dict[str, Any]]:
    """Each file's record, in input order, reading ``jobs`` files at once in worker processes.

    The workers are forked from this process, which has imported the engine already. A worker
    that dies (a crash in a native library) costs only its own file: the files that were being
    read then are read again one at a time, each in a new process, and the rest go on.
    """
    if jobs <= 1 or len(paths) <= 1:
        for path in paths:
            yield run_file(path, doc_type, layouts, options)
        return
    yield from _read_in_pool(paths, doc_type, jobs, layouts, options)


def _read_in_pool(
    paths: Sequence[str],
    doc_type: str,
    jobs: int,
    layouts: Sequence[LayoutTemplate] | None,
    options: Options | None,
) -> Iterator[dict[str, Any]]:
    results: dict[int, dict[str, Any]] = {}
    suspects: set[int] = set()
    emitted, submitted = 0, 0
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        running: dict[Future[dict[str, Any]], int] = {}
        while submitted < len(paths) or running:
            while submitted < len(paths) and len(running) < jobs * 2:  # in input order
                running[pool.submit(run_file, paths[submitted], doc_type, layouts, options)] = submitted
                submitted += 1
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                index = running.pop(future)
                try:
                    results[index] = future.result()
                except BrokenProcessPool:
                    suspects.add(index)
            if suspects:  # the pool is unusable, and every file it was reading is suspect
                suspects.update(running.values())
                pool.shutdown(wait=False, cancel_futures=True)
                break
            while emitted in results:
                yield results.pop(emitted)
                emitted += 1
    for index in range(emitted, submitted):  # everything submitted comes before the rest
        if index in results:
            yield results.pop(index)
        elif len(paths) == 1:
            yield {"file": paths[0], "error": "Unexpected error: the process reading this file died"}
        else:
            yield from _read_in_pool([paths[index]], doc_type, 1, layouts, options)
    if submitted < len(paths):
        yield from _read_in_pool(paths[submitted:], doc_type, jobs, layouts, options)


def progress_bar(total: int, show: bool | None) -> Callable[[dict[str, Any]], None]:
    """A callback per finished file that moves a bar on stderr (files, pages, time left), or nothing."""
    if total == 0 or show is False or (show is None and not sys.stderr.isatty()):
        return lambda _record: None
    try:
        from tqdm import tqdm
    except ImportError:  # the engine alone, without the app's requirements
        return lambda _record: None
    tqdm.monitor_interval = 0  # no monitor thread in a process that forks workers
    bar = tqdm(total=total, unit="file", file=sys.stderr, dynamic_ncols=True)
    pages = errors = 0

    def advance(record: dict[str, Any]) -> None:
        nonlocal pages, errors
        pages += int(record.get("pages") or 0)
        errors += "error" in record
        bar.set_postfix(pages=pages, failed=errors, refresh=False)
        bar.update(1)
        if bar.n >= total:
            bar.close()

    return advance


def engine_threads(jobs: int) -> Options:
    """The engine's options for ``jobs`` files read at once: each process its share of the cores,
    since a second thread in a process whose siblings keep every core busy only contends."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return replace(DEFAULT_OPTIONS, page_workers=max(1, cores // max(1, jobs)))


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["learn"]:
        from extraction.learn_cli import main as learn

        return learn(argv[1:], out)
    parser = build_parser()
    args = parser.parse_args(argv)
    layouts = None
    if args.templates:
        try:
            layouts, broken = TemplateStore(args.templates).readable()
        except TemplateError as exc:
            parser.error(str(exc))
        for error in broken:  # one broken layout file leaves the others and the files to read
            print(f"warning: {error}; read without it", file=sys.stderr)
    try:
        paths = expand_inputs(args.files, args.list)
    except OSError as exc:
        parser.error(f"cannot read a list of files: {exc}")
    if not paths:
        parser.error("no files to read (give files, folders or @LIST files)")
    if args.resume and not args.output:
        parser.error("--resume needs --output (the file whose records are kept)")
    fmt = output_format(args.output, args.format)
    if args.resume:
        done = done_files(Path(args.output), fmt)
        paths = [path for path in paths if path not in done]
    jobs = args.jobs if args.jobs > 0 else os.cpu_count() or 1
    sink = Sink(out, as_json=args.json, path=args.output, fmt=fmt, append=args.resume)
    advance = progress_bar(len(paths), args.progress)
    failed = False
    try:
        for record in read_all(paths, args.type, jobs, layouts, engine_threads(min(jobs, len(paths)))):
            failed = failed or "error" in record
            sink.write(record)
            advance(record)
    finally:
        sink.close()
    return 1 if failed else 0


__all__ = [
    "ExtractionResult",
    "build_parser",
    "expand_inputs",
    "format_table",
    "main",
    "read_all",
    "run_file",
]
