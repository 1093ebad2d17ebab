"""Circled answers: a word a patient or clerk circled ("circle one: Yes  No") is found as a thin
closed loop round written text, painted out before OCR (a ring through the letters is read as
part of them, or loses the word) and reported as a selected mark whose option is the word.

A ring is told from what else on a page closes a loop by its size and shape: taller than the
print (a letter "O" or a radio circle is not), as wide as a word at least, round rather than
square (a ruled box fills its bounding box, an ellipse pi/4 of it), thin-stroked, and holding
ink (an empty loop circles nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from extraction.pixel_stats import median
from extraction.structure.geometry import area, overlap_area
from extraction.structure.ink import binary, ink_threshold
from extraction.structure.types import SelectionMark
from extraction.types import Box, Word, union_box

# A ring round a word is this many text heights high, and at most this many wide.
MIN_RING_HEIGHTS = 1.15
MAX_RING_HEIGHTS = 4.0
MAX_RING_WIDTH_HEIGHTS = 16.0
# Its outline's area over its bounding box's: an ellipse fills pi/4 = 0.785, a hand-drawn loop
# a little less or more; a ruled box, even with rounded corners, fills more than 0.9.
RING_FILL = (0.6, 0.9)
# Its inside is mostly paper and written text: the hole is most of the outline's area, or, for
# a small loop whose stroke a low resolution or a blur thickened, its stroke is as thin as a
# pen's (a filled blob's "stroke" is half its width).
MIN_HOLE_SHARE = 0.6
MAX_STROKE_HEIGHTS = 0.25
# Ink inside the hole, as a share of the hole: a word's letters leave at least this.
MIN_INSIDE_INK = 0.02
# How sure a circled answer is: a loop is an unmistakable mark, but it may circle two words.
RING_CONFIDENCE = 0.9
# What a tick or a cross is read as ("x", "xX", "✓"): a loop round one is a ticked box, and no
# answer circles a tick.
TICKS = frozenset("xX✓✔✗✘/\\")


@dataclass(frozen=True)
class Ring:
    """A closed loop round text: its bounding box, its outer outline (an OpenCV contour) and
    its stroke width, to paint it out with."""

    box: Box
    outline: np.ndarray
    stroke: float


def find_rings(gray: np.ndarray, height: float, threshold: int | None = None) -> list[Ring]:
    """The closed loops drawn round text on the page, in no particular order. ``threshold`` is
    the page's ``ink_threshold`` when the caller has it (not None: a page with ink)."""
    if gray.ndim != 2 or gray.size == 0 or min(gray.shape) < 8:
        return []
    threshold = ink_threshold(gray) if threshold is None else threshold
    if threshold is None:
        return []
    ink = binary(gray, threshold)
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return []
    links = hierarchy[0]
    rings = []
    for index, contour in enumerate(contours):
        if links[index][3] != -1:
            continue  # a hole
        ring = _ring(contour, _holes(contours, links, index), ink, height)
        if ring is not None:
            rings.append(ring)
    return rings


def without_rings(gray: np.ndarray, height: float, threshold: int | None = None) -> np.ndarray:
    """A copy of the page with the rings round circled words painted out, for OCR; a page with
    none comes back unchanged (the same array). ``threshold`` as ``find_rings`` takes it."""
    rings = find_rings(gray, height, threshold)
    if not rings:
        return gray
    mask = np.zeros(gray.shape, np.uint8)
    for ring in rings:
        # Drawn along the loop's own outline, the band covers its stroke (inwards) and its
        # antialiased edge, and cuts a letter touching it only where it touches.
        cv2.drawContours(mask, [ring.outline], -1, 255, thickness=round(2 * ring.stroke + 3))
    cleaned = gray.copy()
    cleaned[mask > 0] = np.maximum(gray[mask > 0], int(median(gray[::8, ::8])))
    return cleaned


def circled_marks(rings: Sequence[Ring], words: Sequence[Word]) -> tuple[SelectionMark, ...]:
    """A selected mark for each ring: the circled words are its option. A ring holds ink (see
    ``find_rings``); when OCR read no word of it (the loop crowding a short word: "No"), its
    option is left unread ("") and its place is the ring's, to be read again there."""
    marks = []
    for ring in rings:
        inside = [w for w in words if w.text.strip() and overlap_area(w.box, ring.box) >= 0.6 * area(w.box)]
        inside.sort(key=lambda w: w.box[0])
        if inside and all(set(w.text.strip()) <= TICKS for w in inside):
            continue  # a box ticked or crossed, its outline worn round by a fax: no circled word
        option_box = union_box([w.box for w in inside]) if inside else ring.box
        option = " ".join(w.text for w in inside)
        marks.append(SelectionMark(ring.box, "ring", True, option, option_box, RING_CONFIDENCE))
    return tuple(marks)


def _holes(contours: Sequence[np.ndarray], links: np.ndarray, index: int) -> list[np.ndarray]:
    holes, child = [], links[index][2]
    while child != -1:
        holes.append(contours[child])
        child = links[child][0]
    return holes


def _ring(contour: np.ndarray, holes: list[np.ndarray], ink: np.ndarray, height: float) -> Ring | None:
    x, y, w, h = cv2.boundingRect(contour)
    # Measured across the written line whichever way it runs: rings are painted out before OCR,
    # which is when a page scanned sideways is found to be sideways.
    across, along = min(w, h), max(w, h)
    if not MIN_RING_HEIGHTS * height <= across <= MAX_RING_HEIGHTS * height:
        return None
    if along > MAX_RING_WIDTH_HEIGHTS * height:
        return None
    outline = cv2.contourArea(contour)
    if not RING_FILL[0] <= outline / (w * h) <= RING_FILL[1] or not holes:
        return None
    hole = max(holes, key=cv2.contourArea)
    hole_area = cv2.contourArea(hole)
    perimeter = max(1.0, cv2.arcLength(contour, closed=True))
    # Letters touching the loop part its hole; what the loop encloses is all its holes.
    enclosed = sum(cv2.contourArea(h) for h in holes)
    if enclosed < MIN_HOLE_SHARE * outline and (outline - enclosed) / perimeter > MAX_STROKE_HEIGHTS * height:
        return None
    inside = np.zeros((h, w), np.uint8)
    cv2.drawContours(inside, [hole - (x, y)], -1, 255, thickness=cv2.FILLED)
    inside = cv2.erode(inside, np.ones((3, 3), np.uint8))
    written = np.count_nonzero(ink[y : y + h, x : x + w] & inside)
    if written < MIN_INSIDE_INK * max(1.0, hole_area):
        return None
    stroke = max(1.0, (outline - hole_area) / perimeter)
    return Ring((x, y, x + w, y + h), contour, stroke)
