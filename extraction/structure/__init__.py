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

The package, by concern: ``types`` (what is found: ``Rule``, ``Cell``, ``Table``,
``SelectionMark``, ``PageStructure``), ``find`` (``find_structure``), ``rules`` (ruled lines,
cells and tables; ``without_rules``), ``marks`` (checkboxes, radio circles, answer-grid cells and
their option words), ``rings`` (words circled to answer), ``strikes`` (options struck out, the one
left standing the answer), ``words`` (the text height and the words against the structure), ``ink``
(ink against paper) and ``geometry`` (box arithmetic).
"""

from extraction.structure.combs import find_combs, without_combs
from extraction.structure.find import find_structure
from extraction.structure.rings import without_rings
from extraction.structure.rules import without_rules
from extraction.structure.types import Cell, PageStructure, Rule, SelectionMark, Table
from extraction.structure.words import (
    COMB_REACH,
    DEFAULT_TEXT_HEIGHT,
    join_combs,
    split_at_rule_starts,
    split_at_rules,
    split_before_marks,
    text_height,
    trim_borders,
    with_comb_lines_joined,
    words_outside_marks,
)

__all__ = [
    "COMB_REACH",
    "DEFAULT_TEXT_HEIGHT",
    "Cell",
    "PageStructure",
    "Rule",
    "SelectionMark",
    "Table",
    "find_combs",
    "find_structure",
    "join_combs",
    "split_at_rule_starts",
    "split_at_rules",
    "split_before_marks",
    "text_height",
    "trim_borders",
    "with_comb_lines_joined",
    "without_combs",
    "without_rings",
    "without_rules",
    "words_outside_marks",
]
