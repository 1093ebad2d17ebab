"""Load a document (path or bytes of a PDF, PNG, JPEG or TIFF) as page images, one at a time.

Limits are checked before pixels are decoded: a PDF's page count and page sizes come from
pdfinfo, an image's size from its header, so a decompression bomb is refused, not decoded.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extraction import poppler
from extraction.errors import DocumentTooLargeError, UnreadableDocumentError
from extraction.options import Options

Source = str | Path | bytes

_SIGNATURES = {
    b"%PDF": "pdf",
    b"\x89PNG": "png",
    b"\xff\xd8\xff": "jpeg",
    b"II*\x00": "tiff",
    b"MM\x00*": "tiff",
}
# Images without a usable resolution are assumed to show a whole letter-size page.
_PAGE_INCHES = 11.0
# Phone photos come at 400+ dpi; tesseract reads body text as well at this and runs faster.
MAX_IMAGE_DPI = 300
# A fax-quality scan is rendered at least this fine: below it, letters lose their strokes.
MIN_SCAN_DPI = 150


@dataclass(frozen=True)
class SourcePage:
    """One page as loaded: pixels (HxW gray or HxWx3 RGB), its resolution in dpi, and how many
    pages the document has (a lone page may use both cores for its OCR)."""

    image: np.ndarray
    dpi: int
    page_count: int = 1


def sniff_format(head: bytes) -> str | None:
    """'pdf', 'png', 'jpeg', 'tiff' from a file's first bytes, or None. Extensions are not trusted."""
    stripped = head.lstrip()
    for signature, name in _SIGNATURES.items():
        if head.startswith(signature) or (name == "pdf" and stripped.startswith(signature)):
            return name
    return None


def read_source(source: Source) -> bytes:
    """The document's bytes; a clear error for a missing, unreadable or empty file."""
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise UnreadableDocumentError(f"The file {path.name!r} does not exist.") from exc
        except OSError as exc:
            raise UnreadableDocumentError(
                f"The file {path.name!r} could not be read: {exc.strerror}."
            ) from exc
    if not data:
        raise UnreadableDocumentError("The file is empty (0 bytes). Ask the sender to send it again.")
    return data


def load_pages(data: bytes, options: Options) -> Iterator[SourcePage]:
    """Yield the document's pages in order; raise before yielding anything if it breaks a limit."""
    kind = sniff_format(data[:1024])
    if kind is None:
        raise UnreadableDocumentError(
            "This file is not a PDF, PNG, JPEG or TIFF (whatever its name says). "
            "Scan or save the document in one of those formats."
        )
    if kind == "pdf":
        yield from _pdf_pages(data, options)
    else:
        yield from _image_pages(data, options)


def _pdf_pages(data: bytes, options: Options) -> Iterator[SourcePage]:
    with tempfile.TemporaryDirectory(prefix="medextract-") as folder:
        path = Path(folder) / "document.pdf"
        path.write_bytes(data)
        # A PDF that needs a password to open fails in pdfinfo ("Incorrect password"); one that
        # only restricts printing or copying says "Encrypted: yes" but renders like any other.
        info = poppler.read_pdf_info(path, timeout=options.poppler_timeout)
        _check_page_count(info.pages, options)
        for width_pt, height_pt in info.page_sizes_pt:
            _check_pixels(round(width_pt / 72 * options.dpi), round(height_pt / 72 * options.dpi), options)
        scans = poppler.read_scan_resolutions(path, info.page_sizes_pt, timeout=options.poppler_timeout)
        for number in range(1, info.pages + 1):
            dpi = _render_dpi(scans.get(number), options)
            image = poppler.render_page(
                path, number, dpi=dpi, grayscale=True, timeout=options.poppler_timeout
            )
            yield SourcePage(image, dpi, info.pages)


def _render_dpi(scan_ppi: int | None, options: Options) -> int:
    """A scanned page at its own resolution, raised to MIN_SCAN_DPI, never above options.dpi (the
    resolution the pixel limit was checked at); other pages at options.dpi."""
    if scan_ppi is None:
        return options.dpi
    return min(options.dpi, max(MIN_SCAN_DPI, scan_ppi))


def _image_pages(data: bytes, options: Options) -> Iterator[SourcePage]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            frames = getattr(image, "n_frames", 1)
            _check_page_count(frames, options)
            for frame in ImageSequence.Iterator(image):
                _check_pixels(frame.width, frame.height, options)
                yield _frame_to_page(frame, frames)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnreadableDocumentError(
            f"This image is damaged or incomplete and cannot be opened ({exc}). "
            "Ask the sender to send it again."
        ) from exc
    except Image.DecompressionBombError as exc:
        raise DocumentTooLargeError(
            f"This image is too large to process safely ({exc}). Scan it at a lower resolution."
        ) from exc


def _frame_to_page(frame: Image.Image, page_count: int) -> SourcePage:
    upright = ImageOps.exif_transpose(frame) or frame
    dpi = _image_dpi(upright)
    gray = to_gray_on_white(upright)
    if dpi > MAX_IMAGE_DPI:
        scale = MAX_IMAGE_DPI / dpi
        gray = gray.resize((round(gray.width * scale), round(gray.height * scale)), Image.Resampling.LANCZOS)
        dpi = MAX_IMAGE_DPI
    return SourcePage(np.asarray(gray), dpi, page_count)


def to_gray_on_white(image: Image.Image) -> Image.Image:
    """8-bit grayscale as printed on white paper: transparency becomes paper, 16-bit levels are
    scaled (Pillow's own conversion clips them, turning dark-gray ink white)."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # Integer arithmetic: float64 levels and their temporaries took ~17 bytes a pixel.
        levels = np.asarray(image)
        wide = image.mode.startswith("I;16") or int(levels.max()) > 255
        if wide:
            # The top byte of each 16-bit level (within one level of scaling by 255/65535).
            if levels.dtype != np.uint16:
                levels = np.clip(levels, 0, 65535)
            eight = (levels >> 8).astype(np.uint8)
        else:
            eight = np.clip(levels, 0, 255).astype(np.uint8)
        return Image.fromarray(eight)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(paper, rgba).convert("L")
    return image.convert("L")


def _image_dpi(image: Image.Image) -> int:
    """The image's recorded dpi when it fits a real page, else the dpi of a letter page filling it.

    Phone cameras record 72 dpi whatever they shot; taken at its word, a 4032-pixel photo would be
    a 56-inch page, so a recorded value that makes the page longer than 17 inches is ignored.
    """
    recorded = image.info.get("dpi")
    if recorded and 70 <= float(recorded[0]) <= 1200 and max(image.size) / float(recorded[0]) <= 17:
        return round(float(recorded[0]))
    return max(70, round(max(image.size) / _PAGE_INCHES))


def _check_page_count(pages: int, options: Options) -> None:
    if pages < 1:
        raise UnreadableDocumentError("This document has no pages.")
    if pages > options.max_pages:
        raise DocumentTooLargeError(
            f"This document has {pages} pages; the limit is {options.max_pages}. "
            "Split it into smaller files (one patient or prescription per file)."
        )


def _check_pixels(width: int, height: int, options: Options) -> None:
    if width * height > options.max_page_pixels:
        raise DocumentTooLargeError(
            f"A page is {width}x{height} pixels, more than the limit of {options.max_page_pixels:,}. "
            "Scan it at a lower resolution (300 dpi is plenty)."
        )
