"""Comb boxes: a run of small equal boxes side by side, one character per box (a date's
DD | MM | YYYY, a phone's digits), or the teeth of a comb rising from one base line.

OCR reads each box's walls as "|", "1" or "[" among the digits ("|4|3/4+|/|O|4|" for 1934/06),
and the walls are too short for ``without_rules`` to paint out (that would take letter strokes
too). What tells a comb from letters is its regularity: three or more thin vertical strokes of
one height, standing on a horizontal line at one pitch about a character wide. ``find_combs``
finds those runs; ``without_combs`` paints their walls and base lines out so the digits are read
as one line, and ``find_structure`` drops the cells and vertical rules inside a comb so the line
is not split back into one run per box.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence

import cv2
import numpy as np

from extraction.structure.ink import binary, ink_threshold, labelling_order, own_pixels, part_boxes
from extraction.types import Box, Word

# A wall is a vertical stroke at least this many text heights tall (a tooth of a comb drawn on a
# base line is about half a box) and at most this many (a table row's side is taller).
MIN_WALL_HEIGHTS = 0.45
MAX_WALL_HEIGHTS = 3.5
# ... and thinner than this many text heights (plus a pixel or two of antialiasing; a digit's
# stem touching the wall widens it).
MAX_WALL_WIDTH_HEIGHTS = 0.4
# A base line (or a box's top) is a horizontal run at least this many text heights long.
LINE_HEIGHTS = 0.8
# The pitch of a comb, one box's width, in text heights: about one character, with room round it.
MIN_PITCH_HEIGHTS = 1.3
MAX_PITCH_HEIGHTS = 3.5
# Most walls of a comb are ruled thin, thinner than this many text heights: the stems of bold
# letters whose serifs join into a line at their feet are thicker.
RULE_WIDTH_HEIGHTS = 0.25
# Walls closer than this share of the pitch are the two sides of a gap between spaced boxes.
INNER_GAP_SHARE = 0.45
# Walls of one comb: heights within this share of their median, box widths within this share of
# the pitch, tops and bottoms within this many text heights of the wall before.
HEIGHT_SPREAD = 0.3
PITCH_SPREAD = 0.25
LEVEL_HEIGHTS = 0.25
# A line runs under at least this share of each box, from wall to wall.
MIN_FLOOR_SHARE = 0.8
# The groups of one comb (DD | MM | YYYY) are at most this many text heights apart.
GROUP_GAP_HEIGHTS = 2.5
# A line runs along the comb's base or the boxes' tops when it is under (or over) at least this
# share of it: the gaps between spaced boxes have none, and where teeth end mid-digit only the
# digits' bars lie across.
LINE_ALONG_SHARE = 0.5
# A comb has at least this many boxes; one or two lone boxes are checkboxes or a lone cell.
MIN_BOXES = 2


def find_combs(gray: np.ndarray, height: float, threshold: int | None = None) -> tuple[Box, ...]:
    """The outlines of the page's combs, in reading order (walls included); the groups of one
    value (DD | MM | YYYY with '/' printed between) make one comb.

    ``gray`` is the page (uint8, dark ink on light paper); ``height`` the text height in pixels.
    A run of walls whose spacing or heights are uneven (letters on an underline, a table's
    columns) or that do not stand on one line is no comb. A blank page has none. ``threshold``
    is the page's ``ink_threshold`` when the caller has it (not None: a page with ink).
    """
    runs, _ = _comb_runs(gray, height, threshold)
    return _merged([_outline(run) for run in runs], height)


def without_combs(gray: np.ndarray, height: float, threshold: int | None = None) -> np.ndarray:
    """A copy of the page with the walls and lines of its combs painted out, for OCR; a page with
    no comb comes back unchanged (the same array). ``threshold`` as ``find_combs`` takes it."""
    runs, horizontal = _comb_runs(gray, height, threshold)
    if not runs:
        return gray
    mask = np.zeros(gray.shape, dtype=bool)
    thickness = max(2, round(0.15 * height))
    for run in runs:
        x0, x1 = run[0].box[0], run[-1].box[2]
        for wall in run:
            wx0, wy0, wx1, wy1 = wall.box
            mask[wy0:wy1, wx0:wx1] |= wall.pixels
        # Only the rows of the base line and of the boxes' tops, and a row only where a line runs
        # along the comb: the teeth of a comb drawn on a base line end mid-character, where a
        # bold digit's bar is as long as a short line.
        bottom = max(w.box[3] for w in run)
        top = min(w.box[1] for w in run)
        for row in (bottom, top):
            y0, y1 = max(0, row - thickness - 2), min(gray.shape[0], row + thickness + 2)
            band = horizontal[y0:y1, max(0, x0 - 2) : x1 + 2] > 0
            if band.size and band.any(axis=0).mean() >= LINE_ALONG_SHARE:
                mask[y0:y1, max(0, x0 - 2) : x1 + 2] |= band
    mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    side = 2 * thickness + 3
    lightest = cv2.dilate(gray, np.ones((side, side), np.uint8))
    cleaned = gray.copy()
    cleaned[mask] = lightest[mask]
    return cleaned


def inside_comb(box: Box, combs: Sequence[Box]) -> bool:
    """Whether ``box`` lies (its centre) inside one of ``combs``."""
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(c[0] <= cx <= c[2] and c[1] <= cy <= c[3] for c in combs)


def one_line_combs(combs: Sequence[Box], words: Sequence[Word]) -> tuple[Box, ...]:
    """``combs`` less those holding words on two rows, one wholly above the other: a comb holds
    one line of characters, one to a box, while a ruled cell with a caption over what was
    written in it, its handwriting's strokes standing like walls, holds two ("Patient name"
    over "Austin Reed"); joined as one comb's characters they read as one word of both."""
    return tuple(comb for comb in combs if not _two_rows(_words_inside(comb, words)))


def _words_inside(comb: Box, words: Sequence[Word]) -> list[Word]:
    return [w for w in words if any(ch.isalnum() for ch in w.text) and inside_comb(w.box, (comb,))]


def _two_rows(words: Sequence[Word]) -> bool:
    """True when one of ``words`` stands wholly above another."""
    return any(a.box[3] <= b.box[1] for a in words for b in words)


class _Wall:
    """One vertical stroke standing on a horizontal line: its box and its own pixels in it."""

    def __init__(self, box: Box, pixels: np.ndarray) -> None:
        self.box = box
        self.pixels = pixels

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def _opened(ink: np.ndarray, width: int, height: int) -> np.ndarray:
    """The runs of ink at least ``width`` x ``height`` pixels (a morphological opening)."""
    return cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (width, height)))


def _comb_runs(
    gray: np.ndarray, height: float, threshold: int | None = None
) -> tuple[list[list[_Wall]], np.ndarray]:
    """The walls of each comb group, and the page's horizontal lines (an empty mask when the
    page has no ink); ``threshold`` as ``find_combs`` takes it."""
    if gray.ndim != 2 or gray.size == 0 or min(gray.shape) < 8:
        return [], np.zeros((1, 1), np.uint8)
    threshold = ink_threshold(gray) if threshold is None else threshold
    if threshold is None:
        return [], np.zeros((1, 1), np.uint8)
    ink = binary(gray, threshold)
    horizontal = _opened(ink, max(8, round(LINE_HEIGHTS * height)), 1)
    if not horizontal.any():
        return [], horizontal
    walls = _walls(ink, horizontal, height)
    runs = [run for chain in _chains(walls, height) for run in _even_parts(chain, horizontal, height)]
    runs = [run for run in runs if _is_comb(run, horizontal, height) and not _in_grid(run, walls, height)]
    return runs, horizontal


def _walls(ink: np.ndarray, horizontal: np.ndarray, height: float) -> list[_Wall]:
    """Thin vertical strokes of a wall's height whose lower end stands on a horizontal line, in
    the order ``components`` numbers them."""
    vertical = _opened(ink, 1, max(5, round(MIN_WALL_HEIGHTS * height)))
    boxes, starts = part_boxes(vertical)
    x, y, w, h = boxes.T
    sized = (MIN_WALL_HEIGHTS * height <= h) & (h <= MAX_WALL_HEIGHTS * height)
    sized &= w <= MAX_WALL_WIDTH_HEIGHTS * height + 2
    # The line runs through the wall's last pixels: the wall ends on it, not above or below it
    # (a digit "1" in a box ends above the box's floor). Every stem of a letter is a candidate:
    # those with no line ink in their foot's rows at all are dropped at once, the rest looked at.
    reach = _reach(height)
    lined_rows = np.concatenate(([0], np.cumsum(horizontal.any(axis=1))))
    foot_top, foot_bottom = np.maximum(0, y + h - reach), y + h
    candidates = sized & (lined_rows[foot_bottom] > lined_rows[foot_top])
    walls = []
    for i in np.flatnonzero(candidates):
        left, top, right, bottom = (int(v) for v in (x[i], y[i], x[i] + w[i], foot_bottom[i]))
        if horizontal[int(foot_top[i]) : bottom, max(0, left - reach) : right + reach].any():
            box = (left, top, right, bottom)
            walls.append(_Wall(box, own_pixels(vertical[top:bottom, left:right], starts[i] - (left, top))))
    # Walls at one x are sorted (``_chains``) in the order ``components`` would have given them.
    return sorted(walls, key=lambda wall: labelling_order(wall.box[0], wall.box[1], wall.pixels))


def _reach(height: float) -> int:
    """How far (pixels) a line may lie from a wall's end and still be the line it stands on."""
    return max(2, round(0.15 * height))


def _chains(walls: list[_Wall], height: float) -> list[list[_Wall]]:
    """Walls chained left to right, each at most a wide box from the last and level with it."""
    chains: list[list[_Wall]] = []
    for wall in sorted(walls, key=lambda w: w.box[0]):
        for chain in chains:
            last = chain[-1]
            gap = wall.box[0] - last.box[0]
            # Level with the last wall at both ends: a digit "1" standing on a box's floor is
            # shorter than the box, and does not break the chain of walls round it.
            level = (
                max(abs(wall.box[1] - last.box[1]), abs(wall.box[3] - last.box[3])) <= LEVEL_HEIGHTS * height
            )
            if 0 < gap <= MAX_PITCH_HEIGHTS * height and level:
                chain.append(wall)
                break
        else:
            chains.append([wall])
    return chains


def _in_grid(run: list[_Wall], walls: list[_Wall], height: float) -> bool:
    """Whether most of the run's walls continue into a row above or below: the narrow columns of
    a table (a Yes | No answer grid), not a comb, which is one row of boxes."""
    near = 0.3 * height
    members = {id(w) for w in run}

    def continued(wall: _Wall) -> bool:
        return any(
            id(other) not in members
            and abs(other.box[0] - wall.box[0]) <= near
            and (abs(other.box[3] - wall.box[1]) <= near or abs(other.box[1] - wall.box[3]) <= near)
            for other in walls
        )

    return 2 * sum(continued(w) for w in run) >= len(run)


def _even_parts(chain: list[_Wall], horizontal: np.ndarray, height: float) -> list[list[_Wall]]:
    """The chain cut wherever a gap is neither a box (the pitch, the chain's commonest wide gap,
    with a line under it) nor the narrow space between spaced boxes: the '/' or '-' printed
    between a comb's groups, or the end of the comb."""
    gaps = _gaps(chain)
    wide = [g for g in gaps if g >= MIN_PITCH_HEIGHTS * height]
    if not wide:
        return []
    pitch = statistics.median(wide)
    parts: list[list[_Wall]] = [[chain[0]]]
    for gap, wall in zip(gaps, chain[1:], strict=True):
        wide = gap >= INNER_GAP_SHARE * pitch
        if wide and (
            abs(gap - pitch) > PITCH_SPREAD * pitch or not _floored(parts[-1][-1], wall, horizontal, height)
        ):
            parts.append([wall])
        else:
            parts[-1].append(wall)
    return parts


def _gaps(chain: list[_Wall]) -> list[int]:
    return [b.box[0] - a.box[0] for a, b in itertools.pairwise(chain)]


def _is_comb(run: list[_Wall], horizontal: np.ndarray, height: float) -> bool:
    """Even walls at one pitch on one line: box gaps within ``PITCH_SPREAD`` of their median, the
    rest (between spaced boxes) small, heights within ``HEIGHT_SPREAD``, and a line under each
    box from wall to wall (letters with a bar at their foot have none)."""
    gaps = _gaps(run)
    if not gaps:
        return False
    pitch = statistics.median(g for g in gaps if g >= INNER_GAP_SHARE * max(gaps))
    if not (MIN_PITCH_HEIGHTS * height <= pitch <= MAX_PITCH_HEIGHTS * height):
        return False
    pairs = [(a, b) for a, b in itertools.pairwise(run) if b.box[0] - a.box[0] >= INNER_GAP_SHARE * pitch]
    if len(pairs) < MIN_BOXES or any(
        abs(b.box[0] - a.box[0] - pitch) > PITCH_SPREAD * pitch for a, b in pairs
    ):
        return False
    if statistics.median(w.box[2] - w.box[0] for w in run) > RULE_WIDTH_HEIGHTS * height:
        return False
    typical = statistics.median(w.height for w in run)
    if any(abs(w.height - typical) > HEIGHT_SPREAD * typical for w in run):
        return False
    return all(_floored(a, b, horizontal, height) for a, b in pairs)


def _floored(left: _Wall, right: _Wall, horizontal: np.ndarray, height: float) -> bool:
    """Whether a line runs under most of the box between two walls, at their feet."""
    reach = _reach(height)
    y0 = max(0, min(left.box[3], right.box[3]) - 2 * reach)
    y1 = max(left.box[3], right.box[3]) + 1
    under = horizontal[y0:y1, left.box[2] : right.box[0]]
    return under.size > 0 and (under.any(axis=0).mean() >= MIN_FLOOR_SHARE)


def _merged(outlines: list[Box], height: float) -> tuple[Box, ...]:
    """Comb groups side by side, less than ``GROUP_GAP_HEIGHTS`` apart, as one comb."""
    merged: list[Box] = []
    for box in sorted(outlines, key=lambda b: (b[0], b[1])):
        for i, other in enumerate(merged):
            level = min(box[3], other[3]) - max(box[1], other[1]) > 0.5 * (box[3] - box[1])
            if level and 0 <= box[0] - other[2] <= GROUP_GAP_HEIGHTS * height:
                merged[i] = (other[0], min(box[1], other[1]), box[2], max(box[3], other[3]))
                break
        else:
            merged.append(box)
    return tuple(sorted(merged, key=lambda b: (b[1], b[0])))


def _outline(run: list[_Wall]) -> Box:
    """The run's outline, walls included, at least a box high: the teeth of a comb drawn on a
    base line are half a box, and its characters stand above them."""
    gaps = _gaps(run)
    pitch = statistics.median(g for g in gaps if g >= INNER_GAP_SHARE * max(gaps))
    bottom = max(w.box[3] for w in run)
    top = min(min(w.box[1] for w in run), round(bottom - pitch))
    return (run[0].box[0], max(0, top), run[-1].box[2], bottom)
