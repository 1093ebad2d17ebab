"""The sparse second pass over a page: a look for what page segmentation dropped, never a risk.

A page of faint grain and one line of print (a form's blank back page) kept tesseract's sparse
mode reading grain dots for minutes; the pass now reads the page with its paper made white, and a
pass that still runs out of time leaves the first reading as it was.
"""

from __future__ import annotations

import numpy as np
import pytest

from extraction import tesseract
from extraction.errors import ToolTimeoutError
from extraction.grain import paper_made_white, without_band_grain
from extraction.layout import group_lines
from extraction.ocr import add_sparse_reading, read_in_bands
from extraction.options import DEFAULT_OPTIONS
from extraction.types import PageText, Word
from tests.test_engine_stages import text_page


def grainy_back_page() -> np.ndarray:
    """A page of a few lines of print on paper with grain down to 15 levels under it."""
    rng = np.random.default_rng(4)
    page = text_page(lines=2).astype(np.int16)
    grain = rng.integers(0, 16, page.shape)
    return np.clip(np.minimum(page, 250 - grain), 0, 255).astype(np.uint8)


def test_paper_made_white_clears_the_grain_and_keeps_the_print() -> None:
    page = grainy_back_page()
    white = paper_made_white(page)
    print_pixels = text_page(lines=2) < 128
    assert (white[page >= 235] == 255).all()  # the grain: paper down to 15 levels under it
    assert np.array_equal(white[print_pixels], page[print_pixels])  # the print untouched


def test_a_band_of_bare_grain_is_read_with_its_paper_made_white(monkeypatch: pytest.MonkeyPatch) -> None:
    """A faint page read in two bands: the bottom one, its last lines over bare grainy paper,
    would be binarised inside the grain; it goes to tesseract with its paper white. The top
    band, whose print sets its binarising level, goes as it is."""
    rng = np.random.default_rng(5)
    grain = np.clip(250 - rng.integers(0, 16, (1200, 1700)), 0, 255).astype(np.uint8)
    top = grainy_back_page()[:1000]
    page = np.vstack([top, grain])
    assert (without_band_grain(grain) == 255).all()
    assert without_band_grain(top) is top
    seen: list[np.ndarray] = []
    monkeypatch.setattr(tesseract, "read_words", lambda image, **kwargs: seen.append(image) or [])
    read_in_bands(page, 200, DEFAULT_OPTIONS)
    assert len(seen) == 2  # read at once: which comes first is not known
    assert sorted(bool((band[-1000:] == 255).all()) for band in seen) == [False, True]


def first_reading() -> PageText:
    word = Word("Signature", 0.9, (100, 100, 300, 130), 0)
    return PageText(0, tuple(group_lines([word])), 1700, 2200)


def test_a_sparse_pass_that_runs_out_of_time_leaves_the_first_reading(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def too_slow(*args: object, **kwargs: object) -> list[Word]:
        raise ToolTimeoutError("tesseract", 60)

    monkeypatch.setattr(tesseract, "read_words", too_slow)
    page = first_reading()
    assert add_sparse_reading(grainy_back_page(), page, 200, DEFAULT_OPTIONS) is page
