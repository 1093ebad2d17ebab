"""medextract.lifecycle: the one home of statuses, transitions, labels and who may do what (pure)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from medextract import lifecycle
from tests.conftest import REPO


def test_every_status_has_a_label_and_unknown_ones_are_readable() -> None:
    assert set(lifecycle.STATUS_LABELS) == set(lifecycle.STATUSES)
    assert lifecycle.status_label("extracted") == "Waiting for review"
    assert lifecycle.status_label("on_hold") == "On hold"


def test_transitions_name_only_known_statuses() -> None:
    for action, (sources, target) in lifecycle.TRANSITIONS.items():
        assert set(sources) <= set(lifecycle.STATUSES) and target in lifecycle.STATUSES, action


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (lifecycle.SAVE, {"extracted", "in_review"}),
        (lifecycle.VERIFY, {"extracted", "in_review"}),
        (lifecycle.REJECT, {"queued", "extracted", "in_review", "failed"}),
        (lifecycle.REOPEN, {"verified"}),
        (lifecycle.REEXTRACT, {"queued", "extracted", "in_review", "rejected", "failed"}),
        (lifecycle.EXTRACT, {"queued"}),
        (lifecycle.STORE_RESULT, {"extracting"}),
    ],
)
def test_which_status_each_action_starts_from(action: str, allowed: set[str]) -> None:
    assert {s for s in lifecycle.STATUSES if lifecycle.can(action, s)} == allowed


def test_the_engine_is_done_with_everything_but_queued_and_extracting() -> None:
    done = [s for s in lifecycle.STATUSES if lifecycle.extraction_finished(s)]
    assert done == ["extracted", "in_review", "verified", "rejected", "failed", "merged", "split"]


@pytest.mark.parametrize(
    ("action", "roles"),
    [
        (lifecycle.VERIFY, ["clerk", "supervisor", "admin"]),
        (lifecycle.REOPEN, ["supervisor", "admin"]),
        (lifecycle.TAKE_OVER, ["supervisor", "admin"]),
        (lifecycle.HISTORY, ["supervisor", "admin"]),
        (lifecycle.RECORDS, ["supervisor", "admin"]),
        (lifecycle.MANAGE_ACCOUNTS, ["admin"]),
        (lifecycle.STORE_RESULT, []),  # the worker's: no person's role
    ],
)
def test_which_role_may_do_what(action: str, roles: list[str]) -> None:
    assert [r for r in (*lifecycle.ROLES, None, "boss") if lifecycle.may(r, action)] == roles


def test_refusals_name_the_role_needed() -> None:
    assert (
        lifecycle.refusal(lifecycle.REOPEN)
        == "Only a supervisor or an administrator can reopen a verified record."
    )
    assert lifecycle.refusal(lifecycle.MANAGE_ACCOUNTS) == "Only an administrator can manage user accounts."
    assert lifecycle.role_label("admin") == "Administrator" and lifecycle.role_label(None) == "No role"


def _string_constants(path: Path) -> list[str]:
    return [
        node.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_no_other_module_spells_a_status() -> None:
    """Statuses are named through lifecycle's constants everywhere else (docstrings aside)."""
    statuses = set(lifecycle.STATUSES) - {"verified", "failed"}  # also ordinary words in messages
    paths = [
        *(REPO / "medextract").rglob("*.py"),
        *(REPO / "app").glob("*.py"),
        *(REPO / "pages").glob("*.py"),
    ]
    paths.append(REPO / "streamlit_app.py")
    offenders = {
        str(path.relative_to(REPO)): sorted(statuses & set(_string_constants(path)))
        for path in paths
        if path.name != "lifecycle.py" and "migrations" not in path.parts
    }
    assert {path: found for path, found in offenders.items() if found} == {}


def test_no_module_of_the_service_layer_is_over_400_lines() -> None:
    sizes = {p.name: len(p.read_text().splitlines()) for p in (REPO / "medextract" / "services").glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 400} == {}
    assert not (REPO / "medextract" / "store.py").exists()  # one class of everything no more
