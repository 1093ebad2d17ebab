"""Page preprocessing: pure functions on uint8 arrays, and the per-page plan that picks them.

Each step is measured on the page before it is applied, so a clean scan is not put through
photo repairs it does not need:
- a photographed page's perspective undone only where its paper's edges show on darker ground;
- illumination flattening only when the paper's brightness varies (shadows, phone photos);
- contrast stretching only when the print is measurably light (faint toner, a washed-out photo):
  every later step, and tesseract, take print to be dark on white paper;
- despeckling only when isolated dots make up a measurable share of the ink;
- sharpening only when the print's edges are measurably blurred (a phone focused off the page):
  tesseract binarizes the page itself, and a blurred stroke's grey edge falls on either side of
  its threshold, filling counters and breaking joins;
- deskew only when the text lines are measurably tilted;
- binarization is left to tesseract: its own Otsu on a flattened page read 96.4 % of fields
  exactly where adaptive thresholding 61/20 read 84.9 % (benchmarks/accuracy.py --binarize,
  24 generated documents and the 2 samples); ``adaptive_threshold`` stays for that comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from extraction.page_outline import flattened, page_corners
from extraction.pixel_stats import median, percentiles
from extraction.sharpness import focus_blur, is_blurred, sharpen
from extraction.skew import ink_sideways, ink_skew, small_ink
from extraction.structure.ink import components, pixels_of

# The paper's brightness may vary by this much (0..255) across a page before we flatten it.
UNEVEN_LIGHT_THRESHOLD = 40.0
# Share of ink pixels in specks above which the page counts as speckled. Measured at the page's
# own ink level (``ink_level``), pages without dust keep it under 0.5 % and dusty scans reach
# 3-13 %: the line sits in that gap, not at its edge. Despeckling a clean page is not free: the
# full stops of small print ("2.5 mg", "Dr.") are as small as specks.
SPECKLE_THRESHOLD = 0.02
# How far a page may be shrunk or enlarged to bring its text to the target height.
# A glyph is at least this much darker (0..255) than the page's paper.
GLYPH_CONTRAST = 60
MIN_TEXT_SCALE = 0.5
MAX_TEXT_SCALE = 2.0
# Skew below this many degrees is left alone: rotating costs sharpness and tesseract copes.
MIN_DESKEW_DEGREES = 0.4
# Print contrast: how far the print is under its paper, relative to the paper's brightness
# (``print_contrast``), the PRINT_PERCENTILE-th percentile over the pixels NOT_PAPER levels or more
# under the paper (``print_depth``, which extraction.quality applies to absolute depths at upload;
# with fewer than MIN_PRINT_PIXELS of them the page has no print to measure). Tuning pages of every
# damage in seed 7540 measure 109 (a noisy ruled register, left unstretched by its grain) to 255;
# the same pages with their print lightened to 45 % measure 73..116, to 30 % 53..78.
NOT_PAPER = 24
PRINT_PERCENTILE = 90
MIN_PRINT_PIXELS = 60
# Print lighter than this is stretched so its darkest strokes sit STRETCHED_CONTRAST under white
# paper (a clean page's contrast). Under FAINTEST_PRINT what passes for print may be paper grain
# or noise: stretching it would turn texture into letters.
STRETCH_BELOW = 120.0
STRETCHED_CONTRAST = 225.0
FAINTEST_PRINT = 32.0
# A stretch darkens the paper's grain (dust, sensor noise in a shadow) by the same gain as the
# print. Most of a page is paper, so its GRAIN_PERCENTILE-th percentile depth is the grain's; if
# the stretch would take that deeper than MAX_STRETCHED_GRAIN (about NOT_PAPER: what is measured
# as print), grain would be read as letters and sized as glyphs, and the page is left unstretched.
GRAIN_PERCENTILE = 80
MAX_STRETCHED_GRAIN = 30.0
# A stretched page whose ink is mostly specks had grain, not print, to stretch (a blank back page):
# its specks would keep tesseract's sparse pass busy for minutes. Stretched print has under 1 %.
MAX_STRETCHED_SPECKS = 0.5
# Grain stretched into bigger blobs than specks (a grainy back page with a line of print) passes
# for glyphs at the glyph level, but few of them are still there half as deep as stretched print:
# stretched print keeps more glyphs there than at the glyph level (its blurred letters part), a
# grainy page with a line of print kept 1 in 40.
STRETCHED_GLYPHS_KEPT = 0.25


@dataclass
class PreprocessReport:
    """What was measured on a page and which steps ran, for the benchmark and debugging."""

    light_spread: float = 0.0
    contrast: float = 0.0
    speckle: float = 0.0
    blur: float = 0.0
    skew_degrees: float = 0.0
    # The paper's grey and the level under which is ink, as the page finally is (after any
    # flattening and stretch): what every later step, and OCR, should take as paper and ink.
    paper: float = 255.0
    ink: int = 128
    steps: list[str] = field(default_factory=list)


def to_grayscale(image: np.ndarray) -> np.ndarray:
    """HxW uint8 from HxW, HxWx3 (RGB) or HxWx4 arrays."""
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def estimate_background(gray: np.ndarray) -> np.ndarray:
    """The paper's brightness at every pixel: text removed by a large median on a small copy."""
    scale = 0.125
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    # Dilation first wipes out dark strokes so the median sees paper, not text.
    small = cv2.dilate(small, np.ones((5, 5), np.uint8))
    small = cv2.medianBlur(small, 21)
    return cv2.resize(small, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR)


def paper_level(gray: np.ndarray) -> float:
    """The page's paper grey: the median of every fourth pixel of every fourth row."""
    return median(gray[::4, ::4])


def light_spread(background: np.ndarray) -> float:
    """How unevenly lit the paper is: the 95th minus the 5th percentile of its brightness."""
    low, high = percentiles(background, [5, 95])
    return high - low


def flatten_illumination(gray: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Divide out the background so shadowed and bright paper both become white."""
    # OpenCV's saturating uint8 division: the same result as float maths, 5x faster.
    return cv2.divide(gray, np.maximum(background, 1), scale=255.0)


def print_contrast(gray: np.ndarray, paper: np.ndarray | int) -> float:
    """How far the print is under the paper, on a 0..255 scale of white paper; 0.0 when there is
    no print to measure.

    ``paper`` is the paper's brightness per pixel (``estimate_background``) or one level for a
    flattened page. The depth is taken relative to the paper's own brightness: print in a shadow
    is as dark against its grey paper as print in the light against white, and must not pass for
    faint toner (stretching a shadow's paper grain turns it into letters). Measured on every other
    row and column (a stroke of print is wider than that) and only on print, so a page with
    little print measures like a full one.
    """
    under = np.asarray(paper, dtype=np.float32)
    if under.ndim == 2:
        under = under[::2, ::2]
    depth = (under - gray[::2, ::2].astype(np.float32)) * (255.0 / np.maximum(under, 1.0))
    return print_depth(depth)


def print_depth(depth: np.ndarray) -> float:
    """The PRINT_PERCENTILE-th percentile of the depths under the paper that are print (NOT_PAPER
    or more), 0.0 when fewer than MIN_PRINT_PIXELS are: the page has no print to measure."""
    printed = depth[depth >= NOT_PAPER]
    if printed.size < MIN_PRINT_PIXELS:
        return 0.0
    return float(np.percentile(printed, PRINT_PERCENTILE))


def is_faint(contrast: float) -> bool:
    """True for print measurably lighter than any ordinary page's, yet not so light it may be grain."""
    return FAINTEST_PRINT <= contrast < STRETCH_BELOW


def paper_grain(flat: np.ndarray) -> float:
    """How deep under a flattened page's white paper its grain reaches: the GRAIN_PERCENTILE-th
    percentile depth of the whole page, most of which is paper."""
    return percentiles(255 - flat[::2, ::2], [GRAIN_PERCENTILE])[0]


def stretched_print(flat: np.ndarray, dpi: int, contrast: float) -> np.ndarray | None:
    """A flattened page with its faint print (``contrast`` under the paper, as first measured)
    stretched to STRETCHED_CONTRAST, or None when the stretch would darken grain into print: the
    paper's grain (``paper_grain``) stretched past MAX_STRETCHED_GRAIN, or a page with grain and
    no print, whose ink stretched would be mostly specks."""
    # Measured again on the flattened page: grey paper made white deepens the print with it.
    contrast = max(contrast, print_contrast(flat, 255))
    if paper_grain(flat) * STRETCHED_CONTRAST / max(contrast, 1.0) > MAX_STRETCHED_GRAIN:
        return None
    stretched = stretch_contrast(flat, contrast)
    specks, ink = _speck_mask(stretched, dpi, ink_level(255.0, STRETCHED_CONTRAST))
    if not ink or specks.sum() / ink > MAX_STRETCHED_SPECKS:
        return None
    return None if _stretched_grain(stretched) else stretched


def _stretched_grain(stretched: np.ndarray) -> bool:
    """True when what a stretch made of glyphs is grain: print stretched to STRETCHED_CONTRAST
    keeps its glyphs half as deep again (its strokes' cores), grain darkened past the glyph
    level falls away there."""
    shallow = glyph_heights(stretched, glyph_level(stretched)).size
    deep = glyph_heights(stretched, 255 - STRETCHED_CONTRAST / 2).size
    return deep < STRETCHED_GLYPHS_KEPT * shallow


def stretch_contrast(flat: np.ndarray, contrast: float) -> np.ndarray:
    """A flattened page (white paper) with its print darkened: each level's distance under white
    multiplied so that print ``contrast`` under the paper ends STRETCHED_CONTRAST under it.

    A straight line through white, so paper stays white, the order of levels is kept and a stroke's
    anti-aliased edge keeps its share of the stroke: nothing is thresholded here.
    """
    gain = STRETCHED_CONTRAST / max(contrast, 1.0)
    depth = 255.0 - np.arange(256, dtype=np.float32)
    table = np.clip(255.0 - depth * gain, 0, 255).astype(np.uint8)
    return cv2.LUT(flat, table)


def rotate(gray: np.ndarray, degrees: float) -> np.ndarray:
    """Rotate counter-clockwise by ``degrees`` about the centre, growing the canvas, white fill."""
    h, w = gray.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    new_w, new_h = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += new_w / 2 - w / 2
    matrix[1, 2] += new_h / 2 - h / 2
    return cv2.warpAffine(
        gray, matrix, (new_w, new_h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )


def rotate_quarter(gray: np.ndarray, clockwise_degrees: int) -> np.ndarray:
    """Exact 90/180/270 degree clockwise rotation (no resampling)."""
    turns = {0: None, 90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    code = turns[clockwise_degrees % 360]
    return gray if code is None else cv2.rotate(gray, code)


def erase_long_rules(crop: np.ndarray) -> np.ndarray:
    """A crop with every horizontal rule spanning a quarter of its width painted white.

    Used on small re-read crops, where an underline touching a handwritten-size digit turns
    "0" into "_O"; a letter's stroke is never that long and flat.
    """
    ink = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)[1]
    length = max(15, crop.shape[1] // 4)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    cleaned = crop.copy()
    cleaned[rules > 0] = 255
    return cleaned


def adaptive_threshold(gray: np.ndarray, block: int = 61, c: int = 20) -> np.ndarray:
    """Mean adaptive threshold: the old pipeline's binarization, kept for comparison."""
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, block, c)


def ink_level(paper: float, contrast: float) -> int:
    """The grey level halfway between the paper and its print: darker is ink. 128 when there is no
    print to measure, the level of black print on white paper.

    Faint print has no pixel under a fixed 128 but the cores of its strokes: those would pass
    for specks and be painted out of the letters.
    """
    return round(paper * (1 - contrast / 510)) if contrast > 0 else 128


def _speck_mask(gray: np.ndarray, dpi: int, level: int) -> tuple[np.ndarray, int]:
    """Ink specks too small to be part of any letter (a 10 pt full stop is far larger), and the
    page's total ink pixel count; ink is darker than ``level`` (see ``ink_level``).

    A speck is small at the ink level and still small at a lighter one, halfway to white: the
    dark cores of a letter printed in light grey are small at the ink level too, but the letter
    around them is not, and painting them out would erase the letter.
    """
    ink = (gray < level).astype(np.uint8)
    max_area = max(2, round(2.5 * (dpi / 150) ** 2))
    tiny = _small_components(ink, max_area)
    if not tiny.any():
        return tiny, int(ink.sum())
    lighter = (gray < level + (255 - level) // 2).astype(np.uint8)
    # A speck's soft edge widens it at the lighter level; a grey letter is far larger still.
    return tiny & _small_components(lighter, 4 * max_area), int(ink.sum())


def _small_components(mask: np.ndarray, max_area: int) -> np.ndarray:
    """The pixels of ``mask`` in 8-connected parts of at most ``max_area`` pixels."""
    _, labels, stats, _ = components(mask)
    small = np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= max_area)
    return pixels_of(labels, stats, small[small > 0])


def _painted_out(gray: np.ndarray, specks: np.ndarray) -> np.ndarray:
    """``gray`` with the pixels of ``specks`` painted white (a copy)."""
    cleaned = gray.copy()
    cleaned[specks] = 255
    return cleaned


def text_height(gray: np.ndarray) -> float:
    """The median height in pixels of the page's glyphs (ink blobs shaped like letters), 0.0 if none.

    Rules, dots and blotches are left out by shape; what remains is mostly letters, so the
    median sits between the x-height and the capital height of the body text.
    """
    heights = glyph_heights(gray, glyph_level(gray))
    return float(np.median(heights)) if heights.size >= 20 else 0.0


def glyph_level(gray: np.ndarray) -> float:
    """The grey level under which a page's print stands: Otsu's, but at least GLYPH_CONTRAST
    under the paper (on a page of paper texture and little print, Otsu splits the texture,
    whose grains then pass for tiny letters)."""
    otsu, _ = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return min(otsu, median(gray) - GLYPH_CONTRAST)


def glyph_heights(gray: np.ndarray, level: float) -> np.ndarray:
    """The heights of the blobs darker than ``level`` shaped like letters."""
    ink = cv2.threshold(gray, level, 255, cv2.THRESH_BINARY_INV)[1]
    _, _, stats, _ = components(ink)
    heights, widths, areas = (stats[1:, k] for k in (cv2.CC_STAT_HEIGHT, cv2.CC_STAT_WIDTH, cv2.CC_STAT_AREA))
    letters = (heights >= 6) & (heights <= 300) & (widths >= 2) & (widths <= 3 * heights) & (areas >= 12)
    return heights[letters]


def scale_to_text_height(gray: np.ndarray, dpi: int, target: int) -> tuple[np.ndarray, int, float]:
    """Resize so glyphs are about ``target`` pixels high: large print is read as well and much
    faster when shrunk, small print better when enlarged. Returns image, dpi, scale (1.0 = as is).

    Within 25 % of the target, or with no measurable text, the page is left alone.
    """
    measured = text_height(gray) if target else 0.0
    if not measured:
        return gray, dpi, 1.0
    scale = min(MAX_TEXT_SCALE, max(MIN_TEXT_SCALE, target / measured))
    if 0.8 <= scale <= 1.25:
        return gray, dpi, 1.0
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    resized = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=interpolation)
    return resized, max(1, round(dpi * scale)), scale


def preprocess(image: np.ndarray, dpi: int) -> tuple[np.ndarray, PreprocessReport]:
    """Grayscale, then each step only when measured: flatten a photographed page's outline,
    flatten uneven light, stretch faint print, despeckle, turn a sideways page, sharpen blurred
    print, deskew.

    Returns the page tesseract should read; its pixel frame is the one field boxes refer to.
    """
    report = PreprocessReport()
    gray = to_grayscale(image)
    # A photographed page is flattened first: its rows lean by different amounts across the
    # page, which no rotation undoes, and the ground around it is no shadow to flatten.
    corners = page_corners(gray)
    if corners is not None:
        gray = flattened(gray, corners)
        report.steps.append("flatten outline")
    background = estimate_background(gray)
    report.light_spread = light_spread(background)
    report.contrast = print_contrast(gray, background)
    report.blur = focus_blur(gray, dpi)
    faint = is_faint(report.contrast)
    paper, contrast = paper_level(background), report.contrast
    # Faint print is stretched from white, so the paper must be white first, evenly lit or not.
    if report.light_spread > UNEVEN_LIGHT_THRESHOLD or faint:
        gray = flatten_illumination(gray, background)
        paper = 255.0
        report.steps.append("flatten")
    stretched = stretched_print(gray, dpi, contrast) if faint else None
    if stretched is not None:
        gray, contrast = stretched, STRETCHED_CONTRAST
        report.steps.append(f"stretch {report.contrast:.0f}")
    report.paper, report.ink = paper, ink_level(paper, contrast)
    specks, ink = _speck_mask(gray, dpi, report.ink)
    report.speckle = float(specks.sum()) / ink if ink else 0.0
    if report.speckle > SPECKLE_THRESHOLD:
        gray = _painted_out(gray, specks)
        report.steps.append("despeckle")
    # The small ink serves both the sideways check and deskew while the page stays as it is.
    ink = small_ink(gray)
    if ink_sideways(ink):
        # Turn first so deskew measures text lines; OCR's orientation check fixes 180 after.
        gray, ink = rotate_quarter(gray, 90), None
        report.steps.append("turn 90")
    if is_blurred(report.blur):
        gray, ink = sharpen(gray, dpi), None
        report.steps.append(f"sharpen {report.blur:.2f}")
    report.skew_degrees = ink_skew(small_ink(gray) if ink is None else ink)
    if abs(report.skew_degrees) >= MIN_DESKEW_DEGREES:
        gray = rotate(gray, report.skew_degrees)
        report.steps.append(f"deskew {report.skew_degrees:+.1f}")
    return gray, report
