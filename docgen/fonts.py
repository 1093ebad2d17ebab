"""Discovery of the Debian font files the generator draws with, split into tuning and held-out sets.

Fonts are found at runtime with a glob (no paths baked into layouts) so the generator works wherever
the Debian font packages put them; a clear error is raised when none is installed.

The printed faces and the handwriting faces are each split once: the engine may be tuned on
documents in TUNING_FONTS / TUNING_HANDS, while HELD_OUT_FONTS / HELD_OUT_HANDS only ever appear in
measurements, so a figure on them says how the engine reads type it was not fitted to. Which set a
document draws from is chosen by ``drawing_from(font_set)`` around its drawing (docgen.generate).
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from PIL import ImageFont

FONT_ROOTS = ("/usr/share/fonts", "/usr/local/share/fonts")
FONT_SETS: tuple[str, ...] = ("all", "tuning", "held_out")


class _Face(NamedTuple):
    """A face as the Debian package installs it; `scale` multiplies the size it is set at, `pen`
    (a share of that size) widens every stroke, for a hairline face that no pen writes as thin."""

    name: str
    regular: str
    bold: str
    package: str
    scale: float = 1.0
    pen: float = 0.0


# Mono faces are left out: real forms are not typed in them. The tuning faces are the generator's
# first nine; never move a face between the sets (figures on the held-out ones would mean nothing).
_TUNING: tuple[_Face, ...] = (
    _Face("DejaVu Sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "fonts-dejavu-core"),
    _Face(
        "DejaVu Sans Condensed",
        "DejaVuSansCondensed.ttf",
        "DejaVuSansCondensed-Bold.ttf",
        "fonts-dejavu-core",
    ),
    _Face("DejaVu Serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "fonts-dejavu-core"),
    _Face("Liberation Sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf", "fonts-liberation"),
    _Face(
        "Liberation Sans Narrow",
        "LiberationSansNarrow-Regular.ttf",
        "LiberationSansNarrow-Bold.ttf",
        "fonts-liberation",
    ),
    _Face("Liberation Serif", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "fonts-liberation"),
    _Face("FreeSans", "FreeSans.ttf", "FreeSansBold.ttf", "fonts-freefont-ttf"),
    _Face("FreeSerif", "FreeSerif.ttf", "FreeSerifBold.ttf", "fonts-freefont-ttf"),
    _Face("Comic Neue", "ComicNeue-Regular.otf", "ComicNeue-Bold.otf", "fonts-comic-neue"),
)
# Faces real clinic forms are printed in that the tuning set lacks: Calibri/Cambria (metric twins),
# Helvetica, Times, Century Schoolbook, Palatino, Bookman, Avant Garde (URW clones), Open Sans...
_HELD_OUT: tuple[_Face, ...] = (
    _Face("Carlito", "Carlito-Regular.ttf", "Carlito-Bold.ttf", "fonts-crosextra-carlito"),
    _Face("Caladea", "Caladea-Regular.ttf", "Caladea-Bold.ttf", "fonts-crosextra-caladea"),
    _Face("Open Sans", "OpenSans-Regular.ttf", "OpenSans-Bold.ttf", "fonts-open-sans"),
    _Face("Roboto", "Roboto-Regular.ttf", "Roboto-Bold.ttf", "fonts-roboto-unhinted"),
    _Face(
        "Roboto Condensed", "RobotoCondensed-Regular.ttf", "RobotoCondensed-Bold.ttf", "fonts-roboto-unhinted"
    ),
    _Face("Lato", "Lato-Regular.ttf", "Lato-Bold.ttf", "fonts-lato"),
    _Face("Cantarell", "Cantarell-Regular.otf", "Cantarell-Bold.otf", "fonts-cantarell"),
    _Face("Oxygen Sans", "Oxygen-Sans.ttf", "Oxygen-Sans-Bold.ttf", "fonts-oxygen"),
    _Face("Nimbus Sans", "NimbusSans-Regular.otf", "NimbusSans-Bold.otf", "fonts-urw-base35"),
    _Face("Nimbus Roman", "NimbusRoman-Regular.otf", "NimbusRoman-Bold.otf", "fonts-urw-base35"),
    _Face("C059", "C059-Roman.otf", "C059-Bold.otf", "fonts-urw-base35"),
    _Face("P052", "P052-Roman.otf", "P052-Bold.otf", "fonts-urw-base35"),
    _Face("URW Bookman", "URWBookman-Light.otf", "URWBookman-Demi.otf", "fonts-urw-base35"),
    _Face("URW Gothic", "URWGothic-Book.otf", "URWGothic-Demi.otf", "fonts-urw-base35"),
)
# Handwriting faces for filled-in values. Only mixed-case hands a clerk reads without guessing:
# all-capitals hands (Humor Sans, the bwht faces) would show text other than the truth, and the
# hollow letters of Femke Klaver leave digits ambiguous at scan resolutions. The last
# number brings the small x-heights of script faces near the printed ones. The tuning hands
# take in joined scripts too (a school cursive, a quick brush hand), as the held-out ones are.
_TUNING_HAND: tuple[_Face, ...] = (
    _Face("Breip", "Breip.ttf", "Breip.ttf", "fonts-breip", 1.25),
    _Face("DKG Handwriting", "dkg.ttf", "dkgBd.ttf", "fonts-dkg-handwriting", 1.0),
    _Face("Ecolier", "Ecolier-court.ttf", "Ecolier-court.ttf", "fonts-ecolier-court", 1.35, pen=0.02),
    _Face("Kaushan Script", "KaushanScript-Regular.otf", "KaushanScript-Regular.otf", "fonts-kaushanscript"),
)
_HELD_OUT_HAND: tuple[_Face, ...] = (
    _Face(
        "Dancing Script", "DancingScript-Regular.otf", "DancingScript-Bold.otf", "fonts-dancingscript", 1.3
    ),
    _Face("Kristi", "Kristi.ttf", "Kristi.ttf", "fonts-kristi", 1.45),
)

TUNING_FONTS: tuple[str, ...] = tuple(face.name for face in _TUNING)
HELD_OUT_FONTS: tuple[str, ...] = tuple(face.name for face in _HELD_OUT)
TUNING_HANDS: tuple[str, ...] = tuple(face.name for face in _TUNING_HAND)
HELD_OUT_HANDS: tuple[str, ...] = tuple(face.name for face in _HELD_OUT_HAND)

_FACES: dict[str, _Face] = {
    face.name: face for face in (*_TUNING, *_HELD_OUT, *_TUNING_HAND, *_HELD_OUT_HAND)
}
# Debian package of every face, for messages (scripts/ensure-system-packages.sh installs them).
PACKAGES: dict[str, str] = {name: face.package for name, face in _FACES.items()}

# Bold serif faces for the big "Rx" mark, best first.
_RX_FILES = ("DejaVuSerif-Bold.ttf", "LiberationSerif-Bold.ttf", "FreeSerifBold.ttf")

_FONT_SET: ContextVar[str] = ContextVar("docgen_font_set", default="all")


class FontsNotFoundError(RuntimeError):
    """No usable font file is installed."""


@dataclass(frozen=True)
class FontFamily:
    """A regular and a bold face of one family (absolute paths); `scale` multiplies its size."""

    name: str
    regular: str
    bold: str
    scale: float = 1.0
    hand: bool = False
    pen: float = 0.0


@lru_cache(maxsize=1)
def _installed_files() -> dict[str, str]:
    """Map font file base name -> absolute path, for every .ttf/.otf under FONT_ROOTS."""
    found: dict[str, str] = {}
    for root in FONT_ROOTS:
        for pattern in ("**/*.ttf", "**/*.otf"):
            for path in sorted(glob.glob(os.path.join(root, pattern), recursive=True)):
                found.setdefault(os.path.basename(path), path)
    return found


def _check_set(font_set: str) -> None:
    if font_set not in FONT_SETS:
        raise ValueError(f"unknown font set {font_set!r}; choose from {', '.join(FONT_SETS)}")


def _installed(names: tuple[str, ...], what: str, hands: tuple[str, ...] = ()) -> tuple[FontFamily, ...]:
    """The families called `names` whose files are installed; FontsNotFoundError if none is."""
    files = _installed_files()
    families = tuple(
        FontFamily(face.name, files[face.regular], files[face.bold], face.scale, face.name in hands, face.pen)
        for face in (_FACES[name] for name in names)
        if face.regular in files and face.bold in files
    )
    if not families:
        packages = " ".join(sorted({PACKAGES[name] for name in names}))
        raise FontsNotFoundError(
            f"docgen found none of its {what} under {', '.join(FONT_ROOTS)}; install the Debian "
            f"packages {packages} (scripts/ensure-system-packages.sh test does)"
        )
    return families


def _names(font_set: str, tuning: tuple[str, ...], held_out: tuple[str, ...]) -> tuple[str, ...]:
    _check_set(font_set)
    return {"all": tuning + held_out, "tuning": tuning, "held_out": held_out}[font_set]


def font_families(font_set: str | None = None) -> tuple[FontFamily, ...]:
    """Installed printed families of `font_set` ("all", "tuning", "held_out"; default: the set
    ``drawing_from`` chose, else "all") that have a regular and a bold face; raises
    FontsNotFoundError if none is installed."""
    return _printed_families(font_set or _FONT_SET.get())


@lru_cache(maxsize=8)
def _printed_families(font_set: str) -> tuple[FontFamily, ...]:
    return _installed(_names(font_set, TUNING_FONTS, HELD_OUT_FONTS), f"{font_set} printed fonts")


def hand_families(font_set: str | None = None) -> tuple[FontFamily, ...]:
    """Installed handwriting families of `font_set` (as font_families); FontsNotFoundError if none."""
    font_set = font_set or _FONT_SET.get()
    return _hand_families(font_set)


@lru_cache(maxsize=8)
def _hand_families(font_set: str) -> tuple[FontFamily, ...]:
    names = _names(font_set, TUNING_HANDS, HELD_OUT_HANDS)
    return _installed(names, f"{font_set} handwriting fonts", hands=names)


@contextmanager
def drawing_from(font_set: str) -> Iterator[None]:
    """Inside this block, documents are set in the faces of `font_set` only (see FONT_SETS)."""
    _check_set(font_set)
    token = _FONT_SET.set(font_set)
    try:
        yield
    finally:
        _FONT_SET.reset(token)


def family(name: str) -> FontFamily:
    """The installed family (printed or handwriting) called `name`; KeyError if it is not installed."""
    try:
        hands = hand_families("all")
    except FontsNotFoundError:
        hands = ()
    for fam in (*font_families("all"), *hands):
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
