"""Learned layouts reading a value more closely than the page pass: where a multi-line value
ends, boxes' rules read as characters, and the cross-check of lines that belong to another
field."""

from __future__ import annotations

import itertools

from extraction.doctypes import get_document_type
from extraction.layouts import (
    LayoutTemplate,
    cross_check,
    learn_layout,
    list_fields,
    locate_value,
    match_layout,
    read_fields,
)
from extraction.layouts.spot import without_box_rules
from extraction.structure import Cell, PageStructure, SelectionMark, Table
from extraction.types import ExtractionResult, FieldResult, PageText, Word
from extraction.validate import check_value
from tests.layout_text import engine_reading, parse_layout

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
    return learn_layout(engine_reading(pages, FIRST, doc_type="patient_details"), RECORD, FIRST)


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


def test_a_longer_list_than_the_generic_reading_found_is_read_whole_and_flagged() -> None:
    """The generic reading stopped after a table's first row; the learned area holds all the
    rows: the generic text of the first line, the learned rest, flagged to be checked."""
    generic = {"medicines": FieldResult("Montelukast 5 mg", 0.9, False)}
    learned = {"medicines": FieldResult("Montelukast 5 rng\nCough syrup 5 ml\nNaproxen 500 mg", 0.9, False)}
    merged = cross_check(generic, learned, lists=list_fields(get_document_type("prescription")))
    assert merged["medicines"].value == "Montelukast 5 mg\nCough syrup 5 ml\nNaproxen 500 mg"
    assert merged["medicines"].needs_review


PRESCRIPTION = get_document_type("prescription")
# A ruled medicine table: Drug name | Dosage | How to take | Quantity, five rows to fill.
COLUMNS = (180, 600, 880, 1880, 2100)
ROW_TOP, ROW_HEIGHT, BODY_ROWS = 780, 60, 5


def ruled_table() -> PageStructure:
    cells = [
        Cell((x0 + 3, ROW_TOP + r * ROW_HEIGHT + 3, x1 - 3, ROW_TOP + (r + 1) * ROW_HEIGHT - 3), r, c, 0)
        for r in range(BODY_ROWS + 1)
        for c, (x0, x1) in enumerate(itertools.pairwise(COLUMNS))
    ]
    outline = (COLUMNS[0], ROW_TOP, COLUMNS[-1], ROW_TOP + (BODY_ROWS + 1) * ROW_HEIGHT)
    return PageStructure(cells=tuple(cells), tables=(Table(outline, BODY_ROWS + 1, len(COLUMNS) - 1),))


def rx_table_page(rows: list[tuple[str, str, str, str]]) -> list[PageText]:
    lines = [
        "200 300 Patient name: Ann Lee",
        "200 790 Drug name",
        "620 790 Dosage",
        "900 790 How to take",
        "1900 790 Quantity",
    ]
    for index, cells in enumerate(rows, start=1):
        y = ROW_TOP + index * ROW_HEIGHT + 10
        lines += [f"{x + 20} {y} {text}" for x, text in zip(COLUMNS, cells, strict=False)]
    lines += ["200 1300 Refills: 2"]
    return parse_layout("\n".join(lines))


def test_a_list_in_a_table_column_is_learned_inside_its_columns_and_read_to_the_last_row() -> None:
    """Learned from a copy with two rows, a copy with four is read to its last row, and the
    quantity printed in the next column is no part of the directions."""
    first = [
        ("Albuterol", "90 mcg", "Take 1 tablet every 12 hours", "#14"),
        ("Lactulose", "10 ml", "take 1 ml twice daily", "#60"),
    ]
    pages = rx_table_page(first)
    verified = {
        "patient_name": "Ann Lee",
        "medicines": "Albuterol 90 mcg\nLactulose 10 ml",
        "directions": "Take 1 tablet every 12 hours\ntake 1 ml twice daily",
        "refills": "2",
    }
    result = engine_reading(pages, verified, structures=[ruled_table()])
    template = learn_layout(result, PRESCRIPTION, verified)
    assert template.fields["directions"].zone[2] <= COLUMNS[3]
    again = rx_table_page(
        [
            ("Montelukast", "5 mg", "Use 1/2 capsule as needed", "#14"),
            ("Cough syrup", "5 ml", "Use 1 ml three times a day", "#60"),
            ("Meloxicam", "7.5 mg", "Take 2 pill every 8 hours", "20"),
            ("Naproxen", "500 mg", "Use 2 pill every 8 hours", "90"),
        ]
    )
    match = match_layout([template], again)
    assert match is not None
    read = read_fields(match, PRESCRIPTION, again, [ruled_table()])
    assert read["medicines"].value == "Montelukast 5 mg\nCough syrup 5 ml\nMeloxicam 7.5 mg\nNaproxen 500 mg"
    assert read["directions"].value.splitlines() == [
        "Use 1/2 capsule as needed",
        "Use 1 ml three times a day",
        "Take 2 pill every 8 hours",
        "Use 2 pill every 8 hours",
    ]


def test_the_next_columns_value_touching_a_lists_area_does_not_end_the_list() -> None:
    """Each learned box is placed with its own shift: the directions' box, one column right,
    may touch the medicines' area by a pixel or two. Only print standing under the list ends it."""
    from extraction.layouts.read import _down_to_next_print

    area = (158, 1202, 843, 1502)
    beside = {(841, 1225, 1500, 1262): ""}
    assert _down_to_next_print(area, beside, (), 40.0) == area
    under = {(300, 1400, 500, 1440): "notes"}
    assert _down_to_next_print(area, under, (), 40.0)[3] < 1400


# A form that asks for the name and the address in parts, each in a box of its own.
PARTS_FORM = """
200 100 Riverside Clinic new patient form
200 300 Patient name
700 300 {family}
1500 300 {given}
700 360 Surname
1500 360 Given names
200 500 Address line 1
700 500 {street}
200 600 City
700 600 {city}
1300 600 State
1500 600 {state}
1800 600 Postcode
2100 600 {postcode}
"""


def parts_form(family: str, given: str, street: str, city: str, state: str, postcode: str) -> list[PageText]:
    text = PARTS_FORM.format(
        family=family, given=given, street=street, city=city, state=state, postcode=postcode
    )
    return parse_layout("\n".join(line for line in text.splitlines() if len(line.split()) > 2))


def test_a_value_asked_for_in_parts_is_learned_part_by_part_and_read_in_the_verified_order() -> None:
    """The surname stands before the given names and the town, state and postcode in boxes of
    their own: the value is learned part by part, with the verified value's separators (no
    patient's words), and a new copy is put together in the verified order."""
    pages = parts_form("Lopez", "Maria", "12 Oak Lane", "Seattle", "WA", "98101")
    verified = {"patient_name": "Maria Lopez", "address": "12 Oak Lane\nSeattle, WA 98101"}
    result = ExtractionResult("patient_details", 1.0, 1, 300, {}, page_texts=pages)
    template = learn_layout(result, RECORD, verified)
    assert len(template.fields["patient_name"].parts) == 2
    assert template.fields["address"].joints == ("\n", ", ", " ")
    stored = str(template.to_dict())
    assert not any(word in stored for word in ("Lopez", "Maria", "Oak", "Seattle", "98101"))
    again = LayoutTemplate.from_dict(template.to_dict())
    copy = parts_form("Baker", "Tom J", "7 Elm Street", "New York City", "NY", "10001")
    match = match_layout([again], copy)
    assert match is not None
    read = read_fields(match, RECORD, copy)
    assert read["patient_name"].value == "Tom J Baker"
    assert read["address"].value == "7 Elm Street\nNew York City, NY 10001"
    blank = parts_form("Baker", "", "7 Elm Street", "New York City", "NY", "10001")
    match = match_layout([again], blank)
    assert match is not None
    name = read_fields(match, RECORD, blank)["patient_name"]
    assert name.value == "Baker" and name.needs_review


def test_a_part_is_learned_near_the_other_parts_not_in_the_letterhead() -> None:
    """The clinic prints its own town and state in its letterhead, and the learned patient
    lives in that town: "Seattle, WA" reads whole on one line only there. The parts are learned
    in the boxes near the street, so a copy's town is read from its box."""
    text = PARTS_FORM.format(
        family="Lopez", given="Maria", street="12 Oak Lane", city="Seattle", state="WA", postcode="98101"
    )
    pages = parse_layout(text + "\n200 160 4 Harbour Road, Seattle, WA 98104")
    verified = {"address": "12 Oak Lane\nSeattle, WA 98101"}
    result = ExtractionResult("patient_details", 1.0, 1, 300, {}, page_texts=pages)
    template = learn_layout(result, RECORD, verified)
    assert all(part.box[1] >= 500 for part in template.fields["address"].parts)
    copy = parse_layout(
        PARTS_FORM.format(
            family="Baker", given="Tom", street="7 Elm Street", city="Portland", state="OR", postcode="97201"
        )
        + "\n200 160 4 Harbour Road, Seattle, WA 98104"
    )
    match = match_layout([template], copy)
    assert match is not None
    assert read_fields(match, RECORD, copy)["address"].value == "7 Elm Street\nPortland, OR 97201"


def test_a_generic_line_sharing_one_short_word_with_the_print_is_no_print() -> None:
    """The learned area missed the street; the generic reading has it. "St" is printed in the
    clinic's own address, "Spring" is not: the street is the patient's, and the generic
    address stands (flagged, naming the learned reading)."""
    generic = {"address": FieldResult("6 Spring St\nSalt Lake City, UT 84165", 0.9, False)}
    learned = {"address": FieldResult("Salt Lake City, UT 84165", 0.9, False)}
    merged = cross_check(generic, learned, frozenset({"st", "highland", "hill"}))
    assert merged["address"].value == "6 Spring St\nSalt Lake City, UT 84165"
    assert merged["address"].needs_review


def test_learned_lines_made_of_other_fields_values_do_not_lengthen_a_value() -> None:
    """Learned from a copy with a taller address, the area also holds the next row's weight and
    height: those lines are other fields' values, and the generic address stands."""
    generic = {
        "address": FieldResult("9916 Jackson Lane, Chicago, IL", 0.9, False),
        "weight": FieldResult("83", 0.9, False),
        "height": FieldResult("167", 0.9, False),
    }
    learned = {"address": FieldResult("9916 Jackson Lane, Chicago, IL\n83 167", 0.9, False)}
    merged = cross_check(generic, learned, lists={"address"})
    assert merged["address"].value == "9916 Jackson Lane, Chicago, IL"
    assert merged["address"].needs_review


def test_learned_lines_holding_the_forms_print_do_not_lengthen_a_value() -> None:
    """The area learned from a taller handwritten address also holds the next row: a weight and
    the next label, "Height in cm:". A line with the form's print in it is no line of the value."""
    generic = {"address": FieldResult("6723 Hickory Dr, Houston, TX", 0.9, False)}
    learned = {"address": FieldResult("6723 Hickory Dr, Houston, TX\n70 Height in cm: 16", 0.9, False)}
    merged = cross_check(
        generic, learned, frozenset({"height", "in", "cm", "weight", "kg"}), lists={"address"}
    )
    assert merged["address"].value == "6723 Hickory Dr, Houston, TX"
    assert merged["address"].needs_review


def test_an_address_is_no_list_a_longer_learned_reading_may_lengthen() -> None:
    """An address's learned area, learned from a taller handwritten copy, holds the next row's
    unlabelled numbers: an address is no list of like lines, and the generic one stands."""
    generic = {"address": FieldResult("3018 Spruce Rd, Chicago, IL", 0.9, False)}
    learned = {"address": FieldResult("3018 Spruce Rd, Chicago, IL\n142 BMI 21.9", 0.9, False)}
    lists = list_fields(get_document_type("patient_details"))
    assert "address" not in lists
    merged = cross_check(generic, learned, lists=lists)
    assert merged["address"].value == "3018 Spruce Rd, Chicago, IL"
    assert merged["address"].needs_review


def test_a_learned_reading_with_the_words_the_generic_lines_left_out_is_taken() -> None:
    """The generic reading put the address together from its parts without the city; the
    learned area holds the same lines with it: the learned words, flagged."""
    generic = {"address": FieldResult("43 Jackson Ln\nMD 21230", 0.9, True, reason="put together")}
    learned = {"address": FieldResult("43 Jackson Ln\nBaltimore, MD 21230", 0.9, False)}
    merged = cross_check(generic, learned)
    assert merged["address"].value == "43 Jackson Ln\nBaltimore, MD 21230"
    assert merged["address"].needs_review
    # A word the form prints is no word the generic reading left out.
    printed = frozenset({"baltimore"})
    assert cross_check(generic, learned, printed)["address"].value == "43 Jackson Ln\nMD 21230"


def test_learned_lines_not_shaped_like_the_fields_lines_do_not_lengthen_it() -> None:
    """Under the medicine the pad has its quantity ("# 20"), an unprinted line no field
    claims: a longer learned reading whose whole fails the field's check, where the generic
    value passes it, does not lengthen the value."""
    spec = get_document_type("prescription")
    generic = {"medicines": FieldResult("Omeprazole 10 mg", 0.9, False)}
    learned = {"medicines": FieldResult("Omeprazole 10 mg\n# 20", 0.9, False)}

    merged = cross_check(generic, learned, valid=_valid, lists=list_fields(spec))
    assert merged["medicines"].value == "Omeprazole 10 mg"
    assert merged["medicines"].needs_review
    assert "# 20" in (merged["medicines"].reason or "")


def test_a_longer_list_on_this_copy_than_on_the_learned_one_is_no_disagreement() -> None:
    """Learned from a copy with one medicine, the area holds this copy's first: the generic
    reading has it and a second line of its own, and nothing is flagged. A second line that
    holds the form's print ("Weight in kg") is still a disagreement."""
    generic = {"medicines": FieldResult("Amoxicillin 500 mg\nMesalamine 2.4 gram", 0.9, False)}
    learned = {"medicines": FieldResult("Amoxicillin 500 mg", 0.9, False)}
    merged = cross_check(generic, learned)
    assert merged["medicines"].value == "Amoxicillin 500 mg\nMesalamine 2.4 gram"
    assert not merged["medicines"].needs_review
    generic = {"address": FieldResult("12 Main St\nSpringfield\nWeight in kg 70", 0.9, False)}
    learned = {"address": FieldResult("12 Main St\nSpringfield", 0.9, False)}
    merged = cross_check(generic, learned, frozenset({"weight", "in", "kg"}))
    assert merged["address"].needs_review


def test_one_number_read_with_other_separators_is_no_disagreement() -> None:
    """A phone printed in boxes, read "(417) 572-4061" by the generic reading and without its
    brackets in the learned area: the same digits, one number. Other digits disagree."""
    generic = {"phone_number": FieldResult("(417) 572-4061", 0.9, False)}
    merged = cross_check(generic, {"phone_number": FieldResult("417-572-4061", 0.9, False)})
    assert not merged["phone_number"].needs_review
    generic = {"phone_number": FieldResult("(417) 572-4061", 0.9, False)}
    merged = cross_check(generic, {"phone_number": FieldResult("417-572-4067", 0.9, False)})
    assert merged["phone_number"].needs_review


def test_a_generic_value_that_ran_into_another_fields_value_still_disagrees() -> None:
    """The generic address ran on into the prescriber's line under it; the learned area holds
    the address alone. That line is another field's value (its punctuation read otherwise), no
    longer list: the two disagree, and the address is flagged."""
    generic = {
        "patient_address": FieldResult("30 Elm Court\nSan Diego, 92133\nDr. Jordan Watson, D.O.", 0.9, False),
        "prescriber": FieldResult("Dr. Jordan Watson, D.O", 0.9, False),
    }
    learned = {"patient_address": FieldResult("30 Elm Court\nSan Diego, 92133", 0.9, False)}
    merged = cross_check(generic, learned)
    assert merged["patient_address"].needs_review


def test_print_read_surely_that_fails_the_check_does_not_replace_the_generic_reading() -> None:
    """The learned area holds the clinic's phone where the form had the medicines: a sure
    reading that is no medicine stays out, though the generic reading (misread) fails too."""
    spec = get_document_type("prescription")
    generic = {"medicines": FieldResult("Moe he nece:e 75 mg", 0.3, True)}
    learned = {"medicines": FieldResult("(503) 564-5328", 0.96, False)}

    merged = cross_check(generic, learned, valid=_valid, lists=list_fields(spec))
    assert merged["medicines"].value == "Moe he nece:e 75 mg"
    assert merged["medicines"].needs_review and "(503) 564-5328" in (merged["medicines"].reason or "")
    unsure = {"medicines": FieldResult("Metformn 5OO mg", 0.4, True)}
    assert cross_check(generic, unsure, valid=_valid)["medicines"].value == "Metformn 5OO mg"


def test_a_learned_line_of_no_word_does_not_lengthen_a_list() -> None:
    """Under the last direction this copy has its quantity ("90"): no direction."""
    generic = {"directions": FieldResult("Take 2 capsule at bedtime until finished", 0.9, False)}
    learned = {"directions": FieldResult("Take 2 capsule at bedtime until finished\n90", 0.9, False)}
    merged = cross_check(generic, learned, lists=list_fields(get_document_type("prescription")))
    assert merged["directions"].value == "Take 2 capsule at bedtime until finished"


def _valid(name: str, value: str) -> bool:
    """Whether ``value`` passes the prescription field's check."""
    return check_value(get_document_type("prescription").field(name), value) is None
