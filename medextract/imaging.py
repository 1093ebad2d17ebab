"""Page images for the review screen: field boxes drawn on the page, a zoom on one field.

Pure functions on bytes and PIL images (no Streamlit), so they are unit-tested and cached by the
pages. Boxes are ``(x0, y0, x1, y1)`` in pixels of the page image ``documents.page_image`` returns.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PIL import Image, ImageDraw

Box = tuple[int, int, int, int]
Style = Literal["normal", "flagged", "selected"]


@dataclass(frozen=True)
class BoxStyle:
    """How one kind of box looks: outline colour and width, and a translucent fill (RGBA)."""

    outline: tuple[int, int, int]
    width: int
    fill: tuple[int, int, int, int] | None


# Colours stay apart for colour-blind clerks: blue (fine), orange (check me), magenta (selected).
STYLES: dict[str, BoxStyle] = {
    "normal": BoxStyle(outline=(37, 99, 235), width=2, fill=None),
    "flagged": BoxStyle(outline=(234, 88, 12), width=4, fill=(251, 146, 60, 50)),
    "selected": BoxStyle(outline=(192, 38, 211), width=6, fill=(232, 121, 249, 60)),
}
# Selected last, flagged over normal: the box that matters most is never hidden under another.
_DRAW_ORDER = {"normal": 0, "flagged": 1, "selected": 2}


def load_page(png_bytes: bytes, *, max_width: int | None = None, keep_gray: bool = False) -> Image.Image:
    """Decode a page image to RGB, shrunk to ``max_width`` first when given (much less to draw).

    With ``keep_gray`` a grayscale page stays grayscale ("L"): one channel to convert and encode
    instead of three, for a picture that has no colour to lose.
    """
    with Image.open(io.BytesIO(png_bytes)) as image:
        image.load()
        if max_width is not None and image.width > max_width:
            # Shrinking the grayscale page before converting it is ~3x cheaper than the other way.
            image = fit_width(image.convert("L") if image.mode in ("1", "P") else image, max_width)
        if keep_gray and image.mode == "L":
            return image.copy()
        return image.convert("RGB")


def image_size(png_bytes: bytes) -> tuple[int, int]:
    """(width, height) of an encoded image, read from its header only."""
    with Image.open(io.BytesIO(png_bytes)) as image:
        return image.size


def clamp_box(box: Sequence[int], size: tuple[int, int]) -> Box | None:
    """The box limited to an image of ``size``; None when nothing of it is left inside."""
    width, height = size
    x0, y0, x1, y1 = (int(v) for v in box)
    x0, x1 = sorted((max(0, min(x0, width)), max(0, min(x1, width))))
    y0, y1 = sorted((max(0, min(y0, height)), max(0, min(y1, height))))
    if x1 - x0 < 1 or y1 - y0 < 1:
        return None
    return (x0, y0, x1, y1)


def scale_box(box: Sequence[int], factor: float) -> Box:
    """A box in the frame of the page resized by ``factor``."""
    x0, y0, x1, y1 = (round(int(v) * factor) for v in box)
    return (x0, y0, x1, y1)


def draw_boxes(
    png_bytes: bytes, boxes: Sequence[tuple[Sequence[int], str]], *, max_width: int | None = None
) -> Image.Image:
    """The page with each ``(box, style)`` drawn on it; style is "normal", "flagged" or "selected".

    Boxes are in the stored page's pixels; with ``max_width`` the page is shrunk first and the
    boxes with it. Boxes partly off the page are clipped, boxes wholly off it are skipped: an
    engine box is evidence, never a reason for the review screen to fail.
    """
    with Image.open(io.BytesIO(png_bytes)) as original:
        full_width = original.width
    page = load_page(png_bytes, max_width=max_width)
    factor = page.width / full_width
    overlay = Image.new("RGBA", page.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    scale = max(1, round(max(page.size) / 1500))  # lines stay visible on a 300 dpi page shrunk to fit
    for box, style_name in sorted(boxes, key=lambda item: _DRAW_ORDER.get(item[1], 0)):
        style = STYLES.get(style_name)
        if style is None:
            raise ValueError(f"unknown box style {style_name!r}; use one of {sorted(STYLES)}")
        clamped = clamp_box(scale_box(box, factor), page.size)
        if clamped is None:
            continue
        pad = style.width * scale  # the outline sits just outside the words, not across them
        outer = clamp_box((clamped[0] - pad, clamped[1] - pad, clamped[2] + pad, clamped[3] + pad), page.size)
        draw.rectangle(outer or clamped, outline=style.outline, width=style.width * scale, fill=style.fill)
    return Image.alpha_composite(page.convert("RGBA"), overlay).convert("RGB")


def crop_around(image: Image.Image, box: Sequence[int], *, margin: float = 0.6) -> Image.Image:
    """A zoom on ``box``: the box plus ``margin`` times its height around it, kept inside the page.

    The margin grows with the box so the label printed beside a value stays in view.
    """
    clamped = clamp_box(box, image.size)
    if clamped is None:
        return image
    x0, y0, x1, y1 = clamped
    pad = max(40, int((y1 - y0) * (1 + margin)), int((x1 - x0) * margin / 2))
    area = clamp_box((x0 - pad * 3, y0 - pad, x1 + pad * 3, y1 + pad), image.size)
    return image.crop(area) if area else image


def fit_width(image: Image.Image, max_width: int) -> Image.Image:
    """The image shrunk to at most ``max_width`` pixels wide; a browser needs no 300 dpi page."""
    if image.width <= max_width:
        return image
    height = max(1, round(image.height * max_width / image.width))
    # reducing_gap: a fast integer reduce first, then Lanczos on the rest (same look, ~4x faster).
    return image.resize((max_width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def to_jpeg(image: Image.Image, *, quality: int = 85) -> bytes:
    """JPEG bytes of the image: a page is sent to the browser several times smaller than as PNG.
    A grayscale image ("L") is encoded as a one-channel JPEG (a third of the work); any other mode
    as RGB."""
    out = io.BytesIO()
    (image if image.mode in ("L", "RGB") else image.convert("RGB")).save(
        out, format="JPEG", quality=quality, optimize=False
    )
    return out.getvalue()
