"""The paper's grain painted white where tesseract would read it as ink.

Tesseract binarises a page at the one level Otsu's method picks for all of it. On a page of
little print (a sparse second page, its ruled lines erased before OCR) the paper's grain
outnumbers the print, and Otsu parts the paper from its grain: every grain dot becomes ink and
is read as a word. One such page read as 3,000 words in 18 s, and read again for its orientation
it held tesseract's layout analysis, which no timeout interrupts, for minutes.
"""

from __future__ import annotations

import cv2
import numpy as np

from extraction.preprocess import FAINTEST_PRINT


def grain_level(gray: np.ndarray, paper: float, ink: int) -> float | None:
    """The level above which (lighter) ``gray`` is paper and its grain, when Otsu's level for the
    page falls there; else None: tesseract's threshold parts print from paper.

    The line is halfway between the ``paper`` and the ``ink`` level preprocessing measured on the
    whole page (see ``PreprocessReport``): measured on the page as OCR gets it, its rules
    erased, the grain would pass for the print. Ordinary print puts Otsu's level near the ink's.
    On a page of so little print that its grain set the ink level (a shadowed back page with two
    lines on it), the line is no lighter than the faintest print (``FAINTEST_PRINT`` under the
    paper): paper that light is grain, whatever the page measured.
    """
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    level = min((paper + ink) / 2, paper - FAINTEST_PRINT)
    return level if otsu > level else None


def without_grain(gray: np.ndarray, paper: float, ink: int) -> np.ndarray:
    """``gray`` with its paper lighter than ``grain_level`` painted white (a copy), or ``gray``
    itself when tesseract would leave the grain paper anyway."""
    level = grain_level(gray, paper, ink)
    if level is None:
        return gray
    whitened = gray.copy()
    whitened[gray > level] = 255
    return whitened
