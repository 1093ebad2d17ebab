"""A table's cells the page pass read unsurely or not at all, read again one by one.

Tesseract's page pass reads a table's handwritten or damaged rows far worse than it reads the
same cell cropped on its own: the walls are gone and the cell holds one line. On a clean
discharge table written in a cursive hand the page pass read nothing of "Duloxetine" and "omy"
for "60 mg", where the second reader on each cell read "Duloxetine" and "60 mg". So each body
cell (under a row of column names) holding one line of unsure words, or print and no word, is
read by the second reader; its words replace the page pass's when surer on average.

A cell reading is no more trusted than the readings agree: it is compared with tesseract's own
reading of the crop, and when the two disagree the words keep a confidence under review, so the
field they go to is flagged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

import numpy as np

from extraction.header_cells import SURE_CONFIDENCE, inner_box, with_cell_words
from extraction.labels_again import read_box, spread_over
from extraction.ocr import holds_print, read_region
from extraction.options import Options
from extraction.readings_agree import letters
from extraction.structure import PageStructure
from extraction.types import Box, PageText, Word, centre_inside, mean_confidence
from extraction.value_crop import ink_within

# A table has column names when this many of its first-row cells hold words read surely.
MIN_NAMED_COLUMNS = 2
# A cell's interior is read only when at least this many pixels wide and high.
MIN_INSIDE = 4
# The confidence the words of a cell reading keep when tesseract read the crop otherwise: under
# the review threshold (0.80), so the field is flagged whichever reading is right, as a value
# the second look takes from the second reader is (``extraction.weigh_readings``).
DISAGREED_CONFIDENCE = 0.79

CellReader = Callable[[Box], list[Word]]


def table_cells_read_again(
    read: np.ndarray, page: PageText, structure: PageStructure, dpi: int, options: Options
) -> PageText:
    """``page`` with its tables' unsure cells (``unsure_body_cells``) read again on ``read``, the
    image tesseract read at ``dpi`` (``with_body_cells``); ``page`` itself when none changes."""

    def holds(box: Box) -> bool:
        return holds_print(read[box[1] : box[3], box[0] : box[2]], options.text_height)

    cells = unsure_body_cells(structure, page, holds)
    if not cells:
        return page
    return with_body_cells(
        page,
        cells,
        lambda box: read_cell(read, box),
        lambda box: read_region(read, box, dpi, options, "line"),
    )


def unsure_body_cells(
    structure: PageStructure, page: PageText, holds_print: Callable[[Box], bool]
) -> list[Box]:
    """The cells under a table's column names that hold no selection mark and either one line
    of words read unsurely (under ``SURE_CONFIDENCE`` on average, the sureness that leaves a
    grid's column name as read) or no word but print
    (``holds_print``, asked of the cell's interior)."""
    words = page.words
    named = _named_tables(structure, words)
    marks = [m.box for m in structure.marks]
    return [
        cell.box
        for cell in structure.cells
        if cell.row > 0
        and cell.table in named
        and _room_inside(cell.box)
        and not any(centre_inside(m, cell.box) for m in marks)
        and _unsure([w for w in words if centre_inside(w.box, cell.box)], cell.box, holds_print)
    ]


def _room_inside(box: Box) -> bool:
    """True when the cell's interior is at least MIN_INSIDE pixels each way (a narrow column's
    walls may leave nothing between their margins)."""
    x0, y0, x1, y1 = inner_box(box)
    return x1 - x0 >= MIN_INSIDE and y1 - y0 >= MIN_INSIDE


def _unsure(there: Sequence[Word], box: Box, holds_print: Callable[[Box], bool]) -> bool:
    if there:
        return _one_line(there) and mean_confidence(there) < SURE_CONFIDENCE
    return holds_print(inner_box(box))


def _named_tables(structure: PageStructure, words: Sequence[Word]) -> set[int]:
    """The tables with words read surely in ``MIN_NAMED_COLUMNS`` or more first-row cells."""
    sure = [w for w in words if w.confidence >= SURE_CONFIDENCE and any(ch.isalpha() for ch in w.text)]
    named = Counter(
        cell.table
        for cell in structure.cells
        if cell.row == 0 and any(centre_inside(w.box, cell.box) for w in sure)
    )
    return {table for table, count in named.items() if count >= MIN_NAMED_COLUMNS}


def _one_line(words: Sequence[Word]) -> bool:
    """True when the words stand on one row: a band of the page crosses every one of them."""
    top = max(w.box[1] for w in words)
    bottom = min(w.box[3] for w in words)
    return top < bottom


def with_body_cells(page: PageText, cells: Sequence[Box], second: CellReader, first: CellReader) -> PageText:
    """``page`` with the interior of each of ``cells`` read by the ``second`` reader: its words
    replace those the page pass read there when surer on average, at DISAGREED_CONFIDENCE at most
    when neither the page pass nor tesseract's reading of the crop (``first``, asked only then)
    read the same letters; ``page`` itself when nothing changes."""

    def reading(box: Box, there: list[Word]) -> list[Word]:
        inner = inner_box(box)
        found = [w for w in second(inner) if any(ch.isalnum() for ch in w.text)]
        if mean_confidence(found) <= mean_confidence(there):
            return []
        text = _text(found)
        if letters(text) != letters(_text(there)) and letters(text) != letters(_text(first(inner))):
            return [Word(w.text, min(w.confidence, DISAGREED_CONFIDENCE), w.box) for w in found]
        return found

    return with_cell_words(page, cells, reading)


def read_cell(image: np.ndarray, box: Box) -> list[Word]:
    """The second reader's reading of ``box`` of a page's ``image``, its words laid over the
    writing in it, not over the whole box: a short value in a wide cell, spread across it, would
    stand in words too far apart to be one line."""
    words, ink = read_box(image, box), ink_within(image, box)
    if not words or ink is None:
        return words
    return spread_over(" ".join(w.text for w in words), words[0].confidence, ink)


def _text(words: Sequence[Word]) -> str:
    return " ".join(w.text for w in sorted(words, key=lambda w: w.box[0]))
