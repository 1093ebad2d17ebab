"""Command line: ``python -m extraction [--type auto|TYPE] [--json] FILE...``.

A stable contract: with ``--json`` one JSON object per line per file, in input order; a file
that fails prints ``{"file": ..., "error": ...}`` and the others still run; exit code 1 if any
file failed, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from extraction.doctypes import document_types
from extraction.errors import ExtractionError
from extraction.pipeline import extract
from extraction.types import ExtractionResult


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
    parser.add_argument("files", nargs="+", metavar="FILE")
    return parser


def run_file(path: str, doc_type: str) -> dict[str, Any]:
    """The CLI record for one file: the result's dict with its name, or the error message."""
    try:
        result = extract(path, doc_type=doc_type, filename=path)
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


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    args = build_parser().parse_args(argv)
    failed = False
    for path in args.files:
        record = run_file(path, args.type)
        failed = failed or "error" in record
        print(
            json.dumps(record, ensure_ascii=False) if args.json else format_table(record),
            file=out,
            flush=True,
        )
    return 1 if failed else 0


__all__ = ["ExtractionResult", "build_parser", "format_table", "main", "run_file"]
