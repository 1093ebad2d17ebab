"""draw_boxes and friends: boxes land where the engine said, in the style asked for."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from medextract import imaging


def page_png(size: tuple[int, int] = (600, 800), mode: str = "L") -> bytes:
    """A blank white page as the store returns it (the engine's pages are grayscale)."""
    out = io.BytesIO()
    Image.new(mode, size, 255).save(out, format="PNG")
    return out.getvalue()


def test_draw_boxes_returns_rgb_page_of_same_size() -> None:
    image = imaging.draw_boxes(page_png(), [])
    assert image.mode == "RGB"
    assert image.size == (600, 800)
    assert image.getpixel((300, 400)) == (255, 255, 255)


@pytest.mark.parametrize("style", ["normal", "flagged", "selected"])
def test_each_style_draws_its_outline_colour_around_the_box(style: str) -> None:
    box = (100, 100, 300, 150)
    image = imaging.draw_boxes(page_png(), [(box, style)])
    expected = imaging.STYLES[style].outline
    # The outline sits just outside the box: the pixel one step left of the box is outline-coloured.
    assert image.getpixel((99, 125)) == expected
    # Far from the box the page is untouched.
    assert image.getpixel((500, 700)) == (255, 255, 255)


def test_styles_are_distinct() -> None:
    outlines = {style.outline for style in imaging.STYLES.values()}
    assert len(outlines) == len(imaging.STYLES)


def test_flagged_and_selected_fill_the_box_but_normal_does_not() -> None:
    boxes = [
        ((50, 50, 150, 100), "normal"),
        ((50, 300, 150, 350), "flagged"),
        ((50, 600, 150, 650), "selected"),
    ]
    image = imaging.draw_boxes(page_png(), boxes)
    assert image.getpixel((100, 75)) == (255, 255, 255)
    assert image.getpixel((100, 325)) != (255, 255, 255)
    assert image.getpixel((100, 625)) != (255, 255, 255)


def test_selected_box_is_drawn_over_a_normal_box_at_the_same_place() -> None:
    box = (100, 100, 300, 150)
    image = imaging.draw_boxes(page_png(), [(box, "selected"), (box, "normal")])
    assert image.getpixel((99, 125)) == imaging.STYLES["selected"].outline


def test_boxes_off_the_page_are_clipped_or_skipped() -> None:
    image = imaging.draw_boxes(
        page_png(), [((550, 700, 900, 1000), "flagged"), ((700, 900, 800, 950), "normal")]
    )
    assert image.size == (600, 800)
    assert image.getpixel((599, 799)) != (255, 255, 255)


def test_unknown_style_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown box style"):
        imaging.draw_boxes(page_png(), [((1, 1, 5, 5), "bold")])


def test_palette_and_rgba_pages_are_accepted() -> None:
    for mode in ("P", "RGBA", "RGB"):
        assert imaging.draw_boxes(page_png(mode=mode), [((10, 10, 20, 20), "normal")]).mode == "RGB"


def test_clamp_box_orders_and_limits_coordinates() -> None:
    assert imaging.clamp_box((50, 60, 10, 20), (100, 100)) == (10, 20, 50, 60)
    assert imaging.clamp_box((-10, -10, 500, 500), (100, 100)) == (0, 0, 100, 100)
    assert imaging.clamp_box((200, 200, 300, 300), (100, 100)) is None


def test_crop_around_keeps_the_box_and_some_context() -> None:
    page = Image.new("RGB", (2000, 3000), "white")
    crop = imaging.crop_around(page, (900, 1400, 1100, 1450))
    assert 200 < crop.width < 2000
    assert 50 < crop.height < 3000


def test_crop_around_a_box_off_the_page_returns_the_page() -> None:
    page = Image.new("RGB", (200, 300), "white")
    assert imaging.crop_around(page, (500, 500, 600, 600)).size == (200, 300)


def test_fit_width_shrinks_wide_pages_only() -> None:
    assert imaging.fit_width(Image.new("RGB", (3000, 4000)), 1500).size == (1500, 2000)
    assert imaging.fit_width(Image.new("RGB", (800, 1000)), 1500).size == (800, 1000)


def test_to_jpeg_round_trips() -> None:
    data = imaging.to_jpeg(Image.new("RGB", (100, 50), "white"))
    assert data[:2] == b"\xff\xd8"
    assert Image.open(io.BytesIO(data)).size == (100, 50)


def test_a_grayscale_page_is_sent_as_a_grayscale_jpeg() -> None:
    """One channel to convert and encode instead of three: the page route's CPU per page opened."""
    gray = page_png((1200, 1600))
    page = imaging.load_page(gray, max_width=600, keep_gray=True)
    assert page.mode == "L" and page.size == (600, 800)
    assert Image.open(io.BytesIO(imaging.to_jpeg(page))).mode == "L"
    assert imaging.load_page(gray, max_width=600).mode == "RGB"  # drawing boxes needs colour
    colour = io.BytesIO()
    Image.new("RGB", (100, 50), "red").save(colour, format="PNG")
    assert imaging.load_page(colour.getvalue(), keep_gray=True).mode == "RGB"


def test_max_width_shrinks_the_page_and_its_boxes_together() -> None:
    image = imaging.draw_boxes(page_png((1200, 1600)), [((200, 200, 600, 300), "flagged")], max_width=600)
    assert image.size == (600, 800)
    expected = imaging.STYLES["flagged"].outline
    # The box (200..600 x 200..300 at full size) is drawn at half scale: its outline left of x=100.
    assert image.getpixel((99, 125)) == expected
    assert image.getpixel((150, 125)) != (255, 255, 255)  # filled inside
    assert image.getpixel((400, 400)) == (255, 255, 255)


def test_max_width_leaves_narrow_pages_alone() -> None:
    assert imaging.draw_boxes(page_png((300, 400)), [], max_width=600).size == (300, 400)


def test_scale_box() -> None:
    assert imaging.scale_box((10, 20, 30, 40), 0.5) == (5, 10, 15, 20)
