"""A field the clerk left blank where the engine had read a value: learned as not on the form.

Golden tests on pages written as text (no OCR): the engine took the pad's "Valid until" date
for the prescription's date; the clerk verified the date blank. On the next copy the generic
reading takes the same place's date again, and the learned layout leaves it out, flagged.
"""

from __future__ import annotations

import json

from extraction.doctypes import get_document_type
from extraction.layouts import LayoutTemplate, cross_check, learn_layout, match_layout, read_fields
from extraction.types import FieldResult, PageText
from tests.layout_text import engine_reading, parse_layout

PRESCRIPTION = get_document_type("prescription")

PAD = """
700 150 Harbour Walk-in Centre
720 200 Repeat Prescription Request
200 400 Patient name: {name}
200 480 Medication: {medicine}
1400 480 Valid until: {until}
200 560 Directions: {directions}
200 640 Prescriber: {prescriber}
200 900 Signature of prescriber
"""

FIRST = {
    "patient_name": "Maria Lopez",
    "medicines": "Amoxicillin 500 mg",
    "directions": "Take 1 capsule three times daily",
    "prescriber": "Dr. Alan Grant",
}
SECOND = {
    "patient_name": "Tom Baker",
    "medicines": "Metformin 850 mg",
    "directions": "Take 1 tablet twice daily with meals",
    "prescriber": "Dr. Ellen Ripley",
}


def pad(values: dict[str, str], until: str) -> list[PageText]:
    return parse_layout(
        PAD.format(
            name=values["patient_name"],
            medicine=values["medicines"],
            until=until,
            directions=values["directions"],
            prescriber=values["prescriber"],
        )
    )


def learned() -> LayoutTemplate:
    """Learned from a copy whose "Valid until" date the engine gave as the prescription's date,
    and the clerk's verified values, that date blank."""
    pages = pad(FIRST, "30/06/2024")
    result = engine_reading(pages, {**FIRST, "prescription_date": "30/06/2024"})
    return learn_layout(result, PRESCRIPTION, {**FIRST, "prescription_date": ""})


def generic_reading(pages: list[PageText], date: str, sure: bool = False) -> dict[str, FieldResult]:
    """The generic reading of a copy: every value right, the date ``date`` where it stands,
    flagged (no label of the prescription's date names it) unless ``sure``."""
    fields = engine_reading(pages, {**SECOND, "prescription_date": date}).fields
    if not sure:
        fields["prescription_date"].flag("no label for it was found")
    return fields


def test_a_value_the_clerk_removed_is_learned_as_a_place_and_no_value() -> None:
    template = learned()
    zone = template.fields["prescription_date"]
    assert zone.not_here
    assert template.not_here == {"prescription_date"}
    assert "prescription_date" not in template.value_fields
    assert "2024" not in json.dumps(template.to_dict())
    again = LayoutTemplate.from_dict(json.loads(json.dumps(template.to_dict())))
    assert again.fields["prescription_date"] == zone


def test_a_value_read_where_the_clerk_removed_one_is_left_out_and_flagged() -> None:
    template = learned()
    pages = pad(SECOND, "15/01/2026")
    match = match_layout([template], pages)
    assert match is not None
    merged = cross_check(
        generic_reading(pages, "15/01/2026"),
        read_fields(match, PRESCRIPTION, pages),
        not_here=template.not_here,
    )
    assert merged["prescription_date"].value == ""
    assert merged["prescription_date"].needs_review
    assert "15/01/2026" in (merged["prescription_date"].reason or "")
    for name, value in SECOND.items():
        assert merged[name].value == value and not merged[name].needs_review, name


def test_a_value_read_surely_where_the_clerk_removed_one_stands_flagged() -> None:
    """A value read under a label that matched and passing its checks is not left out for a
    learned place alone: a form printing a label twice may put the place on the other one."""
    template = learned()
    pages = pad(SECOND, "15/01/2026")
    match = match_layout([template], pages)
    assert match is not None
    merged = cross_check(
        generic_reading(pages, "15/01/2026", sure=True),
        read_fields(match, PRESCRIPTION, pages),
        not_here=template.not_here,
    )
    assert merged["prescription_date"].value == "15/01/2026"
    assert merged["prescription_date"].needs_review
    assert "no value" in (merged["prescription_date"].reason or "")


def test_a_value_read_elsewhere_stands_flagged() -> None:
    """The copy has a date written elsewhere (under the signature): perhaps the field is
    filled on this copy, so the value stays, flagged, since the learned copy had none."""
    template = learned()
    (page,) = pad(SECOND, "15/01/2026")
    signed = parse_layout(
        "\n".join(f"{w.box[0]} {w.box[1]} {line.text}" for line in page.lines for w in line.words[:1])
        + "\n200 980 02/01/2026"
    )
    match = match_layout([template], signed)
    assert match is not None
    generic = engine_reading(signed, {**SECOND, "prescription_date": "02/01/2026"}).fields
    merged = cross_check(generic, read_fields(match, PRESCRIPTION, signed), not_here=template.not_here)
    assert merged["prescription_date"].value == "02/01/2026"
    assert merged["prescription_date"].needs_review
    assert "no value" in (merged["prescription_date"].reason or "")


def test_a_field_not_verified_is_not_learned_as_missing() -> None:
    """Values the clerk did not give (a field missing from the verified ones) teach nothing."""
    pages = pad(FIRST, "30/06/2024")
    result = engine_reading(pages, {**FIRST, "prescription_date": "30/06/2024"})
    template = learn_layout(result, PRESCRIPTION, FIRST)
    assert "prescription_date" not in template.fields
