"""A value's next lines set as far apart as the form's rows: an address's town and country
written one to a row under its street, on forms that leave a row for each.

A value's own next line stands close under it (``candidates.ALIGNED_GAP``); further down, a
line is more often the next field's value. A line flush under the value, up to the height of a
form's row, alone on its row (no label, no other value beside it, outside any ruled cell), is
the value's own line on such a form, since the next field's value would stand beside its label.
Such lines are taken, and the value flagged: a label OCR lost entirely leaves its value alone
on its row too.
"""

from __future__ import annotations

from extraction.page_view import PageView, cell_of, is_glyph, is_noise
from extraction.types import Line, Word, on_one_row

# A value's lines set one to a form's row stand at most this many line heights apart.
ROW_GAP = 2.5
# Flush: its left edge at most this many line heights from the value's.
FLUSH = 0.6
ROWS_APART_NOTE = "its next lines stand as far apart as the form's rows: check where the value ends"


def lines_a_row_apart(last: tuple[Word, ...], view: PageView, limit: int) -> list[Line]:
    """Up to ``limit`` lines under the value line ``last`` that go on the value one to a row."""
    height = view.height
    left = min(w.box[0] for w in last)
    bottom = max(w.box[3] for w in last)
    taken: list[Line] = []
    for line in sorted(view.page.lines, key=lambda line: line.box[1]):
        if len(taken) >= limit:
            break
        if line.box[1] <= bottom - 0.3 * height:
            continue
        if line.box[0] < left - FLUSH * height and line.box[2] > left:
            break  # a line reaching into the value's column from the left: the next row's label
        if abs(line.box[0] - left) > FLUSH * height:
            continue
        if line.box[1] - bottom > ROW_GAP * height:
            break
        if is_glyph(line, height) or is_noise(line, height):
            continue
        if view.is_key_line(line) or cell_of(line.box, view) is not None or not _alone_on_its_row(line, view):
            break
        taken.append(line)
        bottom = line.box[3]
    return taken


def _alone_on_its_row(line: Line, view: PageView) -> bool:
    return not any(
        other is not line
        and on_one_row(other.box, line.box)
        and not is_glyph(other, view.height)
        and not is_noise(other, view.height)
        for other in view.page.lines
    )
