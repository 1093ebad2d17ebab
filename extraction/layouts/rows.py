"""Rows of a page: pieces that stand on one row, joined left to right.

A ruled table's row reaches the engine as one line per cell, and a row of checkboxes as
separate marks; learning and reading a layout both take a row as one thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from extraction.structure import PageStructure, SelectionMark
from extraction.structure.types import ANSWERED_IN_WORDS
from extraction.types import Box, Word, on_one_row, rows_left_to_right, union_box

# A piece joins a row when it shares this much of the shorter one's height with it. Half, not
# the usual third: a tall cell (a value and its descender, a wrapped line) shares a third of a
# column header's height above it and would chain the header into the first row under it.
ROW_SHARE = 0.5


def rows_of_lines(pieces: Iterable[tuple[Sequence[Word], Box]]) -> list[list[Word]]:
    """The words of ``pieces`` (each some words of a line, and that line's box), top to bottom,
    joined into rows: a piece sharing half its height (``ROW_SHARE``) with the words gathered
    so far joins them, and each row is kept left to right."""
    rows: list[list[Word]] = []
    for words, box in sorted(pieces, key=lambda piece: piece[1][1]):
        row = next((r for r in rows if on_one_row(_box_of(r), box, ROW_SHARE)), None)
        if row is None:
            rows.append(list(words))
        else:
            row.extend(words)
            row.sort(key=lambda w: w.box[0])
    return rows


def _box_of(row: list[Word]) -> Box:
    return union_box([w.box for w in row]) or row[0].box


def rows_of_marks(marks: Iterable[SelectionMark]) -> list[list[SelectionMark]]:
    """The marks grouped into rows, each left to right (``rows_left_to_right``)."""
    return rows_left_to_right(marks)


def boxed_marks(structure: PageStructure) -> list[SelectionMark]:
    """The page's boxes and circles to tick, without the loops drawn round chosen words: a
    loop stands where the chosen answer is printed, so where it is on one copy says nothing of
    which answer it is on another."""
    return [mark for mark in structure.marks if mark.shape not in ANSWERED_IN_WORDS]
