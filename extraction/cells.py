"""Labels of ruled forms that OCR reads as several lines: a narrow label cell wraps its label
("Residential" over "address:"), and each line alone reads as no label, or as the wrong one.

A cell holding only a few left-aligned lines without digits that together read as a label
(ending in a colon, or matching a known wording) is one label: its lines become one line.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import replace

from extraction.keys import KEY_MIN_SCORE
from extraction.label_ends import MAX_KEY_WORDS, has_digits
from extraction.label_shapes import MAX_UNKNOWN_KEY_WORDS
from extraction.phrases import whole_phrase_score
from extraction.structure import PageStructure
from extraction.types import Box, Line, PageText, mostly_inside, on_one_row

# A wrapped label runs over at most this many lines of its cell.
MAX_LABEL_LINES = 3
# Its lines start this many line heights apart at most, and follow each other this closely.
ALIGN_HEIGHTS = 0.6
MAX_LINE_GAP_HEIGHTS = 0.8
# Words a label never ends in: a line ending in one is the first part of a wrapped label, its
# lines set this many line heights apart at most.
CONNECTIVES = frozenset(
    (
        "of",
        "for",
        "to",
        "the",
        "and",
        "or",
        "in",
        "on",
        "at",
        "by",
        "with",
        "from",
        "a",
        "an",
        "your",
        "if",
        "&",
    )
)
MAX_CUT_LINE_GAP_HEIGHTS = 1.6
# A label's end run on to the next line holds at most this many words up to its colon.
MAX_TAIL_WORDS = 4
# A grid column's header (Yes | No) stands at most this many line heights above its cells.
HEADER_REACH_HEIGHTS = 6.0
# Boxes of one grid column stand one under another at most this many line heights apart (a
# row's height less a box's).
STACK_GAP_HEIGHTS = 3.0


def join_wrapped_labels(
    page: PageText, structure: PageStructure | None, vocabulary: tuple[str, ...], height: float
) -> PageText:
    """``page`` with the lines of each wrapped label cell joined into one line, in reading order."""
    if structure is None or not structure.cells:
        return page
    joined: dict[int, Line] = {}
    dropped: set[int] = set()
    for cell in structure.cells:
        inside = [line for line in page.lines if mostly_inside(line.box, cell.box)]
        if 2 <= len(inside) <= MAX_LABEL_LINES and _wrapped_label(inside, vocabulary, height):
            ordered = sorted(inside, key=lambda line: line.box[1])
            joined[id(ordered[0])] = Line(tuple(w for line in ordered for w in line.words))
            dropped.update(id(line) for line in ordered[1:])
    if not joined:
        return page
    lines = tuple(joined.get(id(line), line) for line in page.lines if id(line) not in dropped)
    return replace(page, lines=lines)


def join_label_tails(page: PageText, vocabulary: tuple[str, ...], height: float) -> PageText:
    """``page`` with each label that runs on to the next line, outside any cell, joined into
    one line with it: a line of a label's words with no colon, and right under it, set flush
    with it, a line that goes on in small letters or a bracket up to a colon and the value
    ("List any medication" over "taken regularly: Melatonin", "Known allergies" over "(drug or
    food): Latex"). The lower line's head is the label's end, never a value: read alone, the
    label's first line would take the whole lower line as its value."""
    lines = list(page.lines)
    for upper, lower in itertools.pairwise(sorted(page.lines, key=lambda line: line.box[1])):
        if upper in lines and lower in lines and _label_goes_on(upper, lower, vocabulary, height):
            lines[lines.index(upper)] = Line(upper.words + lower.words)
            lines.remove(lower)
    return page if len(lines) == len(page.lines) else replace(page, lines=tuple(lines))


def _label_goes_on(upper: Line, lower: Line, vocabulary: tuple[str, ...], height: float) -> bool:
    words = lower.text.split()
    colon_at = next((i for i, word in enumerate(words[:MAX_TAIL_WORDS]) if word.endswith(":")), None)
    if colon_at is None or ":" in upper.text or has_digits(upper.text):
        return False
    tail = " ".join(words[: colon_at + 1])
    if not (tail[0].islower() or tail[0] == "(") or has_digits(tail):
        return False
    flush = abs(lower.box[0] - upper.box[0]) <= ALIGN_HEIGHTS * height
    tight = 0 <= lower.box[1] - upper.box[3] <= MAX_LINE_GAP_HEIGHTS * height
    if not (flush and tight) or len(upper.text.split()) + colon_at + 1 > MAX_KEY_WORDS:
        return False
    # The run-on words read as the label's (at least as well as its first line alone): a value
    # after a whole label ("Medical problems" over "asthma: since 2010") reads worse with it.
    joined = whole_phrase_score(f"{upper.text} {tail.rstrip(':')}", vocabulary)
    return joined >= KEY_MIN_SCORE and joined >= whole_phrase_score(upper.text, vocabulary)


def _wrapped_label(lines: list[Line], vocabulary: tuple[str, ...], height: float) -> bool:
    ordered = sorted(lines, key=lambda line: line.box[1])
    text = " ".join(line.text for line in ordered)
    words = text.split()
    if any(ch.isdigit() for ch in text) or len(words) > MAX_UNKNOWN_KEY_WORDS + 1:
        return False
    left = min(line.box[0] for line in ordered)
    if any(line.box[0] - left > ALIGN_HEIGHTS * height for line in ordered):
        return False
    # With no colon, the lines together must read as a label: "PATIENT NAME" over its value in
    # a corner cell is a label and a value. When an earlier line alone reads as a label too
    # ("Emergency" over "contact"), the lines are one label only when set as tightly as the
    # lines of one paragraph.
    known_label = whole_phrase_score(text, vocabulary) >= KEY_MIN_SCORE
    parts_known = any(whole_phrase_score(line.text, vocabulary) >= KEY_MIN_SCORE for line in ordered[:-1])
    closed = text.rstrip().endswith((":", "?"))
    for upper, lower in itertools.pairwise(ordered):
        # A line ending in a word no label ends in ("Name of") goes on in the next, and so do
        # the parts of a known label ("STREET" / "ADDRESS") and the lines over a label's closing
        # colon, however widely the cell spaces them.
        loose = (known_label and not parts_known) or closed or _cut_short(upper.text)
        gap = MAX_CUT_LINE_GAP_HEIGHTS if loose else MAX_LINE_GAP_HEIGHTS
        if lower.box[1] - upper.box[3] > gap * height:
            return False
    # A label's colon comes at its end only.
    if any(line.text.rstrip().endswith((":", "?")) for line in ordered[:-1]):
        return False
    if closed:
        return True
    return known_label or any(_cut_short(line.text) for line in ordered[:-1])


def _cut_short(text: str) -> bool:
    """True for a line whose last word is one a phrase never ends in ("In case of")."""
    words = text.split()
    return bool(words) and words[-1].lower().strip(".,") in CONNECTIVES


def header_above(box: Box, lines: Sequence[Line], height: float) -> Line | None:
    """The nearest line above ``box`` that spans its middle, within ``HEADER_REACH_HEIGHTS``
    line heights: the header of the grid column the box stands in."""
    middle = (box[0] + box[2]) / 2
    above = [
        line
        for line in lines
        if line.box[3] <= box[1] + 2
        and line.box[0] - 0.5 * height <= middle <= line.box[2] + 0.5 * height
        and box[1] - line.box[3] <= HEADER_REACH_HEIGHTS * height
    ]
    return max(above, key=lambda line: line.box[3], default=None)


def column_header_over(box: Box, boxes: Sequence[Box], lines: Sequence[Line], height: float) -> Line | None:
    """The header of the column of ``boxes`` (the page's marks) that ``box`` stands in: the
    line ``header_above`` it or, where none stands within reach, above the box stacked right
    over it, and so on up the column ("Yes" over the first of a long grid's rows answers the
    last one too). A line spanning the column between two boxes heads the boxes under it."""
    current = box
    for _ in range(len(boxes) + 1):
        nearest = header_above(current, lines, height)
        if nearest is not None:
            return nearest
        stacked = _box_right_over(current, boxes, height)
        if stacked is None:
            return None
        current = stacked
    return None


def _box_right_over(box: Box, boxes: Sequence[Box], height: float) -> Box | None:
    """The nearest of ``boxes`` over ``box`` in its column: left edges within ``ALIGN_HEIGHTS``
    line heights, no more than ``STACK_GAP_HEIGHTS`` line heights apart."""
    over = [
        other
        for other in boxes
        if other[3] <= box[1] + 2
        and box[1] - other[3] <= STACK_GAP_HEIGHTS * height
        and abs(other[0] - box[0]) <= ALIGN_HEIGHTS * height
    ]
    return max(over, key=lambda other: other[3], default=None)


def answer_grid_headers(page: PageText, structure: PageStructure | None, height: float) -> list[Line]:
    """The lines of the header rows of answer grids ("Question | Yes | No"): the short line
    right above a column of answer cells, and every line level with it. Printed words of the
    form, never a value."""
    if structure is None:
        return []
    cells = [m for m in structure.marks if m.shape == "cell"]
    heads: list[Line] = []
    for mark in cells:
        nearest = header_above(mark.box, page.lines, height)
        if nearest is not None and nearest not in heads:
            heads.append(nearest)
    level = [
        line
        for line in page.lines
        if line not in heads and any(on_one_row(line.box, head.box, share=1 / 2) for head in heads)
    ]
    return heads + level
