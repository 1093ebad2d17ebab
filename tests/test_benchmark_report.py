"""benchmarks/accuracy.py names held-out documents' unflagged misses without their values."""

from __future__ import annotations

import pytest

from benchmarks.accuracy import _touches_held_out, report
from docgen import TUNING_PROFILES
from docgen.families import HELD_OUT_FAMILIES, TUNING_FAMILIES

OUTCOME = {
    "file": "000_pd_classic_clean.pdf",
    "source": "clean",
    "family": "pd_classic",
    "hand": "typed",
    "truth_type": "patient_details",
    "type": "patient_details",
    "fields": {"patient_name": {"truth": "Ann Lee", "value": "Ann Lea", "flagged": False, "reason": None}},
}


@pytest.mark.parametrize("values", [True, False])
def test_an_unflagged_miss_shows_what_was_read_only_where_asked(
    values: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    report([OUTCOME], values=values)
    out = capsys.readouterr().out
    assert "unflagged miss: 000_pd_classic_clean.pdf:patient_name" in out
    assert ("'Ann Lea'" in out) is values


def test_only_a_run_on_tuning_families_profiles_and_faces_touches_no_held_out_document() -> None:
    tuning = (list(TUNING_FAMILIES), list(TUNING_PROFILES))
    assert not _touches_held_out(*tuning, "tuning", True)
    assert _touches_held_out(*tuning, "all", True)  # held-out faces among all
    assert _touches_held_out([HELD_OUT_FAMILIES[0]], list(TUNING_PROFILES), "tuning", True)
    assert _touches_held_out(list(TUNING_FAMILIES), ["stamped"], "tuning", True)
    assert not _touches_held_out([], [], "all", False)  # the real samples alone
