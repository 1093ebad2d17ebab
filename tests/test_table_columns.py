"""Table columns of a medicine table: which words each column takes.

Pages are written by hand in the plain-text layout of ``tests.layout_text`` (no tesseract), with
the ruled cells a page's structure would give.
"""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.structure.types import Cell, PageStructure
from tests.layout_text import parse_layout

PRESCRIPTION = get_document_type("prescription")

TABLE = """
200 500 MEDICINE
700 500 DOSE
1000 500 DIRECTIONS
1860 500 QTY
200 560 Omeprazole
700 560 40 mg
1000 560 Take 1 tablet daily
1800 560 60
"""


def test_a_header_that_overflows_its_cell_still_ends_the_column_before_it() -> None:
    # The quantity header "QTY" starts left of the cell found around it (the header overflows a
    # narrow cell, or the rule was found in the wrong place): its column still starts at the
    # header, so the "60" under it is not taken into the directions.
    cells = (Cell((1880, 495, 2000, 545), 0, 3, 0),)
    fields = extract_fields(PRESCRIPTION, parse_layout(TABLE), 0.8, structures=[PageStructure(cells=cells)])
    assert fields["directions"].value == "Take 1 tablet daily"
    assert fields["medicines"].value == "Omeprazole 40 mg"
