"""The paper's grain painted white where tesseract's own threshold would read it as ink."""

from __future__ import annotations

import cv2
import numpy as np

from extraction import tesseract
from extraction.grain import grain_level, without_grain
from extraction.preprocess import FAINTEST_PRINT
from tests.test_engine_stages import WORDS, text_page

# A page as preprocessing measures a ruled form: white paper, black print (ink under 127).
PAPER, INK = 255.0, 127


def grainy(
    page: np.ndarray, share: float, seed: int = 0, depth: tuple[float, float] = (20, 60)
) -> np.ndarray:
    """``page`` with clumps of grain 3 pixels wide seeded on ``share`` of its pixels, each clump
    ``depth`` levels under the paper (20 to 60): far lighter than the print, as a noisy scan's
    paper is."""
    rng = np.random.default_rng(seed)
    seeds = (rng.random(page.shape) < share).astype(np.uint8)
    count, clumps = cv2.connectedComponents(cv2.dilate(seeds, np.ones((3, 3), np.uint8)))
    depths = np.concatenate(([0.0], rng.uniform(*depth, count - 1)))
    return np.minimum(page, 255 - depths[clumps]).astype(np.uint8)


def test_grain_round_a_lone_line_of_print_is_painted_white_and_the_print_kept() -> None:
    # Otsu's level for this page parts the paper from its grain (230): tesseract read it for
    # 30 s, ten "words" of which three were grain or letters broken by it.
    page = grainy(text_page(lines=1), share=0.01)
    level = grain_level(page, PAPER, INK)
    assert level is not None
    result = without_grain(page, PAPER, INK)
    kept = page <= level
    assert np.array_equal(result[kept], page[kept])
    assert (result[~kept] == 255).all()
    assert (result < 255).sum() < 0.2 * (page < 255).sum()


def test_a_page_of_print_on_the_same_grain_is_left_to_tesseract() -> None:
    page = grainy(text_page(lines=25), share=0.01)
    assert grain_level(page, PAPER, INK) is None
    assert without_grain(page, PAPER, INK) is page


def test_a_lone_line_on_clean_paper_is_left_as_it_is() -> None:
    page = grainy(text_page(lines=1), share=0.0005)
    assert grain_level(page, PAPER, INK) is None


def test_the_lone_line_is_read_whole_once_its_grain_is_gone(needs_ocr: None) -> None:
    page = without_grain(grainy(text_page(lines=1), share=0.01), PAPER, INK)
    words = tesseract.read_words(page, dpi=200, timeout=60, psm=3)
    assert [w.text for w in words if w.text not in WORDS] == []
    assert len(words) >= 8


def test_on_a_page_whose_grain_set_its_ink_level_paper_as_light_as_no_print_is_grain() -> None:
    """A shadowed back page with a line of print: so little print that preprocessing measured
    the grain's depth as the print's (ink level 232). Halfway from the paper to that level
    leaves most of the grain to tesseract (it read such a page for 18 s and found nothing);
    paper lighter than the faintest print is grain all the same, and the print stays. The grain
    of that page lay 12 to 26 levels under its paper."""
    page = grainy(text_page(lines=1), share=0.05, depth=(12, 30))
    assert grain_level(page, PAPER, 232) == PAPER - FAINTEST_PRINT
    result = without_grain(page, PAPER, 232)
    print_pixels = page < 128
    assert np.array_equal(result[print_pixels], page[print_pixels])
    assert (result < 255).sum() < 0.2 * (page < 255).sum()
