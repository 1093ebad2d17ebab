"""Small labels the page pass misread, read again on their own (``extraction.unsure_labels``).

The region reader is a stand-in that answers what a crop of the label would read: these tests
check which labels are read again and which readings are taken, not tesseract.
"""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.types import Box, Line, PageText, Word
from extraction.unsure_labels import unsure_labels, with_labels_read_again
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")
VOCABULARY = PATIENT.with_parts.vocabulary

# "DOB:" and "Wt:" printed small and read "pos:" and "w:", unsure; "Tel:" read right, unsure.
SMALL_LABELS = """
300 300 Patient Information Form
300 400 Name: Diane Wells
300 500 pos:@0.65 03/04/1997
300 600 w:@0.89 113
300 700 Tel:@0.58 250-808-9421
"""

CROPS = {"pos:": "DOB:", "w:": "Wt:", "Tel:": "lel:"}


def _reader(page_words: list[Word]) -> object:
    """Reads a crop as the label word inside it would read on its own (CROPS), surely."""

    def read(box: Box) -> list[Word]:
        inside = [w for w in page_words if box[0] <= w.box[0] and w.box[2] <= box[2] and box[1] <= w.box[1]]
        inside = [w for w in inside if w.box[3] <= box[3]]
        return [Word(CROPS.get(w.text, w.text), 0.96, w.box, w.line) for w in inside]

    return read


def test_only_unsure_labels_of_no_known_wording_are_read_again() -> None:
    page = parse_layout(SMALL_LABELS)[0]
    chosen = [" ".join(w.text for w in label) for label in unsure_labels(page, VOCABULARY)]
    assert chosen == ["pos:", "w:"]  # "Tel:" reads as a label already, however unsure


def test_a_reading_that_is_a_known_label_replaces_the_misread_one() -> None:
    page = parse_layout(SMALL_LABELS)[0]
    read = with_labels_read_again(
        page, unsure_labels(page, VOCABULARY), _reader(list(page.words)), VOCABULARY
    )
    texts = [line.text for line in read.lines]
    assert "DOB: 03/04/1997" in texts and "Wt: 113" in texts


def test_another_misreading_however_sure_is_not_taken() -> None:
    page = parse_layout(SMALL_LABELS.replace("Tel:@0.58", "cm:@0.10"))[0]
    CROPS["cm:"] = "Cun:"
    try:
        read = with_labels_read_again(
            page, unsure_labels(page, VOCABULARY), _reader(list(page.words)), VOCABULARY
        )
    finally:
        del CROPS["cm:"]
    assert "cm: 250-808-9421" in [line.text for line in read.lines]


# Labels with no colon, set apart from their values: "DOB" read "pos.", unsure. A name written
# beside its label, however unsure, has no value beside it: no label.
APART_LABELS = """
300 300 Patient Information Form
300 400 Name
500 400 Diane@0.7 Wells@0.7
300 500 pos.@0.48
500 500 03/04/1997
"""


def test_a_label_apart_from_its_value_is_read_again_and_taken_when_it_reads_as_a_known_one() -> None:
    page = parse_layout(APART_LABELS)[0]
    assert [" ".join(w.text for w in label) for label in unsure_labels(page, VOCABULARY)] == ["pos."]
    CROPS["pos."] = "DOB"
    try:
        read = with_labels_read_again(
            page, unsure_labels(page, VOCABULARY), _reader(list(page.words)), VOCABULARY
        )
        colon = with_labels_read_again(page, unsure_labels(page, VOCABULARY), _reader_as("DOB:"), VOCABULARY)
    finally:
        del CROPS["pos."]
    texts = [line.text for line in read.lines]
    assert "DOB" in texts and "Diane Wells" in texts
    assert "pos." in [line.text for line in colon.lines]  # a colon read that the page pass did not see


def _reader_as(text: str) -> object:
    return lambda box: [Word(text, 0.96, box, 0)]


def test_the_fields_under_labels_read_again_are_found() -> None:
    pages = parse_layout(SMALL_LABELS)
    words = list(pages[0].words)

    def reread(page: int, box: Box, mode: str) -> list[Word]:
        return _reader(words)(box)  # type: ignore[operator]

    fields = extract_fields(PATIENT, pages, 0.8, reread=reread)
    assert fields["birth_date"].value == "03/04/1997"
    assert fields["weight"].value == "113"
    assert extract_fields(PATIENT, pages, 0.8)["birth_date"].value != "03/04/1997"


def test_lines_cut_at_a_cells_wall_stay_cut_when_a_label_is_read_again() -> None:
    # A row of two cells: "5 December 2023" and the next cell's label "FULL NAME:", which OCR
    # read as one line (one line number) and the page's structure cut at the wall between.
    # Another label of the page read again must not join them again.
    date = tuple(
        Word(text, 0.96, (x, 574, x + width, 603), 1)
        for text, x, width in (("5", 476, 18), ("December", 514, 183), ("2023", 715, 87))
    )
    full_name = (Word("FULL", 0.96, (845, 566, 925, 598), 1), Word("NAME:", 0.96, (935, 566, 1007, 598), 1))
    unsure = (Word("GENOER:", 0.61, (1473, 817, 1599, 842), 2),)
    page = PageText(0, (Line(full_name), Line(date), Line(unsure)), 2125, 2750)

    def read(box: Box) -> list[Word]:
        return [Word("GENDER:", 0.96, (1473, 817, 1599, 842), 0)]

    texts = [line.text for line in with_labels_read_again(page, [unsure], read, VOCABULARY).lines]
    assert texts == ["FULL NAME:", "5 December 2023", "GENDER:"]
