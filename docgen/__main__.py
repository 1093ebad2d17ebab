"""`python -m docgen OUTDIR --n 40 --seed 1`: write a balanced set of documents and their truth.json.

`--profiles tuning` / `held_out` / NAME... and `--fonts tuning` / `held_out` choose the damage and
the faces (printed and handwriting) from the groups the engine may be tuned on or not.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from docgen.degrade import PROFILE_GROUPS, profile_names
from docgen.document import FORMATS, generate_set, write_document
from docgen.fonts import FONT_SETS

_PREFIX = {"prescription": "pre", "patient_details": "pd"}


def main(argv: list[str] | None = None) -> int:
    """Write the files and OUTDIR/truth.json (keyed by file name, as in the shared samples)."""
    parser = argparse.ArgumentParser(prog="python -m docgen", description=__doc__)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--n", type=int, default=40, help="number of documents (default 40)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--profiles",
        nargs="+",
        default=None,
        help=f"profiles to cycle through: {', '.join(PROFILE_GROUPS)} or names (default: all)",
    )
    parser.add_argument("--fonts", choices=FONT_SETS, default="all", help="font set (default: all)")
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        default="pdf",
        help="file format; png/jpeg hold one page, so two-page records are written as pdf",
    )
    args = parser.parse_args(argv)
    try:
        profiles = profile_names(args.profiles)
    except ValueError as exc:
        parser.error(str(exc))
    args.outdir.mkdir(parents=True, exist_ok=True)
    truth: dict[str, dict[str, object]] = {}
    for index, doc in enumerate(generate_set(args.n, args.seed, profiles, fonts=args.fonts)):
        fmt = args.fmt if len(doc.pages) == 1 or args.fmt in ("pdf", "tiff") else "pdf"
        ext = {"jpeg": "jpg", "tiff": "tif"}.get(fmt, fmt)
        name = f"{_PREFIX[doc.doc_type]}_{index:04d}_{doc.profile}.{ext}"
        write_document(doc, args.outdir / name, fmt)
        truth[name] = {"document_type": doc.doc_type, "fields": doc.truth}
    (args.outdir / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    print(f"wrote {len(truth)} documents and truth.json to {args.outdir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
