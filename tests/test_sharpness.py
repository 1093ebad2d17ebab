"""Blurred print: measured (``blur_effect``), and sharpened before OCR only when it is blurred.

The pages are drawn (a bold heading over a rule, then lines of body text) and blurred by a
Gaussian, as a phone focused off the page blurs them.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction.preprocess import preprocess
from extraction.sharpness import SHARPEN_BLUR, focus_blur, is_blurred, sharpen
from tests.test_engine_stages import text_page
from tests.test_low_contrast import grainy, grey_over_dusty_black, lightened

BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"


def form_page(size_pt: int = 9) -> np.ndarray:
    """A 200 dpi page of body text under a bold heading and its rule: print of two weights."""
    page = Image.fromarray(text_page(size_pt).copy())
    draw = ImageDraw.Draw(page)
    draw.text((200, 60), "PATIENT RECORD", font=ImageFont.truetype(BOLD, 48), fill=0)
    draw.rectangle((200, 130, 1500, 136), fill=0)
    return np.asarray(page)


def measured_blur(gray: np.ndarray, dpi: int = 200) -> float:
    return focus_blur(gray, dpi)


def blurred(gray: np.ndarray, sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(gray, (0, 0), sigma)


SHARP_PAGES = {
    "form, 9 pt": lambda: form_page(9),
    "form, 11 pt": lambda: form_page(11),
    "faint print with noise": lambda: lightened(text_page(7, 200, 3)[:800], 0.15, noise=4.0, seed=1),
    "grey and black print, dust": lambda: grey_over_dusty_black(text_page())[0],
    "light print on grainy paper": lambda: grainy(text_page(), 0.3, sigma=16, grain_px=4),
}


@pytest.mark.parametrize("name", SHARP_PAGES)
def test_sharp_print_measures_sharp_and_is_not_sharpened(name: str) -> None:
    # Noise, grain and grey print are no blur: sharpening them would make specks of them.
    page = SHARP_PAGES[name]()
    assert 0 < measured_blur(page) < SHARPEN_BLUR - 0.07
    _, report = preprocess(page, 200)
    assert not any(step.startswith("sharpen") for step in report.steps)


def test_blur_grows_with_the_blur_and_a_defocus_of_a_pixel_and_a_half_is_sharpened() -> None:
    page = form_page()
    blurs = [measured_blur(blurred(page, sigma)) for sigma in (0.5, 1.0, 1.5, 2.0, 2.5)]
    assert blurs == sorted(blurs)
    assert not is_blurred(blurs[1]) and is_blurred(blurs[2])


def test_blur_is_the_same_at_twice_the_resolution() -> None:
    page = blurred(form_page(), 2.0)
    twice = cv2.resize(page, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    assert measured_blur(twice, 400) == pytest.approx(measured_blur(page), abs=0.03)


def test_blurred_print_is_sharpened_before_ocr() -> None:
    page = blurred(form_page(), 2.0)
    result, report = preprocess(page, 200)
    assert report.blur >= SHARPEN_BLUR
    assert any(step.startswith("sharpen") for step in report.steps)
    assert not is_blurred(measured_blur(result))  # edges steep again: no second sharpening


def test_sharpening_steepens_an_edge_and_keeps_the_paper() -> None:
    edge = np.full((200, 400), 255, np.uint8)
    edge[:, 200:] = 40
    soft = blurred(edge, 2.5)
    sharp = sharpen(soft, 200)
    steepest = lambda gray: np.abs(np.diff(gray[100].astype(int))).max()  # noqa: E731
    assert steepest(sharp) > 1.5 * steepest(soft)
    assert (sharp[:, :150] == 255).all() and (sharp[:, 260:] == 40).all()  # paper and ink kept
    assert sharp.dtype == np.uint8 and sharp.shape == soft.shape
