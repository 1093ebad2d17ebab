"""Checkboxes whose outline damage broke (a fax's lost rows, a tick drawn through a corner, a
worn corner): no closed outline, so no candidate for ``extraction.structure.marks``, though boxes of
the same form were found whole beside them. Two places vouch for such a box:

- the column of boxes found whole: the page's ink with small gaps closed shows an outline of their
  size there (``boxes_broken_open``);
- the start of an option's word on the row of a box found whole, where OCR read the box as a
  glyph ("My" for a ticked box and its option "Y"; ``boxes_read_into_options``).

Either way the box must show ink along its sides as a box's rim runs, the ink inside it tells
whether it is ticked, and it is never surer than a clerk should trust.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import cv2
import numpy as np

from extraction.structure.geometry import overlap_area
from extraction.structure.mark_shapes import SIDE_SPREAD, mark_candidates, read_box_at, side_sized
from extraction.types import Box, Word

# The options a row of boxes answers with: a word reading as one of these after its first glyph
# is an option with its box read into it.
ANSWER_OPTIONS = frozenset({"yes", "y", "no", "n", "unsure", "unknown", "immune", "not"})
# The box read into a word stands level with a box found whole on its row: tops and bottoms
# within this share of that box's side.
LEVEL_SHARE = 0.3
# ... and is looked for this share of its side either way of the word's start.
START_SLACK = 0.2
BOXED_OPTION_CONFIDENCE = 0.65
# A box's outline broken open (a fax's lost rows, a worn corner) is closed over gaps up to this
# share of the side of the boxes found whole; a box found so stands in the column of this many
# of them, left sides level within this share of a side, and is read no surer than this (a
# clerk checks it).
CLOSING_SHARE = 0.12
MIN_ALIGNED = 2
ALIGN_SHARE = 0.3
BROKEN_CONFIDENCE = 0.65

Found = tuple[Box, Literal["square", "circle"], bool, float]


def boxes_broken_open(
    ink: np.ndarray,
    found: Sequence[Found],
    height: float,
    on_text: Callable[[Box], bool],
) -> list[Found]:
    """More checkboxes of the size of those found, in their column, whose outline a fax or a
    worn scan broke open at a corner or along a side: no closed outline, so no candidate. The
    page's ink with gaps up to ``CLOSING_SHARE`` of a box's side closed shows them whole; one
    counts only in the column of ``MIN_ALIGNED`` boxes found whole (letters closed into a loop
    stand in no such line), off any letter read surely, and is never surer than
    ``BROKEN_CONFIDENCE``."""
    squares = [box for box, shape, *_ in found if shape == "square"]
    if len(squares) < MIN_ALIGNED:
        return []
    side = float(np.median([min(b[2] - b[0], b[3] - b[1]) for b in squares]))
    gap = max(2, round(CLOSING_SHARE * side))
    known = [box for box, *_ in found]
    more: list[Found] = []
    # Only the strips of the page a box in line with the squares can stand in are looked through.
    for left, right in _column_strips(squares, side, gap, ink.shape[1]):
        closed = cv2.morphologyEx(ink[:, left:right], cv2.MORPH_CLOSE, np.ones((gap, gap), np.uint8))
        for candidate in mark_candidates(closed, height):
            x0, y0, x1, y1 = candidate.box
            box = (x0 + left, y0, x1 + left, y1)
            if (
                not candidate.hollow
                or not side_sized(box, side)
                or any(overlap_area(box, other) > 0 for other in known)
                or not _in_line_with(box, squares, side)
                or on_text(box)
            ):
                continue
            if (mark := _read_as_a_box(closed, candidate.box, BROKEN_CONFIDENCE)) is not None:
                more.append((box, *mark[1:]))
                known.append(box)
    return more


def _column_strips(squares: Sequence[Box], side: float, pad: int, width: int) -> list[tuple[int, int]]:
    """The spans of the page's width a box in line with ``squares`` (``_in_line_with``) and of
    their size (``side_sized``) can stand in, ``pad`` wider each way so closing gaps there sees
    the ink it would on the whole page; overlapping spans merged, left to right."""
    reach = ALIGN_SHARE * side
    widest = (1 + SIDE_SPREAD) * side
    spans = sorted(
        (max(0, int(b[0] - reach) - 1 - pad), min(width, int(b[0] + reach + widest) + 2 + pad))
        for b in squares
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _read_as_a_box(ink: np.ndarray, box: Box, surest: float) -> Found | None:
    """``box`` read as a square box (``read_box_at``), no surer than ``surest``."""
    read = read_box_at(ink, box)
    return None if read is None else (box, "square", read[0], min(read[1], surest))


def _in_line_with(box: Box, squares: Sequence[Box], side: float) -> bool:
    """True when ``MIN_ALIGNED`` of ``squares`` stand in ``box``'s column, left sides level
    within ``ALIGN_SHARE`` of a box's ``side``. A row of boxes is no such evidence: the print
    of its questions and options stands level with it ("Hepatitis B:" before its boxes)."""
    return sum(abs(other[0] - box[0]) <= ALIGN_SHARE * side for other in squares) >= MIN_ALIGNED


def boxes_read_into_options(ink: np.ndarray, found: Sequence[Found], words: Sequence[Word]) -> list[Found]:
    """More square boxes: one at the start of each answer word read with its box as a glyph,
    on the row of a square box found whole (see the module's docstring)."""
    squares = [box for box, shape, *_ in found if shape == "square"]
    known = [box for box, *_ in found]
    more: list[Found] = []
    for word in words:
        if not _an_answer_after_a_glyph(word.text):
            continue
        level = [box for box in squares if _level(box, word.box)]
        if not level or any(overlap_area(word.box, other) > 0 for other in known):
            continue
        sibling = min(level, key=lambda box: abs(box[0] - word.box[0]))
        box = _box_at(ink, word.box[0], sibling)
        if box is None:
            continue
        if (mark := _read_as_a_box(ink, box, BOXED_OPTION_CONFIDENCE)) is not None:
            more.append(mark)
            known.append(box)
    return more


def _an_answer_after_a_glyph(text: str) -> bool:
    """True for a word that is one glyph, then an answer ("My", "ONo", "®Immune"), the glyph no
    letter of the answer ("Yes" itself, "Not" itself, are no such word)."""
    rest = text[1:].strip("()[]|")
    return len(text) >= 2 and rest.casefold() in ANSWER_OPTIONS and text.casefold() not in ANSWER_OPTIONS


def _level(box: Box, word: Box) -> bool:
    side = box[3] - box[1]
    middle = (word[1] + word[3]) / 2
    return box[1] - LEVEL_SHARE * side <= middle <= box[3] + LEVEL_SHARE * side


def _box_at(ink: np.ndarray, left: int, sibling: Box) -> Box | None:
    """The box of ``sibling``'s size near ``left``, level with ``sibling``, whose sides hold the
    most ink; None when it would leave the page."""
    side_x, side_y = sibling[2] - sibling[0], sibling[3] - sibling[1]
    slack = max(1, round(START_SLACK * side_x))
    best: tuple[float, Box] | None = None
    for x0 in range(left - slack, left + slack + 1):
        box = (x0, sibling[1], x0 + side_x, sibling[1] + side_y)
        if x0 < 0 or box[2] > ink.shape[1] or box[3] > ink.shape[0]:
            continue
        crop = ink[box[1] : box[3], box[0] : box[2]] > 0
        score = float(crop[:, :2].mean() + crop[:, -2:].mean())
        if best is None or score > best[0]:
            best = (score, box)
    return None if best is None else best[1]
