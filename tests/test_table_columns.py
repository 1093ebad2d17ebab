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


# A boxed form: labels in a column with their values beside them, above and below a ruled
# medicine table whose first column lines up with the labels.
BOXED_FORM = """
240 390 Patient
740 390 Ruth Hernandez
240 440 Date prescribed
740 440 Jul 21, 2022
240 490 Gender
740 490 Female
240 700 Prescribed medication
240 750 Medicine
760 750 Strength
1030 750 Frequency
240 800 Venlafaxine
760 800 75 mg
1030 800 1 tablet every 8 hours
240 970 No. of refills
740 970 6
240 1020 Prescriber name
740 1020 Dr Patrick Cook
"""


def _boxed_form() -> PageStructure:
    rows = ((384, 430), (434, 480), (484, 530))
    top = tuple(Cell((232, y0, 724, y1), row, 0, 0) for row, (y0, y1) in enumerate(rows))
    top += tuple(Cell((738, y0, 1966, y1), row, 1, 0) for row, (y0, y1) in enumerate(rows))
    table = (Cell((232, 696, 1966, 740), 0, 0, 1),)
    for row, (y0, y1) in enumerate(((744, 790), (794, 840), (844, 890)), start=1):
        # The strength column's rules lost under damage on the header row.
        edges = ((232, 738), (1022, 1966)) if row == 1 else ((232, 738), (752, 1010), (1022, 1966))
        table += tuple(Cell((x0, y0, x1, y1), row, col, 1) for col, (x0, x1) in enumerate(edges))
    bottom = tuple(
        Cell((232, y0, 712, y1), row, 0, 2) for row, (y0, y1) in enumerate(((964, 1010), (1014, 1060)))
    )
    bottom += tuple(
        Cell((724, y0, 1966, y1), row, 1, 2) for row, (y0, y1) in enumerate(((964, 1010), (1014, 1060)))
    )
    tables = (
        Table((226, 380, 1972, 536), 3, 2),
        Table((226, 690, 1972, 896), 4, 3),
        Table((226, 960, 1972, 1066), 2, 2),
    )
    return PageStructure(cells=top + table + bottom, tables=tables)


def test_a_medicine_in_a_ruled_table_amid_a_column_of_labels_is_a_row_not_a_label() -> None:
    fields = extract_fields(PRESCRIPTION, parse_layout(BOXED_FORM), 0.8, structures=[_boxed_form()])
    assert fields["medicines"].value == "Venlafaxine 75 mg"
    assert fields["directions"].value == "1 tablet every 8 hours"
    assert fields["refills"].value == "6"


# A ruled table whose shaded "Qty" header OCR did not read: its cells still head a column of
# their own, and the counts under it are no part of the directions beside them.
UNREAD_HEADER = """
200 500 Medication and strength
1100 500 Instructions
2340 500 Quantity
200 580 Losartan 100 mg
1100 580 2 cap at bedtime
2120 580 #20
2340 580 #20
200 660 Fluoxetine 10 mg
1100 660 1/2 tab every 8 hours
2120 660 #14
2340 660 #30
"""


def _unread_header_table() -> PageStructure:
    edges = ((180, 1080), (1080, 2100), (2100, 2320), (2320, 2560))
    rows = ((480, 550), (560, 630), (640, 710))
    cells = tuple(
        Cell((x0, y0, x1, y1), row, col, 0)
        for row, (y0, y1) in enumerate(rows)
        for col, (x0, x1) in enumerate(edges)
    )
    return PageStructure(cells=cells, tables=(Table((180, 480, 2560, 710), 3, 4),))


def test_a_ruled_header_cell_left_unread_still_ends_the_column_before_it() -> None:
    fields = extract_fields(
        PRESCRIPTION, parse_layout(UNREAD_HEADER), 0.8, structures=[_unread_header_table()]
    )
    assert fields["directions"].value == "2 cap at bedtime\n1/2 tab every 8 hours"
    assert fields["medicines"].value == "Losartan 100 mg\nFluoxetine 10 mg"


# An unruled table whose "ROUTE" and "DIRECTIONS" headers OCR read as one line: the route words
# under "ROUTE" are no part of the directions.
ROUTE_BEFORE = """
200 500 MEDICINE
700 500 DOSE
900 500 ROUTE DIRECTIONS
200 560 Omeprazole
700 560 40 mg
900 560 Oral
1040 560 2 cap twice daily
200 620 Metoprolol
700 620 25 mg
900 620 PO
1040 620 1 tab at bedtime
"""


def test_a_column_starts_where_its_name_does_in_a_header_line_holding_another_s() -> None:
    fields = extract_fields(PRESCRIPTION, parse_layout(ROUTE_BEFORE), 0.8, structures=[PageStructure()])
    assert fields["directions"].value == "2 cap twice daily\n1 tab at bedtime"
    assert fields["medicines"].value == "Omeprazole 40 mg\nMetoprolol 25 mg"


PATIENT = get_document_type("patient_details")

TWO_TABLES = """
200 300 Health History
200 500 Current medications:
220 580 Medication and dose
1100 580 How often
220 640 Lisinopril 10 mg
1100 640 daily
220 700 Metformin 500 mg
1100 700 twice daily
200 900 Known allergies:
220 980 Allergy
1100 980 Reaction
220 1040 Penicillin
1100 1040 Hives
200 1300 Patient signature
"""


def test_each_table_of_a_page_gives_its_own_column_and_never_its_header_or_other_columns() -> None:
    fields = extract_fields(PATIENT, parse_layout(TWO_TABLES), 0.8)
    assert fields["regular_medications"].value == "Lisinopril 10 mg\nMetformin 500 mg"
    assert fields["allergies"].value == "Penicillin"


def test_a_table_s_column_heads_under_a_label_are_never_its_value() -> None:
    page = parse_layout(
        """
        200 300 Health History
        200 500 List any allergies:
        220 580 Allergy
        1100 580 Reaction
        200 900 Patient signature
        """
    )
    assert extract_fields(PATIENT, page, 0.8)["allergies"].value == ""


SECONDARY_INSURANCE = """
200 300 Insurance
200 400 Do you have medical insurance? Yes
200 500 Primary insurance
200 560 Insurance company: {primary}
200 620 Member ID: {member}
200 720 Secondary insurance
200 780 Insurance company: Blue Mutual
200 840 Member ID: BM4433221
200 1000 Patient signature
"""


def test_a_second_insurance_s_company_is_never_the_record_s_unflagged() -> None:
    alone = extract_fields(PATIENT, parse_layout(SECONDARY_INSURANCE.format(primary="", member="")), 0.8)
    assert alone["insurance_company"].value == "" or alone["insurance_company"].needs_review
    assert alone["policy_number"].value == "" or alone["policy_number"].needs_review
    both = extract_fields(
        PATIENT, parse_layout(SECONDARY_INSURANCE.format(primary="Atlas Health", member="AT1234567")), 0.8
    )
    assert both["insurance_company"].value == "Atlas Health"
    assert both["policy_number"].value == "AT1234567"


def test_a_table_under_a_title_of_no_field_s_section_gives_no_field_its_column() -> None:
    page = parse_layout(
        """
        200 300 Health History
        200 400 Do you smoke? No
        200 560 Family history:
        220 640 Condition
        1030 640 Mother
        1300 640 Father
        220 700 Diabetes
        1030 700 X
        220 760 Stroke
        1300 760 X
        200 1000 Patient signature
        """
    )
    assert extract_fields(PATIENT, page, 0.8)["medical_problems"].value == ""


# A tight table whose header words OCR boxed with the rule under them (64 px for 40 px of print),
# its first row starting before the header's box ends; a column of row numbers left of the
# medicines, one of them read into the medicine's line.
TIGHT_TABLE = """
200 1000 #
400 1000 h=64 MEDICATION
1000 1000 h=64 DIRECTIONS FOR USE
200 1055 1
400 1052 Amoxicillin 875 mg
1000 1052 Use 1 tab everyday until finished
200 1110 2
400 1110 Cetirizine 10 mg
1000 1110 take 2 capsule at bedtime until finished
300 1300 Refills: 2
"""


def test_a_tight_tables_rows_are_read_under_a_header_boxed_with_its_rule() -> None:
    fields = extract_fields(PRESCRIPTION, parse_layout(TIGHT_TABLE), 0.8)
    assert fields["medicines"].value == "Amoxicillin 875 mg\nCetirizine 10 mg"
    assert (
        fields["directions"].value
        == "Use 1 tab everyday until finished\ntake 2 capsule at bedtime until finished"
    )


# A ruled medicine table photographed askew: each row's rules stand 8 pixels further left than
# the row's over it, so by the last row the directions cell starts left of its header's cell.
DRIFTING = """
250 500 Name of medicine
800 500 Dose
1100 500 Directions
250 600 Cough syrup
800 600 5 ml
1090 600 1 ml as needed for pain
250 700 Simvastatin
790 700 20 mg
1080 700 1/2 tab every 8 hours
250 800 Spironolactone
780 800 25 mg
1045 800 2 tablet as needed for pain
"""


def _drifting_cells() -> PageStructure:
    cells = []
    for row in range(4):
        y0, drift = 480 + 100 * row, 8 * row
        for col, (x0, x1) in enumerate(((240, 776), (786, 1052), (1062, 1998))):
            cells.append(Cell((x0 - drift, y0, x1 - drift, y0 + 90), row, col, 0))
    return PageStructure(cells=tuple(cells), tables=(Table((216, 478, 2000, 874), 4, 3),))


def test_a_word_at_a_cell_s_start_stays_in_its_column_where_the_table_drifts() -> None:
    """The "2" opening the last row's directions stands left of where the header's cell starts
    (its column's border drifted with the photo), yet in its own row's directions cell: it is
    no part of the dose."""
    fields = extract_fields(PRESCRIPTION, parse_layout(DRIFTING), 0.8, structures=[_drifting_cells()])
    assert fields["medicines"].value == "Cough syrup 5 ml\nSimvastatin 20 mg\nSpironolactone 25 mg"
    assert fields["directions"].value.splitlines()[-1] == "2 tablet as needed for pain"
