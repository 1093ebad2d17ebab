"""The sparse second pass over a page: a look for what page segmentation dropped, never a risk.

A page of faint grain and one line of print (a form's blank back page) kept tesseract's sparse
mode reading grain dots for minutes; the pass now reads the page with its paper made white, and a
pass that still runs out of time leaves the first reading as it was.
"""

from __future__ import annotations

import numpy as np
import pytest

from extraction import layout, tesseract
from extraction.errors import ToolTimeoutError
from extraction.grain import paper_made_white, print_against_grain, too_grainy, without_band_grain
from extraction.layout import group_lines
from extraction.ocr import add_sparse_reading, read_in_bands, sparse_words
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


def deep_grain(page: np.ndarray, seed: int = 6) -> np.ndarray:
    """``page`` on a heavy scan's paper: a grain dot on one pixel in four, 50 to 90 levels under
    the paper (far deeper than NOT_PAPER), so Otsu's level for the page falls inside the grain."""
    rng = np.random.default_rng(seed)
    dots = rng.random(page.shape) < 0.25
    grain = np.where(dots, 255 - rng.integers(50, 90, page.shape), 255)
    return np.minimum(page, grain).astype(np.uint8)


def test_deep_grain_is_parted_from_the_print_before_the_sparse_pass() -> None:
    """Binarised at Otsu's level the page is tens of thousands of specks, which sparse mode's
    layout analysis (no timeout interrupts it) read for eight minutes; the print against the
    grain keeps the print and leaves a few specks."""
    clean = text_page(lines=2)
    page = deep_grain(clean)
    assert too_grainy(page)
    parted = print_against_grain(paper_made_white(page))
    assert parted is not None and not too_grainy(parted)
    print_pixels = clean < 100
    assert np.array_equal(parted[print_pixels], page[print_pixels])
    assert (parted[clean == 255] == 255).mean() > 0.99


def test_a_page_of_print_is_left_as_it_is_for_the_sparse_pass() -> None:
    page = grainy_back_page()
    assert print_against_grain(page) is page


def test_a_page_grainy_still_gets_no_sparse_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """Grain as dark as the print cannot be parted from it: the second look is left out."""
    seen: list[np.ndarray] = []
    monkeypatch.setattr(tesseract, "read_words", lambda image, **kwargs: seen.append(image) or [])
    rng = np.random.default_rng(7)
    dark = np.where(rng.random((1000, 1000)) < 0.25, 0, 255).astype(np.uint8)
    assert sparse_words(dark, 200, DEFAULT_OPTIONS) == []
    assert seen == []
    assert sparse_words(grainy_back_page(), 200, DEFAULT_OPTIONS) == [] and len(seen) == 1


def test_joining_row_pieces_costs_the_square_of_the_lines_not_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sixty rows of a lone word far to the left and a value in two pieces: every value becomes
    one line, and no join starts the search over (a page of specks read as thousands of lines
    held it for minutes: each join tried every line that joins nothing once more)."""
    words = [
        Word(text, 0.9, (x0, 40 * row, x0 + 60, 40 * row + 20), 3 * row + piece)
        for row in range(60)
        for piece, (text, x0) in enumerate((("Tel", 0), ("Ann", 400), ("Smith", 470)))
    ]
    calls = 0
    continues = layout._continues

    def counted(*args: object) -> bool:
        nonlocal calls
        calls += 1
        return continues(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(layout, "_continues", counted)
    lines = group_lines(words)
    assert sorted({line.text for line in lines}) == ["Ann Smith", "Tel"] and len(lines) == 120
    assert calls <= 2 * len(words) ** 2
