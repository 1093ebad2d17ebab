"""Dashed rules: a line to write on drawn as a row of short dashes ("__ __ __ __"), or broken
into them by a fax or a worn copy. Each dash is shorter than a rule's least length, so the
opening that finds rules drops them one by one; a row of like dashes close together is one rule.

A dash is a thin, flat run of ink at least ``MIN_DASH_HEIGHTS`` text heights long (longer than
a letter's bar or serif); at least ``MIN_DASHES`` of them at one height, each at most
``MAX_GAP_HEIGHTS`` from the next (closer than words stand), most of them as long as each other,
make a rule from the first's start to the last's end. Letters' bars in a line of print are
shorter; the bands a blur makes of a line of bold print are as long as its words, which differ.
"""

from __future__ import annotations

import cv2
import numpy as np

from extraction.structure.ink import part_boxes

MIN_DASH_HEIGHTS = 1.0
MIN_DASHES = 5
# Dashes are drawn alike: at least this share of a row's are within SAME_LENGTH of its median
# length. The bands a blur leaves of a line of bold print, one a word, are not.
ALIKE_SHARE = 0.75
SAME_LENGTH = 0.2
MAX_GAP_HEIGHTS = 0.75
# The dashes of one rule stand at one height, give or take this many text heights (a skewed
# page's slope over a dash's gap aside).
ROW_TOLERANCE = 0.15


def dashed_rules(mask: np.ndarray, height: float, thickness: float) -> np.ndarray:
    """A mask, shaped like ``mask`` (ink 255 on 0, thickened across as rules are looked for),
    holding each row of dashes in it joined into one line across its gaps; dashes are no
    thicker than ``thickness`` pixels, ``height`` is the text height in ``mask``'s pixels."""
    length = max(3, round(MIN_DASH_HEIGHTS * height))
    runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    boxes, _ = part_boxes(runs)
    dashes = sorted((int(x), int(y), int(x + w), int(y + h)) for x, y, w, h in boxes if h <= thickness)
    joined = np.zeros_like(mask)
    for chain in _chains(dashes, height):
        x0, x1 = chain[0][0], chain[-1][2]
        y0, y1 = min(d[1] for d in chain), max(d[3] for d in chain)
        joined[y0:y1, x0:x1] = 255
    return joined


def _chains(dashes: list[tuple[int, int, int, int]], height: float) -> list[list[tuple[int, int, int, int]]]:
    """The runs of at least ``MIN_DASHES`` of ``dashes`` (sorted left to right) that follow one
    another at one height, each within ``MAX_GAP_HEIGHTS`` of the last, most as long as the
    others (``_alike``)."""
    gap, tolerance = MAX_GAP_HEIGHTS * height, max(1.0, ROW_TOLERANCE * height)
    open_chains: list[list[tuple[int, int, int, int]]] = []
    for dash in dashes:
        middle = (dash[1] + dash[3]) / 2
        for chain in open_chains:
            last = chain[-1]
            if 0 <= dash[0] - last[2] <= gap and abs((last[1] + last[3]) / 2 - middle) <= tolerance:
                chain.append(dash)
                break
        else:
            open_chains.append([dash])
    return [chain for chain in open_chains if len(chain) >= MIN_DASHES and _alike(chain)]


def _alike(chain: list[tuple[int, int, int, int]]) -> bool:
    """True when ``ALIKE_SHARE`` of the dashes in ``chain`` are as long as their median, give or
    take ``SAME_LENGTH`` of it."""
    lengths = sorted(d[2] - d[0] for d in chain)
    median = lengths[len(lengths) // 2]
    alike = sum(abs(length - median) <= SAME_LENGTH * median for length in lengths)
    return alike >= ALIKE_SHARE * len(lengths)
