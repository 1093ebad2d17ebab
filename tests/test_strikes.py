"""Options struck out ("delete as applicable"): the option left standing among struck ones is the
question's answer; words a rule runs under or through, bars of single letters and numbers split
by slashes are no strikes."""

from __future__ import annotations

import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.structure import find_structure
from extraction.structure.ink import binary, ink_threshold
from extraction.structure.strikes import kept_marks, option_groups
from extraction.types import Word
from tests.drawn_pages import FONT_PATH, DrawnPage, page_text

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

HEIGHT = 24.0


def _strike(page: DrawnPage, words: list[Word], overrun: int = 6) -> None:
    """A pen stroke through the middle of ``words``, running a little past both ends."""
    x0, x1 = words[0].box[0] - overrun, words[-1].box[2] + overrun
    y = (words[0].box[1] + words[0].box[3]) // 2 + 2
    page.line(x0, y, x1, y, width=3)


def _kept(page: DrawnPage) -> list[str]:
    gray = page.array()
    threshold = ink_threshold(gray)
    assert threshold is not None
    return [mark.option for mark in kept_marks(binary(gray, threshold), page.words, HEIGHT)]


def _question(struck: tuple[str, ...], options: str = "Yes / No") -> DrawnPage:
    page = DrawnPage(1400, 200)
    page.text(100, 60, "Have you had the Hepatitis B vaccination?")
    words = page.text(900, 60, options)
    for option in struck:
        part = option.split()
        start = next(i for i, w in enumerate(words) if [x.text for x in words[i : i + len(part)]] == part)
        _strike(page, words[start : start + len(part)])
    return page


@pytest.mark.parametrize(("struck", "kept"), [(("No",), "Yes"), (("Yes",), "No")])
def test_the_option_left_standing_is_the_answer(struck: tuple[str, ...], kept: str) -> None:
    page = _question(struck)
    assert _kept(page) == [kept]
    structure = find_structure(page.array(), page.words)
    text = page_text(page.words, page.image.size)
    fields = extract_fields(get_document_type("patient_details"), [text], 0.8, structures=[structure])
    assert fields["hepatitis_b_vaccination"].value == kept


def test_options_of_several_words_are_struck_and_kept_whole() -> None:
    page = _question(("Immune", "Unknown"), "Immune / Not immune / Unknown")
    assert _kept(page) == ["Not immune"]
    page = _question(("Not immune",), "Had it / immune / Not immune")
    assert _kept(page) == ["Had it / immune"]


def test_no_strike_or_every_option_struck_is_no_answer() -> None:
    assert _kept(_question(())) == []
    assert _kept(_question(("Yes", "No"))) == []


def test_a_rule_under_or_through_the_options_is_no_strike() -> None:
    page = _question(())
    yes = next(w for w in page.words if w.text == "Yes")
    y = (yes.box[1] + yes.box[3]) // 2 + 2
    page.line(860, y, 1300, y, width=3)  # a rule running far past both options
    assert _kept(page) == []
    page = _question(())
    page.line(500, y, yes.box[2] + 6, y, width=3)  # a rule from far left ending at "Yes"
    assert _kept(page) == []


def test_a_short_word_whose_own_bar_spans_it_is_not_taken_for_struck() -> None:
    # "it" in "Had it / immune": the bar of its "t" reaches the "i"; without a stroke running
    # past it nothing says it was struck.
    page = _question((), "Had it / immune / Not immune")
    assert _kept(page) == []
    page = _question((), "H / N")
    assert _kept(page) == []


def test_a_number_split_by_slashes_and_a_label_with_one_are_no_options() -> None:
    page = DrawnPage(1400, 200)
    page.text(100, 60, "Policy no. P/0992/01/2021")
    assert option_groups(page.words, HEIGHT) == []
    page = DrawnPage(1400, 200)
    page.text(100, 60, "Insured? Yes/No")
    groups = option_groups(page.words, HEIGHT)
    assert [[option.text for option in group] for group in groups] == [["Yes", "No"]]


def test_a_row_of_options_under_another_question_does_not_answer_the_one_above() -> None:
    """Chickenpox's options left unanswered; measles under it answered "Not immune": chickenpox
    is not given measles' answer."""
    page = DrawnPage(1400, 300)
    page.text(100, 60, "Chickenpox")
    page.text(100, 110, "Measles (rubeola)")
    words = page.text(900, 110, "Immune / Not immune")
    _strike(page, words[:1])
    structure = find_structure(page.array(), page.words)
    text = page_text(page.words, page.image.size)
    fields = extract_fields(get_document_type("patient_details"), [text], 0.8, structures=[structure])
    assert fields["measles"].value == "NOT IMMUNE"
    assert fields["chickenpox"].value == ""
