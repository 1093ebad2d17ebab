"""Checkboxes OCR read into their option's word ("My" for a ticked box and its option "Y") whose
outline damage broke (a tick drawn through a corner, a fax's lost rows): no closed outline, so no
candidate, while a box of the same row was found whole.

Where a word on the row of a box found whole starts with one glyph and goes on as an answer
("y", "No", "Immune"), the glyph's place is looked at as a box of the found one's size: ink along
its sides as a box's rim runs, and the ink inside it tells whether it is ticked. A box found so is
never surer than a clerk should trust (``BOXED_OPTION_CONFIDENCE``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

from extraction.structure.geometry import overlap_area
from extraction.structure.mark_shapes import read_box_at
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

Found = tuple[Box, Literal["square", "circle"], bool, float]


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
        read = read_box_at(ink, box)
        if read is not None:
            more.append((box, "square", read[0], min(read[1], BOXED_OPTION_CONFIDENCE)))
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
