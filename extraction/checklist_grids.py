"""Which ruled grid a checklist's key heads (``extraction.checklist``): the grid whose first
row holds the key, with the grids set beside it under the same words or the same answer columns
(a long grid printed in halves side by side), or a grid of questions printed just under the
key."""

from __future__ import annotations

from collections.abc import Sequence

from extraction.choices import GRID_ROWS, grid_cell
from extraction.keys import Key
from extraction.lexicon import ENGLISH, known_share
from extraction.page_view import PageView
from extraction.structure import Cell, PageStructure, SelectionMark
from extraction.structure.geometry import overlap_area
from extraction.types import Box, Word, on_one_row

# A grid of questions under its heading starts at most this many text heights under it (as a
# list's first row of boxes does).
GRID_UNDER_GAP = 2.5
# A heading fewer of whose words than this share are English words was misread.
MISREAD_SHARE = 0.5


def grids_headed_alike(key: Key, view: PageView) -> list[Box]:
    """The outline of the ruled grid whose first row holds ``key`` (the heading of its question
    column) and those of the grids beside it whose first row reads alike (``_headed_alike``),
    left to right; else the grid of questions just under the key (``_grid_under``); [] when the
    key heads no grid."""
    structure = view.structure
    assert structure is not None
    cell = grid_cell(key.box, structure)
    if cell is None or cell.row != 0:
        under = _grid_under(key, view)
        return [] if under is None else [under]
    own = structure.tables[cell.table].box
    grids = [own]
    for other in structure.cells:
        table = structure.tables[other.table].box
        beside = table[0] > own[2] or table[2] < own[0]
        if beside and table not in grids and _headed_alike(other, cell, view):
            grids.append(table)
    return sorted(grids, key=lambda box: box[0])


def _grid_under(key: Key, view: PageView) -> Box | None:
    """The outline of the ruled grid printed just under ``key`` (its top within
    ``GRID_UNDER_GAP`` text heights of the key's foot, nothing printed between, the key not
    right of its middle, a header row with no box to tick in it): a grid of questions under
    its heading ("Have you ever had:"), not a panel of fields' cells under a section's title.
    None when there is none, or the key stands in a table itself."""
    structure = view.structure
    assert structure is not None
    if structure.cell_at(key.box) is not None:
        return None
    for index, table in enumerate(structure.tables):
        box = table.box
        if (
            table.rows >= GRID_ROWS
            and 0 <= box[1] - key.box[3] <= GRID_UNDER_GAP * view.height
            and box[0] - view.height <= key.box[0] <= (box[0] + box[2]) / 2
            and not _header_holds_a_mark(index, structure)
            and not any(key.box[3] < w.box[1] and w.box[3] < box[1] for w in view.page.words)
        ):
            return box
    return None


def _header_holds_a_mark(table: int, structure: PageStructure) -> bool:
    """True when a box to tick stands in the first row of table number ``table``."""
    header = [cell.box for cell in structure.cells if cell.table == table and cell.row == 0]
    return any(overlap_area(mark.box, cell) > 0 for mark in structure.marks for cell in header)


def first_half_heading(key: Key, view: PageView) -> Key | None:
    """The key heading the grid left of ``key``'s when ``key`` heads a ruled grid printed as
    the second half of that one (headed with the same words), else None. OCR may split the
    first half's heading into two keys ("Do you have" | "or have you had"): the first is taken."""
    structure = view.structure
    assert structure is not None
    cell = grid_cell(key.box, structure)
    if cell is None or cell.row != 0:
        return None
    own = structure.tables[cell.table].box
    for other in view.keys:
        left = grid_cell(other.box, structure) if other.page == key.page else None
        if (
            left is not None
            and structure.tables[left.table].box[2] < own[0]
            and _headed_alike(left, cell, view)
        ):
            return other
    return None


def _headed_alike(other: Cell, heading: Cell, view: PageView) -> bool:
    """True when ``other`` is the first cell of a table whose top is level with the table of
    ``heading`` (a first-row cell) and reads like it, or whose answer columns are headed with
    the same words where one of the two headings reads as no words at all (misread: "aeeition"
    for "Condition" in a shadow): the two are halves of one grid."""
    assert view.structure is not None
    tables = view.structure.tables
    level = abs(tables[other.table].box[1] - tables[heading.table].box[1]) <= view.height
    if other.row != 0 or other.col != 0 or not level:
        return False
    if _same_print(other.box, heading.box, view):
        return True
    # Headings read as words ("Vaccine", "Has a parent had" beside "Have you ever had") head
    # grids of their own: only one read as no words at all is a misread heading of one grid.
    misread = any(known_share(_print_in(c.box, view), (ENGLISH,)) < MISREAD_SHARE for c in (other, heading))
    answers = _answer_headers(heading.table, view)
    return misread and bool(answers) and answers == _answer_headers(other.table, view)


def _answer_headers(table: int, view: PageView) -> list[str]:
    """The print of the first row's cells after the first, of table number ``table``, left to
    right and case folded ("yes", "no")."""
    assert view.structure is not None
    header = sorted(
        (c for c in view.structure.cells if c.table == table and c.row == 0 and c.col > 0),
        key=lambda c: c.col,
    )
    return [_print_in(c.box, view).casefold() for c in header]


def _same_print(box: Box, other: Box, view: PageView) -> bool:
    """True when the words inside the two boxes read alike."""
    return _print_in(box, view).casefold() == _print_in(other, view).casefold()


def _print_in(box: Box, view: PageView) -> str:
    return " ".join(w.text for w in view.page.words_in(box))


def names_something(words: Sequence[Word]) -> bool:
    """True when ``words`` hold a word of two letters or more: a row's condition or question."""
    return any(sum(ch.isalpha() for ch in w.text) >= 2 for w in words)


def row_left_unread(rows: list[list[SelectionMark]], view: PageView) -> bool:
    """True when a ruled grid's question column holds a condition on a row where none of the
    grid's answer cells or boxes was found right of it, before the next condition on its row
    (a grid printed in halves side by side), under the first row read (damage broke that row's
    rules, or its box): its answer is lost, and the list read from ``rows`` (the rows of marks
    found, by grid) may be short."""
    structure = view.structure
    assert structure is not None
    by_table: dict[Box, list[list[SelectionMark]]] = {}
    for row in rows:
        cell = structure.cell_at(row[0].box)
        if cell is not None:
            by_table.setdefault(structure.tables[cell.table].box, []).append(row)
    for table, found in by_table.items():
        marks = [mark.box for row in found for mark in row]
        top = min(box[1] for box in marks)
        questions = [
            line
            for line in view.page.lines
            if table[0] <= line.box[0]
            and line.box[2] <= table[2]
            and line.box[3] <= table[3]
            and (line.box[1] + line.box[3]) / 2 >= top
            and names_something(line.words)
            # In a column of questions: no answer found above or below it.
            and not any(box[0] < line.box[2] and line.box[0] < box[2] for box in marks)
        ]
        for line in questions:
            beside = [q.box[0] for q in questions if q.box[0] >= line.box[2] and on_one_row(q.box, line.box)]
            bound = min(beside, default=table[2])
            if not any(on_one_row(line.box, box) and line.box[2] <= box[0] < bound for box in marks):
                return True
    return False
