"""Dust in a space: a speck between two words that OCR read as a mark and joined them by.

A speck of dust or scanner noise in the space between two words is read as a mark ("." on the
base line, "-" or ":" half way up, "'" at the top), and the two words come back as one:
"Losartan.100", "Take-2.5", "1.tab", "Dr..Smith,". ``split_at_specks`` parts such words where
the ink shows a space with dust in it, before the words are joined into lines, and leaves every
other word as read:

- the gap between the letters is as wide as a space between words;
- a mark in it with less ink than half a printed point (a square a stroke wide) is dust wherever
  it stands: print is never that fine;
- so is a round speck clear of the letters on both sides (a printed full stop or comma holds to
  the letter before it; a hyphen is flat, an apostrophe or comma tall, a colon two dots), half
  way up or at the top of the letters;
- a round dot on the base line is a full stop to the eye as much as dust: it is taken for dust
  only where a full stop never stands without a space, between a word and a number ("Losartan.
  100", "1.tab"), or as a second mark beside a printed point or closing bracket ("Dr..Smith",
  "(259).526"); one between letters may end an abbreviation ("M.D.").

A mark between two digits is never dust, however faint: a decimal point, a thousands comma or a
time's colon.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from extraction.structure.ink import binary, components, ink_threshold
from extraction.types import Word

# A mark is a piece of ink no longer or taller than this share of the word's height (letters and
# digits are far taller; the dot of an "i" stands over its stem, not between letters).
MARK_SIDE = 0.25
# A gap between letters this many word heights wide is a space between words (the gaps round a
# printed point are a fifth of that or less on the side it holds to).
SPACE_WIDTH = 0.45
# A mark this many word heights clear of the letters on each side stands free in the gap.
CLEARANCE = 0.12
# A mark with less ink than this share of a printed point (a square a stroke wide) is dust
# wherever it stands in a space: print is never that fine.
DUST_SHARE = 0.5
# A speck is round: its longer side at most this many times its shorter one (a hyphen, a comma
# and an apostrophe are longer one way).
ROUND = 1.6
# A mark whose foot is within this share of the word's height of the letters' foot is on the
# base line, where a full stop stands.
BASE_LINE = 0.15
# The marks inside a word that may be dust: runs of them between letters or digits.
_INNER_MARKS = re.compile(r"(?<=[^\W_])[^\w\s]+(?=[^\W_])")
# Marks whose printed ink is as long as a letter is wide (a hyphen, a slash, a dash).
_LETTER_WIDE = set("-/–—")
# A mark between digits is print, however faint: a decimal point, a thousands comma, a time's
# colon ("1.2", "1,000", "8:30").
_DECIMAL = re.compile(r"\d[^\w\s]\d")
# The printed marks that hold to the letter before them and may stand before dust in a space
# (a full stop, a comma, a closing bracket).
_HELD = ".,)"
# Where a point on the base line with a space's room round it is no full stop of the text:
# between a word and a number either way.
_POINT_IS_DUST = re.compile(r"[^\W\d_]{2}[^\w\s]\d|\d[^\w\s][^\W\d_]")


@dataclass(frozen=True)
class _Mark:
    """A mark's box in the word's crop (x0, y0, x1, y1) and its ink in pixels."""

    x0: int
    y0: int
    x1: int
    y1: int
    area: int

    @property
    def round(self) -> bool:
        width, height = self.x1 - self.x0, self.y1 - self.y0
        return max(width, height) <= ROUND * max(1, min(width, height))


@dataclass(frozen=True)
class _Gap:
    """A blank stretch between the letters of a word (x in pixels from the word's left), with the
    marks standing in it, left to right."""

    start: int
    end: int
    marks: tuple[_Mark, ...]
    foot: int
    """The row the letters on either side stand on (the higher foot: a "g" hangs below it)."""
    stroke: float
    """The width of the word's strokes in pixels: a printed point is at least that across."""


def split_at_specks(words: Sequence[Word], image: np.ndarray) -> list[Word]:
    """``words`` with each word that a free-standing speck joined parted into its two words
    there (the speck's mark dropped); every other word as it was, in the same order.

    ``image`` is the page the words were read from (grey, dark ink on light paper)."""
    if not any(_INNER_MARKS.search(w.text) for w in words):
        return list(words)
    threshold = ink_threshold(image) if image.ndim == 2 and image.size else None
    if threshold is None:
        return list(words)
    parted: list[Word] = []
    for word in words:
        parted += _parted(word, image, threshold) if _INNER_MARKS.search(word.text) else [word]
    return parted


def _parted(word: Word, image: np.ndarray, threshold: int) -> list[Word]:
    """The word, or its pieces when each run of marks inside it has one gap between its letters
    on the page and some of those gaps hold nothing but dust in a space."""
    x0, y0, x1, y1 = word.box
    height = y1 - y0
    crop = image[max(0, y0) : y1, max(0, x0) : x1]
    if height < 8 or crop.size == 0:
        return [word]
    gaps = _gaps_with_marks(binary(crop, threshold), height)
    runs = list(_INNER_MARKS.finditer(word.text))
    if len(gaps) != len(runs):
        # A printed hyphen or slash is as long as a letter is wide: no mark in a gap of its own.
        runs = [run for run in runs if not set(run.group(0)) <= _LETTER_WIDE]
    if len(gaps) != len(runs):
        return [word]  # text and ink do not pair up: leave the word as read
    pieces, start, left = [], 0, x0
    for run, gap in zip(runs, gaps, strict=True):
        around = word.text[max(0, run.start() - 2) : run.end() + 1]
        kept = _kept_marks(run.group(0), around, gap, height)
        if kept is None:
            continue
        box = (left, y0, x0 + gap.start, y1)
        pieces.append(Word(word.text[start : run.start()] + kept, word.confidence, box, word.line))
        start, left = run.end(), x0 + gap.end
    if not pieces:
        return [word]
    pieces.append(Word(word.text[start:], word.confidence, (left, y0, x1, y1), word.line))
    return pieces


def _kept_marks(marks: str, around: str, gap: _Gap, height: float) -> str | None:
    """What of a run of marks the text keeps when its gap is a space with dust in it: nothing,
    or its first mark when a printed one holds to the letter before the dust ("Dr." in
    "Dr..Smith", ")" in "(259).526"); None when the gap is no such space (see the module doc)."""
    if gap.end - gap.start < SPACE_WIDTH * height or _DECIMAL.search(around):
        return None
    second = len(marks) >= 2 and marks[0] in _HELD  # a mark read beside a printed one
    dust = [m for m in gap.marks if _is_dust(m, around, gap, height, second)]
    if not dust:
        return None
    printed = [m for m in gap.marks if m not in dust]
    if len(printed) > 1 or any(m.x1 > dust[0].x0 for m in printed):
        return None
    if second and len(marks) > len(dust):
        # A full stop, comma or bracket printed before the dust ("Dr..Smith", "Smith,-M.D."), in
        # the gap or run into its letter's ink.
        return marks[0]
    return None if printed else ""


def _is_dust(mark: _Mark, around: str, gap: _Gap, height: float, second: bool) -> bool:
    """Whether a mark in a space-wide gap is dust: less ink than half a printed point, or a round
    speck clear of the letters on both sides and, on the base line, a ``second`` point beside a
    printed one or where no full stop stands without a space (see the module doc)."""
    if mark.area < DUST_SHARE * gap.stroke**2:
        return True
    clear = CLEARANCE * height
    if not (mark.round and mark.x0 - gap.start >= clear and gap.end - mark.x1 >= clear):
        return False
    on_base_line = gap.foot - mark.y1 <= BASE_LINE * height
    return not on_base_line or second or bool(_POINT_IS_DUST.search(around))


def _gaps_with_marks(ink: np.ndarray, height: float) -> list[_Gap]:
    """The blank stretches between the word's letters (columns no letter's ink reaches) that
    hold marks, left to right."""
    count, _labels, stats, _ = components(ink)
    letters = np.zeros(ink.shape[1], dtype=bool)
    marks: list[_Mark] = []
    shapes: list[tuple[int, int, int, int]] = []
    for i in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[i, :5])
        if max(w, h) <= MARK_SIDE * height:
            marks.append(_Mark(x, y, x + w, y + h, area))
        else:
            letters[x : x + w] = True
            shapes.append((x, y, x + w, y + h))
    if not letters.any():
        return []
    first, last = np.flatnonzero(letters)[[0, -1]]
    stroke = _stroke_width(ink)
    gaps: list[_Gap] = []
    x = int(first)
    while x < last:
        if letters[x]:
            x += 1
            continue
        end = x
        while not letters[end]:
            end += 1
        inside = tuple(sorted((m for m in marks if m.x0 >= x and m.x1 <= end), key=lambda m: m.x0))
        if inside:
            beside = [s[3] for s in shapes if s[2] == x or s[0] == end]
            gaps.append(_Gap(x, end, inside, min(beside), stroke))
        x = end
    return gaps


def _stroke_width(ink: np.ndarray) -> float:
    """The commonest width of the ink's strokes across a row (pixels): the median run of ink."""
    padded = np.pad(ink > 0, ((0, 0), (1, 1))).astype(np.int8)
    edges = np.diff(padded, axis=1)
    starts, ends = np.nonzero(edges == 1), np.nonzero(edges == -1)
    runs = ends[1] - starts[1]
    return float(np.median(runs)) if runs.size else 0.0
