"""The one place the engine calls poppler (through pdf2image): page count, page sizes, rendering.

Each call has a timeout; poppler's failures become our typed errors. Encrypted, truncated and
zero-page PDFs are told apart so the clerk knows what to ask the sender for.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pdf2image
from pdf2image import exceptions as pdf_errors

from extraction.errors import (
    MissingDependencyError,
    ToolFailedError,
    ToolTimeoutError,
    UnreadableDocumentError,
)


@dataclass(frozen=True)
class PdfInfo:
    """What pdfinfo says about a PDF before anything is rendered."""

    pages: int
    page_sizes_pt: tuple[tuple[float, float], ...]
    encrypted: bool


def require_poppler() -> None:
    """Raise MissingDependencyError unless pdfinfo and pdftoppm are on PATH."""
    for program in ("pdfinfo", "pdftoppm"):
        if shutil.which(program) is None:
            raise MissingDependencyError("poppler", f"{program} not found")


def read_pdf_info(path: Path, *, timeout: float) -> PdfInfo:
    """Page count and each page's size in points, without rendering anything."""
    result = _run_tool(["pdfinfo", "-f", "1", "-l", "-1", str(path)], timeout)
    if result.returncode != 0:
        raise _pdf_error(result.stderr)
    return _parse_pdf_info(result.stdout)


def _run_tool(command: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run one poppler command-line tool with a timeout; its output as text."""
    require_poppler()
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, errors="replace")
    except subprocess.TimeoutExpired as exc:
        raise ToolTimeoutError(command[0], timeout) from exc


def _parse_pdf_info(report: str) -> PdfInfo:
    pages = 0
    sizes: dict[int, tuple[float, float]] = {}
    encrypted = False
    for line in report.splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip(), value.strip()
        if key == "Pages" and value.isdigit():
            pages = int(value)
        elif key == "Encrypted":
            encrypted = value.startswith("yes")
        elif key.startswith("Page") and key.endswith("size"):
            number = key.split()[1]
            parts = value.split()
            if number.isdigit() and len(parts) >= 3:
                sizes[int(number)] = (float(parts[0]), float(parts[2]))
    ordered = tuple(sizes.get(i, (612.0, 792.0)) for i in range(1, pages + 1))
    return PdfInfo(pages=pages, page_sizes_pt=ordered, encrypted=encrypted)


def _pdf_error(stderr: str) -> Exception:
    lowered = stderr.lower()
    if "invalid page count 0" in lowered:
        return UnreadableDocumentError("This PDF has no pages. Ask the sender for the complete document.")
    if "incorrect password" in lowered or "encrypted" in lowered:
        return UnreadableDocumentError(
            "This PDF is password-protected. Ask the sender for a copy without a password."
        )
    if any(word in lowered for word in ("syntax error", "couldn't", "may not be a pdf", "damaged", "xref")):
        return UnreadableDocumentError(
            "This PDF is damaged or incomplete and cannot be opened. Ask the sender to send it again."
        )
    return ToolFailedError("poppler", stderr or "unknown error")


def read_scan_resolutions(
    path: Path, page_sizes_pt: tuple[tuple[float, float], ...], *, timeout: float
) -> dict[int, int]:
    """For pages that are one scanned image, that image's resolution (ppi), by page number.

    Rendering a scan above its own resolution only enlarges its noise into blobs that OCR reads
    as letters, so the loader renders such pages at this resolution instead of a fixed dpi.
    Pages drawn as text and vectors are absent from the answer.
    """
    result = _run_tool(["pdfimages", "-list", str(path)], timeout)
    if result.returncode != 0:
        return {}
    return _parse_scan_resolutions(result.stdout, page_sizes_pt)


def _parse_scan_resolutions(report: str, page_sizes_pt: tuple[tuple[float, float], ...]) -> dict[int, int]:
    best: dict[int, tuple[int, int]] = {}  # page -> (pixel area, ppi) of its largest image
    for row in report.splitlines()[2:]:
        cols = row.split()
        if len(cols) < 14 or not cols[0].isdigit() or cols[2] != "image":
            continue
        page, width, height, ppi = int(cols[0]), int(cols[3]), int(cols[4]), cols[12]
        if not ppi.isdigit() or not 1 <= page <= len(page_sizes_pt):
            continue
        page_width_pt = page_sizes_pt[page - 1][0]
        # Only an image spanning most of the page width is the page's scan, not a logo.
        if width / int(ppi) * 72 < 0.8 * page_width_pt:
            continue
        if width * height > best.get(page, (0, 0))[0]:
            best[page] = (width * height, int(ppi))
    return {page: ppi for page, (_, ppi) in best.items()}


def render_page(path: Path, page_number: int, *, dpi: int, grayscale: bool, timeout: float) -> np.ndarray:
    """Render one page (1-based) to an array: HxW uint8 when grayscale, else HxWx3 RGB."""
    require_poppler()
    try:
        images = pdf2image.convert_from_path(
            str(path),
            dpi=dpi,
            first_page=page_number,
            last_page=page_number,
            grayscale=grayscale,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise ToolTimeoutError("pdftoppm", timeout) from exc
    except pdf_errors.PDFPageCountError as exc:
        raise _pdf_error(str(exc)) from exc
    except pdf_errors.PDFPopplerTimeoutError as exc:
        # pdf2image catches the subprocess timeout itself and raises this instead.
        raise ToolTimeoutError("pdftoppm", timeout) from exc
    except pdf_errors.PDFSyntaxError as exc:
        raise _pdf_error(str(exc)) from exc
    if not images:
        raise UnreadableDocumentError(f"Page {page_number} of this PDF could not be rendered.")
    image = images[0]
    return np.asarray(image.convert("L" if grayscale else "RGB"))
