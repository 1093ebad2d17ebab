"""Doubts on values read from text, no OCR."""

from __future__ import annotations

import pytest

from extraction.evidence import capital_i_among_small


@pytest.mark.parametrize(
    ("value", "doubted"),
    [
        ("BIk 580 Toa Payoh Lor 1", ["BIk"]),  # "Blk" with its l read as a capital I
        ("12 Oak St, AIbany, NY", ["AIbany"]),
        ("WiIliam Hart", ["WiIliam"]),
        ("Kavya Iyer", []),  # a capital I opening a name
        ("Sean McIntyre", []),  # a listed name with a capital I inside
        ("MRI of the knee", []),  # capitals only
        ("Ib 12, Block II", []),
    ],
)
def test_a_capital_i_among_small_letters_is_doubted_unless_a_list_holds_the_word(
    value: str, doubted: list[str]
) -> None:
    assert capital_i_among_small(value) == doubted
