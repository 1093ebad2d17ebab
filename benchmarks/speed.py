"""Seconds per page, per stage: MedExtract's pipeline beside the simple reference pipeline.

The reference is what the product replaced: pdf2image at 200 dpi, resize 1.5x, adaptive
threshold (block 61, C 20), ``image_to_string`` with tesseract's defaults (OpenMP threads on).
Both run on the same documents in one process, alternating document by document, so a noisy
machine slows both alike. Generated documents cycle through every damage profile, of the two
familiar layouts or of other docgen families (``--families held_out``).
Usage: ``python benchmarks/speed.py [--generated N] [--seed S] [--families F] [--no-samples]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import pytesseract
from pdf2image import convert_from_path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import BenchDocument, family_names, generated_documents, sample_documents
from extraction import extract


@contextmanager
def tesseract_defaults():  # type: ignore[no-untyped-def]
    """Run the reference as it ran: without our OMP_THREAD_LIMIT=1."""
    saved = os.environ.pop("OMP_THREAD_LIMIT", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["OMP_THREAD_LIMIT"] = saved


def reference_pipeline(path: Path) -> tuple[int, dict[str, float]]:
    """The old pipeline on one PDF; returns its page count and seconds per stage."""
    seconds: dict[str, float] = defaultdict(float)
    started = time.perf_counter()
    pages = convert_from_path(str(path), dpi=200)
    seconds["load_pages"] += time.perf_counter() - started
    with tesseract_defaults():
        for page in pages:
            started = time.perf_counter()
            gray = cv2.cvtColor(np.asarray(page.convert("RGB")), cv2.COLOR_RGB2GRAY)
            gray = cv2.resize(gray, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)
            binary = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, 61, 20)
            seconds["preprocess"] += time.perf_counter() - started
            started = time.perf_counter()
            pytesseract.image_to_string(binary)
            seconds["ocr_page"] += time.perf_counter() - started
    return len(pages), seconds


def medextract_pipeline(path: Path) -> tuple[int, dict[str, float], float]:
    """Our pipeline on one file; returns its page count, seconds per stage and wall seconds."""
    started = time.perf_counter()
    result = extract(path)
    return result.pages, result.stage_seconds, time.perf_counter() - started


STAGES = (
    "load_pages",
    "preprocess",
    "structure",
    "ocr_page",
    "classify",
    "layouts",
    "extract_fields",
    "second_reader",
    "validate",
)


def run(documents: list[BenchDocument]) -> None:
    ours_wall, ref_wall, pages_total = 0.0, 0.0, 0
    ours_stage: dict[str, float] = defaultdict(float)
    ref_stage: dict[str, float] = defaultdict(float)
    per_doc_ratio = []
    for doc in documents:
        started = time.perf_counter()
        pages, stages = reference_pipeline(doc.path)
        ref_seconds = time.perf_counter() - started
        our_pages, our_stages, our_seconds = medextract_pipeline(doc.path)
        assert our_pages == pages, f"{doc.path.name}: page counts differ"
        ref_wall += ref_seconds
        ours_wall += our_seconds
        pages_total += pages
        per_doc_ratio.append(our_seconds / ref_seconds)
        for stage, value in stages.items():
            ref_stage[stage] += value
        for stage, value in our_stages.items():
            ours_stage[stage] += value
        print(
            f"  {doc.path.name:<40} {pages} p  reference {ref_seconds:6.2f} s"
            f"   medextract {our_seconds:6.2f} s"
        )
    print(f"\n{len(documents)} documents, {pages_total} pages")
    print(f"{'stage (s/page)':<18}{'reference':>12}{'medextract':>12}")
    for stage in STAGES:
        print(
            f"{stage:<18}{ref_stage.get(stage, 0) / pages_total:>12.3f}"
            f"{ours_stage.get(stage, 0) / pages_total:>12.3f}"
        )
    print(f"{'wall clock':<18}{ref_wall / pages_total:>12.3f}{ours_wall / pages_total:>12.3f}")
    print(
        f"\nmedextract / reference time per page: {ours_wall / ref_wall:.2f} "
        f"(median per document {statistics.median(per_doc_ratio):.2f}; target <= 0.50)"
    )
    print(
        "note: medextract stage times are summed over pages read in parallel, so they can exceed wall clock"
    )
    _report_lexicon_loading()


def _report_lexicon_loading() -> None:
    """Each word list's first load (once per process: a worker pays it on its first document)."""
    from extraction.lexicon import ENGLISH, LEXICONS, lexicon

    print("\nword list loaded once per process (s):")
    for name in (*LEXICONS, ENGLISH):
        lexicon.cache_clear()
        started = time.perf_counter()
        lexicon(name)
        print(f"  {name:<12}{time.perf_counter() - started:>8.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=8, help="generated documents to add (default 8)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--families",
        default="familiar",
        help='docgen families: "familiar" (default), "all", "tuning", "held_out"',
    )
    parser.add_argument("--no-samples", action="store_true", help="leave the real samples out")
    args = parser.parse_args()
    documents = [] if args.no_samples else sample_documents()
    if args.generated:
        families = None if args.families == "familiar" else family_names(args.families)
        documents += generated_documents(args.generated, args.seed, families=families)
    run(documents)


if __name__ == "__main__":
    main()
