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
