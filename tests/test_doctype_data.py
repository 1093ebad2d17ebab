"""The document types' data (extraction/doctypes/*.toml) kept consistent with itself."""

from __future__ import annotations

import re

import pytest

from extraction.doctypes import get_document_type

# What follows a dosing verb in directions: a label followed by it must not read as directions.
DIRECTIONS_TAIL = "1 tablet twice daily"
SHAPED = [
    (name, spec)
    for name in ("prescription", "patient_details")
    for spec in get_document_type(name).fields
    if spec.shape
]


def test_some_field_has_a_shape_to_check() -> None:
    assert SHAPED


@pytest.mark.parametrize(("doc_type", "spec"), SHAPED, ids=[spec.name for _, spec in SHAPED])
def test_no_label_opens_a_line_of_its_own_field_s_shape(doc_type: str, spec: object) -> None:
    """A word that opens directions ("Use 1 tab as needed") is none of their plain labels: a
    line whose count OCR lost ("Use   tab as needed", a gap where the "1" was) would read as
    that label and a value beside it, and the lines under it would be taken in. Such a word is
    a label only with its colon (``colon_labels``)."""
    opening = [label for label in spec.labels if re.match(spec.shape, f"{label} {DIRECTIONS_TAIL}")]
    assert opening == [], f"{doc_type}.{spec.name}"


def test_a_colon_label_of_a_shaped_field_opens_a_line_of_its_shape() -> None:
    """The colon-only labels are there for that reason, and no other."""
    for _, spec in SHAPED:
        for label in spec.colon_labels:
            assert re.match(spec.shape, f"{label} {DIRECTIONS_TAIL}"), label


@pytest.mark.parametrize(
    ("line", "shaped"),
    [
        ("Take 1 tablet twice daily for 7 days", True),
        ("Furosemide: take 1 tab every morning", True),
        # The shorthand of many countries: a count and form with a Latin frequency, or a
        # morning-noon-night schedule.
        ("1 tab BD x 5 days", True),
        ("10 ml TDS after food", True),
        ("1/2 tablet HS with meals", True),
        ("1-0-1 after food x 7 days", True),
        ("1/2-0-1/2 before food", True),
        # A medicine, a date, a count to dispense are no directions.
        ("Tab. Losartan 100 mg", False),
        ("12-05-2024 refill", False),
        ("30 tablets", False),
    ],
)
def test_directions_are_told_by_their_shape(line: str, shaped: bool) -> None:
    spec = get_document_type("prescription").field("directions")
    assert bool(re.search(spec.shape, line)) is shaped


def test_a_doubt_set_is_written_once_and_taken_by_every_field_that_names_it() -> None:
    """The address's doubts are one table for both types: the same rules, in the same order,
    the same of them asked of a whole address only (marked "whole")."""
    from extraction.doctypes import _shared_doubts

    patient = get_document_type("patient_details").field("address")
    prescription = get_document_type("prescription").field("patient_address")
    rules = _shared_doubts()["address"]
    shared = tuple((rule[0], rule[1]) for rule in rules)
    assert patient.doubts == prescription.doubts == shared
    whole = frozenset(rule[0] for rule in rules if rule[2:] == ["whole"])
    assert whole and patient.whole_doubts == prescription.whole_doubts == whole


def test_an_unknown_doubt_set_is_refused_by_name() -> None:
    from pathlib import Path

    from extraction.doctypes import _doubts_of

    with pytest.raises(ValueError, match="unknown doubt sets"):
        _doubts_of(Path("x.toml"), ["adress"], [])


@pytest.mark.parametrize("doc_type", ["patient_details", "prescription"])
def test_no_heading_of_a_field_s_section_reads_as_a_section_of_no_field(doc_type: str) -> None:
    """A section of no field's makes every label under it doubtful: a field's own heading read
    as one ("Patient Information" as "Parent information") would doubt the whole record."""
    from extraction.label_scores import OTHER_SECTION_SCORE
    from extraction.phrases import best_phrase

    spec = get_document_type(doc_type)
    if not spec.other_sections:
        return
    headings = {h for field in spec.fields for h in field.section_labels} | {"Patient Information"}
    close = {h: best_phrase(h, spec.other_sections) for h in headings}
    assert not {h: hit for h, hit in close.items() if hit[1] >= OTHER_SECTION_SCORE}


@pytest.mark.parametrize(
    ("label", "variant"),
    [
        ("Discharge date", "Date of discharge"),
        ("Date of issue", "Issue date"),
        ("Coverage end date", "Date of coverage end"),
    ],
)
def test_a_date_label_is_also_known_worded_the_other_way(label: str, variant: str) -> None:
    from extraction.doctypes import with_date_wordings

    assert variant in with_date_wordings((label,))
    assert with_date_wordings((label,))[0] == label


@pytest.mark.parametrize("label", ["Date", "Today's date", "Exp. date", "Birthdate", "DOB"])
def test_a_date_label_with_no_other_wording_stays_alone(label: str) -> None:
    from extraction.doctypes import with_date_wordings

    assert with_date_wordings((label,)) == (label,)


def test_a_discharge_prescription_is_dated_by_its_date_of_discharge() -> None:
    from extraction.fields import extract_fields
    from tests.layout_text import parse_layout

    page = parse_layout(
        """
        160 480 NAME
        700 480 Jose Wallace
        160 540 PRESCRIBING CLINICIAN
        700 540 Dr Andrea Lopez, D.O.
        160 600 DATE OF DISCHARGE
        700 600 Oct 2, 2019
        160 660 ADDRESS
        700 660 5425 orchard lane, miami, FL
        """
    )
    assert (
        extract_fields(get_document_type("prescription"), page, 0.8)["prescription_date"].value
        == "Oct 2, 2019"
    )
