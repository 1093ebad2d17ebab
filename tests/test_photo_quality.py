"""Photo quality at upload (extraction.quality) on generated pages: pure, no OCR.

Clean, scanned and photographed pages pass; the same pages strongly blurred, darkened or cropped
through their print are named, each with a hint to retake the photo.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageFilter

from docgen import generate_set
from extraction import quality

PROFILES = ["clean", "scan", "noisy", "photo", "shadow_photo", "fax", "lowres", "heavy"]


@pytest.fixture(scope="module")
def pages() -> list[tuple[str, Image.Image, int]]:
    """(profile, first page, dpi) of the two familiar families under every profile above."""
    docs = generate_set(2 * len(PROFILES), seed=11, profiles=PROFILES, fonts="tuning", hand_rate=0)
    return [(d.profile, d.pages[0], d.dpi) for d in docs]


def codes(image: Image.Image) -> list[str]:
    return [p.code for p in quality.check_page(np.asarray(image.convert("L")))]


def through_print(image: Image.Image) -> tuple[int, int]:
    """The row and the column of the page's top and left halves that cross the most strokes
    (where print starts along them; a rule counts once): where a careless crop cuts letters."""
    ink = (np.asarray(image.convert("L")) < 128).astype(np.int8)
    rows = (np.diff(ink, axis=1) == 1).sum(axis=1)[: ink.shape[0] // 2]
    cols = (np.diff(ink, axis=0) == 1).sum(axis=0)[: ink.shape[1] // 2]
    return int(np.argmax(rows)), int(np.argmax(cols))


def test_clean_scanned_and_photographed_pages_pass(pages: list[tuple[str, Image.Image, int]]) -> None:
    named = {f"{profile}#{i}": codes(page) for i, (profile, page, _) in enumerate(pages)}
    assert all(not found for found in named.values()), named


def test_a_strongly_blurred_page_is_named_blurred(pages: list[tuple[str, Image.Image, int]]) -> None:
    for profile, page, dpi in pages:
        if profile in ("clean", "scan", "photo"):
            blurred = page.filter(ImageFilter.GaussianBlur(4 * dpi / 200))  # 1/50 inch of defocus
            assert codes(blurred) == ["blurred"], profile


def test_a_very_dark_page_is_named_dark(pages: list[tuple[str, Image.Image, int]]) -> None:
    for profile, page, _ in pages:
        if profile in ("clean", "scan", "photo"):
            dark = Image.eval(page.convert("L"), lambda v: int(v * 0.35))  # a third of the light
            assert codes(dark) == ["dark"], profile


def test_faint_print_is_named(pages: list[tuple[str, Image.Image, int]]) -> None:
    _, page, _ = pages[0]
    fogged = Image.eval(page.convert("L"), lambda v: int(210 + v * 0.15))
    assert codes(fogged) == ["low_contrast"]


def test_a_page_cropped_through_its_print_is_named_cut_off(pages: list[tuple[str, Image.Image, int]]) -> None:
    for profile, page, _ in pages:
        if profile in ("clean", "scan"):
            top, left = through_print(page)
            width, height = page.size
            assert codes(page.crop((left, 0, width, height))) == ["cut_off"], profile
    _, page, _ = pages[0]
    top, _ = through_print(page)
    [problem] = quality.check_page(np.asarray(page.convert("L").crop((0, top, *page.size))), page=2)
    assert problem.code == "cut_off" and problem.page == 2
    assert "top edge" in problem.message and "retake" in problem.message


def test_a_grainy_scanner_lid_along_an_edge_is_not_print_cut_off(
    pages: list[tuple[str, Image.Image, int]],
) -> None:
    _, page, _ = pages[0]
    gray = np.asarray(page.convert("L")).copy()
    band = gray.shape[0] // 40
    grain = np.random.default_rng(3).choice(np.array([40, 90, 230], np.uint8), (band, gray.shape[1]))
    gray[:band] = grain  # like the real scanned record's lid showing above a crooked page
    assert quality.check_page(gray) == []


def test_every_problem_tells_the_clerk_how_to_retake_the_photo() -> None:
    measures = quality.Measures(paper=60, contrast=20, blur=0.9, edges={"left": 0.5, "top": 0.0})
    found = quality.problems_of(measures, page=3)
    assert [p.code for p in found] == ["dark", "cut_off"]  # blur is not judged on a dark page
    assert all("retake" in p.message and p.page == 3 for p in found)
    blurred = quality.problems_of(quality.Measures(200, 150, 0.5, {}))
    assert [p.message for p in blurred] == [
        "The photo is blurred: hold the phone steady, let it focus and retake it."
    ]


def test_image_bytes_are_checked_per_page_and_pdfs_and_junk_are_not(
    pages: list[tuple[str, Image.Image, int]],
) -> None:
    _, page, dpi = pages[0]
    dark = Image.eval(page.convert("L"), lambda v: int(v * 0.35))
    tiff = io.BytesIO()
    page.convert("L").save(tiff, "TIFF", save_all=True, append_images=[dark], dpi=(dpi, dpi))
    assert [(p.page, p.code) for p in quality.check_image_bytes(tiff.getvalue())] == [(2, "dark")]
    jpeg = io.BytesIO()
    page.filter(ImageFilter.GaussianBlur(4 * dpi / 200)).convert("RGB").save(jpeg, "JPEG", quality=85)
    assert [p.code for p in quality.check_image_bytes(jpeg.getvalue())] == ["blurred"]
    assert quality.check_image_bytes(b"%PDF-1.4 whatever") == []
    assert quality.check_image_bytes(b"\x89PNG\r\n\x1a\nnot really") == []
    assert quality.check_page(np.zeros((8, 8), np.uint8)) == []
