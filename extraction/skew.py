"""The text's tilt and whether a page lies sideways, both measured on a small copy of its ink.

``preprocess`` turns a sideways page and deskews a tilted one by what these measure; a page is
measured once for both when nothing changes it in between (``small_ink``, ``ink_sideways``,
``ink_skew``).
"""

from __future__ import annotations

import cv2
import numpy as np

from extraction.structure.ink import part_boxes

MAX_DESKEW_DEGREES = 12.0
# A page is sideways when it has this many tall words and more than this many times as many
# tall words as wide ones (``looks_sideways``); a page with fewer is read as it is, and OCR's
# own orientation check turns it if its words come out sideways. Words are at least this many
# pixels thick at the size ``small_ink`` gives (letters of 8 pt print are about 5).
MIN_SIDEWAYS_WORDS = 10
SIDEWAYS_WORDS_SHARE = 2.0
MIN_WORD_THICKNESS = 4


def ink_skew(ink: np.ndarray | None) -> float:
    """The text's tilt in degrees (positive = counter-clockwise) of a page's ink as ``small_ink``
    gives it, 0.0 when it cannot tell or the page is blank (None).

    Projection profiles: at the right angle, rows of text and rows of white alternate most
    sharply, so the variance of the row sums peaks. Coarse then fine search on the small copy.
    """
    if ink is None:
        return 0.0
    best = _best_angle(ink, np.arange(-MAX_DESKEW_DEGREES, MAX_DESKEW_DEGREES + 0.01, 1.0))
    if abs(best) >= MAX_DESKEW_DEGREES:
        return 0.0  # the best angle at the search's edge is no peak: no tilt can be told
    return _best_angle(ink, np.arange(best - 1.0, best + 1.01, 0.1))


def looks_sideways(gray: np.ndarray) -> bool:
    """True when the text runs vertically (the page was scanned turned by 90 degrees).

    Letters run together into words at a small scale, and a word is long along its line: on an
    upright page most word-sized blobs are wide, on a turned one tall. Neither a tilt (a phone
    photo, a skewed scan) nor a form's columns of labels and boxes changes that, where both
    change how sharply the ink's row and column profiles alternate.
    """
    return ink_sideways(small_ink(gray))


def ink_sideways(ink: np.ndarray | None) -> bool:
    """``looks_sideways`` of a page's ink as ``small_ink`` gives it (None: a blank page)."""
    if ink is None:
        return False
    wide, tall = _long_words(ink)
    return tall >= MIN_SIDEWAYS_WORDS and tall > SIDEWAYS_WORDS_SHARE * wide


def _long_words(ink: np.ndarray) -> tuple[int, int]:
    """How many word-sized blobs of ``ink`` (from ``small_ink``), their letters run together,
    are twice as wide as tall, and how many twice as tall as wide. Page borders, rules and
    table edges are too long or too thin to count, shadows and blotches too thick; specks and
    lone letters too small."""
    joined = cv2.dilate(ink, np.ones((3, 3), np.uint8))
    boxes, _ = part_boxes(joined)
    w, h = boxes[:, 2], boxes[:, 3]
    size = max(ink.shape)
    thick, long = np.minimum(w, h), np.maximum(w, h)
    words = (thick >= MIN_WORD_THICKNESS) & (thick <= 0.03 * size) & (long <= 0.15 * size)
    return int((words & (w >= 2 * h)).sum()), int((words & (h >= 2 * w)).sum())


def small_ink(gray: np.ndarray) -> np.ndarray | None:
    """The page's ink (1) on paper (0), uint8, at most 1000 pixels on its long side; None if
    blank."""
    scale = min(1.0, 1000.0 / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    return None if ink.mean() < 0.002 else ink


def _best_angle(ink: np.ndarray, angles: np.ndarray) -> float:
    """The angle of ``angles`` whose rotation of ``ink`` has the most varied row sums."""
    h, w = ink.shape
    centre = (w / 2, h / 2)
    # Ink is 0 or 1, and a nearest-neighbour warp only copies pixels: warped as uint8 it gives
    # whole row sums, exactly as a float warp would, and so the same variance.
    scores = []
    for angle in angles:
        matrix = cv2.getRotationMatrix2D(centre, float(angle), 1.0)
        rotated = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST)
        rows = cv2.reduce(rotated, 1, cv2.REDUCE_SUM, dtype=cv2.CV_32S).ravel().astype(np.float32)
        scores.append(float(np.var(rows)))
    return round(float(angles[int(np.argmax(scores))]), 2)
