"""The area a learned value may fill on its form, and the printed words it moves with.

Around a value's box on the learned copy lies the area a longer value of the same field may
fill on another copy: up to the next printed word (or other writing) on its row, for a
multi-line field down to the next printed word under it, inside the ruled cells that hold its
lines. The printed words nearest the value tell where it moved on a new page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import pairwise

from extraction.layouts.anchors import Anchor
from extraction.layouts.locate import Place, overlaps
from extraction.layouts.template import FieldZone, LearnedPage
from extraction.structure import PageStructure
from extraction.structure.geometry import contains
from extraction.types import Box, PageText, centre_inside, on_one_row, union_box

# Lines a multi-line value may grow to when nothing printed stands under it.
OPEN_LINES = 4
# How many printed words near a value stand for it when it is looked for on a new page.
FIELD_ANCHORS = 4
# A written word this many text heights clear of a value on its row is something else filled
# in (a gap between a value's own words is under one).
APART_ON_ROW = 1.5


def unclaimed_words(page: PageText, index: int, places: Mapping[str, Place]) -> list[Box]:
    """The boxes of the page's written words that are no verified value's: what else was
    filled in (an emergency contact's address beside the contact's name, a quantity beside a
    medicine), which bounds a value's area as print does."""
    lines = [box for place in places.values() if place.page == index for box in place.lines]
    return [
        word.box
        for line in page.lines
        for word in line.words
        if any(ch.isalnum() for ch in word.text) and not any(centre_inside(word.box, b) for b in lines)
    ]


def apart_on_its_row(box: Box, words: Sequence[Box], height: float) -> list[Box]:
    """Of ``words``, those on the row of ``box`` standing clear of it: further than a gap
    between a value's words (a word of the value itself the spelling search left out stands
    closer)."""
    gap = APART_ON_ROW * height
    return [
        word
        for word in words
        if on_one_row(word, box) and (word[0] >= box[2] + gap or word[2] <= box[0] - gap)
    ]


def line_gap(place: Place) -> float:
    """The widest blank space between consecutive lines of the value (0 for one line)."""
    tops = sorted(place.lines, key=lambda b: b[1])
    return float(max((b[1] - a[3] for a, b in pairwise(tops)), default=0.0))


def interleaved_print(place: Place, page: LearnedPage) -> tuple[str, ...]:
    """Printed words between the lines of a value (a "Sig:" under each medicine): on a new copy
    they are stepped over, where another printed word ends the value. The label on the row of
    a value's line ("ADDRESS:" beside its street) is not: stepping over it would step over the
    value's words beside it."""
    if len(place.lines) < 2:
        return ()
    box = place.box
    return tuple(
        sorted(
            {
                a.text
                for a in page.anchors
                if overlaps(a.box, box)
                and not any(overlaps(a.box, line) or on_one_row(a.box, line) for line in place.lines)
            }
        )
    )


def interleaved_numbers(place: Place, page: PageText) -> tuple[str, ...]:
    """The shapes (each run of digits written ``d``) of the written lines without a letter that
    stood between the lines of a value and are no part of it (a "#14" dispensed under each
    direction): on a new copy a line of such a shape inside the value's area is left out.
    Only shapes are kept, never a number."""
    if len(place.lines) < 2:
        return ()
    box = place.box
    shapes = set()
    for line in page.lines:
        words = [
            w
            for w in line.words
            if centre_inside(w.box, box) and not any(centre_inside(w.box, b) for b in place.lines)
        ]
        text = " ".join(w.text for w in words)
        if words and any(ch.isdigit() for ch in text) and not any(ch.isalpha() for ch in text):
            shapes.add(number_shape(text))
    return tuple(sorted(shapes))


def number_shape(text: str) -> str:
    """``text`` with each run of digits written ``d`` and no spaces: "# 14" is "#d"."""
    return re.sub(r"\d+", "d", "".join(text.split()))


def value_area(
    place: Place, page: LearnedPage, others: Sequence[Box], structure: PageStructure, multiline: bool
) -> Box:
    """The area a value of this field may fill on this form: from its box to the next printed
    word (or another field's value) on its row, down to the next printed word under it for a
    multi-line field, inside the ruled cells that hold its lines (a table's column: the
    quantity printed beside each direction in the next column is not part of it)."""
    box = place.box
    height = page.text_height
    printed = [a.box for a in page.anchors] + list(others)
    row = [b for b in printed if on_one_row(b, box) and not overlaps(b, box)]
    right = [b[0] for b in row if b[0] >= box[2] - 0.2 * height]
    left = [b[2] for b in row if b[2] <= box[0] + 0.2 * height]
    x0 = max([box[0] - 0.6 * height] + [x + 0.2 * height for x in left])
    x1 = min(right) - 0.3 * height if right else page.width
    y0 = box[1] - 0.5 * height
    if multiline:
        under = [b[1] for b in printed if b[1] >= box[3] - 0.2 * height and b[0] < x1 and b[2] > x0]
        y1 = min(under) - 0.2 * height if under else box[3] + OPEN_LINES * 1.6 * height
    else:
        y1 = box[3] + 0.5 * height
    across = _cells_across(place.lines, structure, height)
    if across is not None:
        x0, x1 = max(x0, across[0]), min(x1, across[1])
    cell = structure.cell_at(box)
    if cell is not None and not multiline:
        y0, y1 = max(y0, cell.box[1]), min(y1, cell.box[3])
    zone = (round(x0), round(y0), round(max(x1, box[2])), round(max(y1, box[3])))
    return (min(zone[0], box[0]), min(zone[1], box[1]), min(zone[2], page.width), min(zone[3], page.height))


def parted_zone(
    place: Place, page: LearnedPage, others: Sequence[Box], structure: PageStructure, lines: int
) -> FieldZone:
    """A value learned in parts: each part a one-line value of its own, bounded by the print,
    the other fields' values and the value's other parts around it."""
    parts = tuple(
        FieldZone(
            place.page,
            box,
            value_area(
                Place(place.page, (box,)),
                page,
                [*others, *(b for b in place.lines if b != box)],
                structure,
                multiline=False,
            ),
            nearest_anchors(box, page.anchors),
        )
        for box in place.lines
    )
    zone = union_box([part.zone for part in parts])
    assert zone is not None
    return FieldZone(
        place.page,
        place.box,
        zone,
        nearest_anchors(place.box, page.anchors),
        max(1, lines),
        parts=parts,
        joints=place.joints,
    )


def _cells_across(lines: Sequence[Box], structure: PageStructure, height: float) -> tuple[int, int] | None:
    """From the left of the leftmost to the right of the rightmost ruled cell that holds part of
    a line of the value, or None when some line stands in no cell."""
    held: list[Box] = []
    for line in lines:
        middle = (line[1] + line[3]) / 2
        cells = [
            cell.box
            for cell in structure.cells
            if cell.box[1] <= middle <= cell.box[3]
            and min(cell.box[2], line[2]) - max(cell.box[0], line[0]) >= 0.5 * min(height, line[2] - line[0])
        ]
        if not cells:
            return None
        # A cell around other cells (a box drawn round a table) holds them, not the value.
        held += [c for c in cells if not any(o != c and contains(c, o) for o in cells)]
    if not held:
        return None
    return min(b[0] for b in held), max(b[2] for b in held)


def nearest_anchors(box: Box, anchors: Sequence[Anchor]) -> tuple[int, ...]:
    """The printed words nearest the value, those on its row or just above it first: a label
    moves with its value when a form flows."""

    def distance(anchor: Anchor) -> float:
        ax, ay = anchor.centre
        bx, by = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        apart = abs(ax - bx) + 3 * abs(ay - by)
        if on_one_row(anchor.box, box):
            return apart
        return apart * (3.0 if ay < by else 6.0)

    order = sorted(range(len(anchors)), key=lambda i: distance(anchors[i]))
    return tuple(order[:FIELD_ANCHORS])
