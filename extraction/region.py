"""Reading a box a person drew on a page: one OCR of the crop, its words as text in reading order.

The review app's "read a region": a clerk draws a box around a value the engine missed or
misread, and what the box holds goes into the field. ``ocr.read_region`` does the reading; this
module decodes the stored page image, picks the reading mode (one line, or a block for a
multi-line field) and puts the words in reading order: rows top to bottom, words left to right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from extraction.load import load_pages
from extraction.ocr import read_region
from extraction.options import DEFAULT_OPTIONS, Options
from extraction.preprocess import to_grayscale
from extraction.types import Box, Word, on_one_row, union_box


@dataclass(frozen=True)
class RegionText:
    """What a drawn box holds: its text, the mean confidence of its words (0..1, 0.0 when nothing
    was read) and the box read, limited to the page."""

    text: str
    confidence: float
    box: Box


def read_drawn_box(
    page: bytes, box: Sequence[int], *, multiline: bool = False, options: Options = DEFAULT_OPTIONS
) -> RegionText:
    """Read the box ``(x0, y0, x1, y1)``, in pixels of the page image ``page`` (PNG, JPEG or TIFF
    bytes, as the engine stored it), with one OCR of the crop.

    A multi-line field's box is read as a block and its rows joined with line breaks; any other
    as one line. Raises ValueError when no part of the box lies on the page.
    """
    source = next(iter(load_pages(page, options)))
    gray = to_grayscale(source.image)
    region = clamp(box, (gray.shape[1], gray.shape[0]))
    if region is None:
        raise ValueError("The box lies outside the page.")
    words = [
        w
        for w in read_region(gray, region, source.dpi, options, "block" if multiline else "line")
        if w.text.strip()
    ]
    confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
    return RegionText(words_to_text(words, multiline=multiline), confidence, region)


def clamp(box: Sequence[int], size: tuple[int, int]) -> Box | None:
    """The box limited to a page of ``size`` (width, height), corners in order; None when empty."""
    width, height = size
    x0, y0, x1, y1 = (int(v) for v in box)
    x0, x1 = sorted((min(max(x0, 0), width), min(max(x1, 0), width)))
    y0, y1 = sorted((min(max(y0, 0), height), min(max(y1, 0), height)))
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def words_to_text(words: Sequence[Word], *, multiline: bool) -> str:
    """The words in reading order: rows by height on the page, each row left to right; rows
    joined by line breaks when ``multiline``, else by spaces."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        row_box = union_box([w.box for w in rows[-1]]) if rows else None
        if row_box is not None and on_one_row(row_box, word.box):
            rows[-1].append(word)
        else:
            rows.append([word])
    lines = [" ".join(w.text.strip() for w in sorted(row, key=lambda w: w.box[0])) for row in rows]
    return ("\n" if multiline else " ").join(lines)
