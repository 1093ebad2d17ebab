"""The documents the benchmarks run on: the real samples plus a generated set, as files.

Generated documents come from ``docgen`` with fixed seeds, so every run measures the same
pages; they are written to a temporary folder as PDFs (multi-page where the layout is). They cycle
through layout families (``docgen.families``), named one by one or as a group: see `family_names`,
and through damage profiles, likewise (`profile_names`); their printed and handwriting faces come
from one font set (`FONT_SETS`). Each has a tuning group and a held-out one.
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
    doc_type: str  # "unknown" for a generated document that is neither type
    truth: dict[str, str]  # {} for an "unknown" document
    family: str = "sample"  # the docgen layout family, "sample" for a real document
    handwriting: str = ""  # the handwriting face of a generated document's values, "" if typed


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


FAMILY_GROUPS = ("all", "tuning", "held_out")
FONT_SETS = ("all", "tuning", "held_out")  # docgen.fonts.FONT_SETS, without importing docgen here


def profile_names(specs: list[str] | None = None) -> list[str]:
    """The docgen profiles named by `specs`: each "all", "tuning", "held_out" or NAME (or NAME,NAME);
    None or [] means all. Raises ValueError for an unknown name."""
    from docgen.degrade import profile_names as names

    return names(specs)


def family_names(spec: str = "all") -> list[str]:
    """The docgen families named by `spec`: "all", "tuning", "held_out" or "NAME,NAME,..."."""
    from docgen.families import FAMILIES, HELD_OUT_FAMILIES, TUNING_FAMILIES

    groups = {"all": list(FAMILIES), "tuning": list(TUNING_FAMILIES), "held_out": list(HELD_OUT_FAMILIES)}
    if spec in groups:
        return groups[spec]
    names = [name.strip() for name in spec.split(",") if name.strip()]
    unknown = [name for name in names if name not in FAMILIES]
    if unknown or not names:
        groups = ", ".join(FAMILY_GROUPS)
        raise ValueError(f"unknown families {unknown or spec!r}; choose from {groups} or {sorted(FAMILIES)}")
    return names


def generated_documents(
    count: int,
    seed: int,
    folder: Path | None = None,
    profiles: list[str] | None = None,
    families: list[str] | None = None,
    fonts: str = "all",
    hand_rate: float | None = None,
) -> list[BenchDocument]:
    """``count`` generated documents cycling through `families` (default: the two familiar layouts)
    and degradation `profiles` (default: all), set in the faces of the font set `fonts`; with
    `hand_rate` that share of them handwritten (default: docgen's, one in six)."""
    from docgen import generate_set, write_document

    folder = folder or Path(tempfile.mkdtemp(prefix="medextract-bench-"))
    documents = []
    rate = {} if hand_rate is None else {"hand_rate": hand_rate}
    docs = generate_set(count, seed=seed, profiles=profiles, families=families, fonts=fonts, **rate)
    for number, doc in enumerate(docs):
        path = folder / f"{number:03d}_{doc.family}_{doc.profile}.pdf"
        write_document(doc, path, "pdf")
        truth = dict(doc.truth)
        documents.append(BenchDocument(path, doc.profile, doc.doc_type, truth, doc.family, doc.handwriting))
    return documents


def touches_held_out(families: list[str], profiles: list[str], fonts: str, generated: bool = True) -> bool:
    """Whether generated documents may come from a held-out family, damage profile or face."""
    from docgen import TUNING_PROFILES
    from docgen.families import TUNING_FAMILIES

    if not generated:
        return False
    return (
        fonts != "tuning"
        or bool(set(families) - set(TUNING_FAMILIES))
        or bool(set(profiles) - set(TUNING_PROFILES))
    )


def measured_only(outcome: dict) -> dict:
    """A held-out document's outcome as it may be kept on disk: for each field whether it was
    exact, flagged and filled in, never what was read or written (nor the reason, which quotes
    the reading). Held-out documents are measured, never studied. Reads both the accuracy
    benchmark's fields (``value``) and the learning benchmark's (``before`` and ``after``)."""

    def measured(truth: str, reading: dict) -> dict:
        return {"exact": reading["value"] == truth, "flagged": reading["flagged"]}

    fields = {}
    for name, field in (outcome.get("fields") or {}).items():
        truth = field["truth"]
        if "before" in field:
            fields[name] = {
                "filled": bool(truth),
                "before": measured(truth, field["before"]),
                "after": measured(truth, field["after"]),
            }
        else:
            fields[name] = {"filled": bool(truth), **measured(truth, field)}
    return {**outcome, "fields": fields} if "fields" in outcome else dict(outcome)
