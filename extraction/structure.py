"""The page's printed structure, found in the image: ruled lines, boxed cells and tables, checkboxes.

Forms box their values and ask questions with checkboxes; OCR alone reads a box border as "|" or
"l", a checkbox as "O" or "[]", and runs the text of two cells together. ``find_structure`` finds
that structure with OpenCV morphology so later stages can ask which cell a word is in, split a
row where a border passes, and read a ticked box as a choice rather than as text.

- Rules are long, thin runs of ink kept by an opening with a kernel far longer than any letter's
  stroke (lengths are multiples of the page's text height, measured from the words).
- Cells are the paper areas the rules close in on all four sides; cells sharing borders make a
  table, indexed by row and column.
- Selection marks are small hollow squares and circles with a thin, even border; ink inside the
  border makes them selected. Letters such as "O", "D" and "0" are told apart by their shape
  (an "O" is squarer than a circle, a "D" rounder than a square) and by the words read on them.

Boxes are ``(x0, y0, x1, y1)`` pixels of the image given, like every box in ``extraction.types``.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import cv2
import numpy as np

from extraction.types import Box, Word, union_box

# Text height assumed when the words cannot tell (preprocess scales pages to about this).
DEFAULT_TEXT_HEIGHT = 24.0
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
# Fragments of one rule separated by less than this many text heights are joined (faded scans).
RULE_GAP_HEIGHTS = 0.75
# A rule is thinner than this many text heights, plus the drift that a 1.5 degree skew adds.
RULE_THICKNESS_HEIGHTS = 0.4
SKEW_DRIFT = 0.026
# The paper and ink must differ by this much (0..255) before anything on the page counts as ink.
MIN_CONTRAST = 60.0
# A cell's sides are at least this many text heights, and it covers less than this share of the
# page (a frame around the whole page is not a cell).
MIN_CELL_HEIGHTS = 0.6
MAX_CELL_PAGE_SHARE = 0.6
# A closed area filling less of its bounding box than this is not a rectangle (a frame holding
# other tables, or an area leaking through a gap).
MIN_CELL_FILL = 0.85
# A cell of an answer grid is at most this many text heights wide; the X or tick drawn in it
# is a stroke at least this many text heights high (specks are far smaller).
MAX_ANSWER_CELL_HEIGHTS = 8.0
MIN_CELL_MARK_HEIGHTS = 0.5
MARK_GLYPHS = "xXvV✓✔✗✘/\\|"
# Checkbox and radio circle sides, in text heights.
MIN_MARK_HEIGHTS = 0.45
MAX_MARK_HEIGHTS = 1.6
# Shape of the mark's outline: its enclosed area over its bounding box (corrected for the
# outline running through pixel centres). A drawn square fills it; a circle fills pi/4 = 0.785;
# the letters "O" and "o" fill 0.81-0.85 in DejaVu Sans and Serif and "D" 0.76-0.91 (measured
# clean, rotated, noisy and JPEG'd; drawn circles measured 0.74-0.79).
MIN_SQUARE_FILL = 0.92
CIRCLE_FILL = (0.70, 0.80)
MIN_CIRCLE_ASPECT = 0.9
# The mark's border: at most this share of its side thick, and its thickest side at most this
# many times its thinnest (a letter's strokes vary more, a printed box's do not).
MAX_BORDER_SHARE = 0.2
MAX_BORDER_SPREAD = 1.6
# A mark stands apart: no ink this many text heights left or right of it. A letter has its
# word's next letter closer than that; a printed box has a space at least before its option.
CLEARANCE_HEIGHTS = 0.2
# A mark whose interior holds more ink than this share is selected; confidence grows with the
# distance from it.
SELECTED_INK_SHARE = 0.06
# A solid blob this full is a filled-in mark.
SOLID_INK_SHARE = 0.9
# A word read this surely, with two or more letters, is text: a mark's box never coincides with one.
SURE_WORD_CONFIDENCE = 0.6
# Glyphs OCR makes of a vertical rule beside a word, and the confidence left to a word that
# lost one (under the review threshold: the clerk looks at it).
BORDER_GLYPHS = "[{|]})(1lI!"
BORDER_GLYPH_CONFIDENCE = 0.7
# A word this many text heights tall or more is not a line of the page's print.
MAX_LETTER_HEIGHTS = 1.6
# Option text continues right of a mark while the gap to the next word is under this many text heights.
OPTION_GAP_HEIGHTS = 2.0


@dataclass(frozen=True)
class Rule:
    """A ruled line: an underline, a table or box border, a section rule."""

    box: Box
    orientation: Literal["horizontal", "vertical"]


@dataclass(frozen=True)
class Cell:
    """A rectangle enclosed by rules; ``box`` is its interior, inside the border.

    ``row`` and ``col`` place it in its table (a cell spanning rows or columns takes those of its
    top-left corner); ``table`` indexes ``PageStructure.tables``. A lone box is a 1x1 table.
    """

    box: Box
    row: int
    col: int
    table: int


@dataclass(frozen=True)
class Table:
    """A grid of cells sharing borders; ``box`` is its outline, borders included."""

    box: Box
    rows: int
    cols: int


@dataclass(frozen=True)
class SelectionMark:
    """A checkbox or radio circle, whether it is selected, and the option printed right of it.

    ``confidence`` (0..1) says how sure the selected/unselected call is: 0.5 means the ink inside
    sat right on the threshold.
    """

    box: Box
    shape: Literal["square", "circle", "cell"]
    """"cell": a table cell of an answer grid, marked with an X or a tick drawn in it."""
    selected: bool
    option: str
    option_box: Box | None
    confidence: float


@dataclass(frozen=True)
class PageStructure:
    """Everything ruled or boxed on one page, in reading order."""

    rules: tuple[Rule, ...] = ()
    cells: tuple[Cell, ...] = ()
    tables: tuple[Table, ...] = ()
    marks: tuple[SelectionMark, ...] = ()

    def cell_at(self, box: Box) -> Cell | None:
        """The smallest cell holding at least half of ``box``, or None when no cell does."""
        holding = [cell for cell in self.cells if _overlap_area(cell.box, box) >= 0.5 * _area(box)]
        return min(holding, key=lambda cell: _area(cell.box), default=None)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data; ``from_dict`` rebuilds an equal structure."""
        return {
            "rules": [{"box": list(r.box), "orientation": r.orientation} for r in self.rules],
            "cells": [{"box": list(c.box), "row": c.row, "col": c.col, "table": c.table} for c in self.cells],
            "tables": [{"box": list(t.box), "rows": t.rows, "cols": t.cols} for t in self.tables],
            "marks": [
                {
                    "box": list(m.box),
                    "shape": m.shape,
                    "selected": m.selected,
                    "option": m.option,
                    "option_box": list(m.option_box) if m.option_box else None,
                    "confidence": m.confidence,
                }
                for m in self.marks
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageStructure:
        return cls(
            rules=tuple(Rule(_box(r["box"]), r["orientation"]) for r in data.get("rules", [])),
            cells=tuple(Cell(_box(c["box"]), c["row"], c["col"], c["table"]) for c in data.get("cells", [])),
            tables=tuple(Table(_box(t["box"]), t["rows"], t["cols"]) for t in data.get("tables", [])),
            marks=tuple(
                SelectionMark(
                    _box(m["box"]),
                    m["shape"],
                    bool(m["selected"]),
                    m["option"],
                    _box(m["option_box"]) if m["option_box"] else None,
                    float(m["confidence"]),
                )
                for m in data.get("marks", [])
            ),
        )


def find_structure(image: np.ndarray, words: Sequence[Word]) -> PageStructure:
    """The rules, cells, tables and selection marks printed on a page.

    ``image`` is the grayscale page (uint8, HxW, dark ink on light paper); ``words`` are
    tesseract's words in the same pixel frame, used for the text height and to tell letters from
    checkboxes (may be empty). A blank or empty page gives an empty structure, never an error.
    """
    if image.ndim != 2 or image.size == 0 or min(image.shape) < 8:
        return PageStructure()
    threshold = _ink_threshold(image)
    if threshold is None:
        return PageStructure()
    height = text_height(words)
    rules, grid = _find_rules(image, threshold, height)
    cells, tables = _find_cells(grid, height, image.shape, _median_thickness(rules))
    marks = _find_marks(image, threshold, height, words, rules)
    marks += _answer_cells(image, threshold, height, cells, marks, words)
    return PageStructure(rules, cells, tables, marks)


def without_rules(image: np.ndarray, height: float = DEFAULT_TEXT_HEIGHT) -> np.ndarray:
    """A copy of the page with the long rules of its tables and boxes painted out, for OCR: a
    cell's border beside a value is otherwise read as part of it ("[Oct 29", "1126" for "126").

    Only runs of ink far longer than any letter (``ERASE_RULE_HEIGHTS`` text heights) and thin
    go, pixel by pixel, so a letter standing on a line keeps its strokes and a shaded band or a
    black bar is left alone. A page with no such rules comes back unchanged (the same array).
    """
    if image.ndim != 2 or image.size == 0 or min(image.shape) < 8:
        return image
    threshold = _ink_threshold(image)
    if threshold is None:
        return image
    rules, grid = _find_rules(image, threshold, height)
    _, tables = _find_cells(grid, height, image.shape, _median_thickness(rules))
    if not tables:
        return image
    ink = _binary(image, threshold)
    # Only the borders of tables and boxes go: a lone underline or separator is read well as it
    # is, and a faint one would be left in broken pieces.
    in_tables = np.zeros_like(ink)
    for table in tables:
        x0, y0, x1, y1 = _grow(table.box, 3, image.shape)
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
        _, labels, stats, _ = cv2.connectedComponentsWithStats(small, connectivity=8)
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


def text_height(words: Sequence[Word]) -> float:
    """The median height of surely read words (of all words with a letter or digit when few are
    sure), or ``DEFAULT_TEXT_HEIGHT`` when no word tells; clamped to a sane range."""
    sure = [w.height for w in words if _is_sure_text(w)]
    any_text = [w.height for w in words if any(ch.isalnum() for ch in w.text)]
    heights = sure if len(sure) >= 3 else any_text
    if not heights:
        return DEFAULT_TEXT_HEIGHT
    return float(min(120.0, max(10.0, statistics.median(heights))))


def words_outside_marks(words: Sequence[Word], structure: PageStructure) -> list[Word]:
    """The words that are not a selection mark read as text ("O", "[]", "0", "D", "☐"...):
    a word goes when at least half of its box lies inside a mark's box."""
    inside = _inside_any(_word_boxes(words), [mark.box for mark in structure.marks])
    return [word for word, is_mark in zip(words, inside, strict=True) if not is_mark]


def split_at_rules(line_words: Sequence[Word], structure: PageStructure) -> list[list[Word]]:
    """The words of one text line, in left-to-right runs split wherever a vertical rule passes
    between two neighbours, so the text of two boxed cells never runs together. No words, no runs."""
    ordered = sorted(line_words, key=lambda w: w.x0)
    if not ordered:
        return []
    verticals = [r.box for r in structure.rules if r.orientation == "vertical"]
    runs: list[list[Word]] = [[ordered[0]]]
    for previous, word in itertools.pairwise(ordered):
        if any(_passes_between(rule, previous, word) for rule in verticals):
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs


def trim_borders(words: Sequence[Word], structure: PageStructure) -> list[Word]:
    """The words without a first or last character that is a vertical rule read as a glyph:
    a cell's border read into the value beside it ("[3263111918", "1126" for 126). Only a
    rule-like glyph ([ { | ] } ( ) 1 l I !) lying over the rule goes; the word keeps at most
    ``BORDER_GLYPH_CONFIDENCE``, so its field is looked at."""
    verticals = [r.box for r in structure.rules if r.orientation == "vertical"]
    if not verticals:
        return list(words)
    return [_trim_border(word, verticals) for word in words]


def _trim_border(word: Word, verticals: Sequence[Box]) -> Word:
    x0, y0, x1, y1 = word.box
    if len(word.text) < 2:
        return word
    glyph = (x1 - x0) / len(word.text)
    # A border runs past the word above and below; a letter's stroke read as a rule does not.
    reach = 0.25 * (y1 - y0)
    # A skewed line's box is wide and says little of where it passes by the word: upright only.
    crossing = [
        r
        for r in verticals
        if r[1] <= y0 - reach
        and r[3] >= y1 + reach
        and r[0] < x1
        and r[2] > x0
        and r[2] - r[0] <= 0.4 * (y1 - y0)
    ]
    text, left, right = word.text, x0, x1
    # The glyph is the border's ink when the border covers a good part of its width.
    covers = min(glyph / 3, 3)
    if text[0] in BORDER_GLYPHS and any(r[0] <= x0 + glyph / 2 and r[2] - x0 >= covers for r in crossing):
        text, left = text[1:], round(x0 + glyph)
    if (
        len(text) > 1
        and text[-1] in BORDER_GLYPHS
        and any(r[2] >= x1 - glyph / 2 and x1 - r[0] >= covers for r in crossing)
    ):
        text, right = text[:-1], round(x1 - glyph)
    if text == word.text:
        return word
    confidence = min(word.confidence, BORDER_GLYPH_CONFIDENCE)
    return Word(text, confidence, (left, y0, right, y1), word.line)


# ---- ink ------------------------------------------------------------------------------------


def _ink_threshold(gray: np.ndarray) -> int | None:
    """Otsu's threshold between ink and paper, or None when the page has no ink to speak of
    (blank, or paper and "ink" closer than ``MIN_CONTRAST``: noise on an empty scan)."""
    hist = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel().astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    below = np.cumsum(hist)
    below_sum = np.cumsum(hist * levels)
    above = below[-1] - below
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_below = below_sum / below
        mean_above = (below_sum[-1] - below_sum) / above
        between = below * above * (mean_below - mean_above) ** 2
    between = np.nan_to_num(between, nan=-1.0)
    if between.max() <= 0:
        return None  # a single grey level: nothing to separate
    # On a clean drawn page every level between ink and paper separates them equally well:
    # take the middle of that plateau, not its first level.
    best = np.flatnonzero(between >= between.max() * (1 - 1e-9))
    level = int(best[len(best) // 2])
    if mean_above[level] - mean_below[level] < MIN_CONTRAST:
        return None
    return level


def _binary(gray: np.ndarray, threshold: int) -> np.ndarray:
    """Ink as 255 on 0: pixels at or below ``threshold``."""
    return cv2.threshold(gray, threshold, 255, cv2.THRESH_BINARY_INV)[1]


# ---- rules ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Segments:
    """Rule fragments of one orientation at ``RULE_SCALE``: their outlines, their boxes (x0, y0,
    x1, y1 with x1, y1 exclusive) and which are thin enough to be a rule at all."""

    contours: Sequence[np.ndarray]
    boxes: np.ndarray
    thin: np.ndarray

    def draw(self, mask: np.ndarray, keep: np.ndarray) -> None:
        """Paint the fragments flagged in ``keep`` onto ``mask`` as 255."""
        chosen = [self.contours[i] for i in np.flatnonzero(keep)]
        if chosen:
            cv2.drawContours(mask, chosen, -1, 255, thickness=cv2.FILLED)


def _find_rules(gray: np.ndarray, threshold: int, height: float) -> tuple[tuple[Rule, ...], np.ndarray]:
    """The page's rules in reading order, and a mask (at ``RULE_SCALE``) of them for
    ``_find_cells``."""
    small = cv2.resize(gray, None, fx=RULE_SCALE, fy=RULE_SCALE, interpolation=cv2.INTER_AREA)
    # Halving averages a one-pixel line with paper: a threshold halfway to the paper keeps it.
    ink = _binary(small, min(254, (threshold + 255) // 2))
    small_height = height * RULE_SCALE
    horizontal = _rule_segments(ink, small_height, "horizontal")
    vertical = _rule_segments(ink, small_height, "vertical")
    keep_vertical = _keep_verticals(vertical, horizontal.boxes[horizontal.thin], small_height)
    grid = np.zeros_like(ink)
    horizontal.draw(grid, horizontal.thin)
    vertical.draw(grid, keep_vertical)
    rules = [Rule(_unscale(b), "horizontal") for b in horizontal.boxes[horizontal.thin]]
    rules += [Rule(_unscale(b), "vertical") for b in vertical.boxes[keep_vertical]]
    rules.sort(key=lambda r: (r.box[1], r.box[0], r.orientation))
    return tuple(rules), grid


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
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, along))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, join))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    rects = np.array([cv2.boundingRect(c) for c in contours], dtype=np.int64).reshape(-1, 4)
    x, y, w, h = rects.T
    long_side, short_side = (w, h) if horizontal else (h, w)
    # A black band or a blot survives the opening too; a line is thin, allowing for its skew.
    thin = short_side <= RULE_THICKNESS_HEIGHTS * height + SKEW_DRIFT * long_side + 2
    # Boxes give back the pixel the thickening added on each side.
    boxes = [x, y + 1, x + w, y + h - 1] if horizontal else [x + 1, y, x + w - 1, y + h]
    return _Segments(contours, np.stack(boxes, axis=1).reshape(-1, 4), thin)


def _keep_verticals(vertical: _Segments, horizontal_boxes: np.ndarray, height: float) -> np.ndarray:
    """Which vertical fragments are rules: long ones, and short ones running from one horizontal
    rule to another (the side of a table row). A tall letter is neither."""
    boxes = vertical.boxes
    long_enough = (boxes[:, 3] - boxes[:, 1]) >= VERTICAL_RULE_HEIGHTS * height
    if not len(horizontal_boxes):
        return vertical.thin & long_enough
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

    closed = touches(boxes[:, 1:2]) & touches(boxes[:, 3:4])
    return vertical.thin & (long_enough | closed)


def _unscale(box: np.ndarray | Sequence[int]) -> Box:
    """A box at ``RULE_SCALE`` in the page's own pixels."""
    x0, y0, x1, y1 = (round(float(v) / RULE_SCALE) for v in box)
    return (x0, y0, x1, y1)


def _median_thickness(rules: Sequence[Rule]) -> int:
    """The typical rule's thickness in pixels (2 when there are no rules)."""
    if not rules:
        return 2
    return round(statistics.median(_thickness(r) for r in rules))


def _thickness(rule: Rule) -> int:
    x0, y0, x1, y1 = rule.box
    return y1 - y0 if rule.orientation == "horizontal" else x1 - x0


# ---- cells and tables -----------------------------------------------------------------------


def _find_cells(
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
    # An area's holes are the rules' hole outlines; whatever sits inside one (a nested table) is
    # not paper of that area.
    holes = np.flatnonzero((parent >= 0) & (parent[np.maximum(parent, 0)] < 0))
    inner = np.zeros(len(contours))
    nested = np.flatnonzero(parent >= 0)
    np.add.at(inner, parent[nested], areas[nested])
    rects = np.array([cv2.boundingRect(contours[i]) for i in holes], dtype=np.int64).reshape(-1, 4)
    # A hole's outline runs on the rule pixels around it: the interior starts one pixel in.
    x, y, w, h = rects[:, 0] + 1, rects[:, 1] + 1, rects[:, 2] - 2, rects[:, 3] - 2
    gh, gw = grid.shape
    small_height = height * RULE_SCALE
    sized = (w >= MIN_CELL_HEIGHTS * small_height) & (h >= MIN_CELL_HEIGHTS * small_height)
    rectangular = areas[holes] - inner[holes] >= MIN_CELL_FILL * (w + 1) * (h + 1)
    not_frame = w * h <= MAX_CELL_PAGE_SHARE * gw * gh
    found = sized & rectangular & not_frame
    boxes = [_unscale((x[i], y[i], x[i] + w[i], y[i] + h[i])) for i in np.flatnonzero(found)]
    return _group_tables(boxes, height, shape, thickness)


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
        found.append(
            Table(_grow(outline, thickness, shape), len(set(rows.values())), len(set(cols.values())))
        )
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


def _grow(box: Box, by: int, shape: tuple[int, ...]) -> Box:
    """``box`` grown by ``by`` pixels on every side, kept on the page."""
    return (max(0, box[0] - by), max(0, box[1] - by), min(shape[1], box[2] + by), min(shape[0], box[3] + by))


# ---- selection marks ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """An outline of mark size: its contour and bounding box (x1, y1 exclusive)."""

    contour: np.ndarray
    box: Box
    hollow: bool


def _find_marks(
    gray: np.ndarray, threshold: int, height: float, words: Sequence[Word], rules: Sequence[Rule]
) -> tuple[SelectionMark, ...]:
    """Checkboxes and radio circles with their state and option text, in reading order."""
    ink = _binary(gray, threshold)
    found: list[tuple[Box, Literal["square", "circle"], bool, float]] = []
    clearance = max(2, round(CLEARANCE_HEIGHTS * height))
    word_boxes = _word_boxes(words)
    # Text of the page's own size: a box read as "Oo", twice as tall as the print, is no letter.
    sure_text = np.array(
        [_is_sure_word(w) and w.height <= MAX_LETTER_HEIGHTS * height for w in words], dtype=bool
    )
    for candidate in _mark_candidates(ink, height):
        if not _stands_apart(ink, candidate.box, clearance):
            continue
        read = _read_mark(ink, candidate)
        # A surely read word of two or more letters where the outline is: a letter ("OD"), not a mark.
        if read is not None and not (sure_text & (_iou(candidate.box, word_boxes) >= 0.5)).any():
            found.append((candidate.box, *read))
    # A filled radio's dot is a blob of its own inside the ring: the ring is the mark.
    outer = [f for f in found if not any(g is not f and _contains(g[0], f[0]) for g in found)]
    boxes = [box for box, *_ in outer]
    inside_marks = _inside_any(word_boxes, boxes)
    free_words = [w for w, inside in zip(words, inside_marks, strict=True) if not inside]
    verticals = [r.box for r in rules if r.orientation == "vertical"]
    marks = []
    for box, shape, selected, confidence in outer:
        option = _option_words(box, boxes, free_words, verticals, height)
        marks.append(
            SelectionMark(
                box,
                shape,
                selected,
                " ".join(w.text for w in option),
                union_box([w.box for w in option]),
                round(confidence, 3),
            )
        )
    return tuple(_reading_order(marks, height))


def _answer_cells(
    gray: np.ndarray,
    threshold: int,
    height: float,
    cells: Sequence[Cell],
    marks: Sequence[SelectionMark],
    words: Sequence[Word],
) -> tuple[SelectionMark, ...]:
    """The cells of answer grids: two or more small cells of a table row holding no text and no
    checkbox, with the row's question written left of them; marked when an X or a tick is
    drawn in one (a stroke at least ``MIN_CELL_MARK_HEIGHTS`` high). Which option a cell
    answers is read from its column's header."""
    ink = _binary(gray, threshold)
    # An X or a tick read as letters ("Xx", "v") is the mark itself, not text in the cell.
    sure = [w.box for w in words if _is_sure_word(w) and w.text.strip(MARK_GLYPHS)]
    found: list[tuple[Cell, SelectionMark]] = []
    for cell in cells:
        x0, y0, x1, y1 = cell.box
        if x1 - x0 > MAX_ANSWER_CELL_HEIGHTS * height or y1 - y0 > 3 * height:
            continue
        if any(_overlap_area(cell.box, m.box) > 0 for m in marks) or any(
            _overlap_area(cell.box, box) >= 0.5 * _area(box) for box in sure
        ):
            continue
        # The cell's box is its interior already: a few pixels in clears the border's blur.
        inset = 3
        crop = ink[y0 + inset : y1 - inset, x0 + inset : x1 - inset]
        if crop.size == 0:
            continue
        count, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
        tallest = int(stats[1:, cv2.CC_STAT_HEIGHT].max()) if count > 1 else 0
        selected = tallest >= MIN_CELL_MARK_HEIGHTS * height
        found.append((cell, SelectionMark(cell.box, "cell", selected, "", None, 1.0)))
    # An answer grid's row: two or more such cells, with its question written left of them.
    rows: dict[tuple[int, int], list[SelectionMark]] = {}
    for cell, mark in found:
        rows.setdefault((cell.table, cell.row), []).append(mark)
    answers: list[SelectionMark] = []
    for row in rows.values():
        left = min(m.box[0] for m in row)
        middle = sum((m.box[1] + m.box[3]) / 2 for m in row) / len(row)
        asked = any(box[2] <= left and box[1] <= middle <= box[3] for box in sure)
        if len(row) >= 2 and asked:
            answers += row
    return tuple(answers)


def _mark_candidates(ink: np.ndarray, height: float) -> list[_Candidate]:
    """Outlines of a mark's size and squareness: hollow ones with a thin rim around their holes,
    and hole-less ones dense enough to be a filled-in mark. Filtered on all outlines at once, so
    the page's letters cost no Python work each."""
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
    sized = (parent < 0) & (w >= lo) & (w <= hi) & (h >= lo) & (h <= hi) & (w <= 1.25 * h) & (h <= 1.25 * w)
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
    chosen = np.flatnonzero(sized & (hollow | (hx1 < 0)))
    candidates = []
    for i in chosen:
        box = (int(x0[i]), int(y0[i]), int(x1[i]), int(y1[i]))
        if hollow[i] or _ink_share(ink, box) >= 0.7:
            candidates.append(_Candidate(contours[i], box, bool(hollow[i])))
    return candidates


def _read_mark(
    ink: np.ndarray, candidate: _Candidate
) -> tuple[Literal["square", "circle"], bool, float] | None:
    """Shape, selected and confidence of a candidate outline, or None when it is no mark: not a
    square or circle, or a rim too thick or uneven for a printed box (a letter's strokes)."""
    x0, y0, x1, y1 = candidate.box
    w, h = x1 - x0, y1 - y0
    fill = cv2.contourArea(candidate.contour) / max(1, (w - 1) * (h - 1))
    shape: Literal["square", "circle"]
    if fill >= MIN_SQUARE_FILL:
        shape = "square"
    elif CIRCLE_FILL[0] <= fill <= CIRCLE_FILL[1] and min(w, h) >= MIN_CIRCLE_ASPECT * max(w, h):
        shape = "circle"
    else:
        return None
    crop = ink[y0:y1, x0:x1] > 0
    if not candidate.hollow:
        # Filled in: a solid blob fills its own outline completely.
        solid = crop.mean() / (1.0 if shape == "square" else np.pi / 4)
        return (shape, True, _confidence(solid, SOLID_INK_SHARE)) if solid >= SOLID_INK_SHARE else None
    rims = _rim_thickness(crop)
    if max(rims) > MAX_BORDER_SHARE * min(w, h) + 1 or max(rims) > MAX_BORDER_SPREAD * min(rims) + 1:
        return None
    share = _interior_ink(crop, max(rims), shape)
    return shape, share >= SELECTED_INK_SHARE, _confidence(share, SELECTED_INK_SHARE)


def _stands_apart(ink: np.ndarray, box: Box, clearance: int) -> bool:
    """True when no ink lies within ``clearance`` pixels left or right of the box's middle half
    (a letter's neighbour in its word would; rows above and below may hold an underline)."""
    x0, y0, x1, y1 = box
    top, bottom = y0 + (y1 - y0) // 4, y1 - (y1 - y0) // 4
    left = ink[top:bottom, max(0, x0 - clearance) : x0]
    right = ink[top:bottom, x1 : x1 + clearance]
    return not (left.any() or right.any())


def _rim_thickness(crop: np.ndarray) -> tuple[int, int, int, int]:
    """How thick the outline is on the left, right, top and bottom, measured across the middle
    third of the mark; the thinnest reading per side, as a tick may touch the rim in some rows."""
    h, w = crop.shape
    rows = crop[h // 3 : max(h // 3 + 1, 2 * h // 3)]
    cols = crop[:, w // 3 : max(w // 3 + 1, 2 * w // 3)].T
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


def _ink_share(ink: np.ndarray, box: Box) -> float:
    x0, y0, x1, y1 = box
    return float(cv2.countNonZero(ink[y0:y1, x0:x1])) / max(1, (x1 - x0) * (y1 - y0))


def _option_words(
    box: Box, marks: Sequence[Box], words: Sequence[Word], verticals: Sequence[Box], height: float
) -> list[Word]:
    """The words right of a mark on its row, up to the next mark, a vertical rule, or a gap
    wider than ``OPTION_GAP_HEIGHTS`` text heights."""
    mark_height = box[3] - box[1]
    row = [
        w
        for w in words
        if (w.box[0] + w.box[2]) / 2 > box[2]
        and min(w.box[3], box[3]) - max(w.box[1], box[1]) >= 0.4 * min(w.height, mark_height)
    ]
    next_marks = [m[0] for m in marks if m[0] >= box[2] and min(m[3], box[3]) - max(m[1], box[1]) > 0]
    limit = min(next_marks, default=float("inf"))
    option: list[Word] = []
    right = box[2]
    for word in sorted(row, key=lambda w: w.x0):
        left_edge = Word("", 1.0, (right - 1, word.box[1], right, word.box[3]))
        if (
            word.x0 - right > OPTION_GAP_HEIGHTS * height
            or (word.box[0] + word.box[2]) / 2 > limit
            or any(_passes_between(rule, left_edge, word) for rule in verticals)
        ):
            break
        option.append(word)
        right = max(right, word.x1)
    return option


def _reading_order(marks: list[SelectionMark], height: float) -> list[SelectionMark]:
    """Marks by row (centres within half a text height of the row's first), left to right in a row."""
    rows: list[list[SelectionMark]] = []
    for mark in sorted(marks, key=lambda m: m.box[1] + m.box[3]):
        centre = (mark.box[1] + mark.box[3]) / 2
        if rows and centre - (rows[-1][0].box[1] + rows[-1][0].box[3]) / 2 <= 0.5 * height:
            rows[-1].append(mark)
        else:
            rows.append([mark])
    return [mark for row in rows for mark in sorted(row, key=lambda m: m.box[0])]


# ---- boxes ----------------------------------------------------------------------------------


def _passes_between(rule: Box, left: Word, right: Word) -> bool:
    """True when a vertical rule runs in the gap between two words (allowing a pixel or two of
    overlap each side) at their height."""
    centre = (rule[0] + rule[2]) / 2
    slack = max(2.0, (rule[2] - rule[0]) / 2)
    between = left.x1 - slack <= centre <= right.x0 + slack
    top, bottom = min(left.box[1], right.box[1]), max(left.box[3], right.box[3])
    middle = (top + bottom) / 2
    return between and rule[1] <= middle <= rule[3]


def _area(box: Box) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def _overlap_area(a: Box, b: Box) -> int:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def _overlaps(box: Box, boxes: np.ndarray) -> np.ndarray:
    """The area ``box`` shares with each of ``boxes`` ((n, 4) array)."""
    w = np.minimum(boxes[:, 2], box[2]) - np.maximum(boxes[:, 0], box[0])
    h = np.minimum(boxes[:, 3], box[3]) - np.maximum(boxes[:, 1], box[1])
    return np.maximum(w, 0) * np.maximum(h, 0)


def _areas(boxes: np.ndarray) -> np.ndarray:
    return np.maximum(boxes[:, 2] - boxes[:, 0], 0) * np.maximum(boxes[:, 3] - boxes[:, 1], 0)


def _iou(box: Box, boxes: np.ndarray) -> np.ndarray:
    shared = _overlaps(box, boxes)
    union = _area(box) + _areas(boxes) - shared
    return np.where(union > 0, shared / np.maximum(union, 1), 0.0)


def _inside_any(word_boxes: np.ndarray, mark_boxes: Sequence[Box]) -> np.ndarray:
    """For each word box, whether at least half of it lies inside one of the mark boxes."""
    inside = np.zeros(len(word_boxes), dtype=bool)
    for box in mark_boxes:
        inside |= _overlaps(box, word_boxes) >= 0.5 * _areas(word_boxes)
    return inside


def _contains(outer: Box, inner: Box) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _word_boxes(words: Sequence[Word]) -> np.ndarray:
    return np.array([w.box for w in words], dtype=np.int64).reshape(-1, 4)


def _is_sure_word(word: Word) -> bool:
    """Read surely, with two or more letters: text, not a mark read as text."""
    return word.confidence >= SURE_WORD_CONFIDENCE and sum(ch.isalpha() for ch in word.text) >= 2


def _is_sure_text(word: Word) -> bool:
    return word.confidence >= SURE_WORD_CONFIDENCE and sum(ch.isalnum() for ch in word.text) >= 2


def _box(values: Sequence[int]) -> Box:
    x0, y0, x1, y1 = (int(v) for v in values)
    return (x0, y0, x1, y1)
