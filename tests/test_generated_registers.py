"""Ruled patient registers (pd_ruled_register) through the real engine: the answers of their
yes/no and immunity grids (X or tick in a cell, boxes in cells, two-word column headers) and
their ruled list areas are read, and what is not read exactly is flagged. Typed values, tuning
faces and damage only; seeds are fixed."""

from __future__ import annotations

import pytest

from tests.generated_readings import Reading, read_fields

FAMILY = "pd_ruled_register"
SEEDS = (7561, 7562, 7563, 7564, 7565, 7566)
PROFILES = ("clean", "scan")
FIELDS = (
    "chickenpox",
    "measles",
    "hepatitis_b_vaccination",
    "has_medical_insurance",
    "medical_problems",
    "allergies",
    "regular_medications",
)
# Before answer cells as wide as a two-word header and rows roomy for a pen, tall boxes in
# cells and header rows read across their cell, the engine read 32 of these 42 exactly; now 38.
# The bar catches a regression; a yes/no read from a neighbouring row and a list's second line
# lost are flagged misses.
MIN_EXACT = 37


@pytest.fixture(scope="module")
def readings(tmp_path_factory: pytest.TempPathFactory) -> list[Reading]:
    """The answer and list fields of each generated register as read."""
    return read_fields(tmp_path_factory.mktemp("registers"), FAMILY, SEEDS, PROFILES * 3, FIELDS)


@pytest.mark.ocr
def test_register_answers_and_lists_are_read(needs_ocr: None, readings: list[Reading]) -> None:
    exact = [where for where, truth, value, _ in readings if value == truth]
    assert len(exact) >= MIN_EXACT, readings


@pytest.mark.ocr
def test_a_register_field_read_wrong_is_flagged(needs_ocr: None, readings: list[Reading]) -> None:
    assert [r for r in readings if r[2] != r[1] and not r[3]] == []
