"""Punctuation on the page that OCR did not read: small marks sitting on a value's baseline.

Tesseract drops periods and commas it reads with confidence otherwise high: "D.O." comes back
"DO", "Dr." as "Dr", and nothing in the words' confidences says so. A period or comma is its own
blob of ink on the baseline, small beside the letters; counting those blobs in a value's line
and comparing them with the punctuation the words hold finds the ones not read. The check only
flags: a mark it counts may be a speck, and which character it is is the clerk's to say.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extraction.structure.ink import components
from extraction.types import Box, FieldResult, PageText, Word, on_one_row

# Characters with a mark on the baseline: a period, a comma, and the lower dot of ":" ";" "!" "?".
BASELINE_PUNCTUATION = ".,;:!?"
# The kinds of field whose value is the words as read (a date or phone is checked by its shape).
TEXT_KINDS = ("text", "person")
# A baseline mark is at most this share of the letters' usual height wide, and this share high
# (a comma's tail reaches below the baseline)...
MARK_WIDTH = 0.45
MARK_HEIGHT = 0.75
# ... and at least this share of it in both directions: smaller blobs are specks of the paper.
MARK_MIN = 0.12
# Its bottom lies within this share of the letter height of the baseline (above or below),
# its top no higher than this share above the baseline (a hyphen floats higher).
BASELINE_REACH = 0.2
MARK_TOP = 0.45
# Components at least this share of the line's box height are letters (they set the baseline).
LETTER_SHARE = 0.4
# The baseline under a mark is that of this many letters nearest to it.
NEAR_LETTERS = 3
# Ink nearer above or below a mark than this share of the letter height is the rest of the
# letter the blob was broken from.
COLUMN_GAP = 0.25
# The line is looked at up to this many letter heights past its last word: a closing period
# lies beyond the box tesseract gives the word.
TRAILING_REACH = 0.6


@dataclass(frozen=True)
class Blob:
    """One connected component of ink: its box in the crop, its pixel count and its label."""

    x0: int
    y0: int
    x1: int
    y1: int
    area: int
    label: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0


def baseline_marks(crop: np.ndarray, line_height: int) -> int:
    """How many period- or comma-like marks sit on the baseline of the one line of text in the
    gray ``crop`` (dark ink on light paper), whose words' boxes are ``line_height`` high."""
    if crop.size == 0 or int(crop.max()) - int(crop.min()) < 40:
        return 0
    _, ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, labels, stats, _ = components(ink)
    blobs = [
        Blob(int(x), int(y), int(x + w), int(y + h), int(area), label)
        for label, (x, y, w, h, area) in enumerate(stats[1:count], start=1)
    ]
    letters = [b for b in blobs if b.height >= LETTER_SHARE * line_height]
    if len(letters) < 2:
        return 0
    unit = float(np.median([b.height for b in letters]))
    return sum(
        _is_mark(blob, unit, _baseline_near(blob, letters)) and _alone_in_its_column(blob, labels, unit)
        for blob in blobs
    )


def _baseline_near(blob: Blob, letters: list[Blob]) -> float:
    """The baseline where ``blob`` is: the middle bottom of the nearest letters (a skewed or
    warped line has no one baseline)."""
    centre = (blob.x0 + blob.x1) / 2
    nearest = sorted(letters, key=lambda b: abs((b.x0 + b.x1) / 2 - centre))[:NEAR_LETTERS]
    return float(np.median([b.y1 for b in nearest]))


def _is_mark(blob: Blob, unit: float, baseline: float) -> bool:
    small = blob.width <= MARK_WIDTH * unit and blob.height <= MARK_HEIGHT * unit
    visible = blob.width >= MARK_MIN * unit and blob.height >= MARK_MIN * unit
    solid = blob.area >= 0.4 * blob.width * blob.height
    seated = abs(blob.y1 - baseline) <= BASELINE_REACH * unit or (blob.y1 > baseline and blob.y0 <= baseline)
    low = blob.y0 >= baseline - MARK_TOP * unit
    return small and visible and solid and seated and low


def _alone_in_its_column(blob: Blob, labels: np.ndarray, unit: float) -> bool:
    """True when no other ink lies just over or under ``blob``: a piece of a letter broken
    apart (the foot of a thin "s") or a speck under a letter's bowl has the rest of the letter
    close above it, where a period has at most the arm of a letter like "r" well above."""
    reach = max(1, round(COLUMN_GAP * unit))
    above = labels[max(0, blob.y0 - reach) : blob.y0, blob.x0 : blob.x1]
    below = labels[blob.y1 : blob.y1 + reach, blob.x0 : blob.x1]
    return not any(((part != 0) & (part != blob.label)).any() for part in (above, below))


def marks_in_box(image: np.ndarray, page: PageText, box: Box) -> int:
    """How many baseline marks the rows of words inside ``box`` show on ``image``: each row
    looked at from its first word to a little past its last (not into the next word on the
    row), whichever of the page's readings its words come from."""
    words = page.words_in(box)
    found = 0
    for row in _rows(words):
        height = int(np.median([w.box[3] - w.box[1] for w in row]))
        x0 = min(w.box[0] for w in row)
        x1 = max(w.box[2] for w in row) + int(TRAILING_REACH * height)
        next_left = _next_left(page, row, box)
        if next_left is not None:
            x1 = min(x1, next_left - 1)
        y0 = min(w.box[1] for w in row) - height // 4
        y1 = max(w.box[3] for w in row) + height // 3
        crop = image[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
        if crop.ndim == 3:
            crop = cv2.cvtColor(crop, cv2.COLOR_RGB2GRAY)
        found += baseline_marks(crop, height)
    return found


def _rows(words: list[Word]) -> list[list[Word]]:
    """``words`` in rows: each word joins the first row it shares a row with (two readings of
    one line fall in one row)."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.box[1]):
        row = next((r for r in rows if on_one_row(word.box, r[0].box)), None)
        if row is None:
            rows.append([word])
        else:
            row.append(word)
    return rows


def flag_unread_marks(
    kinds: dict[str, str], fields: dict[str, FieldResult], images: list[np.ndarray], pages: list[PageText]
) -> dict[str, FieldResult]:
    """``fields`` with every unflagged value of a text kind (``kinds``: field name to kind)
    flagged where its box shows more periods or commas than its value holds; returns the dict."""
    for name, result in fields.items():
        if kinds.get(name) not in TEXT_KINDS or result.needs_review or not result.value or result.box is None:
            continue
        held = sum(result.value.count(c) for c in BASELINE_PUNCTUATION)
        if marks_in_box(images[result.page], pages[result.page], result.box) > held:
            result.flag("a period or comma on the page was not read: check the punctuation")
    return fields


def _next_left(page: PageText, row: list[Word], box: Box) -> int | None:
    """The left edge of the first word right of ``box`` on ``row``'s row, if any."""
    rights = [
        w.box[0]
        for line in page.lines
        for w in line.words
        if w.box[0] >= box[2] and on_one_row(w.box, row[0].box)
    ]
    return min(rights) if rights else None
