"""Form pages drawn with PIL for the structure tests: ruled tables, boxes, checkboxes, text.

Every helper draws at a known place and returns what a test needs to check against, such as
the ``Word`` objects tesseract would give for the text drawn (their boxes are the ink's boxes).
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Literal

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from extraction.layout import group_lines
from extraction.types import PageText, Word

FONT_PATH = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
# At 32 px DejaVu Sans words are about 24 px high, the height preprocess scales pages to.
FONT_SIZE = 32
Check = Literal["empty", "tick", "cross", "filled"]
CombStyle = Literal["shared", "spaced", "teeth"]


def page_text(words: list[Word], size: tuple[int, int] = (1400, 900)) -> PageText:
    """The words as OCR would give them: each drawn text its own line (by its top)."""
    tops = sorted({w.box[1] // 10 for w in words})
    numbered = [replace(w, line=tops.index(w.box[1] // 10)) for w in words]
    return PageText(index=0, lines=tuple(group_lines(numbered)), width=size[0], height=size[1])


class DrawnPage:
    """A white page to draw a form on, in black, collecting the words it writes."""

    def __init__(self, width: int = 1400, height: int = 900) -> None:
        self.image = Image.new("L", (width, height), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.font = ImageFont.truetype(str(FONT_PATH), FONT_SIZE)
        self.words: list[Word] = []

    def text(self, x: int, y: int, text: str, confidence: float = 0.95) -> list[Word]:
        """Write ``text`` with its top-left at (x, y); returns (and remembers) one Word per word."""
        written = []
        cursor = x
        for token in text.split(" "):
            if token:
                left, top, right, bottom = self.draw.textbbox((cursor, y), token, font=self.font)
                self.draw.text((cursor, y), token, font=self.font, fill=0)
                written.append(Word(token, confidence, (left, top, right, bottom)))
            cursor += round(self.draw.textlength(token + " ", font=self.font))
        self.words += written
        return written

    def line(self, x0: int, y0: int, x1: int, y1: int, width: int = 2) -> None:
        self.draw.line((x0, y0, x1, y1), fill=0, width=width)

    def cross(self, x0: int, y0: int, x1: int, y1: int, width: int = 3) -> None:
        """An X written into a cell: its two strokes from corner to corner of (x0, y0, x1, y1)."""
        self.line(x0, y0, x1, y1, width=width)
        self.line(x0, y1, x1, y0, width=width)

    def table(self, x: int, y: int, col_widths: list[int], row_heights: list[int], width: int = 2) -> None:
        """A fully ruled grid with its top-left corner at (x, y)."""
        right, bottom = x + sum(col_widths), y + sum(row_heights)
        for top in np.cumsum([y, *row_heights]):
            self.draw.line((x, int(top), right, int(top)), fill=0, width=width)
        for left in np.cumsum([x, *col_widths]):
            self.draw.line((int(left), y, int(left), bottom), fill=0, width=width)

    def box(self, x0: int, y0: int, x1: int, y1: int, width: int = 2) -> None:
        self.draw.rectangle((x0, y0, x1, y1), outline=0, width=width)

    def checkbox(self, x: int, y: int, state: Check, side: int = 26) -> tuple[int, int, int, int]:
        """A square checkbox with its top-left at (x, y); returns its box."""
        x1, y1 = x + side - 1, y + side - 1
        self.draw.rectangle((x, y, x1, y1), outline=0, width=2)
        if state == "tick":
            self.draw.line((x + 6, y + 13, x + 11, y + 19), fill=0, width=3)
            self.draw.line((x + 11, y + 19, x + 20, y + 6), fill=0, width=3)
        elif state == "cross":
            self.draw.line((x + 5, y + 5, x1 - 5, y1 - 5), fill=0, width=3)
            self.draw.line((x + 5, y1 - 5, x1 - 5, y + 5), fill=0, width=3)
        elif state == "filled":
            self.draw.rectangle((x + 5, y + 5, x1 - 5, y1 - 5), fill=0)
        return (x, y, x1 + 1, y1 + 1)

    def radio(self, x: int, y: int, filled: bool, diameter: int = 26) -> tuple[int, int, int, int]:
        """A radio circle with its bounding box's top-left at (x, y); returns that box."""
        x1, y1 = x + diameter - 1, y + diameter - 1
        self.draw.ellipse((x, y, x1, y1), outline=0, width=2)
        if filled:
            self.draw.ellipse((x + 7, y + 7, x1 - 7, y1 - 7), fill=0)
        return (x, y, x1 + 1, y1 + 1)

    def comb(
        self, x: int, y: int, chars: str, style: CombStyle = "shared", cell: int = 44
    ) -> tuple[int, int, int, int]:
        """Comb boxes with their top-left at (x, y), one of ``chars`` centred in each: squares
        sharing walls, squares a little apart, or teeth half a box high on one base line; the
        characters are remembered as words, one per box. Returns the comb's outline."""
        space = cell // 5 if style == "spaced" else 0
        bottom = y + cell
        for k, char in enumerate(chars):
            x0 = x + k * (cell + space)
            if style == "teeth":
                self.line(x0, bottom - cell // 2, x0, bottom)
            else:
                self.draw.rectangle((x0, y, x0 + cell, bottom), outline=0, width=2)
            left, _top, right, low = self.draw.textbbox((0, 0), char, font=self.font)
            at = (x0 + (cell - (right - left)) // 2 - left, bottom - 6 - low)
            self.draw.text(at, char, font=self.font, fill=0)
            self.words.append(Word(char, 0.9, self.draw.textbbox(at, char, font=self.font)))
        end = x + len(chars) * cell + (len(chars) - 1) * space
        if style == "teeth":
            self.line(x, bottom, end, bottom)
            self.line(end, bottom - cell // 2, end, bottom)
        return (x, y, end + 1, bottom + 1)

    def array(self) -> np.ndarray:
        return np.array(self.image)


def rotated(gray: np.ndarray, degrees: float) -> np.ndarray:
    """The page turned counter-clockwise about its centre, corners filled with paper."""
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_CUBIC, borderValue=255)


def rotated_words(words: list[Word], degrees: float, size: tuple[int, int]) -> list[Word]:
    """The words as OCR reads them on the page ``rotated`` by ``degrees``: each box moved with
    its centre (a word's own box stays upright, as tesseract gives it)."""
    matrix = cv2.getRotationMatrix2D((size[0] / 2, size[1] / 2), degrees, 1.0)
    turned = []
    for word in words:
        x0, y0, x1, y1 = word.box
        cx, cy = matrix @ np.array([(x0 + x1) / 2, (y0 + y1) / 2, 1.0])
        dx, dy = round(cx - (x0 + x1) / 2), round(cy - (y0 + y1) / 2)
        turned.append(replace(word, box=(x0 + dx, y0 + dy, x1 + dx, y1 + dy)))
    return turned


def noisy(gray: np.ndarray, sigma: float, seed: int = 0) -> np.ndarray:
    """Gaussian noise of ``sigma`` grey levels, as a cheap scanner adds."""
    noise = np.random.default_rng(seed).normal(0.0, sigma, gray.shape)
    return np.clip(gray.astype(np.float64) + noise, 0, 255).astype(np.uint8)


def jpeg_round_trip(gray: np.ndarray, quality: int) -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray(gray).save(buffer, format="JPEG", quality=quality)
    return np.array(Image.open(io.BytesIO(buffer.getvalue())).convert("L"))
