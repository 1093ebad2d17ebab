"""The one place the engine calls tesseract.

Tesseract runs in this process through its C++ API (tesserocr, built against the system's
libtesseract, so it reads with the same engine and language data as the ``tesseract`` program).
Loading the English model costs about 0.15 s; the program paid it on every call, and a document
makes ten to twenty calls (the page, crops read again, a sparse pass). Here a loaded engine is
kept and reused: a small crop then costs a few milliseconds instead of 0.2 s.

Every reading runs with ``OMP_THREAD_LIMIT=1`` (Debian's libtesseract is built with OpenMP, whose
threads fight each other when pages run concurrently and make them 4-8x slower; the limit is read
when the library loads, so it is set before the import), an explicit resolution and a timeout,
and tesseract's failures become our typed errors.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np

from extraction.errors import MissingDependencyError, ToolFailedError, ToolTimeoutError
from extraction.types import Word

os.environ["OMP_THREAD_LIMIT"] = "1"

# Why these settings:
# - tessedit_do_invert=0: skip the inverted-text pass; our pages are dark text on light paper and
#   the pass costs time on every line.
# - preserve_interword_spaces: keeps columns apart in the rebuilt text.
# - debug_file: tesseract's own diagnostics ("Empty page!!", "Estimating resolution") go there
#   rather than to the process's stderr, where the program's used to be kept apart.
_SETTINGS = {"tessedit_do_invert": "0", "preserve_interword_spaces": "1", "debug_file": os.devnull}
# Leptonica's message severity L_SEVERITY_NONE: no message is printed.
LEPTONICA_SILENT = 6
_NO_LANGUAGE = "its English language data is missing: install tesseract-ocr-eng"
_NO_OSD = "its orientation data is missing: install tesseract-ocr-osd"


@cache
def _library() -> ModuleType:
    """tesserocr, or MissingDependencyError when it or the libtesseract it links to is absent."""
    try:
        import tesserocr
    except ImportError as exc:
        raise MissingDependencyError("tesseract", f"the tesserocr library cannot load: {exc}") from exc
    _quiet_leptonica()
    return tesserocr


def _quiet_leptonica() -> None:
    """Leptonica, the image library under tesseract, prints its internal complaints ("Error in
    boxClipToRectangle: box outside rectangle") on the process's stderr, between a program's
    own messages; they were the tesseract program's stderr before, and tell a user nothing."""
    for name in ("lept", "leptonica"):
        found = ctypes.util.find_library(name)
        if found:
            with contextlib.suppress(OSError, AttributeError):
                ctypes.CDLL(found).setMsgSeverity(LEPTONICA_SILENT)
            return


def missing_parts() -> list[str]:
    """What of tesseract the engine cannot use, for a readiness check: ["tesserocr"] when the
    library (or the libtesseract it links to) cannot load, else the language data missing of
    "eng" (reading) and "osd" (orientation); empty when everything is there."""
    try:
        library = _library()
    except MissingDependencyError:
        return ["tesserocr"]
    _, languages = library.get_languages()
    return [language for language in ("eng", "osd") if language not in languages]


def tesseract_version() -> str:
    """The libtesseract version the engine reads with, or MissingDependencyError when it is absent."""
    return str(_library().tesseract_version()).splitlines()[0]


class _Engines:
    """Loaded tesseract engines of one language, each used by one thread at a time and kept for
    the next call. A forked process starts with none: an engine is not safe to share with one."""

    def __init__(self, language: str, missing: str) -> None:
        self.language, self.missing = language, missing
        self._idle: list[Any] = []
        self._owner = os.getpid()
        self._lock = threading.Lock()

    @contextmanager
    def engine(self) -> Iterator[Any]:
        with self._lock:
            if self._owner != os.getpid():
                self._idle, self._owner = [], os.getpid()
            engine = self._idle.pop() if self._idle else None
        if engine is None:
            engine = self._load()
        try:
            yield engine
        finally:
            with self._lock:
                if self._owner == os.getpid():
                    self._idle.append(engine)

    def _load(self) -> Any:
        tesserocr = _library()
        try:
            engine = tesserocr.PyTessBaseAPI(lang=self.language, oem=tesserocr.OEM.LSTM_ONLY)
        except RuntimeError as exc:  # tesserocr's report of a failed Init: no such language data
            raise MissingDependencyError("tesseract", self.missing) from exc
        for name, value in _SETTINGS.items():
            engine.SetVariable(name, value)
        return engine


_TEXT = _Engines("eng", _NO_LANGUAGE)
_ORIENTATION = _Engines("osd", _NO_OSD)


def _set_image(engine: Any, image: np.ndarray, dpi: int) -> None:
    """Hand the pixels over as they are (8-bit grey or RGB), with the page's resolution."""
    if image.dtype != np.uint8 or image.ndim not in (2, 3):
        raise ToolFailedError("tesseract", f"cannot read an image of {image.dtype} {image.shape}")
    pixels = np.ascontiguousarray(image)
    height, width = pixels.shape[:2]
    depth = 1 if pixels.ndim == 2 else pixels.shape[2]
    engine.SetImageBytes(pixels.tobytes(), width, height, depth, width * depth)
    engine.SetVariable("user_defined_dpi", str(dpi))


def _recognize(engine: Any, timeout: float) -> None:
    """Recognise the image set, within ``timeout`` seconds (layout analysis, which cannot be
    interrupted, may run past it)."""
    started = time.monotonic()
    try:
        done = engine.Recognize(timeout=max(1, round(timeout * 1000)))
    except RuntimeError as exc:
        raise ToolFailedError("tesseract", str(exc)) from exc
    if not done:
        if time.monotonic() - started >= timeout:
            raise ToolTimeoutError("tesseract", timeout)
        raise ToolFailedError("tesseract", "it could not recognise this image")


def read_words(
    image: np.ndarray, *, dpi: int, timeout: float, psm: int = 3, whitelist: str | None = None
) -> list[Word]:
    """OCR one page image once and return its words with confidence (0..1) and box.

    Empty and whitespace-only detections are dropped; tesseract's -1 confidences (block or
    line rows, not words) never reach the caller. ``whitelist`` limits the characters read
    (digits for a number field), which stops a "0" from coming back as "O".
    """
    with _TEXT.engine() as engine:
        engine.SetPageSegMode(psm)
        # An engine is reused: a whitelist left from the last call would limit this one.
        engine.SetVariable("tessedit_char_whitelist", whitelist or "")
        _set_image(engine, image, dpi)
        _recognize(engine, timeout)
        report = engine.GetTSVText(0)
    return parse_tsv(report)


def parse_tsv(report: str) -> list[Word]:
    """Words from tesseract's TSV report (level, page, block, paragraph, line, word, left, top,
    width, height, confidence, text). Confidences are kept in whole percents, as tesseract's
    own word confidences give them; each (block, paragraph, line) becomes one line number. A
    word of underscores alone is dropped, and the underscores at a word's ends."""
    words: list[Word] = []
    line_numbers: dict[tuple[str, str, str], int] = {}
    for row in report.splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or not cells[0].isdigit():
            continue
        block, paragraph, line = cells[2:5]
        left, top, width, height = (int(cell) for cell in cells[6:10])
        confidence = float(cells[10])
        # Underscores at a word's ends are the fill-in line it was written on, read as print;
        # inside a word they are kept (an e-mail address).
        text = "\t".join(cells[11:]).strip().strip("_")
        if not text or confidence < 0:
            continue
        number = line_numbers.setdefault((block, paragraph, line), len(line_numbers))
        words.append(Word(text, int(confidence) / 100.0, (left, top, left + width, top + height), number))
    return words


@dataclass(frozen=True)
class Orientation:
    """Tesseract's orientation guess: rotate the page clockwise by ``rotate`` degrees."""

    rotate: int
    confidence: float


def detect_orientation(image: np.ndarray, *, dpi: int, timeout: float) -> Orientation:
    """Tesseract's OSD verdict for a page; a page with too little text gives rotate 0, confidence 0.

    ``timeout`` bounds nothing here: orientation detection looks at a sample of the page's
    characters and cannot be interrupted; it is taken for the signature's sake.
    """
    with _ORIENTATION.engine() as engine:
        engine.SetPageSegMode(_library().PSM.OSD_ONLY)
        _set_image(engine, image, dpi)
        verdict = engine.DetectOrientationScript()
    return orientation_of(verdict)


def orientation_of(verdict: dict[str, Any] | None) -> Orientation:
    """Our Orientation from tesserocr's verdict, which names the angle the text stands at
    (clockwise from upright: a page turned a quarter to the left stands at 270); turning the page
    clockwise by the rest of a full turn sets it upright, as the ``tesseract`` program's "Rotate"
    says. No verdict (too few characters) is "don't know"."""
    if not verdict:
        return Orientation(0, 0.0)
    return Orientation((360 - int(verdict["orient_deg"])) % 360, float(verdict["orient_conf"]))
