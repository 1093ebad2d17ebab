"""The outpatient prescription form (rx_outpatient_form): captioned boxes, letter or A5."""

from __future__ import annotations

from docgen import generate
from docgen.families import TUNING_FAMILIES, families_of

FAMILY = "rx_outpatient_form"


def test_family_is_a_tuning_prescription() -> None:
    assert FAMILY in TUNING_FAMILIES
    assert FAMILY in families_of("prescription")


def test_forms_come_in_two_sizes_and_print_every_value_once() -> None:
    sizes, refills = set(), set()
    for seed in range(12):
        doc = generate(seed, "prescription", "clean", dpi=50, family=FAMILY)
        sizes |= {page.size for page in doc.pages}
        refills.add(doc.truth["refills"])
        meds, directions = doc.truth["medicines"].split("\n"), doc.truth["directions"].split("\n")
        assert len(meds) == len(directions), doc.truth
    assert len(sizes) == 2
    assert len(refills) >= 3
