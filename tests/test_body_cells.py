"""A table's cells read unsurely or not at all, read again one by one (extraction/body_cells.py),
on drawn pages: which cells are read, how two readings weigh, and real readers on a drawn table."""

from __future__ import annotations

import numpy as np
import pytest

from extraction.body_cells import DISAGREED_CONFIDENCE, read_cell, unsure_body_cells, with_body_cells
from extraction.layout import group_lines
from extraction.ocr import holds_print, read_region
from extraction.options import DEFAULT_OPTIONS
from extraction.structure import find_structure
from extraction.types import Box, PageText, Word
from tests.drawn_pages import DrawnPage

COLUMNS = [300, 180, 520]
ROWS = [60, 60, 60, 60]
TOP = 40


def _medication_table() -> tuple[np.ndarray, list[Word]]:
    """ "Medication | Dose | Directions" and two rows, with the words the page pass read: the
    first medicine not at all, its dose as "omy", the second row surely; the third row empty."""
    page = DrawnPage(1100, 320)
    page.table(60, TOP, COLUMNS, ROWS)
    read = page.text(75, 52, "Medication") + page.text(375, 52, "Dose") + page.text(555, 52, "Directions")
    page.text(75, 112, "Duloxetine")
    page.text(375, 112, "60 mg")
    read += [Word("omy", 0.4, (375, 112, 440, 138))]
    read += page.text(555, 112, "Take 1 daily")
    read += (
        page.text(75, 172, "Metoprolol") + page.text(375, 172, "50 mg") + page.text(555, 172, "Take 2 daily")
    )
    return page.array(), read


def _page(words: list[Word]) -> PageText:
    return PageText(0, tuple(group_lines(words)), 1100, 320)


def _holds(image: np.ndarray):  # type: ignore[no-untyped-def]
    return lambda box: holds_print(image[box[1] : box[3], box[0] : box[2]], DEFAULT_OPTIONS.text_height)


def _cell_texts(page: PageText, boxes: list[Box]) -> list[str]:
    return [" ".join(w.text for w in page.words if _inside(w.box, box)) for box in boxes]


def _inside(word: Box, box: Box) -> bool:
    x, y = (word[0] + word[2]) / 2, (word[1] + word[3]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def test_the_unread_and_the_unsure_cells_of_a_named_table_are_read_again() -> None:
    image, words = _medication_table()
    cells = unsure_body_cells(find_structure(image, words), _page(words), _holds(image))
    # The unread medicine and the dose read "omy"; not the column names, not the sure cells,
    # not the empty row.
    assert [(box[0] // 10, box[1] // 10) for box in cells] == [(6, 10), (36, 10)]


def test_a_table_without_column_names_is_left_as_read() -> None:
    page = DrawnPage(1100, 320)
    page.table(60, TOP, COLUMNS, ROWS)
    words = [Word("Nane", 0.5, (75, 52, 160, 78))]
    words += [Word("omy", 0.4, (375, 112, 440, 138))]
    image = page.array()
    assert unsure_body_cells(find_structure(image, words), _page(words), _holds(image)) == []


@pytest.mark.parametrize(
    ("first", "confidence"),
    [("Duloxetine", 0.97), ("Dalocedine", DISAGREED_CONFIDENCE)],
    ids=["tesseract's crop agrees", "tesseract's crop disagrees"],
)
def test_a_cell_reading_is_trusted_as_far_as_the_readings_agree(first: str, confidence: float) -> None:
    image, words = _medication_table()
    page = _page(words)
    (cell, dose) = unsure_body_cells(find_structure(image, words), page, _holds(image))
    second = {cell: "Duloxetine", dose: "60 mg"}

    def second_reader(box: Box) -> list[Word]:
        text = next(t for c, t in second.items() if _inside(box, c))
        return [Word(text, 0.97, box)]

    def tesseract(box: Box) -> list[Word]:
        return [Word(first if _inside(box, cell) else "60 mg", 0.6, box)]

    again = with_body_cells(page, [cell, dose], second_reader, tesseract)
    assert _cell_texts(again, [cell, dose]) == ["Duloxetine", "60 mg"]
    assert [w.confidence for w in again.words if w.text == "Duloxetine"] == [confidence]
    assert [w.confidence for w in again.words if w.text == "60 mg"] == [0.97]  # tesseract agreed
    assert "omy" not in [w.text for w in again.words]


def test_a_cell_reading_no_surer_than_the_page_pass_leaves_the_page_as_read() -> None:
    image, words = _medication_table()
    page = _page(words)
    (_, dose) = unsure_body_cells(find_structure(image, words), page, _holds(image))
    assert with_body_cells(page, [dose], lambda box: [Word("omg", 0.3, box)], lambda box: []) is page


@pytest.mark.ocr
def test_real_readers_read_a_drawn_tables_cells_one_by_one() -> None:
    image, words = _medication_table()
    page = _page(words)
    cells = unsure_body_cells(find_structure(image, words), page, _holds(image))
    again = with_body_cells(
        page,
        cells,
        lambda box: read_cell(image, box),
        lambda box: read_region(image, box, 200, DEFAULT_OPTIONS, "line"),
    )
    assert _cell_texts(again, cells) == ["Duloxetine", "60 mg"]


@pytest.mark.ocr
def test_a_short_value_in_a_wide_cell_is_laid_over_its_writing() -> None:
    # Spread over the whole cell, "Apr 6, 2015" stood in three words 300 pixels apart, which
    # made three lines and lost the date.
    page = DrawnPage(1700, 200)
    page.table(40, 40, [400, 1200], [60, 60])
    page.text(450, 112, "Apr 6, 2015")
    image = page.array()
    words = read_cell(image, (445, 104, 1635, 156))
    assert " ".join(w.text for w in words) == "Apr 6, 2015"
    assert max(w.box[2] for w in words) < 700
    assert len(group_lines(words)) == 1


def test_a_column_narrower_than_its_margins_is_not_read_and_breaks_nothing() -> None:
    # OpenCV ended the process on the empty crop of such a cell.
    page = DrawnPage(1100, 320)
    page.table(60, TOP, [300, 8, 500], ROWS)
    words = page.text(75, 52, "Medication") + page.text(385, 52, "Directions")
    words += [Word("omy", 0.4, (75, 112, 140, 138))]
    image = page.array()
    cells = unsure_body_cells(find_structure(image, words), _page(words), _holds(image))
    assert all(box[2] - box[0] > 20 for box in cells)
    assert holds_print(image[100:100, 60:70], DEFAULT_OPTIONS.text_height) is False
