"""extraction.tesseract and extraction.poppler: missing programs, timeouts and failures become our
typed errors with install hints; tesseract's and pdfinfo's reports are parsed right. Tesseract is
faked here (a DICT in, words out); poppler runs for real only where a test says needs_poppler."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytesseract
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
    tesseract,
)
from extraction.poppler import PdfInfo, _parse_pdf_info, _pdf_error
from extraction.tesseract import Orientation, detect_orientation, read_words, tesseract_version
from extraction.types import Word
from tests.conftest import require

BLANK = np.full((40, 120), 255, np.uint8)
WORD_COLUMNS = ("text", "conf", "left", "top", "width", "height", "block_num", "par_num", "line_num")


def ocr_dict(*rows: tuple[Any, ...]) -> dict[str, list[Any]]:
    """pytesseract's Output.DICT from rows of (text, conf, left, top, width, height, block, par, line)."""
    return {column: [row[i] for row in rows] for i, column in enumerate(WORD_COLUMNS)}


def one_page_pdf() -> bytes:
    out = io.BytesIO()
    Image.new("L", (144, 144), 255).save(out, "PDF", resolution=72)
    return out.getvalue()


@pytest.fixture
def fresh_version_cache() -> Iterator[None]:
    """tesseract_version is cached: forget it before and after a test that changes the install."""
    tesseract_version.cache_clear()
    yield
    tesseract_version.cache_clear()


@pytest.fixture
def fake_tesseract_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let read_words run without a real tesseract: the version check passes."""
    monkeypatch.setattr(tesseract, "tesseract_version", lambda: "5.3.0")


@pytest.fixture
def needs_poppler() -> None:
    require(shutil.which("pdfinfo") is not None, "poppler-utils is not installed")
    require(shutil.which("pdftoppm") is not None, "poppler-utils is not installed")


def fake_image_to_data(monkeypatch: pytest.MonkeyPatch, result: Any) -> list[dict[str, Any]]:
    """Replace pytesseract.image_to_data; returns the list of calls (kwargs plus the env seen)."""
    calls: list[dict[str, Any]] = []

    def image_to_data(image: Image.Image, **kwargs: Any) -> Any:
        calls.append({**kwargs, "image": image, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT")})
        if isinstance(result, BaseException):
            raise result
        return result

    monkeypatch.setattr(pytesseract, "image_to_data", image_to_data)
    return calls


# ---------------------------------------------------------------- tesseract missing


def test_missing_tesseract_names_the_apt_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_version_cache: None
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr") as caught:
        read_words(BLANK, dpi=300, timeout=5)
    assert caught.value.program == "tesseract"
    assert "brew install tesseract" in str(caught.value)


def test_tesseract_not_on_path_is_missing(monkeypatch: pytest.MonkeyPatch, fresh_version_cache: None) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "tesseract")
    with pytest.raises(MissingDependencyError, match="not installed or not on PATH"):
        tesseract_version()


def test_tesseract_vanishing_between_check_and_run_is_missing(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    fake_image_to_data(monkeypatch, pytesseract.TesseractNotFoundError())
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr"):
        read_words(BLANK, dpi=300, timeout=5)


def test_extract_of_an_image_without_tesseract_raises_missing_dependency(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fresh_version_cache: None
) -> None:
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    out = io.BytesIO()
    Image.new("L", (300, 200), 255).save(out, "PNG")
    with pytest.raises(MissingDependencyError, match="tesseract-ocr"):
        extract(out.getvalue())


def test_missing_english_language_data_is_a_missing_dependency(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    message = (
        "Error opening data file /usr/share/tesseract-ocr/5/tessdata/eng.traineddata\n"
        "Failed loading language 'eng'\nTesseract couldn't load any languages!"
    )
    fake_image_to_data(monkeypatch, pytesseract.TesseractError(1, message))
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-eng"):
        read_words(BLANK, dpi=300, timeout=5)


# ---------------------------------------------------------------- tesseract timeouts and failures


def test_tesseract_timeout_becomes_tool_timeout_error(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    fake_image_to_data(monkeypatch, RuntimeError("Tesseract process timeout"))
    with pytest.raises(ToolTimeoutError, match=r"within 7\.5 seconds") as caught:
        read_words(BLANK, dpi=300, timeout=7.5)
    assert (caught.value.program, caught.value.seconds) == ("tesseract", 7.5)


def test_tesseract_error_becomes_tool_failed_error(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    calls = fake_image_to_data(monkeypatch, pytesseract.TesseractError(1, "Image too small to scale"))
    with pytest.raises(ToolFailedError, match=r"tesseract could not process this file.*too small"):
        read_words(BLANK, dpi=300, timeout=5)
    assert len(calls) == 1  # a failure that says why is the page's, not run again


def test_a_second_reading_tesseract_cannot_make_is_no_reading(monkeypatch: pytest.MonkeyPatch) -> None:
    from extraction import pipeline

    def failing_read_region(*args: Any) -> Any:
        raise ToolFailedError("tesseract", "it stopped on signal 11 without a message (twice)")

    monkeypatch.setattr(pipeline, "read_region", failing_read_region)
    reread = pipeline._region_reader([BLANK], [300], Options())
    assert reread(0, (0, 0, 10, 10), "line") == []


def test_tesseract_dying_silently_is_run_once_more(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    outcomes: list[Any] = [pytesseract.TesseractError(-11, ""), {key: [] for key in WORD_COLUMNS}]
    calls = []

    def image_to_data(image: Image.Image, **kwargs: Any) -> Any:
        calls.append(kwargs)
        outcome = outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    monkeypatch.setattr(pytesseract, "image_to_data", image_to_data)
    assert read_words(BLANK, dpi=300, timeout=5) == []
    assert len(calls) == 2


def test_tesseract_dying_silently_twice_names_the_signal(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    calls = fake_image_to_data(monkeypatch, pytesseract.TesseractError(-11, ""))
    with pytest.raises(ToolFailedError, match=r"stopped on signal 11"):
        read_words(BLANK, dpi=300, timeout=5)
    assert len(calls) == 2


def test_osd_timeout_is_not_mistaken_for_dont_know(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tesseract, "tesseract_version", lambda: "5.3.0")

    def image_to_osd(image: Image.Image, **kwargs: Any) -> str:
        raise RuntimeError("Tesseract process timeout")

    monkeypatch.setattr(pytesseract, "image_to_osd", image_to_osd)
    with pytest.raises(ToolTimeoutError):
        detect_orientation(BLANK, dpi=300, timeout=3)


def test_osd_failure_on_a_page_with_little_text_means_dont_know(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    def image_to_osd(image: Image.Image, **kwargs: Any) -> str:
        raise pytesseract.TesseractError(1, "Too few characters. Skipping this page")

    monkeypatch.setattr(pytesseract, "image_to_osd", image_to_osd)
    assert detect_orientation(BLANK, dpi=300, timeout=3) == Orientation(0, 0.0)


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (
            "Page number: 0\nOrientation in degrees: 270\nRotate: 90\n"
            "Orientation confidence: 5.47\nScript: Latin\nScript confidence: 2.10\n",
            Orientation(90, 5.47),
        ),
        ("Rotate: 360\nOrientation confidence: 1.00\n", Orientation(0, 1.0)),
        ("Rotate: 180\n", Orientation(0, 0.0)),
        ("", Orientation(0, 0.0)),
    ],
)
def test_osd_report_is_parsed(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None, report: str, expected: Orientation
) -> None:
    monkeypatch.setattr(pytesseract, "image_to_osd", lambda image, **kwargs: report)
    assert detect_orientation(BLANK, dpi=300, timeout=3) == expected


# ---------------------------------------------------------------- read_words


def test_read_words_runs_tesseract_single_threaded(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    monkeypatch.setenv("OMP_THREAD_LIMIT", "8")
    calls = fake_image_to_data(monkeypatch, ocr_dict())
    read_words(BLANK, dpi=300, timeout=5)
    assert calls[0]["OMP_THREAD_LIMIT"] == "1"


def test_read_words_passes_dpi_psm_language_and_timeout(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    calls = fake_image_to_data(monkeypatch, ocr_dict())
    read_words(BLANK, dpi=213, timeout=9.0, psm=7)
    (call,) = calls
    assert "--dpi 213" in call["config"]
    assert "--psm 7" in call["config"]
    assert call["lang"] == "eng"
    assert call["timeout"] == 9.0
    assert call["output_type"] == pytesseract.Output.DICT
    assert call["image"].size == (120, 40)


def test_read_words_drops_empty_words_and_structure_rows(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    data = ocr_dict(
        ("", -1, 0, 0, 600, 800, 0, 0, 0),  # page row
        ("", -1, 10, 10, 300, 40, 1, 0, 0),  # block row
        ("", -1, 10, 10, 300, 40, 1, 1, 1),  # line row
        ("Weight:", 96.5, 10, 10, 80, 20, 1, 1, 1),
        ("   ", 95, 95, 10, 5, 20, 1, 1, 1),
        ("", 0, 100, 10, 5, 20, 1, 1, 1),
        ("ghost", -1, 110, 10, 40, 20, 1, 1, 1),
        (" 95 ", "91", 120, 12, 30, 18, 1, 1, 1),
    )
    fake_image_to_data(monkeypatch, data)
    words = read_words(BLANK, dpi=300, timeout=5)
    assert words == [
        Word("Weight:", 0.965, (10, 10, 90, 30), 0),
        Word("95", 0.91, (120, 12, 150, 30), 0),
    ]


def test_read_words_numbers_lines_by_block_paragraph_and_line(
    monkeypatch: pytest.MonkeyPatch, fake_tesseract_installed: None
) -> None:
    data = ocr_dict(
        ("Patient", 90, 10, 10, 60, 20, 1, 1, 1),
        ("name", 90, 75, 10, 40, 20, 1, 1, 1),
        ("Kathy", 90, 10, 40, 50, 20, 1, 1, 2),
        ("Crawford", 90, 10, 70, 70, 20, 1, 2, 1),
        ("Date:", 90, 400, 10, 40, 20, 2, 1, 1),
        ("17/12/2020", 90, 450, 10, 90, 20, 2, 1, 1),
        ("again", 90, 120, 10, 40, 20, 1, 1, 1),  # back to the first line
    )
    fake_image_to_data(monkeypatch, data)
    words = read_words(BLANK, dpi=300, timeout=5)
    assert [(w.text, w.line) for w in words] == [
        ("Patient", 0),
        ("name", 0),
        ("Kathy", 1),
        ("Crawford", 2),
        ("Date:", 3),
        ("17/12/2020", 3),
        ("again", 0),
    ]
    assert all(0.0 <= w.confidence <= 1.0 for w in words)


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
