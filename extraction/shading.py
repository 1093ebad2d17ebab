"""Shaded areas made white: grey label cells and section bars, read as black blocks.

Tesseract binarises a page at one level (Otsu's). On a form with large grey-shaded areas (label
cells, header rows, section bars) the level it finds separates the paper from the shading rather
than the ink from both, so the shading turns black and the print on it is lost. Here the level
between the ink and the shading is found among the pixels darker than the paper; wherever the
page is grey over an area wider than a letter's strokes, everything lighter than that level is
made paper, and the print on the shading stands on white. Print elsewhere is left as it was: a
faint page's letters are strokes, never areas.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from extraction.preprocess import NOT_PAPER, paper_level
from extraction.structure.ink import components, ink_threshold
from extraction.types import Box

# A shaded area covers at least this share of the page; less is a few grey strokes, not shading.
MIN_SHADED_SHARE = 0.01
# A window this many text heights across is shaded when more than half its pixels are grey.
WINDOW_HEIGHTS = 0.6
# Shading is at least this many text heights wide (a label cell, a bar), and at most this share
# of it is ink (the print on it).
MIN_SHADE_WIDTH = 3
MAX_INK_ON_SHADE = 0.25
# At most this share of a shaded area is paper showing through (its grain's lightest specks).
MAX_PAPER_IN_SHADE = 0.1
# The text height assumed of a page not scaled to a known one (pixels).
UNSCALED_TEXT_HEIGHT = 32


@dataclass(frozen=True)
class Shading:
    """A page's shaded areas: ``mask`` the pixels to make paper (lighter than ``level``, the
    shading's), ``boxes`` each area's outline (label cells, header rows, section bars)."""

    mask: np.ndarray
    level: int
    boxes: tuple[Box, ...]


def find_shading(gray: np.ndarray, text_height: int) -> Shading | None:
    """The shaded areas of ``gray`` (dark print on light paper); None when it has none."""
    if gray.ndim != 2 or gray.size == 0:
        return None
    paper = int(paper_level(gray))
    not_paper = gray < paper - NOT_PAPER
    if not_paper.mean() < MIN_SHADED_SHARE:
        return None
    level = ink_threshold(gray[not_paper].reshape(1, -1))
    if level is None:
        return None
    grey = not_paper & (gray > level)
    height = text_height or UNSCALED_TEXT_HEIGHT
    side = int(WINDOW_HEIGHTS * height)
    # The grey pixels in each window, counted exactly (summing bytes is several times faster
    # than blurring floats): a window more than half grey.
    count = cv2.boxFilter(grey.view(np.uint8), cv2.CV_16U, (side, side), normalize=False)
    mostly_grey = (count > side * side // 2).view(np.uint8)
    # The shading is part of these windows: too few of them, and there is none to label.
    if np.count_nonzero(mostly_grey) < MIN_SHADED_SHARE * mostly_grey.size:
        return None
    areas = _shaded_areas(mostly_grey, gray <= level, ~not_paper, height)
    if areas is None or areas[0].mean() < MIN_SHADED_SHARE:
        return None
    shaded, outlines = areas
    # Grown as the dilation grows them: a window's centre half a window inside the shading.
    before, after = side // 2, side - side // 2 - 1
    boxes = tuple(
        (max(0, x0 - before), max(0, y0 - before), x1 + after, y1 + after) for x0, y0, x1, y1 in outlines
    )
    shaded = cv2.dilate(shaded, np.ones((side, side), np.uint8))
    return Shading(shaded.view(bool), int(level), boxes)


def without_shading(gray: np.ndarray, text_height: int) -> np.ndarray:
    """``gray`` (dark print on light paper) with its shaded areas made paper, their print kept;
    the page as it was when it has no shading."""
    return made_paper(gray, find_shading(gray, text_height))


def made_paper(gray: np.ndarray, shading: Shading | None) -> np.ndarray:
    """``gray`` with ``shading`` made paper (the same array when there is none)."""
    if shading is None:
        return gray
    out = gray.copy()
    out[shading.mask & (gray > shading.level)] = 255
    return out


def _shaded_areas(
    grey_areas: np.ndarray, ink: np.ndarray, paper: np.ndarray, text_height: int
) -> tuple[np.ndarray, list[Box]] | None:
    """The grey areas that are shading, as a 0/1 mask and each one's box: wider than a few
    letters, solid (next to no paper shows through: small or blurred print is grey strokes with
    paper between them) and mostly grey rather than ink (a blurred bold word's grey halo is
    mostly ink); None when none is."""
    count, labels, stats, _ = components(grey_areas)
    keep = np.zeros(count, dtype=bool)
    for index in range(1, count):
        x, y, w, h = (int(v) for v in stats[index, :4])
        if w < MIN_SHADE_WIDTH * text_height:
            continue
        inside = labels[y : y + h, x : x + w] == index
        keep[index] = (
            ink[y : y + h, x : x + w][inside].mean() <= MAX_INK_ON_SHADE
            and paper[y : y + h, x : x + w][inside].mean() <= MAX_PAPER_IN_SHADE
        )
    if not keep.any():
        return None
    boxes = [(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h in stats[keep.nonzero()[0], :4]]
    return keep[labels].view(np.uint8), boxes
