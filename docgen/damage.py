"""Real-world damage of paper and capture: stamps, highlighter, folds, stains, punch holes, a cut
margin, faint toner or carbon, a shaking phone, an over-exposed photo.

Each is a degradation like those of docgen.degrade: a pure function `(image, seed, dpi) -> new
image` that gives the same pixels for the same input and seed and never modifies its input. Images
are PIL "L" or "RGB"; marks in colour (stamp, highlight, stain, carbon) return "RGB", the others
keep the mode. All keep the size except `crop`, which cuts at most 0.45 inch off a side and never
into the print. Every one leaves the values readable to a person: colour is laid on like ink
(multiplied, so the print shows through), and faint print stays at least ~30 % of full contrast.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from docgen import fonts

Colour = tuple[int, int, int]

_STAMP_WORDS = ("RECEIVED", "PAID", "COPY", "SCANNED", "ENTERED", "FAXED", "REVIEWED", "FILED")
_STAMP_INKS: tuple[Colour, ...] = ((196, 32, 44), (34, 62, 168), (112, 42, 140), (24, 112, 62))
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_HIGHLIGHTERS: tuple[Colour, ...] = ((255, 236, 60), (150, 240, 100), (255, 130, 200), (120, 210, 255))


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _tinted(
    image: Image.Image, alpha: np.ndarray, colour: Colour, box: tuple[int, int] = (0, 0)
) -> Image.Image:
    """`image` as RGB with `colour` laid on like ink where `alpha` (floats in [0, 1], placed with its
    top-left corner at `box` and clipped to the page) says: paper * (1 - alpha * (1 - colour))."""
    rgb = np.asarray(image.convert("RGB")).astype(np.float32)
    x, y = box
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + alpha.shape[1]), min(h, y + alpha.shape[0])
    if x0 >= x1 or y0 >= y1:
        return image.convert("RGB")
    a = alpha[y0 - y : y1 - y, x0 - x : x1 - x, None]
    ink = np.asarray(colour, dtype=np.float32) / 255
    rgb[y0:y1, x0:x1] *= 1 - a * (1 - ink)
    return Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8), "RGB")


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """Floats in [0, 1] on `shape` varying smoothly over about `cells` cells across."""
    h, w = shape
    small = rng.random((max(2, cells * h // max(h, w)), max(2, cells * w // max(h, w)))).astype(np.float32)
    img = Image.fromarray((small * 255).astype(np.uint8), "L").resize((w, h), Image.Resampling.BICUBIC)
    return np.asarray(img, dtype=np.float32) / 255


def _stamp_mask(rng: np.random.Generator, dpi: int) -> np.ndarray:
    """An unrotated rubber stamp as ink coverage in [0, 1]: a word, maybe a date, in a ruled frame."""
    lines = [str(rng.choice(_STAMP_WORDS))]
    if rng.random() < 0.6:
        lines.append(f"{rng.integers(1, 29):02d} {rng.choice(_MONTHS)} {rng.integers(2015, 2026)}")
    font = fonts.load(fonts.font_families("tuning")[0].bold, round(dpi * rng.uniform(0.26, 0.4)))
    small = fonts.load(font.path, round(font.size * 0.62))
    widths = [font.getlength(lines[0]), *(small.getlength(line) for line in lines[1:])]
    pad, border = round(dpi * 0.09), max(2, round(dpi * rng.uniform(0.018, 0.03)))
    w = round(max(widths)) + 2 * pad
    h = font.size + sum(small.size + pad // 2 for _ in lines[1:]) + 2 * pad
    mask = Image.new("L", (w + 2 * border, h + 2 * border), 0)
    draw = ImageDraw.Draw(mask)
    draw.rounded_rectangle(
        (0, 0, mask.width - 1, mask.height - 1), radius=pad // 2, outline=255, width=border
    )
    y = border + pad
    for index, line in enumerate(lines):
        face = font if index == 0 else small
        draw.text((mask.width // 2, y), line, font=face, fill=255, anchor="mt")
        y += face.size + pad // 2
    # A rubber stamp never inks evenly: thin patches where it met the paper lightly.
    coverage = np.asarray(mask, dtype=np.float32) / 255
    return coverage * (0.45 + 0.55 * _smooth_noise(rng, coverage.shape, 12))


def stamp(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """A coloured rubber stamp ("RECEIVED", "PAID"... sometimes with a date) in red, blue, purple or
    green, turned up to 20 degrees, pressed over part of the print at 55-80 % strength. Returns RGB."""
    rng = _rng(seed)
    coverage = _stamp_mask(rng, dpi)
    angle = float(rng.uniform(-20, 20))
    turned = Image.fromarray((coverage * 255).astype(np.uint8), "L").rotate(
        angle, resample=Image.Resampling.BILINEAR, expand=True
    )
    alpha = np.asarray(turned, dtype=np.float32) / 255 * rng.uniform(0.55, 0.8)
    w, h = image.size
    x = round(rng.uniform(0.15, 0.85) * w - turned.width / 2)
    y = round(rng.uniform(0.15, 0.85) * h - turned.height / 2)
    colour = _STAMP_INKS[int(rng.integers(0, len(_STAMP_INKS)))]
    return _tinted(image, alpha, colour, (x, y))


def _text_rows(image: Image.Image) -> list[tuple[int, int]]:
    """(top, bottom) of each band of rows that holds print (dark pixels on over 1 % of the row)."""
    gray = np.asarray(image.convert("L"))
    inked = (gray < 128).sum(axis=1) > gray.shape[1] * 0.01
    rows, start = [], None
    for y, on in enumerate(inked):
        if on and start is None:
            start = y
        elif not on and start is not None:
            rows.append((start, y))
            start = None
    return rows


def highlight(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """A highlighter stroke (yellow, green, pink or blue) along one or two lines of print, slightly
    slanted, with ragged ends; the print shows through it. Returns RGB."""
    rng = _rng(seed)
    w, h = image.size
    # Bands taller than a line of type are rules or boxes; a stroke goes over text.
    bands = [(t, b) for t, b in _text_rows(image) if dpi * 0.06 < b - t < dpi * 0.4] or [
        (h // 2, h // 2 + dpi // 8)
    ]
    out = image
    colour = _HIGHLIGHTERS[int(rng.integers(0, len(_HIGHLIGHTERS)))]
    for _ in range(int(rng.integers(1, 3))):
        top, bottom = bands[int(rng.integers(0, len(bands)))]
        height = max(bottom - top, round(dpi * 0.12)) * rng.uniform(1.15, 1.4)
        mid = (top + bottom) / 2
        x0, x1 = sorted(rng.uniform(0.08, 0.92, 2) * w)
        x1 = max(x1, x0 + dpi * 1.2)
        slant = rng.uniform(-0.01, 0.01) * (x1 - x0)
        mask = Image.new("L", (w, h), 0)
        ImageDraw.Draw(mask).polygon(
            [
                (x0 + rng.uniform(0, 0.05) * dpi, mid - height / 2),
                (x1, mid - height / 2 + slant),
                (x1 - rng.uniform(0, 0.05) * dpi, mid + height / 2 + slant),
                (x0, mid + height / 2),
            ],
            fill=255,
        )
        mask = mask.filter(ImageFilter.GaussianBlur(max(1.0, dpi / 120)))
        alpha = np.asarray(mask, dtype=np.float32) / 255 * rng.uniform(0.55, 0.8)
        out = _tinted(out, alpha, colour)
    return out.convert("RGB")


def fold(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """A fold crease across the page (at a third or the half, nearly level or upright): a dark thin
    line with a shadow falling off on one side and a faint sheen on the other. Keeps the mode."""
    rng = _rng(seed)
    w, h = image.size
    across = rng.random() < 0.75  # letters are folded in three: creases across the page
    length, span = (w, h) if across else (h, w)
    at = span * float(rng.choice((1 / 3, 1 / 2, 2 / 3))) + rng.uniform(-0.03, 0.03) * span
    slope = math.tan(math.radians(rng.uniform(-1.2, 1.2)))
    along = np.arange(length, dtype=np.float32)
    dist = np.arange(span, dtype=np.float32)[:, None] - (at + slope * (along - length / 2))[None, :]
    line_w = max(0.7, dpi / 200 * rng.uniform(0.6, 1.2))
    shade_w = dpi * rng.uniform(0.12, 0.35)
    side = 1 if rng.random() < 0.5 else -1
    factor = 1 - rng.uniform(0.3, 0.5) * np.exp(-((dist / line_w) ** 2))
    behind = np.clip(dist * side, 0, None)
    factor -= np.where(dist * side > 0, rng.uniform(0.06, 0.15) * np.exp(-behind / shade_w), 0)
    factor += np.where(dist * side < 0, 0.04 * np.exp(-np.clip(-dist * side, 0, None) / shade_w), 0)
    if not across:
        factor = factor.T
    arr = np.asarray(image).astype(np.float32)
    arr *= factor[..., None] if arr.ndim == 3 else factor
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), image.mode)


def stain(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """A coffee-cup ring (brown, darker at its ragged rim) or a water mark (a pale grey-brown blob
    with a tide line), 1-2.4 inches across, anywhere on the page, sometimes only partly on it.
    Returns RGB."""
    rng = _rng(seed)
    w, h = image.size
    radius = dpi * rng.uniform(0.5, 1.2)
    size = round(radius * 2.6)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) - size / 2
    theta = np.arctan2(yy, xx)
    wobble = sum(rng.uniform(0.01, 0.05) * np.sin(k * theta + rng.uniform(0, 6.3)) for k in (2, 3, 5, 7))
    edge = radius * (1 + wobble)
    dist = np.hypot(xx, yy)
    rim_w = dpi * rng.uniform(0.02, 0.05)
    coffee = rng.random() < 0.6
    rim_alpha, fill_alpha = (rng.uniform(0.3, 0.5), rng.uniform(0.04, 0.14)) if coffee else (0.18, 0.06)
    rim = np.exp(-(((dist - edge) / rim_w) ** 2)) * rim_alpha
    inside = (dist < edge) * fill_alpha * (0.6 + 0.4 * _smooth_noise(rng, dist.shape, 6))
    alpha = np.clip(rim + inside, 0, 0.6)
    if coffee and rng.random() < 0.5:  # the cup was lifted at an angle: part of the ring is missing
        alpha *= np.clip(np.cos(theta - rng.uniform(0, 6.3)) + 0.8, 0, 1)
    colour: Colour = (150, 96, 42) if coffee else (172, 160, 140)
    x = round(rng.uniform(-0.1, 1.1) * w - size / 2)
    y = round(rng.uniform(0.05, 0.95) * h - size / 2)
    return _tinted(image, alpha.astype(np.float32), colour, (x, y))


def punch_holes(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Two or three filing holes (1/4 inch) near the left or top edge at standard spacing, seen as
    the dark scanner lid through the paper (or pale, on a white lid), with a soft rim. Keeps the mode."""
    rng = _rng(seed)
    w, h = image.size
    count = 3 if rng.random() < 0.6 else 2
    spacing = dpi * (4.25 if count == 3 else 3.15)  # US three-hole; ISO two-hole (80 mm)
    left = rng.random() < 0.75
    span = h if left else w
    inset = dpi * rng.uniform(0.3, 0.42)
    radius = dpi * rng.uniform(0.11, 0.135)
    lid = int(rng.integers(15, 70)) if rng.random() < 0.8 else int(rng.integers(215, 240))
    out = image.copy()
    draw = ImageDraw.Draw(out)
    first = span / 2 - spacing * (count - 1) / 2 + rng.uniform(-0.1, 0.1) * dpi
    for index in range(count):
        along = first + index * spacing
        cx, cy = (inset, along) if left else (along, inset)
        for grow, shade in ((1.12, 0.55), (1.0, 1.0)):
            r = radius * grow
            grey = round(255 - (255 - lid) * shade) if lid < 128 else lid
            fill: int | tuple[int, int, int] = grey if image.mode == "L" else (grey, grey, grey)
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=fill)
    return out


def crop(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """The page's edge cut off on one or two sides, as by a scanner that missed the margin: 40-95 %
    of the blank margin, at most 0.45 inch, never into the print. Returns a smaller image."""
    rng = _rng(seed)
    w, h = image.size
    ink = np.asarray(image.convert("L")) < 160
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size == 0:
        rows, cols = np.array([h // 2]), np.array([w // 2])
    margins = {"left": cols[0], "top": rows[0], "right": w - 1 - cols[-1], "bottom": h - 1 - rows[-1]}
    sides = rng.permutation(list(margins))[: int(rng.integers(1, 3))]
    cut = {side: 0 for side in margins}
    for side in sides:
        margin = max(0, int(margins[side]) - max(2, dpi // 50))
        cut[str(side)] = max(1, round(min(margin, dpi * 0.45) * rng.uniform(0.4, 0.95)))
    return image.crop((cut["left"], cut["top"], w - cut["right"], h - cut["bottom"]))


def faint(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Print at a fraction of its contrast: a toner-low laser page (grey, with paler vertical streaks;
    keeps the mode) or a carbon copy (soft blue-black; RGB). Ink keeps at least 30 % of its contrast."""
    rng = _rng(seed)
    arr = np.asarray(image.convert("L")).astype(np.float32)
    w = arr.shape[1]
    if rng.random() < 0.5:
        strength = rng.uniform(0.42, 0.6)
        streaks = _smooth_noise(rng, (1, w), int(rng.integers(8, 30)))[0]
        keep = strength * (1 - 0.28 * streaks)
        out = 255 - (255 - arr) * keep[None, :]
        return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "L").convert(image.mode)
    soft = image.convert("L").filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 0.9) * dpi / 200))
    depth = (255 - np.asarray(soft, dtype=np.float32)) * rng.uniform(0.5, 0.7)
    absorbs = 1 - np.asarray((40, 46, 120), dtype=np.float32) / 255  # blue-black carbon
    out = 255 - depth[..., None] * (absorbs / absorbs.max())[None, None, :]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8), "RGB")


def motion_blur(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """The smear of a phone moved while the shutter was open: the page averaged along a straight
    path of 2.5-6 px at 200 dpi (scaled with dpi) in any direction. Keeps the mode."""
    rng = _rng(seed)
    length = rng.uniform(2.5, 6.0) * dpi / 200
    angle = rng.uniform(0, math.pi)
    steps = max(3, round(length) + 1)
    total = np.zeros(np.asarray(image).shape, dtype=np.float32)
    white = 255 if image.mode == "L" else (255, 255, 255)
    for t in np.linspace(-length / 2, length / 2, steps):
        dx, dy = float(t * math.cos(angle)), float(t * math.sin(angle))
        moved = image.transform(
            image.size,
            Image.Transform.AFFINE,
            (1, 0, dx, 0, 1, dy),
            Image.Resampling.BILINEAR,
            fillcolor=white,
        )
        total += np.asarray(moved, dtype=np.float32)
    return Image.fromarray(np.clip(total / steps, 0, 255).astype(np.uint8), image.mode)


def overexpose(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """An over-exposed photo: everything 15-40 % brighter and lifted off black, the paper burnt to
    white, and a soft glare spot that fades the print under it by up to half. Keeps the mode."""
    rng = _rng(seed)
    arr = np.asarray(image).astype(np.float32)
    arr = arr * rng.uniform(1.15, 1.4) + rng.uniform(10, 35)
    h, w = arr.shape[:2]
    gw, gh = max(8, w // 8), max(8, h // 8)
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    cx, cy, r = rng.uniform(0.2, 0.8) * gw, rng.uniform(0.2, 0.8) * gh, rng.uniform(0.2, 0.4) * gw
    spot = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * r * r))) * rng.uniform(0.25, 0.45)
    glare = Image.fromarray((spot * 255).astype(np.uint8), "L").resize((w, h), Image.Resampling.BILINEAR)
    g = np.asarray(glare, dtype=np.float32) / 255
    arr += (255 - np.clip(arr, 0, 255)) * (g[..., None] if arr.ndim == 3 else g)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), image.mode)
