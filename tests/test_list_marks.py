"""A list's numbering and bullets are layout, not part of a value (extraction.page_view)."""

from __future__ import annotations

import pytest

from extraction.page_view import BARE_LIST_MARK, strip_list_mark


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("1. Amoxicillin 500 mg", "Amoxicillin 500 mg"),
        ("2) Ibuprofen 200 mg", "Ibuprofen 200 mg"),
        ("(3) Metformin 500 mg", "Metformin 500 mg"),
        ("#4 Lisinopril 10 mg", "Lisinopril 10 mg"),
        ("ii. Methotrexate 2.5 mg", "Methotrexate 2.5 mg"),
        ("(iv) Cephalexin 500 mg", "Cephalexin 500 mg"),
        ("ix) Take 1 tablet daily", "Take 1 tablet daily"),
        ("b) Take 2 tablets at night", "Take 2 tablets at night"),
        ("• Drink plenty of water", "Drink plenty of water"),
        ("Atorvastatin 20 mg:", "Atorvastatin 20 mg"),
        # Initials and words that look like numerals stay.
        ("J. Smith", "J. Smith"),
        ("I. Taylor", "I. Taylor"),
        ("IV infusion weekly", "IV infusion weekly"),
        ("vitamin D 1000 units", "vitamin D 1000 units"),
        ("a. m. dose", "a. m. dose"),
    ],
)
def test_numbering_is_stripped_and_words_stay(line: str, value: str) -> None:
    assert strip_list_mark(line) == value


@pytest.mark.parametrize(
    ("text", "bare"),
    [
        ("ii.", True),
        ("(3)", True),
        ("c)", True),
        ("2,", True),
        ("Iv.", False),
        ("mg", False),
        ("12, rue", False),
    ],
)
def test_a_number_read_alone_is_a_bare_mark(text: str, bare: bool) -> None:
    assert bool(BARE_LIST_MARK.match(text)) is bare


def test_a_first_item_whose_number_went_unread_is_still_the_list_s_first() -> None:
    """Its number lost, the first item starts right of the Rx label's column, between the label
    and the items under it: it is the list's first line, not left out."""
    from extraction.doctypes import get_document_type
    from extraction.fields import extract_fields
    from tests.layout_text import parse_layout

    page = parse_layout(
        """
        200 200 Summit Family Practice
        200 390 Patient: Kristine Dela Cruz
        200 490 Rx:
        360 600 Tab. Ibuprofen 200 mg
        440 660 2 tablet at night for 1 month
        270 730 2. Cap. Clopidogrel 75 mg
        440 790 1/2 tab before food x 5 days
        270 860 3. Cap. Carvedilol 25 mg
        440 920 1/2 tab after food
        200 1240 Refill: 0
        1200 2440 Prescribing clinician: Dr. Rowena Garcia
        """
    )
    fields = extract_fields(get_document_type("prescription"), page, 0.8)
    assert fields["medicines"].value == "Tab. Ibuprofen 200 mg\nCap. Clopidogrel 75 mg\nCap. Carvedilol 25 mg"


def test_a_label_printed_once_per_item_counts_where_its_colon_was_lost() -> None:
    from extraction.doctypes import get_document_type
    from extraction.fields import extract_fields
    from tests.layout_text import parse_layout

    page = parse_layout(
        """
        200 200 Lakeside Medical Center
        200 400 Patient name: Ann Lee
        264 1006 1. Rx: Spironolactone 50 mg
        340 1063 SIG: take 1 capsule three times a day until finished
        264 1222 2. Rx: Prednisone 40 mg
        340 1278 SIG: Take 1/2 pill at bedtime for 7 days
        264 1454 3. Rx  Mesalamine 1.2 gram
        340 1510 SIG: take 2 tab with meals until finished
        1200 2000 Dr. Paul Stone
        """
    )
    fields = extract_fields(get_document_type("prescription"), page, 0.8)
    assert fields["medicines"].value == "Spironolactone 50 mg\nPrednisone 40 mg\nMesalamine 1.2 gram"


@pytest.mark.parametrize(
    ("lines", "numbered"),
    [
        (["1, Atorvastatin", "2.", "3"], True),
        (["1. Amoxicillin 500 mg", "2) Ibuprofen 200 mg"], True),
        (["3. Omeprazole", "4. Aspirin 81 mg"], True),
        # Doses open with bare numbers: no list's numbering.
        (["1 tablet with meals", "2 tab three times a day"], False),
        # Not in turn, or not every line numbered.
        (["1. Amoxicillin", "3. Ibuprofen"], False),
        (["1. Amoxicillin", "Ibuprofen"], False),
        (["3. Omeprazole"], False),
    ],
)
def test_a_list_numbered_in_turn_is_told_by_its_numbers(lines: list[str], numbered: bool) -> None:
    from extraction.page_view import numbered_in_turn

    assert numbered_in_turn(lines) is numbered


def test_an_item_of_a_numbered_list_left_empty_is_no_line_of_the_value() -> None:
    """Under the label, three numbered slots: the first filled ("1." read "1,"), the others left
    empty, the third's point lost. The value is the one medicine, its box the filled line's."""
    from extraction.doctypes import get_document_type
    from extraction.fields import extract_fields
    from tests.layout_text import parse_layout

    page = parse_layout(
        """
        200 200 PATIENT HEALTH QUESTIONNAIRE
        200 400 Patient name: Ann Lee
        200 1547 Medications you are taking now:
        224 1604 1, Atorvastatin
        222 1673 2.
        223 1735 3
        """
    )
    medications = extract_fields(get_document_type("patient_details"), page, 0.8)["regular_medications"]
    assert medications.value == "Atorvastatin"
    assert medications.box is not None and medications.box[3] < 1673
