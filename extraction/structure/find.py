"""``find_structure``: the rules, cells, tables and selection marks of one page, all at once."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from extraction.structure.combs import find_combs, inside_comb, one_line_combs
from extraction.structure.geometry import area, overlap_area
from extraction.structure.grid_cells import answer_cells
from extraction.structure.ink import binary, ink_threshold
from extraction.structure.marks import find_marks, side_of_a_mark
from extraction.structure.rings import circled_marks, find_rings
from extraction.structure.rules import find_cells, find_rules, median_thickness
from extraction.structure.strikes import kept_marks
from extraction.structure.ticks import ticked_cells
from extraction.structure.types import PageStructure, SelectionMark
from extraction.structure.words import text_height
from extraction.types import Box, Word


def find_structure(image: np.ndarray, words: Sequence[Word], shades: Sequence[Box] = ()) -> PageStructure:
    """The rules, cells, tables and selection marks printed on a page.

    ``image`` is the grayscale page (uint8, HxW, dark ink on light paper); ``words`` are
    tesseract's words in the same pixel frame, used for the text height and to tell letters from
    checkboxes (may be empty); ``shades`` the outlines of its shaded areas, found before OCR
    (``extraction.shading``), kept as they are. A blank or empty page gives an empty structure,
    never an error.
    """
    if image.ndim != 2 or image.size == 0 or min(image.shape) < 8:
        return PageStructure(shades=tuple(shades))
    threshold = ink_threshold(image)
    if threshold is None:
        return PageStructure(shades=tuple(shades))
    height = text_height(words)
    rules, grid = find_rules(
        image,
        threshold,
        height,
        [w.box for w in words if w.text.strip()],
        [w.box for w in words if any(ch.isalnum() for ch in w.text)],
    )
    cells, tables = find_cells(grid, height, image.shape, median_thickness(rules))
    combs = one_line_combs(find_combs(image, height, threshold), words)
    if combs:
        # A comb's walls part the characters of one value: no rule to split the line at, no cells.
        rules = tuple(r for r in rules if r.orientation == "horizontal" or not inside_comb(r.box, combs))
        cells = tuple(c for c in cells if not inside_comb(c.box, combs))
    marks = find_marks(image, threshold, height, words, rules)
    # A tall checkbox's sides are found as rules; they part no words.
    boxes = [m.box for m in marks]
    rules = tuple(r for r in rules if not side_of_a_mark(r.box, boxes))
    marks += answer_cells(image, threshold, height, cells, marks, words)
    rings = circled_marks(find_rings(image, height, threshold), words)
    # A radio button filled in is a ring holding a dot, which OCR reads as a symbol ("@", "®") or
    # not at all: where a circle to fill was found, a ring round no letter or digit is that
    # circle.
    rings = [r for r in rings if _circles_a_word(r) or not any(_same_place(m.box, r.box) for m in marks)]
    # A ring round a word ("(Y)  N") is an answer; the same ring as a circle to fill is no radio
    # button filled in by the letter inside it.
    marks = [m for m in marks if not any(_same_place(m.box, r.box) for r in rings)] + list(rings)
    ink = binary(image, threshold)
    marks += kept_marks(ink, words, height)
    marks += ticked_cells(ink, height, cells, marks, words)
    # A comb's box with a digit in it is no ticked checkbox.
    marks = [m for m in marks if not inside_comb(m.box, combs)]
    return PageStructure(rules, cells, tables, tuple(marks), combs, tuple(shades))


def _circles_a_word(ring: SelectionMark) -> bool:
    """Whether OCR read a letter or a digit inside a ring (its option)."""
    return any(ch.isalnum() for ch in ring.option)


def _same_place(a: Box, b: Box) -> bool:
    """Whether two boxes cover mostly the same place (each holds most of the other)."""
    common = overlap_area(a, b)
    return common > 0 and common >= 0.7 * max(area(a), area(b))
