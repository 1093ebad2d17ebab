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


def pixels_of(labels: np.ndarray, stats: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """A boolean mask of the pixels of the components numbered in ``chosen`` (of ``labels`` and
    ``stats`` as ``components`` gives them; the background, 0, must not be among them).

    The same mask as a lookup of every label, but read only within the chosen parts' boxes:
    specks are few and tiny where a page has millions of pixels. Parts are taken in groups of
    one box size, each group read at once in windows that size; when the windows would cover
    more than half the page, every label is looked up instead.
    """
    x, y, w, h = (stats[chosen, k] for k in range(4))
    side = np.maximum(w, h)
    sizes = np.unique(side)
    if int((np.bincount(side)[sizes] * sizes.astype(np.int64) ** 2).sum()) > labels.size // 2:
        wanted = np.zeros(len(stats), dtype=bool)
        wanted[chosen] = True
        return wanted[labels]
    mask = np.zeros(labels.shape, dtype=bool)
    for size in sizes:
        group = side == size
        # A window wider than its part's box may reach past the page: clipped, it reads a pixel
        # of the page twice, which the label test keeps or drops as it should.
        dy, dx = np.mgrid[0:size, 0:size]
        rows = np.minimum(y[group, None, None] + dy, labels.shape[0] - 1)
        cols = np.minimum(x[group, None, None] + dx, labels.shape[1] - 1)
        hit = labels[rows, cols] == chosen[group, None, None]
        mask[rows[hit], cols[hit]] = True
    return mask


def part_boxes(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The boxes (x, y, width, height) of the 8-connected parts of a uint8 mask, in no set order
    (``components``' stats less the areas), and a pixel (x, y) of each.

    Their outer outlines give the parts' boxes at a quarter of the cost of labelling every
    pixel of the page, which is what ``components`` spends its time on.
    """
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    # A hole's outline is a second-level contour; a part inside a hole is an outer one again.
    outer = [c for c, links in zip(contours, hierarchy[0], strict=True) if links[3] < 0] if contours else []
    boxes = np.array([cv2.boundingRect(c) for c in outer], dtype=np.int64).reshape(-1, 4)
    starts = np.array([c[0, 0] for c in outer], dtype=np.int64).reshape(-1, 2)
    return boxes, starts


def own_pixels(crop: np.ndarray, start: np.ndarray) -> np.ndarray:
    """The pixels of the 8-connected part of ``crop`` (the part's box, as ``part_boxes`` gives it)
    holding pixel ``start`` (x, y in the crop): a part lies wholly in its box, so it is connected
    there as on the page, and other parts' pixels in the box are left out."""
    _, labels = cv2.connectedComponents(crop, connectivity=8, ltype=cv2.CV_16U)
    return labels == labels[start[1], start[0]]


def labelling_order(left: int, top: int, pixels: np.ndarray) -> tuple[int, int]:
    """Where ``components`` numbers a part (its box's corner and its ``own_pixels``) among others:
    OpenCV labels in 2 x 2 blocks, row of blocks by row of blocks, and numbers parts by the first
    block holding a pixel of theirs (checked on page masks at one and two threads). Sorting parts
    found by ``part_boxes`` by this puts them in label order, for callers whose ties it settles."""
    # The part's pixels in its first row of blocks: from its top to the block row's end.
    first_rows = pixels[: 2 * (top // 2) + 2 - top].any(axis=0)
    return top // 2, (left + int(np.argmax(first_rows))) // 2
