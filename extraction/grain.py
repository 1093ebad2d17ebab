"""The paper's grain painted white where tesseract would read it as ink.

Tesseract binarises a page at the one level Otsu's method picks for all of it. On a page of
little print (a sparse second page, its ruled lines erased before OCR) the paper's grain
outnumbers the print, and Otsu parts the paper from its grain: every grain dot becomes ink and
is read as a word. One such page read as 3,000 words in 18 s, and read again for its orientation
it held tesseract's layout analysis, which no timeout interrupts, for minutes.

Three places see to it: the whole page before OCR, against the paper and ink levels
preprocessing measured (``without_grain``); every image read whole, a band of a page on its own
too (``without_band_grain``); and the page the sparse pass reads (``paper_made_white``).
"""

from __future__ import annotations

import cv2
import numpy as np

from extraction.preprocess import FAINTEST_PRINT, NOT_PAPER, paper_level

# An inked part this small (pixels, at the text height pages are scaled to) is a speck: a dot of
# grain, an i's dot, a full stop. A page of print holds a few hundred; a page binarised inside its
# grain tens of thousands. More than MAX_SPECKS and the binarisation took grain for ink.
SPECK_PIXELS = 25
MAX_SPECKS = 3000


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
    level = min((paper + ink) / 2, paper - FAINTEST_PRINT)
    return level if _otsu_level(gray) > level else None


def without_grain(gray: np.ndarray, paper: float, ink: int) -> np.ndarray:
    """``gray`` with its paper lighter than ``grain_level`` painted white (a copy), or ``gray``
    itself when tesseract would leave the grain paper anyway."""
    level = grain_level(gray, paper, ink)
    if level is None:
        return gray
    return _white_above(gray, level)


def without_band_grain(image: np.ndarray) -> np.ndarray:
    """``image``, or a copy with its paper made white (``paper_made_white``) when Otsu's level
    for it falls within NOT_PAPER of its paper: tesseract would binarise it inside the grain.

    Every image read whole passes here. The page as a whole has had its grain seen to
    (``without_grain``), so a whole page seldom changes; a band of it read on its own
    (``read_in_bands``) may hold a faint page's last lines over a half of bare grainy paper,
    which tesseract then read as thousands of dots for half a minute."""
    if image.ndim != 2:
        return image
    if _otsu_level(image) < paper_level(image) - NOT_PAPER:
        return image
    return paper_made_white(image)


def paper_made_white(image: np.ndarray) -> np.ndarray:
    """The page with everything within NOT_PAPER levels of its paper set to white.

    Sparse mode binarises the whole page at one level; on a page of faint grain and little print
    that level falls inside the grain, whose thousands of dots it then reads one by one, for
    minutes. Print is far darker than that margin, so it is left as it was.
    """
    return _white_above(image, int(paper_level(image)) - NOT_PAPER - 1)


def print_against_grain(gray: np.ndarray) -> np.ndarray | None:
    """``gray`` itself when Otsu's level for it leaves at most MAX_SPECKS specks of ink; else
    (grain deeper than NOT_PAPER: a heavy scan's, a stain's) a copy with everything lighter than
    the print painted white, the level Otsu's again among the pixels darker than the first, where
    print and grain are the two kinds left; None when that copy is grain still.

    Sparse mode's layout analysis, which no timeout interrupts, took eight minutes over one such
    page: thirty thousand specks of grain left to it by ``paper_made_white``."""
    level = _otsu_level(gray)
    if _specks(gray, level) <= MAX_SPECKS:
        return gray
    darker = gray[gray <= level]
    parted = _white_above(gray, _otsu_level(darker.reshape(1, -1)))
    return None if too_grainy(parted) else parted


def too_grainy(gray: np.ndarray) -> bool:
    """Whether Otsu's level for ``gray`` leaves more than MAX_SPECKS specks of ink: an image
    tesseract's layout analysis would spend minutes on."""
    return _specks(gray, _otsu_level(gray)) > MAX_SPECKS


def _specks(gray: np.ndarray, level: float) -> int:
    """How many inked parts of at most SPECK_PIXELS pixels ``gray`` holds at ``level``."""
    ink = cv2.threshold(gray, level, 1, cv2.THRESH_BINARY_INV)[1]
    _count, _labels, stats, _centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return int((stats[1:, cv2.CC_STAT_AREA] <= SPECK_PIXELS).sum())


def _white_above(gray: np.ndarray, level: float) -> np.ndarray:
    """A copy of ``gray`` with every pixel lighter than ``level`` painted white (OpenCV compares
    8-bit pixels with the level rounded down, the same pixels for a level with a fraction)."""
    return cv2.max(gray, cv2.threshold(gray, level, 255, cv2.THRESH_BINARY)[1])


def _otsu_level(gray: np.ndarray) -> float:
    """The level Otsu's method parts ``gray`` at, as tesseract's own binarisation does."""
    return cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)[0]
