"""Grey-shaded areas of a form (label cells, header rows, section bars) made paper before OCR
(``extraction.shading``): the print on them is read; print elsewhere is left as it was."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import ImageFont

from extraction import tesseract
from extraction.preprocess import preprocess
from extraction.shading import without_shading
from tests.drawn_pages import FONT_PATH, DrawnPage, noisy

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

LABELS = ["Health plan", "Member ID", "Expiry date", "Policy holder"]


def _shaded_form() -> np.ndarray:
    """A form whose labels stand in wide grey cells, its values on white beside them, scanned
    with grain and dark specks, then cleaned as the engine cleans a page."""
    page = DrawnPage(1400, 900)
    for row, label in enumerate(LABELS):
        top = 80 + row * 110
        page.draw.rectangle((60, top, 700, top + 90), fill=200)
        page.text(80, top + 25, label)
        page.text(760, top + 25, f"Value {row + 1}")
    page.draw.rectangle((60, 560, 1340, 640), fill=200)  # a section bar
    page.text(80, 580, "Insurance and billing")
    image = noisy(page.array(), 18)
    image[np.random.default_rng(1).random(image.shape) < 0.02] = 60
    return preprocess(image, 300)[0]


def _text(image: np.ndarray) -> str:
    return " ".join(w.text for w in tesseract.read_words(image, dpi=300, timeout=60))


def test_the_labels_in_grey_cells_are_read_once_the_shading_is_made_paper() -> None:
    # Read as it is, the page's one binarisation level falls between the paper and the grey:
    # the shading turns black with the labels on it.
    text = _text(without_shading(_shaded_form(), 32))
    assert sum(label in text for label in LABELS) >= 3


def test_a_page_without_shading_is_left_as_it_was_faint_print_and_all() -> None:
    page = DrawnPage(1400, 900)
    page.text(80, 100, "Printed label")
    page.draw.text((80, 200), "Faint grey print", font=page.font, fill=170)
    page.draw.text((80, 300), "BOLD HEADING", font=page.font, fill=120, stroke_width=2, stroke_fill=120)
    image = noisy(page.array(), 6)
    assert np.array_equal(without_shading(image, 32), image)


def test_small_grey_print_on_a_page_with_shading_is_left_as_it_was() -> None:
    # Small print blurred grey (a low-resolution page) is grey over areas as wide as a line,
    # but paper shows between its strokes: no shading, unlike the bar above it.
    page = DrawnPage(1400, 900)
    page.draw.rectangle((60, 60, 1340, 120), fill=210)
    page.text(80, 75, "Demographics")
    small = ImageFont.truetype(str(FONT_PATH), 16)
    for row in range(8):
        line = "Small print of an address line, Springfield, IL 62701"
        page.draw.text((80, 150 + row * 40), line, font=small, fill=160)
    image = noisy(cv2.GaussianBlur(page.array(), (5, 5), 0), 4)
    cleaned = without_shading(image, 24)
    assert np.array_equal(cleaned[140:], image[140:])
    assert (cleaned[60:120] == 255).mean() > 0.5  # the bar is made paper
