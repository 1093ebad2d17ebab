"""Box arithmetic for the page's structure: areas, overlaps, containment, one box against many.

Boxes are ``(x0, y0, x1, y1)`` pixels, like every box in ``extraction.types``; ``boxes`` arrays
are ``(n, 4)`` of the same.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from extraction.types import Box, Word


def passes_between(rule: Box, left: Word, right: Word) -> bool:
    """True when a vertical rule runs in the gap between two words (allowing a pixel or two of
    overlap each side) at their height."""
    centre = (rule[0] + rule[2]) / 2
    slack = max(2.0, (rule[2] - rule[0]) / 2)
    between = left.x1 - slack <= centre <= right.x0 + slack
    top, bottom = min(left.box[1], right.box[1]), max(left.box[3], right.box[3])
    middle = (top + bottom) / 2
    return between and rule[1] <= middle <= rule[3]


def area(box: Box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def overlap_area(a: Box, b: Box) -> int:
    return area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def overlaps(box: Box, boxes: np.ndarray) -> np.ndarray:
    """The area ``box`` shares with each of ``boxes`` ((n, 4) array)."""
    w = np.minimum(boxes[:, 2], box[2]) - np.maximum(boxes[:, 0], box[0])
    h = np.minimum(boxes[:, 3], box[3]) - np.maximum(boxes[:, 1], box[1])
    return np.maximum(w, 0) * np.maximum(h, 0)


def areas(boxes: np.ndarray) -> np.ndarray:
    return np.maximum(boxes[:, 2] - boxes[:, 0], 0) * np.maximum(boxes[:, 3] - boxes[:, 1], 0)


def iou(box: Box, boxes: np.ndarray) -> np.ndarray:
    shared = overlaps(box, boxes)
    union = area(box) + areas(boxes) - shared
    return np.where(union > 0, shared / np.maximum(union, 1), 0.0)


def inside_any(word_boxes: np.ndarray, mark_boxes: Sequence[Box]) -> np.ndarray:
    """For each word box, whether at least half of it lies inside one of the mark boxes."""
    inside = np.zeros(len(word_boxes), dtype=bool)
    for box in mark_boxes:
        inside |= overlaps(box, word_boxes) >= 0.5 * areas(word_boxes)
    return inside


# A box OCR read into a word as its first glyph stands this share of its width of the word's start.
AT_START_SHARE = 0.25


def at_the_start(mark: Box, lefts: np.ndarray | int) -> np.ndarray | bool:
    """Whether ``mark`` stands at the start of the word (or words: ``lefts``, their left edges)
    it lies in, where OCR reads a box run into its option as the word's first glyph."""
    return np.abs(lefts - mark[0]) <= AT_START_SHARE * (mark[2] - mark[0]) + 1


def contains(outer: Box, inner: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def word_boxes(words: Sequence[Word]) -> np.ndarray:
    return np.array([w.box for w in words], dtype=np.int64).reshape(-1, 4)


def grow(box: Box, by: int, shape: tuple[int, ...]) -> Box:
    """``box`` grown by ``by`` pixels on every side, kept on the page."""
    return (max(0, box[0] - by), max(0, box[1] - by), min(shape[1], box[2] + by), min(shape[0], box[3] + by))
