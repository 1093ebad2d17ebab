"""A lone page read as two bands at once: where it is cut, and that the cut changes nothing read."""

from __future__ import annotations

import numpy as np
import pytest

from extraction import Options, tesseract
from extraction.ocr import _binarize_crop, blank_cut_row, read_in_bands, read_region
from extraction.preprocess import scale_to_text_height
from extraction.types import Word
from tests.test_engine_stages import text_page


def test_the_cut_is_a_blank_row_near_the_middle() -> None:
    page = text_page(lines=25)
    cut = blank_cut_row(page)
    assert cut is not None
    height = page.shape[0]
    assert height / 3 <= cut <= 2 * height / 3
    assert abs(cut - height / 2) < 0.1 * height  # the nearest gap between lines, not any gap
    assert np.count_nonzero(page[cut] < 128) <= 1  # crosses no letter


def test_a_page_without_a_blank_row_in_its_middle_is_not_cut() -> None:
    page = np.full((900, 600), 255, np.uint8)
    page[250:650, 100:500] = 0  # one block of ink across the whole middle third
    assert blank_cut_row(page) is None


def test_a_lone_dark_speck_does_not_stop_a_cut() -> None:
    page = text_page(lines=25).copy()
    cut = blank_cut_row(page)
    assert cut is not None
    page[cut, 10] = 0  # one pixel of dust on the chosen row
    assert blank_cut_row(page) is not None


@pytest.mark.ocr
def test_bands_read_the_same_words_in_page_coordinates_as_the_whole_page() -> None:
    options = Options()
    page, dpi, _ = scale_to_text_height(text_page(size_pt=12, lines=30), 200, options.text_height)
    whole = tesseract.read_words(page, dpi=dpi, timeout=options.tesseract_timeout, psm=options.psm)
    banded = read_in_bands(page, dpi, options)
    whole_words = [(w.text, w.box) for w in whole]
    banded_words = [(w.text, w.box) for w in banded]
    assert len(whole_words) > 100
    assert abs(len(banded_words) - len(whole_words)) <= 0.02 * len(whole_words)
    matched = sum(
        any(
            text == t and max(abs(a - b) for a, b in zip(box, b_box, strict=True)) <= 3
            for t, b_box in banded_words
        )
        for text, box in whole_words
    )
    assert matched >= 0.98 * len(whole_words)
    # Lines of the two bands never share a line number, so no line spans the cut.
    cut = blank_cut_row(page)
    top_lines = {w.line for w in banded if w.box[3] <= cut}
    bottom_lines = {w.line for w in banded if w.box[1] >= cut}
    assert top_lines and bottom_lines and not top_lines & bottom_lines


def test_a_region_crop_with_print_is_binarised_and_bare_paper_left_grey() -> None:
    paper = np.full((40, 120), 248, np.uint8)
    paper[::7, ::11] = 236  # texture, far below print's contrast
    assert np.array_equal(_binarize_crop(paper), paper)
    printed = paper.copy()
    printed[10:30, 20:26] = 40  # a stroke of grey, JPEG-softened print
    printed[10:30, 26:28] = 140
    binary = _binarize_crop(printed)
    assert set(np.unique(binary)) == {0, 255}
    assert binary[20, 22] == 0 and binary[5, 5] == 255


def test_a_region_is_read_binarised_at_1x_and_grey_at_2x_and_the_surer_reading_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Neither way always wins: binarised 1x read a scanned "71" that grey 2x read as "2", and
    # grey 2x a blurred "134" that binarised 1x read as "34".
    image = np.full((200, 400), 250, np.uint8)
    for x in (100, 120, 140):  # three glyph-like strokes, not a rule (rules are erased first)
        image[80:110, x : x + 6] = 30
    calls: list[tuple[tuple[int, ...], bool]] = []

    def fake_read(crop: np.ndarray, **kwargs: object) -> list[Word]:
        binary = set(np.unique(crop)) <= {0, 255}
        calls.append((crop.shape, binary))
        text, confidence = ("34", 0.79) if binary else ("134", 0.95)
        return [Word(text, confidence, (20, 20, 60, 50), 0)]

    monkeypatch.setattr(tesseract, "read_words", fake_read)
    words = read_region(image, (90, 70, 200, 120), 250, Options(), "digits")
    assert [w.text for w in words] == ["134"]
    # The two readings run side by side and may finish in either order.
    shapes = {binary: shape for shape, binary in calls}
    assert len(calls) == 2 and set(shapes) == {True, False}
    assert shapes[False][0] > shapes[True][0]  # the grey reading is of the crop enlarged
    # Boxes come back in page pixels whichever reading won: (20 - margin) / 2 + 90 = 90.
    assert words[0].box[0] == 90


def test_a_block_of_bare_grainy_paper_is_not_read_and_one_with_print_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A scanner's grain: dark dots a few pixels wide on paper, nothing a text height tall.
    rng = np.random.default_rng(5)
    paper = np.full((400, 1200), 250, np.uint8)
    ys, xs = rng.integers(0, 398, 600), rng.integers(0, 1198, 600)
    for y, x in zip(ys, xs, strict=True):
        paper[y : y + 2, x : x + 2] = 120
    calls: list[tuple[int, ...]] = []

    def counted_read(image: np.ndarray, **kwargs: object) -> list[Word]:
        calls.append(image.shape)
        return []

    monkeypatch.setattr(tesseract, "read_words", counted_read)
    assert read_region(paper, (0, 0, 1200, 400), 250, Options(), "block") == []
    assert calls == []
    # The same grain around a line of print is read.
    with_print = paper.copy()
    with_print[100:300] = text_page(lines=2)[160:360, :1200]
    read_region(with_print, (0, 0, 1200, 400), 250, Options(), "block")
    assert len(calls) == 1
