"""Which boxes to tick answer a key: those on its row right of it (in its table, or past the
table found around it), else those on the row just under it, or listed one under another
under it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extraction.doctypes import FieldSpec
from extraction.keys import Key
from extraction.label_shapes import value_kind
from extraction.page_view import PageView
from extraction.structure.answer_groups import answer_groups
from extraction.types import Box, mostly_inside, on_one_row
from extraction.validate import check_value

if TYPE_CHECKING:
    from collections.abc import Sequence

    from extraction.structure import PageStructure, SelectionMark
    from extraction.types import Word

# Options of a checkbox group lie on the key's row or on the row just under it, unless that row
# asks a question of its own: print of this many letters before its first mark. The row just
# under starts this many line heights under the key, or up to the further limit when no print
# stands between (a cell set roomy for a pen).
OPTIONS_BELOW = 1.8
OPTIONS_FAR_BELOW = 3.0
QUESTION_LETTERS = 4
# Options listed one under another stand a line apart: each mark's top within this many text
# heights of the one above.
OPTION_STEP = 2.5
# Boxes this many line heights or more right of the print after a key answer another question.
OTHER_QUESTION_GAP = 4.0


def option_marks(spec: FieldSpec, key: Key, view: PageView) -> list[SelectionMark]:
    """The checkboxes answering ``key`` (a label of ``spec``): on its row right of it, else on
    the row just under it."""
    if view.structure is None or not view.structure.marks:
        return []
    marks = in_the_keys_table(key, view.structure)
    row = _on_the_keys_row(key, marks, view) or _past_the_keys_table(key, view)
    if row:
        row.sort(key=lambda m: m.box[0])
        row = answer_groups(row, view.page.words, view.structure)[0]
        return [] if _answered_before(spec, key, row[0], view) else row
    return _row_under(key, marks, view)


def _row_under(key: Key, marks: Sequence[SelectionMark], view: PageView) -> list[SelectionMark]:
    """The row of ``marks`` just under ``key`` (in its cell, when any stands there), unless
    print stands between or the row asks a question of its own; left to right."""
    assert view.structure is not None
    top = key.box[3]
    # From the key's line: a numbered question ("7. Measles") sets its options under its number.
    start = min(key.box[0], key.line.box[0]) - view.height
    after = _in_the_keys_cell(key, [m for m in marks if m.box[0] >= start], view.structure)
    under = [m for m in after if top - 2 <= m.box[1] <= top + OPTIONS_FAR_BELOW * view.height]
    if not under:
        return []
    # The row is the first mark's: a box of it whose top a scan's jitter set a pixel lower
    # than the rest is on it all the same.
    first = min(under, key=lambda m: m.box[1])
    if first.box[1] > top + OPTIONS_BELOW * view.height and _print_between(key, first, view):
        return []
    row = sorted((m for m in after if on_one_row(m.box, first.box)), key=lambda m: m.box[0])
    if _asks_its_own_question(row[0], key, view):
        return []
    return row if len(row) > 1 else _column_from(first, after, key, view)


def _column_from(
    first: SelectionMark, marks: Sequence[SelectionMark], key: Key, view: PageView
) -> list[SelectionMark]:
    """``first`` and the marks set one under another below it, each on a row of its own in
    ``first``'s column, each within OPTION_STEP text heights of the one above: options listed
    down the page ("( ) Immune / (•) Not immune / ( ) Unknown"), top to bottom. Each has its
    option printed beside it and no question of its own on its row: a column of a grid's
    answer boxes answers a question a row, each printed left of its box."""
    column = [first]
    if not first.option.strip():
        return column
    height = view.height
    below = sorted(
        (m for m in marks if m.box[1] > first.box[3] and abs(m.box[0] - first.box[0]) <= height),
        key=lambda m: m.box[1],
    )
    for mark in below:
        if mark.box[1] - column[-1].box[1] > OPTION_STEP * height:
            break
        if not mark.option.strip() or _asks_its_own_question(mark, key, view):
            break
        column.append(mark)
    return column


def _print_between(key: Key, first: SelectionMark, view: PageView) -> bool:
    """True when a line of print stands between ``key`` and the row of marks under it, over the
    key's column: the marks answer that line, not the key."""
    return any(
        line is not key.line
        and line.box[1] >= key.box[3] - 2
        and line.box[3] <= first.box[1] + 2
        and line.box[2] > key.box[0] - view.height
        and line.box[0] < max(key.box[2], first.box[2])
        for line in view.page.lines
    )


def _on_the_keys_row(key: Key, marks: Sequence[SelectionMark], view: PageView) -> list[SelectionMark]:
    """Those of ``marks`` on ``key``'s row right of it (a new list), the row followed as the
    page's rows of marks lean (a photographed grid's boxes far right of their question stand
    higher or lower than it, level with the next row's question)."""
    assert view.structure is not None
    slope = view.structure.mark_row_slope
    return [
        m
        for m in marks
        if m.box[0] >= key.box[2] - 2 and on_one_row(_levelled(m.box, key.box, slope), key.line.box)
    ]


def _levelled(box: Box, key: Box, slope: float) -> Box:
    """``box`` moved up or down by the rows' lean between ``key``'s middle and its own."""
    shift = round(slope * ((box[0] + box[2]) / 2 - (key[0] + key[2]) / 2))
    return (box[0], box[1] - shift, box[2], box[3] - shift)


def _past_the_keys_table(key: Key, view: PageView) -> list[SelectionMark]:
    """The marks on ``key``'s row right of it outside the table found around the key, when no
    question stands between them and it: the rules of the grid's answer columns were not all
    found (a blurred photo), so the table found ends before them. Words between them, other
    than answers ("Yes"), ask a question of their own (a grid printed in halves side by side,
    whose other half asks of a condition no field names)."""
    assert view.structure is not None
    row = _on_the_keys_row(key, view.structure.marks, view)
    if not row:
        return []
    first = min(m.box[0] for m in row)
    between = [
        w
        for w in view.page.words
        if key.box[2] <= w.box[0] and w.box[2] <= first and on_one_row(w.box, key.line.box)
    ]
    return [] if _a_question(between) else row


def _in_the_keys_cell(
    key: Key, marks: Sequence[SelectionMark], structure: PageStructure
) -> Sequence[SelectionMark]:
    """Those of ``marks`` inside the cell holding ``key``, when any is: a form of boxed cells
    side by side answers each cell's question inside the cell, and the next cell's boxes on
    the same row answer its own question (printed on the row above them)."""
    cell = structure.cell_at(key.box)
    inside = [m for m in marks if cell is not None and mostly_inside(m.box, cell.box)]
    return inside or marks


def _asks_its_own_question(first: SelectionMark, key: Key, view: PageView) -> bool:
    """True when the row of marks under ``key`` has a question of its own: words of four
    letters or more, no answer word, left of its first mark from the key's column on
    ("Measles (rubeola)  Yes / N̶o̶" under "Chickenpox"). Options printed before their boxes
    ("Yes [ ]  No [ ]") are answer words."""
    left = [
        w
        for w in view.page.words
        if w.box[2] <= first.box[0] and w.box[0] >= key.box[0] - view.height and on_one_row(w.box, first.box)
    ]
    return _a_question(left)


def _a_question(words: Sequence[Word]) -> bool:
    """Whether ``words`` ask a question: QUESTION_LETTERS letters or more, and no answer word
    among them ("Yes")."""
    letters = sum(ch.isalpha() for w in words for ch in w.text)
    return letters >= QUESTION_LETTERS and not any(value_kind(w.text) == "yesno" for w in words)


def _answered_before(spec: FieldSpec, key: Key, first: SelectionMark, view: PageView) -> bool:
    """True when a value of ``spec`` stands between ``key`` and the first box on its row, set
    far apart from the box: the key's value written beside it ("No. of refills: 3"), and the
    boxes further along the row another question's ("[x] Substitution permitted"). An option's
    own word stands close to its box ("Yes [ ]"); ink read as no value of the field (the boxes
    of a grid row read as letters) is no answer."""
    between = [
        w
        for w in view.page.words
        if w.box[0] >= key.box[2] and w.box[2] <= first.box[0] and on_one_row(w.box, key.line.box)
    ]
    if not between or check_value(spec, " ".join(w.text for w in between)) is not None:
        return False
    nearest = max(w.box[2] for w in between)
    return first.box[0] - nearest > OTHER_QUESTION_GAP * view.height


def in_the_keys_table(key: Key, structure: PageStructure) -> Sequence[SelectionMark]:
    """The page's marks, or for a key in a table's cell the marks in that table only: a grid
    set in halves side by side answers the question of each half in that half's columns."""
    cell = structure.cell_at(key.box)
    if cell is None or structure.tables[cell.table].rows < 2:
        return structure.marks
    table = structure.tables[cell.table].box
    return [m for m in structure.marks if mostly_inside(m.box, table)]
