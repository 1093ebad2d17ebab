"""Options printed in ruled cells and ticked beside their words: the ticked cell's option is the
question's answer; a row of a table of labels and values, a row with two ticks and a tick beside
an option OCR did not read surely answer nothing."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.structure import find_structure
from extraction.types import Word
from tests.drawn_pages import FONT_PATH, DrawnPage, page_text

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

CELL = 260
TOP = 100


def _tick(page: DrawnPage, x: int, y: int) -> None:
    """A pen's tick 24 px high with its top-left at (x, y)."""
    page.line(x, y + 14, x + 8, y + 24, width=3)
    page.line(x + 8, y + 24, x + 22, y, width=3)


def _options(
    options: tuple[str, ...], ticked: tuple[int, ...], question: str = "Measles", before: bool = False
) -> DrawnPage:
    """``question`` left of a row of ruled cells, one option each; a tick after (or before) the
    words of the options ``ticked``."""
    page = DrawnPage(1400, 260)
    page.text(60, TOP + 14, question)
    left = 1400 - 40 - CELL * len(options)
    page.table(left, TOP, [CELL] * len(options), [56])
    for index, option in enumerate(options):
        x = left + index * CELL + (50 if before else 14)
        words = page.text(x, TOP + 14, option)
        if index in ticked:
            _tick(page, 10 + left + index * CELL if before else words[-1].box[2] + 16, TOP + 16)
    return page


def _selected(page: DrawnPage, words: list[Word] | None = None) -> list[str]:
    structure = find_structure(page.array(), page.words if words is None else words)
    return [m.option for m in structure.marks if m.shape == "kept" and m.selected]


@pytest.mark.parametrize("before", [False, True])
def test_the_ticked_cell_s_option_is_the_answer(before: bool) -> None:
    page = _options(("Immune", "Not immune", "Unknown"), (1,), before=before)
    assert _selected(page) == ["Not immune"]
    structure = find_structure(page.array(), page.words)
    text = page_text(page.words, page.image.size)
    fields = extract_fields(get_document_type("patient_details"), [text], 0.8, structures=[structure])
    assert fields["measles"].value == "NOT IMMUNE"


def test_a_tick_read_as_an_unsure_letter_is_still_the_mark() -> None:
    page = _options(("Yes", "No"), (0,), question="Hepatitis B vaccinated?")
    yes = next(w for w in page.words if w.text == "Yes")
    read_as = Word("JV", 0.45, (yes.box[2] + 16, TOP + 16, yes.box[2] + 40, TOP + 41))
    assert _selected(page, [*page.words, read_as]) == ["Yes"]


def test_two_ticks_or_none_answer_nothing() -> None:
    assert _selected(_options(("Yes", "No"), (0, 1))) == []
    assert _selected(_options(("Yes", "No"), ())) == []


def test_an_option_read_unsurely_beside_a_tick_answers_nothing() -> None:
    """ "No" read at 0.3: its letters cannot be told from a tick, so the row says nothing."""
    page = _options(("Yes", "No"), (0,))
    words = [Word(w.text, 0.3, w.box) if w.text == "No" else w for w in page.words]
    assert _selected(page, words) == []


def test_a_table_row_of_a_label_and_its_value_is_no_question() -> None:
    """ "Ht (cm) | 175 cm" in a ruled table: nothing is printed left of the row, and a value is
    no tick."""
    page = DrawnPage(1400, 260)
    page.table(60, TOP, [420, 420], [56])
    page.text(74, TOP + 14, "Marital status")
    words = page.text(494, TOP + 14, "Widowed")
    _tick(page, words[-1].box[2] + 16, TOP + 16)
    assert _selected(page) == []
