"""Order statistics of 8-bit pixels from their histogram: the same numbers as ``np.median`` and
``np.percentile`` (linear interpolation), without sorting millions of pixels a page."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np


def histogram(pixels: np.ndarray) -> np.ndarray:
    """How many pixels of an 8-bit array have each of the 256 levels (int64)."""
    if pixels.dtype != np.uint8:
        raise TypeError(f"8-bit pixels expected, not {pixels.dtype}")
    contiguous = np.ascontiguousarray(pixels)
    counts = cv2.calcHist([contiguous.reshape(-1, 1)], [0], None, [256], [0, 256])
    return counts.ravel().astype(np.int64)


def percentiles(pixels: np.ndarray, qs: Sequence[float]) -> list[float]:
    """The ``qs``-th percentiles (0..100) of an 8-bit array, as ``np.percentile`` gives them:
    between the two pixels around the rank ``q / 100 * (n - 1)``, linearly. ValueError when
    the array is empty."""
    cumulative = np.cumsum(histogram(pixels))
    n = int(cumulative[-1])
    if n == 0:
        raise ValueError("no pixels to measure")
    found = []
    for q in qs:
        rank = q / 100 * (n - 1)
        below = int(np.floor(rank))
        above = min(below + 1, n - 1)
        low, high = (float(np.searchsorted(cumulative, k, side="right")) for k in (below, above))
        weight = rank - below
        # numpy's own order of operations, so the two agree to the last bit.
        found.append(high - (high - low) * (1 - weight) if weight >= 0.5 else low + (high - low) * weight)
    return found


def median(pixels: np.ndarray) -> float:
    """The median of an 8-bit array, as ``np.median`` gives it."""
    return percentiles(pixels, [50])[0]
