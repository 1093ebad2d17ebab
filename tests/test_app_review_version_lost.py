"""The Review page when an action finds no loaded version for its form (``review_versions``).

Streamlit runs a click's callback before the script body of its run, so the form's version can be
gone when Save draft, Verify & next or Reject runs: the document was left or forgotten in the run
before (a double click, a run cut short), or the session's state was reset. The action must then
write nothing (optimistic concurrency), say so, and keep what the clerk typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import review_actions, ui_state
from medextract.services import documents
from tests.app_support import app, open_context, seed, texts

REVIEW = "pages/review.py"
LOST = "This form lost track of the version it was loaded from, so nothing was saved."


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def field(at: Any, doc_id: int, name: str) -> Any:
    key = ui_state.field_key(doc_id, name)
    [widget] = [w for w in (*at.text_input, *at.text_area) if w.key == key]
    return widget


def lose_version(at: Any, doc_id: int) -> None:
    """What a forgotten form leaves behind: no version for the document in the session."""
    versions = dict(at.session_state[review_actions.VERSIONS])
    versions.pop(doc_id)
    at.session_state[review_actions.VERSIONS] = versions


def shown(at: Any) -> str:
    return texts(at).replace("\\", "")  # the page escapes markdown; read it as a person would


@pytest.mark.parametrize("action", ["verify", "save"])
def test_an_action_without_a_loaded_version_writes_nothing_and_keeps_the_edits(ctx: Any, action: str) -> None:
    first, _second = seed(ctx, 2)
    at = app(REVIEW, review_doc_id=first)
    stored = documents.get(ctx, first, user="uma")
    field(at, first, "patient_name").input("Jane Smith").run()
    lose_version(at, first)

    at.button(key=f"review_{action}_{first}").click().run()

    assert not at.exception, [e.value for e in at.exception]
    after = documents.get(ctx, first, user="uma")
    assert after.status == "in_review" and after.version == stored.version  # nothing written
    assert after.fields["patient_name"].value == "John Smith"
    assert at.session_state[review_actions.ui_runtime.REVIEW_DOC] == first  # still on this document
    assert field(at, first, "patient_name").value == "Jane Smith"  # the edit is still on screen
    assert "Nothing was saved" in shown(at)
    assert LOST + " Your edits are still in the form." in shown(at)
    # The version stays unknown until the clerk chooses: pressing again still writes nothing.
    at.button(key=f"review_{action}_{first}").click().run()
    assert not at.exception
    assert documents.get(ctx, first, user="uma").version == stored.version

    # Keeping the edits saves them over what is stored now, as after a stale save.
    at.button(key=f"review_keep_{first}").click().run()
    at.button(key=f"review_save_{first}").click().run()
    assert not at.exception
    assert documents.get(ctx, first, user="uma").fields["patient_name"].value == "Jane Smith"


def test_reload_after_a_lost_version_shows_what_is_stored(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = app(REVIEW, review_doc_id=doc_id)
    field(at, doc_id, "refills").input("7").run()
    lose_version(at, doc_id)
    at.button(key=f"review_verify_{doc_id}").click().run()
    assert not at.exception
    assert [b.label for b in at.button if b.key == f"review_reload_{doc_id}"] == ["Reload the stored version"]
    at.button(key=f"review_reload_{doc_id}").click().run()
    assert not at.exception
    assert field(at, doc_id, "refills").value == "2"
    assert LOST not in shown(at)
    at.button(key=f"review_verify_{doc_id}").click().run()  # loaded again: verify works
    assert documents.get(ctx, doc_id, user="uma").status == "verified"


def test_reject_without_a_loaded_version_rejects_nothing(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = app(REVIEW, review_doc_id=doc_id)
    at.text_input(key=f"review_reject_reason_{doc_id}").input("Not a prescription").run()
    lose_version(at, doc_id)
    at.button(key=f"review_reject_{doc_id}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    doc = documents.get(ctx, doc_id, user="uma")
    assert doc.status == "in_review" and doc.reject_reason is None
    assert "Nothing was saved" in shown(at)
