"""The cells of answer grids, marked with an X or a tick drawn in them: selection marks whose
shape is the cell (``SelectionMark.shape == "cell"``); their option is their column's header."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from extraction.structure.geometry import area, overlap_area
from extraction.structure.ink import binary, components
from extraction.structure.types import Cell, SelectionMark
from extraction.structure.words import asked_beside, is_sure_word
from extraction.types import Box, Word

# A cell of an answer grid is at most this many text heights wide (as wide as a header of two
# short words, "Had it / immune", with its padding); the X or tick drawn in it is a stroke at
# least this many text heights high (specks are far smaller).
MAX_ANSWER_CELL_HEIGHTS = 12.0
# A grid's rows may be set roomy for a pen: up to this many text heights tall.
MAX_ANSWER_ROW_HEIGHTS = 4.5
MIN_CELL_MARK_HEIGHTS = 0.5
# A wider cell is still an answer cell when its row holds a cell this many times as wide (the
# question's: a landscape grid, or one set roomy, spreads its answer columns; a form's value
# cells are as wide as their labels' or wider).
QUESTION_WIDTH_RATIO = 3.0
MARK_GLYPHS = "xXvV✓✔✗✘/\\|"
# A stroke this many text heights high is a letter's (or a mark's), not a speck.
LETTER_STROKE_HEIGHTS = 0.3


def answer_cells(
    gray: np.ndarray,
    threshold: int,
    height: float,
    cells: Sequence[Cell],
    marks: Sequence[SelectionMark],
    words: Sequence[Word],
) -> tuple[SelectionMark, ...]:
    """The cells of answer grids: two or more small cells of a table row holding no text and no
    checkbox, side by side (no cell of print between them), with the row's question written
    left of them, not all of them inked; marked when an X or a tick is drawn in one (a stroke
    at least ``MIN_CELL_MARK_HEIGHTS`` high). Which option a cell answers is read from its
    column's header."""
    ink = binary(gray, threshold)
    # An X or a tick read as letters ("Xx", "v", "Jv") is the mark itself, not text in the
    # cell: one stroke of ink, where print is letters apart.
    sure = [
        w.box
        for w in words
        if is_sure_word(w) and w.text.strip(MARK_GLYPHS) and _letters_apart(ink, w.box, height)
    ]
    found: list[tuple[Cell, SelectionMark]] = []
    widest: dict[tuple[int, int], int] = {}
    for cell in cells:
        key = (cell.table, cell.row)
        widest[key] = max(widest.get(key, 0), cell.box[2] - cell.box[0])
    for cell in cells:
        x0, y0, x1, y1 = cell.box
        narrow = x1 - x0 <= MAX_ANSWER_CELL_HEIGHTS * height or (
            QUESTION_WIDTH_RATIO * (x1 - x0) <= widest[(cell.table, cell.row)]
        )
        if not narrow or y1 - y0 > MAX_ANSWER_ROW_HEIGHTS * height:
            continue
        if any(overlap_area(cell.box, m.box) > 0 for m in marks) or any(
            overlap_area(cell.box, box) >= 0.5 * area(box) for box in sure
        ):
            continue
        # The cell's box is its interior already: a few pixels in clears the border's blur.
        inset = 3
        crop = ink[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
        if crop.size == 0:
            continue
        count, _, stats, _ = components(crop)
        tallest = int(stats[1:, cv2.CC_STAT_HEIGHT].max()) if count > 1 else 0
        selected = tallest >= MIN_CELL_MARK_HEIGHTS * height
        found.append((cell, SelectionMark(cell.box, "cell", selected, "", None, 1.0)))
    # An answer grid's row: two or more such cells, with its question written left of them.
    rows: dict[tuple[int, int], list[SelectionMark]] = {}
    for cell, mark in found:
        rows.setdefault((cell.table, cell.row), []).append(mark)
    answers: list[SelectionMark] = []
    for key, marks_of_row in rows.items():
        for row in _side_by_side(marks_of_row, cells, key):
            if _asked(row, sure, cells, key):
                answers += row
    return tuple(answers)


def _asked(row: list[SelectionMark], sure: list[Box], cells: Sequence[Cell], key: tuple[int, int]) -> bool:
    """True for a row of answer cells that answers a question: printed left of it, level with it
    (``asked_beside``), or in a cell of its own table row left of it (on a skewed page a wide
    question cell drifts off the level of the answers' middle; it stays in their row); with
    ink in some cells but not all (ink in every cell of a row is print, a header row whose
    words OCR dropped: one question is answered in one of its cells)."""
    if len(row) < 2 or all(m.selected for m in row):
        return False
    left = min(m.box[0] for m in row)
    own_row = [c.box for c in cells if (c.table, c.row) == key and c.box[2] <= left]
    return asked_beside([m.box for m in row], sure) or any(
        overlap_area(box, cell) >= 0.5 * area(box) for box in sure for cell in own_row
    )


def _letters_apart(ink: np.ndarray, box: tuple[int, int, int, int], height: float) -> bool:
    """True when the ink inside ``box`` is two or more strokes of a letter's size (a word's
    letters stand apart), not one stroke (a tick or cross OCR read as letters)."""
    x0, y0, x1, y1 = (max(0, v) for v in box)
    crop = ink[y0:y1, x0:x1]
    if crop.size == 0:
        return False
    _count, _, stats, _ = components(crop)
    strokes = stats[1:, cv2.CC_STAT_HEIGHT] >= LETTER_STROKE_HEIGHTS * height
    return int(strokes.sum()) >= 2


def _side_by_side(
    row: Sequence[SelectionMark], cells: Sequence[Cell], table_row: tuple[int, int]
) -> list[list[SelectionMark]]:
    """The answer cells of one table row in runs of neighbours: a cell of print between two of
    them ("Policy # | _ | Expiry | _") parts them, as two questions on one row are parted."""
    others = [c.box for c in cells if (c.table, c.row) == table_row and c.box not in {m.box for m in row}]
    runs: list[list[SelectionMark]] = []
    for mark in sorted(row, key=lambda m: m.box[0]):
        if runs and not any(runs[-1][-1].box[2] <= box[0] and box[2] <= mark.box[0] for box in others):
            runs[-1].append(mark)
        else:
            runs.append([mark])
    return runs
