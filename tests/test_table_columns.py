"""Table columns of a medicine table: which words each column takes.

Pages are written by hand in the plain-text layout of ``tests.layout_text`` (no tesseract), with
the ruled cells a page's structure would give.
"""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.structure.types import Cell, PageStructure, Table
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


# A ruled medicine table with tall rows: each row stands well over two line heights under the one
# before it (and under its header), yet all are the table's.
TALL_ROWS = """
400 1090 Name of medicine
870 1090 Strength
1450 1090 Sig
200 1210 1
380 1210 Warfarin
840 1210 2 mg
1070 1210 Take 1/2 tablet with meals
200 1400 2
380 1400 Allopurinol
840 1400 100 mg
1070 1400 Take 1 pill as needed for pain
200 1590 3
380 1590 Ciprofloxacin
840 1590 750 mg
1070 1590 Use 1 tab every 12 hours
300 1760 Repeats
"""
TALL_TABLE = (258, 1060, 2258, 1680)
# Column edges of the table: #, name of medicine, strength, sig.
EDGES = ((264, 360), (372, 814), (826, 1050), (1062, 2252))
ROW_EDGES = ((1066, 1146), (1158, 1334), (1346, 1524), (1536, 1674))


def _tall_table() -> PageStructure:
    cells = tuple(
        Cell((x0, y0, x1, y1), row, col, 0)
        for row, (y0, y1) in enumerate(ROW_EDGES)
        for col, (x0, x1) in enumerate(EDGES)
    )
    return PageStructure(cells=cells, tables=(Table(TALL_TABLE, len(ROW_EDGES), len(EDGES)),))


def test_a_ruled_tables_rows_are_read_to_its_border_however_tall() -> None:
    fields = extract_fields(PRESCRIPTION, parse_layout(TALL_ROWS), 0.8, structures=[_tall_table()])
    assert fields["medicines"].value == "Warfarin 2 mg\nAllopurinol 100 mg\nCiprofloxacin 750 mg"
    assert fields["directions"].value.splitlines() == [
        "Take 1/2 tablet with meals",
        "Take 1 pill as needed for pain",
        "Use 1 tab every 12 hours",
    ]


def test_a_value_under_a_column_header_is_flagged_when_the_column_goes_on() -> None:
    # With one column alone named ("Sig"), no medicine table is known: the directions are read
    # under their label, the first row alone, while the column's other rows hold more.
    text = TALL_ROWS.replace("Name of medicine", "Product").replace("Strength", "Amount")
    fields = extract_fields(PRESCRIPTION, parse_layout(text), 0.8, structures=[_tall_table()])
    directions = fields["directions"]
    assert directions.value == "Take 1/2 tablet with meals"
    assert directions.needs_review
    assert "column goes on" in directions.reason
