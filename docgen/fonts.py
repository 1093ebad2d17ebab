"""Discovery of the Debian font files the generator draws with.

Fonts are found at runtime with a glob (no paths baked into layouts) so the generator works wherever
the Debian font packages put them; a clear error is raised when none is installed.
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass
from functools import lru_cache

from PIL import ImageFont

FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts")

# (family, regular file, bold file). Mono faces are left out: real forms are not typed in them.
_FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("DejaVu Sans Condensed", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    ("DejaVu Serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("Liberation Sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("Liberation Sans Narrow", "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf"),
    ("Liberation Serif", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    ("FreeSans", "FreeSans.ttf", "FreeSansBold.ttf"),
    ("FreeSerif", "FreeSerif.ttf", "FreeSerifBold.ttf"),
    ("Comic Neue", "ComicNeue-Regular.otf", "ComicNeue-Bold.otf"),
)

# Bold serif faces for the big "Rx" mark, best first.
_RX_FILES = ("DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf", "FreeSerifBold.ttf")


class FontsNotFoundError(RuntimeError):
    """No usable font file is installed."""


@dataclass(frozen=True)
class FontFamily:
    """A regular and a bold face of one family (absolute paths)."""

    name: str
    regular: str
    bold: str


@lru_cache(maxsize=1)
def _installed_files() -> dict[str, str]:
    """Map font file base name -> absolute path, for every .ttf/.otf under FONT_ROOTS."""
    found: dict[str, str] = {}
    for root in FONT_ROOTS:
        for pattern in ("**/*.ttf", "**/*.otf"):
            for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
                found.setdefault(os.path.basename(path), path)
    return found


@lru_cache(maxsize=1)
def font_families() -> tuple[FontFamily, ...]:
    """Installed families that have both a regular and a bold face; raises FontsNotFoundError if none."""
    files = _installed_files()
    families = tuple(
        FontFamily(name, files[regular], files[bold])
        for name, regular, bold in _FAMILIES
        if regular in files and bold in files
    )
    if not families:
        raise FontsNotFoundError(
            f"docgen found none of its fonts under {', '.join(FONT_ROOTS)}; install the Debian packages "
            "fonts-dejavu-core, fonts-liberation, fonts-freefont-ttf or fonts-comic-neue"
        )
    return families


def family(name: str) -> FontFamily:
    """The installed family called `name`; raises KeyError if it is not installed."""
    for fam in font_families():
        if fam.name == name:
            return fam
    raise KeyError(f"font family {name!r} is not installed")


def rx_font_path() -> str:
    """A bold serif face for the "Rx" mark, falling back to any bold face installed."""
    files = _installed_files()
    for name in _RX_FILES:
        if name in files:
            return files[name]
    return font_families()[0].bold


@lru_cache(maxsize=256)
def load(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    """A cached FreeType font of `size_px` pixels per em."""
    return ImageFont.truetype(path, max(6, size_px))
