"""Ruled lines, the cells they close in and the tables those cells make, found with OpenCV
morphology on a half-size copy of the page; and the page with its table borders painted out for OCR.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

import cv2
import numpy as np

from extraction.structure.dashes import dashed_rules
from extraction.structure.geometry import grow
from extraction.structure.ink import binary, components, ink_threshold
from extraction.structure.letter_ink import letter_feet, letter_strokes, written_strokes
from extraction.structure.types import Cell, Rule, Table
from extraction.structure.words import DEFAULT_TEXT_HEIGHT
from extraction.types import Box, union_box

# Rule and cell detection run on a copy shrunk by this factor: rules are long, so halving the
# resolution loses nothing and makes the morphology four times cheaper.
RULE_SCALE = 0.5
# A horizontal rule is at least this many text heights long: no letter stroke, dash or pair of
# touching serifs is, while the shortest underline under a value is.
HORIZONTAL_RULE_HEIGHTS = 2.5
# A run of ink this many text heights long is a rule to erase before OCR: far longer than any
# letter, even one of a heading twice the text's size.
ERASE_RULE_HEIGHTS = 4.0
# Vertical strokes of this many text heights are rule fragments; taller than "l" or "|" in most
# fonts, shorter than a table row. A vertical fragment is kept when it is long or closes a cell.
VERTICAL_KERNEL_HEIGHTS = 1.2
VERTICAL_RULE_HEIGHTS = 2.0
# A vertical stroke touching no horizontal rule is a rule only this many text heights long: a
# hand's "f", its stem and tail, reaches three, and a column's divider spans its lines.
LONE_RULE_HEIGHTS = 4.0
# Fragments of one rule separated by less than this many text heights are joined (faded scans).
RULE_GAP_HEIGHTS = 0.75
# Strokes thinner than this many (halved) line heights count as line ink; shading wider is fill.
LINE_KERNEL_HEIGHTS = 0.5
# A rule is thinner than this many text heights, plus the drift that a 1.5 degree skew adds.
RULE_THICKNESS_HEIGHTS = 0.4
SKEW_DRIFT = 0.026
# An upright rule leaning further than that is judged thin by the narrowest rectangle round it
# when it is at least this many text heights long: a table's side, never a letter's stroke.
LEANING_RULE_HEIGHTS = 4.0
# ... and its ink runs along at least this share of its length (a scan's gaps in a rule aside).
LEANING_RULE_INK = 0.9
# A cell's sides are at least this many text heights, and it covers less than this share of the
# page (a frame around the whole page is not a cell).
MIN_CELL_HEIGHTS = 0.6
MAX_CELL_PAGE_SHARE = 0.6
# A closed area filling less of its bounding box than this is not a rectangle (a frame holding
# other tables, or an area leaking through a gap).
MIN_CELL_FILL = 0.85


def without_rules(
    image: np.ndarray, height: float = DEFAULT_TEXT_HEIGHT, threshold: int | None = None
) -> np.ndarray:
    """A copy of the page with the long rules of its tables and boxes painted out, for OCR: a
    cell's border beside a value is otherwise read as part of it ("[Oct 29", "1126" for "126").

    Only runs of ink far longer than any letter (``ERASE_RULE_HEIGHTS`` text heights) and thin
    go, pixel by pixel, so a letter standing on a line keeps its strokes and a shaded band or a
    black bar is left alone. A page with no such rules comes back unchanged (the same array).
    ``threshold`` is the page's ``ink_threshold`` when the caller has it (not None: it has ink).
    """
    if image.ndim != 2 or image.size == 0 or min(image.shape) < 8:
        return image
    threshold = ink_threshold(image) if threshold is None else threshold
    if threshold is None:
        return image
    rules, grid = find_rules(image, threshold, height)
    _, tables = find_cells(grid, height, image.shape, median_thickness(rules))
    if not tables:
        return image
    ink = binary(image, threshold)
    # Only the borders of tables and boxes go: a lone underline or separator is read well as it
    # is, and a faint one would be left in broken pieces.
    in_tables = np.zeros_like(ink)
    for table in tables:
        x0, y0, x1, y1 = grow(table.box, 3, image.shape)
        in_tables[y0:y1, x0:x1] = 255
    ink &= in_tables
    length = max(20, round(ERASE_RULE_HEIGHTS * height))
    mask = np.zeros_like(ink)
    for along, across in (((length, 1), (1, 3)), ((1, length), (3, 1))):
        # Thickening across first keeps a line left tilted by deskewing long in one row.
        thick = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, across))
        runs = cv2.morphologyEx(thick, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along))
        if not runs.any():
            continue
        # Which runs are thin is told at half size (four times fewer pixels to label); the
        # pixels painted out are the full-size runs'.
        small = (
            cv2.resize(runs, None, fx=RULE_SCALE, fy=RULE_SCALE, interpolation=cv2.INTER_AREA) > 0
        ).astype(np.uint8)
        _, labels, stats, _ = components(small)
        horizontal = along[0] > 1
        long_side = stats[:, cv2.CC_STAT_WIDTH if horizontal else cv2.CC_STAT_HEIGHT] / RULE_SCALE
        short_side = stats[:, cv2.CC_STAT_HEIGHT if horizontal else cv2.CC_STAT_WIDTH] / RULE_SCALE
        thin = short_side <= RULE_THICKNESS_HEIGHTS * height + SKEW_DRIFT * long_side + 4
        thin[0] = False  # the background
        if thin[1:].any():
            keep = thin.astype(np.uint8)[labels] * 255
            keep = cv2.resize(keep, (runs.shape[1], runs.shape[0]), interpolation=cv2.INTER_NEAREST)
            mask |= keep & runs
    if not mask.any():
        return image
    # One pixel round the run takes the rule's antialiased edge. Each pixel takes the lightest
    # grey near it, so a shaded cell stays shaded up to where its border was.
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8)) > 0
    side = 2 * round(RULE_THICKNESS_HEIGHTS * height) + 3
    lightest = cv2.dilate(image, np.ones((side, side), np.uint8))
    cleaned = image.copy()
    cleaned[mask] = lightest[mask]
    return cleaned


# ---- rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Segments:
    """Rule fragments of one orientation at ``RULE_SCALE``: their outlines, their boxes (x0, y0,
    x1, y1 with x1, y1 exclusive) and which are thin enough to be a rule at all."""

    contours: Sequence[np.ndarray]
    boxes: np.ndarray
    thin: np.ndarray
    leaning: np.ndarray
    """Which are thin only as a line slanted past the skew allowance (see ``_thin_leaning``)."""

    def draw(self, mask: np.ndarray, keep: np.ndarray) -> None:
        """Paint the fragments flagged in ``keep`` onto ``mask`` as 255."""
        chosen = [self.contours[i] for i in np.flatnonzero(keep)]
        if chosen:
            cv2.drawContours(mask, chosen, -1, 255, thickness=cv2.FILLED)


def find_rules(
    gray: np.ndarray,
    threshold: int,
    height: float,
    words: Sequence[Box] = (),
    printed: Sequence[Box] = (),
) -> tuple[tuple[Rule, ...], np.ndarray]:
    """The page's rules in reading order, and a mask (at ``RULE_SCALE``) of them for
    ``find_cells``. ``words`` are the boxes of the words read on the page, if any: a short
    stroke inside one is a letter's; ``printed`` those of the words with a letter or digit: a
    run of ink along one's foot from its start to its end is its letters' feet."""
    small = cv2.resize(gray, None, fx=RULE_SCALE, fy=RULE_SCALE, interpolation=cv2.INTER_AREA)
    small_height = height * RULE_SCALE
    ink = _line_ink(small, threshold, small_height)
    horizontal = _rule_segments(ink, small_height, "horizontal")
    vertical = _rule_segments(ink, small_height, "vertical")
    top, bottom = _ends_touching(vertical.boxes, horizontal.boxes[horizontal.thin], small_height)
    keep_vertical = _keep_verticals(vertical, top & bottom, small_height)
    if len(words):
        small_words = np.array(words, dtype=np.float64) * RULE_SCALE
        short = (vertical.boxes[:, 3] - vertical.boxes[:, 1]) < VERTICAL_RULE_HEIGHTS * small_height
        keep_vertical &= ~(short & letter_strokes(vertical.boxes, small_words))
        keep_vertical &= ~written_strokes(vertical.boxes, small_words)
        keep_vertical &= ~_lone_strokes(vertical.boxes, top | bottom, small_height)
    if len(printed):
        small_printed = np.array(printed, dtype=np.float64) * RULE_SCALE
        horizontal = replace(horizontal, thin=horizontal.thin & ~letter_feet(horizontal.boxes, small_printed))
    grid = np.zeros_like(ink)
    horizontal.draw(grid, horizontal.thin)
    vertical.draw(grid, keep_vertical)
    rules = [Rule(_unscale(b), "horizontal") for b in horizontal.boxes[horizontal.thin]]
    rules += [Rule(_unscale(b), "vertical") for b in vertical.boxes[keep_vertical]]
    rules.sort(key=lambda r: (r.box[1], r.box[0], r.orientation))
    return tuple(rules), grid


def _line_ink(small: np.ndarray, threshold: int, height: float) -> np.ndarray:
    """The ink of the halved page as 255 on 0, without wide areas of even grey: a rule bordering
    a grey-shaded row stays a thin line instead of joining the shading into a band (which no
    rule is, so the row's rules were lost with it)."""
    # Halving averages a one-pixel line with paper: a threshold halfway to the paper keeps it.
    ink = binary(small, min(254, (threshold + 255) // 2))
    size = max(5, round(LINE_KERNEL_HEIGHTS * height)) | 1
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (size, size))
    # Darker than what surrounds it within a stroke's reach: a stroke, not a fill.
    darker = cv2.morphologyEx(small, cv2.MORPH_BLACKHAT, kernel)
    stroke = cv2.threshold(darker, max(1, (255 - threshold) // 4), 255, cv2.THRESH_BINARY)[1]
    return cv2.bitwise_and(ink, stroke)


def _rule_segments(
    ink: np.ndarray, height: float, orientation: Literal["horizontal", "vertical"]
) -> _Segments:
    """Long runs of ink along ``orientation``, fragments of one line joined across small gaps."""
    horizontal = orientation == "horizontal"
    length = max(5, round((HORIZONTAL_RULE_HEIGHTS if horizontal else VERTICAL_KERNEL_HEIGHTS) * height))
    gap = max(2, round(RULE_GAP_HEIGHTS * height))
    along, across, join = ((length, 1), (1, 3), (gap, 1)) if horizontal else ((1, length), (3, 1), (1, gap))
    # Thickening across first keeps a line tilted by a degree long enough in one row to survive.
    mask = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, across))
    opened = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along))
    thickness = RULE_THICKNESS_HEIGHTS * height + 2
    if horizontal:
        # A line of dashes, each shorter than the opening keeps, is a rule too.
        opened = cv2.bitwise_or(opened, dashed_rules(mask, height, thickness))
    mask = cv2.morphologyEx(opened, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, join))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    rects = np.array([cv2.boundingRect(c) for c in contours], dtype=np.int64).reshape(-1, 4)
    x, y, w, h = rects.T
    long_side, short_side = (w, h) if horizontal else (h, w)
    # A black band or a blot survives the opening too; a line is thin, allowing for its skew:
    # its box is, or, for a long upright line slanted further (a table's sides on a photo taken
    # at an angle lean by several degrees while deskewing keeps its rows level), the narrowest
    # rectangle round it is.
    thin = short_side <= thickness + SKEW_DRIFT * long_side
    leaning = np.zeros(len(contours), dtype=bool)
    if not horizontal:
        minimum = LEANING_RULE_HEIGHTS * height
        slanted = [
            not straight and _thin_leaning(contour, opened, thickness, minimum)
            for contour, straight in zip(contours, thin, strict=True)
        ]
        leaning = np.array(slanted, dtype=bool).reshape(-1)
    # Boxes give back the pixel the thickening added on each side.
    boxes = [x, y + 1, x + w, y + h - 1] if horizontal else [x + 1, y, x + w - 1, y + h]
    return _Segments(contours, np.stack(boxes, axis=1).reshape(-1, 4), thin | leaning, leaning)


def _thin_leaning(contour: np.ndarray, ink: np.ndarray, thickness: float, length: float) -> bool:
    """Whether an upright outline is a straight line at least ``length`` long and at most
    ``thickness`` thick, whatever its slant: the narrowest rectangle round it is that long and
    that thin, and ``ink`` (the strokes before gaps were closed) runs along nearly all of it
    (stems of letters stacked on lines of print, joined across the lines' gaps, do not)."""
    sides = cv2.minAreaRect(contour)[1]
    if min(sides) > thickness or max(sides) < length:
        return False
    x, y, w, h = cv2.boundingRect(contour)
    inside = np.zeros((h, w), np.uint8)
    cv2.drawContours(inside, [contour], -1, 255, thickness=cv2.FILLED, offset=(-x, -y))
    rows = (cv2.bitwise_and(ink[y : y + h, x : x + w], inside) > 0).any(axis=1)
    return float(rows.mean()) >= LEANING_RULE_INK


def _keep_verticals(vertical: _Segments, closed: np.ndarray, height: float) -> np.ndarray:
    """Which vertical fragments are rules: long ones, and short ones running from one horizontal
    rule to another (``closed``: the side of a table row). A tall letter is neither; a side
    leaning past the skew allowance is one only when closed (a table's, not the edge of a
    photographed page or of its shadow)."""
    long_enough = (vertical.boxes[:, 3] - vertical.boxes[:, 1]) >= VERTICAL_RULE_HEIGHTS * height
    return vertical.thin & (long_enough | closed) & (closed | ~vertical.leaning)


def _lone_strokes(boxes: np.ndarray, touching: np.ndarray, height: float) -> np.ndarray:
    """Which vertical fragments shorter than ``LONE_RULE_HEIGHTS`` touch no horizontal rule at
    either end (``touching``: they touch one): on a page with words read, a hand's tall letter
    ("f", its stem and tail) rather than a divider, which runs the length of the lines it parts."""
    short = (boxes[:, 3] - boxes[:, 1]) < LONE_RULE_HEIGHTS * height
    return short & ~touching


def _ends_touching(
    boxes: np.ndarray, horizontal_boxes: np.ndarray, height: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per vertical fragment, whether its top and whether its bottom end on a horizontal rule."""
    if not len(horizontal_boxes):
        none = np.zeros(len(boxes), dtype=bool)
        return none, none
    tolerance = 0.35 * height + 2
    centre = (boxes[:, 0:1] + boxes[:, 2:3]) / 2
    under = (horizontal_boxes[None, :, 0] - tolerance <= centre) & (
        centre <= horizontal_boxes[None, :, 2] + tolerance
    )

    def touches(end: np.ndarray) -> np.ndarray:
        near = (horizontal_boxes[None, :, 1] - tolerance <= end) & (
            end <= horizontal_boxes[None, :, 3] + tolerance
        )
        return (under & near).any(axis=1)

    return touches(boxes[:, 1:2]), touches(boxes[:, 3:4])


def _unscale(box: np.ndarray | Sequence[int]) -> Box:
    """A box at ``RULE_SCALE`` in the page's own pixels."""
    x0, y0, x1, y1 = (round(float(v) / RULE_SCALE) for v in box)
    return (x0, y0, x1, y1)


def median_thickness(rules: Sequence[Rule]) -> int:
    """The typical rule's thickness in pixels (2 when there are no rules)."""
    if not rules:
        return 2
    return round(statistics.median(_thickness(r) for r in rules))


def _thickness(rule: Rule) -> int:
    x0, y0, x1, y1 = rule.box
    return y1 - y0 if rule.orientation == "horizontal" else x1 - x0


# ---- cells and tables -----------------------------------------------------------------------


def find_cells(
    grid: np.ndarray, height: float, shape: tuple[int, ...], thickness: int
) -> tuple[tuple[Cell, ...], tuple[Table, ...]]:
    """The areas the rules close in, as cells grouped into tables (both in reading order)."""
    if not grid.any():
        return (), ()
    # Joins the few pixels a skewed or faded line may leave open where two rules meet.
    closed = cv2.dilate(grid, np.ones((3, 3), np.uint8))
    contours, hierarchy = cv2.findContours(closed, cv2.RETR_TREE, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return (), ()
    parent = hierarchy[0][:, 3]
    areas = np.array([cv2.contourArea(c) for c in contours])
    # An area's holes are the rules' hole outlines, at any depth: a table drawn inside a frame
    # round the page is a hole's ink's holes. Whatever sits inside one (a nested table) is not
    # paper of that area.
    holes = np.flatnonzero(_depths(parent) % 2 == 1)
    inner = np.zeros(len(contours))
    nested = np.flatnonzero(parent >= 0)
    np.add.at(inner, parent[nested], areas[nested])
    rects = np.array([cv2.boundingRect(contours[i]) for i in holes], dtype=np.int64).reshape(-1, 4)
    # A hole's outline runs on the rule pixels around it: the interior starts one pixel in.
    x, y, w, h = rects[:, 0] + 1, rects[:, 1] + 1, rects[:, 2] - 2, rects[:, 3] - 2
    gh, gw = grid.shape
    small_height = height * RULE_SCALE
    sized = (w >= MIN_CELL_HEIGHTS * small_height) & (h >= MIN_CELL_HEIGHTS * small_height)
    # Measured against the narrowest rectangle round the area, not its upright box: on a skewed
    # page a wide cell's box takes in the drift of its top and bottom rules.
    turned = np.array([_turned_area(contours[i]) for i in holes], dtype=np.float64)
    rectangular = areas[holes] - inner[holes] >= MIN_CELL_FILL * np.minimum(turned, (w + 1) * (h + 1))
    not_frame = w * h <= MAX_CELL_PAGE_SHARE * gw * gh
    found = sized & rectangular & not_frame
    boxes = [_unscale((x[i], y[i], x[i] + w[i], y[i] + h[i])) for i in np.flatnonzero(found)]
    return _group_tables(boxes, height, shape, thickness)


def _turned_area(contour: np.ndarray) -> float:
    """The area of the narrowest rectangle, at any angle, round ``contour``."""
    (_centre, (width, height), _angle) = cv2.minAreaRect(contour)
    return float(width * height)


def _depths(parent: np.ndarray) -> np.ndarray:
    """Each contour's depth in the tree ``parent`` gives (-1 for a top-level one): even for an
    outline of ink, odd for a hole in it."""
    depths = np.full(len(parent), -1)
    for index in range(len(parent)):
        chain = []
        node = index
        while node >= 0 and depths[node] < 0:
            chain.append(node)
            node = parent[node]
        base = depths[node] if node >= 0 else -1
        for offset, member in enumerate(reversed(chain), start=1):
            depths[member] = base + offset
    return depths


def _group_tables(
    boxes: list[Box], height: float, shape: tuple[int, ...], thickness: int
) -> tuple[tuple[Cell, ...], tuple[Table, ...]]:
    """Cells whose borders touch form one table; each cell gets its row and column in it."""
    if not boxes:
        return (), ()
    tables = _touching_groups(boxes, 2 * thickness + 0.3 * height + 4)
    tables.sort(key=lambda members: (min(boxes[i][1] for i in members), min(boxes[i][0] for i in members)))
    cells: list[Cell] = []
    found: list[Table] = []
    for index, members in enumerate(tables):
        member_boxes = [boxes[i] for i in members]
        rows = _bands([b[1] for b in member_boxes], 0.5 * min(b[3] - b[1] for b in member_boxes))
        cols = _bands([b[0] for b in member_boxes], 0.5 * min(b[2] - b[0] for b in member_boxes))
        cells += [Cell(b, rows[b[1]], cols[b[0]], index) for b in member_boxes]
        outline = union_box(member_boxes)
        assert outline is not None
        found.append(Table(grow(outline, thickness, shape), len(set(rows.values())), len(set(cols.values()))))
    cells.sort(key=lambda c: (c.table, c.row, c.col))
    return tuple(cells), tuple(found)


def _touching_groups(boxes: list[Box], gap: float) -> list[list[int]]:
    """Indices of boxes grouped by sharing a border (at most ``gap`` apart and overlapping along it)."""
    b = np.array(boxes, dtype=np.float64)
    x0, y0, x1, y1 = (b[:, k] for k in range(4))
    overlap_x = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :]) > 0
    overlap_y = np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :]) > 0
    side = (np.abs(x0[None, :] - x1[:, None]) <= gap) & overlap_y
    stacked = (np.abs(y0[None, :] - y1[:, None]) <= gap) & overlap_x
    touching = side | side.T | stacked | stacked.T
    groups: dict[int, list[int]] = {}
    for i, group in enumerate(_components(touching)):
        groups.setdefault(group, []).append(i)
    return list(groups.values())


def _components(adjacent: np.ndarray) -> list[int]:
    """The connected component of every node of a symmetric adjacency matrix (union-find)."""
    parent = list(range(len(adjacent)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(adjacent, 1)), strict=True):
        parent[root(int(i))] = root(int(j))
    return [root(i) for i in range(len(adjacent))]


def _bands(starts: list[int], tolerance: float) -> dict[int, int]:
    """Band index of each start coordinate: sorted starts less than ``tolerance`` apart share a
    band (the cells of one row start level, give or take the page's skew)."""
    bands: dict[int, int] = {}
    previous: int | None = None
    band = -1
    for start in sorted(set(starts)):
        if previous is None or start - previous > tolerance:
            band += 1
        bands[start] = band
        previous = start
    return bands
