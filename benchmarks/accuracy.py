"""Field-level accuracy of the engine on the real samples and a generated set.

Prints exact-match rates per field, per degradation profile and per layout family, the share of
documents that need zero edits, the share of fields flagged for review (the clerk's checking load)
and the share of fields that are wrong without a flag (the honesty figure: target <= 1 %).
Generated documents cycle through docgen layout families: ``--families all`` (default),
``tuning`` (the families the engine may be tuned on), ``held_out`` (the others) or ``NAME,NAME``;
likewise through damage profiles (``--profiles all|tuning|held_out|NAME...``), and their printed
and handwriting faces come from ``--fonts all|tuning|held_out``. Tune on ``--families tuning
--fonts tuning --profiles tuning``; the held-out groups are for the final measurement only.
A document of an "unknown" family has no fields; its type is right when the engine says "unknown".
Usage: ``python benchmarks/accuracy.py [--generated N] [--seed S] [--families F] [--fonts F]
[--profiles P...] [--dpi D] [--psm P]``.
Per-document details go to benchmarks/out/accuracy.json (or ``--out FILE``); where the run may
draw held-out documents, theirs hold only whether each field was exact, flagged and filled in.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import (
    FONT_SETS,
    BenchDocument,
    family_names,
    generated_documents,
    measured_only,
    profile_names,
    sample_documents,
    touches_held_out,
)
from extraction import ExtractionError, Options, extract

OUT = Path(__file__).resolve().parent / "out"


@dataclass
class Tally:
    """Counts for one group of fields (a field name, a profile, or everything)."""

    fields: int = 0
    exact: int = 0
    flagged: int = 0
    wrong_unflagged: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, exact: bool, flagged: bool, example: str) -> None:
        self.fields += 1
        self.exact += exact
        self.flagged += flagged
        if not exact and not flagged:
            self.wrong_unflagged += 1
            if len(self.examples) < 3:
                self.examples.append(example)

    def row(self, name: str) -> str:
        return (
            f"{name:<32}{self.fields:>7}{pct(self.exact, self.fields):>9}{pct(self.flagged, self.fields):>9}"
            f"{pct(self.wrong_unflagged, self.fields):>11}"
        )


@dataclass
class FamilyTally(Tally):
    """A family's field counts plus how many of its documents got the right type."""

    documents: int = 0
    type_right: int = 0

    def row(self, name: str) -> str:
        return super().row(name) + f"{pct(self.type_right, self.documents):>9}{self.documents:>6}"


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def run_one(doc: BenchDocument, options: Options) -> dict:
    """One document's outcome as plain data (runs in a worker process)."""
    try:
        result = extract(doc.path, options=options)
    except ExtractionError as exc:
        return {"file": doc.path.name, "source": doc.source, "family": doc.family, "error": str(exc)}
    except Exception as exc:  # an engine crash is one failed document, not the end of the run
        error = f"engine crashed: {type(exc).__name__}: {exc}"
        return {"file": doc.path.name, "source": doc.source, "family": doc.family, "error": error}
    return {
        "file": doc.path.name,
        "source": doc.source,
        "family": doc.family,
        "hand": "sample" if doc.source == "sample" else "handwritten" if doc.handwriting else "typed",
        "truth_type": doc.doc_type,
        "type": result.document_type,
        "seconds": result.seconds,
        "fields": {
            name: {
                "truth": truth,
                "value": result.fields[name].value if name in result.fields else None,
                "flagged": result.fields[name].needs_review if name in result.fields else True,
                "reason": result.fields[name].reason if name in result.fields else "type not detected",
            }
            for name, truth in doc.truth.items()
        },
    }


def report(outcomes: list[dict], values: bool = True) -> None:
    """Print the tallies of ``outcomes``; with ``values`` False the unflagged misses are named
    by document and field only (what was read and what was written stay out of sight: held-out
    documents are measured, never studied)."""
    overall, by_field, by_source, by_hand = (
        Tally(),
        defaultdict(Tally),
        defaultdict(Tally),
        defaultdict(Tally),
    )
    by_family: defaultdict[str, FamilyTally] = defaultdict(FamilyTally)
    docs = zero_edit = type_ok = errors = 0
    for outcome in outcomes:
        docs += 1
        family = by_family[outcome.get("family", "sample")]
        family.documents += 1
        if "error" in outcome:
            errors += 1
            print(f"  ERROR {outcome['file']}: {outcome['error']}")
            continue
        right_type = outcome["type"] == outcome["truth_type"]
        type_ok += right_type
        family.type_right += right_type
        all_exact = right_type
        # An "unknown" document has no fields: only its type counts.
        for name, f in outcome["fields"].items():
            exact = f["value"] == f["truth"]
            all_exact &= exact
            example = f"{outcome['file']}:{name}"
            if values:
                example += f" got {f['value']!r} want {f['truth']!r}"
            for tally in (
                overall,
                by_field[f"{outcome['truth_type']}.{name}"],
                by_source[outcome["source"]],
                by_hand[outcome.get("hand", "typed")],
                family,
            ):
                tally.add(exact, f["flagged"], example)
        zero_edit += all_exact
    header = f"{'':<32}{'fields':>7}{'exact':>9}{'flagged':>9}{'wrong+ok':>11}"
    print("\nper field (wrong+ok = wrong and not flagged)\n" + header)
    for name in sorted(by_field):
        print(by_field[name].row(name))
    print("\nper degradation profile\n" + header)
    for name in sorted(by_source):
        print(by_source[name].row(name))
    print("\nfilled-in values typed or handwritten\n" + header)
    for name in sorted(by_hand):
        print(by_hand[name].row(name))
    print("\nper layout family (type = document type right; for unknown families: answered unknown)")
    print(header + f"{'type':>9}{'docs':>6}")
    for name in sorted(by_family):
        print(by_family[name].row(name))
    print("\n" + header + "\n" + overall.row("ALL"))
    print(
        f"\ndocuments: {docs}, failed: {errors}, document type correct: {pct(type_ok, docs)}, "
        f"needing zero edits: {pct(zero_edit, docs)}"
    )
    print(
        f"fields exact: {pct(overall.exact, overall.fields)} (target >= 97%), "
        f"wrong without a flag: {pct(overall.wrong_unflagged, overall.fields)} (target <= 1%)"
    )
    for _tally_name, tally in sorted(by_field.items()):
        for example in tally.examples:
            print(f"  unflagged miss: {example}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=60)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--dpi", type=int, default=Options().dpi)
    parser.add_argument("--psm", type=int, default=Options().psm)
    parser.add_argument("--text-height", type=int, default=Options().text_height)
    parser.add_argument("--binarize", choices=["tesseract", "adaptive"], default=Options().binarize)
    parser.add_argument(
        "--whole-pages", action="store_true", help="read a one-page document whole, not in two bands"
    )
    parser.add_argument("--keep-rules", action="store_true", help="OCR pages with their ruled lines")
    parser.add_argument(
        "--profiles",
        nargs="*",
        help="docgen damage profiles: all (default), tuning, held_out, or NAME ... (see docgen.degrade)",
    )
    parser.add_argument(
        "--fonts",
        choices=FONT_SETS,
        default="all",
        help="docgen printed and handwriting faces: all (default), tuning or held_out (see docgen.fonts)",
    )
    parser.add_argument(
        "--families",
        default="all",
        help="docgen layout families: all (default), tuning, held_out, or NAME,NAME (see docgen.families)",
    )
    parser.add_argument(
        "--hand-rate",
        type=float,
        default=None,
        help="share of generated documents filled in by hand (default: docgen's, one in six)",
    )
    parser.add_argument("--no-samples", action="store_true", help="leave the real samples out")
    parser.add_argument(
        "--no-second-reader", action="store_true", help="tesseract only: no second look at unsure values"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--out", type=Path, default=OUT / "accuracy.json", help="where the per-document details go"
    )
    args = parser.parse_args()
    try:
        families = family_names(args.families)
        profiles = profile_names(args.profiles)
    except ValueError as exc:
        parser.error(str(exc))
    documents = [] if args.no_samples else sample_documents()
    if args.generated:
        documents += generated_documents(
            args.generated,
            args.seed,
            profiles=profiles,
            families=families,
            fonts=args.fonts,
            hand_rate=args.hand_rate,
        )
    options = Options(
        dpi=args.dpi,
        psm=args.psm,
        text_height=args.text_height,
        binarize=args.binarize,
        split_lone_page=not args.whole_pages,
        erase_rules=not args.keep_rules,
        second_reader=not args.no_second_reader,
    )
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        outcomes = list(pool.map(run_one, documents, [options] * len(documents)))
    held_out = touches_held_out(families, profiles, args.fonts, bool(args.generated))
    kept = [measured_only(o) if held_out and o["source"] != "sample" else o for o in outcomes]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(kept, indent=1, ensure_ascii=False), encoding="utf-8")
    print(
        f"dpi {args.dpi}, psm {args.psm}, text height {args.text_height}, binarize {args.binarize}, "
        f"{len(documents)} documents, families {args.families}, fonts {args.fonts}, "
        f"profiles {' '.join(args.profiles or ['all'])}"
        + ("" if args.hand_rate is None else f", handwritten share {args.hand_rate:g}")
    )
    report(outcomes, values=not held_out)


if __name__ == "__main__":
    main()
