"""Ink and paper: the grey level that separates them on a page, and the ink as a binary mask."""

from __future__ import annotations

import cv2
import numpy as np

# The paper and ink must differ by this much (0..255) before anything on the page counts as ink.
MIN_CONTRAST = 60.0


def ink_threshold(gray: np.ndarray) -> int | None:
    """Otsu's threshold between ink and paper, or None when the page has no ink to speak of
    (blank, or paper and "ink" closer than ``MIN_CONTRAST``: noise on an empty scan)."""
    hist = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel().astype(np.float64)
    levels = np.arange(256, dtype=np.float64)
    below = np.cumsum(hist)
    below_sum = np.cumsum(hist * levels)
    above = below[-1] - below
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_below = below_sum / below
        mean_above = (below_sum[-1] - below_sum) / above
        between = below * above * (mean_below - mean_above) ** 2
    between = np.nan_to_num(between, nan=-1.0)
    if between.max() <= 0:
        return None  # a single grey level: nothing to separate
    # On a clean drawn page every level between ink and paper separates them equally well:
    # take the middle of that plateau, not its first level.
    best = np.flatnonzero(between >= between.max() * (1 - 1e-9))
    level = int(best[len(best) // 2])
    if mean_above[level] - mean_below[level] < MIN_CONTRAST:
        return None
    return level


def binary(gray: np.ndarray, threshold: int) -> np.ndarray:
    """Ink as 255 on 0: pixels at or below ``threshold``."""
    return cv2.threshold(gray, threshold, 255, cv2.THRESH_BINARY_INV)[1]


def components(mask: np.ndarray, connectivity: int = 8) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """``cv2.connectedComponentsWithStats`` of a uint8 mask (count, labels, stats, centroids).

    An empty mask has the background alone. Labels are 16-bit while they fit (a page's labels
    then take half the memory to write, which is most of the call's time); a mask with more
    parts than 16 bits hold is labelled again in 32 bits (OpenCV refuses the overflow rather
    than wrapping round).
    """
    if mask.size == 0:
        # OpenCV crashes the process on an empty image (a crop of a cell narrower than its margins).
        return 1, np.zeros(mask.shape, np.int32), np.zeros((1, 5), np.int32), np.zeros((1, 2))
    try:
        return cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=cv2.CV_16U)
    except cv2.error:
        return cv2.connectedComponentsWithStats(mask, connectivity=connectivity, ltype=cv2.CV_32S)
