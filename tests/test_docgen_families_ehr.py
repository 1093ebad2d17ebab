"""The health-record prescription printout (rx_ehr_printout): its fields among look-alike values
the form does not ask for, each field's value drawn once."""

from __future__ import annotations

import random

from docgen import canvas, fonts
from docgen.families import FAMILIES, TUNING_FAMILIES, families_of

FAMILY = "rx_ehr_printout"


def _drawn(seed: int) -> tuple[dict[str, str], list[str]]:
    """The truth and every text drawn on the page, at 50 dpi."""
    with fonts.drawing_from("tuning"), canvas.filled_in(None) as pages:
        truth, images = FAMILIES[FAMILY].draw(random.Random(f"docgen:{FAMILY}:{seed}"), 50)
    assert len(images) == 1
    return truth, [text for page in pages for text, _by_hand in page.texts]


def test_family_is_a_tuning_prescription() -> None:
    assert FAMILY in TUNING_FAMILIES and FAMILY in families_of("prescription")


def test_each_value_is_drawn_once_among_look_alikes() -> None:
    seen: set[str] = set()
    for seed in range(20):
        truth, texts = _drawn(seed)
        for field in ("patient_name", "prescription_date", "prescriber"):
            assert texts.count(truth[field]) == 1, (seed, field, truth[field])
        for line in truth["medicines"].splitlines():
            assert texts.count(line) == 1, (seed, line)
        joined = "\n".join(texts)
        seen |= {
            word for word in ("DOB", "Pharmacy", "NPI", "Allergies", "Printed", "signed") if word in joined
        }
    # Across a few forms, every kind of look-alike appears.
    assert seen == {"DOB", "Pharmacy", "NPI", "Allergies", "Printed", "signed"}


def test_the_face_sheet_prints_its_fields_among_look_alikes_within_its_pages() -> None:
    """Each value once among the look-alikes; lists that would not fit go onto a second page,
    never past the first one's foot."""
    from docgen.families.pd_face_sheet import Sheet

    assert "pd_face_sheet" in TUNING_FAMILIES and "pd_face_sheet" in families_of("patient_details")
    seen: set[str] = set()
    pages_drawn = set()
    for seed in range(20):
        with fonts.drawing_from("tuning"), canvas.filled_in(None) as pages:
            sheet = Sheet(random.Random(f"docgen:pd_face_sheet:{seed}"), 50)
            for section in (sheet.header, sheet.demographics, sheet.emergency, sheet.insurance):
                section()
            sheet.immunizations()
            sheet.lists()
        assert all(sheet.y < page.image.height - page.px(0.6) for page in sheet.pages[-1:]), seed
        pages_drawn.add(len(sheet.pages))
        texts = [text for page in pages for text, _by_hand in page.texts]
        truth = sheet.record.truth
        for field in ("patient_name", "policy_number", "phone_number"):
            if truth[field]:
                assert texts.count(truth[field]) == 1, (seed, field, truth[field])
        joined = "\n".join(texts)
        seen |= {
            word
            for word in ("Age", "Work phone", "Relationship", "Group", "Effective", "BMI")
            if word in joined
        }
    assert seen == {"Age", "Work phone", "Relationship", "Group", "Effective", "BMI"}
    assert pages_drawn == {1, 2}
