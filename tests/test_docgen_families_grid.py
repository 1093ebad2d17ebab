"""The fully ruled grid-form families: determinism, truth, every value inside its cell, rules drawn.

The families' pages remember what they set where (``_grid.Placed``), so these tests check each
value against the page without OCR.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict

import numpy as np
import pytest

from docgen import DEGRADATION_PROFILES, FIELDS, generate
from docgen.families import FAMILIES, TUNING_FAMILIES, families_of
from docgen.families import _pd_common as pd
from docgen.families._grid import RuledPage

GRID_FAMILIES = ("rx_grid_form", "pd_ruled_register")
SEEDS = range(16)
DPIS = (150, 200, 300)
# Printed answer words, by the canonical answer they stand for (first or second of pd.CANONICAL).
FIRST_WORDS = {"Yes", "Y", "YES", "Immune", "Had it / immune"}
SECOND_WORDS = {"No", "N", "NO", "Not immune"}


def _layout(family: str, seed: int, dpi: int) -> tuple[dict[str, str], list[RuledPage]]:
    """What generate() draws for (family, seed, dpi), with the pages' records of their text."""
    return FAMILIES[family].layout(random.Random(f"docgen:{family}:{seed}"), dpi)


def _shown(pages: list[RuledPage]) -> dict[str, str]:
    """Each field as the pages show it: its pieces joined by spaces within a group (a truth line),
    the groups by newlines, in order; a weight or height without its unit."""
    pieces: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    for page in pages:
        for placed in page.placed:
            if placed.field and placed.kind == "text":
                pieces[placed.field][placed.group].append(placed.text)
    shown = {name: "\n".join(" ".join(groups[g]) for g in sorted(groups)) for name, groups in pieces.items()}
    for name in ("weight", "height"):
        if name in shown:
            shown[name] = re.sub(r" (kg|cm)$", "", shown[name])
    return shown


def _runs(dark: np.ndarray, length: int) -> int:
    """How many separate rows of `dark` hold a run of at least `length` dark pixels."""
    zero = np.zeros((dark.shape[0], 1), np.int32)
    ink = np.concatenate([zero, dark.cumsum(axis=1, dtype=np.int32)], axis=1)
    rows = np.flatnonzero((ink[:, length:] - ink[:, :-length] == length).any(axis=1))
    return 0 if rows.size == 0 else 1 + int(np.count_nonzero(np.diff(rows) > 1))


@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_family_is_a_tuning_family(family: str) -> None:
    module = FAMILIES[family]
    assert family in TUNING_FAMILIES
    expected = "prescription" if family.startswith("rx_") else "patient_details"
    assert family in families_of(expected)
    assert module.DESCRIPTION


@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_same_seed_same_document(family: str) -> None:
    doc_type = FAMILIES[family].DOC_TYPE
    a = generate(21, doc_type, "scan", dpi=100, family=family)
    b = generate(21, doc_type, "scan", dpi=100, family=family)
    assert a.truth == b.truth and len(a.pages) == len(b.pages)
    for pa, pb in zip(a.pages, b.pages, strict=True):
        assert np.array_equal(np.asarray(pa), np.asarray(pb))
    c = generate(22, doc_type, "scan", dpi=100, family=family)
    assert c.truth != a.truth


@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_layout_is_what_generate_draws(family: str) -> None:
    truth, pages = _layout(family, 4, 150)
    doc = generate(4, FAMILIES[family].DOC_TYPE, "clean", dpi=150, family=family)
    assert doc.truth == truth and len(doc.pages) == len(pages)
    for drawn, page in zip(doc.pages, pages, strict=True):
        assert np.array_equal(np.asarray(drawn), np.asarray(page.image))


@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_truth_has_the_fields_of_its_type(family: str) -> None:
    doc_type = FAMILIES[family].DOC_TYPE
    for seed in SEEDS:
        truth, _pages = _layout(family, seed, 60)
        assert tuple(truth) == FIELDS[doc_type], seed
        for name, value in truth.items():
            assert value == value.strip() and value.isascii(), (seed, name, value)
        if doc_type == "prescription":
            assert all(truth[name] for name in FIELDS[doc_type] if name != "patient_address"), truth
            assert truth["refills"].isdigit() and truth["prescriber"].startswith("Dr")
        else:
            for name, canonical in pd.CANONICAL.items():
                assert truth[name] in (*canonical, ""), (seed, name)


@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_every_value_is_shown_once_and_nothing_else(family: str) -> None:
    """The text set for each field is exactly its truth; blank and unprinted fields show nothing."""
    for seed in SEEDS:
        truth, pages = _layout(family, seed, DPIS[seed % len(DPIS)])
        shown = _shown(pages)
        for name, value in truth.items():
            if name in pd.ANSWER_FIELDS and FAMILIES[family].DOC_TYPE == "patient_details":
                continue  # answers: see test_answers_are_marked_in_their_column
            assert shown.get(name, "") == value, (seed, name, shown.get(name), value)


def test_answers_are_marked_in_their_column() -> None:
    """Every answer is one mark (or a Yes/No written in a value cell) under the option that means it."""
    for seed in SEEDS:
        truth, pages = _layout("pd_ruled_register", seed, DPIS[seed % len(DPIS)])
        shown = _shown(pages)
        for name in pd.ANSWER_FIELDS:
            marks = [(page, p) for page in pages for p in page.placed if p.kind == "mark" and p.field == name]
            if not truth[name]:
                assert not marks and name not in shown, (seed, name)
                continue
            if name in shown:  # written out, not marked
                assert shown[name] == truth[name] and not marks, (seed, name)
                continue
            assert len(marks) == 1, (seed, name, marks)
            page, mark = marks[0]
            words = FIRST_WORDS if pd.CANONICAL[name].index(truth[name]) == 0 else SECOND_WORDS
            assert mark.text in words, (seed, name, mark.text, truth[name])
            # The option's word is printed over (or beside) the marked cell.
            over = [p for p in page.placed if p.kind == "label" and p.text == mark.text]
            assert any(p.cell[0] <= mark.box[0] and mark.box[2] <= p.cell[2] for p in over), (seed, name)


@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_text_sits_inside_its_cell_clear_of_the_rules(family: str) -> None:
    """Every text's ink lies within its cell's inside, and the page holds ink there."""
    tight = 0
    for seed in SEEDS:
        dpi = DPIS[seed % len(DPIS)]
        _truth, pages = _layout(family, seed, dpi)
        for page in pages:
            grey = np.asarray(page.image)
            for placed in page.placed:
                x0, y0, x1, y1 = placed.box
                cx0, cy0, cx1, cy1 = placed.cell
                assert cx0 <= x0 and cy0 <= y0 and x1 <= cx1 and y1 <= cy1, (seed, dpi, placed)
                assert (grey[y0:y1, x0:x1] < 160).any(), (seed, dpi, placed)
                tight += placed.kind == "text" and x0 - cx0 <= 3
    assert tight, "some forms set their values 1-3 px from the rules"


@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_rules_are_drawn_both_ways(family: str) -> None:
    for seed in range(6):
        _truth, pages = _layout(family, seed, 150)
        dark = np.asarray(pages[0].image) < 128
        horizontal = _runs(dark, 300)  # rules over two inches long
        vertical = _runs(dark.T, 60)  # rules over 0.4 inch long
        assert horizontal >= 8 and vertical >= 4, (seed, horizontal, vertical)


def test_variants_all_occur() -> None:
    rx_variants = {_layout("rx_grid_form", seed, 50)[1][0].notes["variant"] for seed in range(30)}
    assert rx_variants == {"column", "pairs", "corner"}
    notes = [_layout("pd_ruled_register", seed, 50)[1][0].notes for seed in range(30)]
    assert {n["per_row"] for n in notes} == {"2", "3"}
    assert {n["mark"] for n in notes} == {"X", "tick", "cross", "box"}
    assert {n["titles"] for n in notes} == {"row", "above"}


@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_every_damage_profile_and_dpi(family: str) -> None:
    doc_type = FAMILIES[family].DOC_TYPE
    for i, profile in enumerate(DEGRADATION_PROFILES):
        doc = generate(40 + i, doc_type, profile, dpi=(50, 150, 200, 300)[i % 4], family=family)
        assert doc.pages and all(page.width > 0 for page in doc.pages)
    rx_pages = [len(_layout("rx_grid_form", seed, 200)[1]) for seed in SEEDS]
    assert set(rx_pages) == {1}, "a prescription form fits on one page"


@pytest.mark.ocr
@pytest.mark.parametrize("family", GRID_FAMILIES)
def test_tesseract_reads_most_values(family: str, needs_ocr: None) -> None:
    """One clean document: tesseract finds most words of the values once the rules are whitened."""
    pytesseract = pytest.importorskip("pytesseract")
    from tests.test_docgen_families_pd import _without_rules

    # Typed, in the tuning faces: tesseract is not run on held-out faces, and handwriting is not print.
    doc = generate(3, FAMILIES[family].DOC_TYPE, "clean", family=family, fonts="tuning", hand_rate=0)
    text = " ".join(pytesseract.image_to_string(_without_rules(page)) for page in doc.pages)
    read = {word.strip(",.;:").lower() for word in text.split()}
    words = [
        word.strip(",.;:").lower()
        for name, value in doc.truth.items()
        if value and name not in pd.ANSWER_FIELDS
        for word in value.split()
    ]
    found = [word for word in words if word in read]
    assert len(found) >= 0.85 * len(words), (sorted(set(words) - read), text)
