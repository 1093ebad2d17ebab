"""Ink that stands where a rule might and is letters: what the words read on a page tell
``extraction.structure.rules`` about the fragments its morphology found. The stems of letters in
a row set tight round its text, the tall strokes of a hand, and the feet of a bold face's letters
run together look like short rules; taken for rules they cut the words they belong to apart.

Boxes are (x0, y0, x1, y1) rows of numpy arrays, all at one scale.
"""

from __future__ import annotations

import numpy as np

from extraction.types import on_one_row

# A cell's side runs past the words beside it by this share of their height above and below;
# a letter's stem does not.
LETTER_STROKE_REACH = 0.25
# A vertical stroke this much of whose length lies inside the words read where it passes is
# written, not ruled: a ruled line runs through the gaps between lines and words as well.
WRITTEN_COVER = 0.9


def letter_strokes(boxes: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Which vertical fragments stand over a word read there without running past it above and
    below: the stems of its letters. In a row set tight round its text they reach from the row's
    top rule to its bottom one like the sides of cells, and would cut the value written in the
    row into pieces. A cell's side runs past the words beside it (as ``trim_borders`` tells a
    border read into a word)."""
    if not len(boxes) or not len(words):
        return np.zeros(len(boxes), dtype=bool)
    centre_x = (boxes[:, 0:1] + boxes[:, 2:3]) / 2
    over = (words[None, :, 0] - 1 <= centre_x) & (centre_x <= words[None, :, 2] + 1)
    overlap = np.minimum(boxes[:, 3:4], words[None, :, 3]) - np.maximum(boxes[:, 1:2], words[None, :, 1])
    level = overlap >= 0.5 * (boxes[:, 3:4] - boxes[:, 1:2])
    reach = LETTER_STROKE_REACH * (words[None, :, 3] - words[None, :, 1])
    runs_past = (boxes[:, 1:2] <= words[None, :, 1] - reach) & (boxes[:, 3:4] >= words[None, :, 3] + reach)
    return (over & level & ~runs_past).any(axis=1)


def written_strokes(boxes: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Which vertical fragments lie along nearly all their length (``WRITTEN_COVER``) inside the
    boxes of the words read where they pass: the tall strokes of a hand ("f", "l", a capital's
    stem), joined across lines written close together. A rule runs through the gaps between
    lines and words too; taken for one, a hand's "f" parts its line in two."""
    found = np.zeros(len(boxes), dtype=bool)
    if not len(words):
        return found
    centre_x = (boxes[:, 0] + boxes[:, 2]) / 2
    for index, (x, box) in enumerate(zip(centre_x, boxes, strict=True)):
        top, bottom = float(box[1]), float(box[3])
        crossed = words[
            (words[:, 0] - 1 <= x) & (x <= words[:, 2] + 1) & (words[:, 1] < bottom) & (words[:, 3] > top)
        ]
        if len(crossed):
            found[index] = _covered(crossed[:, 1], crossed[:, 3], top, bottom) >= WRITTEN_COVER * (
                bottom - top
            )
    return found


def _covered(starts: np.ndarray, ends: np.ndarray, top: float, bottom: float) -> float:
    """How much of [top, bottom] the intervals [starts, ends] cover together."""
    total, reached = 0.0, top
    for start, end in sorted(zip(np.clip(starts, top, bottom), np.clip(ends, top, bottom), strict=True)):
        if end > reached:
            total += end - max(start, reached)
            reached = end
    return total


def letter_feet(boxes: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Which horizontal fragments lie in the lower half of the words of one row and reach from
    a word's start to the end of that word or of a later one on its row, neither short of them
    nor past them by more than a letter stroke's reach: the serifs of its letters run together
    along the baseline (a bold face on a noisy scan, blurred print at a low resolution, across
    the gap between two words too). A line to write on runs past the value written on it, an
    underline below the word's foot; taken for a rule, the feet of a heading's second word part
    it from the first ("Patient | Information"), the feet of "tablet QDS" its dose from them."""
    if not len(boxes) or not len(words):
        return np.zeros(len(boxes), dtype=bool)
    word_height = words[None, :, 3] - words[None, :, 1]
    reach = LETTER_STROKE_REACH * word_height
    middle = (boxes[:, 1:2] + boxes[:, 3:4]) / 2
    in_foot = (middle >= words[None, :, 1] + 0.5 * word_height) & (boxes[:, 3:4] <= words[None, :, 3] + 1)
    starts = in_foot & (np.abs(boxes[:, 0:1] - words[None, :, 0]) <= reach)
    ends = in_foot & (np.abs(boxes[:, 2:3] - words[None, :, 2]) <= reach)
    feet = (starts & ends).any(axis=1)
    for index in np.flatnonzero(~feet & starts.any(axis=1) & ends.any(axis=1)):
        feet[index] = any(
            on_one_row(tuple(first), tuple(last), share=0.5) and first[0] < last[0]
            for first in words[starts[index]]
            for last in words[ends[index]]
        )
    return feet
