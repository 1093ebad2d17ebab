"""The shape of a mark's outline: whether an outline of a mark's size is a printed square or
circle (not a letter), and whether it is selected (``extraction.structure.marks`` finds the
outlines)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np

from extraction.types import Box

# Checkbox and radio circle sides, in text heights: a box drawn half as high as a tall ruled row
# is twice the height of the print beside it, and a form set in small type for ticking by hand
# draws its boxes up to three times its print.
MIN_MARK_HEIGHTS = 0.45
MAX_MARK_HEIGHTS = 3.0
# An outline with no thin rim round its holes is a filled-in mark when ink covers this share of
# its box (read_mark then asks more of it); a letter's strokes cover far less.
FILLED_MARK_SHARE = 0.7
# ... and when it is this many text heights high and wide at least: a box or circle is drawn as
# big as the print's capitals, and a smaller solid blot is punctuation blurred (a required
# field's "*", a bullet).
MIN_FILLED_HEIGHTS = 0.7
# Boxes of one form are one size: within this spread of the side of those found.
SIDE_SPREAD = 0.25
# Shape of the mark's outline: its enclosed area over its bounding box (corrected for the
# outline running through pixel centres). A drawn square fills it; a circle fills pi/4 = 0.785;
# the letters "O" and "o" fill 0.81-0.85 in DejaVu Sans and Serif and "D" 0.76-0.91 (measured
# clean, rotated, noisy and JPEG'd; drawn circles measured 0.74-0.79).
MIN_SQUARE_FILL = 0.92
# A mark's sides: the longer at most this many times the shorter.
MAX_SIDE_RATIO = 1.25
CIRCLE_FILL = (0.70, 0.80)
MIN_CIRCLE_ASPECT = 0.9
# Stubs joined to a box's outline by damage (see ``_without_stubs``) are at most this share of
# the area it encloses.
STUB_SHARE = 0.1
# The mark's border: at most this share of its side thick, and its thickest side at most this
# many times its thinnest (a letter's strokes vary more, a printed box's do not).
MAX_BORDER_SHARE = 0.2
MAX_BORDER_SPREAD = 1.6
# A mark whose interior holds more ink than this share is selected; confidence grows with the
# distance from it.
SELECTED_INK_SHARE = 0.06
# A solid blob this full is a filled-in mark.
SOLID_INK_SHARE = 0.9
# A box whose rim a fax broke open, closed again, has ink along this share of each of its sides
# within a rim's thickness of the edge (a letter's loop leaves its corners bare).
BROKEN_RIM_SHARE = 0.85
# A square whose inside, within its thinnest rim, is this full of ink is filled in, however
# thick the fill makes its other sides look (a letter's hole leaves far more of it paper).
FILLED_INTERIOR_SHARE = 0.75
# A printed circle's ink is its own mirror image left to right (overlap over union well above
# this, damaged or filled in by hand); a "D" or "B" is a stem on one side and bowls on the other.
MIN_MIRRORED_SHARE = 0.55


@dataclass(frozen=True)
class Outline:
    """An outline of mark size: its contour and bounding box (x1, y1 exclusive)."""

    contour: np.ndarray
    box: Box
    hollow: bool


def read_mark(ink: np.ndarray, candidate: Outline) -> tuple[Literal["square", "circle"], bool, float] | None:
    """Shape, selected and confidence of a candidate outline, or None when it is no mark: not a
    square or circle, or a rim too thick or uneven for a printed box (a letter's strokes)."""
    shaped = _outline_shape(candidate.contour, candidate.box)
    worn = shaped is None
    if worn:
        shaped = _outline_shape(*_without_stubs(candidate.contour, candidate.box))
    if shaped is None:
        return None
    shape, (x0, y0, x1, y1) = shaped
    crop = ink[y0:y1, x0:x1] > 0
    # Only a square is read without its stubs, and only one whose rim runs all round a square
    # inside: a bold "D" or "b" worn to a square by the opening holds a tall hole.
    if worn and (shape != "square" or not _rim_all_round(crop) or not _square_inside(crop)):
        return None
    # Filled in: a solid blob fills its own outline completely. A box filled to a hair's width
    # of its rim keeps a hole or two of that hair, but no rim of a printed box's thickness.
    solid = crop.mean() / (1.0 if shape == "square" else np.pi / 4)
    if solid >= SOLID_INK_SHARE:
        return shape, True, _confidence(solid, SOLID_INK_SHARE)
    if not candidate.hollow:
        return None
    rims = _rim_thickness(crop, 3)
    thickest = _thickest_rim(crop)
    # A thick tick at a low resolution may touch a side all along its middle third: read
    # across the middle two thirds, a square's straight rim shows where the tick leaves it (a
    # round outline's, or a letter's, thins toward its ends and is read on its middle only).
    if not _printed_rim(rims, thickest) and not (
        shape == "square" and _printed_rim(_rim_thickness(crop, 6), thickest)
    ):
        # Filled short of its rim on some sides only (a low-resolution scan), the fill runs into
        # the rim on the others, which then read thick: inside its thinnest rim it is ink all the same.
        inside = _interior_ink(crop, min(rims), shape)
        if shape == "square" and inside >= FILLED_INTERIOR_SHARE:
            return shape, True, _confidence(inside, FILLED_INTERIOR_SHARE)
        return None
    share = _interior_ink(crop, min(max(rims), int(thickest)), shape)
    return shape, share >= SELECTED_INK_SHARE, _confidence(share, SELECTED_INK_SHARE)


def lopsided(ink: np.ndarray, box: Box) -> bool:
    """True when the ink in ``box`` is not its own mirror image left to right
    (``MIN_MIRRORED_SHARE``): a letter's stem and bowl ("D"), not a printed circle."""
    x0, y0, x1, y1 = box
    crop = ink[y0:y1, x0:x1] > 0
    union = (crop | crop[:, ::-1]).sum()
    return bool(union) and (crop & crop[:, ::-1]).sum() < MIN_MIRRORED_SHARE * union


def read_box_at(ink: np.ndarray, box: Box) -> tuple[bool, float] | None:
    """Selected and confidence of a square ``box`` of ``ink`` known for a box by its place:
    read from the ink inside its rim, however uneven damage left the rim; None when ink does not
    run round its edges as a box's rim does (a letter's loop rounds off at the corners)."""
    x0, y0, x1, y1 = box
    crop = ink[y0:y1, x0:x1] > 0
    if not _rim_all_round(crop):
        return None
    band = max(1, int(_thickest_rim(crop)))
    # A fax's rows shifted and doubled make a rim's thickness vary along it: the inside is read
    # within the thickest rim a box may have, where a tick or a cross still crosses it.
    share = _interior_ink(crop, band, "square")
    return share >= SELECTED_INK_SHARE, _confidence(share, SELECTED_INK_SHARE)


def _outline_shape(contour: np.ndarray, box: Box) -> tuple[Literal["square", "circle"], Box] | None:
    """The outline's shape by how it fills its box (``_fill``), "square" or "circle", with that
    box; None for any other shape."""
    fill = _fill(contour, box)
    w, h = box[2] - box[0], box[3] - box[1]
    if fill >= MIN_SQUARE_FILL:
        return "square", box
    if CIRCLE_FILL[0] <= fill <= CIRCLE_FILL[1] and min(w, h) >= MIN_CIRCLE_ASPECT * max(w, h):
        return "circle", box
    return None


def _without_stubs(contour: np.ndarray, box: Box) -> tuple[np.ndarray, Box]:
    """The outline and its box without the thin stubs a damaged page joins to a box's edge (a
    fax's rows shifted sideways, a speck of noise), which grow the outline's box past the mark's
    so that it no longer fills it as a square: the area it encloses opened with a square three
    quarters of the box's side, which a printed square outlasts whole and a stub, thinner, does
    not. The outline as it was when the opening took off more than STUB_SHARE of its area, or
    mostly from within the box it leaves (a letter's rounded corners, not a stub sticking out)."""
    x0, y0, x1, y1 = box
    shift = np.array([x0 - 1, y0 - 1])
    area = np.zeros((y1 - y0 + 2, x1 - x0 + 2), np.uint8)
    cv2.drawContours(area, [contour - shift], -1, 1, thickness=cv2.FILLED)
    side = max(3, 3 * min(x1 - x0, y1 - y0) // 4)
    opened = cv2.morphologyEx(area, cv2.MORPH_OPEN, np.ones((side, side), np.uint8))
    if opened.sum() < (1 - STUB_SHARE) * area.sum():
        return contour, box
    contours, _ = cv2.findContours(opened, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if len(contours) != 1:
        return contour, box
    left, top, width, height = cv2.boundingRect(contours[0])
    worn = area.astype(bool) & ~opened.astype(bool)
    within = worn[top : top + height, left : left + width].sum()
    if within > worn.sum() / 2:
        return contour, box
    left, top = left + x0 - 1, top + y0 - 1
    return contours[0] + shift, (left, top, left + width, top + height)


def _square_inside(crop: np.ndarray) -> bool:
    """True when the paper a mark's ``crop`` (ink True) encloses (every part of it clear of the
    crop's edge: a tick or cross splits a box's inside) spans a square, within ``MAX_SIDE_RATIO``."""
    paper = (~crop).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(paper, connectivity=4)
    h, w = paper.shape
    inside = [
        (x, y, x + bw, y + bh)
        for x, y, bw, bh, _ in stats[1:count]
        if x > 0 and y > 0 and x + bw < w and y + bh < h
    ]
    if not inside:
        return False
    width = max(b[2] for b in inside) - min(b[0] for b in inside)
    height = max(b[3] for b in inside) - min(b[1] for b in inside)
    return max(width, height) <= MAX_SIDE_RATIO * min(width, height)


def _thickest_rim(crop: np.ndarray) -> float:
    """The thickest rim a mark the size of ``crop`` may have (``MAX_BORDER_SHARE`` of its side)."""
    return MAX_BORDER_SHARE * min(crop.shape) + 1


def _rim_all_round(crop: np.ndarray) -> bool:
    """True when ink runs along ``BROKEN_RIM_SHARE`` of each side of a mark's ``crop`` (ink True)
    within the thickest rim a box may have, as a printed box's rim does (a letter's loop leaves
    its corners bare)."""
    band = max(1, int(_thickest_rim(crop)))
    edges = (
        crop[:band].any(axis=0),
        crop[-band:].any(axis=0),
        crop[:, :band].any(axis=1),
        crop[:, -band:].any(axis=1),
    )
    return min(edge.mean() for edge in edges) >= BROKEN_RIM_SHARE


def _fill(contour: np.ndarray, box: Box) -> float:
    """The outline's enclosed area over ``box`` (corrected for the outline running through pixel
    centres), at most 1."""
    w, h = box[2] - box[0], box[3] - box[1]
    return min(1.0, cv2.contourArea(contour) / max(1, (w - 1) * (h - 1)))


def _printed_rim(rims: tuple[int, int, int, int], thickest: float) -> bool:
    """True when the rim is thin and even, as a printed box's is (a letter's strokes vary)."""
    return max(rims) <= thickest and max(rims) <= MAX_BORDER_SPREAD * min(rims) + 1


def _rim_thickness(crop: np.ndarray, margin: int) -> tuple[int, int, int, int]:
    """How thick the outline is on the left, right, top and bottom, measured across the mark
    but for a ``1 / margin`` of its side at either end; the thinnest reading per side, as a
    tick may touch the rim in some rows."""
    h, w = crop.shape
    rows = crop[h // margin : max(h // margin + 1, h - h // margin)]
    cols = crop[:, w // margin : max(w // margin + 1, w - w // margin)].T
    return (
        _first_gap(rows),
        _first_gap(rows[:, ::-1]),
        _first_gap(cols),
        _first_gap(cols[:, ::-1]),
    )


def _first_gap(lines: np.ndarray) -> int:
    """The thinnest first run of ink across ``lines`` (rows of a crop): a skewed box's edge may
    start a pixel or two in from the crop's edge, so paper before the run is skipped."""
    started = np.maximum.accumulate(lines, axis=1)
    paper_after = started & ~lines
    first_ink = lines.argmax(axis=1)
    end = np.where(paper_after.any(axis=1), paper_after.argmax(axis=1), lines.shape[1])
    runs = np.where(lines.any(axis=1), end - first_ink, lines.shape[1])
    return int(runs.min())


def _interior_ink(crop: np.ndarray, rim: int, shape: str) -> float:
    """The share of ink inside the mark's rim: the inset box for a square, the square inscribed
    in the inner circle for a circle (its corners would catch the ring)."""
    h, w = crop.shape
    if shape == "square":
        inset_x = inset_y = rim + 1
    else:
        inner_radius = (min(w, h) - 2 * rim) / 2
        half = max(1.0, inner_radius / np.sqrt(2) - 1)
        inset_x, inset_y = round(w / 2 - half), round(h / 2 - half)
    interior = crop[inset_y : h - inset_y, inset_x : w - inset_x]
    return float(interior.mean()) if interior.size else 0.0


def _confidence(share: float, threshold: float) -> float:
    """0.5 at the threshold, rising to 1.0 once the share is a threshold's width away from it."""
    return float(min(1.0, 0.5 + abs(share - threshold) / (2 * threshold)))


def mark_candidates(ink: np.ndarray, height: float) -> list[Outline]:
    """Outlines of a mark's size and squareness: hollow ones with a thin rim around their holes,
    and ones dense enough to be a filled-in mark, with or without a hole (a box filled to a
    hair's width of its rim keeps a sliver of hole along one side). Filtered on all outlines at
    once, so the page's letters cost no Python work each."""
    contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return []
    points = np.concatenate(contours)[:, 0, :]
    starts = np.cumsum([0] + [len(c) for c in contours[:-1]])
    x0, y0 = np.minimum.reduceat(points[:, 0], starts), np.minimum.reduceat(points[:, 1], starts)
    x1, y1 = np.maximum.reduceat(points[:, 0], starts) + 1, np.maximum.reduceat(points[:, 1], starts) + 1
    w, h = x1 - x0, y1 - y0
    parent = hierarchy[0][:, 3]
    lo, hi = MIN_MARK_HEIGHTS * height, MAX_MARK_HEIGHTS * height
    sized = (
        (parent < 0)
        & (w >= lo)
        & (w <= hi)
        & (h >= lo)
        & (h <= hi)
        & (w <= MAX_SIDE_RATIO * h)
        & (h <= MAX_SIDE_RATIO * w)
    )
    # The union of each outline's holes: a tick or cross splits a box's interior into several.
    n = len(contours)
    hx0, hy0 = np.full(n, np.iinfo(np.int32).max), np.full(n, np.iinfo(np.int32).max)
    hx1, hy1 = np.full(n, -1), np.full(n, -1)
    holes = np.flatnonzero(parent >= 0)
    np.minimum.at(hx0, parent[holes], x0[holes])
    np.minimum.at(hy0, parent[holes], y0[holes])
    np.maximum.at(hx1, parent[holes], x1[holes])
    np.maximum.at(hy1, parent[holes], y1[holes])
    rim = MAX_BORDER_SHARE * np.minimum(w, h) + 2
    hollow = (hx1 >= 0) & (hx0 - x0 <= rim) & (hy0 - y0 <= rim) & (x1 - hx1 <= rim) & (y1 - hy1 <= rim)
    sums = cv2.integral((ink > 0).view(np.uint8))
    inked = sums[y1, x1] - sums[y0, x1] - sums[y1, x0] + sums[y0, x0]
    solid_side = MIN_FILLED_HEIGHTS * height
    dense = (inked >= FILLED_MARK_SHARE * np.maximum(1, w * h)) & (w >= solid_side) & (h >= solid_side)
    chosen = np.flatnonzero(sized & (hollow | dense))
    return [
        Outline(contours[i], (int(x0[i]), int(y0[i]), int(x1[i]), int(y1[i])), bool(hollow[i]))
        for i in chosen
    ]


def side_sized(box: Box, side: float) -> bool:
    """True when both sides of ``box`` are within ``SIDE_SPREAD`` of ``side``."""
    short, long = sorted((box[2] - box[0], box[3] - box[1]))
    return (1 - SIDE_SPREAD) * side <= short <= long <= (1 + SIDE_SPREAD) * side
