"""Fields before and after the second look, on the same reading of each generated document.

Each document is read once with the second reader off; the second look (the engine's own
``second_look``, then the same validation) is then applied to that reading's fields and page
images, exactly as the pipeline applies it between field extraction and validation. So the two
columns differ only by the second look, at half the cost of two benchmark runs on a busy machine.
Prints exact, flagged and wrong-and-unflagged for typed and handwritten values, and the seconds
the second look took per page.
Usage: ``python -m benchmarks.second_look_ab --families tuning --fonts tuning --profiles tuning
--generated 72 --seed 7510``.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.accuracy import Tally
from benchmarks.corpus import BenchDocument, family_names, generated_documents, profile_names
from extraction import ExtractionError, Options, extract
from extraction.doctypes import get_document_type
from extraction.second_look import second_look
from extraction.validate import validate_fields


def run_one(doc: BenchDocument) -> dict:
    """The document's fields before and after the second look, with the truth."""
    try:
        result = extract(doc.path, options=Options(second_reader=False))
    except ExtractionError as exc:
        return {"file": doc.path.name, "error": str(exc)}
    outcome = {"file": doc.path.name, "hand": "handwritten" if doc.handwriting else "typed", "fields": {}}
    before = result.fields
    seconds = 0.0
    after = before
    if before and result.document_type == doc.doc_type:
        spec = get_document_type(result.document_type)
        images = [np.asarray(page.convert("L")) for page in result.page_images]
        started = time.perf_counter()
        after = validate_fields(spec, second_look(spec, copy.deepcopy(before), images, result.page_texts))
        seconds = time.perf_counter() - started
    outcome["seconds"], outcome["pages"] = seconds, result.pages
    for name, truth in doc.truth.items():
        b, a = before.get(name), after.get(name)
        outcome["fields"][name] = {
            "truth": truth,
            "before": (b.value, b.needs_review) if b else (None, True),
            "after": (a.value, a.needs_review, a.reason) if a else (None, True, ""),
        }
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generated", type=int, default=72)
    parser.add_argument("--seed", type=int, default=7510)
    parser.add_argument("--families", default="tuning")
    parser.add_argument("--fonts", default="tuning")
    parser.add_argument("--profiles", default="tuning")
    parser.add_argument(
        "--hand-rate", type=float, default=None, help="share of handwritten documents (1 for only those)"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--examples", action="store_true", help="print the fields the second look changed")
    args = parser.parse_args()
    documents = generated_documents(
        args.generated,
        args.seed,
        profiles=profile_names([args.profiles]),
        families=family_names(args.families),
        fonts=args.fonts,
        hand_rate=args.hand_rate,
    )
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        outcomes = list(pool.map(run_one, documents))
    tallies: dict[str, Tally] = defaultdict(Tally)
    seconds = pages = 0.0
    for outcome in outcomes:
        if "error" in outcome:
            print(f"  ERROR {outcome['file']}: {outcome['error']}")
            continue
        seconds, pages = seconds + outcome["seconds"], pages + outcome["pages"]
        for name, f in outcome["fields"].items():
            for when in ("before", "after"):
                value, flagged = f[when][0], f[when][1]
                for group in (f"{outcome['hand']} {when}", f"all {when}"):
                    tallies[group].add(value == f["truth"], flagged, f"{outcome['file']}:{name} {value!r}")
            if args.examples and f["before"][0] != f["after"][0]:
                print(f"  {outcome['file']}:{name} truth {f['truth']!r}: {f['after'][2]}")
    print(f"{len(outcomes)} documents; second look {seconds / max(pages, 1):.2f} s per page")
    print(f"{'':<32}{'fields':>7}{'exact':>9}{'flagged':>9}{'wrong+ok':>11}")
    for name in sorted(tallies):
        print(tallies[name].row(name))


if __name__ == "__main__":
    main()
