"""benchmarks/accuracy.py names held-out documents' unflagged misses without their values."""

from __future__ import annotations

import pytest

from benchmarks.accuracy import report
from benchmarks.corpus import measured_only, touches_held_out
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
    assert not touches_held_out(*tuning, "tuning", True)
    assert touches_held_out(*tuning, "all", True)  # held-out faces among all
    assert touches_held_out([HELD_OUT_FAMILIES[0]], list(TUNING_PROFILES), "tuning", True)
    assert touches_held_out(list(TUNING_FAMILIES), ["stamped"], "tuning", True)
    assert not touches_held_out([], [], "all", False)  # the real samples alone


def test_a_held_out_document_is_kept_on_disk_as_measured_only() -> None:
    """What was read, what was written and the reasons (which quote the reading) stay out of
    the details a run that may draw held-out documents writes; exact, flagged and filled stay."""
    learning = {
        "file": "rx_boxed_1.pdf",
        "fields": {
            "prescriber": {
                "truth": "Dr Ann Lee",
                "before": {"value": "Dr Ann Lea", "flagged": False, "reason": None},
                "after": {"value": "Dr Ann Lee", "flagged": True, "reason": "read 'Dr Ann Lee'"},
            }
        },
    }
    kept = measured_only(OUTCOME)["fields"]["patient_name"]
    assert kept == {"filled": True, "exact": False, "flagged": False}
    assert measured_only(learning)["fields"]["prescriber"] == {
        "filled": True,
        "before": {"exact": False, "flagged": False},
        "after": {"exact": True, "flagged": True},
    }
    assert "Ann" not in repr(measured_only(OUTCOME)) + repr(measured_only(learning))
    assert measured_only({"file": "x.pdf", "error": "unreadable"}) == {"file": "x.pdf", "error": "unreadable"}
