"""A medicine and its directions written on one line are parted only where both parts take the
shapes of their fields."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.item_lines import item_and_rest
from extraction.types import Word

PRESCRIPTION = get_document_type("prescription")
MEDICINES = PRESCRIPTION.field("medicines")
DIRECTIONS = PRESCRIPTION.field("directions")


def _line(text: str) -> tuple[Word, ...]:
    words, x = [], 0
    for token in text.split():
        words.append(Word(token, 0.95, (x, 0, x + 20 * len(token), 30)))
        x += 20 * len(token) + 15
    return tuple(words)


def _parts(text: str) -> tuple[str, str] | None:
    cut = item_and_rest(_line(text), MEDICINES, DIRECTIONS)
    return None if cut is None else (" ".join(w.text for w in cut[0]), " ".join(w.text for w in cut[1]))


@pytest.mark.parametrize(
    ("line", "item", "rest"),
    [
        (
            "Amoxicillin 875 mg - take 1/2 tab twice daily for 3 months",
            "Amoxicillin 875 mg",
            "take 1/2 tab twice daily for 3 months",
        ),
        ("Cetirizine 10 mg: Take 1 tablet at bedtime", "Cetirizine 10 mg:", "Take 1 tablet at bedtime"),
        ("Cetirizine 10 mg 1 tab at bedtime", "Cetirizine 10 mg", "1 tab at bedtime"),
        ("Amoxicillin 500 mg, 1 cap TDS", "Amoxicillin 500 mg,", "1 cap TDS"),
        (
            "Losartan 50 mq - use 1 tablet everyday for 1 month",
            "Losartan 50 mq",
            "use 1 tablet everyday for 1 month",
        ),
    ],
)
def test_a_medicine_and_its_directions_are_parted(line: str, item: str, rest: str) -> None:
    assert _parts(line) == (item, rest)


@pytest.mark.parametrize(
    "line",
    [
        "Amoxicillin 500 mg",
        "Vitamin D 1000 units daily",
        "Take 1 tablet twice daily for 7 days",
        "Amoxicillin 500 mg - as discussed",
        "Fluticasone 50 mcg spray",
    ],
)
def test_a_line_that_is_not_both_stays_whole(line: str) -> None:
    assert _parts(line) is None
