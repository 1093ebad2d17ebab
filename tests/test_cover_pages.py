"""A fax cover sheet in front of a document: read for no field, the document behind it alone.

Pages written as text (no OCR); the labels and titles of a cover sheet are data
(``extraction/doctypes/shared/cover_sheet.toml``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import generate, write_document
from extraction import extract
from extraction.cover_pages import cover_sheet_pages, is_cover_sheet, set_aside
from extraction.doctypes import get_document_type
from extraction.fields import extract_fields
from extraction.structure import PageStructure
from tests.layout_text import parse_layout

PATIENT = get_document_type("patient_details")

COVER = """
200 200 Lakeside Family Clinic
200 260 Tel (309) 808-1117   Fax (435) 528-4386
900 400 FAX TRANSMISSION
200 600 To:
700 600 Claims Department, Meridian Insurance
200 680 Fax:
700 680 (226) 443-6934
200 760 Phone:
700 760 (216) 267-3192
200 840 From:
700 840 Shirley Petrov
200 920 Date:
700 920 2017-08-03
200 1000 Re:
700 1000 Intake form - Kenneth West
200 1080 Pages:
700 1080 2
"""
FORM = """
200 200 Lakeside Family Clinic
200 260 Tel (309) 808-1117   Fax (435) 528-4386
800 400 PATIENT INTAKE FORM
200 600 Date: 03/12/2024
200 680 Patient name: Kenneth West
200 760 Phone: (555) 201-3344
200 840 Date of birth: 04/05/1970
"""


def test_a_fax_cover_sheet_is_told_by_its_labels_and_title() -> None:
    (cover,) = parse_layout(COVER)
    (form,) = parse_layout(FORM)
    assert is_cover_sheet(cover)
    # A form's letterhead prints "Fax" too, and its own "Date:" and "Phone:": no cover sheet.
    assert not is_cover_sheet(form)


def test_the_fields_of_a_document_behind_a_cover_sheet_are_its_own() -> None:
    pages = parse_layout(COVER + "--- page\n" + FORM)
    assert cover_sheet_pages(pages) == {0}
    read, _structures = set_aside(cover_sheet_pages(pages), pages, [PageStructure(), PageStructure()])
    fields = extract_fields(PATIENT, read, 0.8)
    assert fields["record_date"].value == "03/12/2024"
    assert fields["phone_number"].value == "(555) 201-3344"
    assert fields["patient_name"].value == "Kenneth West"
    assert all(field.page != 0 for field in fields.values() if field.value)


def test_a_document_of_cover_sheets_only_is_read_whole() -> None:
    pages = parse_layout(COVER)
    assert cover_sheet_pages(pages) == frozenset()


@pytest.mark.ocr
@pytest.mark.parametrize(
    ("family", "doc_type", "seed"),
    [("pd_fax_cover", "patient_details", 7690), ("rx_fax_cover", "prescription", 7691)],
)
def test_no_field_is_read_from_a_generated_cover_sheet(
    needs_ocr: None, tmp_path: Path, family: str, doc_type: str, seed: int
) -> None:
    doc = generate(seed, doc_type, "scan", family=family, fonts="tuning", hand_rate=0)
    result = extract(write_document(doc, tmp_path / "faxed.pdf", "pdf"))
    assert result.document_type == doc_type
    assert len(result.page_texts[0].lines) > 5  # the cover's text is kept for the reviewer
    assert [name for name, field in result.fields.items() if field.value and field.page == 0] == []


@pytest.mark.ocr
def test_a_form_learned_from_a_faxed_copy_is_found_on_the_next_faxed_copy(
    needs_ocr: None, tmp_path: Path
) -> None:
    """The cover is read for no field, but its print is the sending clinic's: a learned layout
    matches the next fax of the form, cover and all."""
    from extraction.doctypes import get_document_type as doc_type_of
    from extraction.layouts import learn_layout

    def faxed(seed: int) -> tuple[Path, dict[str, str]]:
        doc = generate(
            seed, "prescription", "scan", family="rx_fax_cover", form=7692, fonts="tuning", hand_rate=0
        )
        return write_document(doc, tmp_path / f"{seed}.pdf", "pdf"), dict(doc.truth)

    first, truth = faxed(1)
    template = learn_layout(extract(first, doc_type="prescription"), doc_type_of("prescription"), truth)
    second, _ = faxed(2)
    result = extract(second, layouts=[template])
    assert result.layout is not None and result.layout.template.id == template.id
