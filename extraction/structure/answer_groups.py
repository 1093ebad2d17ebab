"""One row of a ruled table that asks several questions side by side.

A history form saves paper by printing its conditions in two or three groups across the page,
one header for all ("Condition | Yes | No | Condition | Yes | No"): a row of the table then
holds the answer cells of two questions. The answers of one question are the marks from its
own cell up to the next question's cell: print in a cell of its own, with no mark in it, between
two marks starts another question. Options printed beside their boxes ("[x] Yes [ ] No") share
their box's cell or stand in no cell, and split nothing.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from extraction.structure.types import PageStructure, SelectionMark
from extraction.types import Word, on_one_row

# Print of at least this many letters is a question's (a stray speck read as "l" is not).
QUESTION_LETTERS = 2


def answer_groups(
    row: Sequence[SelectionMark], words: Sequence[Word], structure: PageStructure
) -> list[list[SelectionMark]]:
    """``row`` (marks on one row, left to right) split before every mark that has a question of
    its own printed left of it since the mark before; the groups left to right."""
    if not row:
        return []
    marked = {structure.cell_at(mark.box) for mark in structure.marks} - {None}
    groups = [[row[0]]]
    for before, after in itertools.pairwise(row):
        between = [
            word
            for word in words
            if word.box[0] >= before.box[2]
            and word.box[2] <= after.box[0]
            and on_one_row(word.box, after.box)
        ]
        if any(_asks(word, marked, structure) for word in between):
            groups.append([after])
        else:
            groups[-1].append(after)
    return groups


def _asks(word: Word, marked: set[object], structure: PageStructure) -> bool:
    """True when ``word`` is print in a cell of its own that holds no mark."""
    if sum(ch.isalpha() for ch in word.text) < QUESTION_LETTERS:
        return False
    cell = structure.cell_at(word.box)
    return cell is not None and cell not in marked
