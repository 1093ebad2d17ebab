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


def test_a_prescription_pad_of_few_labels_is_told_by_its_dispensing_words() -> None:
    # A half-page pad: labels under blanks, the Rx sign read as a lone "R", refills as
    # "Repeats" boxes and the pharmacist's instructions "DAW" / "Generic OK".
    pad = load_layout_text(
        """
        200 100 Elmwood Urgent Care
        200 300 Roger Cook
        1300 300 30
        1700 300 26/8/2022
        200 350 PATIENT:
        1300 350 AGE:
        1700 350 DATE WRITTEN:
        200 480 ADDRESS: 5658 Center Ln, San Diego, CA
        200 600 R
        400 620 Lialda 2.4 gram
        450 680 take 2 capsule twice daily for 2 weeks
        450 740 Disp 90
        200 850 Repeats 0 1 2 3 5 PRN
        200 910 DAW
        500 910 Generic OK
        1600 1000 Dr. Lawrence Brown, DO
        1600 1080 Signature
        """
    )
    assert classify(pad, document_types())[0] == "prescription"


# A clinic's numbered Rx list with each medicine's directions after a dash, under few labels.
NUMBERED_RX_LIST = """
200 100 Cedar Grove Community Health Center
200 200 Date of issue: 06/03/2025
200 260 Pt.name: Angelica Bautista
200 320 Addr: 150 Katipunan Ave, Quezon City 1081
200 420 R/
250 480 1. Cap. Cephalexin 500 mg - 1 tab OD after food for 1 month
250 540 2. Tab. Levothyroxine 100 mcg - 1/2 tab PRN with meals
250 600 3. Tab. Ibuprofen 200 mg - 1 tablet HS after food for 1 month
1200 800 Dr. Kristine Villanueva
"""


def test_a_list_of_medicines_with_their_directions_tells_a_prescription_whose_labels_are_few() -> None:
    assert classify(load_layout_text(NUMBERED_RX_LIST), document_types())[0] == "prescription"
    # One dosing sentence in a letter is no list.
    letter = load_layout_text(
        "100 100 Dear Dr. Villanueva,\n100 200 Date: 06/03/2025\n100 260 Patient: Angelica Bautista\n"
        "100 320 She was told to take 1 tablet daily with meals.\n100 380 Cap. Cephalexin 500 mg"
    )
    assert classify(letter, document_types())[0] == "unknown"


def test_one_medicine_of_the_list_of_drugs_tells_a_pad_whose_rx_sign_was_read_as_a_letter() -> None:
    # One medicine, its tall Rx sign read "R" and run into its line, few labels and keywords.
    pad = load_layout_text(
        """
        1100 170 Fairview Medical Center
        150 440 Tyler Ortiz
        140 500 Name of patient:
        2160 500 Age:
        150 650 22 Main Court, Brooklyn, NY
        140 720 Home address:
        140 850 h=110 R
        200 880 (1) Amoxicillin suspension 5 ml
        470 960 Amoxicillin suspension: Take 2 ml twice daily for 2 weeks
        140 1140 Repeats:
        200 1230 Brand medically necessary
        760 1230 Generic substitution permitted
        1780 1480 Dr Dmitri Bennett, MBBS
        150 1570 June 28 2018
        140 1630 Date written
        1780 1640 Signature of prescriber
        """
    )
    assert classify(pad, document_types())[0] == "prescription"
    # A letter naming one medicine in a sentence is still no prescription.
    letter = load_layout_text(
        "100 100 Dear Dr. Lee,\n"
        "100 200 Amoxicillin 500 mg was stopped after a rash.\n"
        "100 300 Yours sincerely,"
    )
    assert classify(letter, document_types())[0] == "unknown"
