"""Values that go on over ruled rows and ruled lines: the cell under a value's cell, the
label's cell beside a row, a rule between two lines of print."""

from __future__ import annotations

from extraction.captions import rule_written_on, stands_on_rule_from
from extraction.keys import Key
from extraction.page_view import PageView, cell_of
from extraction.structure import Cell, PageStructure
from extraction.types import Box, Line, mostly_inside


def rule_between(upper: Box, lower: Box, view: PageView) -> bool:
    """True when a horizontal rule runs between two boxes, across both."""
    if view.structure is None:
        return False
    return any(
        rule.orientation == "horizontal"
        and upper[3] - 2 <= rule.box[1]
        and rule.box[3] <= lower[1] + 2
        and rule.box[0] <= min(upper[2], lower[2])
        and rule.box[2] >= max(upper[0], lower[0])
        for rule in view.structure.rules
    )


def empty_box_between(upper: Box, lower: Box, view: PageView) -> bool:
    """True when a ruled box of its own (no cell of a grid: a header cell whose print OCR missed
    looks empty too) with nothing written in it stands between two boxes, across both: a
    label's answer box left empty, whose print under it (a hint, the next question) is no
    answer of the label's."""
    structure = view.structure
    if structure is None:
        return False
    return any(
        _alone(cell, structure)
        and upper[3] - 2 <= cell.box[1]
        and cell.box[3] <= lower[1] + 2
        and cell.box[0] <= min(upper[2], lower[2])
        and cell.box[2] >= max(upper[0], lower[0])
        and not any(mostly_inside(line.box, cell.box) for line in view.page.lines)
        for cell in structure.cells
    )


def _alone(cell: Cell, structure: PageStructure) -> bool:
    """True for a cell that is a table of its own (one row, one column)."""
    tables = structure.tables
    return cell.table < len(tables) and tables[cell.table].rows == tables[cell.table].cols == 1


def cell_under(cell: Box, line: Box, view: PageView) -> Box | None:
    """The cell holding ``line`` when it lies right under ``cell`` with the same sides and no
    label of its own stands level with it to its left (a form's next row: "Full name"), nor a
    label's cell of its own beside it as ``cell`` has one (a grid's next labelled row)."""
    below = cell_of(line, view)
    height = view.height
    if (
        below is None
        or abs(below[0] - cell[0]) > height
        or abs(below[2] - cell[2]) > height
        or not 0 <= below[1] - cell[3] <= height
    ):
        return None
    if any(k.box[2] <= below[0] and below[1] <= (k.box[1] + k.box[3]) / 2 <= below[3] for k in view.keys):
        return None
    if _label_cell_beside(cell, view) and _label_cell_beside(below, view):
        return None
    return below


def _label_cell_beside(cell: Box, view: PageView) -> bool:
    """True when a ruled cell stands just left of ``cell`` in its row (a grid's label column):
    two rows that each have one are two labelled rows, whether or not OCR read the lower label
    ("Dx" in a shaded cell)."""
    assert view.structure is not None
    height = view.height
    return any(
        0 <= cell[0] - other.box[2] <= height
        and abs(other.box[1] - cell[1]) <= height / 2
        and abs(other.box[3] - cell[3]) <= height / 2
        for other in view.structure.cells
    )


def value_cell(key: Key, view: PageView) -> Box | None:
    """The key's cell when its value may be inside it (a label in a cell's corner); None when
    the key fills its cell alone, so the value is in the cell under it."""
    cell = cell_of(key.box, view)
    if cell is None:
        return None
    others = [ln for ln in view.page.lines if ln is not key.line and mostly_inside(ln.box, cell)]
    return cell if others else None


def on_the_rule_under(above: Line, line: Line, view: PageView) -> bool:
    """True when ``above`` is written on a ruled line and ``line`` on another starting where
    that one starts: lines ruled to write a list on, one item a line."""
    rule = rule_written_on(above, view)
    return (
        rule is not None and rule_written_on(line, view) != rule and stands_on_rule_from(line, rule[0], view)
    )


def in_ruled_row_under(above: Line, line: Line, view: PageView) -> bool:
    """True when ``line`` stands in the cell right under the cell of ``above``, as wide."""
    cell = cell_of(above.box, view)
    return cell is not None and cell_under(cell, line.box, view) is not None
