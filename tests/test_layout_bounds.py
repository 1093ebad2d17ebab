"""What bounds a learned value: a column header is no row of the value under it, and a value
made of the form's own print is flagged whatever the learned layout read."""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.layouts import (
    cross_check,
    learn_layout,
    locate_value,
    match_layout,
    option_fields,
    read_fields,
)
from extraction.layouts.rows import rows_of_lines
from extraction.types import ExtractionResult, FieldResult, Line, PageText, Word
from tests.layout_text import parse_layout

PRESCRIPTION = get_document_type("prescription")


def _line(words: list[Word]) -> Line:
    return Line(tuple(words))


def _word(text: str, x: int, top: int, bottom: int) -> Word:
    return Word(text, 0.95, (x, top, x + 22 * len(text), bottom), 0)


# A grid's header row, and under it the first row whose directions cell OCR read tall (its
# box reaches up into the header by a third of the header's height), as on a scanned grid form.
HEADER = [_word("Drug", 258, 714, 755), _word("name", 370, 714, 755)]
FREQUENCY = [_word("Frequency", 990, 711, 757)]
TALL_CELL = [_word("1/2", 994, 741, 817), _word("tab", 1080, 741, 817), _word("daily", 1170, 741, 817)]
FIRST_ROW = [_word("Duloxetine", 273, 768, 809), _word("60", 746, 769, 817), _word("mg", 810, 769, 817)]


def test_a_tall_cell_does_not_chain_a_column_header_into_the_row_under_it() -> None:
    pieces = [(words, _line(words).box) for words in (HEADER, FREQUENCY, TALL_CELL, FIRST_ROW)]
    rows = rows_of_lines(pieces)
    texts = [" ".join(w.text for w in row) for row in rows]
    assert texts == ["Drug name Frequency", "Duloxetine 60 mg 1/2 tab daily"]


def test_a_header_over_a_learned_list_is_learned_as_print_not_as_part_of_the_value() -> None:
    """The medicines' box, learned from the rows their words were found in, stays under the
    header: "Drug" and "name" are the form's words, which a new copy's reading leaves out."""
    second = [_word("Metformin", 273, 839, 878), _word("500", 748, 840, 878), _word("mg", 840, 840, 878)]
    page = PageText(
        index=0,
        lines=tuple(_line(w) for w in (HEADER, FREQUENCY, TALL_CELL, FIRST_ROW, second)),
        width=2550,
        height=3300,
    )
    value = "Duloxetine 60 mg\nMetformin 500 mg"
    found = locate_value(value, [page])
    assert found is not None
    fields = {"medicines": FieldResult(value, 0.9, False, page=0, box=found[1])}
    result = ExtractionResult("prescription", 1.0, 1, 300, fields, page_texts=[page])
    template = learn_layout(result, PRESCRIPTION, {"medicines": value})
    assert {"drug", "name"} <= {a.text for a in template.pages[0].anchors}
    assert template.fields["medicines"].box[1] >= 768


def test_a_value_of_the_forms_own_words_is_flagged_though_the_layout_did_not_learn_its_field() -> None:
    """The generic reading took the form's instruction line for the patient's name (the name
    is written in boxes the layout did not learn): the form prints those words, so it is
    flagged. A printed answer chosen from the form's options is not."""
    printed = frozenset({"please", "print", "clearly", "all", "information", "is", "kept", "yes", "no"})
    generic = {
        "patient_name": FieldResult("Please print clearly. All information is kept", 0.9, False),
        "prescriber": FieldResult("Dr Ann Lee", 0.9, False),
    }
    merged = cross_check(generic, {}, printed)
    assert merged["patient_name"].needs_review
    assert "the form prints these words" in (merged["patient_name"].reason or "")
    assert not merged["prescriber"].needs_review

    record = get_document_type("patient_details")
    answers = option_fields(record)
    assert "hepatitis_b_vaccination" in answers
    ticked = {"hepatitis_b_vaccination": FieldResult("Yes", 0.9, False)}
    assert not cross_check(ticked, {}, printed, options=answers)["hepatitis_b_vaccination"].needs_review


def test_a_value_sharing_one_word_with_the_print_is_not_flagged() -> None:
    """The label prints "Insurance"; "Health Insurance" is still a company's name."""
    generic = {"insurance_company": FieldResult("Health Insurance", 0.9, False)}
    merged = cross_check(generic, {}, frozenset({"insurance", "company"}))
    assert not merged["insurance_company"].needs_review


def test_an_answer_ticked_where_the_layout_has_it_may_be_another_questions_answer_too() -> None:
    """Chicken pox and measles both "IMMUNE": the learned box's answer is no other field's
    value read in the wrong place, and it replaces the generic reading that failed its check."""
    record = get_document_type("patient_details")
    generic = {
        "chickenpox": FieldResult("IMMUNE", 0.9, False),
        "measles": FieldResult("Had it/immune", 0.6, True, reason="not IMMUNE / NOT IMMUNE"),
    }
    learned = {"measles": FieldResult("IMMUNE", 0.9, False)}
    merged = cross_check(generic, learned, options=option_fields(record))
    assert merged["measles"].value == "IMMUNE"
    assert merged["measles"].needs_review


# An address written in parts: the street beside the section's label, each part's name
# printed small under it.
PARTS = """
200 100 Oak Park Medical Group patient record
200 300 SURNAME: {surname}
200 866 ADDRESS:  {street}
400 913 Street
200 957 {town}
200 999 Town/City
200 1100 OCCUPATION: Clerk
"""


def test_a_value_beside_its_label_on_a_form_with_part_names_under_its_lines_is_read_whole() -> None:
    record = get_document_type("patient_details")
    first = {"address": "1186 Meadow Dr\nSalt Lake City UT 84199"}
    pages = parse_layout(
        PARTS.format(surname="Hunter", street="1186 Meadow Dr", town="Salt Lake City UT 84199")
    )
    found = locate_value(first["address"], pages)
    assert found is not None
    fields = {"address": FieldResult(first["address"], 0.9, False, page=0, box=found[1])}
    result = ExtractionResult("patient_details", 1.0, 1, 300, fields, page_texts=pages)
    template = learn_layout(result, record, first)
    assert "address" not in template.fields["address"].interleaved
    new = parse_layout(PARTS.format(surname="Cox", street="32 Adams Blvd", town="Albany New York 12290"))
    match = match_layout([template], new)
    assert match is not None
    assert read_fields(match, record, new)["address"].value == "32 Adams Blvd\nAlbany New York 12290"
