"""Lists answered by ticking ("Medical history (check all that apply)"): the ticked options,
one per line, in reading order; a question's Yes/No boxes are no part of the list; a list
whose option has no box read beside it is flagged.

Pages are drawn with PIL (``tests.drawn_pages``); their words are the drawn text's boxes.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extraction.checklist import CUT_NOTE, LOST_ROW_NOTE, UNBOXED_NOTE, UNGRIDDED_NOTE
from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.structure import find_structure
from extraction.types import FieldResult, Word
from tests.drawn_pages import FONT_PATH, DrawnPage, page_text, rotated, rotated_words

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

PATIENT = get_document_type("patient_details")
CONDITIONS = (("Asthma", "Gout", "Eczema"), ("Migraine", "Anemia", "Insomnia"))


def _read(page: DrawnPage) -> dict[str, FieldResult]:
    """The fields of a drawn patient record, its structure found on its pixels."""
    structure = find_structure(page.array(), page.words)
    return extract_fields(PATIENT, [page_text(page.words, page.image.size)], 0.8, structures=[structure])


def _history_page(ticked: set[str], unboxed: str = "") -> tuple[DrawnPage, dict[str, FieldResult]]:
    """A history section: the list in three columns, a question answered in boxes under it,
    then the allergies beside their label. ``unboxed`` is printed with no box before it (the
    page's damage hid it)."""
    page = DrawnPage(height=700)
    page.text(60, 60, "Medical history (check all that apply):")
    for row, names in enumerate(CONDITIONS):
        y = 130 + 60 * row
        for column, name in enumerate(names):
            x = 60 + 420 * column
            if name != unboxed:
                page.checkbox(x, y, "cross" if name in ticked else "empty")
            page.text(x + 40, y - 2, name)
    page.text(60, 330, "Do you smoke?")
    page.checkbox(400, 330, "empty")
    page.text(440, 328, "Yes")
    page.checkbox(560, 330, "cross")
    page.text(600, 328, "No")
    page.text(60, 420, "Allergies: Peanuts")
    fields = _read(page)
    return page, fields


def test_the_ticked_options_of_a_list_are_its_value_in_reading_order() -> None:
    _page, fields = _history_page({"Migraine", "Asthma", "Insomnia"})
    problems = fields["medical_problems"]
    assert problems.value == "Asthma\nMigraine\nInsomnia"
    assert UNBOXED_NOTE not in (problems.reason or "")
    assert fields["allergies"].value == "Peanuts"


def test_a_list_with_nothing_ticked_is_blank_not_its_printed_options() -> None:
    _page, fields = _history_page(set())
    assert fields["medical_problems"].value == ""


@pytest.mark.parametrize(("read", "value"), [("Anemia", "Anemia"), ("[Anemia", "Anemia")])
def test_an_option_boxed_from_its_mark_keeps_the_letters_read_of_it(read: str, value: str) -> None:
    """Tesseract drew the box of a ticked option's word from the box's left edge: when it read
    nothing of the box (the word no longer than the print right of the box holds, opening in
    no glyph a box is read as) the word is kept whole; when it read the box as "[" that goes."""
    page = DrawnPage(height=400)
    page.text(60, 60, "Medical history (check all that apply):")
    for column, name in enumerate(CONDITIONS[1]):
        x = 60 + 420 * column
        box = page.checkbox(x, 130, "cross" if name == "Anemia" else "empty")
        page.text(x + 40, 128, name)
        if name == "Anemia":
            word = page.words.pop()
            page.words.append(Word(read, word.confidence, (box[0], *word.box[1:]), word.line))
    assert _read(page)["medical_problems"].value == value


@pytest.mark.parametrize(("unboxed", "ticked"), [("Eczema", "Gout"), ("Migraine", "Anemia")])
def test_an_option_with_no_box_read_beside_it_flags_the_list(unboxed: str, ticked: str) -> None:
    """A box the scan hid, at the end of a row or at the start of one (its option then stands
    left of the row's first box found): the list goes on, flagged."""
    _page, fields = _history_page({ticked}, unboxed=unboxed)
    problems = fields["medical_problems"]
    assert problems.value == ticked
    assert problems.needs_review and UNBOXED_NOTE in (problems.reason or "")


def _yes_no_rows(page: DrawnPage, answers: dict[str, str], misread: str = "") -> None:
    """One condition a row from y=120, answered in Yes / No boxes ("yes", "no"; "hidden": the
    Yes box lost to the scan); the "No" of ``misread``'s row read "MNo"."""
    for row, (name, answer) in enumerate(answers.items()):
        y = 120 + 55 * row
        page.text(90, y - 2, name)
        if answer != "hidden":
            page.checkbox(600, y, "cross" if answer == "yes" else "empty")
        page.text(640, y - 2, "Yes")
        page.checkbox(760, y, "cross" if answer == "no" else "empty")
        page.text(800, y - 2, "MNo" if name == misread else "No")


@pytest.mark.parametrize("after", ["Smoker?", "Measles"])
def test_conditions_answered_yes_in_rows_of_boxes_are_the_value(after: str) -> None:
    """Under "Chronic conditions:" one condition a row, answered in Yes / No boxes: the
    conditions answered Yes. An option OCR misread ("MNo") answers as the rest of its column;
    a question or another field's label after the conditions is no condition."""
    page = DrawnPage(height=700)
    page.text(60, 60, "Chronic conditions:")
    answers = {"Headaches": "yes", "Sinusitis": "no", "Back pain": "yes", "Insomnia": "no", after: "yes"}
    _yes_no_rows(page, answers, misread="Sinusitis")
    page.text(60, 450, "Allergies: Peanuts")
    fields = _read(page)
    problems = fields["medical_problems"]
    assert problems.value == "Headaches\nBack pain" and not problems.needs_review
    assert fields["allergies"].value == "Peanuts"


def test_conditions_ticked_after_a_question_among_them_flag_the_list_that_stopped_there() -> None:
    """A grid read as none lists its conditions among other fields' questions ("Measles"): the
    rows end at the question, and a condition ticked Yes after it is not read; the clerk is told."""
    page = DrawnPage(height=700)
    page.text(60, 60, "Chronic conditions:")
    _yes_no_rows(page, {"Headaches": "yes", "Insomnia": "no", "Measles": "no", "Back pain": "yes"})
    page.text(60, 450, "Allergies: Peanuts")
    problems = _read(page)["medical_problems"]
    assert problems.value == "Headaches"
    assert problems.needs_review and CUT_NOTE in (problems.reason or "")


def test_a_row_whose_yes_box_was_not_read_flags_the_list_and_the_rows_go_on() -> None:
    """The scan hid one row's ticked Yes box: nobody knows that row's answer, so the list is
    flagged, and the rows under it are still read (they used to end the list unflagged)."""
    page = DrawnPage(height=700)
    page.text(60, 60, "Chronic conditions:")
    _yes_no_rows(page, {"Headaches": "yes", "Sinusitis": "no", "Migraine": "hidden", "Back pain": "yes"})
    page.text(60, 450, "Allergies: Peanuts")
    fields = _read(page)
    problems = fields["medical_problems"]
    assert problems.value == "Headaches\nBack pain"
    assert problems.needs_review and "check it" in (problems.reason or "")


def _answer_grid(mark: Callable[[DrawnPage, int, int], None]) -> dict[str, FieldResult]:
    """A ruled grid under "Medical history:": Condition | Yes | No, one cell of each row
    marked by ``mark(page, x, y)`` (the cell's left and top); the allergies under it."""
    return _read(_answer_grid_page(mark))


def _answer_grid_page(
    mark: Callable[[DrawnPage, int, int], None], question: int = 560, row: int = 56
) -> DrawnPage:
    """The page of ``_answer_grid``, its question column ``question`` pixels wide and its rows
    ``row`` high."""
    page = DrawnPage(question + 840, 600)
    page.text(100, 40, "Medical history:")
    page.table(100, 100, [question, 140, 140], [row] * 4, width=2)
    yes, no = 100 + question, 240 + question
    page.text(110, 112, "Condition")
    page.text(yes + 16, 112, "Yes")
    page.text(no + 16, 112, "No")
    answers = {"Asthma": "yes", "Diabetes": "no", "Gout": "yes"}
    for index, (name, answer) in enumerate(answers.items()):
        y = 100 + row * (index + 1)
        page.text(110, y + 12, name)
        mark(page, yes + 40 if answer == "yes" else no + 40, y)
    page.text(100, 420, "Allergies: Peanuts")
    return page


def test_conditions_marked_yes_in_an_answer_grid_are_the_value() -> None:
    """An X drawn in one cell of each row: the conditions whose X stands under "Yes"."""
    fields = _answer_grid(lambda page, x, y: page.cross(x + 10, y + 10, x + 46, y + 42))
    assert fields["medical_problems"].value == "Asthma\nGout"
    assert fields["allergies"].value == "Peanuts"


@pytest.mark.parametrize("degrees", [0.0, 0.8, -0.8])
def test_a_grid_with_a_wide_question_column_on_a_skewed_page_is_still_answered(degrees: float) -> None:
    """A photo turned the page by under a degree: over a question column of 1,000 pixels the
    rules drift by 14, so the question cells' upright boxes are a quarter paper, and each
    question stands lower (or higher) than its answer cells' middle. The cells are still
    cells, and the question still the row's."""
    page = _answer_grid_page(lambda page, x, y: page.cross(x + 10, y + 10, x + 40, y + 38), 1000, 50)
    size = page.image.size
    words = rotated_words(page.words, degrees, size)
    structure = find_structure(rotated(page.array(), degrees), words)
    assert len([c for c in structure.cells if c.table == 0]) == 12
    fields = extract_fields(PATIENT, [page_text(words, size)], 0.8, structures=[structure])
    assert fields["medical_problems"].value == "Asthma\nGout"


def test_a_grid_s_column_headers_are_no_options_of_a_list_where_its_conditions_were_not_read() -> None:
    """A shadow hid the conditions of a "Condition | YES | NO" grid of boxes: the boxes ticked
    under "NO" answer unread questions, they are no list of options named "NO"."""
    page = DrawnPage(1400, 600)
    page.table(100, 100, [560, 140, 140], [56, 56, 56, 56], width=2)
    page.text(110, 112, "Condition")
    page.text(676, 112, "YES")
    page.text(816, 112, "NO")
    for row in range(3):
        y = 156 + 56 * row
        page.checkbox(697, y + 15, "empty")
        page.checkbox(837, y + 15, "cross")
    page.text(100, 420, "Allergies: Peanuts")
    problems = _read(page)["medical_problems"]
    assert "NO" not in problems.value
    assert problems.needs_review


def _split_grid_page(
    left: dict[str, str],
    right: dict[str, str],
    bar: str = "",
    heading: str = "Have you ever had",
    split_heading: bool = False,
    first_heading: str | None = None,
) -> dict[str, FieldResult]:
    """A questionnaire grid printed in two halves side by side, each headed "Have you ever had
    | Y | N", questions and other fields' questions among the conditions, an X in one cell of
    each row; with ``bar`` a heading across the top of each half, over its header row; with
    ``first_heading`` the first half's heading as OCR misread it."""
    page = DrawnPage(2000, 700)
    top = 100 if not bar else 156
    for half, answers in enumerate((left, right)):
        x = 40 + 980 * half
        page.table(x, top, [680, 110, 110], [56] * (len(answers) + 1), width=2)
        if bar:  # one cell across the half, the grid's columns under it
            page.box(x, 100, x + 900, 156)
            page.text(x + 10, 112, bar)
        if half == 0 and split_heading:  # OCR parts the first half's heading at a wide gap
            first, rest = heading.split(" ", 1)
            page.text(x + 10, top + 12, first)
            page.text(x + 160, top + 12, rest)
        else:
            page.text(x + 10, top + 12, first_heading if half == 0 and first_heading else heading)
        page.text(x + 720, top + 12, "Y")
        page.text(x + 830, top + 12, "N")
        for row, (name, answer) in enumerate(answers.items(), 1):
            y = top + 56 * row
            page.text(x + 10, y + 12, name)
            cx = x + 716 if answer == "yes" else x + 826
            page.cross(cx, y + 10, cx + 36, y + 42)
    page.text(40, 600, "Allergies: Peanuts")
    return _read(page)


def test_a_grid_in_two_halves_reads_both_and_skips_the_questions_among_the_conditions() -> None:
    left = {"Asthma": "yes", "Do you smoke?": "yes", "Gout": "no", "Are you insured?": "no"}
    right = {"Any recent surgery?": "no", "Hepatitis B vaccinated?": "yes", "Eczema": "no", "Migraine": "yes"}
    fields = _split_grid_page(left, right)
    problems = fields["medical_problems"]
    assert problems.value == "Asthma\nMigraine"
    # Each half's question is answered in that half's columns, not in the other half's.
    assert fields["has_medical_insurance"].value == "No"
    assert fields["hepatitis_b_vaccination"].value == "Yes"
    assert fields["allergies"].value == "Peanuts"


def test_a_grid_in_halves_headed_with_a_colon_is_one_list_whichever_half_holds_the_yes() -> None:
    """Each half's heading ends in a colon, nothing beside it: the heading printed twice is no
    label printed once per item, and the second half's heading reads the whole grid too."""
    left = {"Gout": "yes", "Asthma": "no", "Seizures": "yes"}
    right = {"Eczema": "no", "Migraine": "no", "Insomnia": "no"}
    fields = _split_grid_page(left, right, heading="Have you ever had:")
    assert fields["medical_problems"].value == "Gout\nSeizures"


def test_the_second_half_s_heading_reads_the_whole_grid() -> None:
    """OCR parted the first half's heading in two: the second half's, read whole, is the
    better label, and it reads both halves, the first first."""
    left = {"Migraine": "yes", "Asthma": "no", "Gout": "no"}
    right = {"Eczema": "no", "Insomnia": "yes", "Anemia": "no"}
    fields = _split_grid_page(left, right, heading="Do you have or have you had", split_heading=True)
    assert fields["medical_problems"].value == "Migraine\nInsomnia"


def test_a_half_whose_heading_was_misread_is_read_with_the_other_by_its_answer_columns() -> None:
    """A shadow over the first half: its heading read "aeeition", no label. Its answer columns
    are headed "Y | N" as the second half's: the grid's first half, read with it (the list was
    the second half's ticks alone, unflagged)."""
    left = {"Hypertension": "yes", "Asthma": "no", "Gout": "no"}
    right = {"Eczema": "no", "Sinusitis": "yes", "Anemia": "no"}
    fields = _split_grid_page(left, right, heading="Condition", first_heading="aeeition")
    assert fields["medical_problems"].value == "Hypertension\nSinusitis"


VACCINES_ANSWERED = {"Hepatitis B": "yes", "Tetanus": "no", "Influenza": "no"}
CONDITIONS_ANSWERED = {"Eczema": "no", "Sinusitis": "yes", "Anemia": "no"}
FAMILY_ANSWERED = {"Diabetes": "yes", "Heart disease": "yes", "Cancer": "no"}


@pytest.mark.parametrize(
    ("first", "left", "second", "right", "problems"),
    [
        ("Vaccine", VACCINES_ANSWERED, "Condition", CONDITIONS_ANSWERED, "Sinusitis"),
        # A family's history beside the patient's, no label of ours: words all the same.
        ("Have you ever had", CONDITIONS_ANSWERED, "Has a parent had", FAMILY_ANSWERED, "Sinusitis"),
    ],
)
def test_a_grid_beside_with_a_heading_of_its_own_is_another_grid(
    first: str, left: dict[str, str], second: str, right: dict[str, str], problems: str
) -> None:
    """ "Vaccine | Y | N" beside "Condition | Y | N", a family's history beside the patient's:
    the same answer columns, but each heading reads as words; the rows of one are no rows of
    the other."""
    fields = _split_grid_page(left, right, heading=second, first_heading=first)
    assert fields["medical_problems"].value == problems


def _one_grid_page(rows: dict[str, str], erased: tuple[int, int, int, int] | None = None) -> DrawnPage:
    """A grid "Have you ever had | Y | N", one row per condition with an X in its answer's
    cell, and ``erased`` (a box of its rules) painted out as damage would."""
    page = DrawnPage(1400, 700)
    page.table(100, 100, [680, 110, 110], [56] * (len(rows) + 1), width=2)
    for x, text in ((110, "Have you ever had"), (820, "Y"), (930, "N")):
        page.text(x, 112, text)
    for row, (name, answer) in enumerate(rows.items(), 1):
        y = 100 + 56 * row
        page.text(110, y + 12, name)
        cx = 816 if answer == "yes" else 926
        page.cross(cx, y + 10, cx + 36, y + 42)
    if erased:
        page.draw.rectangle(erased, fill=255)
    page.text(100, 600, "Allergies: Peanuts")
    return page


@pytest.mark.parametrize("broken", [False, True])
def test_a_grid_row_whose_answer_cells_were_not_found_flags_the_list(broken: bool) -> None:
    """Damage took the wall between the Y and N cells of "Sinusitis" (ticked): the row has no
    answer cells, the list is read without it, and it says so; whole, the grid reads whole."""
    rows = {"Asthma": "yes", "Gout": "no", "Sinusitis": "yes", "Eczema": "no", "Migraine": "yes"}
    wall = (886, 100 + 56 * 3 + 3, 894, 100 + 56 * 4 - 3)
    problems = _read(_one_grid_page(rows, wall if broken else None))["medical_problems"]
    if broken:
        assert problems.needs_review and LOST_ROW_NOTE in (problems.reason or "")
    else:
        assert problems.value == "Asthma\nSinusitis\nMigraine" and not problems.needs_review


@pytest.mark.parametrize("broken", [False, True])
def test_a_grid_whose_column_of_conditions_was_not_found_flags_its_list(broken: bool) -> None:
    """A photo's vignette took the grid's left wall: its column of conditions closes no cells,
    the heading stands in none, and the grid is read as rows of answer cells after it, with no
    telling whether a half of it stands beside (one half went out alone, unflagged)."""
    rows = {"Asthma": "yes", "Gout": "no", "Eczema": "yes"}
    left_wall = (96, 96, 104, 100 + 56 * (len(rows) + 1) + 4)
    problems = _read(_one_grid_page(rows, left_wall if broken else None))["medical_problems"]
    assert problems.value == "Asthma\nEczema"
    assert problems.needs_review is broken
    assert (UNGRIDDED_NOTE in (problems.reason or "")) is broken


def test_a_heading_across_a_grid_is_never_an_answer() -> None:
    left = {"Asthma": "no", "Are you insured?": "yes", "Gout": "yes"}
    right = {"Eczema": "no", "Hepatitis B vaccinated?": "no", "Migraine": "no"}
    fields = _split_grid_page(left, right, bar="Immunizations and History")
    assert fields["has_medical_insurance"].value == "Yes"
    assert fields["hepatitis_b_vaccination"].value == "No"


def _insurance_in_a_grid(draw_lost: bool) -> dict[str, FieldResult]:
    """Questions answered in boxes printed in a grid's answer cells. In the row "Are you
    insured?" (answered Yes) the scan lost a box: the unticked one, or with ``draw_lost`` the
    ticked one, whose cross ran far out of it so no box is found there."""
    page = DrawnPage(1400, 600)
    page.table(40, 60, [680, 110, 110], [56] * 4, width=2)
    page.text(50, 72, "Question")
    page.text(760, 72, "Yes")
    page.text(870, 72, "No")
    rows = {"Do you smoke?": "no", "Are you insured?": "yes", "Hepatitis B vaccinated?": "no"}
    for row, (question, answer) in enumerate(rows.items(), 1):
        y = 60 + 56 * row
        page.text(50, y + 12, question)
        for column, x in (("yes", 773), ("no", 883)):
            lost = question == "Are you insured?" and (column == answer) == draw_lost
            if not lost:
                page.checkbox(x, y + 15, "cross" if column == answer else "empty")
            elif draw_lost:
                page.cross(x - 4, y + 2, x + 40, y + 50)  # a cross far larger than a box
    page.text(40, 420, "Allergies: Peanuts")
    return _read(page)


def test_a_grid_question_whose_unticked_box_was_lost_is_answered_by_its_ticked_column_flagged() -> None:
    """The ticked box's column still answers, and the clerk is asked to check."""
    fields = _insurance_in_a_grid(draw_lost=False)
    insured = fields["has_medical_insurance"]
    assert insured.value == "Yes"
    assert insured.needs_review and "one box of the row" in (insured.reason or "")
    assert fields["hepatitis_b_vaccination"].value == "No"
    assert not fields["hepatitis_b_vaccination"].needs_review


def test_a_grid_question_whose_ticked_box_was_lost_is_answered_by_its_other_column_flagged() -> None:
    """The row's one box found is empty: the answer is the other column's, to be checked."""
    insured = _insurance_in_a_grid(draw_lost=True)["has_medical_insurance"]
    assert insured.value == "Yes"
    assert insured.needs_review and "other column" in (insured.reason or "")


def _grid_with_headers(yes: str, no: str, unsure: str | None = None) -> dict[str, FieldResult]:
    page = DrawnPage(1400, 600)
    page.text(100, 40, "Medical history:")
    page.table(100, 100, [560, 140, 140] + ([140] if unsure is not None else []), [56] * 4, width=2)
    page.text(110, 112, "Have you ever had")
    page.text(676, 112, yes)
    page.text(816, 112, no)
    if unsure is not None:
        page.text(956, 112, unsure)
    for row, (name, answer) in enumerate({"Asthma": "yes", "Diabetes": "no", "Gout": "yes"}.items(), 1):
        y = 100 + 56 * row
        page.text(110, y + 12, name)
        x = 710 if answer == "yes" else 850
        page.cross(x, y + 10, x + 36, y + 42)
    page.text(100, 420, "Allergies: Peanuts")
    return _read(page)


def test_a_grid_whose_yes_column_is_not_read_takes_it_as_the_no_column_s_other_flagged() -> None:
    problems = _grid_with_headers("Sí", "No")["medical_problems"]
    assert problems.value == "Asthma\nGout"
    assert problems.needs_review and "opposite" in (problems.reason or "")


def test_a_grid_of_three_answers_whose_yes_column_is_not_read_flags_the_list() -> None:
    problems = _grid_with_headers("Sí", "No", "Unsure")["medical_problems"]
    assert problems.value == ""  # which column says yes is not known: nothing is listed
    assert problems.needs_review and "no Yes column" in (problems.reason or "")


def _two_groups_page(left: dict[str, str], right: dict[str, str]) -> dict[str, FieldResult]:
    """One ruled grid asking two groups of conditions side by side ("Illness | Yes | No |
    Illness | Yes | No"), under a heading printed a little above it; an X in one cell of each
    row."""
    page = DrawnPage(1900, 700)
    page.text(60, 40, "Medical history (mark Yes or No)")
    top = 100
    widths = [540, 150, 150]
    page.table(60, top, widths * 2, [56] * (max(len(left), len(right)) + 1), width=2)
    for group, answers in enumerate((left, right)):
        x = 60 + sum(widths) * group
        for text, dx in (("Illness", 10), ("Yes", 556), ("No", 706)):
            page.text(x + dx, top + 12, text)
        for row, (name, answer) in enumerate(answers.items(), 1):
            y = top + 56 * row
            page.text(x + 10, y + 12, name)
            cx = x + 596 if answer == "yes" else x + 746
            page.cross(cx, y + 10, cx + 36, y + 42)
    page.text(60, 560, "Allergies: Peanuts")
    return _read(page)


def test_a_grid_of_two_groups_side_by_side_answers_each_row_in_its_own_group() -> None:
    """Each condition is answered in the Yes / No cells of its own group, not in the other
    group's on the same row; the grid under its heading is the heading's list; a condition
    that is a field of its own (chickenpox) answers that field."""
    left = {"Asthma": "no", "Chickenpox (varicella)": "no", "Epilepsy": "no"}
    right = {"Migraine": "yes", "Gout": "yes", "Anemia": "no"}
    fields = _two_groups_page(left, right)
    assert fields["medical_problems"].value == "Migraine\nGout"
    assert fields["chickenpox"].value == "NOT IMMUNE"
    assert fields["allergies"].value == "Peanuts"


def test_a_tick_ocr_read_as_letters_is_still_the_cell_s_mark() -> None:
    """A tick drawn in a Yes or No cell that OCR read surely as a word of two letters ("Jv"):
    one stroke of ink, where print is letters apart, so the cell is still an answer cell."""
    from extraction.types import Word

    def tick(page: DrawnPage, x: int, y: int) -> None:
        page.line(x + 16, y + 28, x + 26, y + 44, width=4)
        page.line(x + 26, y + 44, x + 46, y + 8, width=4)
        page.words.append(Word("Jv", 0.68, (x + 14, y + 6, x + 48, y + 46)))

    assert _answer_grid(tick)["medical_problems"].value == "Asthma\nGout"


def test_a_short_group_s_empty_last_row_parts_the_row_and_a_ticked_row_read_as_nothing_is_flagged() -> None:
    """The second group is a row shorter: the last row's empty question cell still parts the
    first group's answer from the second's empty cells. A ticked row whose condition was not
    read is passed over, and the list flagged."""
    left = {"Asthma": "no", "Migraine": "yes", "Back pain": "yes"}
    right = {"Gout": "no", "Eczema": "no"}
    problems = _two_groups_page(left, right)["medical_problems"]
    assert problems.value == "Migraine\nBack pain"
    problems = _two_groups_page(left, {"Gout": "no", " ": "yes"})["medical_problems"]
    assert problems.value == "Migraine\nBack pain" and problems.needs_review
    assert "read as no condition" in (problems.reason or "")


def _list_with_other(other_boxed: bool, ticked: set[str]) -> dict[str, FieldResult]:
    """A list of conditions in one column, then its "Other" line: a box of its own ticked with
    what is written after it, or a line with no box under the list."""
    page = DrawnPage(height=700)
    page.text(60, 60, "Medical history (check all that apply):")
    for row, name in enumerate(("Asthma", "Gout", "Eczema")):
        page.checkbox(60, 130 + 60 * row, "cross" if name in ticked else "empty")
        page.text(100, 128 + 60 * row, name)
    if other_boxed:
        page.checkbox(60, 310, "cross")
        page.text(100, 308, "Other: Psoriasis")
    else:
        page.text(60, 308, "Other (specify): Psoriasis")
    page.text(60, 420, "Allergies: Peanuts")
    return _read(page)


def test_a_ticked_other_box_gives_what_is_written_after_it() -> None:
    fields = _list_with_other(other_boxed=True, ticked={"Gout"})
    assert fields["medical_problems"].value == "Gout\nPsoriasis"


def test_what_is_written_on_the_other_line_under_a_list_is_one_more_item_flagged() -> None:
    fields = _list_with_other(other_boxed=False, ticked={"Asthma", "Eczema"})
    assert fields["medical_problems"].value == "Asthma\nEczema\nPsoriasis"
    assert fields["medical_problems"].needs_review
    assert fields["allergies"].value == "Peanuts"


@pytest.mark.parametrize("broken", [False, True])
def test_a_row_of_a_grid_s_second_half_whose_answers_were_not_found_flags_the_list(broken: bool) -> None:
    """One grid printed in halves side by side, "Have you ever had | Y | N" twice: damage took
    the wall between the Y and N cells of "Gout" (ticked) in the right half. The answers found
    left of it, the left half's, are no answers of its row: the list is flagged."""
    page = DrawnPage(2000, 600)
    page.table(40, 100, [560, 110, 110, 560, 110, 110], [56] * 4, width=2)
    for x in (40, 820):
        for dx, text in ((10, "Have you ever had"), (580, "Y"), (690, "N")):
            page.text(x + dx, 112, text)
    left, right = (
        {"Asthma": "yes", "Eczema": "no", "Migraine": "no"},
        {"Gout": "yes", "Anemia": "no", "Acne": "no"},
    )
    for row, pair in enumerate(zip(left.items(), right.items(), strict=True), 1):
        y = 100 + 56 * row
        for x, (name, answer) in zip((40, 820), pair, strict=True):
            page.text(x + 10, y + 12, name)
            cx = x + 576 if answer == "yes" else x + 686
            page.cross(cx, y + 10, cx + 36, y + 42)
    if broken:
        page.draw.rectangle((1486, 100 + 56 + 3, 1494, 100 + 112 - 3), fill=255)
    page.text(40, 450, "Allergies: Peanuts")
    problems = _read(page)["medical_problems"]
    if broken:
        assert problems.needs_review and LOST_ROW_NOTE in (problems.reason or "")
    else:
        assert problems.value == "Asthma\nGout" and not problems.needs_review
