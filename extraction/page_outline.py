"""A photographed page's outline: the paper's four corners against what it lies on, and the
page warped flat to the rectangle they span.

A phone photo sees the page at a slant: its rows lean by different amounts across the page
(perspective), which no rotation undoes, so a value at the right of a row stands lower or
higher than its label at the left; and the table the page lies on shows around it. Where the
paper stands out as one bright four-sided shape over most of the picture, darker ground all
round it, its corners are found on a small copy and the page is warped to the rectangle they
span. A page that fills the picture (a scan, a crop, a fax), whose edges all run level with
the picture's (a dark border, a band printed dark), or whose sides show no clear line (a hand
over a corner, paper on a white desk), is left as it is.
"""

from __future__ import annotations

import cv2
import numpy as np

# The outline is looked for on a copy at most this many pixels on its long side.
SMALL_SIDE = 800
# Each of the paper's corners lies within this share of the picture's size of the picture's own
# corner (a photo of a page framed to read it, not a page lying somewhere on a desk)...
MAX_CORNER_SHIFT = 0.15
# ... and the ground around it is at most this share of the paper's brightness (a photo's
# lighting darkens both alike).
MAX_GROUND_SHARE = 0.6
# A paper's side leans at most this much (as a slope) in a photo framed to read the page; the
# rows showing it start within RUN_END_SLACK samples of one end and hold RUN_DENSITY of the rows
# between their first and last.
MAX_LEAN = 0.1
RUN_END_SLACK = 3
RUN_DENSITY = 0.5
# Paper is at least this share of the brightest paper on its row near the edge; the step from
# ground to paper spreads over this many pixels of the small copy.
PAPER_SHARE = 0.85
EDGE_BLUR = 4
# A side found leaning less than this (as a slope) is level with the picture's edge: a border
# or a band printed dark, which cropping would not make easier to read.
MIN_LEAN = 0.003
# Corners this close to the picture's (a share of its size) leave nothing to flatten.
MIN_CORNER_SHIFT = 0.004
# A side shows when this many sampled rows (of 80) step from ground to paper, on a line to
# within FIT_TOLERANCE pixels of the small copy.
MIN_SIDE_ROWS = 16
FIT_TOLERANCE = 3.0


def page_corners(gray: np.ndarray) -> np.ndarray | None:
    """The paper's corners in ``gray`` (top-left, top-right, bottom-right, bottom-left, as a
    4x2 float array of pixel positions, perhaps outside the picture), or None when no edge of
    the paper shows against darker ground, or the paper already fills the picture square.

    Each side of the paper is a straight line where it shows: the points where each row (or
    column) steps from dark ground up to paper near that side of the picture, fitted by least
    squares. A side that never shows runs past the picture's edge: that edge stands for it.
    """
    h, w = gray.shape
    scale = min(1.0, SMALL_SIDE / max(h, w))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0).astype(np.float32)
    sh, sw = small.shape
    # Each side seen as the left one: (view of the picture, how to map a fitted line back).
    sides = [_side_line(view) for view in (small, small[:, ::-1], small.T, small.T[:, ::-1])]
    if not any(line is not None and abs(line[0]) >= MIN_LEAN for line in sides):
        return None  # no edge leans: a dark band along the picture's edge, no perspective
    left, right, top, bottom = (line if line is not None else (0.0, 0.0) for line in sides)
    # Lines as x = a*y + b (left, right: measured from their own side) and y = a*x + b.
    lines = {
        "left": left,
        "right": (-right[0], sw - 1 - right[1]),
        "top": top,
        "bottom": (-bottom[0], sh - 1 - bottom[1]),
    }
    corners = np.array(
        [
            _crossing(lines["left"], lines["top"]),
            _crossing(lines["right"], lines["top"]),
            _crossing(lines["right"], lines["bottom"]),
            _crossing(lines["left"], lines["bottom"]),
        ],
        dtype=np.float32,
    )
    frame = np.array([(0, 0), (sw - 1, 0), (sw - 1, sh - 1), (0, sh - 1)], dtype=np.float32)
    shift = np.abs(corners - frame) / np.array([sw, sh], dtype=np.float32)
    if shift.max() > MAX_CORNER_SHIFT or shift.max() < MIN_CORNER_SHIFT:
        return None
    return corners / scale


def _side_line(view: np.ndarray) -> tuple[float, float] | None:
    """The paper's left edge in ``view`` as x = a*y + b, or None where it does not show: in
    enough rows, a run of ground from the picture's edge, then paper at least 1/MAX_GROUND_SHARE
    times as bright, within MAX_CORNER_SHIFT of the width. A paper's edge crosses the
    picture's once: the rows that show it run on unbroken from one end of the side, and they
    lie on one line leaning no more than a photo leans (blur smeared into the margin, or print
    near it, gives scattered rows)."""
    h, w = view.shape
    reach = max(3, int(MAX_CORNER_SHIFT * w))
    sampled = list(range(int(0.1 * h), int(0.9 * h), max(1, h // 100)))
    shown: dict[int, int] = {}
    # Each sampled row's paper: the 90th percentile of its third nearest the side.
    papers = np.percentile(view[sampled, : w // 3], 90, axis=1)
    for index, y in enumerate(sampled):
        row = view[y]
        paper = float(papers[index])
        bright = np.flatnonzero(row[:reach] >= PAPER_SHARE * paper)
        if paper <= 0 or not len(bright) or bright[0] <= EDGE_BLUR:
            continue
        edge = int(bright[0])
        # The edge itself is blurred from ground into paper: the ground lies before it.
        if row[: edge - EDGE_BLUR].max() <= MAX_GROUND_SHARE * paper:
            shown[index] = edge
    if len(shown) < MIN_SIDE_ROWS or not _one_run_from_an_end(sorted(shown), len(sampled)):
        return None
    y_arr = np.array([sampled[i] for i in shown], np.float32)
    x_arr = np.array(list(shown.values()), np.float32)
    slope, offset = np.polyfit(y_arr, x_arr, 1)
    close = np.abs(x_arr - (slope * y_arr + offset)) <= FIT_TOLERANCE
    if close.sum() < MIN_SIDE_ROWS:
        return None
    slope, offset = np.polyfit(y_arr[close], x_arr[close], 1)
    if abs(slope) > MAX_LEAN:
        return None
    return float(slope), float(offset)


def _one_run_from_an_end(indices: list[int], count: int) -> bool:
    """True when the sampled rows' ``indices`` (sorted, of ``count``) run from the first or to
    the last, with at most a few rows missing between."""
    first, last = indices[0], indices[-1]
    from_an_end = first <= RUN_END_SLACK or last >= count - 1 - RUN_END_SLACK
    return from_an_end and len(indices) >= RUN_DENSITY * (last - first + 1)


def _crossing(upright: tuple[float, float], level: tuple[float, float]) -> tuple[float, float]:
    """Where the line x = a*y + b (``upright``) crosses y = c*x + d (``level``)."""
    a, b = upright
    c, d = level
    y = (c * b + d) / (1 - c * a)
    return a * y + b, y


def flattened(gray: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """``gray`` warped so that ``corners`` (from ``page_corners``) become a rectangle's, as
    wide and as high as the outline's longer sides."""
    tl, tr, br, bl = corners
    width = round(float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = round(float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.array([(0, 0), (width - 1, 0), (width - 1, height - 1), (0, height - 1)], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(
        gray, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
