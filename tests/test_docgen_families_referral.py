"""The referral letter / discharge summary (other_referral_letter): an "unknown" document that
mentions everything a prescription or a patient record holds, deterministic and legible."""

from __future__ import annotations

import random

import numpy as np
import pytest

from docgen import fonts, generate
from docgen.families import FAMILIES, TUNING_FAMILIES, families_of
from docgen.families.other_referral_letter import Letter

FAMILY = "other_referral_letter"
MENTIONS = ("name", "dob", "address", "medicine", "doctor")


def _layout(seed: int, dpi: int) -> tuple[str, Letter, dict[str, str]]:
    return FAMILIES[FAMILY].layout(random.Random(f"docgen:{FAMILY}:{seed}"), dpi)


def test_family_is_a_tuning_unknown_document() -> None:
    assert FAMILY in TUNING_FAMILIES
    assert FAMILY in families_of("unknown")
    assert FAMILIES[FAMILY].DESCRIPTION


def test_same_seed_same_letter_and_no_fields() -> None:
    a = generate(41, "unknown", "scan", dpi=80, family=FAMILY)
    b = generate(41, "unknown", "scan", dpi=80, family=FAMILY)
    assert a.truth == b.truth == {}
    assert [np.asarray(p).tobytes() for p in a.pages] == [np.asarray(p).tobytes() for p in b.pages]
    c = generate(42, "unknown", "scan", dpi=80, family=FAMILY)
    assert np.asarray(c.pages[0]).tobytes() != np.asarray(a.pages[0]).tobytes()


def test_letters_and_summaries_both_mention_patient_medicine_and_doctor() -> None:
    kinds = set()
    for seed in range(16):
        kind, letter, mentions = _layout(seed, 50)
        kinds.add(kind)
        assert all(mentions[key] for key in MENTIONS), (seed, mentions)
        assert mentions["doctor"].startswith("Dr"), mentions
        assert any(unit in mentions["medicine"] for unit in (" mg", " mcg", " ml", " gram")), mentions
        assert 1 <= len(letter.images()) <= 2
    assert kinds == {"referral", "discharge"}


@pytest.mark.ocr
@pytest.mark.parametrize("seed", [3, 4])
def test_tesseract_reads_what_the_letter_mentions(seed: int, needs_ocr: None) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    with fonts.drawing_from("tuning"):  # tesseract is not run on held-out faces
        _kind, letter, mentions = _layout(seed, 150)
    text = " ".join(pytesseract.image_to_string(page) for page in letter.images())
    read = {word.strip(",.;:()").lower() for word in text.split()}
    words = [w.strip(",.;:()").lower() for key in MENTIONS for w in mentions[key].split()]
    missing = [w for w in words if w not in read]
    assert len(missing) <= max(1, len(words) // 10), (missing, text)
