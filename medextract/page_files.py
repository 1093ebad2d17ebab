"""A document's pages as images, and the files merge, split and rotate derive from them.

Pages are read the way the engine reads them (``extraction.load``: a PDF rendered at the engine's
resolution, a photo turned upright by its EXIF tag, both as 8-bit grayscale on white), so a
derived file shows the engine exactly what the original did. A derived file is a multi-page TIFF,
compressed losslessly (deflate), each page keeping its own resolution: the engine reads it as it
reads an uploaded TIFF, and the merged pages of a PDF and a phone photo sit in one file.

Pure: bytes in, bytes out; no database, no Streamlit.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image

ROTATIONS = (90, 180, 270)  # clockwise degrees a page may be turned by
# Clockwise turns as Pillow's transposes (its ROTATE_n turns counter-clockwise); exact, no resampling.
_TURNS = {
    90: Image.Transpose.ROTATE_270,
    180: Image.Transpose.ROTATE_180,
    270: Image.Transpose.ROTATE_90,
}


class PageFileError(Exception):
    """A document's pages cannot be read (damaged, too large, not a document); the message says
    what is wrong in the clerk's words (the engine's own)."""


@dataclass(frozen=True)
class Page:
    """One page: 8-bit grayscale pixels and the resolution they were read at (dpi)."""

    image: Image.Image
    dpi: int


def read_pages(data: bytes) -> list[Page]:
    """Every page of a PDF, PNG, JPEG or TIFF, in order, within the engine's page and pixel limits
    (read from the environment now, as the worker does); PageFileError otherwise."""
    from extraction.errors import ExtractionError  # lazily: medextract imports without the engine
    from extraction.load import load_pages
    from medextract.engine_runner import engine_options

    try:
        return [
            Page(Image.fromarray(page.image).convert("L"), page.dpi)
            for page in load_pages(data, engine_options())
        ]
    except ExtractionError as exc:
        raise PageFileError(str(exc)) from exc


def turned(page: Page, degrees: int) -> Page:
    """The page turned clockwise by ``degrees`` (90, 180 or 270); ValueError for any other angle."""
    if degrees not in _TURNS:
        raise ValueError(f"a page turns by {', '.join(map(str, ROTATIONS))} degrees, not {degrees}")
    return Page(page.image.transpose(_TURNS[degrees]), page.dpi)


def parts(page_count: int, after: Sequence[int]) -> list[range]:
    """The page ranges (0-based) of a document of ``page_count`` pages cut after each page index in
    ``after``; ValueError naming a page that is not there, or a cut after the last page."""
    cuts = sorted(set(after))
    if not cuts:
        raise ValueError("Choose the page to split after.")
    for cut in cuts:
        if not 0 <= cut < page_count - 1:
            raise ValueError(
                f"There is no page {cut + 1} to split after: the document has {page_count} page(s), "
                "and a split needs pages on both sides."
            )
    bounds = [0, *(cut + 1 for cut in cuts), page_count]
    return [range(start, end) for start, end in itertools.pairwise(bounds)]


def write_tiff(pages: Sequence[Page]) -> bytes:
    """One multi-page TIFF of ``pages`` in order (lossless deflate), each with its own dpi."""
    if not pages:
        raise ValueError("a file needs at least one page")
    first, *rest = (_with_dpi(page) for page in pages)
    out = io.BytesIO()
    dpi = (pages[0].dpi, pages[0].dpi)  # the first page's options are the save call's own
    first.save(out, "TIFF", save_all=True, append_images=rest, compression="tiff_deflate", dpi=dpi)
    return out.getvalue()


def _with_dpi(page: Page) -> Image.Image:
    """The page's image set to be saved with its resolution. Pillow saves each appended frame with
    the first frame's options overlaid by the frame's own ``encoderinfo``: set there, a photo's
    300 dpi and a PDF page's 250 dpi both survive in one file."""
    image = page.image.copy()
    image.encoderinfo = {"dpi": (page.dpi, page.dpi)}
    return image


def tiff_name(stem: str, suffix: str, limit: int = 255) -> str:
    """A derived file's name: ``stem`` and ``suffix`` + ".tiff", the stem cut to fit ``limit``."""
    tail = f"{suffix}.tiff"
    return stem[: max(1, limit - len(tail))] + tail


def stem(filename: str) -> str:
    """A file name without its last extension ("scan.final.pdf" -> "scan.final")."""
    head, dot, _ = filename.rpartition(".")
    return head if dot and head else filename
