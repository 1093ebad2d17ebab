"""One row of a ruled table that asks several questions side by side.

A history form saves paper by printing its conditions in two or three groups across the page,
one header for all ("Condition | Yes | No | Condition | Yes | No"): a row of the table then
holds the answer cells of two questions. The answers of one question are the marks from its
own cell up to the next question's cell: a ruled cell with no mark in it between two marks
(however its print was read, or left empty at the end of a short group) starts another
question, and so does print in a cell of its own. Options printed beside their boxes
("[x] Yes [ ] No") share their box's cell or stand in no cell, and split nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from extraction.structure.types import Cell, PageStructure, SelectionMark
from extraction.types import Word, on_one_row

# Print of at least this many letters is a question's (a stray speck read as "l" is not).
QUESTION_LETTERS = 2


def answer_groups(
    row: Sequence[SelectionMark], words: Sequence[Word], structure: PageStructure
) -> list[list[SelectionMark]]:
    """``row`` (marks on one row, left to right) split before every mark that has a question
    of its own left of it since the mark before: a ruled cell holding no mark stands between
    the two (the next question's cell, its print read or not, or left empty), or print of its
    own cell does. The groups left to right."""
    if not row:
        return []
    marked = structure.marked_cells
    groups = [[row[0]]]
    for before, after in itertools.pairwise(row):
        if _question_between(before, after, words, marked, structure):
            groups.append([after])
        else:
            groups[-1].append(after)
    return groups


def _question_between(
    before: SelectionMark,
    after: SelectionMark,
    words: Sequence[Word],
    marked: frozenset[Cell],
    structure: PageStructure,
) -> bool:
    """True when a cell of no mark, or print in one, stands between the two marks on their row."""
    for cell in structure.cells:
        if (
            cell not in marked
            and cell.box[0] >= before.box[2] - 2
            and cell.box[2] <= after.box[0] + 2
            and on_one_row(cell.box, after.box)
        ):
            return True
    between = [
        word
        for word in words
        if word.box[0] >= before.box[2] and word.box[2] <= after.box[0] and on_one_row(word.box, after.box)
    ]
    return any(_asks(word, marked, structure) for word in between)


def _asks(word: Word, marked: frozenset[Cell], structure: PageStructure) -> bool:
    """True when ``word`` is print in a cell of its own that holds no mark."""
    if sum(ch.isalpha() for ch in word.text) < QUESTION_LETTERS:
        return False
    cell = structure.cell_at(word.box)
    return cell is not None and cell not in marked
