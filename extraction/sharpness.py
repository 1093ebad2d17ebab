"""Blurred print: how blurred a page's print is, and the unsharp mask that steepens its edges.

Tesseract binarizes the page itself, and a blurred stroke's grey edge falls on either side of
its threshold: counters fill, joins break, "e" reads as "c". A phone focused off the page blurs
print by a few pixels, and steepening the edges before OCR gives tesseract back strokes it can
threshold.
"""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

# The page is measured at this size (longer side, pixels): a letter page at about 100 dpi. Print of
# 8 pt and up keeps its strokes, and a phone's 4000-pixel photo is shrunk 4x before anything runs.
WORK_LONG_SIDE = 1100
# Whether print is sharpened is told at this resolution instead: halving a page to the working
# size halves its blur too, and a defocus of 1.4 px at 200 dpi then measures like the mild blur
# of a scan or of a page enlarged from a low resolution.
FOCUS_DPI = 200
# Blur: the blur measure of Crete-Roffet et al. (2007, "The blur effect"): how much of the
# brightness variation between neighbours survives a further BLUR_KERNEL-pixel blur, 0 (sharp) to
# 1 (flat). Contrast-free, so a dim photo is not called blurred, and grain or noise only make a
# page measure sharper. At FOCUS_DPI, tuning pages clean, scanned, faxed or rotated measure
# 0.08..0.17; noisy, photographed, skewed, JPEG or enlarged from a low resolution 0.17..0.35;
# under the heavy profile's blur (0.6-1.3 px at 200 dpi, with noise, shadow and JPEG) 0.23..0.31;
# under a defocus of 1.4-2.4 px and a photo's blur 0.41..0.58. Print measuring SHARPEN_BLUR or
# more is sharpened before OCR: every defocused page and none of the others (on the working copy
# the two overlapped, and a gate there sharpened some heavy pages and missed some defocused
# ones). extraction.quality names a photo too blurred to read on the working copy, over 0.32.
BLUR_KERNEL = 9
SHARPEN_BLUR = 0.38
# The unsharp mask: the page plus SHARPEN_AMOUNT times its difference from itself blurred by
# SHARPEN_SIGMA px at 200 dpi (scaled with the resolution), about the size of the blur it undoes.
# Its overshoot is clipped at black and white.
SHARPEN_SIGMA = 3.0
SHARPEN_AMOUNT = 2.5


def working_copy(gray: np.ndarray) -> np.ndarray:
    """``gray`` (HxW uint8) with its longer side brought to WORK_LONG_SIDE by area averaging."""
    height, width = gray.shape
    scale = WORK_LONG_SIDE / max(height, width)
    if abs(scale - 1) < 0.02:
        return gray
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(Image.fromarray(gray).resize(size, Image.Resampling.BOX))


def middle(gray: np.ndarray) -> np.ndarray:
    """The inner 90 % of the page: a photo's table or a dark border is not the paper."""
    height, width = gray.shape
    return gray[height // 20 : height - height // 20, width // 20 : width - width // 20]


def blur_effect(gray: np.ndarray) -> float:
    """Crete-Roffet blur of a working copy, 0 (sharp) to 1 (no detail left): the share of the
    neighbour-to-neighbour variation that a further blur of BLUR_KERNEL pixels does not remove,
    the larger of the vertical and the horizontal. 0 for a page with no variation at all."""
    inner = middle(gray)
    values = inner.astype(np.float32)
    worst = 0.0
    for axis in (0, 1):
        size = (1, BLUR_KERNEL) if axis == 0 else (BLUR_KERNEL, 1)  # (width, height): across the steps
        reblurred = cv2.blur(values, size)
        # The steps between whole grey levels are whole numbers: taken on the uint8 page they
        # are exactly the float steps. OpenCV's absdiff and subtract round as numpy's abs(diff)
        # does, and every array keeps numpy's shape, so its sums add in the same order.
        sharp_steps = cv2.absdiff(*_neighbours(inner, axis)).astype(np.float32)
        total = float(sharp_steps.sum())
        if total <= 0:
            continue
        lost = cv2.subtract(sharp_steps, cv2.absdiff(*_neighbours(reblurred, axis)))
        np.maximum(lost, 0.0, out=lost)
        worst = max(worst, (total - float(lost.sum())) / total)
    return worst


def _neighbours(image: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Each pixel and the one before it along ``axis`` (rows for 0), as two equal views."""
    if axis == 0:
        return image[1:], image[:-1]
    return image[:, 1:], image[:, :-1]


def focus_blur(gray: np.ndarray, dpi: int) -> float:
    """``blur_effect`` of the page brought to FOCUS_DPI by area averaging (as it is when ``dpi``
    is within 2 % of it): the measure ``is_blurred`` judges."""
    scale = FOCUS_DPI / dpi
    if abs(scale - 1) >= 0.02:
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return blur_effect(gray)


def is_blurred(blur: float) -> bool:
    """True for print blurred enough (``focus_blur``) to be sharpened before OCR."""
    return blur >= SHARPEN_BLUR


def sharpen(gray: np.ndarray, dpi: int) -> np.ndarray:
    """The page through an unsharp mask the size of a defocused camera's blur (SHARPEN_SIGMA at
    200 dpi): edges steepened, paper and the inside of broad strokes left as they were."""
    soft = cv2.GaussianBlur(gray, (0, 0), SHARPEN_SIGMA * dpi / 200)
    return cv2.addWeighted(gray, 1 + SHARPEN_AMOUNT, soft, -SHARPEN_AMOUNT, 0)
