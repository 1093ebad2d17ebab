"""Pre-printed prescriptions: the usual medicines printed with their directions, a box each; only
what is ticked is prescribed."""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.structure import PageStructure, SelectionMark
from tests.layout_text import parse_layout

PRESCRIPTION = get_document_type("prescription")

ORDER_SET = """
300 300 Riverside Family Clinic
300 420 Patient: Maria Lopez
1400 420 Date: 03/02/2024
300 600 Tick the medicines prescribed
360 700 Omeprazole 40 mg
1100 700 Take 1 tablet once daily for 1 month
360 800 Prednisone 10 mg
1100 800 Take 2 tablet every morning for 5 days
360 900 Ciprofloxacin 250 mg
1100 900 Take 1 tablet twice daily for 7 days
"""


def _box(y: int, ticked: bool) -> SelectionMark:
    return SelectionMark((300, y, 340, y + 40), "square", ticked, "", None, 1.0)


def test_only_the_ticked_medicines_and_their_directions_are_read() -> None:
    marks = (_box(700, False), _box(800, True), _box(900, False))
    fields = extract_fields(
        PRESCRIPTION, parse_layout(ORDER_SET), 0.8, structures=[PageStructure(marks=marks)]
    )
    assert fields["medicines"].value == "Prednisone 10 mg"
    assert fields["directions"].value == "Take 2 tablet every morning for 5 days"


def test_with_no_box_ticked_no_printed_medicine_is_prescribed() -> None:
    marks = (_box(700, False), _box(800, False), _box(900, False))
    fields = extract_fields(
        PRESCRIPTION, parse_layout(ORDER_SET), 0.8, structures=[PageStructure(marks=marks)]
    )
    assert fields["medicines"].value == ""
    assert fields["medicines"].needs_review


def test_the_order_set_prints_more_medicines_than_are_ticked() -> None:
    """The family the rule is measured on: every prescribed medicine printed (or written on the
    "Other" line), among usual ones nobody ticked."""
    import random

    from docgen import canvas, fonts
    from docgen.families import TUNING_FAMILIES
    from docgen.families import rx_order_set as order_set

    assert "rx_order_set" in TUNING_FAMILIES
    for seed in range(10):
        with fonts.drawing_from("tuning"), canvas.filled_in(None) as pages:
            truth, _images = order_set.draw(random.Random(seed), 50)
        printed = " ".join(text for page in pages for text, _by_hand in page.texts)
        medicines = truth["medicines"].split("\n")
        assert all(medicine in printed for medicine in medicines), seed
        assert len(truth["directions"].split("\n")) == len(medicines)
        assert printed.count(" mg") + printed.count(" ml") + printed.count(" mcg") > len(medicines)


def _with_other_line(line: str) -> str:
    return ORDER_SET + f"300 1000 {line}\n"


def test_a_medicine_written_on_the_other_line_joins_the_ticked_ones() -> None:
    """The "Other" line under the list is one more item, the medicine written with its directions
    on the line: each part goes to its field, in reading order, flagged where parted."""
    marks = (_box(700, False), _box(800, True), _box(900, False))
    layout = _with_other_line("Other (specify): Losartan 50 mg - take 1/2 tab everyday for 5 days")
    fields = extract_fields(PRESCRIPTION, parse_layout(layout), 0.8, structures=[PageStructure(marks=marks)])
    assert fields["medicines"].value == "Prednisone 10 mg\nLosartan 50 mg"
    assert (
        fields["directions"].value
        == "Take 2 tablet every morning for 5 days\ntake 1/2 tab everyday for 5 days"
    )
    assert fields["directions"].needs_review


def test_an_other_medicine_label_extends_the_list_above_it() -> None:
    """ "Other medicine:" reads partly as the medicines' label: its value is the list's last item,
    not the whole list."""
    marks = (_box(700, True), _box(800, False), _box(900, True))
    layout = _with_other_line("Other medicine: Losartan 50 mg - take 1/2 tab everyday for 5 days")
    fields = extract_fields(PRESCRIPTION, parse_layout(layout), 0.8, structures=[PageStructure(marks=marks)])
    assert fields["medicines"].value == "Omeprazole 40 mg\nCiprofloxacin 250 mg\nLosartan 50 mg"
    assert fields["directions"].value.split("\n")[-1] == "take 1/2 tab everyday for 5 days"


def test_an_other_line_left_blank_adds_nothing() -> None:
    marks = (_box(700, False), _box(800, True), _box(900, False))
    fields = extract_fields(
        PRESCRIPTION, parse_layout(_with_other_line("Other:")), 0.8, structures=[PageStructure(marks=marks)]
    )
    assert fields["medicines"].value == "Prednisone 10 mg"
