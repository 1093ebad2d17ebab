"""Selection marks: printed checkboxes and radio circles, whether each is selected and the option
printed right of it (the cells of answer grids: ``extraction.structure.grid_cells``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import cv2
import numpy as np

from extraction.structure.broken_boxes import boxes_broken_open, boxes_read_into_options
from extraction.structure.geometry import (
    at_the_start,
    contains,
    inside_any,
    iou,
    overlap_area,
    passes_between,
    word_boxes,
)
from extraction.structure.ink import binary, components
from extraction.structure.mark_shapes import Outline, lopsided, mark_candidates, read_mark, side_sized
from extraction.structure.types import Rule, SelectionMark
from extraction.structure.words import is_sure_word
from extraction.types import Box, Word, union_box

# A mark stands apart: no ink this many text heights left or right of it. A letter has its
# word's next letter closer than that; a printed box has a space at least before its option.
CLEARANCE_HEIGHTS = 0.2
# Ink beside a mark in a piece no longer or taller than this share of the mark's height is a
# speck of noise, not a letter's.
SPECK_SHARE = 0.2
# A word this many text heights tall or more is not a line of the page's print, unless it has
# this many letters: OCR reads a box and its option as a word of two or three.
MAX_LETTER_HEIGHTS = 1.6
HEADING_LETTERS = 5
# A box joined to print is found as strokes this share of its side long (a printed box's
# sides; the page's other boxes give the side).
EDGE_SHARE = 0.7
# Ink runs along at least this share of each side of a printed box (a scan's gaps aside).
CLOSED_SIDE_SHARE = 0.9
# Letters and digits whose outline closes a hole, as a box's does: OCR may read a box as one.
HOLED_GLYPHS = frozenset("ABDOPQRabdegopq04689")
# A word of one character read at least this surely is a letter, however dense its ink.
SURE_LETTER = 0.9
# Option text continues right of a mark while the gap to the next word is under this many text heights.
OPTION_GAP_HEIGHTS = 2.0


def find_marks(
    gray: np.ndarray, threshold: int, height: float, words: Sequence[Word], rules: Sequence[Rule]
) -> tuple[SelectionMark, ...]:
    """Checkboxes and radio circles with their state and option text, in reading order."""
    ink = binary(gray, threshold)
    found: list[tuple[Box, Literal["square", "circle"], bool, float]] = []
    clearance = max(2, round(CLEARANCE_HEIGHTS * height))
    text_boxes = word_boxes(words)
    # Text of the page's own size: a box read as "Oo", twice as tall as the print, is no letter;
    # a word of many letters read surely is text at any size (a heading's "o" and colon).
    sure_text = np.array(
        [
            is_sure_word(w)
            and (
                w.height <= MAX_LETTER_HEIGHTS * height or sum(c.isalpha() for c in w.text) >= HEADING_LETTERS
            )
            for w in words
        ],
        dtype=bool,
    )
    holed = np.array([w.text[:1] in HOLED_GLYPHS for w in words], dtype=bool)
    # A lone letter read surely ("a", "B:"): a filled mark is solid where a bold or blurred
    # letter's loop may close up to a speck of a hole.
    lone_letter = np.array(
        [sum(ch.isalnum() for ch in w.text) == 1 and w.confidence >= SURE_LETTER for w in words], dtype=bool
    )
    for candidate in mark_candidates(ink, height):
        if not _stands_apart(ink, candidate.box, clearance):
            continue
        if not candidate.hollow and _a_filled_letter(
            candidate.box, text_boxes, lone_letter, sure_text & holed
        ):
            continue
        read = read_mark(ink, candidate)
        if (
            read is not None
            and read[0] == "circle"
            and _a_drawn_letter(ink, candidate.box, text_boxes, lone_letter)
        ):
            continue
        if read is not None and not _on_sure_text(candidate.box, text_boxes, sure_text, holed):
            found.append((candidate.box, *read))
    found += _boxes_joined_to_print(ink, found, text_boxes, sure_text, holed)
    found += boxes_broken_open(
        ink,
        found,
        height,
        lambda box: (
            _on_sure_text(box, text_boxes, sure_text, holed)
            or _on_a_lone_letter(box, text_boxes, lone_letter)
        ),
    )
    found += boxes_read_into_options(ink, found, words)
    # A filled radio's dot is a blob of its own inside the ring: the ring is the mark.
    outer = [f for f in found if not any(g is not f and contains(g[0], f[0]) for g in found)]
    boxes = [box for box, *_ in outer]
    inside_marks = inside_any(text_boxes, boxes)
    free_words = [w for w, inside in zip(words, inside_marks, strict=True) if not inside]
    verticals = [r.box for r in rules if r.orientation == "vertical" and not side_of_a_mark(r.box, boxes)]
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


def side_of_a_mark(rule: Box, marks: Sequence[Box]) -> bool:
    """True for a rule that is the side of a checkbox drawn as tall as a rule is long: it
    parts no cells and no option from its box."""
    return any(
        m[0] - 2 <= rule[0] and rule[2] <= m[2] + 2 and m[1] - 2 <= rule[1] and rule[3] <= m[3] + 2
        for m in marks
    )


def _boxes_joined_to_print(
    ink: np.ndarray,
    found: Sequence[tuple[Box, Literal["square", "circle"], bool, float]],
    text_boxes: np.ndarray,
    sure_text: np.ndarray,
    holed: np.ndarray,
) -> list[tuple[Box, Literal["square", "circle"], bool, float]]:
    """More checkboxes of the size of those found, whose outline ink joins to print: a tick
    drawn past the box into its option's first letter, or a speck of a scan bridging them,
    makes box and word one outline that is no mark's shape. A printed box is four straight
    strokes as long as its side, which letters of the same height never close into a square:
    the page seen through a horizontal and a vertical opening that long keeps the box alone."""
    sides = [min(box[2] - box[0], box[3] - box[1]) for box, shape, *_ in found if shape == "square"]
    if not sides:
        return []
    side = float(np.median(sides))
    length = max(3, round(EDGE_SHARE * side))
    edges = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)) | cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)
    )
    contours, hierarchy = cv2.findContours(edges, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    known = [box for box, *_ in found]
    more: list[tuple[Box, Literal["square", "circle"], bool, float]] = []
    holes: dict[int, list[Box]] = {}
    for index, contour in enumerate(contours):
        if hierarchy[0][index][3] >= 0:
            x, y, w, h = cv2.boundingRect(contour)
            holes.setdefault(int(hierarchy[0][index][3]), []).append((x, y, x + w, y + h))
    for index, contour in enumerate(contours):
        if index not in holes:
            continue  # a hole, or an outline with none
        x, y, w, h = cv2.boundingRect(contour)
        outer = (x, y, x + w, y + h)
        round_holes = _box_round_holes(outer, holes[index])
        # The outline itself; else, for a thick tick whose steep stroke outlasted the opening
        # and sticks out of a corner (no square outline), the box round the outline's holes.
        for box, outline in ((outer, contour), (round_holes, _rectangle(round_holes))):
            if not side_sized(box, side) or any(overlap_area(box, other) > 0 for other in known):
                continue
            closed = _sides_closed(edges, box)
            if outline is not contour and not closed:
                continue
            # Four straight sides close no letter's hole: a box OCR read into its option's word
            # as a letter ("ON" for an empty box and its option "N") is a box all the same.
            if not closed and _on_sure_text(box, text_boxes, sure_text, holed):
                continue
            read = read_mark(ink, Outline(outline, box, hollow=True))
            if read is not None:
                # Straight strokes close no circle: a tick's stub left on the rim only rounds the fill.
                more.append((box, "square", *read[1:]))
                known.append(box)
                break
    return more


def _box_round_holes(outer: Box, holes: Sequence[Box]) -> Box:
    """The box an outline's ``holes`` fill, grown by its thinnest rim: the printed box itself,
    without a stroke sticking out past one of its sides (``outer``: the outline's box)."""
    hx0, hy0 = min(h[0] for h in holes), min(h[1] for h in holes)
    hx1, hy1 = max(h[2] for h in holes), max(h[3] for h in holes)
    rim = min(hx0 - outer[0], hy0 - outer[1], outer[2] - hx1, outer[3] - hy1)
    return (hx0 - rim, hy0 - rim, hx1 + rim, hy1 + rim)


def _sides_closed(edges: np.ndarray, box: Box) -> bool:
    """True when ink runs along all four sides of ``box`` (a pixel in from each edge): a
    printed box's outline, not a letter's holes."""
    x0, y0, x1, y1 = box
    if x1 - x0 < 3 or y1 - y0 < 3:
        return False
    inner = edges[y0:y1, x0:x1] > 0
    sides = (inner[1, :], inner[-2, :], inner[:, 1], inner[:, -2])
    return all(side.mean() >= CLOSED_SIDE_SHARE for side in sides)


def _rectangle(box: Box) -> np.ndarray:
    """A contour (as OpenCV gives them) round ``box``."""
    x0, y0, x1, y1 = box
    return np.array([[[x0, y0]], [[x1 - 1, y0]], [[x1 - 1, y1 - 1]], [[x0, y1 - 1]]], dtype=np.int32)


def _on_sure_text(box: Box, text_boxes: np.ndarray, sure_text: np.ndarray, holed: np.ndarray) -> bool:
    """True where a surely read word of two or more letters is: a letter ("OD"), not a mark. A
    letter inside a longer word counts too, anywhere past the word's start ("PRN"'s "N" in a
    box's option read as "OPRN", the "N" of a heading's "INSURANCE" right after its narrow "I"):
    a box read into its option's word stands at the word's start.

    ``holed`` tells the words whose first letter closes a hole ("O", "D", "a"): a hollow
    outline at the start of a word OCR began with a letter that has none ("MY" for a ticked box
    and its option "Y") is no letter of that word."""
    at_start = at_the_start(box, text_boxes[:, 0])
    letters = sure_text & ~(at_start & ~holed)
    if (letters & (iou(box, text_boxes) >= 0.5)).any():
        return True
    within = (
        ~at_start
        & (text_boxes[:, 0] < box[0])
        & (box[2] <= text_boxes[:, 2] + 1)
        & (text_boxes[:, 1] <= box[1] + 0.25 * (box[3] - box[1]))
        & (box[3] - 0.25 * (box[3] - box[1]) <= text_boxes[:, 3])
    )
    return bool((sure_text & within).any())


def _a_filled_letter(
    box: Box, text_boxes: np.ndarray, lone_letter: np.ndarray, opens_holed: np.ndarray
) -> bool:
    """True when a dense outline with no thin rim (a filled mark's shape) is a letter: a lone
    letter read surely, or the first letter of a word read surely that starts with a letter
    having a hole ("a" of "any", whose bowl a bold or blurred face closes up)."""
    if _on_a_lone_letter(box, text_boxes, lone_letter):
        return True
    half = 0.5 * (box[3] - box[1])
    level = (np.minimum(text_boxes[:, 3], box[3]) - np.maximum(text_boxes[:, 1], box[1])) >= half
    at_start = at_the_start(box, text_boxes[:, 0])
    return bool((opens_holed & at_start & level).any())


def _a_drawn_letter(ink: np.ndarray, box: Box, text_boxes: np.ndarray, lone_letter: np.ndarray) -> bool:
    """True when a round outline is a letter standing alone ("Vitamin D"): read surely as one
    letter, and not its own mirror image as a printed circle is. A circle read as "O" stays a
    mark: its ink mirrors itself."""
    return _on_a_lone_letter(box, text_boxes, lone_letter) and lopsided(ink, box)


def _on_a_lone_letter(box: Box, text_boxes: np.ndarray, lone_letter: np.ndarray) -> bool:
    """True when ``box`` is where OCR surely read one letter alone (``lone_letter``: per word,
    half its union with ``box`` shared or more)."""
    return bool((lone_letter & (iou(box, text_boxes) >= 0.5)).any())


def _stands_apart(ink: np.ndarray, box: Box, clearance: int) -> bool:
    """True when no ink lies within ``clearance`` pixels left or right of the box's middle half
    (a letter's neighbour in its word would; rows above and below may hold an underline), but
    for specks: ink whose whole piece, seen a box's size round, is no larger than a speck
    (``SPECK_SHARE`` of the box's height) is noise or dust, not a letter."""
    x0, y0, x1, y1 = box
    top, bottom = y0 + (y1 - y0) // 4, y1 - (y1 - y0) // 4
    reach, speck = y1 - y0, max(1.0, SPECK_SHARE * (y1 - y0))
    for start, end in ((max(0, x0 - clearance), x0), (x1, x1 + clearance)):
        if not ink[top:bottom, start:end].any():
            continue  # blank beside the mark on this side: nothing to measure
        wy0, wx0 = max(0, y0 - reach), max(0, start - reach)
        window = ink[wy0 : y1 + reach, wx0 : end + reach]
        _count, labels, stats, _ = components((window > 0).astype(np.uint8))
        strip = labels[top - wy0 : bottom - wy0, start - wx0 : end - wx0]
        for label in np.unique(strip[strip > 0]):
            if max(stats[label, 2], stats[label, 3]) > speck:
                return False
    return True


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
            or any(passes_between(rule, left_edge, word) for rule in verticals)
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
