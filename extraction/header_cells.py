"""Column headers the page pass left unread or misread: a table's first-row cells.

Tesseract's page segmentation often drops a lone letter or two in a box of their own (the "Y"
and "N" over the answer columns of a medical history grid, a "#" or "M / F"), or reads them
run into the cell's walls and the column of boxes under them ("m Ww" for "YES"). Without them
the grid's columns have no names and its ticks answer nothing. Each such cell (no word, or a
word read unsure) is read again on its own (``extraction.ocr.read_region``, a crop with a white
margin, where a short word reads well), and its reading replaces the page pass's when surer.
Only the first row is read: the cells below are answers, where a tick read as an "X" would hide
the mark.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from extraction.layout import group_lines
from extraction.structure import PageStructure
from extraction.structure.rings import TICKS
from extraction.types import Box, PageText, Word, centre_inside, mean_confidence

# A cell holding a word read at least this sure is left as the page pass read it.
SURE_CONFIDENCE = 0.9
# A word read in a header cell is taken at this confidence or more, when it holds a letter or a
# digit (a wall of the cell or a speck is read as a lone mark, unsure).
MIN_CONFIDENCE = 0.8
# A column of answers has a mark in at least this many rows under its name (one box beside a
# question is an answer of its own row, not a column's).
MIN_ANSWER_ROWS = 2
# The crop leaves out this share of the cell's height on every side: its walls' antialiasing.
WALL_SHARE = 0.12
# What a tick or a cross in a cell is read as (a ring's ``TICKS``, and "v"): never a column's name.
MARK_READINGS = frozenset({tick.casefold() for tick in TICKS} | {"v"})

CellReader = Callable[[Box], list[Word]]


def unread_header_cells(structure: PageStructure, page: PageText) -> list[Box]:
    """The interiors of the first-row cells over a column of answers (selection marks in
    ``MIN_ANSWER_ROWS`` or more cells under it) that hold no word or only words read unsure,
    and are no answer cell themselves: the names of a grid's answer columns. (A first row of
    labels and values, "TEL | 272-254-2601", has no marks under it and is left as read.)"""
    words = page.words
    answer_cells = [m.box for m in structure.marks if m.shape == "cell"]
    return [
        box
        for box in _column_names(structure)
        if not any(centre_inside(mark, box) for mark in answer_cells)
        and _unsure([w for w in words if centre_inside(w.box, box)])
    ]


def _column_names(structure: PageStructure) -> list[Box]:
    """The first-row cells over a column of answers: a mark in ``MIN_ANSWER_ROWS`` or more of
    the column's cells under it."""
    marks = [m.box for m in structure.marks]
    marked = Counter(
        (cell.table, cell.col)
        for cell in structure.cells
        if cell.row > 0 and any(centre_inside(box, cell.box) for box in marks)
    )
    return [
        cell.box
        for cell in structure.cells
        if cell.row == 0 and marked[(cell.table, cell.col)] >= MIN_ANSWER_ROWS
    ]


def with_header_cells(page: PageText, cells: Sequence[Box], read: CellReader) -> PageText:
    """``page`` with each of ``cells`` read by ``read``: its words (sure, holding a letter or a
    digit, no mark) replace those the page pass read there when they are surer on average;
    ``page`` itself when nothing changes."""

    def reading(box: Box, there: list[Word]) -> list[Word]:
        found = [w for w in read(inner_box(box)) if _a_name(w)]
        return found if mean_confidence(found) > mean_confidence(there) else []

    return with_cell_words(page, cells, reading)


def inner_box(box: Box) -> Box:
    """A cell's box without its walls' antialiasing (``WALL_SHARE`` of its height each side)."""
    margin = round(WALL_SHARE * (box[3] - box[1]))
    return (box[0] + margin, box[1] + margin, box[2] - margin, box[3] - margin)


def with_cell_words(
    page: PageText, cells: Sequence[Box], reading: Callable[[Box, list[Word]], list[Word]]
) -> PageText:
    """``page`` with the words in each of ``cells`` replaced by ``reading(cell, its words)``
    where that gives any (each cell's a line of its own); ``page`` itself when none does."""
    words = page.words
    offset = 1 + max((w.line for w in words), default=0)
    changed = False
    for number, box in enumerate(cells):
        there = [w for w in words if centre_inside(w.box, box)]
        found = reading(box, there)
        if not found:
            continue
        words = [w for w in words if w not in there]
        words += [Word(w.text, w.confidence, w.box, offset + number) for w in found]
        changed = True
    if not changed:
        return page
    return PageText(page.index, tuple(group_lines(words)), page.width, page.height)


def _unsure(words: Sequence[Word]) -> bool:
    return all(w.confidence < SURE_CONFIDENCE for w in words)


def without_marks_on_header_names(structure: PageStructure, page: PageText) -> PageStructure:
    """``structure`` without the round or square marks that are a column's name: a mark in the
    first-row cell over a column of answers with a word read surely over it (an "N", whose
    strokes close into an outline that passes for a filled radio button, would else hide its
    own word as a mark's)."""
    words = [w for w in page.words if _a_name(w) and w.confidence >= SURE_CONFIDENCE]
    names = _column_names(structure)
    kept = tuple(
        mark
        for mark in structure.marks
        if mark.shape == "cell"
        or not any(centre_inside(mark.box, cell) for cell in names)
        or not any(centre_inside(w.box, mark.box) for w in words)
    )
    return structure if len(kept) == len(structure.marks) else replace(structure, marks=kept)


def _a_name(word: Word) -> bool:
    text = word.text.strip()
    return (
        word.confidence >= MIN_CONFIDENCE
        and any(ch.isalnum() for ch in text)
        and text.casefold() not in MARK_READINGS
    )
