"""Faint print: pages whose print is light (worn toner, a washed-out photo) are measured and read.

The pages are drawn, then lightened by a plain linear map towards white with a little noise:
``255 - (255 - g) * strength``. Strength 1.0 is the page as drawn.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from extraction import tesseract
from extraction.options import Options
from extraction.preprocess import (
    STRETCH_BELOW,
    estimate_background,
    preprocess,
    print_contrast,
    scale_to_text_height,
    text_height,
)
from extraction.structure import find_structure
from tests.drawn_pages import DrawnPage
from tests.test_engine_stages import WORDS, text_page


def lightened(gray: np.ndarray, strength: float, noise: float = 3.0, seed: int = 0) -> np.ndarray:
    """``gray`` with its print brought towards white paper: at ``strength`` of its depth, plus noise."""
    rng = np.random.default_rng(seed)
    faded = 255 - (255 - gray.astype(np.float32)) * strength + rng.normal(0, noise, gray.shape)
    return np.clip(faded, 0, 255).astype(np.uint8)


@pytest.mark.parametrize("strength", [0.45, 0.3, 0.2])
def test_light_print_is_stretched_to_dark_print_on_white_paper(strength: float) -> None:
    faint = lightened(text_page(), strength)
    assert print_contrast(faint, estimate_background(faint)) < STRETCH_BELOW
    result, report = preprocess(faint, 200)
    assert any(step.startswith("stretch") for step in report.steps)
    assert report.contrast == pytest.approx(255 * strength, abs=20)
    assert print_contrast(result, 255) > 200  # print as dark as a clean page's
    assert np.median(result) >= 250  # and the paper white


@pytest.mark.parametrize("strength", [1.0, 0.7])
def test_ordinary_print_is_not_stretched_and_left_as_it_is(strength: float) -> None:
    page = lightened(text_page(), strength, noise=0.0)
    result, report = preprocess(page, 200)
    assert report.steps == []
    assert report.contrast >= STRETCH_BELOW
    assert result is page


def grey_over_dusty_black(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``gray`` with the print of its top half lightened to a grainy grey (grey labels) and 6000
    specks of dust on its bottom half (black values): the page, and the dust's rows and columns."""
    half = gray.shape[0] // 2
    mixed = gray.copy()
    mixed[:half] = lightened(gray[:half], 0.4, noise=10.0)
    rng = np.random.default_rng(2)
    ys, xs = rng.integers(half, mixed.shape[0], 6000), rng.integers(0, mixed.shape[1], 6000)
    mixed[ys, xs] = 0
    return mixed, ys, xs


def grainy(gray: np.ndarray, strength: float, sigma: float, grain_px: int, seed: int = 0) -> np.ndarray:
    """``gray`` lightened to ``strength`` on paper with blotchy grain (dust, a dim photo's sensor
    noise): normal noise of ``sigma`` levels in blots ``grain_px`` pixels wide."""
    rng = np.random.default_rng(seed)
    height, width = gray.shape
    blots = rng.normal(0, sigma, (height // grain_px + 1, width // grain_px + 1)).astype(np.float32)
    grain = cv2.resize(blots, (width, height), interpolation=cv2.INTER_NEAREST)
    return np.clip(255 - (255 - gray.astype(np.float32)) * strength + grain, 0, 255).astype(np.uint8)


def test_light_print_on_grainy_paper_is_not_stretched_into_grain_sized_letters() -> None:
    # Stretching this page darkens its grain as much as its print: the grain is then measured as
    # the page's glyphs (8 pixels high instead of 22) and the page read at twice its size.
    page = text_page()
    result, report = preprocess(grainy(page, 0.3, sigma=16, grain_px=4), 200)
    assert report.contrast < STRETCH_BELOW
    assert not any(step.startswith("stretch") for step in report.steps)
    assert text_height(result) >= 0.7 * text_height(page)


def test_light_print_on_mildly_grainy_paper_is_still_stretched() -> None:
    _, report = preprocess(grainy(text_page(), 0.3, sigma=8, grain_px=4), 200)
    assert any(step.startswith("stretch") for step in report.steps)


def grainy_back_page(seed: int = 4) -> np.ndarray:
    """Two lines of light print (a back page's signature line) on paper with grain in clumps
    6 pixels wide, each clump 13 to 40 levels under the paper: lighter than the print."""
    page = lightened(text_page(lines=2), 0.35, noise=2.0, seed=seed).astype(np.float32)
    rng = np.random.default_rng(seed)
    seeds = (rng.random(page.shape) < 0.001).astype(np.uint8)
    count, clumps = cv2.connectedComponents(cv2.dilate(seeds, np.ones((6, 6), np.uint8)))
    depths = np.concatenate(([0.0], rng.uniform(13, 40, count - 1)))
    return np.minimum(page, 255 - depths[clumps]).astype(np.uint8)


def test_grain_round_a_line_of_light_print_is_not_stretched_into_letters() -> None:
    # Stretched with the print, the clumps passed for glyphs 6 pixels high: the page was read
    # at twice its size and tesseract ran past its time limit on a near-blank page.
    page = grainy_back_page()
    result, report = preprocess(page, 200)
    assert report.contrast < STRETCH_BELOW
    assert not any(step.startswith("stretch") for step in report.steps)
    assert text_height(result) >= 0.7 * text_height(text_page(lines=2))


def test_paper_grain_without_print_is_not_stretched_into_letters() -> None:
    rng = np.random.default_rng(3)
    grain = np.clip(rng.normal(235, 4, (1100, 850)), 0, 255).astype(np.uint8)
    result, report = preprocess(grain, 200)
    assert not any(step.startswith("stretch") for step in report.steps)
    assert (result < 128).sum() == 0


def test_half_faded_letters_are_not_taken_for_specks() -> None:
    # Print at half strength is not faint enough to stretch; a fixed "ink < 128" saw only the
    # cores of its strokes, called them specks and painted them out of the letters.
    faint = lightened(text_page(), 0.5)
    result, report = preprocess(faint, 200)
    assert "despeckle" not in report.steps
    assert np.array_equal(result, faint)


def test_specks_on_half_faded_print_are_still_removed() -> None:
    faint = lightened(text_page(), 0.5)
    rng = np.random.default_rng(1)
    ys, xs = rng.integers(0, faint.shape[0], 8000), rng.integers(0, faint.shape[1], 8000)
    faint[ys, xs] = 130  # dust as dark as the faded print
    _, report = preprocess(faint, 200)
    assert "despeckle" in report.steps


def checkbox_form() -> DrawnPage:
    page = DrawnPage()
    page.text(80, 100, "Smoker")
    page.checkbox(260, 104, "tick")
    page.text(300, 100, "Yes")
    page.checkbox(400, 104, "empty")
    page.text(440, 100, "No")
    page.table(80, 300, [400, 600], [60, 60, 60])
    return page


def test_a_faint_form_s_ticked_box_and_table_are_found_once_its_print_is_stretched() -> None:
    page = checkbox_form()
    faint = lightened(page.array(), 0.2)
    # As it is, paper and print are too close for the structure's ink at all.
    assert find_structure(faint, page.words).marks == ()
    stretched, _ = preprocess(faint, 200)
    structure = find_structure(stretched, page.words)
    assert [m.selected for m in structure.marks] == [True, False]
    assert len(structure.cells) == 6


def test_faint_print_tesseract_cannot_read_is_read_after_preprocessing(needs_ocr: None) -> None:
    # Little print on much paper: tesseract's own threshold then splits the paper's noise.
    page = np.ascontiguousarray(text_page(7, 200, lines=3)[:800])
    faint = lightened(page, 0.15, noise=4.0, seed=1)

    def words_read(image: np.ndarray, dpi: int) -> int:
        return sum(
            w.text in WORDS for w in tesseract.read_words(image, dpi=dpi, timeout=120, psm=Options().psm)
        )

    drawn = words_read(page, 200)
    assert drawn >= 20
    assert words_read(faint, 200) < drawn // 2
    stretched, _ = preprocess(faint, 200)
    scaled, dpi, _ = scale_to_text_height(stretched, 200, Options().text_height)
    assert words_read(scaled, dpi) >= 0.95 * drawn


def test_despeckling_leaves_letters_printed_in_light_grey_whole() -> None:
    # Grey labels beside black values: at the black print's ink level only the grey letters'
    # darkest cores are ink, small as dust; painting them out punched holes in the labels.
    page = text_page()
    half = page.shape[0] // 2
    mixed, ys, xs = grey_over_dusty_black(page)
    result, report = preprocess(mixed, 200)
    assert "despeckle" in report.steps
    painted = result[:half] != mixed[:half]
    assert painted.sum() <= 0.001 * (mixed[:half] < 200).sum()  # (231 pixels when they were painted)
    on_paper = page[ys, xs] > 200
    assert (result[ys, xs][on_paper] == 255).mean() > 0.9  # the dust is gone


def test_a_page_of_grey_dust_and_no_print_is_not_stretched() -> None:
    # Its "print" is dust: stretched, the page's ink would be nearly all specks, which kept
    # tesseract's sparse pass reading dot after dot for minutes.
    rng = np.random.default_rng(5)
    page = np.clip(rng.normal(245, 2, (1100, 850)), 0, 255).astype(np.uint8)
    ys, xs = rng.integers(0, 1100, 3000), rng.integers(0, 850, 3000)
    page[ys, xs] = 150
    _, report = preprocess(page, 200)
    assert STRETCH_BELOW > report.contrast > 0
    assert not any(step.startswith("stretch") for step in report.steps)
