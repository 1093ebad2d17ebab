"""The patient-record layout families: determinism, truth conventions and legibility."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from docgen import FIELDS, generate
from docgen.families import FAMILIES, TUNING_FAMILIES, families_of
from docgen.families import _pd_common as pd

PD_FAMILIES = (
    "pd_single_column",
    "pd_checkbox",
    "pd_table",
    "pd_sectioned",
    "pd_intake_grid",
    "pd_answer_grid",
    "pd_world_registration",
    "pd_health_questionnaire",
    "pd_landscape_cells",
    "pd_question_form",
    "pd_bilingual",
    "pd_web_form",
)
ANSWERS = {
    "chickenpox": {"IMMUNE", "NOT IMMUNE"},
    "measles": {"IMMUNE", "NOT IMMUNE"},
    "hepatitis_b_vaccination": {"Yes", "No"},
    "has_medical_insurance": {"Yes", "No"},
}
SEEDS = range(10)


@pytest.mark.parametrize("family", PD_FAMILIES)
def test_family_is_registered_as_a_patient_record(family: str) -> None:
    assert family in FAMILIES
    assert family in families_of("patient_details")
    assert FAMILIES[family].DESCRIPTION


@pytest.mark.parametrize("family", PD_FAMILIES)
def test_same_seed_same_document(family: str) -> None:
    a = generate(11, "patient_details", "clean", dpi=80, family=family)
    b = generate(11, "patient_details", "clean", dpi=80, family=family)
    assert a.truth == b.truth
    assert len(a.pages) == len(b.pages)
    for pa, pb in zip(a.pages, b.pages, strict=True):
        assert np.array_equal(np.asarray(pa), np.asarray(pb))
    c = generate(12, "patient_details", "clean", dpi=80, family=family)
    assert c.truth != a.truth


@pytest.mark.parametrize("family", PD_FAMILIES)
def test_truth_follows_the_conventions(family: str) -> None:
    for seed in SEEDS:
        truth = generate(seed, "patient_details", "clean", dpi=60, family=family).truth
        assert tuple(truth) == FIELDS["patient_details"]
        for name, value in truth.items():
            assert value == value.strip(), (name, value)
            assert all(line and line == line.strip() for line in value.split("\n") if value), (name, value)
        for name, canonical in ANSWERS.items():
            assert truth[name] in canonical | {""}, (seed, name, truth[name])
        assert truth["has_medical_insurance"] and truth["chickenpox"] and truth["hepatitis_b_vaccination"]
        for name in ("weight", "height"):
            assert truth[name] == "" or truth[name].isdigit(), (name, truth[name])
        texts = [v for k, v in truth.items() if v and k not in ANSWERS]
        assert len(texts) == len(set(texts)), truth
        assert truth["patient_name"] and truth["birth_date"] and truth["address"]


def test_families_vary_their_wording_and_omit_fields_sometimes() -> None:
    omitted = set()
    for family in PD_FAMILIES:
        for seed in SEEDS:
            truth = generate(seed, "patient_details", "clean", dpi=50, family=family).truth
            omitted |= {name for name in pd.OMITTABLE if truth[name] == ""}
    assert len(omitted) >= 3
    assert all(len(set(variants)) >= 4 for variants in pd.LABELS.values())


def _without_rules(page: Image.Image) -> Image.Image:
    """The page with its long horizontal and vertical rules whitened (runs of ink over half an inch).

    Tesseract's default page layout analysis takes some ruled grids for a picture and reads none of
    their cells; this test is about whether the values are legible, not about that analysis.
    """
    grey = np.asarray(page.convert("L"))
    length = max(8, page.width // 17)
    rules = np.zeros(grey.shape, bool)
    for axis in (0, 1):
        dark = np.moveaxis(grey < 128, axis, -1)
        n, zero = dark.shape[-1], np.zeros((*dark.shape[:-1], 1), np.int32)
        ink = np.concatenate([zero, dark.cumsum(-1, dtype=np.int32)], axis=-1)  # ink[k]: dark in [0, k)
        starts = np.zeros(dark.shape, bool)  # starts[x]: `length` dark pixels in a row from x
        starts[..., : n - length + 1] = ink[..., length:] - ink[..., : n - length + 1] == length
        lead = np.zeros((*dark.shape[:-1], length), np.int32)
        begun = np.concatenate([lead, zero, starts.cumsum(-1, dtype=np.int32)], axis=-1)
        covered = begun[..., length + 1 :] - begun[..., 1 : n + 1] > 0  # some run spans x
        rules |= np.moveaxis(covered, -1, axis)
    return Image.fromarray(np.where(rules, 255, grey).astype(np.uint8))


@pytest.mark.ocr
@pytest.mark.parametrize("family", PD_FAMILIES)
def test_tesseract_reads_most_values(family: str, needs_ocr: None) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    # Typed, in the tuning faces: tesseract is not run on held-out faces, and handwriting is not print.
    doc = generate(3, "patient_details", "clean", family=family, fonts="tuning", hand_rate=0)
    text = " ".join(pytesseract.image_to_string(_without_rules(page)) for page in doc.pages)
    read = {word.strip(",.;:").lower() for word in text.split()}
    words = [
        word.strip(",.;:").lower()
        for name, value in doc.truth.items()
        if value and name not in ANSWERS
        for word in value.split()
    ]
    found = [word for word in words if word in read]
    assert len(found) >= 0.85 * len(words), (sorted(set(words) - read), text)


def test_the_registration_form_of_a_clinic_abroad_varies_its_values_layouts_and_answers() -> None:
    """Other countries' numbers and dates, on tables, dotted leaders and inline pairs, answered
    by rings, strikes, written words or ticked cells: the variety the family exists for."""
    import random

    from docgen.families import pd_world_registration as abroad

    forms = [abroad.Form(random.Random(seed), 50) for seed in range(40)]
    assert {form.mode for form in forms} == {"table", "dotted", "inline"}
    assert {form.answer_style for form in forms} == {"circle", "strike", "written", "cells"}
    truths = [
        generate(seed, "patient_details", "clean", dpi=50, family="pd_world_registration").truth
        for seed in SEEDS
    ]
    phones = [t["phone_number"] for t in truths if t["phone_number"]]
    assert any(phone.startswith("+") for phone in phones) and not all(
        phone.startswith("+") for phone in phones
    )
    assert len({len(t["birth_date"]) for t in truths}) >= 2


def test_the_questionnaire_answers_its_conditions_in_a_table_and_the_sheet_lies_landscape() -> None:
    """The questionnaire's medical problems are conditions it printed in its table (one per
    line, never chickenpox or measles, which are fields of their own); the landscape sheet is
    wider than tall."""
    from docgen.families import pd_health_questionnaire as questionnaire

    printed = set(pd.CHECKLIST_CONDITIONS) | set(questionnaire.FILLER_CONDITIONS)
    problems = []
    for seed in SEEDS:
        doc = generate(seed, "patient_details", "clean", dpi=50, family="pd_health_questionnaire")
        lines = [line for line in doc.truth["medical_problems"].split("\n") if line]
        assert set(lines) <= printed, lines
        problems += lines
        sheet = generate(seed, "patient_details", "clean", dpi=50, family="pd_landscape_cells")
        assert all(page.width > page.height for page in sheet.pages)
    assert len(problems) >= 5


def _printed(family: str, seeds: int = 12) -> list[str]:
    """Every text the family prints on ``seeds`` documents, faces of the tuning set."""
    import importlib
    import random

    from docgen import canvas, fonts

    module = importlib.import_module(f"docgen.families.{family}")
    printed: list[str] = []
    for seed in range(seeds):
        with fonts.drawing_from("tuning"), canvas.filled_in(None) as pages:
            module.draw(random.Random(seed), 50)
        printed += [text for page in pages for text, _by_hand in page.texts]
    return printed


def test_the_questionnaire_asks_for_values_in_sentences_among_questions_of_no_field() -> None:
    """Each field asked by a question of the family's own, and questions that are no field
    printed among them: a doctor's name and a pharmacy the record's fields must not take."""
    from docgen.families import pd_question_form as questions

    printed = _printed("pd_question_form")
    for name, wordings in questions.QUESTIONS.items():
        assert any(wording in text for wording in wordings for text in printed), name
    others = [text for text, _answers in questions.OTHER_QUESTIONS]
    assert any(other in text for other in others for text in printed)
    assert "pd_question_form" in TUNING_FAMILIES


def test_the_bilingual_form_prints_every_label_in_english_and_spanish() -> None:
    """Each field's label printed with a Spanish wording of the family's own, beside it or under
    it, and the answers' options in both languages."""
    from docgen.families import pd_bilingual as bilingual

    printed = _printed("pd_bilingual")
    for name, wordings in bilingual.SPANISH.items():
        assert any(wording in text for wording in wordings for text in printed), name
    assert any("Yes / Sí" in text for text in printed)
    assert any(" / " in text and text.endswith(":") for text in printed)  # inline: "English / Spanish:"
    assert any(text in bilingual.SPANISH["birth_date"] for text in printed)  # stacked: alone under it
    assert "pd_bilingual" in TUNING_FAMILIES


def test_the_new_patient_packet_prints_each_field_among_its_look_alikes() -> None:
    """The packet's pharmacy and physician phones, subscriber, secondary insurance and the second
    column of its medication and allergy tables are printed, none of them the truth of a field."""
    import random

    from docgen import canvas, fonts
    from docgen.families import pd_new_patient_packet as packet

    printed = _printed("pd_new_patient_packet")
    for look_alike in ("Pharmacy", "Subscriber name", "Subscriber DOB", "Reaction", "How often", "Year"):
        assert any(look_alike in text for text in printed), look_alike
    assert any(text.upper() == "SECONDARY INSURANCE" for text in printed)
    assert any(text in packet.FAMILY_CONDITIONS for text in printed)
    for seed in range(6):
        with fonts.drawing_from("tuning"), canvas.filled_in(None):
            truth, _pages = packet.draw(random.Random(seed), 50)
        assert not any(often in truth["regular_medications"] for often in packet.HOW_OFTEN)
        assert not any(reaction in truth["allergies"] for reaction in packet.REACTIONS)
    assert "pd_new_patient_packet" in TUNING_FAMILIES


def test_the_pediatric_registration_asks_for_the_child_among_a_parent_s_own_details() -> None:
    """The child named under a child's wording, beside a parent's or guardian's own name, date of
    birth and phones and the insured parent's: none of them the truth of a field."""
    import random

    from docgen import canvas, fonts
    from docgen.families import pd_pediatric_registration as pediatric

    printed = _printed("pd_pediatric_registration")
    assert any(text.rstrip(":") in pediatric.CHILD_NAME for text in printed)
    for look_alike in ("Relationship", "Employer", "Work phone", "School"):
        assert any(look_alike in text for text in printed), look_alike
    for seed in range(6):
        with fonts.drawing_from("tuning"), canvas.filled_in(None) as pages:
            truth, _ = pediatric.draw(random.Random(seed), 50)
        texts = [text for page in pages for text, _by_hand in page.texts]
        parent = texts[
            next(i for i, t in enumerate(texts) if t.rstrip(":") in ("Relationship to child", "Relationship"))
            - 1
        ]
        assert parent not in truth.values()
    assert "pd_pediatric_registration" in TUNING_FAMILIES
