"""Intake checks: what every uploaded file must pass before it is stored (``services.upload.intake``).

Design: checks that cost nothing run here, at upload time, and refuse the file before anything is
stored — an empty file, a file over the byte limit, a file that is not a PDF/PNG/JPEG/TIFF by its
first bytes (whatever its name says), a duplicate; a PDF's pages are counted by pdfinfo and an
image's size and frames read from its header (:func:`inspect_upload` also returns that page count,
shown at upload). Checks that need the pages decoded (damaged or encrypted PDFs, damaged images) run
in the worker, which ends the document "failed" with the engine's message. Either way nothing is
half-stored: a refused file leaves no row, and a failed one keeps its bytes and can be queued again.

File names are only ever text: the directories a browser or a caller may send are dropped, control
characters removed, and the name is never used as a filesystem path.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

MAX_UPLOAD_MB_ENV = "MEDEXTRACT_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50  # the same as .streamlit/config.toml server.maxUploadSize
MAX_NAME_CHARS = 255
PDFINFO_SECONDS = 10.0  # pdfinfo reads a sound PDF's header in milliseconds
DEFAULT_MAX_PAGES = 50  # the engine's defaults (extraction.options), read here without importing it
DEFAULT_MAX_PAGE_PIXELS = 60_000_000
# Images with 16- or 32-bit samples: the engine scales their levels in float64 (8 bytes a pixel,
# twice over) where an 8-bit scan takes one byte; such an image gets 1/WIDE_COST of the pixel limit.
WIDE_MODES = frozenset({"I;16", "I;16B", "I;16L", "I;16N", "I", "F"})
WIDE_COST = 16

# First bytes of the formats the engine reads; a PDF may have a little whitespace before "%PDF".
SIGNATURES = (b"%PDF", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Refusal:
    """Why a file is refused before it is stored; ``message`` names the file and the problem."""

    reason: str  # "empty", "too_large", "not_a_document", "unreadable"
    message: str


@dataclass(frozen=True)
class Inspection:
    """What the intake checks found: the refusal (None: the file may be stored) and its number of
    pages, read from the PDF's or image's header on the way (None when not known: a file refused
    before it was opened, pdfinfo missing, an image too damaged to read its header)."""

    refusal: Refusal | None
    pages: int | None = None


def max_upload_bytes() -> int:
    """The byte limit for one file: env MEDEXTRACT_MAX_UPLOAD_MB (a positive number), else 50 MB."""
    raw = os.environ.get(MAX_UPLOAD_MB_ENV, "").strip()
    try:
        megabytes = float(raw) if raw else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    if megabytes <= 0:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    return int(megabytes * 1024 * 1024)


def display_name(filename: str | None) -> str:
    """The name to store and show: the last path part only, no control characters, NFC, at most 255.

    Both ``/`` and ``\\`` count as separators (browsers on Windows may send ``C:\\scans\\a.pdf``).
    Unicode and spaces are kept: this is a label, never a path.
    """
    text = unicodedata.normalize("NFC", filename or "")
    base = re.split(r"[/\\]", text)[-1]
    # Control and invisible formatting characters go: a bidirectional override (U+202E) makes
    # "scan_\u202egnp.fdp.png" read as a .png; zero-width ones make two names look alike.
    base = "".join(c for c in _CONTROL.sub("", base) if unicodedata.category(c) not in ("Cf", "Zl", "Zp"))
    base = base.strip()
    if base in ("", ".", ".."):
        base = "unnamed"
    return base[:MAX_NAME_CHARS]


def looks_like_document(data: bytes) -> bool:
    """Whether the bytes start like a PDF, PNG, JPEG or TIFF (the name's extension is not trusted)."""
    head = data[:1024]
    return head.startswith(SIGNATURES) or head.lstrip().startswith(b"%PDF")


def check_upload(name: str, data: bytes, *, max_bytes: int | None = None) -> Refusal | None:
    """The cheap refusals, in order: empty, over the byte limit, not a PDF/image; None when fine."""
    return inspect_upload(name, data, max_bytes=max_bytes).refusal


def inspect_upload(name: str, data: bytes, *, max_bytes: int | None = None) -> Inspection:
    """:func:`check_upload`'s refusal, with the file's page count when its header was read."""
    refusal = size_refusal(name, len(data), max_bytes=max_bytes)
    if refusal is not None:
        return Inspection(refusal)
    if not looks_like_document(data):
        return Inspection(
            Refusal(
                "not_a_document",
                f"{name} is not a PDF, PNG, JPEG or TIFF (whatever its name says); nothing was stored. "
                "Scan or save the document in one of those formats.",
            )
        )
    return _inspect_structure(name, data)


def structure_refusal(name: str, data: bytes) -> Refusal | None:
    """A PDF that does not parse, or an image whose header breaks a limit; None when fine.

    Still cheap: a PDF is read by ``pdfinfo`` (poppler, no page rendered, a few milliseconds); an
    image's header gives its size and sample depth without decoding a pixel. Random bytes behind a
    "%PDF" header are refused here instead of being stored for ever; a decompression bomb or a
    16-bit image too large to convert safely never reaches the worker's memory.
    """
    return _inspect_structure(name, data).refusal


def _inspect_structure(name: str, data: bytes) -> Inspection:
    if data.lstrip()[:4] == b"%PDF":
        return _pdf_inspection(name, data)
    return _image_inspection(name, data)


def _pdf_inspection(name: str, data: bytes) -> Inspection:
    from extraction import poppler
    from extraction.errors import ExtractionError, MissingDependencyError, ToolTimeoutError

    with tempfile.TemporaryDirectory(prefix="medextract-intake-") as folder:
        path = Path(folder) / "upload.pdf"
        path.write_bytes(data)
        try:
            info = poppler.read_pdf_info(path, timeout=PDFINFO_SECONDS)
        except ExtractionError as exc:
            if isinstance(exc, MissingDependencyError | ToolTimeoutError):
                return Inspection(None)  # the worker says so with the document kept; not the file's fault
            return Inspection(Refusal("unreadable", f"{name}: {exc} Nothing was stored."))
    if info.pages < 1:
        return Inspection(Refusal("unreadable", f"{name}: this PDF has no pages. Nothing was stored."))
    limit = max_pages()
    if info.pages > limit:
        return Inspection(
            Refusal(
                "too_large",
                f"{name} has {info.pages} pages; the limit is {limit}. Nothing was stored: split it "
                "into smaller files (one patient or prescription per file).",
            ),
            info.pages,
        )
    return Inspection(None, info.pages)


def _image_inspection(name: str, data: bytes) -> Inspection:
    refusal, frames = _image_refusal(name, data)
    return Inspection(refusal, frames)


def _image_refusal(name: str, data: bytes) -> tuple[Refusal | None, int | None]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height, mode = image.width, image.height, image.mode
            frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError:
        return Refusal("too_large", f"{name} is too large an image to open safely. Nothing was stored."), None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None, None  # a damaged image costs nothing to keep: the worker fails it with its message
    pixels, limit = width * height, max_page_pixels()
    if frames > max_pages():
        return Refusal(
            "too_large", f"{name} has {frames} pages; the limit is {max_pages()}. Nothing was stored."
        ), frames
    if pixels > limit:
        return Refusal(
            "too_large",
            f"{name} is {width}x{height} pixels, more than the limit of {limit:,}. Nothing was stored: "
            "scan it at a lower resolution (300 dpi is plenty).",
        ), frames
    if mode in WIDE_MODES and pixels > limit // WIDE_COST:
        return Refusal(
            "too_large",
            f"{name} is a {width}x{height} image with 16 or 32 bits per sample, which takes "
            f"{WIDE_COST} times the memory of an ordinary scan. Nothing was stored: save it as an "
            "8-bit image (any scanner or image program can), or at a lower resolution.",
        ), frames
    return None, frames


def max_pages() -> int:
    """The page limit the worker applies (env MEDEXTRACT_MAX_PAGES, default the engine's)."""
    return _env_limit("MEDEXTRACT_MAX_PAGES", DEFAULT_MAX_PAGES)


def max_page_pixels() -> int:
    """The pixel limit per page the worker applies (env MEDEXTRACT_MAX_PAGE_PIXELS)."""
    return _env_limit("MEDEXTRACT_MAX_PAGE_PIXELS", DEFAULT_MAX_PAGE_PIXELS)


def _env_limit(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        return default
    return value if value > 0 else default


def size_refusal(name: str, size: int, *, max_bytes: int | None = None) -> Refusal | None:
    """The refusal of a file of ``size`` bytes (empty, or over the limit), or None: a caller that
    knows the size before reading the bytes (an HTTP upload spooled to disk) asks this first."""
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if size <= 0:
        return Refusal("empty", f"{name} is empty (0 bytes); nothing was stored. Ask for the file again.")
    if size > limit:
        return Refusal(
            "too_large",
            f"{name} is {_megabytes(size)}; the limit is {_megabytes(limit)}. "
            "Nothing was stored: split the document or scan it at a lower resolution.",
        )
    return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"
