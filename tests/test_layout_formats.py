"""A form that prints a date's separators otherwise than the office writes them: the clerk's
correction of the learned document teaches the layout to write later readings as verified."""

from __future__ import annotations

from extraction.doctypes import get_document_type
from extraction.layouts import LayoutTemplate, in_learned_formats, learn_layout
from extraction.layouts.formats import in_learned_part_formats, learn_formats, learn_part_formats, shape
from extraction.part_values import PARTS_NOTE, fill_parts
from extraction.types import FieldResult, PartReading
from tests.layout_text import engine_reading, parse_layout

RECORD = get_document_type("patient_details")

CARD = """
200 100 Hilltop Health Centre registration form
200 300 Patient name: {name}
200 400 Date of birth: {birth}
"""


def _learned(read_birth: str, verified_birth: str, engine_birth: str | None = None) -> LayoutTemplate:
    """Learned from a card printing ``read_birth``, which the engine read as ``engine_birth``
    (as printed when not given; "" when it found nothing)."""
    pages = parse_layout(CARD.format(name="Maria Lopez", birth=read_birth))
    verified = {"patient_name": "Maria Lopez", "birth_date": verified_birth}
    result = engine_reading(
        pages, {"patient_name": "Maria Lopez", "birth_date": read_birth}, doc_type="patient_details"
    )
    if engine_birth is not None:
        result.fields["birth_date"] = FieldResult(engine_birth, 0.0, True)
    return learn_layout(result, RECORD, verified)


def test_a_date_read_with_the_forms_separators_is_written_as_the_clerk_verified_it() -> None:
    template = _learned("04-09-1967", "04/09/1967")
    assert template.formats == {"birth_date": ("dd-dd-dddd", "dd/dd/dddd")}
    # Only shapes are kept: no digit of the patient's date is in the layout's file.
    again = LayoutTemplate.from_dict(template.to_dict())
    assert again.formats == template.formats
    assert "1967" not in str(template.to_dict())
    fields = {"birth_date": FieldResult("10-09-1952", 0.9, False)}
    assert in_learned_formats(fields, again.formats)["birth_date"].value == "10/09/1952"


def test_a_reading_of_another_shape_or_a_verified_reading_changes_nothing() -> None:
    template = _learned("04-09-1967", "04/09/1967")
    other = {"birth_date": FieldResult("1952-09-10", 0.9, True, reason="check it")}
    kept = in_learned_formats(other, template.formats)["birth_date"]
    assert kept.value == "1952-09-10" and kept.needs_review
    # The engine read the learned date as verified: nothing to learn.
    assert _learned("04/09/1967", "04/09/1967").formats == {}
    # Other groups of digits are another way of writing the date, not the form's separators.
    assert _learned("4-9-1967", "04/09/1967").formats == {}


def test_the_forms_separators_are_learned_from_the_page_whatever_the_engine_read() -> None:
    """The engine found no birth date on the learned copy, or misread a digit of it: the words
    where the verified date stands still show how the form prints its separators."""
    expected = {"birth_date": ("dd-dd-dddd", "dd/dd/dddd")}
    assert _learned("04-09-1967", "04/09/1967", engine_birth="").formats == expected
    assert _learned("04-09-1961", "04/09/1967").formats == expected


def test_a_mark_the_learned_copy_was_read_without_is_no_way_the_form_prints_it() -> None:
    """OCR lost the dash after the area code on the learned copy: later copies read whole stay
    as read. Boxes printed with nothing between them are the form's way, every separator a space."""
    phone = get_document_type("patient_details")
    assert shape("(563) 401-5827") == "(ddd) ddd-dddd"
    read, verified = {"phone_number": "(563) 401-5827"}, {"phone_number": "(563)-401-5827"}
    assert learn_formats(phone, read, verified) == {}
    spaced, slashed = {"birth_date": "04 09 1967"}, {"birth_date": "04/09/1967"}
    assert learn_formats(phone, spaced, slashed) == {"birth_date": ("dd dd dddd", "dd/dd/dddd")}


def _composed(street: str, city: str, state: str, zip_code: str) -> FieldResult:
    """An address put together from its parts, as ``extraction.parts`` gives it."""
    spec = RECORD.field("address")
    read = {"street": street, "city": city, "state": state, "zip": zip_code}
    pieces = tuple(PartReading(name, value, (0, 0, 10, 10), 0.9) for name, value in read.items())
    composed = FieldResult(
        fill_parts(spec.parts_format, read), 0.9, False, page=0, box=(0, 0, 10, 10), parts=pieces
    )
    composed.flag(PARTS_NOTE.format("street, city, state, zip"))
    return composed


def test_a_value_asked_for_in_parts_is_written_as_the_clerk_wrote_it_on_the_learned_copy() -> None:
    """The form asks for street, city, state and ZIP in boxes; the office writes a comma before
    the ZIP. Learned from the verified copy, only the separators are kept, and a later copy's
    parts are put together the office's way, still flagged."""
    learned = {"address": _composed("66 Prospect Way", "Washington", "District of Columbia", "20047")}
    verified = {"address": "66 Prospect Way\nWashington, District of Columbia, 20047"}
    formats = learn_part_formats(RECORD, learned, verified)
    assert formats == {"address": "{street}\n{city}, {state}, {zip}"}
    fields = {"address": _composed("21 Sycamore Way", "Brooklyn", "New York", "11272")}
    written = in_learned_part_formats(fields, formats, RECORD)["address"]
    assert written.value == "21 Sycamore Way\nBrooklyn, New York, 11272" and written.needs_review


def test_a_part_misread_or_words_beside_the_parts_teach_no_way_of_writing() -> None:
    """A part the engine misread on the learned copy is not in the verified value; a verified
    value holding more than its parts and separators ("USA") would keep words of the patient's:
    neither is learned. A copy whose parts were put together otherwise is left as it is."""
    misread = {"address": _composed("66 Prospect Way", "Washingten", "District of Columbia", "20047")}
    verified = {"address": "66 Prospect Way\nWashington, District of Columbia, 20047"}
    assert learn_part_formats(RECORD, misread, verified) == {}
    learned = {"address": _composed("66 Prospect Way", "Washington", "District of Columbia", "20047")}
    more = {"address": "66 Prospect Way\nWashington, District of Columbia, 20047\nUSA"}
    assert learn_part_formats(RECORD, learned, more) == {}
    as_verified = {"address": "66 Prospect Way\nWashington, District of Columbia 20047"}
    assert learn_part_formats(RECORD, learned, as_verified) == {}
    changed = _composed("21 Sycamore Way", "Brooklyn", "New York", "11272")
    changed.value = "21 Sycamore Way\nBrooklyn, NY 11272"
    kept = in_learned_part_formats(
        {"address": changed}, {"address": "{street}\n{city}, {state}, {zip}"}, RECORD
    )
    assert kept["address"].value == "21 Sycamore Way\nBrooklyn, NY 11272"
