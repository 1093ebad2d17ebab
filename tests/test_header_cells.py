"""Column names the page pass left unread over a grid's answers (extraction/header_cells.py), on
drawn pages read by real tesseract."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from extraction.header_cells import unread_header_cells, with_header_cells, without_marks_on_header_names
from extraction.layout import group_lines
from extraction.ocr import read_region
from extraction.options import DEFAULT_OPTIONS
from extraction.structure import find_structure
from extraction.structure.types import SelectionMark
from extraction.types import PageText, Word
from tests.drawn_pages import DrawnPage

COLUMNS = [520, 110, 110]
ROWS = [60, 60, 60, 60]


def _history_grid() -> tuple[np.ndarray, list[Word]]:
    """A "Condition | Y | N" grid, three conditions each with an X in one answer column; the
    words given are what the page pass read: the conditions, not the lone "Y" and "N"."""
    page = DrawnPage(1000, 400)
    page.table(60, 40, COLUMNS, ROWS)
    read = page.text(75, 52, "Condition")
    page.text(620, 52, "Y")
    page.text(730, 52, "N")
    for row, (condition, yes) in enumerate((("Asthma", True), ("Gout", False), ("Anxiety", True))):
        top = 40 + 60 * (row + 1)
        read += page.text(75, top + 12, condition)
        left = 580 if yes else 690
        page.cross(left + 35, top + 15, left + 75, top + 45)
    return page.array(), read


def _page(words: list[Word]) -> PageText:
    return PageText(0, tuple(group_lines(words)), 1000, 400)


def test_the_lone_letters_over_a_grid_s_answer_columns_are_read_on_their_own() -> None:
    image, words = _history_grid()
    page = _page(words)
    structure = find_structure(image, words)
    cells = unread_header_cells(structure, page)
    assert len(cells) == 2  # "Y" and "N"; "Condition" was read, and no marks stand under it
    named = with_header_cells(page, cells, lambda box: read_region(image, box, 300, DEFAULT_OPTIONS, "line"))
    assert sorted(w.text for line in named.lines for w in line.words if len(w.text) == 1) == ["N", "Y"]


def test_a_first_row_with_no_answers_under_it_is_left_as_read() -> None:
    page = DrawnPage(1000, 300)
    page.table(60, 40, [300, 300], [60, 60])
    words = page.text(75, 52, "TEL") + page.text(375, 52, "272-254-2601", confidence=0.5)
    words += page.text(75, 112, "NAME") + page.text(375, 112, "Ann Lee")
    image = page.array()
    assert unread_header_cells(find_structure(image, words), _page(words)) == []


def test_a_mark_found_on_a_column_s_name_is_no_mark() -> None:
    """The strokes of an "N" closed into an outline taken for a filled radio button: with the
    word read over it, in the grid's first row, it is the column's name."""
    image, words = _history_grid()
    words = [*words, Word("N", 0.92, (732, 56, 752, 82))]
    structure = find_structure(image, words)
    letter = SelectionMark((731, 55, 753, 83), "circle", True, "", None, 0.9)
    seen = replace(structure, marks=(*structure.marks, letter))
    kept = without_marks_on_header_names(seen, _page(words))
    assert letter not in kept.marks
    assert [m for m in kept.marks if m.shape == "cell"] == [m for m in structure.marks if m.shape == "cell"]
