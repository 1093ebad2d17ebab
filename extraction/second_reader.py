"""The second reader: PaddleOCR's PP-OCR text recognizer (through RapidOCR) on a value's crop.

Tesseract reads handwriting badly. The second reader is a neural text-line recognizer whose
model ships inside the ``rapidocr`` wheel (PP-OCRv6 small, as ONNX, Apache-2.0), run on the CPU
by onnxruntime: nothing is downloaded at run time (RapidOCR fetches only models it does not ship,
and only its shipped default is asked for). This module is the one place that calls the library;
the model is loaded once per process, on first use.
"""

from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from extraction.errors import MissingDependencyError, ToolFailedError
from extraction.word_decoding import Expected, decode, likeliest_answer, likeliest_shape

PROGRAM = "rapidocr"
# The recognizer model the rapidocr wheel ships (PP-OCRv6 small, ONNX).
MODEL = "PP-OCRv6_rec_small.onnx"
# The recognizer's input is 48 pixels high: crops are padded to at least this many pixels.
MIN_CROP_SIDE = 8
# The call is bounded by its input: a crop wider than this many times its height (after trimming)
# is no single value line, and is not read (the recognizer's time grows with the width).
MAX_WIDTH_RATIO = 60
# A crop whose darkest and lightest pixels differ less than this holds no writing.
MIN_CONTRAST = 60

NOTHING = Expected()
# RapidOCR's settings for reading one line: its default recognizer (the one its wheel ships),
# nothing else loaded, quiet.
_RECOGNIZER_ONLY = {
    "Global.use_det": False,
    "Global.use_cls": False,
    "Global.log_level": "error",
    "EngineConfig.onnxruntime.intra_op_num_threads": 1,
    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
}

_engine: Any = None
_engine_lock = threading.Lock()


@dataclass(frozen=True)
class Reading:
    """What the second reader read in a crop, with its mean character confidence (0-1)."""

    text: str
    confidence: float


def _load() -> tuple[Any, np.ndarray]:
    """The recognizer, built once per process, and its mask of the symbols that may be read."""
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                from rapidocr import RapidOCR
            except ImportError as exc:
                raise MissingDependencyError(PROGRAM, str(exc)) from exc
            # The recognizer alone (no detector, no orientation classifier), on one thread per
            # call: the engine already reads two pages at once on two cores. Its model is named
            # by path: given none, RapidOCR downloads a model it cannot find.
            engine = RapidOCR(params={**_RECOGNIZER_ONLY, "Rec.model_path": str(shipped_model())})
            # A first call on a blank line builds the recognizer (RapidOCR loads models lazily).
            engine(np.full((48, 96, 3), 255, np.uint8), use_det=False, use_cls=False, use_rec=True)
            recognizer = engine.text_rec
            alphabet = recognizer.postprocess_op.character
            allowed = np.array([i == 0 or 32 <= ord(c[0]) < 127 for i, c in enumerate(alphabet)], float)
            _engine = (recognizer, allowed)
        return _engine


def shipped_model() -> Path:
    """The recognizer's model file inside the installed ``rapidocr`` package; raises
    ``MissingDependencyError`` when it is not there (nothing is ever downloaded in its place)."""
    spec = importlib.util.find_spec("rapidocr")
    folder = Path(spec.origin).parent if spec is not None and spec.origin else None
    model = folder / "models" / MODEL if folder is not None else None
    if model is None or not model.is_file():
        raise MissingDependencyError(PROGRAM, f"its recognizer model {MODEL} is not installed")
    return model


def read_crop(crop: np.ndarray, symbols: str | None = None, expected: Expected = NOTHING) -> Reading | None:
    """Read one crop of a page (grey or colour pixels) as one line of text, or None if it holds none.

    With ``symbols``, only those characters may be read (digits for a number: the recognizer
    took a handwritten "0" for a "C" and "12" for an "N" when letters were allowed).
    With ``expected`` words of lexicons, a word in none of them is read as the likeliest word of
    them near it; with expected answers, the line is read as the likeliest answer; either only
    where the recognizer's own column probabilities support it (``extraction.word_decoding``).
    The reading keeps the recognizer's confidence in what it saw.
    The crop is read whole as one line by the recognizer alone (its detector, tried first, cut
    values into pieces and cost 1.7 s a crop). The recognizer's alphabet is Chinese and Latin:
    only printable ASCII may be read (a handwritten "3" came back as a Chinese character).
    A crop longer than MAX_WIDTH_RATIO heights is not read (None), so each call is bounded.
    Raises ``ToolFailedError`` when the library fails on the crop.
    """
    if crop.ndim not in (2, 3) or min(crop.shape[:2]) < MIN_CROP_SIDE:
        return None
    crop = trim_to_ink(crop)
    if crop is None or crop.shape[1] > MAX_WIDTH_RATIO * crop.shape[0]:
        return None
    recognizer, allowed = _load()
    colour = np.repeat(crop[:, :, None], 3, axis=2) if crop.ndim == 2 else crop[:, :, :3]
    try:
        _channels, height, width = recognizer.rec_image_shape
        ratio = max(width / height, colour.shape[1] / colour.shape[0])
        batch = recognizer.resize_norm_img(np.ascontiguousarray(colour), ratio)[np.newaxis].astype(np.float32)
        probabilities = recognizer.session(batch)[0]
    except Exception as exc:  # onnxruntime and the library raise exceptions of many kinds
        raise ToolFailedError(PROGRAM, f"{type(exc).__name__}: {exc}") from exc
    alphabet = recognizer.postprocess_op.character
    if symbols is not None:
        allowed = allowed * _only(symbols, alphabet)
    probabilities = probabilities * allowed
    reading = _decode(probabilities, alphabet)
    if reading is None or expected == NOTHING:
        return reading
    rows = probabilities / np.maximum(probabilities.sum(axis=1, keepdims=True), 1e-12)
    if expected.answers:
        text = likeliest_answer(rows, alphabet, expected.answers)
    else:
        text = (expected.shapes and likeliest_shape(rows, alphabet, expected.shapes)) or decode(
            rows, alphabet, expected
        )
    return reading if text is None else Reading(text, reading.confidence)


def _only(symbols: str, alphabet: list[str]) -> np.ndarray:
    """The mask of the recognizer's alphabet keeping the blank (index 0), a space and ``symbols``."""
    keep = set(symbols) | {" "}
    return np.array([i == 0 or c in keep for i, c in enumerate(alphabet)], float)


def trim_to_ink(crop: np.ndarray) -> np.ndarray | None:
    """The crop cut to the box of its ink plus a margin of a fifth of the ink's height, or None
    for bare paper. The recognizer scales a line to 48 pixels high: paper above and below the
    writing would shrink the letters (a drawn "Brian Novak" read "Brianevak" with it)."""
    grey = crop if crop.ndim == 2 else crop[:, :, :3].mean(axis=2)
    low, high = np.percentile(grey, (1, 99))
    if high - low < MIN_CONTRAST:
        return None
    ink = grey < (low + high) / 2
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    margin = max(2, (rows[-1] + 1 - rows[0]) // 5)
    y0, y1 = max(0, rows[0] - margin), min(grey.shape[0], rows[-1] + 1 + margin)
    x0, x1 = max(0, cols[0] - margin), min(grey.shape[1], cols[-1] + 1 + margin)
    return crop[y0:y1, x0:x1]


def _decode(probabilities: np.ndarray, alphabet: list[str]) -> Reading | None:
    """Greedy CTC decoding: the likeliest symbol per column, repeats merged, blanks (index 0) dropped;
    the confidence is the mean probability of the characters kept."""
    best = probabilities.argmax(axis=1)
    sure = probabilities.max(axis=1)
    chars: list[str] = []
    scores: list[float] = []
    previous = -1
    for column, index in enumerate(best):
        if index != previous and index != 0:
            chars.append(alphabet[index])
            scores.append(float(sure[column]))
        previous = index
    text = " ".join("".join(chars).split())
    if not text:
        return None
    return Reading(text, float(np.mean(scores)))
