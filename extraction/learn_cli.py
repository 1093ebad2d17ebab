"""``python -m extraction learn --templates DIR FILE VALUES.json``: learn a form from one document.

VALUES.json holds the verified values, as the reading command prints them::

    {"document_type": "prescription", "fields": {"patient_name": "Ann Lee", ...}}

A field's value may also be an object with a ``"value"`` (as in ``--json`` output) and, to
point at where it is printed, ``"page"`` and ``"box"`` ([x0, y0, x1, y1] in the pixels of the
page image the engine reads). The layout is written to DIR as ``<id>.json`` (printed words and
geometry only, never a value) and a one-line JSON summary goes to stdout. Exit code 1 when the
document or the values cannot be used, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from extraction.doctypes import document_types, get_document_type
from extraction.errors import ExtractionError
from extraction.layouts import TemplateError, TemplateStore, learn_layout
from extraction.pipeline import extract
from extraction.types import Box


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m extraction learn",
        description="Learn a clinic's form from one document and its verified values.",
    )
    parser.add_argument("--templates", required=True, metavar="DIR", help="folder of learned layouts")
    parser.add_argument("--taught-by", default="", help="who verified the values (kept with the layout)")
    parser.add_argument("file", metavar="FILE", help="the document (PDF, PNG, JPEG, TIFF)")
    parser.add_argument("values", metavar="VALUES.json", help="its verified values")
    return parser


def read_values(path: str) -> tuple[str, dict[str, str], dict[str, tuple[int, Box]]]:
    """The document type, the verified values and the boxes pointed at, from VALUES.json.
    Raises ValueError with a message naming what is wrong."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("fields"), dict):
        raise ValueError('expected {"document_type": ..., "fields": {name: value}}')
    doc_type = data.get("document_type")
    if doc_type not in document_types():
        raise ValueError(f"document_type {doc_type!r} is not one of {sorted(document_types())}")
    spec = get_document_type(doc_type)
    values: dict[str, str] = {}
    drawn: dict[str, tuple[int, Box]] = {}
    for name, given in data["fields"].items():
        if name not in spec.field_names:
            raise ValueError(f"{name!r} is not a field of {doc_type}")
        entry: dict[str, Any] = given if isinstance(given, dict) else {"value": given}
        values[name] = str(entry.get("value") or "")
        if entry.get("box"):
            x0, y0, x1, y1 = (int(v) for v in entry["box"])
            drawn[name] = (int(entry.get("page") or 0), (x0, y0, x1, y1))
    return doc_type, values, drawn


def main(argv: Sequence[str] | None = None, out: TextIO = sys.stdout) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        doc_type, values, drawn = read_values(args.values)
    except (OSError, ValueError) as exc:
        print(f"{args.values}: {exc}", file=sys.stderr)
        return 1
    try:
        result = extract(args.file, doc_type=doc_type, filename=args.file)
        template = learn_layout(result, get_document_type(doc_type), values, drawn, taught_by=args.taught_by)
        path = TemplateStore(args.templates).save(template)
    except (ExtractionError, TemplateError, OSError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    summary = {
        "id": template.id,
        "name": template.name,
        "document_type": template.document_type,
        "fields": sorted(template.fields),
        "path": str(path),
    }
    print(json.dumps(summary, ensure_ascii=False), file=out)
    return 0
