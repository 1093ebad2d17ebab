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
