"""The documents the benchmarks run on: the real samples plus a generated set, as files.

Generated documents come from ``docgen`` with fixed seeds, so every run measures the same
pages; they are written to a temporary folder as PDFs (multi-page where the layout is).
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "samples"


@dataclass(frozen=True)
class BenchDocument:
    """One document to run: its file, where it came from, and the values a clerk would type."""

    path: Path
    source: str  # "sample" or the docgen profile name
    doc_type: str
    truth: dict[str, str]


def sample_documents() -> list[BenchDocument]:
    """The real documents in ../shared/samples with their truth.json, if the folder is there."""
    truth_file = SAMPLES / "truth.json"
    if not truth_file.exists():
        return []
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    return [
        BenchDocument(SAMPLES / name, "sample", entry["document_type"], entry["fields"])
        for name, entry in sorted(truth.items())
    ]


def generated_documents(
    count: int, seed: int, folder: Path | None = None, profiles: list[str] | None = None
) -> list[BenchDocument]:
    """``count`` generated documents balanced over types and degradation profiles."""
    from docgen import generate_set, write_document

    folder = folder or Path(tempfile.mkdtemp(prefix="medextract-bench-"))
    documents = []
    for number, doc in enumerate(generate_set(count, seed=seed, profiles=profiles)):
        path = folder / f"{number:03d}_{doc.doc_type}_{doc.profile}.pdf"
        write_document(doc, path, "pdf")
        documents.append(BenchDocument(path, doc.profile, doc.doc_type, dict(doc.truth)))
    return documents
