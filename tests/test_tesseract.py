"""extraction.tesseract: tesseract's API in this process reads what the tesseract program reads;
engines are kept and reused without one call's settings reaching the next; a missing library or
language, a timeout and a failure become our typed errors; tesseract's reports are parsed right.

Real tesseract runs here except where a test fakes an engine's failure."""

from __future__ import annotations

import ctypes
import ctypes.util
import io
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from extraction import MissingDependencyError, ToolFailedError, ToolTimeoutError, extract, tesseract
from extraction.tesseract import Orientation, detect_orientation, orientation_of, parse_tsv, read_words
from extraction.types import Word
from tests.conftest import without_tesseract
from tests.drawn_pages import FONT_PATH, DrawnPage

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

BLANK = np.full((40, 120), 255, np.uint8)
PARAGRAPH = [
    "Patient name: Kathy Crawford",
    "Date of birth: 17/12/1980",
    "Phone: (555) 201-4477",
    "Amoxicillin 500 mg capsules",
    "Take one capsule three times a day",
]


def text_page(lines: list[str] = PARAGRAPH) -> np.ndarray:
    page = DrawnPage(width=1400, height=120 + 70 * len(lines))
    for i, line in enumerate(lines):
        page.text(60, 60 + 70 * i, line)
    return page.array()


@pytest.fixture
def library_gone(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    without_tesseract(monkeypatch, tmp_path)


class FailingEngine:
    """An engine whose recognition fails (returns False, or raises), as a fake for what real
    tesseract does only on damaged or huge input."""

    def __init__(self, outcome: Any, seconds: float = 0.0) -> None:
        self.outcome, self.seconds = outcome, seconds

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: None

    def Recognize(self, timeout: int) -> bool:
        if self.seconds:
            threading.Event().wait(self.seconds)
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return bool(self.outcome)


def engines_holding(monkeypatch: pytest.MonkeyPatch, engine: Any) -> None:
    engines = tesseract._Engines("eng", tesseract._NO_LANGUAGE)
    monkeypatch.setattr(engines, "_load", lambda: engine)
    monkeypatch.setattr(tesseract, "_TEXT", engines)


# ---------------------------------------------------------------- what it reads


def test_reads_a_printed_page_word_by_word_with_boxes_and_lines() -> None:
    words = read_words(text_page(), dpi=300, timeout=30)
    assert " ".join(w.text for w in words) == " ".join(PARAGRAPH)
    assert len({w.line for w in words}) == len(PARAGRAPH)
    assert all(0.0 <= w.confidence <= 1.0 for w in words)
    name = next(w for w in words if w.text == "Kathy")
    assert 60 < name.box[0] < name.box[2] < 1400 and 50 < name.box[1] < name.box[3] < 130


def test_reads_word_for_word_what_the_tesseract_program_reads() -> None:
    """The library is built against the system's libtesseract: the same engine and data as the
    program the reference pipeline runs, so a reading never depends on which of the two ran."""
    pytesseract = pytest.importorskip("pytesseract")
    page = text_page()
    config = "--dpi 300 --oem 1 --psm 3 -c tessedit_do_invert=0 -c preserve_interword_spaces=1"
    data = pytesseract.image_to_data(Image.fromarray(page), lang="eng", config=config, output_type="dict")
    program = [(t.strip(), int(float(c))) for t, c in zip(data["text"], data["conf"], strict=True)]
    program = [(t, c) for t, c in program if t and c >= 0]
    ours = [(w.text, round(w.confidence * 100)) for w in read_words(page, dpi=300, timeout=30)]
    assert ours == program


def test_a_whitelist_holds_for_its_own_reading_only() -> None:
    line = text_page(["Refills 3 of 12 (twelve)"])
    digits = read_words(line, dpi=300, timeout=30, psm=7, whitelist="0123456789")
    again = read_words(line, dpi=300, timeout=30, psm=7)
    assert all(ch.isdigit() for w in digits for ch in w.text)
    assert " ".join(w.text for w in again) == "Refills 3 of 12 (twelve)"


def test_a_blank_image_reads_no_words() -> None:
    assert read_words(np.full((300, 600), 255, np.uint8), dpi=300, timeout=30) == []


def test_a_colour_image_reads_like_its_grey() -> None:
    grey = text_page(PARAGRAPH[:2])
    colour = np.dstack([grey] * 3)
    assert read_words(colour, dpi=300, timeout=30) == read_words(grey, dpi=300, timeout=30)


def test_engines_reading_at_once_on_threads_each_read_their_own_page() -> None:
    pages = [text_page([line]) for line in PARAGRAPH]
    results: dict[int, str] = {}

    def read(i: int) -> None:
        results[i] = " ".join(w.text for w in read_words(pages[i], dpi=300, timeout=30, psm=7))

    threads = [threading.Thread(target=read, args=(i,)) for i in range(len(pages))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[i] for i in range(len(pages))] == PARAGRAPH


def test_an_engine_is_kept_for_the_next_call_and_lent_to_one_user_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engines = tesseract._Engines("eng", tesseract._NO_LANGUAGE)
    loaded: list[object] = []
    monkeypatch.setattr(engines, "_load", lambda: loaded.append(object()) or loaded[-1])
    with engines.engine() as first, engines.engine() as second:
        assert first is not second
    with engines.engine() as again:
        assert again in (first, second)
    assert len(loaded) == 2


def test_a_forked_process_loads_engines_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    engines = tesseract._Engines("eng", tesseract._NO_LANGUAGE)
    monkeypatch.setattr(engines, "_load", object)
    with engines.engine() as parent_engine:
        pass
    monkeypatch.setattr(os, "getpid", lambda: -1)
    with engines.engine() as child_engine:
        assert child_engine is not parent_engine


def test_tesseract_and_leptonica_keep_their_diagnostics_off_stderr() -> None:
    """In the program, tesseract's and leptonica's messages were its own stderr; in our process
    they would land between the CLI's and the worker's own lines."""
    read_words(BLANK, dpi=300, timeout=5)
    with tesseract._TEXT.engine() as engine:
        assert engine.GetStringVariable("debug_file") == os.devnull
    leptonica = ctypes.CDLL(ctypes.util.find_library("lept") or ctypes.util.find_library("leptonica"))
    assert leptonica.setMsgSeverity(tesseract.LEPTONICA_SILENT) == tesseract.LEPTONICA_SILENT


def test_read_words_runs_tesseract_single_threaded() -> None:
    assert os.environ["OMP_THREAD_LIMIT"] == "1"


# ---------------------------------------------------------------- failures


def test_missing_library_names_the_apt_package(library_gone: None) -> None:
    with pytest.raises(MissingDependencyError, match="apt-get install tesseract-ocr") as caught:
        read_words(BLANK, dpi=300, timeout=5)
    assert caught.value.program == "tesseract"
    assert "tesserocr" in str(caught.value)


def test_extract_of_an_image_without_tesseract_raises_missing_dependency(library_gone: None) -> None:
    out = io.BytesIO()
    Image.new("L", (300, 200), 255).save(out, "PNG")
    with pytest.raises(MissingDependencyError, match="tesseract-ocr"):
        extract(out.getvalue())


def test_nothing_is_missing_here_and_a_missing_library_is_named(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert tesseract.missing_parts() == []
    without_tesseract(monkeypatch, tmp_path)
    assert tesseract.missing_parts() == ["tesserocr"]


def test_missing_language_data_is_a_missing_dependency() -> None:
    engines = tesseract._Engines("no-such-language", tesseract._NO_LANGUAGE)
    with pytest.raises(MissingDependencyError, match="tesseract-ocr-eng"), engines.engine():
        pass


def test_a_reading_past_its_time_becomes_tool_timeout_error() -> None:
    page = text_page(PARAGRAPH * 4)
    with pytest.raises(ToolTimeoutError, match=r"within 0\.001 seconds") as caught:
        read_words(page, dpi=300, timeout=0.001)
    assert (caught.value.program, caught.value.seconds) == ("tesseract", 0.001)


def test_a_recognition_that_gives_up_early_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    engines_holding(monkeypatch, FailingEngine(False))
    with pytest.raises(ToolFailedError, match="tesseract could not process this file"):
        read_words(BLANK, dpi=300, timeout=30)


def test_tesseract_error_becomes_tool_failed_error(monkeypatch: pytest.MonkeyPatch) -> None:
    engines_holding(monkeypatch, FailingEngine(RuntimeError("Image too small to scale")))
    with pytest.raises(ToolFailedError, match=r"tesseract could not process this file.*too small"):
        read_words(BLANK, dpi=300, timeout=5)


def test_an_image_tesseract_cannot_take_is_a_failure() -> None:
    with pytest.raises(ToolFailedError, match="float64"):
        read_words(BLANK.astype(np.float64), dpi=300, timeout=5)


# ---------------------------------------------------------------- orientation


@pytest.mark.parametrize(("quarter_turns_left", "rotate"), [(1, 90), (2, 180), (3, 270)])
def test_orientation_of_a_turned_page_says_how_to_turn_it_back(quarter_turns_left: int, rotate: int) -> None:
    page = text_page(PARAGRAPH * 3)
    turned = np.ascontiguousarray(np.rot90(page, quarter_turns_left))
    verdict = detect_orientation(turned, dpi=300, timeout=30)
    assert verdict.rotate == rotate
    assert verdict.confidence > 0


def test_orientation_of_a_page_without_text_is_dont_know() -> None:
    assert detect_orientation(np.full((400, 400), 255, np.uint8), dpi=300, timeout=30) == Orientation(0, 0.0)


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        ({"orient_deg": 270, "orient_conf": 5.47, "script_name": "Latin"}, Orientation(90, 5.47)),
        ({"orient_deg": 90, "orient_conf": 1.0}, Orientation(270, 1.0)),
        ({"orient_deg": 0, "orient_conf": 12.5}, Orientation(0, 12.5)),
        (None, Orientation(0, 0.0)),
        ({}, Orientation(0, 0.0)),
    ],
)
def test_orientation_verdict_is_read(verdict: dict[str, Any] | None, expected: Orientation) -> None:
    assert orientation_of(verdict) == expected


# ---------------------------------------------------------------- the TSV report


def tsv(*rows: tuple[Any, ...]) -> str:
    """Tesseract's TSV rows from (level, block, paragraph, line, word, left, top, width, height,
    confidence, text); the page number is always 1."""
    return "".join(
        "\t".join(str(cell) for cell in (level, 1, block, par, line, word, *rest)) + "\n"
        for level, block, par, line, word, *rest in rows
    )


def test_tsv_drops_empty_words_and_structure_rows() -> None:
    report = tsv(
        (1, 0, 0, 0, 0, 0, 0, 600, 800, -1, ""),  # page row
        (2, 1, 0, 0, 0, 10, 10, 300, 40, -1, ""),  # block row
        (4, 1, 1, 1, 0, 10, 10, 300, 40, -1, ""),  # line row
        (5, 1, 1, 1, 1, 10, 10, 80, 20, 96.528, "Weight:"),
        (5, 1, 1, 1, 2, 95, 10, 5, 20, 95, "   "),
        (5, 1, 1, 1, 3, 110, 10, 40, 20, -1, "ghost"),
        (5, 1, 1, 1, 4, 120, 12, 30, 18, 91.99, " 95 "),
    )
    assert parse_tsv(report) == [
        Word("Weight:", 0.96, (10, 10, 90, 30), 0),
        Word("95", 0.91, (120, 12, 150, 30), 0),
    ]


def test_tsv_drops_the_fill_in_line_read_as_underscores() -> None:
    report = tsv(
        (5, 1, 1, 1, 1, 10, 10, 80, 20, 90, "Name:"),
        (5, 1, 1, 1, 2, 95, 10, 200, 20, 40, "________"),
        (5, 1, 1, 1, 3, 300, 10, 120, 20, 15, "_Rosuvastatin"),
        (5, 1, 1, 1, 4, 430, 10, 40, 20, 90, "10__"),
        (5, 1, 1, 1, 5, 480, 10, 160, 20, 90, "ann_lee@example.com"),
    )
    assert [w.text for w in parse_tsv(report)] == ["Name:", "Rosuvastatin", "10", "ann_lee@example.com"]


def test_tsv_numbers_lines_by_block_paragraph_and_line() -> None:
    report = tsv(
        (5, 1, 1, 1, 1, 10, 10, 60, 20, 90, "Patient"),
        (5, 1, 1, 1, 2, 75, 10, 40, 20, 90, "name"),
        (5, 1, 1, 2, 1, 10, 40, 50, 20, 90, "Kathy"),
        (5, 1, 2, 1, 1, 10, 70, 70, 20, 90, "Crawford"),
        (5, 2, 1, 1, 1, 400, 10, 40, 20, 90, "Date:"),
        (5, 2, 1, 1, 2, 450, 10, 90, 20, 90, "17/12/2020"),
        (5, 1, 1, 1, 3, 120, 10, 40, 20, 90, "again"),  # back to the first line
    )
    assert [(w.text, w.line) for w in parse_tsv(report)] == [
        ("Patient", 0),
        ("name", 0),
        ("Kathy", 1),
        ("Crawford", 2),
        ("Date:", 3),
        ("17/12/2020", 3),
        ("again", 0),
    ]


def test_tsv_keeps_a_tab_inside_a_word_and_skips_a_header() -> None:
    report = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    report += tsv((5, 1, 1, 1, 1, 0, 0, 10, 10, 50, "a\tb"))
    assert parse_tsv(report) == [Word("a\tb", 0.5, (0, 0, 10, 10), 0)]
