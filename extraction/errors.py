"""The engine's exceptions. Each message tells a clerk what went wrong and what to do.

Callers catch ``ExtractionError`` once; the subclasses let software tell the cases apart.
"""

from __future__ import annotations

INSTALL_HINTS = {
    "tesseract": (
        "Debian/Ubuntu: sudo apt-get install tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd; "
        "macOS: brew install tesseract"
    ),
    "poppler": "Debian/Ubuntu: sudo apt-get install poppler-utils; macOS: brew install poppler",
    "rapidocr": "make setup (pip install -r requirements.txt: the rapidocr wheel carries its model)",
}


class ExtractionError(Exception):
    """Base class: something about this document or this machine stops extraction."""


class MissingDependencyError(ExtractionError):
    """A program the engine needs (tesseract, poppler) is not installed."""

    def __init__(self, program: str, detail: str = "") -> None:
        self.program = program
        hint = INSTALL_HINTS.get(program, "")
        message = (
            f"{program} is not installed or not on PATH, so documents cannot be read. Install it: {hint}"
        )
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class ToolTimeoutError(ExtractionError):
    """An external program took longer than its time limit."""

    def __init__(self, program: str, seconds: float) -> None:
        self.program = program
        self.seconds = seconds
        super().__init__(
            f"{program} did not finish within {seconds:g} seconds. The file may be very large or "
            "damaged; try again, or split it into smaller files."
        )


class ToolFailedError(ExtractionError):
    """An external program ran but reported an error."""

    def __init__(self, program: str, detail: str) -> None:
        self.program = program
        super().__init__(f"{program} could not process this file: {detail.strip()[:300]}")


class UnreadableDocumentError(ExtractionError):
    """The file is empty, damaged, encrypted or not a PDF/PNG/JPEG/TIFF."""


class DocumentTooLargeError(ExtractionError):
    """The document has more pages or pixels than the configured limits allow."""


class UnknownDocumentTypeError(ExtractionError):
    """A document type was asked for that the engine does not know."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        super().__init__(f"Unknown document type {name!r}; choose one of: {', '.join(known)}.")
