"""Medicines and their directions written line by line under one caption
(``extraction.interleaved``): parted by shape between the two fields, both flagged.

Pages are written in the plain-text layout of ``tests.layout_text`` (no tesseract).
"""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from tests.layout_text import parse_layout

PRESCRIPTION = get_document_type("prescription")

ONE_BOX = """
200 200 Patient name: Steven Stewart
200 280 Date: Apr 12, 2017
200 400 Medicine, strength, dose and directions
240 470 Citalopram 40 mg
320 520 2 tab once daily
240 580 Azithromycin 250 mg
320 630 2 tablet as needed for pain
200 900 Doctor's name: Dr. Michael Anderson
"""


def test_medicines_with_their_directions_under_each_in_one_box_are_parted_by_shape() -> None:
    # Directions in words of no shape of their own: the medicines' lines part the block.
    page = ONE_BOX.replace("2 tab once daily", "One tablet at night").replace(
        "2 tablet as needed for pain", "Two when needed for pain"
    )
    fields = extract_fields(PRESCRIPTION, parse_layout(page), 0.8)
    assert fields["medicines"].value == "Citalopram 40 mg\nAzithromycin 250 mg"
    assert fields["directions"].value == "One tablet at night\nTwo when needed for pain"
    assert fields["medicines"].needs_review and fields["directions"].needs_review
    assert "told apart" in (fields["directions"].reason or "")


def test_directions_of_their_own_shape_in_the_block_are_found_by_it() -> None:
    # "2 tab once daily": a count, a dose form and how often, the verb left out.
    fields = extract_fields(PRESCRIPTION, parse_layout(ONE_BOX), 0.8)
    assert fields["medicines"].value == "Citalopram 40 mg\nAzithromycin 250 mg"
    assert fields["directions"].value == "2 tab once daily\n2 tablet as needed for pain"
    assert fields["medicines"].needs_review and fields["directions"].needs_review


def test_directions_alone_under_their_label_stay_whole() -> None:
    """No line shaped like a medicine opens the block: nothing to part."""
    page = ONE_BOX.replace("240 470 Citalopram 40 mg\n", "").replace("240 580 Azithromycin 250 mg\n", "")
    page = page.replace("Medicine, strength, dose and directions", "Directions").replace("320 630", "320 570")
    fields = extract_fields(PRESCRIPTION, parse_layout(page), 0.8)
    assert fields["directions"].value == "2 tab once daily\n2 tablet as needed for pain"
    assert "told apart" not in (fields["directions"].reason or "")


def test_a_caption_listing_the_block_s_contents_gives_none_of_its_names_as_a_value() -> None:
    # "Drug (approved name), dose, frequency", set a little apart after the first name: the
    # names after it are the caption's too, no value beside it.
    page = ONE_BOX.replace(
        "Medicine, strength, dose and directions", "Drug (approved name),  dose, frequency"
    )
    fields = extract_fields(PRESCRIPTION, parse_layout(page), 0.8)
    assert fields["medicines"].value == "Citalopram 40 mg\nAzithromycin 250 mg"
    assert fields["directions"].value == "2 tab once daily\n2 tablet as needed for pain"


def test_a_value_of_no_medicine_s_shape_under_a_heading_gives_way_to_the_parted_block() -> None:
    # The form's record number under its heading was read as the medicines.
    page = ONE_BOX.replace("Medicine, strength, dose and directions", "Medication and instructions")
    page = page.replace(
        "200 280 Date: Apr 12, 2017\n", "200 280 Date: Apr 12, 2017\n1400 280 Medication\n1400 330 MRN\n"
    )
    fields = extract_fields(PRESCRIPTION, parse_layout(page), 0.8)
    assert fields["medicines"].value == "Citalopram 40 mg\nAzithromycin 250 mg"
    assert fields["directions"].value == "2 tab once daily\n2 tablet as needed for pain"


TABLE = """
200 200 PATIENT NAME  Steven Stewart
200 260 DATE  Apr 12, 2017
200 400 Medication
760 400 Strength
1100 400 Directions
200 470 Metoprolol
760 470 50 mg
1100 470 2 cap as needed for pain
200 540 Warfarin
760 540 img
1100 540 2 tab with meals
200 610 Propranolol
760 610 40 mg
1100 610 2 tab every 12 hours
"""


def test_a_table_s_column_is_never_parted_by_the_shape_of_its_cells() -> None:
    """A dose misread ("img") leaves a medicine's row unshaped, and these directions have no
    dosing verb: the medicines column once went out parted, a row's medicine as the
    directions. A table's columns say whose each cell is."""
    fields = extract_fields(PRESCRIPTION, parse_layout(TABLE), 0.8)
    assert fields["medicines"].value == "Metoprolol 50 mg\nWarfarin img\nPropranolol 40 mg"
    assert fields["directions"].value == "2 cap as needed for pain\n2 tab with meals\n2 tab every 12 hours"
