"""Reading an answer ticked in a box with a learned layout: which of the learned boxes is ticked."""

from __future__ import annotations

from collections.abc import Callable

from extraction.layouts.rows import boxed_marks, rows_of_marks
from extraction.layouts.template import FieldZone
from extraction.structure import PageStructure, SelectionMark
from extraction.types import Box, FieldResult

# A row's boxes are looked for this many tolerances above and below its place: its last box
# may stand that far off on a slanted photo.
SLANT_REACH = 3.0


def read_answer(
    zone: FieldZone, placed: Callable[[Box], Box], structure: PageStructure, tolerance: float, score: float
) -> FieldResult:
    """The answer whose learned box is ticked on the new page: the boxes of the row where the
    layout puts the answer (``placed`` moves a learned box onto the page), taken in order (a
    widened column moves them, not their order), else each box where the layout has it, a box
    within ``tolerance`` pixels of its place. ``score`` is how sure the layout's match is."""
    area = placed(zone.box)
    row = _row_of_marks(structure, area, len(zone.marks), tolerance)
    found: list[tuple[SelectionMark, str]] = []
    if row is not None:
        found = [(mark, answer) for mark, (_box, answer) in zip(row, zone.marks, strict=True)]
    else:
        for box, answer in zone.marks:
            x0, y0, x1, y1 = placed(box)
            cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
            near = [
                m
                for m in boxed_marks(structure)
                if abs((m.box[0] + m.box[2]) / 2 - cx) <= tolerance
                and abs((m.box[1] + m.box[3]) / 2 - cy) <= tolerance
            ]
            if near:
                found.append((min(near, key=lambda m: abs((m.box[1] + m.box[3]) / 2 - cy)), answer))
    ticked = [(mark, answer) for mark, answer in found if mark.selected]
    result = FieldResult("", 0.0, False, page=zone.page)
    if len(found) < len(zone.marks):
        # A row whose boxes moved (a widened column): which box is which is not known.
        result.flag("the boxes are not where the learned layout has them")
    elif len(ticked) == 1 and ticked[0][1]:
        mark, answer = ticked[0]
        result = FieldResult(answer, mark.confidence * score, False, page=zone.page, box=mark.box)
    else:
        result.flag(
            "no box ticked where the learned layout has them"
            if not ticked
            else f"{len(ticked)} boxes ticked"
            if len(ticked) > 1
            else "the ticked box stands for an answer the learned copy did not show"
        )
    return result


def _row_of_marks(
    structure: PageStructure, area: Box, count: int, tolerance: float
) -> list[SelectionMark] | None:
    """The row of exactly ``count`` boxes nearest the learned row's place, left to right, its
    first box within ``tolerance`` of that place. Only the first: the place was moved as the
    question's label moved, just left of it, and on a photo taken at a slant a row's last box
    stands lower or higher than its first by more than the tolerance."""
    centre = (area[1] + area[3]) / 2
    width = area[2] - area[0]

    def off(mark: SelectionMark) -> float:
        return abs((mark.box[1] + mark.box[3]) / 2 - centre)

    around = [
        m
        for m in boxed_marks(structure)
        if off(m) <= SLANT_REACH * tolerance and m.box[2] >= area[0] - width and m.box[0] <= area[2] + width
    ]
    fitting = [r for r in rows_of_marks(around) if len(r) == count and off(r[0]) <= tolerance]
    if not fitting:
        return None
    return min(fitting, key=lambda r: off(r[0]))
