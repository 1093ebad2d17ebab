"""Photo quality at upload: is a page image too blurred, too dark or cut off to be worth reading?

Measured on the pixels before any OCR, on a small copy of the page (its longer side brought to
``WORK_LONG_SIDE`` pixels), so the checks cost milliseconds and mean the same at any resolution:
a 12-megapixel phone photo and a 200 dpi scan of the same page give the same numbers.

Contract: pure functions on numpy arrays and bytes (no Streamlit, no database, no OCR). Each check
returns a :class:`Problem` (a stable ``code``, a clerk-facing ``message`` with a hint to retake the
photo) or nothing; :func:`check_image_bytes` never raises for bad input: bytes that are not an
image it can open, or a PDF, give no problems (the engine reports what it cannot read). Only photos
and scanned images are checked (PNG, JPEG, TIFF): a PDF's pages are not measured here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extraction.load import to_gray_on_white
from extraction.pixel_stats import percentiles
from extraction.preprocess import estimate_background, print_depth
from extraction.sharpness import WORK_LONG_SIDE, blur_effect, middle, working_copy

# At most this many pages of a multi-page TIFF are measured (the rest cost time and say the same).
MAX_PAGES_CHECKED = 10

# Calibrated on docgen pages: every family under the clean, scan, noisy, jpeg, shadow, photo,
# shadow_photo, fax, lowres, heavy, skewed and rotated profiles (two seeds, 384 pages, none named),
# and the clean, scan and photo ones blurred, darkened, fogged and cropped through their print
# (tests/test_photo_quality.py keeps the deciding cases).

# Paper level: the 90th percentile of brightness in the page's middle (0..255), where the paper
# is, whatever share of it is print. Generated pages of every profile sit at 149..255 (a shadowed
# photo's lowest); the same pages at 45 % of the light at 99..114, at 35 % under 90. Below this
# the photo is named dark.
MIN_PAPER_LEVEL = 120
# Ink-paper contrast: how far the print is under the paper around it (``print_depth``: the 90th
# percentile over the pixels 24 levels or more under their paper; with fewer than 60 of them,
# about one short word, the page counts as blank and nothing is judged).
# Generated pages of every profile keep 77 and more; print faded to 40 % on grey paper 56..101;
# print fogged to 15 % on light grey paper about 35. Under this the print is named too faint.
MIN_CONTRAST = 45
# Blur (``extraction.sharpness.blur_effect``, 0 sharp to 1 flat): generated pages of every profile
# (noisy and heavy include a mild blur, photo a defocus) measure 0.05..0.26; a defocus of 4 px at
# 200 dpi (1/50 inch: letters smear into each other) 0.39..0.65, of 3 px 0.26..0.54. Above this the
# photo is named blurred. (Print is sharpened before OCR by its blur at 200 dpi: SHARPEN_BLUR.)
MAX_BLUR = 0.32
# Cut off: print running into the image's edge. The outer EDGE_DEPTH working pixels (1/50 inch) of
# each edge are searched for print crossing them: brightness steps along the edge of at least
# EDGE_STEP x contrast in every one of those rows, where the strip is paper (its mean over
# EDGE_PAPER_WINDOW pixels along the edge within EDGE_PAPER_SHARE x contrast of the paper level).
# A page photographed whole has paper, a table or a scanner lid there, at most a paper edge
# running along it (which steps across the strip, not along it); a cropped one has letters cut.
EDGE_DEPTH = 2
EDGE_STEP = 0.35
EDGE_PAPER_WINDOW = 25
EDGE_PAPER_SHARE = 0.5
# Share of the positions along an edge where print crosses: above it, that edge cuts the page.
# Generated pages of every profile stay at 0.0018 and under (a photo's paper corners); the real
# scanned record of ../shared/samples, whose grainy scanner lid shows along its top, at 0.003 (0.006
# before the on-paper condition); the generated pages cropped through a line of print mostly
# measure 0.006..0.18 (a crop along a rule or between strokes may stay under: nothing is cut there).
MAX_EDGE_PRINT = 0.006

EDGE_NAMES = ("top", "bottom", "left", "right")

# What the clerk reads, per problem code: what is wrong, then how to take a better photo.
MESSAGES = {
    "dark": "The photo is too dark: turn on a light or move to a window and retake it.",
    "low_contrast": "The print is too faint in the photo: avoid glare and shadows and retake it.",
    "blurred": "The photo is blurred: hold the phone steady, let it focus and retake it.",
    "cut_off": "The page is cut off at the {edges} edge: step back so the whole page is in the frame "
    "and retake it.",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a page photo: ``code`` ("blurred", "dark", "low_contrast", "cut_off")
    for software, ``message`` for the clerk (what is wrong and how to retake it), ``page`` 1-based."""

    code: str
    message: str
    page: int = 1


@dataclass(frozen=True)
class Measures:
    """What was measured on one page (working copy): paper level and contrast in 0..255, the blur
    effect (0 sharp .. 1 flat), and the share of each edge that print crosses."""

    paper: float
    contrast: float
    blur: float
    edges: dict[str, float]


def levels(gray: np.ndarray) -> tuple[float, float]:
    """(paper level, ink-paper contrast) of a working copy, both 0..255.

    The contrast is measured against the paper around each pixel (``estimate_background``), so a
    photo's light falling off towards a corner is not taken for print: the 90th percentile of how
    far the print pixels are under it (``print_depth``). Measured on
    print only, a page with little print has the same contrast as a full one; a page with too few
    print pixels has no print to measure and a contrast of 0.
    """
    inner = middle(gray)
    paper = percentiles(inner, [90])[0]
    depth = middle(estimate_background(gray)).astype(np.int16) - inner.astype(np.int16)
    return paper, print_depth(depth)


def edge_print(gray: np.ndarray, paper: float, contrast: float) -> dict[str, float]:
    """For each edge, the share of positions along it where print crosses the outer strip: steps
    along the edge of at least EDGE_STEP x contrast through the strip's whole depth, where the
    strip is mostly paper (``paper`` the page's paper level)."""
    if contrast <= 0:
        return dict.fromkeys(EDGE_NAMES, 0.0)
    depth = EDGE_DEPTH
    values = gray.astype(np.int16)
    strips = {
        "top": values[:depth, :],
        "bottom": values[-depth:, :],
        "left": values[:, :depth].T,
        "right": values[:, -depth:].T,
    }
    step = EDGE_STEP * contrast
    shares = {}
    for name, strip in strips.items():
        # Steps along the edge: a letter's stroke crossing the strip, not a paper edge beside it.
        along = np.abs(np.diff(strip, axis=1)) >= step
        # A position counts when print crosses the whole strip's depth (a speck does not) on paper:
        # a scanner lid's grainy grey or a table around the page is not print, however grainy.
        local = cv2.blur(strip.astype(np.float32), (EDGE_PAPER_WINDOW, 1))[:, 1:]
        on_paper = (local >= paper - EDGE_PAPER_SHARE * contrast).all(axis=0)
        crossed = along.all(axis=0) & on_paper
        shares[name] = float(crossed.mean()) if crossed.size else 0.0
    return shares


def measure(gray: np.ndarray) -> Measures:
    """All measures of one page (HxW uint8 at any resolution)."""
    small = working_copy(gray)
    paper, contrast = levels(small)
    return Measures(paper, contrast, blur_effect(small), edge_print(small, paper, contrast))


def problems_of(measures: Measures, page: int = 1) -> list[Problem]:
    """The problems ``measures`` show, worst first: dark, low contrast, blurred, cut off.
    A blank page (contrast 0: no print found) has none."""
    if measures.contrast <= 0:
        return []
    found = []
    if measures.paper < MIN_PAPER_LEVEL:
        found.append(Problem("dark", MESSAGES["dark"], page))
    elif measures.contrast < MIN_CONTRAST:
        found.append(Problem("low_contrast", MESSAGES["low_contrast"], page))
    if measures.contrast >= MIN_CONTRAST and measures.blur > MAX_BLUR:
        found.append(Problem("blurred", MESSAGES["blurred"], page))
    cut = [name for name, share in measures.edges.items() if share > MAX_EDGE_PRINT]
    if cut:
        found.append(Problem("cut_off", MESSAGES["cut_off"].format(edges=" and ".join(cut)), page))
    return found


def check_page(gray: np.ndarray, page: int = 1) -> list[Problem]:
    """The problems of one page image (HxW uint8 grayscale, any resolution)."""
    if gray.ndim != 2 or min(gray.shape) < 16:
        return []
    return problems_of(measure(gray), page)


def _gray_thumbnail(frame: Image.Image) -> np.ndarray:
    """An upright grayscale copy of ``frame`` (transparency as paper, 16-bit levels scaled, as the
    engine loads it) no larger than about twice the working size."""
    upright = ImageOps.exif_transpose(frame) or frame
    small = to_gray_on_white(upright)
    small.thumbnail((2 * WORK_LONG_SIDE, 2 * WORK_LONG_SIDE), Image.Resampling.BOX)
    return np.asarray(small)


def check_image_bytes(data: bytes) -> list[Problem]:
    """The problems of every page of an uploaded image (PNG, JPEG, TIFF), in page order.

    A PDF, bytes no image reader opens, and damaged images give [] (never raises): these checks
    only advise; whether the file can be read at all is the engine's to say.
    """
    if data.lstrip()[:4] == b"%PDF":
        return []
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format == "JPEG":
                image.draft("L", (2 * WORK_LONG_SIDE, 2 * WORK_LONG_SIDE))  # decode at 1/2..1/8 size
            found: list[Problem] = []
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                if index >= MAX_PAGES_CHECKED:
                    break
                gray = _gray_thumbnail(frame)
                if gray.size:
                    found += check_page(gray, index + 1)
            return found
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return []
