"""Where a labelled field's value would be written when the page pass read nothing there.

Tesseract reads little handwriting that stands alone: a lone "1" on the line after "Refill:",
a small "Yes" under a question, a number written in a script face. The field comes back blank,
though ink stands where its value goes. ``blank_spots`` gives the places a clerk would look,
for ``extraction.second_look`` to read with the second reader:

- beside the label, from just after it to the next print on its row (or the edge of its cell,
  or ``BESIDE_WIDTH`` line heights at most);
- under the label, as wide as the label or ``UNDER_WIDTH`` line heights, down to the next line
  of print under it (or ``UNDER_DEPTH`` line heights at most).

A spot holds no print the page pass read: each stops short of the nearest read word. A spot
too small to hold a written character is left out.
"""

from __future__ import annotations

from extraction.keys import Key
from extraction.page_view import PageView, cell_of, overlaps
from extraction.types import Box

# How far a value written beside its label reaches, and how far under it, in line heights.
BESIDE_WIDTH = 12.0
UNDER_WIDTH = 8.0
UNDER_DEPTH = 2.5
# The room kept between a spot and the print round it, in line heights (a letter's antialiased
# edge, a colon).
CLEARANCE = 0.25
# A spot narrower or lower than this many line heights holds no written character.
MIN_SIDE = 0.6


def blank_spots(key: Key, view: PageView) -> tuple[Box, ...]:
    """The spots beside and under ``key`` where its value would be written (see the module)."""
    cell = cell_of(key.box, view)
    spots = (_beside(key, view, cell), _under(key, view, cell))
    return tuple(spot for spot in spots if _roomy(spot, view.height))


def _beside(key: Key, view: PageView, cell: Box | None) -> Box:
    height = view.height
    _, y0, x1, y1 = key.box
    left = x1 + CLEARANCE * height
    right = x1 + BESIDE_WIDTH * height
    if cell is not None:
        right = min(right, cell[2] - CLEARANCE * height)
    middle = (y0 + y1) / 2
    for line in view.page.lines:
        for word in line.words:
            if word.box[0] >= x1 and word.box[1] <= middle <= word.box[3]:
                right = min(right, word.box[0] - CLEARANCE * height)
    return (int(left), int(y0 - 0.5 * height), int(right), int(y1 + 0.5 * height))


def _under(key: Key, view: PageView, cell: Box | None) -> Box:
    height = view.height
    x0, _, x1, y1 = key.box
    column = (int(x0 - CLEARANCE * height), y1, int(max(x1, x0 + UNDER_WIDTH * height)), y1)
    top = y1 + CLEARANCE * height
    bottom = y1 + UNDER_DEPTH * height
    for line in view.page.lines:
        if line.box[1] > y1 - 0.3 * height and overlaps(line.box, column):
            bottom = min(bottom, line.box[1] - CLEARANCE * height)
    if cell is not None:
        bottom = min(bottom, cell[3] - CLEARANCE * height)
    return (column[0], int(top), column[2], int(bottom))


def _roomy(spot: Box, height: float) -> bool:
    return spot[2] - spot[0] >= MIN_SIDE * height and spot[3] - spot[1] >= MIN_SIDE * height
