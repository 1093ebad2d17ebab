"""Forms filled in online and printed: radio circles bigger than the print, options listed one
under another, answers in boxes with hints and captions under them, a name or an address asked
in boxes side by side, each captioned.

Pages are drawn with PIL (see ``tests.drawn_pages``); words are written by hand from the drawn
text's boxes, as tesseract gives them.
"""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.layout_doubts import layout_doubts
from extraction.page_view import Candidate
from extraction.structure import find_structure
from extraction.types import FieldResult, Line, Word
from tests.drawn_pages import FONT_PATH, DrawnPage, page_text

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

PATIENT = get_document_type("patient_details")
OPTION_NOTE = "printed beside a box or circle to tick: an option of the form, not a value"


def _read(page: DrawnPage) -> dict[str, FieldResult]:
    structure = find_structure(page.array(), page.words)
    return extract_fields(PATIENT, [page_text(page.words, page.image.size)], 0.8, structures=[structure])


def _big_radio(page: DrawnPage, x: int, y: int, filled: bool, read_as: str | None) -> None:
    """A web form's radio button, half as tall again as the print; a filled one's dot read by
    OCR as ``read_as`` (None: not read)."""
    page.draw.ellipse((x, y, x + 37, y + 37), outline=0, width=3)
    if filled:
        page.draw.ellipse((x + 10, y + 10, x + 27, y + 27), fill=0)
        if read_as is not None:
            page.words.append(Word(read_as, 0.6, (x + 2, y + 2, x + 36, y + 36)))


@pytest.mark.parametrize("read_as", ["@", "®", None])
def test_a_filled_radio_bigger_than_the_print_is_a_mark_not_a_circled_word(read_as: str | None) -> None:
    # Half as tall again as the print and holding ink, the radio looked like a ring round a
    # word: the "@" OCR read for its dot came out as the answer, or nothing at all.
    page = DrawnPage(1400, 300)
    page.text(100, 60, "Have you had the Hepatitis B vaccination? *")
    for x, option, chosen in ((110, "Yes", True), (330, "No", False)):
        _big_radio(page, x, 130, chosen, read_as)
        page.text(x + 50, 134, option)
    structure = find_structure(page.array(), page.words)
    assert [(m.shape, m.option) for m in structure.marks if m.selected] == [("circle", "Yes")]
    assert _read(page)["hepatitis_b_vaccination"].value == "Yes"


def test_options_listed_under_a_numbered_question_are_its_answer() -> None:
    # One under another, under the question's number: only the first row was looked at, and
    # the word beside it ("Immune", not chosen) came out as the answer, unflagged.
    page = DrawnPage(1400, 500)
    page.text(100, 60, "7. Measles *")
    for row, (option, chosen) in enumerate((("Immune", False), ("Not immune", True), ("Unknown", False))):
        page.radio(110, 128 + 60 * row, filled=chosen, diameter=30)
        page.text(160, 128 + 60 * row, option)
    answer = _read(page)["measles"]
    assert answer.value == "NOT IMMUNE"


def test_a_column_of_answers_to_other_questions_is_no_list_of_options() -> None:
    # Under "Chickenpox", one option and its circle; under that, in the same column, the circle
    # chosen for the next question ("Mumps", of no field), printed left of it on its row: it
    # was taken as chickenpox's answer, unflagged.
    page = DrawnPage(1400, 400)
    page.text(100, 60, "Chickenpox")
    page.radio(330, 128, filled=False, diameter=30)
    page.text(380, 128, "Immune")
    page.text(100, 188, "Mumps")
    page.radio(330, 188, filled=True, diameter=30)
    page.text(380, 188, "Immune")
    answer = _read(page)["chickenpox"]
    assert answer.value == "" and answer.needs_review


def test_a_required_field_s_asterisk_blurred_to_a_blot_is_no_filled_mark() -> None:
    page = DrawnPage(1400, 300)
    label = page.text(100, 60, "Measles / MMR")
    x, y = label[-1].box[2] + 16, label[-1].box[1] + 2
    page.draw.ellipse((x, y, x + 13, y + 13), fill=0)  # "*" blurred by a photo, half the print's height
    page.radio(110, 130, filled=False, diameter=30)
    page.text(160, 130, "Immune")
    structure = find_structure(page.array(), page.words)
    assert not any(m.selected for m in structure.marks)


def test_a_value_that_is_an_option_s_print_is_flagged() -> None:
    page = DrawnPage(1400, 300)
    page.text(100, 60, "Measles")
    page.radio(110, 130, filled=False, diameter=30)
    immune = page.text(160, 130, "Immune")
    view_words = page.words
    from extraction.fields import page_view

    view = page_view(
        PATIENT, page_text(view_words, page.image.size), find_structure(page.array(), view_words)
    )
    spec = PATIENT.field("measles")
    taken = Candidate("measles", 0, (tuple(immune),), "below", 1.0, ())
    assert OPTION_NOTE in layout_doubts(spec, taken, [view], {})
    chosen = Candidate("measles", 0, (tuple(immune),), "option", 1.0, ())
    assert OPTION_NOTE not in layout_doubts(spec, chosen, [view], {})


def test_a_list_in_a_box_ends_at_the_box_and_the_hint_under_it_is_left_out() -> None:
    page = DrawnPage(1400, 400)
    # A hint set close under the box was read as the list's next line.
    page.text(100, 60, "Current medications *")
    page.box(100, 105, 1200, 200)
    page.text(120, 118, "Metformin")
    page.text(120, 160, "Aspirin 81 mg")
    page.text(100, 210, "Separate each item with a new line.")
    assert _read(page)["regular_medications"].value == "Metformin\nAspirin 81 mg"


def _boxes_row(page: DrawnPage, y: int, answers: list[tuple[int, int, str, str]]) -> None:
    """Boxes side by side from ``y``, each (x0, x1, written inside, caption under it)."""
    for x0, x1, written, caption in answers:
        page.box(x0, y, x1, y + 56)
        if written:
            page.text(x0 + 16, y + 12, written)
        page.text(x0, y + 66, caption)


def test_a_name_and_an_address_asked_in_captioned_boxes_are_put_together() -> None:
    # "City" under the city's box named the box under it (the ZIP's): the city was lost.
    page = DrawnPage(1400, 1100)
    page.text(100, 40, "Address *")
    _boxes_row(page, 90, [(100, 1200, "24 Willow Blvd", "Street Address")])
    _boxes_row(page, 200, [(100, 640, "Washington", "City"), (680, 1200, "DC", "State / Province")])
    _boxes_row(page, 310, [(100, 640, "20082", "Postal / Zip Code")])
    page.text(100, 470, "Emergency Contact")
    page.text(100, 540, "Contact person *")
    _boxes_row(page, 590, [(100, 640, "Keith", "First Name"), (680, 1200, "Bell", "Last Name")])
    fields = _read(page)
    assert fields["address"].value == "24 Willow Blvd\nWashington, DC 20082"
    assert fields["emergency_contact_name"].value == "Keith Bell"
    assert fields["address"].needs_review and fields["emergency_contact_name"].needs_review


def test_a_label_over_a_box_under_another_box_is_no_caption_of_the_box_over_it() -> None:
    page = DrawnPage(1400, 600)
    page.text(100, 40, "Phone number *")
    _boxes_row(page, 90, [(100, 640, "(512) 555-0182", "")])
    page.text(100, 250, "Date of birth *")
    _boxes_row(page, 300, [(100, 640, "03/07/1985", "MM/DD/YYYY")])
    fields = _read(page)
    assert fields["birth_date"].value == "03/07/1985"
    assert fields["phone_number"].value == "(512) 555-0182"


def _read_at(field: str, text: str, box: tuple[int, int, int, int]) -> Candidate:
    return Candidate(field, 0, ((Word(text, 0.95, box),),), "below", 1.0, ())


@pytest.mark.parametrize("patient_read", ["nothing", "a heading alone"])
def test_a_name_s_parts_go_to_the_field_they_stand_by_not_to_one_far_down_the_page(patient_read: str) -> None:
    # The patient's own name was not found (or only a heading over it, far above); the
    # contact's, twenty lines down, took the patient's First / Last boxes and the patient was
    # left blank.
    from extraction.assign import Assigned
    from extraction.keys import Key
    from extraction.parts import share_parts

    reading = PATIENT.with_parts
    assigned = {spec.name: Assigned(None, False) for spec in reading.fields}
    if patient_read != "nothing":
        heading = Word("PATIENT", 0.95, (140, 40, 300, 64))
        key = Key(0, Line((heading,)), 1, colon=False, known=True)
        assigned["patient_name"] = Assigned(Candidate("patient_name", 0, (), "section", 1.0, (key,)), True)
    assigned["patient_name.given"] = Assigned(
        _read_at("patient_name.given", "Diane", (300, 200, 420, 224)), True
    )
    assigned["patient_name.family"] = Assigned(
        _read_at("patient_name.family", "Flores", (700, 200, 830, 224)), True
    )
    contact = _read_at("emergency_contact_name", "Kimberly Dixon", (300, 1400, 600, 1424))
    assigned["emergency_contact_name"] = Assigned(contact, True)
    shared = share_parts(reading, assigned)
    assert shared["patient_name.given"].candidate is not None
    assert shared["patient_name.family"].candidate is not None
    assert shared["emergency_contact_name.given"].candidate is None


def test_a_corner_label_in_a_cell_whose_bottom_edge_was_lost_is_no_caption_of_the_cell_over_it() -> None:
    # Two cells stacked, labels in their corners; the lower cell's bottom edge not drawn (lost
    # to damage): its label, outside any cell found, read as a caption of the cell over it.
    page = DrawnPage(1400, 500)
    for y in (100, 220):
        page.line(100, y, 700, y)
    page.line(100, 100, 100, 340)
    page.line(700, 100, 700, 340)
    page.text(110, 108, "Weight (kg)")
    page.text(140, 160, "70")
    page.text(110, 228, "Height (cm)")
    page.text(140, 280, "175")
    fields = _read(page)
    assert (fields["weight"].value, fields["height"].value) == ("70", "175")
