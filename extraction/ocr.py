"""OCR one page: one tesseract pass, words grouped into lines; a turned page is turned back.

The usual page costs one tesseract call. Only when that pass reads little (few words, or low
confidence — what an upside-down or sideways page gives) does the engine ask tesseract's
orientation detection and read the page again, keeping whichever reading is better; only when
it leaves print unread (``extraction.unread_rows``) is the page read again in sparse mode.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np

from extraction import tesseract
from extraction.errors import ToolTimeoutError
from extraction.grain import paper_made_white, print_against_grain, without_band_grain
from extraction.layout import group_lines
from extraction.options import Options
from extraction.preprocess import GLYPH_CONTRAST, erase_long_rules, rotate_quarter
from extraction.specks import split_at_specks
from extraction.structure.ink import components
from extraction.structure.rings import without_rings
from extraction.types import Box, PageText, Word, centre_inside

# Below these the page probably is not upright (measured on rotated generated pages).
MIN_WORDS = 8
MIN_MEAN_CONFIDENCE = 0.70
MIN_OSD_CONFIDENCE = 1.5
MAX_SIDEWAYS_SHARE = 0.3
# Read upside down, at most 8 % of a generated page's longer words were this sure; upright, even
# a faint fax or scan kept 60 % or more. Above MIN_SURE_SHARE a page needs no orientation check.
SURE_CONFIDENCE = 0.9
MIN_SURE_SHARE = 0.3
# A cut between bands needs this many blank rows: the gap between two lines of print.
MIN_CUT_ROWS = 4
# White border put around a crop: tesseract misses print that touches the image edge.
CROP_MARGIN = 20
# A crop whose darkest and lightest pixels differ less than this holds no print to binarise.
MIN_CROP_CONTRAST = 60
# A blob of print at least this share of a text height across is a glyph (a letter or digit;
# a full stop is smaller, and so are the specks of a grainy scan).
GLYPH_SHARE = 0.4


def reading_quality(words: list[Word]) -> float:
    """A score to compare two readings of one page: confident words of 3+ letters count most."""
    return sum(w.confidence for w in words if sum(ch.isalnum() for ch in w.text) >= 3)


def sideways_share(words: list[Word]) -> float:
    """The share of words of 4+ characters whose box is taller than wide.

    Tesseract reads a page turned by 90 degrees as vertical lines, often confidently; the tall
    boxes give it away (measured: 40 of 41 words on a sideways generated page, 0 upright).
    """
    long_words = [w for w in words if len(w.text) >= 4]
    if not long_words:
        return 0.0
    return sum(w.height > (w.box[2] - w.box[0]) for w in long_words) / len(long_words)


def looks_upright(words: list[Word]) -> bool:
    """True when a reading looks like a page read the right way up: confident on the whole, or
    sure of many of its longer words (a faint upright scan), which a page upside down never is."""
    if len(words) < MIN_WORDS or sideways_share(words) > MAX_SIDEWAYS_SHARE:
        return False
    return (
        statistics.fmean(w.confidence for w in words) >= MIN_MEAN_CONFIDENCE
        or sure_share(words) >= MIN_SURE_SHARE
    )


def sure_share(words: list[Word]) -> float:
    """The share of words of 3+ letters or digits read with a confidence of SURE_CONFIDENCE."""
    long_words = [w for w in words if sum(ch.isalnum() for ch in w.text) >= 3]
    if not long_words:
        return 0.0
    return sum(w.confidence >= SURE_CONFIDENCE for w in long_words) / len(long_words)


def ocr_page(
    image: np.ndarray, index: int, dpi: int, options: Options, *, split: bool = False
) -> tuple[np.ndarray, PageText]:
    """Read a page; returns the image as finally read (maybe turned) and its text in that frame.

    ``split`` reads the top and bottom of the page at once (see ``read_in_bands``): for a
    document's only page, when the second core would otherwise idle.
    """
    words = read_in_bands(image, dpi, options) if split else _read_whole(image, dpi, options)
    if not looks_upright(words):
        image, words = _try_orientation(image, words, dpi, options)
    words = split_at_specks(words, image)
    height, width = image.shape[:2]
    return image, PageText(index=index, lines=tuple(group_lines(words)), width=width, height=height)


def _read_whole(image: np.ndarray, dpi: int, options: Options) -> list[Word]:
    return tesseract.read_words(
        without_band_grain(image), dpi=dpi, timeout=options.tesseract_timeout, psm=options.psm
    )


def blank_cut_row(image: np.ndarray) -> int | None:
    """The middle of the run of blank rows nearest the page's middle, within its middle third.

    A blank row (at most one dark pixel in 500) crosses no letter, so a page cut there reads
    as its two halves would. A page with no such row (tight or warped print) is not cut.
    """
    height, width = image.shape[:2]
    top, bottom = height // 3, 2 * height // 3
    ink = np.count_nonzero(image[top:bottom] < 128, axis=1)
    blank = np.concatenate(([False], ink <= max(1, width // 500), [False])).astype(np.int8)
    edges = np.flatnonzero(np.diff(blank))  # run starts and ends, alternating
    if edges.size == 0:
        return None
    starts, ends = edges[0::2], edges[1::2]
    centres = top + (starts + ends) // 2
    centres = centres[ends - starts >= MIN_CUT_ROWS]
    if centres.size == 0:
        return None
    return int(centres[np.argmin(np.abs(centres - height // 2))])


def read_in_bands(image: np.ndarray, dpi: int, options: Options) -> list[Word]:
    """The page's words read as a top and a bottom band, at once, in page coordinates.

    Measured on the photo sample: 0.47 s instead of 0.76 s. Tesseract's line numbers of the
    bottom band are moved past the top band's so lines never merge across the cut.
    """
    cut = blank_cut_row(image) if image.ndim == 2 else None
    if cut is None:
        return _read_whole(image, dpi, options)
    with ThreadPoolExecutor(max_workers=2) as pool:
        top, bottom = pool.map(lambda band: _read_whole(band, dpi, options), (image[:cut], image[cut:]))
    first_free = 1 + max((w.line for w in top), default=-1)
    moved = [
        Word(w.text, w.confidence, (w.box[0], w.box[1] + cut, w.box[2], w.box[3] + cut), w.line + first_free)
        for w in bottom
    ]
    return top + moved


def _try_orientation(
    image: np.ndarray, words: list[Word], dpi: int, options: Options
) -> tuple[np.ndarray, list[Word]]:
    """Turn the page as tesseract's orientation detection says; if it cannot tell, try both
    quarter turns when the words stand sideways, else the half turn (a sparse page scanned
    upside down, a few lines of print, leaves the detection guessing). Keep whichever reading
    is best."""
    verdict = tesseract.detect_orientation(image, dpi=dpi, timeout=options.tesseract_timeout)
    if verdict.rotate != 0 and verdict.confidence >= MIN_OSD_CONFIDENCE:
        turns = [verdict.rotate]
    elif sideways_share(words) > MAX_SIDEWAYS_SHARE:
        turns = [90, 270]
    else:
        turns = [180]
    best_image, best_words = image, words
    for turn in turns:
        turned = rotate_quarter(image, turn)
        turned_words = tesseract.read_words(
            turned, dpi=dpi, timeout=options.tesseract_timeout, psm=options.psm
        )
        if _better(turned_words, best_words):
            best_image, best_words = turned, turned_words
    return best_image, best_words


def _better(candidate: list[Word], current: list[Word]) -> bool:
    """Upright beats sideways; otherwise more confident text wins."""
    candidate_key = (looks_upright(candidate), reading_quality(candidate))
    return candidate_key > (looks_upright(current), reading_quality(current))


def read_region(
    image: np.ndarray,
    region: tuple[int, int, int, int],
    dpi: int,
    options: Options,
    mode: str = "line",
    *,
    ruled: bool = True,
) -> list[Word]:
    """Read one box of a page again on its own; boxes come back in page pixels.

    The crop loses any ring drawn round an answer and its long horizontal rules (a value written
    on an underline), and gets a white margin: tesseract reads an isolated number far better that
    way than inside a whole page.
    ``mode`` "line" reads one line, "digits" one line of digits only: each twice, binarised at
    1x and grey enlarged 2x, keeping the surer reading, because neither always wins (binarised
    1x alone read a scanned "71" that 2x read as "2", grey 2x a blurred "134" that 1x read as
    "34"). "block" reads a whole area as sparse text, binarised and enlarged 2x (small print in
    a corner that the page pass did not see at all). "option" (a ticked box's option, a grid's
    column header) is read as a "line" here; the pipeline's reader asks the second reader first.
    ``ruled`` False says ``image`` has had its rules taken out already (``without_rules``): the
    crop's long flat runs of ink are then the letters of a blurred bold word run together, and
    are left alone.
    """
    if mode not in ("line", "digits", "block", "option"):
        raise ValueError(f"unknown region reading mode {mode!r}")
    mode = "line" if mode == "option" else mode  # tesseract reads an option as any line
    height, width = image.shape[:2]
    x0, y0, x1, y1 = max(0, region[0]), max(0, region[1]), min(width, region[2]), min(height, region[3])
    if x1 - x0 < 4 or y1 - y0 < 4:
        return []
    # A loop circling the answer ("(No)") is read as letters of it: painted out, as on the page.
    crop = without_rings(image[y0:y1, x0:x1], options.text_height)
    crop = erase_long_rules(crop) if ruled else crop
    if mode == "block" and not holds_print(crop, options.text_height):
        return []
    ways = [(2, True)] if mode == "block" else [(1, True), (2, False)]
    # The two readings at once when the engine may use two threads: the page pass is over.
    with ThreadPoolExecutor(max_workers=min(len(ways), options.page_workers)) as pool:
        readings = list(pool.map(lambda way: _read_crop(crop, *way, dpi, options, mode), ways))
    words = max(readings, key=_mean_confidence)
    return [_to_page_frame(w, CROP_MARGIN, scale, x0, y0) for w, scale in words]


def holds_print(crop: np.ndarray, text_height: int) -> bool:
    """True when some blob of ink in the crop, as dark under its paper as print is, is at least
    GLYPH_SHARE of a text height tall or wide. Read as sparse text, bare paper with grain in it
    comes back as hundreds of one-letter words, slowly (800 words and 9 s on a scanned form's
    empty corner)."""
    if crop.size == 0:
        return False
    ink = (crop < float(np.median(crop)) - GLYPH_CONTRAST).astype(np.uint8)
    _, _, stats, _ = components(ink)
    size = np.maximum(stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT])
    return bool((size >= GLYPH_SHARE * text_height).any())


def _read_crop(
    crop: np.ndarray, scale: int, binarize: bool, dpi: int, options: Options, mode: str
) -> list[tuple[Word, int]]:
    """One reading of a crop, each word paired with the scale its box is in."""
    if scale > 1:
        crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    if binarize:
        crop = _binarize_crop(crop)
    margin = CROP_MARGIN
    crop = cv2.copyMakeBorder(crop, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
    words = tesseract.read_words(
        crop,
        dpi=dpi * scale,
        timeout=options.tesseract_timeout,
        psm=11 if mode == "block" else 7,
        whitelist="0123456789" if mode == "digits" else None,
    )
    return [(w, scale) for w in split_at_specks(words, crop)]


def _mean_confidence(reading: list[tuple[Word, int]]) -> float:
    """How sure a reading is; one that read nothing loses to any other."""
    return statistics.fmean(w.confidence for w, _ in reading) if reading else -1.0


def _binarize_crop(crop: np.ndarray) -> np.ndarray:
    """The crop in black and white by its own Otsu threshold, when it holds ink at all.

    Tesseract's own thresholding misreads small crops of grey, JPEG-marked print: a clean "119"
    came back as "ate" (0.47) and, digits only, as nothing; the same crop binarised first reads
    "119" at 0.96. A crop of bare paper is left grey, so its texture never turns into glyphs.
    """
    low, high = np.percentile(crop, (1, 99))
    if high - low < MIN_CROP_CONTRAST:
        return crop
    return cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1]


def _to_page_frame(word: Word, margin: int, scale: int, x0: int, y0: int) -> Word:
    bx0, by0, bx1, by1 = word.box
    box = (
        x0 + (bx0 - margin) // scale,
        y0 + (by0 - margin) // scale,
        x0 + (bx1 - margin) // scale,
        y0 + (by1 - margin) // scale,
    )
    return Word(word.text, word.confidence, box, word.line)


def sparse_words(image: np.ndarray, dpi: int, options: Options) -> list[Word]:
    """The page read in sparse-text mode (psm 11), its paper made white first and deep grain
    parted from the print (``print_against_grain``); none when the reading ran out of time or
    the page is grain still (a second look only: the first pass's reading stands)."""
    white = print_against_grain(paper_made_white(image))
    if white is None:
        return []
    try:
        read = tesseract.read_words(white, dpi=dpi, timeout=options.tesseract_timeout, psm=11)
    except ToolTimeoutError:
        return []
    return split_at_specks(read, white)


def add_sparse_reading(
    image: np.ndarray,
    page: PageText,
    dpi: int,
    options: Options,
    within: Sequence[Box] | None = None,
    read: Sequence[Word] | None = None,
) -> PageText:
    """The page's text merged with a sparse-text pass (psm 11), or with only its words whose
    middle is in one of the boxes ``within``, added where no word stands (print left unread).
    ``read`` is the page's sparse reading when already made (``sparse_words``).

    Automatic page segmentation sometimes drops a short, isolated line ("Home phone") or misreads
    it ("Height:" as "Retain"); sparse mode looks at every piece of text on its own. A word the
    first pass missed is added; a word both passes read at the same spot is kept from the more
    confident pass (by a margin), so a sure first reading is never overwritten.
    """
    known = [w for line in page.lines for w in line.words]
    extra = list(read) if read is not None else sparse_words(image, dpi, options)
    if within is not None:
        extra = [w for w in extra if any(centre_inside(w.box, box) for box in within)]
    offset = 1 + max((w.line for w in known), default=0)
    replaced: set[Word] = set()
    added: list[Word] = []
    # Merged whole, a sparse word over words read is weighed against them below; taken only
    # into rows left unread, it is new only where no word read stands at all.
    stands_on = _same_spot if within is not None else _covers
    for word in extra:
        overlapped = [k for k in known if stands_on(word, k)]
        if not overlapped:
            added.append(Word(word.text, word.confidence, word.box, word.line + offset))
        elif within is None and len(overlapped) == 1 and word.confidence > overlapped[0].confidence + 0.1:
            old = overlapped[0]
            if _overlap_share(old, word) > 0.6:
                replaced.add(old)
                added.append(Word(word.text, word.confidence, word.box, old.line))
    if not added:
        return page
    merged = [w for w in known if w not in replaced] + added
    return PageText(page.index, tuple(group_lines(merged)), page.width, page.height)


def read_already(word: Word, known: Sequence[Word]) -> bool:
    """True when a word of ``known`` stands where ``word`` does (``_same_spot``)."""
    return any(_same_spot(word, k) for k in known)


def _same_spot(word: Word, other: Word) -> bool:
    """True when ``other`` covers a good part of ``word``'s box (``_covers``), or ``word``'s
    box holds most of ``other``'s: a box tesseract drew round a word's last letters only is
    that word."""
    return _covers(word, other) or _overlap_share(other, word) > 0.6


def _covers(word: Word, other: Word) -> bool:
    """True when ``other`` covers more than 0.3 of ``word``'s box."""
    return _overlap_share(word, other) > 0.3


def _overlap_share(word: Word, other: Word) -> float:
    """The share of ``word``'s box that ``other``'s box covers."""
    x0, y0, x1, y1 = word.box
    ox0, oy0, ox1, oy1 = other.box
    overlap = max(0, min(x1, ox1) - max(x0, ox0)) * max(0, min(y1, oy1) - max(y0, oy0))
    return overlap / max(1, (x1 - x0) * (y1 - y0))
