"""Golden tests: hand-written OCR layouts -> fields, no tesseract involved.

Each ``tests/golden/NAME.txt`` (see tests/layout_text.py) has a ``NAME.json`` with the document
type, every field's exact value, and exactly which fields must be flagged for review: an
expected value that comes back unflagged-but-wrong, or a sure value that is flagged, both fail.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction.classify import classify
from extraction.doctypes import document_types, get_document_type
from extraction.fields import extract_fields
from extraction.validate import validate_fields
from tests.layout_text import load_layout

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.txt"))


@pytest.mark.parametrize("case", CASES)
def test_golden_layout_gives_expected_fields(case: str) -> None:
    pages = load_layout(GOLDEN / f"{case}.txt")
    expected = json.loads((GOLDEN / f"{case}.json").read_text(encoding="utf-8"))

    type_name, _ = classify(pages, document_types())
    assert type_name == expected["document_type"]

    spec = get_document_type(type_name)
    fields = validate_fields(spec, extract_fields(spec, pages, review_confidence=0.8))

    assert {name: f.value for name, f in fields.items()} == expected["fields"]
    flagged = sorted(name for name, f in fields.items() if f.needs_review)
    assert flagged == sorted(expected["flagged"]), {n: fields[n].reason for n in flagged}


@pytest.mark.parametrize("case", CASES)
def test_every_found_value_has_a_box_on_its_page(case: str) -> None:
    pages = load_layout(GOLDEN / f"{case}.txt")
    type_name, _ = classify(pages, document_types())
    spec = get_document_type(type_name)
    for name, field in extract_fields(spec, pages, review_confidence=0.8).items():
        if field.value:
            assert field.box is not None, name
            x0, y0, x1, y1 = field.box
            page = pages[field.page]
            assert 0 <= x0 < x1 <= page.width and 0 <= y0 < y1 <= page.height, name
        assert 0.0 <= field.confidence <= 1.0


def test_text_that_is_neither_type_is_unknown() -> None:
    pages = load_layout(GOLDEN / "prescription_clean.txt")
    letter = load_layout_text("100 100 Dear Sir or Madam,\n100 200 Thank you for your letter of March 3.")
    assert classify(letter, document_types())[0] == "unknown"
    assert classify(pages, document_types())[0] == "prescription"


def load_layout_text(text: str):  # type: ignore[no-untyped-def]
    from tests.layout_text import parse_layout

    return parse_layout(text)
