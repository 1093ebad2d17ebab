"""Options printed in cells and ticked beside their words: a question printed left of a row
of ruled cells, each holding one option ("Immune | Not immune ✓ | Unknown"), answered by a tick
or cross drawn in the chosen option's cell, before or after its words. The ticked option is
reported as a selected mark of shape "kept" whose option is its words (as an option left
standing among struck ones: ``extraction.structure.strikes``).

OCR reads such a tick as a letter or two it is unsure of ("v", "JV", "4"), or not at all: a
cell's option is its surely read words, and its mark is one stroke of ink beside them. A row
answers only when every cell tells plainly (no stroke, or one) and exactly one cell is ticked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import cv2
import numpy as np

from extraction.structure.geometry import overlap_area
from extraction.structure.ink import components
from extraction.structure.types import Cell, SelectionMark
from extraction.structure.words import asked_beside, is_sure_word
from extraction.types import Word, union_box

# A tick or cross is a stroke at least this many text heights high, and a word at most this
# many wide (an unread option word is wider, or is letters apart).
MIN_TICK_HEIGHTS = 0.6
MAX_TICK_WIDTHS = 2.0
# Pixels in from a cell's interior edge, clear of its border's blur; and the gap, in text
# heights, left between an option's words and a stroke beside them.
INSET = 3
WORD_CLEARANCE = 0.15
# A row of option cells: each at most this many text heights tall, and at most this many words.
MAX_ROW_HEIGHTS = 3.0
MAX_OPTION_WORDS = 3
# How sure a ticked option is: the tick is plain, the option's words may be misread.
TICK_CONFIDENCE = 0.85


def ticked_cells(
    ink: np.ndarray,
    height: float,
    cells: Sequence[Cell],
    marks: Sequence[SelectionMark],
    words: Sequence[Word],
) -> tuple[SelectionMark, ...]:
    """The ticked option of each row of option cells with its question printed left of it."""
    rows: dict[tuple[int, int], list[Cell]] = defaultdict(list)
    for cell in cells:
        if cell.box[3] - cell.box[1] <= MAX_ROW_HEIGHTS * height:
            rows[(cell.table, cell.row)].append(cell)
    sure = [w for w in words if is_sure_word(w)]
    sure_boxes = [w.box for w in sure]
    found = []
    for row in rows.values():
        if len(row) < 2 or any(overlap_area(c.box, m.box) > 0 for c in row for m in marks):
            continue
        readings = [_read_cell(ink, cell, sure, height) for cell in sorted(row, key=lambda c: c.box[0])]
        if any(reading is None for reading in readings):
            continue
        ticked = [reading[0] for reading in readings if reading is not None and reading[1]]
        if len(ticked) == 1 and asked_beside([c.box for c in row], sure_boxes):
            option = ticked[0]
            box = union_box([w.box for w in option])
            assert box is not None
            text = " ".join(w.text for w in option)
            found.append(SelectionMark(box, "kept", True, text, box, TICK_CONFIDENCE))
    return tuple(found)


def _read_cell(
    ink: np.ndarray, cell: Cell, sure: Sequence[Word], height: float
) -> tuple[list[Word], bool] | None:
    """A cell's option words and whether one stroke stands beside them; None when the cell
    holds no option read surely, too many words, or more than one stroke (an option word OCR
    did not read surely is letters apart, and cannot be told from a tick)."""
    x0, y0, x1, y1 = cell.box
    option = [
        w for w in sure if x0 <= (w.box[0] + w.box[2]) / 2 <= x1 and y0 <= (w.box[1] + w.box[3]) / 2 <= y1
    ]
    if not option or len(option) > MAX_OPTION_WORDS:
        return None
    clearance = round(WORD_CLEARANCE * height)
    left = min(w.box[0] for w in option) - clearance
    right = max(w.box[2] for w in option) + clearance
    strokes = 0
    for a, b in ((x0 + INSET, left), (right, x1 - INSET)):
        crop = ink[y0 + INSET : y1 - INSET, max(a, 0) : max(b, 0)]
        if crop.size == 0:
            continue
        _, _, stats, _ = components(crop)
        tall = stats[1:, cv2.CC_STAT_HEIGHT] >= MIN_TICK_HEIGHTS * height
        if (stats[1:, cv2.CC_STAT_WIDTH][tall] > MAX_TICK_WIDTHS * height).any():
            return None
        strokes += int(tall.sum())
    if strokes > 1:
        return None
    return option, strokes == 1
