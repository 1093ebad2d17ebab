"""What ``find_structure`` finds on a page: rules, cells, tables and selection marks, gathered in
a ``PageStructure`` that turns into plain JSON data and back."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

from extraction.structure.geometry import area, at_the_start, overlap_area
from extraction.types import Box, PageText, Word, on_one_row


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
    shape: Literal["square", "circle", "cell", "ring", "kept"]
    """"cell": a table cell of an answer grid, marked with an X or a tick drawn in it; "ring": a
    loop drawn round the chosen words (always selected; its option is the words inside); "kept":
    the option left standing where the others are struck through (always selected; its option
    is its words)."""
    selected: bool
    option: str
    option_box: Box | None
    confidence: float


# A row of marks leaning less than this (half a degree, what deskewing leaves) is level; a lean
# is told from this many pairs of marks side by side.
LEVEL_SLOPE = 0.01
MIN_SLOPE_PAIRS = 3


# Marks whose answer is the words they stand on, not words printed beside them.
ANSWERED_IN_WORDS = ("ring", "kept")


@dataclass(frozen=True)
class PageStructure:
    """Everything ruled or boxed on one page, in reading order."""

    rules: tuple[Rule, ...] = ()
    cells: tuple[Cell, ...] = ()
    tables: tuple[Table, ...] = ()
    marks: tuple[SelectionMark, ...] = ()
    combs: tuple[Box, ...] = ()
    """Outlines of comb runs (one character per box): their walls are neither rules nor cells."""
    shades: tuple[Box, ...] = ()
    """Outlines of shaded areas (grey label cells, header rows, section bars)."""

    def cell_at(self, box: Box) -> Cell | None:
        """The smallest cell holding at least half of ``box``, or None when no cell does."""
        holding = [cell for cell in self.cells if overlap_area(cell.box, box) >= 0.5 * area(box)]
        return min(holding, key=lambda cell: area(cell.box), default=None)

    def beside_an_empty_box(self, box: Box, page: PageText) -> bool:
        """True when the nearest checkbox or radio circle left of ``box`` on its row is left
        empty: ``box`` holds an option not chosen, or what is printed with it further along its
        row (a pre-printed medicine nobody ticked and its directions): print, never a value. A
        mark inside a word of ``page`` at least twice its width is a letter's loop ("D" of
        "D.O.B."), not a box."""
        row = [
            mark
            for mark in self.marks
            if mark.shape in ("square", "circle")
            and on_one_row(mark.box, box)
            # Left of it, or at its start: OCR may read a box into its option's first word.
            and (mark.box[2] <= box[0] or at_the_start(mark.box, box[0]))
        ]
        if not row:
            return False
        words = [word for line in page.lines if on_one_row(line.box, box) for word in line.words]
        left = [mark for mark in row if not any(_a_letter_of(mark.box, word) for word in words)]
        return bool(left) and not max(left, key=lambda mark: mark.box[2]).selected

    @cached_property
    def mark_row_slope(self) -> float:
        """How the page's rows of marks slope (pixels down per pixel right; 0 on a level page):
        the median slope from each mark's foot to its nearest neighbour's right of it on its
        row (a tick drawn past a box's top raises its box, not its foot). A
        photographed form deskewed as a whole may still lean where its grid is; under
        ``LEVEL_SLOPE`` the page is level, and with fewer than ``MIN_SLOPE_PAIRS`` pairs no
        lean is told."""
        slopes = []
        for mark in self.marks:
            side = mark.box[3] - mark.box[1]
            right = [
                other
                for other in self.marks
                if other.box[0] > mark.box[2] and abs(other.box[3] - mark.box[3]) < side
            ]
            if right:
                other = min(right, key=lambda o: o.box[0])
                slopes.append((other.box[3] - mark.box[3]) / (other.box[0] - mark.box[0]))
        if len(slopes) < MIN_SLOPE_PAIRS:
            return 0.0
        slope = statistics.median(slopes)
        return slope if abs(slope) >= LEVEL_SLOPE else 0.0

    @cached_property
    def marked_cells(self) -> frozenset[Cell]:
        """The cells that hold a mark (``cell_at`` of each mark), worked out once per page."""
        return frozenset(cell for mark in self.marks if (cell := self.cell_at(mark.box)) is not None)

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
            "combs": [list(b) for b in self.combs],
            "shades": [list(b) for b in self.shades],
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
            combs=tuple(_box(b) for b in data.get("combs", [])),
            shades=tuple(_box(b) for b in data.get("shades", [])),
        )


def _box(values: Sequence[int]) -> Box:
    x0, y0, x1, y1 = (int(v) for v in values)
    return (x0, y0, x1, y1)


def _a_letter_of(mark: Box, word: Word) -> bool:
    """True when ``mark`` lies within ``word``, ``word`` is at least twice its width, and the
    mark is no box OCR read into its option: it stands past the word's start, or OCR read the
    word surely (a box at an unsure word's start is read as a glyph of "OLisinopril")."""
    from extraction.structure.words import is_sure_word  # words builds on this module

    box = word.box
    inside = overlap_area(mark, box) >= 0.8 * area(mark)
    wide = box[2] - box[0] >= 2 * (mark[2] - mark[0])
    return inside and wide and (is_sure_word(word) or not at_the_start(mark, box[0]))
