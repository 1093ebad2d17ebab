"""The one place the engine calls tesseract.

Every call runs with ``OMP_THREAD_LIMIT=1`` (Debian's tesseract is built with OpenMP, whose
threads fight each other when pages run concurrently and make them 4-8x slower), an explicit
``--dpi`` and a timeout, and turns tesseract's failures into our typed errors.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytesseract
from PIL import Image

from extraction.errors import MissingDependencyError, ToolFailedError, ToolTimeoutError
from extraction.types import Word

# Why these settings:
# - tessedit_do_invert=0: skip the inverted-text pass; our pages are dark text on light paper and
#   the pass costs time on every line.
# - preserve_interword_spaces: keeps columns apart in the rebuilt text.
_OCR_CONFIG = "--oem 1 --psm {psm} -c tessedit_do_invert=0 -c preserve_interword_spaces=1"

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@cache
def tesseract_version() -> str:
    """The installed tesseract's version, or MissingDependencyError when it is absent."""
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise MissingDependencyError("tesseract")
    return str(pytesseract.get_tesseract_version())


def _run(call, *args, timeout: float, **kwargs):  # type: ignore[no-untyped-def]
    """Run one pytesseract call, mapping its exceptions onto ours.

    A tesseract that dies without a word (killed by a signal, or an exit status and no message)
    is run once more before the document fails: seen once in about 1,400 benchmark pages, and the
    same page read fine on its own.
    """
    tesseract_version()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    try:
        try:
            return call(*args, timeout=timeout, **kwargs)
        except pytesseract.TesseractError as exc:
            if str(exc.message).strip():
                raise
            return call(*args, timeout=timeout, **kwargs)
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingDependencyError("tesseract") from exc
    except pytesseract.TesseractError as exc:  # a RuntimeError subclass: must come first
        if "failed loading language" in str(exc.message).lower():
            raise MissingDependencyError(
                "tesseract", "its English language data is missing: install tesseract-ocr-eng"
            ) from exc
        raise ToolFailedError("tesseract", str(exc.message).strip() or _exit_detail(exc.status)) from exc
    except RuntimeError as exc:  # pytesseract raises a bare RuntimeError on its own timeout
        if "timeout" in str(exc).lower():
            raise ToolTimeoutError("tesseract", timeout) from exc
        raise ToolFailedError("tesseract", str(exc)) from exc


def read_words(
    image: np.ndarray, *, dpi: int, timeout: float, psm: int = 3, whitelist: str | None = None
) -> list[Word]:
    """OCR one page image once and return its words with confidence (0..1) and box.

    Empty and whitespace-only detections are dropped; tesseract's -1 confidences (block or
    line rows, not words) never reach the caller. ``whitelist`` limits the characters read
    (digits for a number field), which stops a "0" from coming back as "O".
    """
    config = f"--dpi {dpi} " + _OCR_CONFIG.format(psm=psm)
    if whitelist:
        config += f" -c tessedit_char_whitelist={whitelist}"
    data = _run(
        pytesseract.image_to_data,
        _as_pnm(image),
        lang="eng",
        config=config,
        output_type=pytesseract.Output.DICT,
        timeout=timeout,
    )
    words: list[Word] = []
    line_numbers: dict[tuple[int, int, int], int] = {}
    columns = ("text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")
    for text, conf, left, top, width, height, *line_key in zip(*(data[c] for c in columns), strict=True):
        text = text.strip()
        confidence = float(conf)
        if not text or confidence < 0:
            continue
        line = line_numbers.setdefault(tuple(line_key), len(line_numbers))
        words.append(Word(text, confidence / 100.0, (left, top, left + width, top + height), line))
    return words


def _as_pnm(image: np.ndarray) -> Image.Image:
    """The image as pytesseract should hand it to tesseract: an uncompressed PGM/PPM file.

    pytesseract writes a PNG unless told the image's format, and zlib on a scanned page's
    noise takes far longer than writing it raw (0.8 s against 3 ms for a 2833x2219 scan); the
    pixels tesseract reads are the same either way.
    """
    picture = Image.fromarray(image)
    if picture.mode in ("1", "L", "RGB", "RGBA"):  # what PNM holds (pytesseract drops alpha)
        picture.format = "PPM"
    return picture


def _exit_detail(status: int) -> str:
    """What a silent failure's exit status says: a negative status is the signal that killed it."""
    if status < 0:
        return f"it stopped on signal {-status} without a message (twice)"
    return f"it exited with status {status} without a message (twice)"


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation guess: rotate the page clockwise by ``rotate`` degrees."""

    rotate: int
    confidence: float


_OSD_ROTATE = re.compile(r"Rotate:\s*(\d+)")
_OSD_CONFIDENCE = re.compile(r"Orientation confidence:\s*([\d.]+)")


def detect_orientation(image: np.ndarray, *, dpi: int, timeout: float) -> Orientation:
    """Tesseract's OSD verdict for a page; a page with too little text gives rotate 0, confidence 0."""
    try:
        report = _run(
            pytesseract.image_to_osd, _as_pnm(image), config=f"--dpi {dpi} --psm 0", timeout=timeout
        )
    except ToolFailedError:
        # OSD fails on pages with too few characters; that is an answer ("don't know"), not an error.
        return Orientation(0, 0.0)
    rotate = _OSD_ROTATE.search(report)
    confidence = _OSD_CONFIDENCE.search(report)
    if not rotate or not confidence:
        return Orientation(0, 0.0)
    return Orientation(int(rotate.group(1)) % 360, float(confidence.group(1)))
