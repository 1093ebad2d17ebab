"""Generated documents through the real engine (tesseract and poppler): one per damage profile.

docgen draws each document with known truth; the engine must name its type, read nearly every
field exactly and flag what it gets wrong. Seeds are fixed, so a run is repeatable; the bars
sit below what benchmarks/accuracy.py measures on larger sets (97 % exact, under 1 % wrong
without a flag) so they catch regressions, not noise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from docgen import TUNING_PROFILES, generate, write_document
from extraction import extract

SEED = 31
MIN_EXACT = 0.92
MAX_WRONG_UNFLAGGED = 0.02


@dataclass(frozen=True)
class Outcome:
    profile: str
    doc_type: str
    detected: str
    exact: int
    fields: int
    wrong_unflagged: list[str]


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    folder: Path = tmp_path_factory.mktemp("generated")
    results = []
    # The engine is only ever run on what it may be tuned on: typed values, tuning faces and damage.
    for number, profile in enumerate(sorted(TUNING_PROFILES)):
        doc_type = ("prescription", "patient_details")[number % 2]
        doc = generate(SEED + number, doc_type, profile, fonts="tuning", hand_rate=0)
        path = write_document(doc, folder / f"{profile}.pdf", "pdf")
        result = extract(path)
        wrong = [
            n for n, truth in doc.truth.items() if result.fields.get(n) and result.fields[n].value != truth
        ]
        unflagged = [
            f"{profile}:{n} got {result.fields[n].value!r}"
            for n in wrong
            if not result.fields[n].needs_review
        ]
        exact = sum(
            1 for n, truth in doc.truth.items() if result.fields.get(n) and result.fields[n].value == truth
        )
        results.append(Outcome(profile, doc_type, result.document_type, exact, len(doc.truth), unflagged))
    return results


@pytest.mark.ocr
def test_every_generated_document_gets_its_type(needs_ocr: None, outcomes: list[Outcome]) -> None:
    assert [(o.profile, o.detected) for o in outcomes] == [(o.profile, o.doc_type) for o in outcomes]


@pytest.mark.ocr
def test_fields_are_read_exactly_across_damage_profiles(needs_ocr: None, outcomes: list[Outcome]) -> None:
    exact = sum(o.exact for o in outcomes)
    total = sum(o.fields for o in outcomes)
    per_profile = {o.profile: f"{o.exact}/{o.fields}" for o in outcomes}
    assert exact / total >= MIN_EXACT, per_profile


@pytest.mark.ocr
def test_wrong_fields_are_flagged(needs_ocr: None, outcomes: list[Outcome]) -> None:
    total = sum(o.fields for o in outcomes)
    unflagged = [miss for o in outcomes for miss in o.wrong_unflagged]
    assert len(unflagged) / total <= MAX_WRONG_UNFLAGGED, unflagged
