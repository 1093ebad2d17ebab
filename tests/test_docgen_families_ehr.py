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
