"""Ruled forms: rules painted out before OCR, answer grids marked with an X, labels wrapped in
their cell, and marks no taller text can veto.

Pages are drawn with PIL (see ``tests.drawn_pages``); words are written by hand from the drawn
text's boxes, except where a test says it runs tesseract.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from extraction.cells import join_wrapped_labels
from extraction.doctypes import DocumentType, get_document_type, with_synonyms
from extraction.fields import extract_fields, page_view, split_at_inline_keys
from extraction.line_beside import line_beside
from extraction.page_view import PageView
from extraction.structure import (
    PageStructure,
    SelectionMark,
    find_structure,
    split_at_rule_starts,
    without_rules,
)
from extraction.types import FieldResult, Line, PageText, Word
from tests.drawn_pages import FONT_PATH, Check, DrawnPage, noisy, page_text
from tests.layout_text import parse_layout

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

PATIENT = get_document_type("patient_details")


def drawn_view(page: DrawnPage, words: list[Word], doc_type: DocumentType = PATIENT) -> PageView:
    """How the field finders see a drawn page: its words as OCR lines, its structure found."""
    return page_view(doc_type, page_text(words, page.image.size), find_structure(page.array(), words))


def _votes(page: DrawnPage, words: list[Word]) -> tuple[int, int]:
    """The labels of a drawn page voting that it prints them under their values, and not."""
    from extraction.fields import _votes_for_labels_under

    reading = PATIENT.with_parts
    return _votes_for_labels_under(drawn_view(page, words, reading), reading)


def _read_drawn(
    page: DrawnPage, words: list[Word], doc_type: DocumentType = PATIENT
) -> dict[str, FieldResult]:
    """The fields of a drawn page, its structure found on its image and its words as OCR lines."""
    structure = find_structure(page.array(), words)
    return extract_fields(doc_type, [page_text(words, page.image.size)], 0.8, structures=[structure])


# ---- rules painted out ----------------------------------------------------------------------


def test_a_table_s_rules_are_painted_out_and_its_text_kept() -> None:
    page = DrawnPage()
    page.table(100, 100, [300, 500], [60, 60, 60], width=3)
    page.text(106, 112, "Policy")
    page.text(406, 112, "126 Orchard")
    gray = page.array()
    cleaned = without_rules(gray)
    ink_before, ink_after = gray < 128, cleaned < 128
    # The grid's ink is gone: no dark pixel on the rules' rows outside the text.
    assert not ink_after[100:103, 700:900].any()
    assert not ink_after[200:260, 99:103].any()
    # Every letter's ink stays, even the "1" three pixels from the border.
    text = np.zeros_like(ink_before)
    for word in page.words:
        x0, y0, x1, y1 = word.box
        text[y0 + 3 : y1 - 3, x0 + 3 : x1 - 3] = True
    assert (ink_after & text).sum() >= 0.97 * (ink_before & text).sum()


def test_a_page_without_rules_is_returned_as_it_is() -> None:
    page = DrawnPage()
    page.text(100, 100, "Name: Jane Doe")
    gray = page.array()
    assert without_rules(gray) is gray


def test_a_shaded_cell_stays_shaded_where_its_border_was() -> None:
    page = DrawnPage()
    page.draw.rectangle((100, 100, 400, 280), fill=200)
    page.table(100, 100, [300], [60, 60, 60], width=3)
    cleaned = without_rules(page.array())
    assert 190 <= int(cleaned[160, 250]) <= 210  # a border between two shaded rows
    assert int(cleaned[130, 300]) == 200


@pytest.mark.usefixtures("needs_ocr")
def test_a_border_beside_a_value_is_not_read_into_it() -> None:
    from extraction.tesseract import read_words

    page = DrawnPage()
    page.table(100, 100, [260, 420], [56, 56], width=3)
    page.text(108, 110, "Policy")
    page.text(366, 110, "126 Orchard Way")
    page.text(108, 166, "Member")
    page.text(366, 166, "3263111918")
    read = " ".join(w.text for w in read_words(without_rules(page.array()), dpi=300, timeout=60))
    assert "126 Orchard Way" in read
    assert "3263111918" in read
    assert not any(ch in read for ch in "[]{}|")


# ---- answer grids ---------------------------------------------------------------------------


def _answer_grid(spoil: bool = False) -> tuple[np.ndarray, list[Word]]:
    """A question grid: Yes | No columns, each answer an X drawn in its cell."""
    page = DrawnPage(1400, 500)
    page.table(100, 100, [560, 140, 140], [56, 56, 56], width=2)
    words = page.text(110, 112, "Question")
    words += page.text(676, 112, "Yes")
    words += page.text(816, 112, "No")
    words += page.text(110, 168, "Hepatitis B vaccination")
    words += page.text(110, 224, "Smoker?")
    for x, y in ((730 - 20, 166), (870 - 20, 222)):  # Yes for the vaccine, No for smoking
        page.cross(x, y + 10, x + 36, y + 42)
    gray = page.array()
    return (noisy(gray, 12) if spoil else gray), words


@pytest.mark.parametrize("spoil", [False, True])
def test_cells_of_an_answer_grid_are_marks_ticked_by_their_x(spoil: bool) -> None:
    gray, words = _answer_grid(spoil)
    cells = [m for m in find_structure(gray, words).marks if m.shape == "cell"]
    yes_column, no_column = sorted({m.box[0] for m in cells})
    ticked = sorted((m.box[1], m.box[0]) for m in cells if m.selected)
    assert len(cells) == 4
    assert [x for _, x in ticked] == [yes_column, no_column]


def test_an_answer_grid_gives_each_question_its_column_s_header() -> None:
    gray, words = _answer_grid()
    structure = find_structure(gray, words)
    fields = extract_fields(PATIENT, [page_text(words, (1400, 500))], 0.8, structures=[structure])
    assert fields["hepatitis_b_vaccination"].value == "Yes"


def _immunity_grid(width: int, columns: list[int], headers: tuple[str, str], rule: int = 2) -> dict:
    """An immunity grid of a question column and two answer columns under ``headers``, an X
    drawn for "immune" to chickenpox and "not immune" to measles: its four answer cells and the
    fields read from it."""
    page = DrawnPage(width, 400)
    page.table(60, 100, columns, [56, 56, 56], width=rule)
    left = 60 + columns[0]
    words = page.text(left + 16, 112, headers[0])
    words += page.text(left + columns[1] + 16, 112, headers[1])
    words += page.text(70, 168, "Chickenpox")
    words += page.text(70, 224, "Measles")
    for x, y in ((left + 90, 166), (left + columns[1] + 90, 222)):
        page.cross(x, y + 10, x + 36, y + 42)
    gray = page.array()
    structure = find_structure(gray, words)
    assert sum(m.shape == "cell" for m in structure.marks) == 4
    return extract_fields(PATIENT, [page_text(words, (width, 400))], 0.8, structures=[structure])


@pytest.mark.parametrize("rule", [2, 9])
def test_an_answer_grid_with_columns_as_wide_as_two_word_headers_is_still_an_answer_grid(rule: int) -> None:
    # "Not immune" over a column eleven text heights wide: the X in it is a mark, not a word;
    # and so with rules as thick as a heavy grid's.
    fields = _immunity_grid(1400, [560, 260, 260], ("Immune", "Not immune"), rule)
    assert (fields["chickenpox"].value, fields["measles"].value) == ("IMMUNE", "NOT IMMUNE")


@pytest.mark.parametrize(
    ("width", "columns"),
    [
        (2400, [1400, 340, 340]),  # a landscape page: the question column four times as wide
        (2000, [1200, 330, 330]),  # a portrait grid set roomy: three and a half times as wide
    ],
)
def test_an_answer_grid_with_wide_columns_beside_a_wider_question_is_still_one(
    width: int, columns: list[int]
) -> None:
    # Answer columns fourteen text heights wide, under a header whose slash is no word ("Had
    # it / immune"), beside a question column several times as wide.
    fields = _immunity_grid(width, columns, ("Had it / immune", "Not immune"))
    assert (fields["chickenpox"].value, fields["measles"].value) == ("IMMUNE", "NOT IMMUNE")


def test_an_answer_grid_with_rows_roomy_for_a_pen_is_still_an_answer_grid() -> None:
    page = DrawnPage(1400, 500)
    page.table(60, 60, [560, 140, 140], [56, 100, 100], width=2)  # rows four text heights tall
    words = page.text(636, 72, "Yes")
    words += page.text(776, 72, "No")
    words += page.text(70, 150, "Chickenpox")
    words += page.text(70, 250, "Hepatitis B vaccine")
    for x, y in ((690 - 20, 146), (830 - 20, 246)):  # immune to chickenpox; not vaccinated
        page.cross(x, y + 10, x + 40, y + 50)
    gray = page.array()
    structure = find_structure(gray, words)
    assert sum(m.shape == "cell" for m in structure.marks) == 4
    fields = extract_fields(PATIENT, [page_text(words, (1400, 500))], 0.8, structures=[structure])
    assert fields["chickenpox"].value == "IMMUNE"
    assert fields["hepatitis_b_vaccination"].value == "No"


def test_blank_value_cells_with_a_label_cell_between_them_are_no_answer_grid() -> None:
    page = DrawnPage(1400, 300)
    page.table(60, 100, [200, 200, 200, 200], [56], width=2)
    words = page.text(70, 112, "Policy #")
    words += page.text(470, 112, "Expiry")
    structure = find_structure(page.array(), words)
    assert not [m for m in structure.marks if m.shape == "cell"]


@pytest.mark.usefixtures("needs_ocr")
def test_a_column_header_ocr_dropped_is_read_again_from_its_cell() -> None:
    from extraction.ocr import read_region
    from extraction.options import Options

    gray, words = _answer_grid()
    # The page pass dropped the lone header words, as it often drops a lone "Y" or "N".
    words = [w for w in words if w.text not in ("Yes", "No")]
    structure = find_structure(gray, words)

    def reread(page: int, region: tuple[int, int, int, int], mode: str) -> list[Word]:
        return read_region(gray, region, 300, Options(), mode)

    page = [page_text(words, (1400, 500))]
    assert not extract_fields(PATIENT, page, 0.8, structures=[structure])["hepatitis_b_vaccination"].value
    field = extract_fields(PATIENT, page, 0.8, reread, structures=[structure])["hepatitis_b_vaccination"]
    assert field.value == "Yes"
    assert field.needs_review and "read again" in (field.reason or "")


@pytest.mark.usefixtures("needs_ocr")
def _question(
    page: DrawnPage, y: int, question: str, options: list[tuple[int, Check, str]], read: bool = True
) -> list[Word]:
    """A question at ``y`` and its options, each a box at x (ticked as said) with its text 40
    pixels right of it; the words the page's OCR read: the question's, and the options' when
    ``read``."""
    words = page.text(50, y, question) if question else []
    for x, state, text in options:
        page.checkbox(x, y + 2, state)
        option = page.text(x + 40, y, text)
        words += option if read else []
    return words


def test_a_ticked_box_under_another_question_s_options_is_read_beside_it_not_under_them() -> None:
    from extraction.ocr import read_region
    from extraction.options import Options

    # Two grids ruled one under the other, their columns not in line: the print over the
    # vaccine's ticked box is the chickenpox row's "Not immune", which answers nothing here.
    page = DrawnPage(1400, 400)
    page.table(40, 100, [440, 300, 300, 300], [60], width=2)
    page.table(40, 160, [700, 320, 320], [60], width=2)
    words = _question(page, 115, "Chickenpox", [(495, "empty", "Immune"), (795, "cross", "Not immune")])
    words += _question(page, 115, "", [(1095, "empty", "Unknown")])
    # The lone letters are drawn, but the page pass did not read them.
    words += _question(
        page, 175, "Hepatitis B vaccinated?", [(755, "cross", "Y"), (1075, "empty", "N")], read=False
    )
    gray = page.array()
    structure = find_structure(gray, words)

    def reread(page_index: int, region: tuple[int, int, int, int], mode: str) -> list[Word]:
        return read_region(gray, region, 300, Options(), mode)

    fields = extract_fields(PATIENT, [page_text(words, (1400, 400))], 0.8, reread, [structure])
    assert fields["chickenpox"].value == "NOT IMMUNE"
    vaccine = fields["hepatitis_b_vaccination"]
    assert vaccine.value == "Yes"
    assert vaccine.needs_review


def test_a_question_with_boxes_to_tick_lends_its_options_to_no_field_of_words() -> None:
    # "Do you have health insurance?" reads partly as the insurance company's label; its
    # options beside their boxes ("OY": the first box read as an O) are print, never the company.
    page = DrawnPage(1400, 400)
    words = _question(page, 100, "Do you have health insurance?", [(620, "empty", "Y"), (720, "tick", "N")])
    words.append(Word("O", 0.6, (620, 102, 646, 128)))
    words += page.text(50, 200, "Insurance provider:")
    fields = _read_drawn(page, words)
    assert fields["has_medical_insurance"].value == "No"
    assert fields["insurance_company"].value == ""
    from extraction.candidates import labelled_candidates

    view = drawn_view(page, words)
    company = labelled_candidates(PATIENT.field("insurance_company"), view, PATIENT)
    assert [k.text for c in company for k in c.keys] == ["Insurance provider"]


def test_a_ticked_box_whose_option_ocr_missed_does_not_take_the_option_of_the_row_above() -> None:
    """Unruled rows of checkboxes, one question each: the measles row's ticked box has its "No"
    printed beside it, but the page's OCR missed the word. The option just above it is the
    chickenpox row's "Immune", printed beside a box of its own: another question's option,
    no column header. Measles is left unanswered and flagged, never given chickenpox's answer."""
    page = DrawnPage(1400, 300)
    words = _question(
        page, 100, "Chickenpox (varicella):", [(600, "filled", "Immune"), (800, "empty", "Not immune")]
    )
    words += _question(page, 160, "Rubeola (measles):", [(600, "empty", "Yes")])
    _question(page, 160, "", [(760, "filled", "No")], read=False)  # drawn, but the page pass missed it
    fields = _read_drawn(page, words)
    assert fields["chickenpox"].value == "IMMUNE"
    assert fields["measles"].value != "IMMUNE"
    assert fields["measles"].needs_review


@pytest.mark.usefixtures("needs_ocr")
def test_a_header_cell_split_inside_its_column_still_heads_it() -> None:
    from extraction.ocr import read_region
    from extraction.options import Options

    gray, words = _answer_grid()
    page = DrawnPage(1400, 500)
    page.image.paste(Image.fromarray(gray))
    for x in (730, 870):  # a rule parting each header cell in two (a scan's break, a sub-header)
        page.line(x, 100, x, 156, width=2)
    words = [w for w in words if w.text not in ("Yes", "No")]
    gray = page.array()
    structure = find_structure(gray, words)

    def reread(page_index: int, region: tuple[int, int, int, int], mode: str) -> list[Word]:
        return read_region(gray, region, 300, Options(), mode)

    field = extract_fields(PATIENT, [page_text(words, (1400, 500))], 0.8, reread, [structure])
    assert field["hepatitis_b_vaccination"].value == "Yes"


@pytest.mark.usefixtures("needs_ocr")
@pytest.mark.parametrize(("tick_x", "answer"), [(710, "Yes"), (850, "No")])
def test_a_header_row_with_no_rules_between_its_columns_is_read_across_the_column_whole(
    tick_x: int, answer: str
) -> None:
    """Also over the table's last column, whose edge the header row ends at too."""
    from extraction.ocr import read_region
    from extraction.options import Options

    # The header row is one tall cell; its words, set high in it, were dropped by the page pass.
    page = DrawnPage(1400, 500)
    page.table(100, 100, [840], [90], width=2)
    page.table(100, 190, [560, 140, 140], [56, 56], width=2)
    page.text(676, 106, "Yes")
    page.text(816, 106, "No")
    words = page.text(110, 204, "Hepatitis B vaccination")
    words += page.text(110, 260, "Smoker?")
    x, y = tick_x, 196
    page.cross(x, y + 10, x + 36, y + 42)
    page.cross(850, y + 66, 886, y + 98)
    gray = page.array()
    structure = find_structure(gray, words)

    def reread(page_index: int, region: tuple[int, int, int, int], mode: str) -> list[Word]:
        return read_region(gray, region, 300, Options(), mode)

    field = extract_fields(PATIENT, [page_text(words, (1400, 500))], 0.8, reread, [structure])
    assert field["hepatitis_b_vaccination"].value == answer


@pytest.mark.usefixtures("needs_ocr")
def test_a_lone_digit_ocr_dropped_from_the_cell_beside_its_label_is_read_from_that_cell() -> None:
    from extraction.ocr import read_region
    from extraction.options import Options

    page = DrawnPage(1400, 400)
    page.table(100, 100, [600, 500], [60, 60], width=2)
    words = page.text(110, 115, "Patient: Lena Fischer")
    words += page.text(110, 175, "REPEATS")
    page.text(720, 175, "6")  # drawn, but the page pass did not read it
    gray = page.array()
    structure = find_structure(gray, words)

    def reread(page_index: int, region: tuple[int, int, int, int], mode: str) -> list[Word]:
        return read_region(gray, region, 300, Options(), mode)

    prescription = get_document_type("prescription")
    fields = extract_fields(prescription, [page_text(words, (1400, 400))], 0.8, reread, [structure])
    refills = fields["refills"]
    assert refills.value == "6"
    assert refills.needs_review


def test_a_box_read_as_a_tall_word_is_still_a_mark() -> None:
    page = DrawnPage()
    words = page.text(100, 100, "Insured?")
    words += page.text(400, 100, "Yes")
    words += page.text(560, 100, "No")
    yes = page.checkbox(360, 100, "cross")
    no = page.checkbox(520, 100, "empty")
    # OCR read the empty box as "Oo", a word twice the print's height.
    words.append(Word("Oo", 0.69, (no[0] - 2, no[1] - 14, no[2] + 2, no[3] + 14)))
    marks = find_structure(page.array(), words).marks
    assert sorted(m.box[0] for m in marks) == [yes[0], no[0]]


def test_boxes_past_the_end_of_the_table_found_around_the_questions_answer_them() -> None:
    """On a blurred photo the rules of a grid's answer columns were not found: the table found
    is the question column alone, and the ticked boxes stand right of it under their names."""
    page = DrawnPage(1100, 300)
    page.table(60, 40, [600], [50, 50, 50])
    words = page.text(75, 52, "Immunizations")
    words += page.text(700, 52, "Immune") + page.text(900, 52, "Not immune")
    for row, (question, immune) in enumerate((("Chickenpox", True), ("Measles", False))):
        top = 90 + 50 * row
        words += page.text(75, top + 12, question)
        page.checkbox(720, top + 12, "cross" if immune else "empty")
        page.checkbox(930, top + 12, "empty" if immune else "cross")
    fields = _read_drawn(page, words)
    assert (fields["chickenpox"].value, fields["measles"].value) == ("IMMUNE", "NOT IMMUNE")


def _boxes(page: DrawnPage, y: int, options: list[tuple[int, str, bool]]) -> list[Word]:
    """Boxes on the row at ``y``, each ``(x, option, ticked)``: the box at x, its option after
    it; the option's words."""
    words: list[Word] = []
    for x, option, ticked in options:
        page.checkbox(x, y, "cross" if ticked else "empty")
        words += page.text(x + 35, y, option)
    return words


def test_boxes_under_a_question_in_a_cell_answer_it_not_the_next_cell_s_question() -> None:
    """Panels of boxed cells side by side, each a question over its boxes: the boxes on the row
    under "Do you have health insurance?" in the next panel's cell answer that cell's question."""
    page = DrawnPage(1500, 300)
    page.table(60, 40, [600, 600], [110, 110])
    words = page.text(75, 52, "Do you have health insurance?") + page.text(675, 52, "Measles")
    words += _boxes(
        page, 100, [(80, "Yes", False), (250, "No", True), (680, "Immune", True), (900, "Not immune", False)]
    )
    words += page.text(75, 162, "Allergies") + page.text(75, 200, "Peanuts")
    fields = _read_drawn(page, words)
    assert fields["has_medical_insurance"].value == "No"
    assert fields["measles"].value == "IMMUNE"


def test_boxes_set_roomy_under_a_question_in_a_tall_cell_answer_it() -> None:
    """A cell set roomy for a pen: the question's boxes stand two line heights under it, the
    ticked one a few pixels lower than the other (a scan's jitter). Nothing is printed between,
    so they are its answer, not the next panel's boxes."""
    page = DrawnPage(1500, 400)
    page.table(60, 40, [700, 600], [160, 110])
    words = page.text(75, 52, "Hepatitis B vaccinated?") + page.text(775, 52, "Measles")
    words += _boxes(page, 136, [(250, "No", False)]) + page.text(115, 136, "Yes")
    page.checkbox(80, 142, "cross")  # the ticked box a few pixels lower
    words += _boxes(page, 100, [(780, "Immune", True), (1000, "Not immune", False)])
    fields = _read_drawn(page, words)
    assert (fields["hepatitis_b_vaccination"].value, fields["measles"].value) == ("Yes", "IMMUNE")


def test_boxes_under_another_question_printed_under_the_key_answer_that_question() -> None:
    page = DrawnPage(1500, 400)
    words = page.text(75, 52, "Hepatitis B vaccinated?") + page.text(75, 94, "Do you smoke?")
    words += _boxes(page, 142, [(80, "Yes", True), (250, "No", False)])
    assert _read_drawn(page, words)["hepatitis_b_vaccination"].value == ""


def test_a_photographed_grid_s_boxes_far_right_of_their_questions_follow_its_lean() -> None:
    """The rows of a photographed grid lean: the boxes far right of "Chickenpox" stand higher
    than it, level with "Measles" under it. Each question is answered by the boxes of its own
    row, followed as the page's rows of boxes lean."""
    page = DrawnPage(1700, 600)

    def leaning(x: int, y: int) -> int:
        return round(y - 0.05 * (x - 70))

    words = page.text(1180, leaning(1180, 150), "Immune") + page.text(1420, leaning(1420, 150), "Not immune")
    for row, (question, immune) in enumerate((("Chickenpox", True), ("Measles", False), ("Rubella", True))):
        y = 230 + 70 * row
        words += page.text(70, y, question)
        page.checkbox(1200, leaning(1200, y), "cross" if immune else "empty")
        page.checkbox(1440, leaning(1440, y), "empty" if immune else "cross")
    fields = _read_drawn(page, words)
    assert (fields["chickenpox"].value, fields["measles"].value) == ("IMMUNE", "NOT IMMUNE")


def test_a_header_line_naming_two_columns_gives_each_box_its_own_column_s_name() -> None:
    """The names of two answer columns set close together are read as one line ("Immune  Not
    immune"): each box answers with the name over it, not with the line's words."""
    page = DrawnPage(1100, 300)
    words = page.text(700, 52, "Immune") + page.text(860, 52, "Not immune")
    for row, (question, immune) in enumerate((("Chickenpox", True), ("Measles", False))):
        top = 90 + 50 * row
        words += page.text(75, top + 12, question)
        page.checkbox(720, top + 12, "cross" if immune else "empty")
        page.checkbox(890, top + 12, "empty" if immune else "cross")
    assert len(page_text(words, page.image.size).lines[0].words) == 3  # one line of the names
    fields = _read_drawn(page, words)
    assert (fields["chickenpox"].value, fields["measles"].value) == ("IMMUNE", "NOT IMMUNE")


@pytest.mark.parametrize("other_question", ["Hepatitis B vaccination", "Asthma"])
def test_boxes_past_another_question_on_the_row_answer_that_question_not_its_own(other_question: str) -> None:
    """A grid printed in halves side by side: the left half's boxes were lost to the page's
    damage, and the right half's answer the question printed between (a field's, or a
    condition no field names)."""
    page = DrawnPage(1500, 300)
    page.table(60, 40, [400], [50, 50])
    page.table(760, 40, [300], [50, 50])
    words = page.text(1100, 52, "Yes") + page.text(1200, 52, "No")
    words += page.text(75, 102, "Chickenpox") + page.text(775, 102, other_question)
    page.checkbox(1110, 102, "cross")
    page.checkbox(1210, 102, "empty")
    fields = _read_drawn(page, words)
    assert fields["chickenpox"].value == ""
    if other_question != "Asthma":
        assert fields["hepatitis_b_vaccination"].value == "Yes"


# ---- labels wrapped in their cell -----------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "second_top"),
    [
        ("Residential", "address:", 150),
        # A first line that is a label of its own ("Street"), set a line apart: the colon
        # closing the second ends one label.
        ("STREET", "ADDRESS:", 160),
    ],
)
def test_a_label_wrapped_over_two_lines_of_its_cell_is_one_label(
    first: str, second: str, second_top: int
) -> None:
    page = DrawnPage()
    page.table(100, 100, [240, 600], [110], width=2)
    words = page.text(108, 108, first)
    words += page.text(108, second_top, second)
    words += page.text(348, 108, "1077 Center Ct")
    words += page.text(348, 150, "Phoenix, 85010")
    structure = find_structure(page.array(), words)
    text = join_wrapped_labels(page_text(words), structure, ("Address", "Street"), 40.0)
    assert f"{first} {second}" in [line.text for line in text.lines]
    fields = extract_fields(PATIENT, [page_text(words)], 0.8, structures=[structure])
    assert fields["address"].value == "1077 Center Ct\nPhoenix, 85010"


def _cell_lines(
    first: str, second: str, second_top: int, vocabulary: tuple[str, ...], height: float, row: int = 110
) -> list[str]:
    """The lines of a label cell holding ``first`` over ``second`` (a value in the cell beside),
    after wrapped labels are joined."""
    page = DrawnPage()
    page.table(100, 100, [240, 600], [row], width=2)
    words = page.text(108, 108, first)
    words += page.text(108, second_top, second)
    words += page.text(348, 108, "Atlas Health Inc")
    structure = find_structure(page.array(), words)
    return [line.text for line in join_wrapped_labels(page_text(words), structure, vocabulary, height).lines]


def test_a_label_wrapped_tightly_is_one_label_though_its_first_line_is_a_label_too() -> None:
    """ "Emergency" alone names a section; set tightly over "contact" in one cell, the two lines
    are the label "Emergency contact"."""
    lines = _cell_lines("Emergency", "contact", 146, ("Emergency", "Emergency contact"), 32.0)
    assert "Emergency contact" in lines


def test_a_corner_label_over_its_value_is_not_joined_to_it() -> None:
    page = DrawnPage()
    page.table(100, 100, [500], [110], width=2)
    words = page.text(108, 108, "Patient name")
    words += page.text(108, 150, "Megan Gray")
    structure = find_structure(page.array(), words)
    text = join_wrapped_labels(page_text(words), structure, ("Patient name",), 40.0)
    assert [line.text for line in text.lines] == ["Patient name", "Megan Gray"]


def test_a_label_cut_short_after_a_connective_goes_on_in_its_cell_however_spaced() -> None:
    assert "Name of insurer" in _cell_lines("Name of", "insurer", 160, ("Name of insurer",), 25.0, row=130)
    # The same spacing with a first line that is a label of its own is two lines.
    page = DrawnPage()
    page.table(100, 100, [240, 600], [130], width=2)
    words = page.text(108, 108, "Insurer")
    words += page.text(108, 160, "name")
    structure = find_structure(page.array(), words)
    text = join_wrapped_labels(page_text(words), structure, ("Insurer", "Insurer name"), 25.0)
    assert [line.text for line in text.lines] == ["Insurer", "name"]


def test_labels_are_known_with_their_words_synonyms() -> None:
    labels = with_synonyms(("Emergency phone", "Policy number"), {"phone": ("Tel",), "number": ("No",)})
    assert labels == ("Emergency phone", "Policy number", "Emergency Tel", "Policy No")
    # Every word may be swapped at once: "Phone number" is also printed "Tel No".
    assert "Tel No" in with_synonyms(("Phone number",), {"phone": ("Tel",), "number": ("No",)})
    assert "Emergency Tel" in PATIENT.field("emergency_contact_phone").labels
    assert "Ht (cm)" in PATIENT.field("height").labels


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Chronic conditions", "medical_problems"),
        ("KNOWN CONDITIONS:", "medical_problems"),
        ("Current meds", "regular_medications"),
        ("Health insurance coverage", "has_medical_insurance"),
    ],
)
def test_labels_registers_print_for_a_list_or_a_question_read_as_their_field(label: str, field: str) -> None:
    from extraction.phrases import best_phrase
    from extraction.rival_doubts import LABEL_SURE_SCORE

    # Read surely, as the field's own label: not "partly matched" to a shorter one ("Conditions").
    scores = {spec.name: best_phrase(label, spec.labels)[1] for spec in PATIENT.fields}
    assert scores[field] >= LABEL_SURE_SCORE
    assert max(scores, key=lambda name: scores[name]) == field


def test_an_immunity_asked_as_a_yes_no_question_is_taken_and_flagged() -> None:
    from extraction.normalize import normalize

    spec = PATIENT.field("chickenpox")
    assert normalize(spec, ["Yes"]) == ("IMMUNE", "answered 'Yes', taken as IMMUNE")
    assert normalize(spec, ["N"])[0] == "NOT IMMUNE"
    assert normalize(spec, ["IMMUNE"]) == ("IMMUNE", None)


@pytest.mark.parametrize(
    ("option", "answer"),
    [
        ("Had it / immune", "IMMUNE"),
        ("Had it", "IMMUNE"),
        ("Non-immune", "NOT IMMUNE"),
        ("Never had it", "NOT IMMUNE"),
    ],
)
def test_an_immunity_option_printed_in_other_words_is_taken_and_flagged(option: str, answer: str) -> None:
    from extraction.normalize import normalize

    value, note = normalize(PATIENT.field("measles"), [option])
    assert value == answer
    assert note and option in note


@pytest.mark.parametrize("option", ["Not sure", "Unknown", "Don't know"])
def test_an_immunity_option_that_says_neither_is_refused(option: str) -> None:
    from extraction.normalize import normalize

    value, note = normalize(PATIENT.field("measles"), [option])
    assert value not in ("IMMUNE", "NOT IMMUNE")
    assert note


# ---- border glyphs --------------------------------------------------------------------------


def test_a_border_read_as_the_first_glyph_of_a_value_is_trimmed_and_the_value_doubted() -> None:
    from extraction.structure import PageStructure, Rule, trim_borders

    border = PageStructure(rules=(Rule((578, 600, 583, 720), "vertical"),))
    # "[" read from the border: the border covers most of the first glyph's width.
    trimmed = trim_borders([Word("[3263111918", 0.95, (577, 640, 797, 670))], border)
    assert trimmed[0].text == "3263111918" and trimmed[0].confidence < 0.8
    # A "1" standing one pixel clear of the border is the value's own.
    kept = trim_borders([Word("12/10/2028", 0.95, (582, 640, 762, 670))], border)
    assert kept[0].text == "12/10/2028" and kept[0].confidence == 0.95
    # A letter's stroke read as a short rule, not running past the word, trims nothing.
    stroke = PageStructure(rules=(Rule((580, 636, 584, 680), "vertical"),))
    assert trim_borders([Word("13", 0.95, (580, 640, 614, 670))], stroke)[0].text == "13"


def test_a_cell_s_wall_read_as_a_corner_glyph_of_its_label_is_trimmed() -> None:
    from extraction.structure import Cell, PageStructure, Rule, trim_borders

    # A row's wall no taller than the word OCR read into it, the cell beside it.
    wall = PageStructure(
        rules=(Rule((1136, 678, 1142, 738), "vertical"),),
        cells=(Cell((1146, 684, 1570, 724), 0, 1, 0),),
    )
    assert trim_borders([Word("JTEL", 0.15, (1137, 681, 1201, 726))], wall)[0].text == "TEL"
    # A glyph of the word's own, inside the cell, stays; so does a "(" read with the wall's ink.
    assert trim_borders([Word("James", 0.9, (1148, 681, 1260, 726))], wall)[0].text == "James"
    assert trim_borders([Word("(287)", 0.5, (1137, 681, 1235, 726))], wall)[0].text == "(287)"
    # Without the cell beside it, a short rule is no wall (a letter's stroke read as a rule).
    stroke = PageStructure(rules=(Rule((1136, 678, 1142, 738), "vertical"),))
    assert trim_borders([Word("JTEL", 0.15, (1137, 681, 1201, 726))], stroke)[0].text == "JTEL"


def _captioned(
    page: DrawnPage, rows: list[tuple[str, str]], step: int, rule: int, caption: int, from_ink: bool = False
) -> list[Word]:
    """Each value written at 110 on a rule with its caption under it, a row every ``step``
    pixels from 100: the rule and caption ``rule`` and ``caption`` pixels under the row's top,
    or (``from_ink``) under the foot of the value's ink."""
    words: list[Word] = []
    for index, (value, name) in enumerate(rows):
        top = 100 + index * step
        written = page.text(110, top, value)
        base = max(w.box[3] for w in written) if from_ink else top
        page.line(100, base + rule, 900, base + rule)
        words += written + page.text(100, base + caption, name)
    return words


def test_captions_under_the_lines_their_values_stand_on_are_read_upwards() -> None:
    # Rows set so tight that the caption is as near the next value as its own: only the line
    # each value stands on tells which value a caption belongs to.
    page = DrawnPage(1400, 700)
    rows = [("Ada Baker", "PATIENT NAME"), ("42 kg", "BODY WEIGHT"), ("Peanuts", "DRUG ALLERGIES")]
    rows += [("Levothyroxine", "CURRENT MEDICATIONS")]
    words = _captioned(page, rows, 80, 34, 40)
    fields = _read_drawn(page, words)
    assert fields["allergies"].value == "Peanuts"
    assert fields["regular_medications"].value == "Levothyroxine"
    assert fields["weight"].value.startswith("42")


def test_a_caption_further_under_its_rule_than_a_line_height_still_names_the_writing_on_it() -> None:
    # Values of figures alone (no descenders) stand on their rules a little over them, small
    # captions well under the rules: the caption is as near the next value as the one it names,
    # and further from its own than a line height. The rule between them is what ties the two.
    page = DrawnPage(1400, 900)
    rows = [("06/07/2021", "Date"), ("27/12/1950", "Date of birth"), ("13/03/2024", "Coverage end date")]
    words = _captioned(page, rows, 110, 8, 24, from_ink=True)
    fields = _read_drawn(page, words)
    assert fields["record_date"].value == "06/07/2021"
    assert fields["birth_date"].value == "27/12/1950"
    assert fields["insurance_expiry"].value == "13/03/2024"


def test_captions_ending_in_colons_under_filled_lines_are_read_upwards() -> None:
    # "Name of patient:" printed under the line the name is written on: a colon opens what
    # follows it on most forms, but here every value stands on its rule over its caption, as
    # near the caption under it as its own (the dates and the phone fit no other reading).
    page = DrawnPage(1400, 900)
    rows = [("12/05/2024", "Visit date:"), ("Ada Baker", "Name of patient:")]
    rows += [("555-201-3344", "Cell phone:"), ("03/09/1961", "Date of birth:")]
    words = _captioned(page, rows, 100, 42, 50)
    fields = _read_drawn(page, words)
    assert fields["record_date"].value == "12/05/2024"
    assert fields["patient_name"].value == "Ada Baker"
    assert fields["phone_number"].value == "555-201-3344"
    assert fields["birth_date"].value == "03/09/1961"


def test_colon_captions_out_of_any_cell_are_read_upwards_where_no_value_s_kind_tells() -> None:
    # "Known allergies:" under the line written on, with no box round it: only the rules tell
    # which way the form reads (every value here would pass under either label).
    page = DrawnPage(1400, 900)
    rows = [("Ada Baker", "PATIENT NAME:"), ("3 Elm Road, Salem, OR", "MAILING ADDRESS:")]
    rows += [("114 kg", "BODY WEIGHT:"), ("Hypertension", "MEDICAL CONDITIONS:")]
    rows += [("Peanuts", "KNOWN ALLERGIES:"), ("Levothyroxine", "LIST ANY MEDICATION TAKEN REGULARLY:")]
    words = _captioned(page, rows, 90, 34, 44)
    fields = _read_drawn(page, words)
    assert fields["allergies"].value == "Peanuts"
    assert fields["medical_problems"].value == "Hypertension"
    assert fields["regular_medications"].value == "Levothyroxine"
    # The captions themselves vote so, not only the values' fit: a form whose values all fit
    # either way is read by the votes.
    above, below = _votes(page, words)
    assert above >= 4 and below == 0


def test_a_short_stroke_over_a_label_is_no_line_its_value_is_written_on() -> None:
    # Labels over their values under a heading's rule; a stroke as long as two letters over
    # "Active Medications" (a pen's slip) is no line written on: the labels do not turn into
    # captions of the lines above them.
    page = DrawnPage(1400, 700)
    words = page.text(100, 100, "Health Summary")
    page.line(100, 135, 1200, 135)
    words += page.text(100, 145, "Medical conditions")
    words += page.text(130, 180, "Migraine")
    words += page.text(100, 225, "Allergies")
    words += page.text(130, 260, "Wheat")
    page.line(140, 300, 222, 300)
    words += page.text(100, 308, "Active Medications")
    words += page.text(130, 343, "Ibuprofen")
    fields = _read_drawn(page, words)
    assert fields["medical_problems"].value == "Migraine"
    assert fields["allergies"].value == "Wheat"
    assert fields["regular_medications"].value == "Ibuprofen"
    # The heading standing on its rule over "Medical conditions" looks like a value over its
    # caption (one vote); the stroke adds no second.
    assert _votes(page, words)[0] <= 1


def test_a_blank_colon_label_on_no_rule_takes_nothing_from_the_line_above() -> None:
    # "Home address:" left blank between labelled values set close, no line drawn to write on:
    # it is no caption of the date of birth over it.
    page = DrawnPage(1400, 700)
    words = page.text(100, 100, "Patient name: Thomas Allen")
    words += page.text(100, 140, "Sex: Female")
    words += page.text(100, 180, "D.O.B.: July 1 1984")
    words += page.text(100, 220, "Home address:")
    words += page.text(100, 260, "Allergies: NKDA")
    fields = _read_drawn(page, words)
    assert fields["birth_date"].value == "July 1 1984"
    assert fields["address"].value == ""
    assert _votes(page, words) == (0, 0)  # no caption: it does not vote so


def test_a_small_caption_further_than_a_line_height_under_its_rule_still_names_its_writing() -> None:
    # Small captions set well under the rules their values stand on: each stands as near the
    # next value as its own, and the rule over it is what ties it to its value.
    page = DrawnPage(1400, 900)
    rows = [("Ada Baker", "NAME"), ("Peanuts", "ALLERGIES"), ("Levothyroxine", "MEDICATIONS")]
    words = _captioned(page, rows, 120, 40, 63)
    fields = _read_drawn(page, words)
    assert fields["allergies"].value == "Peanuts"
    assert fields["regular_medications"].value == "Levothyroxine"


def test_a_label_heading_its_box_reads_down_on_a_form_of_captions_under_their_lines() -> None:
    # Most labels are captions under the lines written on; the phone's label stands in the top
    # corner of its box, the number under it in the box: its value is there, not above the box.
    page = DrawnPage(1400, 900)
    captioned = [("Ada Baker", "Full name"), ("42", "Weight"), ("Peanuts", "Allergies")]
    words = _captioned(page, captioned, 90, 40, 46)
    page.table(100, 380, [500], [110], width=2)
    words += page.text(108, 388, "Telephone")
    words += page.text(120, 440, "865-0130")
    fields = _read_drawn(page, words)
    assert fields["allergies"].value == "Peanuts"
    assert fields["phone_number"].value == "865-0130"


def test_a_date_written_on_the_rule_over_its_caption_is_read_on_a_form_of_labels_beside_values() -> None:
    # A pad's other labels open their values ("Patient: ..."); the date at its foot is written on
    # a rule over its caption, further from the caption than one line: the rule ties them.
    page = DrawnPage(1400, 700)
    words = page.text(100, 100, "Patient: Ada Baker")
    words += page.text(100, 160, "Home address: 12 Elm Street")
    words += page.text(110, 450, "25/10/2025")
    page.line(100, 505, 500, 505)
    words += page.text(100, 516, "Date written")
    fields = _read_drawn(page, words, get_document_type("prescription"))
    assert fields["prescription_date"].value == "25/10/2025"
    # With nothing written on the rule the caption's field stays blank, never the line above.
    bare = DrawnPage(1400, 700)
    words = bare.text(100, 100, "Patient: Ada Baker")
    words += bare.text(100, 440, "Refills: 2")
    bare.line(100, 505, 500, 505)
    words += bare.text(100, 516, "Date written")
    assert _read_drawn(bare, words, get_document_type("prescription"))["prescription_date"].value == ""


def test_a_label_s_empty_writing_line_leaves_it_blank_and_its_next_rule_goes_on_its_value() -> None:
    page = DrawnPage(1400, 700)
    words = page.text(100, 100, "Allergies:")
    words += page.text(420, 96, "Peanuts, shellfish")
    page.line(400, 134, 1200, 134)
    words += page.text(420, 156, "Aspirin")  # on the second line drawn for the list
    page.line(400, 194, 1200, 194)
    words += page.text(100, 260, "Current medications:")
    page.line(450, 294, 1200, 294)  # left empty
    words += page.text(110, 340, "Insurance / Billing")  # the next section's heading
    page.line(100, 378, 1200, 378)
    words += page.text(100, 420, "Insurance company: Evergreen Mutual")
    fields = _read_drawn(page, words)
    assert fields["allergies"].value == "Peanuts, shellfish\nAspirin"
    assert fields["regular_medications"].value == ""


def test_a_line_under_a_value_on_its_writing_line_but_on_no_rule_of_it_is_left_out_and_flagged() -> None:
    page = DrawnPage(1400, 700)
    words = page.text(100, 100, "Patient name: Ada Baker")
    words += page.text(100, 200, "Current medications:")
    page.line(430, 234, 1200, 234)  # written on below the label, its first line empty
    words += page.text(420, 250, "Aspirin 81 mg")
    page.line(410, 288, 1200, 288)
    words += page.text(110, 300, "Seen by Dr Ruiz")  # set at the margin, on no rule of the list
    fields = _read_drawn(page, words)
    medications = fields["regular_medications"]
    assert medications.value == "Aspirin 81 mg"
    assert medications.needs_review


def test_a_value_cell_s_lines_stop_at_the_next_row_s_value_written_high_in_its_cell() -> None:
    # The name is written high in its cell, above the level of its label: only the label
    # level with its cell tells that the address, in the cell above, ends there.
    page = DrawnPage(1400, 600)
    page.table(100, 100, [300, 800], [110, 80, 60], width=2)
    words = page.text(110, 110, "Patient's address")
    words += page.text(410, 110, "99 Chestnut Road")
    words += page.text(410, 160, "Dallas, Texas, 75260")
    words += page.text(110, 240, "Full name")
    words += page.text(410, 214, "Abigail Butler")
    words += page.text(110, 300, "Date")
    words += page.text(410, 300, "29/09/2016")
    fields = _read_drawn(page, words, get_document_type("prescription"))
    assert fields["patient_address"].value == "99 Chestnut Road\nDallas, Texas, 75260"
    assert fields["patient_name"].value == "Abigail Butler"


def test_the_rules_around_a_grey_shaded_row_still_close_its_cells() -> None:
    page = DrawnPage(1400, 600)
    page.draw.rectangle((100, 100, 1000, 160), fill=185)  # the shaded header row
    page.table(100, 100, [500, 200, 200], [60, 56, 56], width=2)
    words = page.text(110, 115, "Please answer")
    words += page.text(110, 175, "Chicken pox")
    structure = find_structure(page.array(), words)
    assert len(structure.cells) == 9
    horizontal = [rule for rule in structure.rules if rule.orientation == "horizontal"]
    assert all(rule.box[3] - rule.box[1] <= 10 for rule in horizontal)  # lines, not the shading


def test_a_label_alone_in_a_table_s_full_width_bar_is_a_heading_whose_value_is_doubted() -> None:
    page = DrawnPage(1400, 600)
    page.table(100, 100, [500, 200, 200], [60, 56, 56], width=2)
    page.draw.rectangle((103, 103, 997, 157), fill=255)  # the bar: one cell as wide as the table
    page.line(100, 100, 1000, 100, width=2)
    page.draw.line((600, 103, 600, 157), fill=255, width=6)
    page.draw.line((800, 103, 800, 157), fill=255, width=6)
    words = page.text(110, 115, "Medical History")
    words += page.text(110, 175, "Question")
    words += page.text(610, 175, "Immune")
    fields = _read_drawn(page, words)
    assert fields["medical_problems"].needs_review


def test_a_value_in_the_ruled_cell_beside_a_wide_label_cell_is_its_value() -> None:
    # The rows above set the label column's values close to their labels; the list row's label
    # cell is far wider: its value starts past where a value beside the label is looked for, at
    # the start of the ruled cell beside the label's.
    page = DrawnPage(1600, 500)
    page.table(60, 100, [280, 1180], [60, 60, 60], width=2)
    page.table(60, 280, [760, 700], [60], width=2)
    words = page.text(70, 115, "NAME")
    words += page.text(360, 121, "Joshua Guzman")  # each value read as a line of its own
    words += page.text(70, 175, "CELL")
    words += page.text(360, 181, "647-508-3417")
    words += page.text(70, 235, "WEIGHT")
    words += page.text(360, 241, "81")
    words += page.text(70, 295, "MEDICATIONS")
    words += page.text(840, 301, "Cetirizine")
    fields = _read_drawn(page, words)
    assert fields["patient_name"].value == "Joshua Guzman"
    assert fields["regular_medications"].value == "Cetirizine"


def test_a_value_s_lines_go_on_in_its_cell_beside_its_label_s_wrapped_lines() -> None:
    # "MAILING / ADDRESS:" wrapped over two lines of its cell; the address's second line is
    # level with the label's second line, in the cell beside it: it goes on with the value.
    page = DrawnPage(1600, 600)
    page.table(60, 100, [200, 1200], [60, 160, 60], width=2)
    words = page.text(70, 115, "NAME:")
    words += page.text(280, 115, "Joshua Guzman")
    words += page.text(70, 180, "MAILING")
    words += page.text(70, 215, "ADDRESS:")
    words += page.text(280, 178, "33 Franklin St")
    words += page.text(280, 220, "Houston, 77008")
    words += page.text(280, 262, "United States")
    words += page.text(70, 335, "WEIGHT:")
    words += page.text(280, 335, "81")
    fields = _read_drawn(page, words)
    assert fields["address"].value == "33 Franklin St\nHouston, 77008\nUnited States"
    assert fields["weight"].value == "81"


def test_a_value_in_the_cell_beside_its_label_is_its_value_though_it_starts_over_a_column_header() -> None:
    # A handwritten value starts left in its cell, off its label column's value edge and just
    # where the medicine table's second header stands a few lines below: that header's column
    # does not claim a line of a cell in another table.
    page = DrawnPage(1600, 700)
    page.table(60, 100, [340, 1000], [60, 60, 60], width=2)
    page.table(60, 340, [340, 260, 740], [60, 60], width=2)
    printed = [
        (70, 115, "Patient name:"),
        (470, 121, "Joshua Guzman"),
        (70, 175, "Rx date:"),
        (470, 181, "12/03/2021"),
        (70, 235, "Doctor:"),
        (412, 236, "Dr. Ann Lee, MD"),
        (70, 355, "Medicine"),
        (410, 355, "Strength"),
        (670, 355, "Directions"),
    ]
    words = [word for x, y, text in printed for word in page.text(x, y, text)]
    prescription = get_document_type("prescription")
    text = split_at_inline_keys(page_text(words, page.image.size), prescription.vocabulary)
    view = page_view(prescription, text, find_structure(page.array(), words))
    doctor = next(key for key in view.keys if key.text == "Doctor")
    assert " ".join(word.text for word in line_beside(doctor, view)) == "Dr. Ann Lee, MD"


def test_a_value_under_its_own_label_in_the_cell_beside_another_label_s_is_not_that_label_s() -> None:
    # The cell beside "Allergies:" holds a label of its own and its value under it: that value
    # is the medications', and the allergies are blank, not "Amlodipine".
    page = DrawnPage(1600, 500)
    page.table(60, 100, [500, 800], [120], width=2)
    printed = [(70, 115, "Allergies:"), (570, 110, "Current medications"), (570, 160, "Amlodipine")]
    words = [word for x, y, text in printed for word in page.text(x, y, text)]
    fields = _read_drawn(page, words)
    assert fields["regular_medications"].value == "Amlodipine"
    assert fields["allergies"].value == "" and fields["allergies"].needs_review


def test_a_list_goes_on_in_the_ruled_rows_under_its_label_however_tall() -> None:
    page = DrawnPage(1400, 600)
    page.table(100, 100, [900], [60, 70, 70, 60], width=2)
    words = page.text(110, 115, "Current medications:")
    words += page.text(110, 185, "Sertraline")
    words += page.text(110, 255, "Melatonin")
    words += page.text(110, 325, "Allergies: none")
    fields = _read_drawn(page, words)
    assert fields["regular_medications"].value == "Sertraline\nMelatonin"


# ---- which way labels read ------------------------------------------------------------------


def _boxed_prescription() -> tuple[np.ndarray, list[Word]]:
    """A grid whose every cell has its label in the top-left corner and its value under it, so
    each label also stands right under the rule the value of the cell above is written on."""
    page = DrawnPage(1400, 500)
    page.table(100, 60, [600, 600], [120, 120, 120], width=3)
    cells = (
        ("DX", "Type 2 diabetes", "FULL NAME", "Gregory Richardson"),
        ("RX DATE", "2025-07-17", "PROVIDER", "Dr Evelyn Schneider"),
        ("ADDR", "5727 Bollinger St", "PATIENT ID", "9808954"),
    )
    for row, (left_label, left_value, right_label, right_value) in enumerate(cells):
        top = 60 + 120 * row
        page.text(108, top + 8, left_label)
        page.text(120, top + 84, left_value)
        page.text(708, top + 8, right_label)
        page.text(720, top + 84, right_value)
    return page.array(), page.words


def test_labels_in_the_corners_of_their_cells_read_downwards_though_each_stands_under_a_filled_rule() -> None:
    gray, words = _boxed_prescription()
    fields = extract_fields(
        get_document_type("prescription"),
        [page_text(words, (1400, 500))],
        0.8,
        structures=[find_structure(gray, words)],
    )
    assert fields["patient_name"].value == "Gregory Richardson"
    assert fields["prescriber"].value == "Dr Evelyn Schneider"
    assert fields["prescription_date"].value == "2025-07-17"
    assert fields["patient_address"].value == "5727 Bollinger St"


def test_a_label_wrapped_loosely_in_its_cell_is_one_label_and_its_value_starts_at_its_first_line() -> None:
    page = DrawnPage(1400, 400)
    page.table(100, 60, [300, 900], [60, 150], width=3)
    page.text(108, 72, "NAME")
    page.text(420, 72, "Alice Bennett")
    page.text(108, 132, "STREET")  # the label's two lines a whole line height apart
    page.text(108, 190, "ADDRESS")
    page.text(420, 132, "1719 Washington Avenue")
    page.text(416, 170, "Raleigh, North Carolina, 27620")  # a hair further left, as a skew leaves it
    gray = page.array()
    fields = extract_fields(
        PATIENT, [page_text(page.words, (1400, 400))], 0.8, structures=[find_structure(gray, page.words)]
    )
    assert fields["address"].value == "1719 Washington Avenue\nRaleigh, North Carolina, 27620"


def test_a_cell_labelled_with_a_number_of_no_field_is_never_a_neighbour_s_value() -> None:
    # Labels in the corners of their cells; the name and address cells left empty.
    page = DrawnPage(1600, 400)
    page.table(60, 100, [700, 700], [120, 120], width=2)
    words = page.text(70, 108, "Patient name")
    words += page.text(770, 108, "Hospital No.")
    words += page.text(780, 180, "35808328")
    words += page.text(70, 228, "Address")
    words += page.text(770, 228, "NHS No")
    words += page.text(780, 300, "943 476 5919")
    fields = _read_drawn(page, words, get_document_type("prescription"))
    for name in ("patient_name", "patient_address"):
        assert fields[name].value == "", name
        assert fields[name].needs_review, name


def test_colon_labels_in_cell_corners_under_filled_rows_open_the_values_after_them() -> None:
    # Each label sits in its cell's top-left corner right under the rule the row above is
    # written on, which made it look like a caption of that row; its value is written low in
    # the cell beside, below the label's line.
    page = DrawnPage(1600, 600)
    page.table(60, 100, [620, 900], [56, 56, 56, 70, 70], width=2)
    words = page.text(66, 104, "Medical problems:")
    words += page.text(70, 170, "High cholesterol")
    words += page.text(70, 226, "Depression")
    words += page.text(66, 272, "Known allergies:")
    words += page.text(690, 296, "Peanuts")
    words += page.text(66, 342, "Do you have medical insurance:")
    words += page.text(690, 366, "No")
    fields = _read_drawn(page, words)
    assert fields["medical_problems"].value == "High cholesterol\nDepression"
    assert fields["allergies"].value == "Peanuts"
    assert fields["has_medical_insurance"].value == "No"
    assert not any(fields[name].needs_review for name in ("medical_problems", "allergies"))


def test_a_corner_label_over_its_value_takes_nothing_from_the_next_cell() -> None:
    # "City/Town" over "Portland" in its box; level with the label, in the next box, stands
    # that box's own small label, which is no value of the city.
    page = DrawnPage(1600, 300)
    page.table(60, 80, [640, 420, 300], [110], width=2)
    words = page.text(68, 86, "City/Town")
    words += page.text(72, 140, "Portland")
    words += page.text(708, 86, "St.")
    words += page.text(712, 140, "Oregon")
    words += page.text(1128, 86, "Postal code")
    words += page.text(1132, 140, "97268")
    fields = _read_drawn(page, words)
    assert fields["address"].value.startswith("Portland"), fields["address"].value
    assert "St." not in fields["address"].value
    assert fields["address"].needs_review  # put together from parts, the street missing


def test_a_corner_label_whose_value_was_not_read_takes_none_from_the_next_labelled_cell() -> None:
    # "WEIGHT (KG)" in its box's corner, its "73" unread (a grainy scan); in the next box, level
    # with it, "HT (CM)" over "201 cm". The height's value is no weight, even read low beside
    # the weight's label.
    page = DrawnPage(1400, 300)
    page.table(60, 80, [520, 520], [150], width=2)
    page.text(90, 128, "73")  # drawn, not read
    words = page.text(68, 86, "WEIGHT (KG)")
    words += page.text(588, 86, "HT (CM)")
    words += page.text(640, 128, "201 cm")
    fields = _read_drawn(page, words)
    assert fields["weight"].value == "", fields["weight"].value
    assert fields["weight"].needs_review
    assert fields["height"].value == "201"


def test_a_label_before_its_row_of_checkboxes_is_cut_from_them_and_answered_by_them() -> None:
    # "Refills [ ]0 [ ]1 [x]2 [ ]3" read as one line with no colon: the boxes part the label
    # from its options as a colon would, so the label is a key and the ticked box answers it.
    from extraction.pipeline import _apply_structure

    page = DrawnPage(1400, 300)
    words = page.text(100, 100, "Refills")
    for index, state in enumerate(("empty", "empty", "cross", "empty")):
        x = 240 + 120 * index
        box = page.checkbox(x, 102, state)
        (digit,) = page.text(x + 34, 100, str(index))
        # OCR reads each box and its digit as one word ("O0"), spaced like the label from them.
        words.append(Word("O" + digit.text, 0.9, (box[0], digit.box[1], digit.box[2], digit.box[3])))
    structure = find_structure(page.array(), words)
    # OCR gives the label and its options as one line.
    one_line = PageText(index=0, lines=(Line(tuple(words)),), width=1400, height=300)
    text = _apply_structure(one_line, structure)
    assert "Refills" in [line.text for line in text.lines]
    fields = extract_fields(get_document_type("prescription"), [text], 0.8, structures=[structure])
    assert fields["refills"].value == "2"


@pytest.mark.usefixtures("needs_ocr")
def test_an_option_ocr_ran_into_its_ticked_box_is_read_again_on_its_own() -> None:
    from extraction.ocr import read_region
    from extraction.options import Options

    page = DrawnPage(1400, 300)
    words = page.text(100, 100, "Have you had the Hepatitis B vaccination?")
    ticked = page.checkbox(860, 104, "cross")
    (yes,) = page.text(900, 100, "Y")
    empty = page.checkbox(980, 104, "empty")
    (no,) = page.text(1020, 100, "N")
    # The page pass read each box and its letter as one word, the crossed box as "KR".
    words += [
        Word("KRY", 0.57, (ticked[0], yes.box[1], yes.box[2], yes.box[3])),
        Word("ON", 0.6, (empty[0], no.box[1], no.box[2], no.box[3])),
    ]
    gray = page.array()
    structure = find_structure(gray, words)

    def reread(page: int, region: tuple[int, int, int, int], mode: str) -> list[Word]:
        return read_region(gray, region, 300, Options(), mode)

    text = [page_text(words, (1400, 300))]
    field = extract_fields(PATIENT, text, 0.8, reread, structures=[structure])["hepatitis_b_vaccination"]
    assert field.value == "Yes"
    assert field.needs_review and "read again" in (field.reason or "")


def test_a_signature_read_as_text_over_its_caption_is_passed_over_for_the_name_above() -> None:
    """A prescriber's typed name, the signature drawn on the rule under it (read as "Oo Fe", its
    first word's box as wide as the flourish), and the caption under the rule: the name is the
    prescriber, the signature no text."""
    page = DrawnPage()
    words = page.text(300, 100, "Dr Doris Hall, MD")
    page.line(300, 200, 900, 200)
    words.append(Word("Oo", 0.5, (320, 150, 820, 192), 0))
    words.append(Word("Fe", 0.35, (520, 152, 560, 192), 0))
    words += page.text(300, 210, "Signature of prescriber")
    structure = find_structure(page.array(), words)
    prescription = get_document_type("prescription")
    fields = extract_fields(prescription, [page_text(words)], 0.8, structures=[structure])
    assert fields["prescriber"].value == "Dr Doris Hall, MD"


def test_an_insurer_named_like_a_label_in_the_cell_beside_its_label_is_the_value() -> None:
    """A ruled table of label and value cells with no colons: the insurer's name ends in a
    label's word ("CIC Insurance"), yet stands in the value cell beside "Health plan"."""
    page = DrawnPage(1400, 400)
    page.table(100, 100, [360, 560], [60, 60], width=2)
    page.text(110, 116, "Health plan")
    page.text(470, 116, "CIC Insurance")
    page.text(110, 176, "Subscriber ID")
    page.text(470, 176, "BRT/125255")
    fields = _read_drawn(page, page.words)
    assert fields["insurance_company"].value == "CIC Insurance"
    assert fields["policy_number"].value == "BRT/125255"


def test_a_label_with_a_possessive_in_the_cell_beside_another_label_s_is_a_label() -> None:
    """ "Area" and "Contact's phone" head two cells of a row, each with its part of the number
    under it: "Contact's phone" is the vocabulary's "Contact phone", a label of its own, not a
    name written beside "Area" that ends in a label's word."""
    page = DrawnPage(1400, 500)
    page.table(100, 100, [220, 560], [110], width=2)
    printed = ((110, 40, "Emergency Contact"), (110, 110, "Area"), (330, 110, "Contact's phone"))
    for x, y, text in (*printed, (120, 160, "823"), (340, 160, "591-5828")):
        page.text(x, y, text)
    fields = _read_drawn(page, page.words)
    assert fields["emergency_contact_phone"].value == "(823) 591-5828"


def test_a_list_written_on_ruled_lines_goes_on_from_rule_to_rule() -> None:
    """Lines ruled under "Drug allergies", one item written on each: "Tree nuts" on the second
    rule stands a rule's pitch under "Wheat", further than a value's next line would, yet it
    is the list's next item."""
    page = DrawnPage(1400, 500)
    page.text(100, 40, "Patient Questionnaire")
    page.text(100, 120, "Drug allergies")
    for y, text in ((200, "Wheat"), (272, "Tree nuts"), (344, "")):
        page.line(100, y + 36, 1300, y + 36)
        if text:
            page.text(130, y, text)
    assert _read_drawn(page, page.words)["allergies"].value == "Wheat\nTree nuts"


def test_a_state_s_code_written_under_its_cell_s_caption_is_the_caption_s_value() -> None:
    """ "MI" reads as the label "M.I."; written under the small "St." caption of its own cell,
    it is the state the caption asks for, and the address is put together with it."""
    page = DrawnPage(1400, 600)
    page.table(100, 100, [800], [90], width=2)
    page.table(100, 200, [400, 150, 250], [90], width=2)
    captions = [
        Word("Street", 0.95, (108, 106, 160, 122)),
        Word("City", 0.95, (108, 206, 140, 222)),
        Word("St.", 0.95, (508, 206, 532, 222)),
        Word("ZIP", 0.95, (658, 206, 690, 222)),
    ]
    values = page.text(112, 140, "8636 Adams Drive") + page.text(112, 240, "Detroit")
    values += page.text(512, 240, "MI") + page.text(662, 240, "48211")
    fields = _read_drawn(page, captions + values)
    assert fields["address"].value == "8636 Adams Drive\nDetroit, MI 48211"
    assert fields["address"].needs_review  # put together from its parts


def test_a_heading_with_a_letter_taken_for_a_box_is_not_cut_by_a_box_of_another_line() -> None:
    """ "NEXT OF KIN / INSURANCE": the bold O of "OF" found as a box, and a box on the same row
    in another panel; options come two or more on the line itself, so the heading stays whole."""
    from extraction.structure import split_before_marks

    words = [
        Word("NEXT", 0.9, (1203, 395, 1328, 426)),
        Word("OF", 0.9, (1345, 395, 1407, 426)),
        Word("KIN", 0.9, (1430, 395, 1508, 426)),
        Word("/", 0.9, (1528, 395, 1543, 431)),
        Word("INSURANCE", 0.9, (1562, 395, 1840, 426)),
    ]
    letter = SelectionMark((1350, 397, 1373, 424), "square", False, "OF KIN", None, 0.55)
    elsewhere = SelectionMark((2815, 397, 2838, 424), "square", False, "", None, 0.55)
    runs = split_before_marks(words, PageStructure(marks=(letter, elsewhere)))
    assert [[w.text for w in run] for run in runs] == [["NEXT", "OF", "KIN", "/", "INSURANCE"]]


def test_a_field_label_set_in_capitals_over_its_value_opens_no_section() -> None:
    """A form setting its labels in capitals over their values, in panels side by side: the
    patient's "PATIENT'S NAME" is no heading over the next panel's "TEL", which stays under
    "NEXT OF KIN" and is the contact's phone."""
    page = parse_layout(
        """
        184 395 DEMOGRAPHICS
        1203 395 NEXT OF KIN
        177 471 PATIENT'S NAME
        1196 471 NAME
        211 521 Zachary Adams
        1200 521 Ryan Adams
        1193 588 TEL
        1200 640 730-950-3263
        177 705 PHONE
        211 760 (272)-653-5942
        """
    )
    fields = extract_fields(get_document_type("patient_details"), page, 0.8)
    assert fields["patient_name"].value == "Zachary Adams"
    assert fields["phone_number"].value == "(272)-653-5942"
    assert fields["emergency_contact_name"].value == "Ryan Adams"
    assert fields["emergency_contact_phone"].value == "730-950-3263"


@pytest.mark.parametrize(
    ("upper", "lower", "field", "value"),
    [
        ("List any medication", "taken regularly: Melatonin", "regular_medications", "Melatonin"),
        ("Known allergies", "(drug or food): Latex", "allergies", "Latex"),
        (
            "Name of person to contact in",
            "case of emergency: Ruth Hale",
            "emergency_contact_name",
            "Ruth Hale",
        ),
    ],
)
def test_a_label_run_on_to_the_next_line_outside_cells_ends_at_its_colon(
    upper: str, lower: str, field: str, value: str
) -> None:
    # Read alone, the label's first line took the whole lower line as its value, or another
    # field's label took it (a run-on allergies label gave "(drug or food): Latex", unflagged).
    pages = parse_layout(f"200 400 Patient Intake\n200 600 {upper}\n200 645 {lower}\n200 800 Height: 170")
    fields = extract_fields(PATIENT, pages, 0.8)
    assert fields[field].value == value
    assert fields["height"].value == "170"


@pytest.mark.parametrize(
    ("label", "value", "field"),
    [
        ("Allergies", "penicillin: rash", "allergies"),
        ("Medical problems", "asthma: since 2010", "medical_problems"),
        ("Current medications", "metformin: 500 mg twice daily", "regular_medications"),
    ],
)
def test_a_value_in_small_letters_with_a_colon_under_a_whole_label_is_its_value(
    label: str, value: str, field: str
) -> None:
    pages = parse_layout(f"200 400 Patient Intake\n200 600 {label}\n200 645 {value}")
    assert extract_fields(PATIENT, pages, 0.8)[field].value == value


def test_a_value_written_on_a_dashed_line_after_a_question_is_the_question_s_answer() -> None:
    """No colon nor question mark ends the label: the line of dashes the answer is written on,
    starting where the label ends, parts them (``split_at_rule_starts``)."""
    page = DrawnPage(1400, 400)
    question = page.text(100, 100, "Please list any medical conditions you have")
    for x in range(812, 1352, 60):
        page.line(x, 132, x + 46, 132)
    answer = page.text(822, 100, "Insomnia")
    structure = find_structure(page.array(), page.words)
    runs = split_at_rule_starts([*question, *answer], structure)
    assert [[w.text for w in run] for run in runs] == [[w.text for w in question], ["Insomnia"]]
    lines = tuple(Line(tuple(run)) for run in runs)
    text = PageText(0, lines, *page.image.size)
    fields = extract_fields(PATIENT, [text], 0.8, structures=[structure])
    assert fields["medical_problems"].value == "Insomnia"
