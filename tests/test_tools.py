"""extraction.poppler: missing programs, timeouts and failures become our typed errors with install
hints; pdfinfo's reports are parsed right. Poppler runs for real only where a test says
needs_poppler. Tesseract's own tests are in test_tesseract.py."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from extraction import (
    MissingDependencyError,
    Options,
    ToolFailedError,
    ToolTimeoutError,
    UnreadableDocumentError,
    extract,
    poppler,
)
from extraction.poppler import PdfInfo, _parse_pdf_info, _pdf_error
from tests.conftest import require

BLANK = np.full((40, 120), 255, np.uint8)


def one_page_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("L", (144, 144), 255).save(out, "PDF", resolution=72)
    return out.getvalue()


@pytest.fixture
def needs_poppler() -> None:
    require(shutil.which("pdfinfo") is not None, "poppler-utils is not installed")
    require(shutil.which("pdftoppm") is not None, "poppler-utils is not installed")


# ---------------------------------------------------------------- a second reading that fails


def test_a_second_reading_tesseract_cannot_make_is_no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from extraction import pipeline

    def failing_read_region(*args: Any) -> Any:
        raise ToolFailedError("tesseract", "it could not recognise this image")

    monkeypatch.setattr(pipeline, "read_region", failing_read_region)
    reread = pipeline._region_reader([BLANK], [300], Options())
    assert reread(0, (0, 0, 10, 10), "line") == []


# ---------------------------------------------------------------- poppler missing


def test_missing_poppler_names_the_apt_package(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingDependencyError, match="apt-get install poppler-utils") as caught:
        extract(one_page_pdf())
    assert caught.value.program == "poppler"
    assert "pdfinfo not found" in str(caught.value)


def test_missing_pdftoppm_alone_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, needs_poppler: None
) -> None:
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo is not None
    (tmp_path / "pdfinfo").symlink_to(pdfinfo)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(MissingDependencyError, match=r"poppler-utils.*pdftoppm not found"):
        extract(one_page_pdf())


# ---------------------------------------------------------------- poppler timeouts and failures


def test_pdfinfo_timeout_becomes_tool_timeout_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(poppler, "require_poppler", lambda: None)

    def run(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(subprocess, "run", run)
    with pytest.raises(ToolTimeoutError, match="pdfinfo did not finish within 4 seconds") as caught:
        poppler.read_pdf_info(tmp_path / "a.pdf", timeout=4)
    assert caught.value.program == "pdfinfo"


@pytest.mark.parametrize(
    ("stderr", "error", "words"),
    [
        ("Command Line Error: Incorrect password\n", UnreadableDocumentError, "password-protected"),
        ("Syntax Error: Couldn't read xref table\n", UnreadableDocumentError, "damaged or incomplete"),
        ("Syntax Error: Couldn't find trailer dictionary\n", UnreadableDocumentError, "damaged"),
        ("I/O Error: something odd\n", ToolFailedError, "poppler could not process this file: I/O Error"),
        ("", ToolFailedError, "unknown error"),
    ],
)
def test_pdfinfo_failure_is_told_apart(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, stderr: str, error: type[Exception], words: str
) -> None:
    monkeypatch.setattr(poppler, "require_poppler", lambda: None)
    monkeypatch.setattr(
        subprocess, "run", lambda command, **kwargs: subprocess.CompletedProcess(command, 1, "", stderr)
    )
    with pytest.raises(error, match=words):
        poppler.read_pdf_info(tmp_path / "a.pdf", timeout=4)


def test_poppler_error_detail_is_cut_to_a_readable_length() -> None:
    error = _pdf_error("Internal Error: " + "x" * 2000)
    assert isinstance(error, ToolFailedError)
    assert len(str(error)) < 400


def test_pdftoppm_timeout_becomes_tool_timeout_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, needs_poppler: None
) -> None:
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo is not None
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "pdfinfo").symlink_to(pdfinfo)
    slow = bin_dir / "pdftoppm"
    # Answers pdf2image's version query at once, then hangs on the real work.
    slow.write_text(
        '#!/bin/sh\n[ "$1" = -v ] && { echo "pdftoppm version 22.02.0" >&2; exit 0; }\nexec sleep 30\n'
    )
    slow.chmod(0o755)
    document = tmp_path / "a.pdf"
    document.write_bytes(one_page_pdf())
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    with pytest.raises(ToolTimeoutError, match="pdftoppm did not finish"):
        poppler.render_page(document, 1, dpi=72, grayscale=True, timeout=0.5)


# ---------------------------------------------------------------- pdfinfo's report

MULTI_PAGE_REPORT = """\
Title:           scan: ward 3
Producer:        PIL
Tagged:          no
Form:            none
Pages:           3
Encrypted:       no
Page    1 size:  612 x 792 pts (letter)
Page    1 rot:   0
Page    2 size:  595.276 x 841.89 pts (A4)
Page    2 rot:   90
Page    3 size:  200 x 300 pts
Page    3 rot:   0
File size:       2842 bytes
PDF version:     1.4
"""


def test_pdfinfo_report_gives_every_page_size_in_order() -> None:
    assert _parse_pdf_info(MULTI_PAGE_REPORT) == PdfInfo(
        pages=3,
        page_sizes_pt=((612.0, 792.0), (595.276, 841.89), (200.0, 300.0)),
        encrypted=False,
    )


def test_pdfinfo_report_of_an_encrypted_pdf_says_so() -> None:
    report = (
        "Pages:           1\n"
        "Encrypted:       yes (print:yes copy:no change:no addNotes:no algorithm:AES-256)\n"
        "Page    1 size:  200 x 300 pts\n"
    )
    info = _parse_pdf_info(report)
    assert info.encrypted is True
    assert info.page_sizes_pt == ((200.0, 300.0),)


def test_pdfinfo_report_without_page_sizes_assumes_letter() -> None:
    info = _parse_pdf_info("Pages:           2\nPage size:       612 x 792 pts (letter)\n")
    assert info.pages == 2
    assert info.page_sizes_pt == ((612.0, 792.0), (612.0, 792.0))


def test_pdfinfo_report_without_pages_has_no_pages() -> None:
    assert _parse_pdf_info("Producer: nobody\n") == PdfInfo(pages=0, page_sizes_pt=(), encrypted=False)


def test_real_pdfinfo_reads_a_generated_pdf(needs_poppler: None, tmp_path: Path) -> None:
    document = tmp_path / "a.pdf"
    document.write_bytes(one_page_pdf())
    assert poppler.read_pdf_info(document, timeout=10) == PdfInfo(1, ((144.0, 144.0),), False)
