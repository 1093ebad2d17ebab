"""The crop of a filled-in value that the second reader reads: the value's own ink, nothing else.

Tesseract's box round a handwritten value is often wrong in three ways: it covers only part of
the writing ("05/03" of "05/03/2019": the rest was read as no word), the room kept round it takes
in the bottom of a printed label above or a cell's wall beside it (read as "[" or as letters),
and strokes that run above or below the line are cut. So the crop is made of ink blobs
(connected components) rather than of a rectangle: the blobs the box holds, then those that
continue the writing to the right or left on the same row, never a ruled line, a box wall or the
ticks of a comb (the short strokes standing on the line of a field printed "|_|_|_|", which a
recognizer reads as "1"s); every other pixel of the crop is paper.
"""

from __future__ import annotations

import cv2
import numpy as np

from extraction.structure.ink import components
from extraction.types import Box

# How far round the value's box blobs are looked for, in box heights (12 sideways read no more
# values right on tuning documents and took 2.5 times as long: the window is most of the cost).
REACH_UP_DOWN = 1.0
REACH_SIDEWAYS = 5.0
# Blobs that continue the writing are at most this many heights from it: wider than the space
# between handwritten words, narrower than the space before the next field's label.
GAP_RIGHT = 0.9
GAP_LEFT = 0.15
# Bare gaps inside the crop are cut to this many heights (a wide space between words).
GAP_KEPT = 0.6
# A straight ink run longer than this many heights across is a rule, down a wall: longer than
# any handwritten stroke (the box's height already spans ascenders and descenders).
RULE_WIDTH = 3.0
WALL_HEIGHT = 1.5
# Straight slender strokes (at most TICK_SLENDER times as wide as high, their ink filling TICK_FILL
# of their box) standing on (or hanging from) one ruled line, at least MIN_TICKS of them of one
# height (within TICK_SAME), are a comb's ticks: writing that touches a line is neither so straight
# nor so regular ("999" whose tails reach the line).
TICK_SLENDER = 0.34
TICK_FILL = 0.7
MIN_TICKS = 3
TICK_SAME = 0.1
# A blob across a rule from the value that starts within this many pixels of it was cut from
# the writing by the rule's removal (a descender).
RULE_TOUCH = 2
# Blobs of fewer pixels are specks: they neither join nor extend the writing.
MIN_AREA = 4
# A piece of writing in a blank's spot is at least this share of a line tall or wide (dust is
# smaller; a written "1" or "-" is not).
MIN_STROKE = 0.3
# Ink is this much darker than the paper (grey levels). The crop has a margin of paper of this
# share of the writing's height, at least MIN_MARGIN pixels.
INK_CONTRAST = 60
MARGIN = 0.25
MIN_MARGIN = 4


def value_crop(page: np.ndarray, box: Box) -> np.ndarray | None:
    """The pixels of the value written in and round ``box`` on the grey ``page``, with everything
    that is not its ink painted as paper; None when the box holds no ink."""
    height = max(1, box[3] - box[1])
    x0 = max(0, int(box[0] - REACH_SIDEWAYS * height))
    x1 = min(page.shape[1], int(box[2] + REACH_SIDEWAYS * height))
    y0 = max(0, int(box[1] - REACH_UP_DOWN * height))
    y1 = min(page.shape[0], int(box[3] + REACH_UP_DOWN * height))
    window = page[y0:y1, x0:x1]
    if window.size == 0:
        return None
    paper, ink = _paper_and_ink(window)
    lines, across, walls = _ruled_lines(ink, height)
    ink[lines > 0] = 0
    _count, labels, stats, _ = components(ink)
    local = (box[0] - x0, box[1] - y0, box[2] - x0, box[3] - y0)
    ticks = _comb_ticks(stats[1:], across)
    rules = _rules_round(across, local)
    beyond = {i for i, blob in enumerate(stats[1:]) if _beyond_rules(blob, rules)}
    kept = _writing(stats[1:], local, height, walls, ticks | beyond)
    if not kept:
        return None
    chosen = np.isin(labels, [index + 1 for index in kept])
    left, top, right, bottom = _bounds(stats[1:], kept)
    # The blobs' pixels keep their grey (soft edges read better); a pixel beside a blob too.
    near = cv2.dilate(chosen.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    crop = np.where(near, window, np.uint8(paper))[top:bottom, left:right]
    crop = _close_gaps(crop, near[top:bottom, left:right], height)
    # Paper round the writing, as the recognizer was trained on: a tight crop loses strokes.
    margin = max(MIN_MARGIN, int(MARGIN * (bottom - top)))
    return cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=int(paper))


def _paper_and_ink(window: np.ndarray) -> tuple[float, np.ndarray]:
    """The paper's grey level in ``window`` and the mask (0/1) of what is ``INK_CONTRAST``
    darker than it."""
    paper = float(np.percentile(window[::2, ::2], 90))
    return paper, (window < paper - INK_CONTRAST).astype(np.uint8)


def _close_gaps(crop: np.ndarray, ink: np.ndarray, height: int) -> np.ndarray:
    """The crop with every run of bare columns wider than GAP_KEPT heights cut to that width: the
    recognizer reads a wide gap (between a table's medicine and dose cells) as a stray letter."""
    keep = max(2, int(GAP_KEPT * height))
    bare = ~ink.any(axis=0)
    columns, run = [], 0
    for x, empty in enumerate(bare):
        run = run + 1 if empty else 0
        if run <= keep:
            columns.append(x)
    return crop[:, columns]


def _ruled_lines(ink: np.ndarray, height: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """The mask of straight ruled lines in ``ink`` (longer than any handwritten stroke: a
    horizontal run of RULE_WIDTH heights, a vertical one of WALL_HEIGHT), slightly widened; the
    mask of the horizontal ones alone, as widened; and the boxes (x, y, w, h) of the vertical
    ones: walls that end a row of writing."""
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, int(RULE_WIDTH * height)), np.uint8))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((int(WALL_HEIGHT * height), 1), np.uint8))
    widen = np.ones((3, 3), np.uint8)
    lines = cv2.dilate(across | down, widen)
    _count, _labels, stats, _ = components(down)
    return lines, cv2.dilate(across, widen), list(stats[1:])


def _comb_ticks(stats: np.ndarray, across: np.ndarray) -> set[int]:
    """Indexes of the blobs that are a comb's ticks: straight slender strokes whose foot or head touches a
    horizontal ruled line (``across``, widened), at least MIN_TICKS of one height on that line."""
    touching: dict[tuple[str, int], list[int]] = {}
    for index, (x, y, w, h, area) in enumerate(stats):
        if w > TICK_SLENDER * h or area < TICK_FILL * w * h:
            continue
        if across[y + h : y + h + 2, x : x + w].any():
            touching.setdefault(("foot", y + h), []).append(index)
        elif across[max(0, y - 2) : y, x : x + w].any():
            touching.setdefault(("head", y), []).append(index)
    ticks: set[int] = set()
    for (_end, _row), indexes in _merge_rows(touching).items():
        heights = np.array([stats[i][3] for i in indexes])
        for i, h in zip(indexes, heights, strict=True):
            if np.sum(np.abs(heights - h) <= TICK_SAME * h) >= MIN_TICKS:
                ticks.add(i)
    return ticks


def _merge_rows(touching: dict[tuple[str, int], list[int]]) -> dict[tuple[str, int], list[int]]:
    """The groups of strokes touching a line, those whose ends lie within two pixels (one line
    drawn slightly askew) merged."""
    merged: dict[tuple[str, int], list[int]] = {}
    for (end, row), indexes in sorted(touching.items()):
        near = next((key for key in merged if key[0] == end and abs(key[1] - row) <= 2), None)
        merged.setdefault(near or (end, row), []).extend(indexes)
    return merged


def _rules_round(across: np.ndarray, box: Box) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The rows (first, last) of the nearest ruled lines over and under the value (``across``:
    the horizontal rules' mask) that cross its box's columns, or None; a rule through the box
    counts on the side of its middle that it stands on."""
    rows = np.flatnonzero(across[:, max(0, box[0]) : max(box[0] + 1, box[2])].any(axis=1))
    middle = (box[1] + box[3]) / 2
    over, under = rows[rows < middle], rows[rows >= middle]
    return (_run_ending(over) if over.size else None), (_run_starting(under) if under.size else None)


def _run_ending(rows: np.ndarray) -> tuple[int, int]:
    """The run of consecutive rows that ends ``rows`` (sorted)."""
    first = int(rows[-1])
    while first - 1 in rows:
        first -= 1
    return first, int(rows[-1])


def _run_starting(rows: np.ndarray) -> tuple[int, int]:
    """The run of consecutive rows that starts ``rows`` (sorted)."""
    last = int(rows[0])
    while last + 1 in rows:
        last += 1
    return int(rows[0]), last


def _beyond_rules(s: np.ndarray, rules: tuple[tuple[int, int] | None, tuple[int, int] | None]) -> bool:
    """Whether the blob ``s`` lies across a ruled line from the value and clear of it: writing
    never goes on across a cell's border or the line it is written on (a tall box round looped
    capitals reaches the next row's value), while a descender the rule's removal cut off
    starts right at the rule."""
    over, under = rules
    if under is not None and _middle(s) > under[0] and s[1] > under[1] + RULE_TOUCH:
        return True
    return over is not None and _middle(s) < over[1] and s[1] + s[3] < over[0] - RULE_TOUCH


def _writing(
    stats: np.ndarray, box: Box, height: int, walls: list[np.ndarray], left_out: set[int]
) -> list[int]:
    """Indexes of the blobs that make up the value: those whose middle lies in ``box``, then
    blobs on the same row that continue them sideways, never across a wall; never one of
    ``left_out`` (a comb's ticks, writing across a rule)."""
    usable = [i for i, s in enumerate(stats) if s[4] >= MIN_AREA and i not in left_out]
    row = (box[1] - 0.35 * height, box[3] + 0.35 * height)
    kept = [
        i
        for i in usable
        if box[0] <= stats[i][0] + stats[i][2] / 2 <= box[2] and box[1] <= _middle(stats[i]) <= box[3]
    ]
    if not kept:
        return []
    # A wall between the writing and a blob ends the row there (a table's next cell).
    walls = [w for w in walls if _overlaps(w, row)]
    on_row = [i for i in usable if row[0] <= _middle(stats[i]) <= row[1] and i not in kept]
    grown = True
    while grown:
        grown = False
        left, _top, right, _bottom = _bounds(stats, kept)
        for i in list(on_row):
            s = stats[i]
            gap_right, gap_left = s[0] - right, left - (s[0] + s[2])
            joins = (-height < gap_right <= GAP_RIGHT * height) or (-height < gap_left <= GAP_LEFT * height)
            if joins and not _wall_between(walls, s, left, right):
                kept.append(i)
                on_row.remove(i)
                grown = True
    return kept


def _wall_between(walls: list[np.ndarray], s: np.ndarray, left: int, right: int) -> bool:
    """Whether a wall stands between the kept writing (``left``..``right``) and the blob ``s``."""
    for wall in walls:
        middle = wall[0] + wall[2] / 2
        if s[0] >= right and right <= middle <= s[0] + s[2] / 2:
            return True
        if s[0] + s[2] <= left and s[0] + s[2] / 2 <= middle <= left:
            return True
    return False


def _middle(s: np.ndarray) -> float:
    return s[1] + s[3] / 2


def _overlaps(s: np.ndarray, row: tuple[float, float]) -> bool:
    return s[1] < row[1] and s[1] + s[3] > row[0]


def _bounds(stats: np.ndarray, indexes: list[int]) -> tuple[int, int, int, int]:
    chosen = stats[indexes]
    return (
        int(chosen[:, 0].min()),
        int(chosen[:, 1].min()),
        int((chosen[:, 0] + chosen[:, 2]).max()),
        int((chosen[:, 1] + chosen[:, 3]).max()),
    )


def ink_within(page: np.ndarray, spot: Box) -> Box | None:
    """The box, in page pixels, of the writing inside ``spot`` (a blank field's place, see
    ``extraction.blank_spots``): its pieces at least ``MIN_STROKE`` of a line tall or wide, ruled
    lines and specks left out; None for a spot of bare paper. A line is taken as half the spot's
    height (a spot is about two lines high)."""
    x0, y0 = max(0, spot[0]), max(0, spot[1])
    x1, y1 = min(page.shape[1], spot[2]), min(page.shape[0], spot[3])
    window = page[y0:y1, x0:x1]
    if window.size == 0:
        return None
    height = max(8, (y1 - y0) // 2)
    _paper, ink = _paper_and_ink(window)
    # The line written on may be cut short by the spot: a straight run across half of it is a
    # rule too, if no shorter than a wide written word.
    across = max(int(1.5 * height), min(int(RULE_WIDTH * height), (x1 - x0) // 2))
    ink[cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, across), np.uint8)) > 0] = 0
    lines, _across, _walls = _ruled_lines(ink, height)
    ink[lines > 0] = 0
    _count, _labels, stats, _ = components(ink)
    pieces = [
        i for i, s in enumerate(stats[1:]) if max(s[2], s[3]) >= MIN_STROKE * height and s[4] >= MIN_AREA
    ]
    if not pieces:
        return None
    left, top, right, bottom = _bounds(stats[1:], pieces)
    return (x0 + left, y0 + top, x0 + right, y0 + bottom)
