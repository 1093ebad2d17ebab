"""Intake checks: what every uploaded file must pass before it is stored (``services.upload.intake``).

Design: checks that cost nothing run here, at upload time, and refuse the file before anything is
stored — an empty file, a file over the byte limit, a file that is not a PDF/PNG/JPEG/TIFF by its
first bytes (whatever its name says), a duplicate. Checks that need the document opened (page count,
pixel count, damaged or encrypted PDFs) run in the worker, which ends the document "failed" with the
engine's message. Either way nothing is half-stored: a refused file leaves no row, and a failed one
keeps its bytes and can be queued again.

File names are only ever text: the directories a browser or a caller may send are dropped, control
characters removed, and the name is never used as a filesystem path.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass

MAX_UPLOAD_MB_ENV = "MEDEXTRACT_MAX_UPLOAD_MB"
DEFAULT_MAX_UPLOAD_MB = 50  # the same as .streamlit/config.toml server.maxUploadSize
MAX_NAME_CHARS = 255

# First bytes of the formats the engine reads; a PDF may have a little whitespace before "%PDF".
SIGNATURES = (b"%PDF", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Refusal:
    """Why a file is refused before it is stored; ``message`` names the file and the problem."""

    reason: str  # "empty", "too_large", "not_a_document"
    message: str


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
    base = _CONTROL.sub("", base).strip()
    if base in ("", ".", ".."):
        base = "unnamed"
    return base[:MAX_NAME_CHARS]


def looks_like_document(data: bytes) -> bool:
    """Whether the bytes start like a PDF, PNG, JPEG or TIFF (the name's extension is not trusted)."""
    head = data[:1024]
    return head.startswith(SIGNATURES) or head.lstrip().startswith(b"%PDF")


def check_upload(name: str, data: bytes, *, max_bytes: int | None = None) -> Refusal | None:
    """The cheap refusals, in order: empty, over the byte limit, not a PDF/image; None when fine."""
    refusal = size_refusal(name, len(data), max_bytes=max_bytes)
    if refusal is not None:
        return refusal
    if not looks_like_document(data):
        return Refusal(
            "not_a_document",
            f"{name} is not a PDF, PNG, JPEG or TIFF (whatever its name says); nothing was stored. "
            "Scan or save the document in one of those formats.",
        )
    return None


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
