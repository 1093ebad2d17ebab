"""Circled answers: rings drawn round a word are found, painted out for OCR and read as the
question's answer; letters, radio circles and ruled boxes are not rings."""

from __future__ import annotations

import numpy as np
import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.structure import find_structure, without_rings
from extraction.structure.rings import Ring, circled_marks, find_rings
from extraction.types import Word
from tests.drawn_pages import FONT_PATH, DrawnPage, page_text

pytestmark = pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")

HEIGHT = 24.0


def _questionnaire(circled: str) -> DrawnPage:
    """Two questions answered by circling, a radio circle, a ruled box and round letters."""
    page = DrawnPage(1400, 420)
    page.text(100, 60, "Have you had the Hepatitis B vaccination?")
    yes, no = page.text(900, 60, "Yes")[0], page.text(1040, 60, "No")[0]
    chosen = yes if circled == "Yes" else no
    x0, y0, x1, y1 = chosen.box
    page.draw.ellipse((x0 - 16, y0 - 12, x1 + 16, y1 + 12), outline=0, width=3)
    page.text(100, 180, "Chickenpox: OOO Dodo")  # letters that close loops
    page.radio(900, 182, filled=False)
    page.box(1000, 170, 1300, 230)  # a ruled box round nothing
    page.box(100, 300, 420, 380)  # a ruled box round text
    page.text(120, 320, "Sex: Male")
    return page


def test_a_ring_round_a_word_is_found_and_nothing_else_that_closes_a_loop_is() -> None:
    page = _questionnaire("Yes")
    rings = find_rings(page.array(), HEIGHT)
    assert len(rings) == 1
    yes = next(w for w in page.words if w.text == "Yes")
    x0, y0, x1, y1 = rings[0].box
    assert x0 < yes.box[0] and y0 < yes.box[1] and x1 > yes.box[2] and y1 > yes.box[3]


def test_a_ring_is_painted_out_and_the_word_inside_kept() -> None:
    page = _questionnaire("Yes")
    gray = page.array()
    ring = find_rings(gray, HEIGHT)[0]
    cleaned = without_rings(gray, HEIGHT)
    x0, y0, x1, y1 = ring.box
    yes = next(w for w in page.words if w.text == "Yes")
    ring_only = np.ones_like(gray, dtype=bool)
    ring_only[yes.box[1] - 2 : yes.box[3] + 2, yes.box[0] - 2 : yes.box[2] + 2] = False
    assert (cleaned[y0:y1, x0:x1][ring_only[y0:y1, x0:x1]] > 128).all()  # the ring is gone
    letters = gray[yes.box[1] : yes.box[3], yes.box[0] : yes.box[2]] < 128
    kept = cleaned[yes.box[1] : yes.box[3], yes.box[0] : yes.box[2]] < 128
    assert (kept & letters).sum() >= 0.95 * letters.sum()
    # Everything outside the ring is untouched.
    outside = np.ones_like(gray, dtype=bool)
    outside[y0:y1, x0:x1] = False
    assert np.array_equal(cleaned[outside], gray[outside])


def test_rings_on_a_page_scanned_sideways_are_painted_out_before_it_is_read() -> None:
    # The page is found to be sideways by OCR, after the rings are painted out.
    gray = np.ascontiguousarray(np.rot90(_questionnaire("No").array()))
    rings = find_rings(gray, HEIGHT)
    assert len(rings) == 1
    x0, y0, x1, y1 = rings[0].box
    assert y1 - y0 > x1 - x0  # the ring runs down the sideways page
    assert without_rings(gray, HEIGHT) is not gray


def test_a_page_without_rings_comes_back_as_it_is() -> None:
    page = DrawnPage()
    page.text(100, 100, "Do you smoke? Yes No")
    page.radio(600, 100, filled=True)
    gray = page.array()
    assert without_rings(gray, HEIGHT) is gray


@pytest.mark.parametrize("circled", ["Yes", "No"])
def test_the_circled_word_is_the_answer(circled: str) -> None:
    page = _questionnaire(circled)
    gray = page.array()
    structure = find_structure(gray, page.words)
    text = page_text(page.words, (1400, 420))
    fields = extract_fields(get_document_type("patient_details"), [text], 0.8, structures=[structure])
    assert fields["hepatitis_b_vaccination"].value == circled
    assert [m.option for m in structure.marks if m.shape == "ring"] == [circled]


@pytest.mark.parametrize("circled", ["Y", "N"])
def test_a_ring_round_one_letter_is_its_answer_not_a_radio_circle_filled_in(circled: str) -> None:
    # A round ring tight round "Y" looks like a radio button the letter fills; it is the answer,
    # and the letter beside it no answer at all.
    page = DrawnPage(1400, 200)
    page.text(100, 60, "Do you have medical insurance?")
    yes, no = page.text(900, 60, "Y")[0], page.text(1000, 60, "N")[0]
    chosen = yes if circled == "Y" else no
    cx, cy = (chosen.box[0] + chosen.box[2]) // 2, (chosen.box[1] + chosen.box[3]) // 2
    page.draw.ellipse((cx - 22, cy - 22, cx + 22, cy + 22), outline=0, width=3)
    structure = find_structure(page.array(), page.words)
    assert [(m.shape, m.option) for m in structure.marks if m.selected] == [("ring", circled)]
    text = page_text(page.words, (1400, 200))
    fields = extract_fields(get_document_type("patient_details"), [text], 0.8, structures=[structure])
    assert fields["has_medical_insurance"].value == ("Yes" if circled == "Y" else "No")


@pytest.mark.usefixtures("needs_ocr")
def test_tesseract_reads_the_circled_word_once_its_ring_is_painted_out() -> None:
    from extraction.tesseract import read_words

    page = _questionnaire("Yes")
    cleaned = without_rings(page.array(), HEIGHT)
    words = read_words(cleaned[40:110, 860:1200], dpi=300, timeout=30, psm=7)
    assert [w.text for w in words][:2] == ["Yes", "No"]


@pytest.mark.usefixtures("needs_ocr")
def test_a_circled_word_ocr_did_not_read_is_read_again_inside_its_ring() -> None:
    """The page pass read no word inside the ring (its words are left out here): the ring is
    still the ticked answer, its option unread and flagged, and reading its place again, the
    ring painted out of the crop, gives the answer."""
    from extraction.ocr import read_region
    from extraction.options import Options

    page = _questionnaire("No")
    no = next(w for w in page.words if w.text == "No")
    page.words = [w for w in page.words if w is not no]
    gray = page.array()
    structure = find_structure(gray, page.words)
    [ring] = [m for m in structure.marks if m.shape == "ring"]
    assert ring.selected and ring.option == ""
    text = page_text(page.words, (1400, 420))

    def reread(index: int, box: tuple[int, int, int, int], mode: str) -> list[Word]:
        return read_region(gray, box, 300, Options(), mode)

    fields = extract_fields(get_document_type("patient_details"), [text], 0.8, reread, structures=[structure])
    answer = fields["hepatitis_b_vaccination"]
    assert answer.value == "No" and answer.needs_review


@pytest.mark.parametrize(("inside", "circled"), [("x", False), ("xX", False), ("✓", False), ("Y", True)])
def test_a_loop_round_a_tick_is_a_ticked_box_not_a_circled_answer(inside: str, circled: bool) -> None:
    # A faxed box with a cross in it, its corners worn round, passed for a ring round the word
    # "x": it hid the box found there, ticked, and "x" came out as the answer.
    ring = Ring((1023, 1027, 1059, 1062), np.zeros((0, 1, 2), np.int32), 2.0)
    words = [Word(inside, 0.6, (1029, 1032, 1053, 1057)), Word("Immune", 0.95, (1072, 1028, 1205, 1054))]
    marks = circled_marks([ring], words)
    assert [m.option for m in marks] == ([inside] if circled else [])


def test_a_small_ring_whose_stroke_a_low_resolution_thickened_is_still_a_ring() -> None:
    """Drawn tight round "Yes" and thick, as a low-resolution page or a blur leaves a pen's loop,
    the ring's hole is under the usual share of its outline; its stroke is still a pen's."""
    page = DrawnPage(600, 200)
    yes = page.text(200, 80, "Yes")[0]
    x0, y0, x1, y1 = yes.box
    page.draw.ellipse((x0 - 9, y0 - 8, x1 + 9, y1 + 8), outline=0, width=6)
    page.text(200, 160, "Bold: ●")  # a filled blob closes no loop round print
    rings = find_rings(page.array(), HEIGHT)
    assert len(rings) == 1
    assert rings[0].box[0] < x0 and rings[0].box[2] > x1
