"""Section headings whose separator OCR lost ("INSURANCE / CLAIMS" read "INSURANCE  CLAIMS"),
read as a label and its value: doubted when set on a shaded bar across the page (the shading is
found before OCR and kept in the page's structure) or when the "value" is set like its label,
in the same capitals a separator's gap after it. Hand-written layouts (tests/layout_text.py)
with drawn structures, and the shading found on a drawn page."""

from __future__ import annotations

import numpy as np
import pytest

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.shading import find_shading
from extraction.structure import PageStructure
from tests.drawn_pages import FONT_PATH, DrawnPage, noisy
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")

FORM = """
200 200 Patient Medical Record
200 400 Full name:      Ingrid Simpson
200 460 Birth date:     Jan 2 2009
200 520 Contact no.:    (225) 759-0329
200 700 INSURANCE  CLAIMS
200 800 Medical insurance:   No
200 860 Insurer:
200 920 ID number:
"""
# The bar under "INSURANCE  CLAIMS" (its line is 40 px high at y 700), as wide as the print.
BAR = (180, 680, 1400, 760)


def _fields(shades: tuple[tuple[int, int, int, int], ...]) -> dict[str, object]:
    pages = parse_layout(FORM)
    return extract_fields(PATIENT, pages, 0.8, structures=[PageStructure(shades=shades)])


def test_a_value_beside_a_key_on_a_shaded_bar_is_flagged() -> None:
    fields = _fields((BAR,))
    insurer = fields["insurance_company"]
    assert insurer.value == "CLAIMS"  # the heading's second word, beside "INSURANCE"
    assert insurer.needs_review and "shaded bar" in (insurer.reason or "")
    assert not fields["patient_name"].needs_review  # the rest of the page reads as before
    # A heading's last word such as "BILLING" says it is one: no value at all.
    billing = parse_layout(FORM.replace("CLAIMS", "BILLING"))
    structures = [PageStructure(shades=(BAR,))]
    assert extract_fields(PATIENT, billing, 0.8, structures=structures)["insurance_company"].value == ""


def test_the_same_heading_on_paper_is_doubted_for_its_lost_separator() -> None:
    """Without the bar, the heading's two words in one size of capitals, a separator's gap
    apart, read as a label and its value as much as a heading: flagged all the same."""
    insurer = _fields(())["insurance_company"]
    assert "shaded bar" not in (insurer.reason or "")
    assert insurer.value == "CLAIMS" and insurer.needs_review
    assert "read on from a label" in (insurer.reason or "")


@pytest.mark.parametrize(
    ("line", "value", "doubted"),
    [
        ("INSURER  BLUE CROSS", "BLUE CROSS", True),  # capitals like the label, a separator's gap
        ("INSURER  Blue Cross Health", "Blue Cross Health", False),  # set otherwise: a value
        ("INSURER       BLUE CROSS", "BLUE CROSS", False),  # a label column's gap, wider
    ],
)
def test_a_value_set_like_its_label_a_separator_apart_is_doubted(
    line: str, value: str, doubted: bool
) -> None:
    layout = f"200 200 Patient Medical Record\n200 400 Full name:  Ingrid Simpson\n200 700 {line}"
    fields = extract_fields(PATIENT, parse_layout(layout), 0.8, structures=[PageStructure()])
    insurer = fields["insurance_company"]
    assert insurer.value == value
    assert ("read on from a label" in (insurer.reason or "")) == doubted


@pytest.mark.parametrize(
    ("shade", "why"),
    [
        ((180, 680, 700, 760), "a shaded label cell, not as wide as the page's print"),
        ((180, 380, 1400, 760), "a shaded block holding several lines"),
    ],
)
def test_other_shading_casts_no_doubt(shade: tuple[int, int, int, int], why: str) -> None:
    insurer = _fields((shade,))["insurance_company"]
    assert "shaded bar" not in (insurer.reason or ""), why


@pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")
def test_shading_outlines_each_shaded_area_of_a_drawn_page() -> None:
    page = DrawnPage(1400, 900)
    page.draw.rectangle((60, 80, 700, 170), fill=200)  # a label cell
    page.text(80, 105, "Health plan")
    page.draw.rectangle((60, 560, 1340, 640), fill=200)  # a section bar
    page.text(80, 580, "Insurance and billing")
    shading = find_shading(noisy(page.array(), 6), 32)
    assert shading is not None
    assert len(shading.boxes) == 2
    bar = max(shading.boxes, key=lambda b: b[2] - b[0])
    assert abs(bar[0] - 60) <= 25 and abs(bar[2] - 1340) <= 25 and abs(bar[1] - 560) <= 25


@pytest.mark.skipif(not FONT_PATH.exists(), reason="DejaVu Sans is not installed")
def test_a_page_without_shading_has_none() -> None:
    page = DrawnPage(1400, 900)
    page.text(80, 100, "Printed label")
    assert find_shading(noisy(page.array(), 6), 32) is None


def test_shades_survive_the_structure_as_plain_data() -> None:
    structure = PageStructure(shades=(BAR,))
    assert PageStructure.from_dict(structure.to_dict()) == structure
    assert PageStructure.from_dict({}).shades == ()
    assert np.array_equal(np.array(structure.to_dict()["shades"]), np.array([BAR]))
