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

import cv2
import numpy as np

from extraction.structure.ink import ink_threshold

# Pixels this many grey levels darker than the paper are not paper.
NOT_PAPER = 24
# A shaded area covers at least this share of the page; less is a few grey strokes, not shading.
MIN_SHADED_SHARE = 0.01
# A window this many text heights across is shaded when more than half its pixels are grey.
WINDOW_HEIGHTS = 0.6
# The text height assumed of a page not scaled to a known one (pixels).
UNSCALED_TEXT_HEIGHT = 32


def without_shading(gray: np.ndarray, text_height: int) -> np.ndarray:
    """``gray`` (dark print on light paper) with its shaded areas made paper, their print kept;
    the page as it was when it has no shading."""
    if gray.ndim != 2 or gray.size == 0:
        return gray
    paper = int(np.median(gray[::4, ::4]))
    not_paper = gray < paper - NOT_PAPER
    if not_paper.mean() < MIN_SHADED_SHARE:
        return gray
    level = ink_threshold(gray[not_paper].reshape(1, -1))
    if level is None:
        return gray
    grey = not_paper & (gray > level)
    side = int(WINDOW_HEIGHTS * (text_height or UNSCALED_TEXT_HEIGHT))
    density = cv2.blur(grey.astype(np.float32), (side, side))
    shaded = (density > 0.5).astype(np.uint8)
    if shaded.mean() < MIN_SHADED_SHARE:
        return gray
    shaded = cv2.dilate(shaded, np.ones((side, side), np.uint8)).astype(bool)
    out = gray.copy()
    out[shaded & (gray > level)] = 255
    return out
