"""The held-out families drawn from British, Australian, New Zealand and Irish paperwork:
registration, determinism, truth conventions and legibility (whether tesseract can read every
truth value on the clean page, not whether the engine finds them)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest
from PIL import Image

from docgen import FIELDS, generate
from docgen.families import FAMILIES, HELD_OUT_FAMILIES, TUNING_FAMILIES, families_of
from docgen.families import _intl as intl
from docgen.families import _pd_common as pd
from docgen.families.pd_history_yes_no import CONDITIONS, condition_answers
from tests.test_docgen_families_pd import _without_rules

NEW_FAMILIES = {
    "rx_discharge_medications": "prescription",
    "pd_history_yes_no": "patient_details",
    "pd_registration_landscape": "patient_details",
    "other_lab_report": "unknown",
}
TYPED = [name for name, doc_type in NEW_FAMILIES.items() if doc_type != "unknown"]
SEEDS = range(12)
ANSWERS = {name: set(words) for name, words in pd.CANONICAL.items()}
# Every date style of these countries, day first.
DATE = re.compile(
    r"^(\d{2} [A-Z][a-z]{2} \d{4}|\d{1,2}\.\d{1,2}\.\d{4}|\d{2}/\d{2}/\d{4}|\d{1,2} [A-Z][a-z]+ \d{4}"
    r"|\d{2}-[A-Z][a-z]{2}-\d{4}|\d{2}\.\d{2}\.\d{4})$"
)
MEDICINE_LINE = re.compile(r"^[A-Z][A-Za-z ]+ \d+(\.\d+)? (mg|mcg|gram|ml)$")


def _doc(name: str, seed: int, dpi: int = 60, profile: str = "clean", **options):  # type: ignore[no-untyped-def]
    return generate(seed, NEW_FAMILIES[name], profile, dpi=dpi, family=name, **options)


@pytest.mark.parametrize("name", NEW_FAMILIES)
def test_family_is_registered_and_held_out(name: str) -> None:
    module = FAMILIES[name]
    assert NEW_FAMILIES[name] == module.DOC_TYPE and module.DESCRIPTION
    assert name in families_of(NEW_FAMILIES[name])
    assert name in HELD_OUT_FAMILIES and name not in TUNING_FAMILIES


@pytest.mark.parametrize("name", NEW_FAMILIES)
def test_same_seed_same_pages(name: str) -> None:
    a, b = _doc(name, 7, profile="scan"), _doc(name, 7, profile="scan")
    assert a.truth == b.truth and len(a.pages) == len(b.pages)
    for pa, pb in zip(a.pages, b.pages, strict=True):
        assert np.array_equal(np.asarray(pa), np.asarray(pb))
    c = _doc(name, 8, profile="scan")
    assert c.truth != a.truth or NEW_FAMILIES[name] == "unknown"
    assert any(
        not np.array_equal(np.asarray(pa), np.asarray(pc)) for pa, pc in zip(a.pages, c.pages, strict=False)
    )


@pytest.mark.parametrize("name", TYPED)
def test_one_form_filled_in_for_two_patients(name: str) -> None:
    """A form number fixes the clinic's form (its country too); the seed the values written on it."""
    first, second = _doc(name, 1, form=4), _doc(name, 2, form=4)
    assert first.truth["patient_name"] != second.truth["patient_name"]
    date = "prescription_date" if NEW_FAMILIES[name] == "prescription" else "birth_date"
    shapes = {re.sub(r"\d", "9", re.sub(r"[A-Za-z]+", "a", doc.truth[date])) for doc in (first, second)}
    assert len(shapes) == 1, shapes


def test_discharge_lists_follow_the_prescription_conventions() -> None:
    pages = set()
    for seed in SEEDS:
        doc = _doc("rx_discharge_medications", seed)
        t = doc.truth
        pages.add(len(doc.pages))
        assert tuple(t) == FIELDS["prescription"]
        medicines, directions = t["medicines"].split("\n"), t["directions"].split("\n")
        assert len(medicines) == len(directions) >= 2, t
        assert all(MEDICINE_LINE.match(line) for line in medicines), medicines
        assert t["prescriber"].startswith("Dr ") and t["refills"].isdigit(), t
        assert DATE.match(t["prescription_date"]) and t["patient_name"], t
    assert pages == {1, 2}


@pytest.mark.parametrize("name", ["pd_history_yes_no", "pd_registration_landscape"])
def test_records_follow_the_conventions(name: str) -> None:
    blank_insurers = 0
    for seed in SEEDS:
        t = _doc(name, seed).truth
        assert tuple(t) == FIELDS["patient_details"]
        for field, value in t.items():
            assert value == value.strip() and "\n\n" not in value, (field, value)
        for field, canonical in ANSWERS.items():
            assert t[field] in canonical | {""}, (seed, field, t[field])
        assert t["has_medical_insurance"] and t["chickenpox"] and t["hepatitis_b_vaccination"]
        assert t["patient_name"] and t["address"] and DATE.match(t["birth_date"]), t
        assert all(DATE.match(t[f]) for f in ("record_date", "insurance_expiry") if t[f]), t
        assert all(t[f] == "" or t[f].isdigit() for f in ("weight", "height")), t
        if t["has_medical_insurance"] == "No":
            blank_insurers += 1
            assert not (t["insurance_company"] or t["policy_number"] or t["insurance_expiry"]), t
        texts = [v for k, v in t.items() if v and k not in ANSWERS]
        assert len(texts) == len(set(texts)), t
    assert blank_insurers


def test_registration_sheets_are_landscape_and_split_the_postcode_sometimes() -> None:
    three_line = 0
    for seed in SEEDS:
        doc = _doc("pd_registration_landscape", seed)
        assert len(doc.pages) == 1 and doc.pages[0].width > doc.pages[0].height
        three_line += doc.truth["address"].count("\n") == 2
    assert three_line


def test_a_condition_row_is_ticked_yes_when_a_listed_problem_names_it() -> None:
    rows = [row for row in CONDITIONS if row[0] in ("Asthma", "Migraine or headaches", "Heart disease")]
    assert condition_answers(rows, "Asthma, headaches") == [True, True, False]
    assert condition_answers(rows, "") == [False, False, False]
    assert condition_answers(rows, "None") == [False, False, False]


def test_lab_reports_have_no_truth() -> None:
    for seed in range(4):
        doc = _doc("other_lab_report", seed)
        assert doc.truth == {} and len(doc.pages) == 1


def test_local_values_have_the_countrys_shape() -> None:
    import random

    rng = random.Random(5)
    uk, au = intl.COUNTRIES["uk"], intl.COUNTRIES["au"]
    assert re.match(r"^[A-Z]{1,2}\d{1,2} \d[A-Z]{2}$", intl.address(rng, uk)[2])
    assert re.match(r"^07\d{3} \d{3} ?\d{3}$", intl.phone(rng, uk, mobile=True))
    assert re.match(r"^04\d{2} \d{3} \d{3}$", intl.phone(rng, au, mobile=True))
    street, town = intl.address_lines(intl.address(rng, au), au)
    assert re.search(r" [A-Z]{2,3} \d{4}$", town) and street[0].isalnum()


def _words(text: str) -> list[str]:
    return [w.strip(".,:;()#*'\"").lower() for w in text.split() if w.strip(".,:;()#*'\"")]


def _legible_ink(page: Image.Image) -> Image.Image:
    """The clean page with its rules, shading and grey leaders whitened: what is left is the ink of
    the text, and the test asks whether that text reads, not how tesseract takes a grid apart."""
    return _without_rules(page).point(lambda v: 255 if v >= 160 else v)


def _unread(value: str, read: set[str]) -> list[str]:
    """The words of `value` not read, a word read glued to its neighbour ("1cap") counting as read:
    tesseract drops a narrow space now and then, and this test is about legibility, not spacing."""
    words = _words(value)
    glued = {a + b for a, b in itertools.pairwise(words)}
    found = {w for pair in glued & read for w in words if w in pair}
    return [w for w in words if w not in read and w not in found]


@pytest.mark.ocr
@pytest.mark.parametrize("name", TYPED)
def test_tesseract_reads_every_value(name: str, needs_ocr: None) -> None:
    """Every word of every printed truth value (answers aside: they are marks) is on the page."""
    pytesseract = pytest.importorskip("pytesseract")
    for seed in (3, 4):
        # Typed, in the tuning faces: tesseract is not run on held-out faces, and handwriting is not print.
        doc = _doc(name, seed, dpi=150, fonts="tuning", hand_rate=0)
        # Read as a page (shaded label cells confuse sparse reading) and as sparse text (table
        # cells confuse page reading); a value is legible if either reading finds it.
        text = " ".join(
            pytesseract.image_to_string(_legible_ink(page), config=f"--psm {psm}")
            for page in doc.pages
            for psm in (3, 11)
        )
        read = set(_words(text))
        wanted = [(f, w) for f, value in doc.truth.items() if f not in ANSWERS for w in _words(value)]
        missing = [(f, w) for f, value in doc.truth.items() if f not in ANSWERS for w in _unread(value, read)]
        assert len(missing) <= max(1, len(wanted) // 20), (name, seed, missing, sorted(read))
