"""A learned two-page form whose content moved across its page break: a longer list on one
copy pushes a section onto the next page. Pages written as text (tests/layout_text.py)."""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.layouts import learn_layout, match_layout, read_fields
from extraction.layouts.stack import Stacking
from extraction.types import PageText
from tests.layout_text import engine_reading, parse_layout

RECORD = get_document_type("patient_details")

HEAD = """
200 100 Lakeside Medical Group new patient questionnaire
200 200 Please complete every section in block capitals
200 400 Patient name: {name}
200 480 Date of birth: {birth}
200 560 Home phone: {phone}
200 700 Current medications:
"""
EMERGENCY = """
200 {y0} In case of emergency
200 {y1} Emergency contact name: {contact}
200 {y2} Emergency contact phone: {contact_phone}
"""
INSURANCE = """
200 {y0} Insurance details
200 {y1} Insurance company: {insurer}
200 {y2} Policy number: {policy}
200 {y3} Signature of patient or guardian
"""


def questionnaire(values: dict[str, str], medications: list[str]) -> list[PageText]:
    """The list of medications under its label; the emergency section follows it on page one
    when the list is short, else at the top of page two, above the insurance section."""
    lines = [HEAD.format(**values)]
    lines += [f"250 {760 + 60 * i} {medicine}" for i, medicine in enumerate(medications)]
    bottom = 760 + 60 * len(medications)
    emergency = {"contact": values["contact"], "contact_phone": values["contact_phone"]}
    if bottom < 2400:
        lines.append(EMERGENCY.format(y0=bottom + 140, y1=bottom + 220, y2=bottom + 300, **emergency))
        lines.append("--- page")
        top = 200
    else:
        lines.append("--- page")
        lines.append(EMERGENCY.format(y0=200, y1=280, y2=360, **emergency))
        top = 500
    insurance = {"insurer": values["insurer"], "policy": values["policy"]}
    lines.append(INSURANCE.format(y0=top, y1=top + 80, y2=top + 160, y3=top + 300, **insurance))
    return parse_layout("\n".join(lines))


FIRST = {
    "name": "Maria Lopez",
    "birth": "12/03/1984",
    "phone": "(206) 555-0142",
    "contact": "Ana Lopez",
    "contact_phone": "(206) 555-0199",
    "insurer": "Cascade Health Plan",
    "policy": "CHP4471902",
}
SECOND = {
    "name": "Tom Baker",
    "birth": "01/07/1975",
    "phone": "(503) 555-0117",
    "contact": "Joan Baker",
    "contact_phone": "(503) 555-0170",
    "insurer": "Summit Mutual",
    "policy": "SM20938811",
}
FIELDS = {
    "patient_name": "name",
    "birth_date": "birth",
    "phone_number": "phone",
    "emergency_contact_name": "contact",
    "emergency_contact_phone": "contact_phone",
    "insurance_company": "insurer",
    "policy_number": "policy",
}


def test_a_section_pushed_onto_the_next_page_is_read_where_it_moved() -> None:
    """Learned from a copy whose long list of medications put the emergency section on page
    two, a copy with a short list (the section back on page one) is read whole, each value
    given on the page it stands on."""
    long_list = [f"Medicine number {i} 10 mg" for i in range(1, 30)]
    pages = questionnaire(FIRST, long_list)
    verified = {field: FIRST[key] for field, key in FIELDS.items()} | {
        "regular_medications": "\n".join(long_list)
    }
    template = learn_layout(engine_reading(pages, verified, doc_type="patient_details"), RECORD, verified)
    assert template.fields["emergency_contact_name"].page == 1
    copy = questionnaire(SECOND, ["Lisinopril 10 mg", "Vitamin D 1000 IU"])
    match = match_layout([template], copy)
    assert match is not None and isinstance(match.stacked, Stacking)
    read = read_fields(match, RECORD, copy)
    for field, key in FIELDS.items():
        assert read[field].value == SECOND[key], field
    assert read["emergency_contact_name"].page == 0
    assert read["insurance_company"].page == 1
    contact = read["emergency_contact_name"].box
    assert contact is not None and 0 < contact[1] < 3300


def test_another_two_page_form_with_the_same_labels_matches_neither_way() -> None:
    """The same labels set in another order over two pages: neither page by page nor stacked
    does the learned print stand in place."""
    pages = questionnaire(FIRST, ["Lisinopril 10 mg"])
    verified = {field: FIRST[key] for field, key in FIELDS.items()}
    template = learn_layout(engine_reading(pages, verified, doc_type="patient_details"), RECORD, verified)
    other = parse_layout(
        INSURANCE.format(y0=200, y1=300, y2=400, y3=500, insurer="Summit Mutual", policy="SM20938811")
        + EMERGENCY.format(y0=700, y1=800, y2=900, contact="Joan Baker", contact_phone="(503) 555-0170")
        + "\n--- page\n"
        + "200 300 Signature of the doctor\n"
        + HEAD.format(name="Tom Baker", birth="01/07/1975", phone="(503) 555-0117").replace(" 100 ", " 1100 ")
    )
    assert match_layout([template], other) is None


def test_words_of_one_row_give_the_prints_scale_when_the_rows_moved_together_otherwise() -> None:
    """Learned from a handwritten copy (tall rows, the page brought to a taller text height),
    a typed copy's page is a third larger and its rows closer together. Pairs of labels down
    the column propose a scale that lines the rows up; the header's words, set apart on one
    row, tell the print's own scale, and the fit keeps to it."""
    from extraction.layouts.anchors import Anchor
    from extraction.layouts.matching import PageSpellings, match_page
    from extraction.types import Word

    header = [("summit", 200), ("community", 600), ("health", 1100), ("center", 1500)]
    labels = [
        "surname",
        "forenames",
        "address",
        "postcode",
        "telephone",
        "occupation",
        "employer",
        "religion",
    ]
    anchors = [Anchor(text, (x, 100, x + 150, 130)) for text, x in header] + [
        Anchor(text, (200, 300 + 150 * row, 350, 330 + 150 * row)) for row, text in enumerate(labels)
    ]
    scale = 4 / 3
    words = [
        Word(text, 0.95, (round(x * scale), 133, round((x + 150) * scale), 173)) for text, x in header
    ] + [Word(text, 0.95, (267, 400 + 100 * row, 467, 440 + 100 * row)) for row, text in enumerate(labels)]
    match = match_page(anchors, 30.0, PageSpellings(words), 40.0)
    assert abs(match.scale - scale) < 0.05
    assert all(index in match.found for index in range(len(header)))


def test_words_read_on_top_of_each_other_do_not_break_the_fit() -> None:
    """A row's words read at one place on the new page (a second reading laid over the first)
    measure no scale: the fit goes on without them."""
    from extraction.layouts.anchors import Anchor
    from extraction.layouts.matching import PageSpellings, match_page
    from extraction.types import Word

    row = ["summit", "community", "health", "center"]
    anchors = [Anchor(text, (200 + 400 * i, 100, 350 + 400 * i, 130)) for i, text in enumerate(row)]
    anchors += [Anchor("registration", (200, 400, 450, 430)), Anchor("signature", (200, 900, 400, 930))]
    words = [Word(text, 0.95, (200, 100, 350, 130)) for text in row]
    words += [Word("registration", 0.95, (200, 400, 450, 430)), Word("signature", 0.95, (200, 900, 400, 930))]
    match_page(anchors, 30.0, PageSpellings(words), 30.0)  # no error, whatever it finds
