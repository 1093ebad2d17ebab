"""Scan, fax and phone-photo degradations, and the named profiles that combine them.

Every degradation is a pure function `(image, seed, dpi) -> new image`: the same input and seed always give
the same pixels, the input is never modified, and the result keeps the input's size unless it is a
90/270-degree rotation or `crop` (a cut margin, docgen.damage). Images are PIL "L" or "RGB"; `photo`
always returns "RGB". The kinds of paper and capture damage in docgen.damage join them here.

Profiles are split once, like layout families and fonts: the engine may be tuned on TUNING_PROFILES,
while HELD_OUT_PROFILES (the damage of docgen.damage) only appear in measurements.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from docgen import damage

Degradation = Callable[[Image.Image, int, int], Image.Image]


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _white(image: Image.Image) -> int | tuple[int, int, int]:
    return 255 if image.mode == "L" else (255, 255, 255)


def _to_image(arr: np.ndarray, mode: str) -> Image.Image:
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), mode)


def clean(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """No change (a copy)."""
    return image.copy()


def noise(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Gaussian sensor noise (sigma 5-14) plus 0.05-0.3 % salt-and-pepper specks."""
    rng = _rng(seed)
    arr = np.asarray(image).astype(np.int16)
    # Drawing a normal variate per pixel is slow; indexing a 64k-entry normal table is ~5x faster
    # and its values are still normally distributed.
    table = (rng.standard_normal(65536) * rng.uniform(5, 14)).round().astype(np.int16)
    arr += table[rng.integers(0, 65536, arr.shape, dtype=np.uint16)]
    flat = arr.reshape(-1)
    count = int(flat.size * rng.uniform(0.0005, 0.003))
    flat[rng.integers(0, flat.size, count)] = 0
    flat[rng.integers(0, flat.size, count)] = 255
    return _to_image(arr, image.mode)


def blur(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Gaussian defocus of 0.6-1.3 px at 200 dpi (scaled with dpi)."""
    return _gaussian_blur(image, 0.6, 1.3, seed, dpi)


def defocus(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """A camera focused off the page: a Gaussian blur of 1.4-2.4 px at 200 dpi (scaled with dpi),
    strokes spread to about twice their width, counters of small letters half filled."""
    return _gaussian_blur(image, 1.4, 2.4, seed, dpi)


def _gaussian_blur(image: Image.Image, low: float, high: float, seed: int, dpi: int) -> Image.Image:
    radius = _rng(seed).uniform(low, high) * dpi / 200
    return image.filter(ImageFilter.GaussianBlur(radius))


def _rotate(image: Image.Image, low: float, high: float, seed: int) -> Image.Image:
    rng = _rng(seed)
    angle = rng.uniform(low, high) * rng.choice((-1, 1))
    return image.rotate(angle, resample=Image.Resampling.BILINEAR, fillcolor=_white(image))


def skew(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Rotate by 1-7 degrees either way, white fill, same size (corners may be cut, as on a skewed scan)."""
    return _rotate(image, 1.0, 7.0, seed)


def slight_skew(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Rotate by 0.3-2 degrees either way: a page laid a little crooked on a flatbed."""
    return _rotate(image, 0.3, 2.0, seed)


def _low_res_grid(size: tuple[int, int]) -> tuple[int, int]:
    """Size of a 1/8-scale working grid: smooth masks are computed there and enlarged, for speed."""
    return max(8, size[0] // 8), max(8, size[1] // 8)


def _multiply(image: Image.Image, factor: np.ndarray) -> Image.Image:
    """`image` times a smooth low-resolution `factor` in [0, 1], enlarged to the image size."""
    small = Image.fromarray((np.clip(factor, 0, 1) * 255).astype(np.uint8), "L")
    full = small.resize(image.size, Image.Resampling.BILINEAR)
    if image.mode != "L":
        full = full.convert(image.mode)
    return ImageChops.multiply(image, full)


def _soft_mask(size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """A float mask in [0, 1] on `size`: a random dark blob (a hand or phone shadow) with a soft edge."""
    w, h = size
    mask = Image.new("L", size, 0)
    # A polygon entering from one edge, like the shadow in the real phone photo.
    x0, x1 = sorted(rng.uniform(-0.2, 1.0, 2) * w)
    y0 = rng.uniform(0.3, 0.7) * h
    pts = [(x0, y0), (x1 + 0.2 * w, y0 + rng.uniform(-0.1, 0.1) * h), (x1 + 0.3 * w, h * 1.1), (x0, h * 1.1)]
    ImageDraw.Draw(mask).polygon([(float(x), float(y)) for x, y in pts], fill=255)
    mask = mask.filter(ImageFilter.GaussianBlur(max(w, h) * rng.uniform(0.02, 0.06)))
    if rng.random() < 0.5:
        mask = mask.transpose(Image.Transpose.ROTATE_180)
    return np.asarray(mask, dtype=np.float32) / 255


def shadow(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Darken a soft-edged region to 35-65 % of its brightness, plus a faint page-wide gradient."""
    rng = _rng(seed)
    grid = _low_res_grid(image.size)
    mask = _soft_mask(grid, rng)
    gradient = np.linspace(1.0, rng.uniform(0.8, 1.0), grid[0], dtype=np.float32)[None, :]
    return _multiply(image, (1 - mask * rng.uniform(0.35, 0.65)) * gradient)


def _jpeg_roundtrip(image: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    out = Image.open(buf)
    out.load()
    return out.convert(image.mode)


def jpeg(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Re-encode as JPEG at quality 15-40 (blocky artefacts around letters)."""
    return _jpeg_roundtrip(image, int(_rng(seed).integers(15, 41)))


def fax(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """A standard-mode fax: ~200 dpi across, ~100 dpi down, hard threshold, scaled back to the page size."""
    rng = _rng(seed)
    w, h = image.size
    fax_w = round(w * min(1.0, 204 / dpi))
    fax_h = round(h * min(1.0, rng.uniform(96, 120) / dpi))
    gray = image.convert("L").resize((fax_w, fax_h), Image.Resampling.BOX)
    threshold = int(rng.integers(120, 170))
    binary = gray.point(lambda v: 255 if v > threshold else 0)
    return binary.resize((w, h), Image.Resampling.NEAREST)


def lowres(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Downsample to 75-110 dpi and back: a low-resolution scan enlarged to the page size."""
    target = _rng(seed).uniform(75, 110)
    scale = min(1.0, target / dpi)
    w, h = image.size
    small = image.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX)
    return small.resize((w, h), Image.Resampling.BILINEAR)


def rotate90(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Turn the page 90 degrees counter-clockwise (landscape scan)."""
    return image.transpose(Image.Transpose.ROTATE_90)


def rotate180(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Turn the page upside down."""
    return image.transpose(Image.Transpose.ROTATE_180)


def rotate270(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """Turn the page 90 degrees clockwise."""
    return image.transpose(Image.Transpose.ROTATE_270)


def rotate_any(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """One of rotate90 / rotate180 / rotate270, chosen by the seed."""
    return (rotate90, rotate180, rotate270)[int(_rng(seed).integers(0, 3))](image, seed, dpi)


def _perspective_coeffs(src: list[tuple[float, float]], dst: list[tuple[float, float]]) -> list[float]:
    """PIL PERSPECTIVE coefficients mapping output points `dst` back to input points `src`."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.extend((u, v))
    return list(np.linalg.solve(np.array(rows, dtype=np.float64), np.array(rhs, dtype=np.float64)))


def photo(image: Image.Image, seed: int, dpi: int) -> Image.Image:
    """A phone photo: slight perspective (page corners move 0.5-3 %), a table showing at the edges,
    uneven warm illumination, mild blur and JPEG at quality 45-80. Returns RGB."""
    rng = _rng(seed)
    gray = image.convert("L")  # the page is grey ink on white; colour is added by the tint at the end
    w, h = gray.size
    corners = [(0.0, 0.0), (float(w), 0.0), (float(w), float(h)), (0.0, float(h))]
    moved = [(x + rng.uniform(-0.03, 0.03) * w, y + rng.uniform(-0.03, 0.03) * h) for x, y in corners]
    warped = gray.transform(
        (w, h),
        Image.Transform.PERSPECTIVE,
        _perspective_coeffs(corners, moved),
        Image.Resampling.BILINEAR,
        fillcolor=int(rng.integers(60, 140)),
    )
    gw, gh = _low_res_grid((w, h))
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    dist = np.hypot(xx - rng.uniform(0.2, 0.8) * gw, yy - rng.uniform(0.2, 0.8) * gh) / np.hypot(gw, gh)
    lit = _multiply(warped, np.clip(1.05 - dist * rng.uniform(0.4, 0.9), 0.5, 1.0))
    lit = lit.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9) * dpi / 200))
    green, blue = rng.uniform(0.95, 0.99), rng.uniform(0.85, 0.95)
    rgb = Image.merge("RGB", (lit, lit.point(lambda v: v * green), lit.point(lambda v: v * blue)))
    return _jpeg_roundtrip(rgb, int(rng.integers(45, 81)))


DEGRADATIONS: dict[str, Degradation] = {
    "clean": clean,
    "noise": noise,
    "blur": blur,
    "defocus": defocus,
    "skew": skew,
    "slight_skew": slight_skew,
    "shadow": shadow,
    "jpeg": jpeg,
    "fax": fax,
    "lowres": lowres,
    "rotate90": rotate90,
    "rotate180": rotate180,
    "rotate270": rotate270,
    "rotate_any": rotate_any,
    "photo": photo,
    "stamp": damage.stamp,
    "highlight": damage.highlight,
    "fold": damage.fold,
    "stain": damage.stain,
    "punch_holes": damage.punch_holes,
    "crop": damage.crop,
    "faint": damage.faint,
    "motion_blur": damage.motion_blur,
    "overexpose": damage.overexpose,
}

# Profile name -> degradations applied in order. The profiles the engine may be tuned on:
_TUNING_PROFILES: dict[str, tuple[str, ...]] = {
    "clean": (),
    "scan": ("slight_skew", "noise"),
    "skewed": ("skew",),
    "noisy": ("noise", "blur"),
    "jpeg": ("jpeg",),
    "shadow": ("shadow",),
    "photo": ("photo",),
    "shadow_photo": ("shadow", "photo"),
    "fax": ("slight_skew", "fax"),
    "rotated": ("rotate_any",),
    "lowres": ("lowres", "jpeg"),
    "heavy": ("skew", "shadow", "noise", "blur", "jpeg"),
    "defocused": ("defocus", "photo"),
}
# ... and those held out from tuning: what paper goes through in an office and a phone camera does.
_HELD_OUT_PROFILES: dict[str, tuple[str, ...]] = {
    "stamped": ("stamp", "slight_skew", "noise"),
    "highlighted": ("highlight", "slight_skew", "jpeg"),
    "folded": ("fold", "slight_skew", "noise"),
    "stained": ("stain", "slight_skew"),
    "punched": ("punch_holes", "slight_skew", "noise"),
    "cropped": ("slight_skew", "crop"),
    "faint": ("faint", "noise"),
    "shaky_photo": ("motion_blur", "photo"),
    "overexposed": ("photo", "overexpose"),
    "worn": ("fold", "stain", "punch_holes", "stamp", "slight_skew", "noise"),
}
DEGRADATION_PROFILES: dict[str, tuple[str, ...]] = {**_TUNING_PROFILES, **_HELD_OUT_PROFILES}
TUNING_PROFILES: tuple[str, ...] = tuple(_TUNING_PROFILES)
HELD_OUT_PROFILES: tuple[str, ...] = tuple(_HELD_OUT_PROFILES)
PROFILE_GROUPS: tuple[str, ...] = ("all", "tuning", "held_out")


def profile_names(specs: list[str] | None) -> list[str]:
    """The profiles named by `specs`: each "all", "tuning", "held_out" or a profile name (commas
    also separate names); groups expand in order and repeats are dropped. None or [] means "all".
    Raises ValueError naming what is unknown."""
    groups = {
        "all": list(DEGRADATION_PROFILES),
        "tuning": list(TUNING_PROFILES),
        "held_out": list(HELD_OUT_PROFILES),
    }
    names: list[str] = []
    for spec in specs or ["all"]:
        for part in (p.strip() for p in spec.split(",")):
            if part in groups:
                names.extend(groups[part])
            elif part in DEGRADATION_PROFILES:
                names.append(part)
            elif part:
                known = f"{', '.join(PROFILE_GROUPS)} or {sorted(DEGRADATION_PROFILES)}"
                raise ValueError(f"unknown profile {part!r}; choose from {known}")
    if not names:
        raise ValueError(f"no profiles in {specs!r}")
    return list(dict.fromkeys(names))


def apply_profile(image: Image.Image, profile: str, seed: int, dpi: int) -> Image.Image:
    """Apply every degradation of `profile` in order; step seeds derive from (seed, profile, step index)."""
    if profile not in DEGRADATION_PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose from {sorted(DEGRADATION_PROFILES)}")
    for index, name in enumerate(DEGRADATION_PROFILES[profile]):
        step_seed = zlib.crc32(f"{seed}:{profile}:{index}:{name}".encode())
        image = DEGRADATIONS[name](image, step_seed, dpi)
    return image
