"""Engine options: one validated object, defaults in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip().isdigit() else default


@dataclass(frozen=True)
class Options:
    """How the engine reads documents.

    ``dpi`` is the resolution PDFs are rendered at and the one tesseract is told; images keep
    their own pixels. Limits guard memory and time against hostile or accidental huge inputs.
    """

    dpi: int = 250
    binarize: str = "tesseract"
    """"tesseract" leaves binarisation to tesseract's own Otsu; "adaptive" applies the old mean
    adaptive threshold (block 61, C 20) first. Kept to compare: on 24 generated documents and
    the 2 samples it cut fields exact from 96.4 % to 84.9 % (benchmarks/accuracy.py)."""
    text_height: int = 24
    """Pages are scaled so their glyphs are about this many pixels high before OCR (0 = never)."""
    psm: int = 3
    """Tesseract page segmentation mode for the page pass (3 = automatic, 11 = sparse text)."""
    page_workers: int = 2
    """How many tesseract readings of one document run at once: its pages, a lone page's two
    bands, a spot's two readings. A worker whose sibling processes already keep every core busy
    reads with 1; a second thread would only contend for a core."""
    split_lone_page: bool = True
    """A one-page document is read as two bands (cut at a blank row) on two cores at once:
    the second core is otherwise idle while a lone page is read. False, or one page worker,
    reads it whole."""
    erase_rules: bool = True
    """Long ruled lines (table and cell borders, underlines) are painted out before OCR, so a
    border beside a value is not read as "[", "|" or "1"; structure is still found on the page
    as printed. False reads the page with its rules."""
    second_reader: bool = True
    """Values tesseract read with low confidence (handwriting above all) are read again from
    their crop by a second recognizer (extraction.second_look); False reads with tesseract only."""
    max_pages: int = _env_int("MEDEXTRACT_MAX_PAGES", 50)
    max_page_pixels: int = _env_int("MEDEXTRACT_MAX_PAGE_PIXELS", 60_000_000)
    tesseract_timeout: float = 60.0
    poppler_timeout: float = 60.0
    review_confidence: float = 0.80
    """A field whose OCR confidence is below this is flagged for review."""

    def __post_init__(self) -> None:
        if not 72 <= self.dpi <= 600:
            raise ValueError(f"dpi must be between 72 and 600, got {self.dpi}")
        if self.binarize not in ("tesseract", "adaptive"):
            raise ValueError(f"binarize must be 'tesseract' or 'adaptive', got {self.binarize!r}")
        if self.page_workers < 1:
            raise ValueError(f"page_workers must be at least 1, got {self.page_workers}")
        if self.max_pages < 1 or self.max_page_pixels < 1:
            raise ValueError("page and pixel limits must be positive")


DEFAULT_OPTIONS = Options()
