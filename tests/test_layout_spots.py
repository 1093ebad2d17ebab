"""Learned layouts reading a value more closely than the page pass: where a multi-line value
ends, boxes' rules read as characters, a value's spot read again through real tesseract, and
the cross-check of lines that belong to another field."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extraction.doctypes import get_document_type
from extraction.layouts import cross_check, learn_layout, locate_value, match_layout, read_fields
from extraction.layouts.spot import without_box_rules
from extraction.options import DEFAULT_OPTIONS
from extraction.pipeline import _region_reader
from extraction.types import ExtractionResult, FieldResult, PageText, Word, union_box
from tests.layout_text import parse_layout

RECORD = get_document_type("patient_details")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

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


def learned_card():
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


def _page_image(texts: list[tuple[int, int, str]]) -> np.ndarray:
    """A white 300-dpi letter page with each text drawn at its (x, y), 40 px high."""
    image = Image.new("L", (2550, 3300), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, 46)
    for x, y, text in texts:
        draw.text((x, y - 4), text, fill=0, font=font)
    return np.asarray(image)


def test_a_number_the_page_pass_misread_is_read_again_from_its_spot() -> None:
    """The page pass read the weight "128" as "IZB": its spot, read again alone through
    tesseract (digits only), gives the number, flagged."""
    template = learned_card()
    pages = card("Tom Baker", "01/07/1975", "IZB", ["Metformin"])
    match = match_layout([template], pages)
    assert match is not None
    weight_word = next(w for line in pages[0].lines for w in line.words if w.text == "IZB")
    image = _page_image([(weight_word.box[0], 480, "128")])
    without = read_fields(match, RECORD, pages)["weight"]
    assert without.value != "128"
    read = read_fields(match, RECORD, pages, reread=_region_reader([image], [300], DEFAULT_OPTIONS))
    assert read["weight"].value == "128" and read["weight"].needs_review


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


def test_a_value_misread_past_finding_is_learned_where_the_engine_read_it() -> None:
    """The engine read the weight "64" as "IOV" and gave no value: its spelling does not find
    it, but the engine's box holds a misreading about as long, so its place is learned and the
    next copy's weight is read there."""
    pages = card("Maria Lopez", "12/03/1984", "IOV", ["Metformin"])
    fields = {}
    for name, value in FIRST.items():
        found = locate_value("IOV" if name == "weight" else value, pages)
        assert found is not None, name
        read = "" if name == "weight" else value
        fields[name] = FieldResult(read, 0.9, name == "weight", page=found[0], box=found[1])
    template = learn_layout(
        ExtractionResult("patient_details", 1.0, 1, 300, fields, page_texts=pages), RECORD, FIRST
    )
    assert "weight" in template.fields
    assert all(anchor.text != "iov" for anchor in template.pages[0].anchors)
    second = card("Tom Baker", "01/07/1975", "80", ["Metformin"])
    match = match_layout([template], second)
    assert match is not None
    assert read_fields(match, RECORD, second)["weight"].value == "80"


def test_a_label_in_the_engines_box_of_a_blank_is_no_place_of_its_value() -> None:
    """A blank the engine read has its label's box: "Weight in kg" is no misreading of 64."""
    pages = card("Maria Lopez", "12/03/1984", "", ["Metformin"])
    fields = {}
    for name, value in FIRST.items():
        if name == "weight":
            label = union_box(
                [w.box for line in pages[0].lines for w in line.words if w.text in ("Weight", "kg:")]
            )
            fields[name] = FieldResult("", 0.0, True, page=0, box=label)
            continue
        found = locate_value(value, pages)
        assert found is not None, name
        fields[name] = FieldResult(value, 0.9, False, page=found[0], box=found[1])
    template = learn_layout(
        ExtractionResult("patient_details", 1.0, 1, 300, fields, page_texts=pages), RECORD, FIRST
    )
    assert "weight" not in template.fields
