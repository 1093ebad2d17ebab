"""Tesseract against the second reader on the value crops of generated documents.

Each generated document is read by the engine; every single-line field whose value it found (so
it has a box) is cropped from the page as the engine read it, and that crop is read by tesseract
alone (``ocr.read_region``, as the engine's second look does) and by the second reader. Both
readings are compared with the truth: words exact, character error rate, ms per crop, split into
handwritten values and typed values of damaged pages.
Usage: ``python -m benchmarks.second_reader --generated 48 --seed 7501 [--families tuning]``.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rapidfuzz.distance import Levenshtein

from extraction import ExtractionError, Options, extract
from extraction.ocr import read_region

DAMAGED = ("fax", "photo", "shadow_photo", "lowres", "heavy", "noisy")


def _norm(text: str) -> str:
    return " ".join(text.split())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--generated", type=int, default=48)
    parser.add_argument("--seed", type=int, default=7501)
    parser.add_argument("--families", default="tuning")
    parser.add_argument("--fonts", default="tuning")
    parser.add_argument("--profiles", default="tuning")
    parser.add_argument("--hand-rate", type=float, default=0.5)
    parser.add_argument("--save", default="", help="pickle the crops, truths and tesseract readings here")
    args = parser.parse_args()

    from benchmarks.corpus import family_names, profile_names
    from docgen import generate_set, write_document
    from extraction.region import clamp
    from extraction.reread import around_value
    from extraction.second_reader import read_crop
    from extraction.value_crop import value_crop

    options = Options(second_reader=False)
    docs = generate_set(
        args.generated,
        seed=args.seed,
        profiles=profile_names([args.profiles]),
        families=family_names(args.families),
        fonts=args.fonts,
        hand_rate=args.hand_rate,
    )
    stats: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    saved: list[tuple] = []
    folder = Path(tempfile.mkdtemp(prefix="second-reader-"))
    for number, doc in enumerate(docs):
        group = "handwritten" if doc.handwriting else "typed_damaged" if doc.profile in DAMAGED else ""
        if not group or doc.doc_type == "unknown":
            continue
        path = write_document(doc, folder / f"{number:03d}.pdf", "pdf")
        try:
            result = extract(path, options=options)
        except ExtractionError:
            continue
        for name, field in result.fields.items():
            truth = _norm(doc.truth.get(name, ""))
            if not truth or "\n" in doc.truth.get(name, "") or field.box is None or not field.value:
                continue
            image = __import__("numpy").asarray(result.page_images[field.page].convert("L"))
            if "\n" in field.value:
                continue
            region = clamp(around_value(field.box), (image.shape[1], image.shape[0]))
            if region is None:  # a box off the page: nothing to read
                continue
            started = time.perf_counter()
            try:
                words = read_region(image, region, result.dpi, options, "line")
            except ExtractionError:
                words = []
            tess = _norm(" ".join(w.text for w in words))
            tess_ms = 1000 * (time.perf_counter() - started)
            crop = image[region[1] : region[3], region[0] : region[2]]
            started = time.perf_counter()
            saved.append((group, crop, truth, tess, tess_ms, _norm(field.value)))
            ink = value_crop(image, field.box)  # the crop the engine's second look reads
            second = read_crop(ink) if ink is not None else None
            second_ms = 1000 * (time.perf_counter() - started)
            second_text = _norm(second.text) if second else ""
            if args.save:
                Path(args.save).write_bytes(pickle.dumps(saved))
            s = stats[group]
            s["crops"] += 1
            s["page_exact"] += _norm(field.value) == truth
            s["tess_exact"] += tess == truth
            s["second_exact"] += second_text == truth
            s["tess_cer"] += Levenshtein.distance(tess, truth) / len(truth)
            s["second_cer"] += Levenshtein.distance(second_text, truth) / len(truth)
            s["tess_ms"] += tess_ms
            s["second_ms"] += second_ms
            if second is not None:
                s["conf_sum"] += second.confidence
            if len(s) and s["crops"] <= 12:
                print(f"{group[:4]} {truth!r:34} tess={tess!r:34} 2nd={second_text!r} "
                      f"({second.confidence if second else 0:.2f})")  # fmt: skip
    for group, s in stats.items():
        n = s["crops"]
        print(
            f"{group}: {n:.0f} crops; page pass exact {100 * s['page_exact'] / n:.1f}%; tesseract crop "
            f"exact {100 * s['tess_exact'] / n:.1f}% CER {100 * s['tess_cer'] / n:.1f}% "
            f"{s['tess_ms'] / n:.0f} ms; second reader exact {100 * s['second_exact'] / n:.1f}% "
            f"CER {100 * s['second_cer'] / n:.1f}% {s['second_ms'] / n:.0f} ms"
        )


if __name__ == "__main__":
    main()
