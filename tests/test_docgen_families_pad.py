"""The small prescription pad (rx_pad_inline): pad sizes, determinism, truth shown as drawn.

The pad records every value line it draws and the refill box it ticks, so these tests check the
truth against the page without OCR; tesseract's reading of the values is checked for every
prescription family in tests/test_docgen.py (test_family_values_are_printed_legibly).
"""

from __future__ import annotations

import random
import re

import numpy as np

from docgen import generate
from docgen.families import FAMILIES, TUNING_FAMILIES, families_of
from docgen.families.rx_pad_inline import PAD_INCHES, PadPage

FAMILY = "rx_pad_inline"
SEEDS = range(24)
NUMBERING = re.compile(r"^(\d+[.)]|\(\d+\)|[ivx]+\.|[*-])\s")


def _layout(seed: int, dpi: int) -> tuple[dict[str, str], PadPage]:
    return FAMILIES[FAMILY].layout(random.Random(f"docgen:{FAMILY}:{seed}"), dpi)


def test_family_is_a_tuning_prescription() -> None:
    assert FAMILY in TUNING_FAMILIES
    assert FAMILY in families_of("prescription")
    assert FAMILIES[FAMILY].DESCRIPTION


def test_same_seed_same_pad() -> None:
    a = generate(31, "prescription", "scan", dpi=80, family=FAMILY)
    b = generate(31, "prescription", "scan", dpi=80, family=FAMILY)
    assert a.truth == b.truth and np.array_equal(np.asarray(a.pages[0]), np.asarray(b.pages[0]))
    assert generate(32, "prescription", "scan", dpi=80, family=FAMILY).truth != a.truth


def test_layout_is_what_generate_draws() -> None:
    truth, page = _layout(5, 100)
    doc = generate(5, "prescription", "clean", dpi=100, family=FAMILY, hand_rate=0)  # layout() types
    assert doc.truth == truth and len(doc.pages) == 1
    assert np.array_equal(np.asarray(doc.pages[0]), np.asarray(page.image))


def test_pages_are_pad_sized_in_all_three_shapes() -> None:
    dpi = 50
    sizes = {(round(w * dpi), round(h * dpi)): name for name, (w, h) in PAD_INCHES.items()}
    seen = set()
    for seed in SEEDS:
        _truth, page = _layout(seed, dpi)
        assert page.image.size in sizes, (seed, page.image.size)
        seen.add(sizes[page.image.size])
        assert page.notes["size"] == sizes[page.image.size]
    assert seen == set(PAD_INCHES)


def test_every_value_is_drawn_as_its_truth_in_ink() -> None:
    """Each field's drawn lines, in order, are its truth; the one ticked refill box is the count."""
    for seed in SEEDS:
        truth, page = _layout(seed, (100, 150)[seed % 2])
        grey = np.asarray(page.image)
        for name, value in truth.items():
            pieces = [p for p in page.shown if p.field == name]
            if name == "refills":
                assert [p.text for p in pieces] == [value] and pieces[0].part == "mark", (seed, pieces)
            else:
                assert "\n".join(p.text for p in pieces) == value, (seed, name, pieces, value)
            for piece in pieces:
                x0, y0, x1, y1 = piece.box
                assert (grey[y0:y1, x0:x1] < 160).any(), (seed, piece)
        assert not any(NUMBERING.match(line) for line in truth["medicines"].split("\n")), truth
        # The prescriber's name is printed at the foot of the pad, over the signature line.
        prescriber = next(p for p in page.shown if p.field == "prescriber")
        assert all(prescriber.box[1] > p.box[3] for p in page.shown if p.field == "medicines"), seed


def test_pads_vary_their_numbering_and_captions() -> None:
    notes = [_layout(seed, 50)[1].notes for seed in range(40)]
    assert {n["marker"] for n in notes} == {"1)", "1.", "i.", "(1)", "*", "-"}
    assert {n["captions"] for n in notes} == {"under", "before"}
    truths = [_layout(seed, 50)[0] for seed in range(40)]
    assert any(t["patient_address"] == "" for t in truths) and any("\n" in t["medicines"] for t in truths)
