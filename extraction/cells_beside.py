"""The ruled cell beside a label's: where its value is written, unless a label of its own
heads it."""

from __future__ import annotations

from extraction.page_view import PageView
from extraction.structure import PageStructure
from extraction.types import Box, mostly_inside, on_one_row

# A label at the top of a ruled cell with this many line heights free under it is the cell's
# corner label: its value is written under it, in the cell.
ROOM_UNDER_A_CORNER_LABEL = 1.5


def cell_beside(box: Box, view: PageView) -> Box | None:
    """The cell right of the one holding ``box`` on its row (a label's value cell), or None;
    None too when a label of its own heads that cell (``_headed_by_a_label``): what is written
    in it is that label's, though the label beside it found nothing in its own cell."""
    cell = cell_right_of(box, view.structure, view.height)
    return None if cell is not None and _headed_by_a_label(cell, view) else cell


def _headed_by_a_label(cell: Box, view: PageView) -> bool:
    """True when a key stands at the top of ``cell`` with room for a value under it: a label in
    the corner of the box its value is written in ("HT (CM)" over "201 cm"), whether or not OCR
    read that value."""
    return any(
        mostly_inside(k.box, cell)
        and k.box[1] - cell[1] <= view.height
        and cell[3] - k.box[3] >= ROOM_UNDER_A_CORNER_LABEL * view.height
        for k in view.keys
    )


def cell_right_of(box: Box, structure: PageStructure | None, height: float) -> Box | None:
    """The nearest cell starting within ``height`` right of the one holding ``box``, on its row."""
    own = structure.cell_at(box) if structure is not None else None
    if own is None or structure is None:
        return None
    row = [
        cell.box
        for cell in structure.cells
        if 0 <= cell.box[0] - own.box[2] <= height and on_one_row(cell.box, own.box)
    ]
    return min(row, key=lambda cell: cell[0], default=None)
