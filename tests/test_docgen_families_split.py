"""The split-field patient record (pd_split_fields): determinism, truth convention, legibility.

The form records every value piece it draws (``_split_draw.Shown``), so the truth convention is
checked by rebuilding each field from the pieces the page shows, as a clerk would type it.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict

import numpy as np
import pytest

from docgen import FIELDS, generate
from docgen.families import FAMILIES, TUNING_FAMILIES, families_of
from docgen.families import _pd_common as pd
from docgen.families._split_draw import Form, Shown

FAMILY = "pd_split_fields"
SEEDS = range(16)
FIRST_WORDS = {"Yes", "Y", "YES", "Immune", "Had it / immune"}
SECOND_WORDS = {"No", "N", "NO", "Not immune"}
PHONES = ("phone_number", "emergency_contact_phone")


def _layout(seed: int, dpi: int) -> tuple[dict[str, str], Form]:
    return FAMILIES[FAMILY].layout(random.Random(f"docgen:{FAMILY}:{seed}"), dpi)


def _city_line(city: str, state: str, zipcode: str) -> str:
    return f"{city}, {state} {zipcode}" if len(state) == 2 else f"{city}, {state}, {zipcode}"


def _field(name: str, parts: dict[str, list[str]], order: list[str], separator: str) -> str:
    """A field typed from its drawn pieces, by the convention in the family's docstring."""
    joined = {part: "".join(texts) for part, texts in parts.items()}
    if "mark" in parts:
        word = parts["mark"][0]
        return pd.CANONICAL[name][0 if word in FIRST_WORDS else 1 if word in SECOND_WORDS else 2]
    if name == "patient_name":
        return " ".join(joined[p] for p in ("given", "middle", "family") if joined.get(p))
    if name == "birth_date":
        return (separator if separator in ("/", "-") else "/").join(joined[p] for p in order)
    if name in PHONES and "area" in parts:
        number = joined.get("number") or f"{joined['exchange']}-{joined['line']}"
        return f"({joined['area']}) {number}"
    if name == "address":
        lines = [joined["street"], _city_line(joined["city"], joined["state"], joined["zip"])]
        return "\n".join(lines + ([joined["country"]] if "country" in joined else []))
    value = "\n".join(parts["value"])
    return re.sub(r" (kg|cm)$", "", value) if name in ("weight", "height") else value


def _rebuilt(shown: list[Shown], separator: str) -> dict[str, str]:
    parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    order: dict[str, list[str]] = defaultdict(list)
    for piece in shown:
        if piece.field:
            if piece.part not in parts[piece.field]:
                order[piece.field].append(piece.part)
            parts[piece.field][piece.part].append(piece.text)
    return {name: _field(name, parts[name], order[name], separator) for name in parts}


def test_family_is_a_tuning_patient_record() -> None:
    assert FAMILY in TUNING_FAMILIES
    assert FAMILY in families_of("patient_details")
    assert FAMILIES[FAMILY].DESCRIPTION


def test_same_seed_same_document() -> None:
    a = generate(21, "patient_details", "scan", dpi=80, family=FAMILY)
    b = generate(21, "patient_details", "scan", dpi=80, family=FAMILY)
    assert a.truth == b.truth and len(a.pages) == len(b.pages)
    for pa, pb in zip(a.pages, b.pages, strict=True):
        assert np.array_equal(np.asarray(pa), np.asarray(pb))
    assert generate(22, "patient_details", "scan", dpi=80, family=FAMILY).truth != a.truth


def test_layout_is_what_generate_draws() -> None:
    truth, form = _layout(4, 100)
    doc = generate(4, "patient_details", "clean", dpi=100, family=FAMILY)
    assert doc.truth == truth and len(doc.pages) == len(form.flow.pages)
    for drawn, page in zip(doc.pages, form.images(), strict=True):
        assert np.array_equal(np.asarray(drawn), np.asarray(page))


def test_truth_follows_the_convention() -> None:
    for seed in SEEDS:
        truth, _form = _layout(seed, 50)
        assert tuple(truth) == FIELDS["patient_details"], seed
        assert re.fullmatch(r"(\d\d([/-])\d\d\2\d{4}|\d{4}([/-])\d\d\3\d\d)", truth["birth_date"]), truth
        assert re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", truth["phone_number"]), truth
        assert re.fullmatch(r"[A-Z][a-z]+( [A-Z]\.?)? [A-Z][A-Za-z]+", truth["patient_name"]), truth
        street, city, *country = truth["address"].split("\n")
        assert re.fullmatch(r"\d+ [A-Z][a-z]+ [A-Z][a-z]+", street), truth
        assert re.fullmatch(r"[A-Z][A-Za-z .]+, ([A-Z]{2} \d{5}|[A-Z][A-Za-z ]+, \d{5})", city), truth
        assert country in ([], ["United States"]), truth
        for name, canonical in pd.CANONICAL.items():
            assert truth[name] in (*canonical, ""), (seed, name)


def test_every_value_is_shown_as_its_truth_in_ink() -> None:
    """Each field typed from the pieces drawn for it is its truth; every piece's box holds ink."""
    for seed in SEEDS:
        truth, form = _layout(seed, (100, 150)[seed % 2])
        shown = _rebuilt(form.shown, form.separator)
        for name, value in truth.items():
            assert shown.get(name, "") == value, (seed, name, shown.get(name), value)
        pages = [np.asarray(page) for page in form.images()]
        for piece in form.shown:
            x0, y0, x1, y1 = piece.box
            assert (pages[piece.page][y0:y1, x0:x1] < 160).any(), (seed, piece)


def test_forms_vary_the_way_they_split() -> None:
    forms = [_layout(seed, 50)[1] for seed in range(40)]
    assert {f.notes["name"] for f in forms} == {"cells", "captions", "lines", "comma"}
    assert {f.notes["date_order"] for f in forms} == {"dmy", "mdy", "ymd"}
    assert {f.notes["comb"] for f in forms} == {"squares", "teeth", "spaced"}
    names = [_layout(seed, 50)[0]["patient_name"] for seed in range(40)]
    assert any(len(n.split()) == 3 for n in names) and any(len(n.split()) == 2 for n in names)
    parts = {p.part for f in forms for p in f.shown if p.field in PHONES}
    assert {"area", "exchange", "line", "number", "value"} <= parts


@pytest.mark.ocr
def test_tesseract_reads_most_values(needs_ocr: None) -> None:
    """One clean document: tesseract finds most words of the values (digits in comb boxes aside)."""
    pytesseract = pytest.importorskip("pytesseract")
    from tests.test_docgen_families_pd import _without_rules

    # Typed, in the tuning faces: tesseract is not run on held-out faces, and handwriting is not print.
    doc = generate(3, "patient_details", "clean", family=FAMILY, fonts="tuning", hand_rate=0)
    text = " ".join(pytesseract.image_to_string(_without_rules(page)) for page in doc.pages)
    read = {word.strip(",.;:()").lower() for word in text.split()}
    words = [
        word.strip(",.;:()").lower()
        for name, value in doc.truth.items()
        if value and name not in pd.ANSWER_FIELDS and name != "birth_date"
        for word in value.split()
    ]
    found = [word for word in words if word in read]
    assert len(found) >= 0.85 * len(words), (sorted(set(words) - read), text)
