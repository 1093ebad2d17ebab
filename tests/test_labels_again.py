"""A label the page pass misread, read again on its own: the lines chosen and what replaces them.

The choice of lines is checked with a reader over a drawn page's words (a ``LineReader``'s
contract: words in page pixels for a box); the second reader itself reads a drawn, blurred label.
"""

from __future__ import annotations

import importlib.util

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.labels_again import (
    missing_fields,
    read_box,
    read_labels_again,
    second_reader_lines,
    spread_over,
)
from extraction.types import Box, Word
from tests.conftest import require
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")


@pytest.fixture
def needs_reader() -> None:
    require(
        importlib.util.find_spec("rapidocr") is not None, "rapidocr is not installed (make setup installs it)"
    )


PAGE = """
200 400 Patient name: Maria Lopez
200 500 D.O0.B.@0.36 22-11-1958
200 600 Phone: 555-201-3344
"""


class Reader:
    """Reads a box again as ``again`` (the words of ``second``'s page inside it), counting calls."""

    def __init__(self, second: str) -> None:
        self.page = parse_layout(second)[0]
        self.calls: list[Box] = []

    def __call__(self, page: int, box: Box, wordings: tuple[str, ...]) -> list[Word]:
        self.calls.append(box)
        return self.page.words_in(box)


def test_a_misread_label_read_again_gives_its_field_a_value() -> None:
    pages = parse_layout(PAGE)
    fields = extract_fields(PATIENT, pages, 0.8)
    assert fields["birth_date"].value == ""
    reader = Reader(PAGE.replace("D.O0.B.@0.36", "D.O.B.@0.91"))
    again, found = read_labels_again(PATIENT, missing_fields(fields), fields, pages, reader)
    assert [(f.first, f.again) for f in found] == [("D.O0.B. 22-11-1958", "D.O.B. 22-11-1958")]
    assert extract_fields(PATIENT, again, 0.8)["birth_date"].value == "22-11-1958"


def test_a_second_reading_that_is_no_label_changes_nothing() -> None:
    pages = parse_layout(PAGE)
    fields = extract_fields(PATIENT, pages, 0.8)
    reader = Reader(PAGE.replace("D.O0.B.@0.36", "Ditto@0.91"))
    again, found = read_labels_again(PATIENT, missing_fields(fields), fields, pages, reader)
    assert (again, found) == (pages, [])
    assert len(reader.calls) == 1


def test_sure_lines_and_lines_holding_a_value_are_not_read_again() -> None:
    # The name's line is unsure but holds the patient's name; the phone's is sure.
    page = PAGE.replace("Lopez", "Lopez@0.40").replace("D.O0.B.@0.36", "Ht@0.96")
    pages = parse_layout(page)
    fields = extract_fields(PATIENT, pages, 0.8)
    assert fields["patient_name"].value == "Maria Lopez"
    reader = Reader(page)
    read_labels_again(PATIENT, missing_fields(fields), fields, pages, reader)
    assert reader.calls == []


def test_words_read_as_text_alone_are_laid_over_their_box_by_their_letters() -> None:
    words = spread_over("Policy  no.", 0.9, (100, 50, 210, 80))
    assert [(w.text, w.box) for w in words] == [("Policy", (100, 50, 160, 80)), ("no.", (180, 50, 210, 80))]
    assert {w.confidence for w in words} == {0.9}


def test_the_second_reader_reads_a_blurred_label_as_its_wording(needs_reader: None) -> None:
    # A defocused "EXPIRY DATE" that tesseract read "EPRVOATE".
    from docgen.fonts import font_families

    font = ImageFont.truetype(font_families("tuning")[0].bold, 34)
    image = Image.new("L", (600, 120), 255)
    ImageDraw.Draw(image).text((40, 40), "EXPIRY DATE", font=font, fill=30)
    blurred = cv2.GaussianBlur(np.asarray(image), (0, 0), 2.5)
    read = second_reader_lines([blurred])
    words = read(0, (30, 30, 330, 90), ("Policy number", "Expiry date", "Weight"))
    assert " ".join(w.text for w in words).casefold() == "expiry date"


def test_a_lone_option_digit_is_read_by_the_second_reader(needs_reader: None) -> None:
    # The option "4" beside a ticked box, which tesseract read again as "A".
    from docgen.fonts import font_families

    font = ImageFont.truetype(font_families("tuning")[0].regular, 30)
    image = Image.new("L", (200, 80), 255)
    ImageDraw.Draw(image).text((80, 22), "4", font=font, fill=20)
    words = read_box(np.asarray(image), (60, 10, 140, 70))
    assert [w.text for w in words] == ["4"]
    assert read_box(np.full((80, 200), 255, np.uint8), (60, 10, 140, 70)) == []


def test_an_unsure_line_unlike_every_missing_label_is_not_read_again() -> None:
    # A scrawl read as letters that no missing field's label resembles.
    page = PAGE.replace("D.O0.B.@0.36 22-11-1958", "Mxqz@0.40 Wvb@0.50")
    pages = parse_layout(page)
    fields = extract_fields(PATIENT, pages, 0.8)
    assert "birth_date" in missing_fields(fields)
    reader = Reader(page)
    assert read_labels_again(PATIENT, missing_fields(fields), fields, pages, reader) == (pages, [])
    assert reader.calls == []


def test_the_label_of_a_label_and_value_line_is_read_again_alone_and_the_value_kept() -> None:
    """ "0.o.B: 22-11-1958": only the words up to the colon are read again (digits read for the
    label's letters still make it one), and the value stays as the page pass read it. (Read all
    in capitals, "0.0.B:" is already the label by its capitals' look-alikes, never surely.)"""
    page = PAGE.replace("D.O0.B.@0.36 22-11-1958", "0.o.B:@0.40 22-11-1958@0.90")
    pages = parse_layout(page)
    fields = extract_fields(PATIENT, pages, 0.8)
    assert "birth_date" in missing_fields(fields)
    # The second page reads the value otherwise: a whole-line reading would take it.
    reader = Reader(page.replace("0.o.B:@0.40 22-11-1958@0.90", "D.O.B.:@0.91 22-11-1900@0.95"))
    again, found = read_labels_again(PATIENT, missing_fields(fields), fields, pages, reader)
    value = pages[0].lines[1].words[1]
    assert len(reader.calls) == 1 and reader.calls[0][2] < value.box[0]
    assert [(f.first, f.again) for f in found] == [("0.o.B:", "D.O.B.:")]
    assert extract_fields(PATIENT, again, 0.8)["birth_date"].value == "22-11-1958"


def test_an_unsure_line_ending_as_a_label_is_read_again_however_unlike_its_letters() -> None:
    """ "Auld:" reads like no missing field's label, but it ends as labels end."""
    page = PAGE.replace("D.O0.B.@0.36 22-11-1958", "Auld:@0.30 22-11-1958")
    pages = parse_layout(page)
    fields = extract_fields(PATIENT, pages, 0.8)
    reader = Reader(page.replace("Auld:@0.30", "DOB:@0.92"))
    again, found = read_labels_again(PATIENT, missing_fields(fields), fields, pages, reader)
    assert [(f.first, f.again) for f in found] == [("Auld:", "DOB:")]
    assert extract_fields(PATIENT, again, 0.8)["birth_date"].value == "22-11-1958"
