"""Where a blank labelled field's value would be written (extraction.blank_spots), on drawn pages."""

from __future__ import annotations

from extraction.blank_spots import blank_spots
from extraction.doctypes import get_document_type
from tests.drawn_pages import DrawnPage
from tests.test_ruled_forms import drawn_view

PRESCRIPTION = get_document_type("prescription")


def test_the_spot_beside_a_label_ends_before_the_next_print_on_its_row() -> None:
    # "Refill: ______ times": the spot is the line between the label and "times".
    page = DrawnPage(1000, 400)
    words = page.text(100, 100, "Refill:")
    page.line(210, 128, 400, 128)
    words += page.text(420, 100, "times")
    words += page.text(100, 260, "Signature:")
    view = drawn_view(page, words, PRESCRIPTION)
    key = next(k for k in view.keys if k.text.startswith("Refill"))
    beside, under = blank_spots(key, view)
    label_end, times = words[0].box[2], words[1].box[0]
    assert label_end < beside[0] < beside[2] < times
    assert beside[1] < words[0].box[1] and beside[3] > words[0].box[3]
    # Under the label, down to the next line of print under it and no further.
    assert under[1] > words[0].box[3] and under[3] < words[2].box[1]


def test_no_spot_where_the_next_print_leaves_no_room() -> None:
    # The value's place taken by print on both sides: the next label right beside, the next
    # line right under.
    page = DrawnPage(1000, 400)
    words = page.text(100, 100, "Refills:")
    words += page.text(215, 100, "Quantity: 30")
    words += page.text(100, 132, "Directions: take 1 daily")
    view = drawn_view(page, words, PRESCRIPTION)
    key = next(k for k in view.keys if k.text.startswith("Refills"))
    assert blank_spots(key, view) == ()
