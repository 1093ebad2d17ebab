"""A checkbox whose outline damage broke, read by OCR into its option's word ("My" for a ticked
box and "Y"), found at the word's start on the row of a box found whole."""

from __future__ import annotations

import pytest

from extraction.structure import find_structure
from extraction.types import Word
from tests.drawn_pages import FONT_PATH, DrawnPage

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")


def _answer_row(first_word: str, break_corner: bool = True) -> tuple[DrawnPage, tuple[int, int, int, int]]:
    """ "Hepatitis B vaccination  [x] Y  [ ] N": a gap broken in the ticked box's top side,
    OCR's words ``first_word`` over the ticked box and its "Y", "ON" over the other."""
    page = DrawnPage()
    page.text(60, 100, "Hepatitis B vaccination")
    ticked = page.checkbox(500, 100, "tick")
    if break_corner:
        # A gap in its top side: its outline no longer closes.
        page.draw.rectangle((ticked[2] - 7, ticked[1] - 1, ticked[2] - 5, ticked[1] + 2), fill=255)
    page.text(540, 100, "Y")
    empty = page.checkbox(640, 100, "empty")
    page.text(680, 100, "N")
    page.words = [w for w in page.words if w.text not in ("Y", "N")]
    page.words.append(Word(first_word, 0.95, (ticked[0], 100, 560, 130)))
    page.words.append(Word("ON", 0.95, (empty[0], 100, 700, 130)))
    return page, ticked


def test_a_broken_ticked_box_read_into_its_option_is_found_ticked_and_unsure() -> None:
    page, ticked = _answer_row("My")
    structure = find_structure(page.array(), page.words)
    assert len(structure.marks) == 2
    mark = min(structure.marks, key=lambda m: m.box[0])
    assert abs(mark.box[0] - ticked[0]) <= 4 and mark.selected and mark.confidence <= 0.65


@pytest.mark.parametrize("word", ["Yes", "Bo", "B:"])
def test_a_word_that_is_no_glyph_before_an_answer_is_no_box(word: str) -> None:
    page, _ = _answer_row(word)
    assert len(find_structure(page.array(), page.words).marks) == 1


def test_a_box_found_whole_is_not_found_twice() -> None:
    page, _ = _answer_row("My", break_corner=False)
    assert len(find_structure(page.array(), page.words).marks) == 2
