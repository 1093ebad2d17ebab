"""Learned layouts reading a value more closely than the page pass: where a multi-line value
ends, boxes' rules read as characters, and the cross-check of lines that belong to another
field."""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.layouts import (
    LayoutTemplate,
    cross_check,
    learn_layout,
    locate_value,
    match_layout,
    read_fields,
)
from extraction.layouts.spot import without_box_rules
from extraction.structure import PageStructure, SelectionMark
from extraction.types import ExtractionResult, FieldResult, PageText, Word
from tests.layout_text import parse_layout

RECORD = get_document_type("patient_details")

# A registration card: a label column, each value beside its label; the rows under a longer
# list of medicines move down.
CARD = """
200 100 Hilltop Health Centre registration form
200 300 Patient name: {name}
200 400 Date of birth: {birth}
200 480 Weight in kg: {weight}
200 560 Current meds: {meds}
{more_meds}
200 {pox_y} Chicken pox: IMMUNE
200 {sign_y} Signature of patient and date
"""

FIRST = {
    "patient_name": "Maria Lopez",
    "birth_date": "12/03/1984",
    "weight": "64",
    "regular_medications": "Metformin",
    "chickenpox": "IMMUNE",
}


def card(name: str, birth: str, weight: str, meds: list[str]) -> list[PageText]:
    more = "\n".join(f"508 {560 + 60 * i} {line}" for i, line in enumerate(meds[1:], start=1))
    step = 60 * (len(meds) - 1)
    return parse_layout(
        CARD.format(
            name=name,
            birth=birth,
            weight=weight,
            meds=meds[0],
            more_meds=more,
            pox_y=640 + step,
            sign_y=900 + step,
        )
    )


def learned_card() -> LayoutTemplate:
    pages = card("Maria Lopez", "12/03/1984", "64", ["Metformin"])
    fields = {}
    for name, value in FIRST.items():
        found = locate_value(value, pages)
        assert found is not None, name
        fields[name] = FieldResult(value, 0.9, False, page=found[0], box=found[1])
    result = ExtractionResult("patient_details", 1.0, 1, 300, fields, page_texts=pages)
    return learn_layout(result, RECORD, FIRST)


def test_a_list_beside_its_label_ends_where_the_next_label_of_its_column_starts() -> None:
    """The chicken pox answer stands in the medicines' area, under their last line: the next
    label in the label column ends the list, so it is no medicine."""
    template = learned_card()
    pages = card("Tom Baker", "01/07/1975", "80", ["Omeprazole 20 mg", "Vitamin D 1000 IU"])
    match = match_layout([template], pages)
    assert match is not None
    read = read_fields(match, RECORD, pages)
    assert read["regular_medications"].value == "Omeprazole 20 mg\nVitamin D 1000 IU"


def test_the_rules_of_a_dates_boxes_are_no_characters_of_it() -> None:
    template = learned_card()
    pages = card("Tom Baker", "[0[8]/[0[4]/[1]9[7]9]", "80", ["Metformin"])
    match = match_layout([template], pages)
    assert match is not None
    birth = read_fields(match, RECORD, pages)["birth_date"]
    assert birth.value == "08/04/1979"
    assert birth.needs_review and "rules of its boxes" in (birth.reason or "")


def test_lines_the_generic_reading_gave_another_field_are_not_this_ones() -> None:
    """Medicines printed between the lines of directions fall in the directions' learned area:
    without them the learned reading is the generic one, which stands unflagged."""
    prescription = {
        "medicines": FieldResult("Metoprolol 50 mg\nAlbuterol 90 mcg", 0.9, False),
        "directions": FieldResult("Use 2 tab once daily\nUse 1 tab at bedtime", 0.9, False),
    }
    learned = {
        "directions": FieldResult(
            "Use 2 tab once daily\nMetoprolol 50 mg\nUse 1 tab at bedtime\nAlbuterol 90 mcg", 0.9, False
        )
    }
    merged = cross_check(prescription, learned)
    assert merged["directions"].value == "Use 2 tab once daily\nUse 1 tab at bedtime"
    assert not merged["directions"].needs_review


def test_a_learned_line_read_with_a_comma_less_is_still_one_of_the_generic_lines() -> None:
    """The learned area held the address's second line only, read without its comma: the two
    are one reading, and the generic address with both lines stands."""
    generic = {
        "address": FieldResult("63 Oak Lane\nSeattle, WA 98132", 0.9, True, reason="no label: check it")
    }
    learned = {"address": FieldResult("Seattle WA 98132", 0.9, False)}
    merged = cross_check(generic, learned)
    assert merged["address"].value == "63 Oak Lane\nSeattle, WA 98132"
    assert merged["address"].needs_review


def test_one_bracket_inside_a_number_is_a_misread_digit_and_is_kept() -> None:
    """ "43]-622" lost a digit to the bracket: left out, the phone would read as another valid
    number. Only brackets at a word's edge or a comb of them are the boxes' rules."""
    phone = RECORD.field("phone_number")
    word = Word("(478)-43]-622", 0.9, (500, 400, 800, 440), 0)
    assert without_box_rules(phone, [[word]], "(478)-43]-622", "not a phone")[2] is False
    edge = Word("[22/06/2015", 0.9, (500, 400, 800, 440), 0)
    assert without_box_rules(RECORD.field("birth_date"), [[edge]], "[22/06/2015", "not a date")[:2] == (
        "22/06/2015",
        None,
    )


def test_two_answers_learned_at_one_row_of_boxes_are_neither_learned() -> None:
    """The engine put the measles answer at the hepatitis row's boxes: a row answers one
    question, and which of the two it answers is not known, so the layout learns neither."""
    pages = parse_layout(
        "200 100 Hilltop Health Centre registration\n"
        "200 300 Patient name: Maria Lopez\n"
        "200 400 Hepatitis B vaccinated?\n"
        "1200 360 Yes\n"
        "1400 360 No\n"
        "200 500 Measles immunity\n"
        "200 700 Signature of patient\n"
    )
    row = PageStructure(
        marks=tuple(
            SelectionMark((x, 400, x + 40, 440), "square", x == 1210, "", None, 0.95) for x in (1210, 1410)
        )
    )
    name_box = locate_value("Maria Lopez", pages)
    assert name_box is not None
    answer_box = (1200, 360, 1266, 400)
    fields = {
        "patient_name": FieldResult("Maria Lopez", 0.9, False, page=0, box=name_box[1]),
        "hepatitis_b_vaccination": FieldResult("Yes", 0.9, False, page=0, box=answer_box),
        "measles": FieldResult("IMMUNE", 0.9, False, page=0, box=answer_box),
    }
    verified = {"patient_name": "Maria Lopez", "hepatitis_b_vaccination": "Yes", "measles": "IMMUNE"}
    result = ExtractionResult("patient_details", 1.0, 1, 300, fields, page_texts=pages, page_structures=[row])
    template = learn_layout(result, RECORD, verified)
    assert "patient_name" in template.fields
    assert "measles" not in template.fields and "hepatitis_b_vaccination" not in template.fields
    del fields["measles"], verified["measles"]
    alone = learn_layout(result, RECORD, verified)
    assert "hepatitis_b_vaccination" in alone.fields
