"""The Review page in AppTest: prefilled fields, flags, save, verify & next, reject, stale saves."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app import ui_state
from extraction import ExtractionResult
from medextract.services import documents, review, upload
from tests.app_support import PRESCRIPTION, app, fake_extract, open_context, page_png, seed, texts
from tests.test_store_support import TEAM, add_people

REVIEW = "pages/review.py"
HOSTILE_REASON = "low confidence **[click me](http://evil.example)** <img src=x> :red[ALERT]"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def open_review(doc_id: int) -> Any:
    return app(REVIEW, review_doc_id=doc_id)


def viewer_data(at: Any) -> dict[str, Any]:
    """What the page gave the document viewer (pages, fields with boxes and states)."""
    [mounted] = at.get("bidi_component")
    return json.loads(mounted.proto.json)


def field(at: Any, doc_id: int, name: str) -> Any:
    """The text_input or text_area of a field."""
    key = ui_state.field_key(doc_id, name)
    widgets = [w for w in (*at.text_input, *at.text_area) if w.key == key]
    assert widgets, f"no widget for {name}"
    return widgets[0]


def test_fields_are_prefilled_and_the_document_is_claimed(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = open_review(doc_id)
    for name, value in PRESCRIPTION.items():
        assert field(at, doc_id, name).value == value
    # Multi-line fields get a text_area, the others a text_input.
    assert {w.key for w in at.text_area} >= {
        ui_state.field_key(doc_id, n) for n in ("medicines", "directions")
    }
    assert ui_state.field_key(doc_id, "refills") in {w.key for w in at.text_input}
    doc = documents.get(ctx, doc_id, user="uma")
    assert doc.status == "in_review"
    assert doc.claimed_by == "clerk"
    shown = viewer_data(at)
    assert shown["doc"] == doc_id and len(shown["pages"]) == 1
    assert [f["name"] for f in shown["fields"]] == list(PRESCRIPTION)


def test_flagged_field_shows_a_marker_and_its_reason_as_plain_text(ctx: Any) -> None:
    [doc_id] = seed(ctx, extract_fn=fake_extract(flagged={"refills": HOSTILE_REASON}))
    at = open_review(doc_id)
    assert field(at, doc_id, "refills").label.startswith("⚠️")
    assert not field(at, doc_id, "patient_name").label.startswith("⚠️")
    captions = [c.value for c in at.caption if "Check this field" in c.value]
    assert captions == [f"Check this field: {ui_state.escape_markdown(HOSTILE_REASON)} · 40% sure"]
    assert "](" not in captions[0]
    assert r"\<img" in captions[0]


def test_required_fields_are_marked_before_verify_is_pressed(ctx: Any) -> None:
    [doc_id] = seed(ctx, extract_fn=fake_extract(flagged={"medicines": "blur"}))
    at = open_review(doc_id)
    required = ("prescriber", "patient_name", "prescription_date", "medicines")  # prescription.toml
    marked = {name for name in PRESCRIPTION if field(at, doc_id, name).label.endswith(" *")}
    assert marked == set(required)
    assert field(at, doc_id, "medicines").label.startswith("⚠️")  # flagged and required: both marks
    required_captions = [c.value for c in at.caption if c.value.startswith("Required · ")]
    assert len(required_captions) == len(required)
    assert "Required · Check this field: blur · 40% sure" in required_captions


def test_save_draft_stores_the_edit_and_keeps_the_document_open(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = open_review(doc_id)
    field(at, doc_id, "patient_name").input("Jane Smith").run()
    at.button(key=f"review_save_{doc_id}").click().run()
    assert not at.exception
    assert "Draft saved." in texts(at)
    doc = documents.get(ctx, doc_id, user="uma")
    assert doc.fields["patient_name"].value == "Jane Smith"
    assert doc.fields["patient_name"].engine_value == "John Smith"
    assert doc.status == "in_review"
    assert field(at, doc_id, "patient_name").value == "Jane Smith"


def test_validation_errors_are_shown_beside_the_field_and_block_verify(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = open_review(doc_id)
    field(at, doc_id, "refills").input("lots").run()
    at.button(key=f"review_verify_{doc_id}").click().run()
    assert documents.get(ctx, doc_id, user="uma").status == "in_review"
    assert any("whole number" in e.value for e in at.error), [e.value for e in at.error]
    assert field(at, doc_id, "refills").value == "lots"


def test_verify_and_next_opens_the_next_waiting_document(ctx: Any) -> None:
    first, second = seed(ctx, 2)
    at = open_review(first)
    field(at, first, "refills").input("3").run()
    at.button(key=f"review_verify_{first}").click().run()
    assert not at.exception
    doc = documents.get(ctx, first, user="uma")
    assert doc.status == "verified"
    assert doc.verified_by == "clerk"
    assert doc.fields["refills"].value == "3"
    assert at.session_state["review_doc_id"] == second
    assert field(at, second, "patient_name").value == "John Smith"
    assert documents.get(ctx, second, user="uma").status == "in_review"
    assert f"Verified document #{first}." in texts(at)


def test_verify_the_last_document_returns_to_the_empty_picker(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = open_review(doc_id)
    at.button(key=f"review_verify_{doc_id}").click().run()
    assert documents.get(ctx, doc_id, user="uma").status == "verified"
    assert at.session_state["review_doc_id"] is None
    assert "Nothing else is waiting" in texts(at)


def test_reject_needs_a_reason_and_stores_it(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = open_review(doc_id)
    at.button(key=f"review_reject_{doc_id}").click().run()
    assert documents.get(ctx, doc_id, user="uma").status == "in_review"
    assert "Type the reason" in texts(at)
    at.text_input(key=f"review_reject_reason_{doc_id}").input("Not a prescription").run()
    at.button(key=f"review_reject_{doc_id}").click().run()
    doc = documents.get(ctx, doc_id, user="uma")
    assert doc.status == "rejected"
    assert doc.reject_reason == "Not a prescription"


def test_a_stale_save_keeps_the_users_edits_and_writes_nothing(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = open_review(doc_id)
    # The document is saved from another tab after this one opened it (another user would be
    # refused outright while this clerk's claim is live: see tests/test_claims.py).
    other = documents.get(ctx, doc_id, user="uma")
    values = {name: f.value for name, f in other.fields.items()} | {"refills": "5"}
    assert review.save_draft(ctx, doc_id, values, user="clerk", expected_version=other.version).ok

    field(at, doc_id, "patient_name").input("Jane Smith").run()
    at.button(key=f"review_save_{doc_id}").click().run()
    assert not at.exception
    assert field(at, doc_id, "patient_name").value == "Jane Smith"
    assert documents.get(ctx, doc_id, user="uma").fields["patient_name"].value == "John Smith"
    shown = texts(at).replace("\\", "")  # the page escapes markdown; read it as a person would
    assert "Someone saved this document after you opened it. They changed: Refills." in shown
    assert [b.label for b in at.button if b.key == f"review_reload_{doc_id}"] == ["Reload their version"]

    # Keeping the edits saves them over the newer version on the next save.
    at.button(key=f"review_keep_{doc_id}").click().run()
    at.button(key=f"review_save_{doc_id}").click().run()
    assert documents.get(ctx, doc_id, user="uma").fields["patient_name"].value == "Jane Smith"


def test_load_their_version_discards_the_users_edits(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    at = open_review(doc_id)
    other = documents.get(ctx, doc_id, user="uma")
    values = {name: f.value for name, f in other.fields.items()} | {"refills": "5"}
    assert review.save_draft(ctx, doc_id, values, user="clerk", expected_version=other.version).ok
    field(at, doc_id, "refills").input("7").run()
    at.button(key=f"review_save_{doc_id}").click().run()
    at.button(key=f"review_reload_{doc_id}").click().run()
    assert field(at, doc_id, "refills").value == "5"


def test_multi_page_documents_give_the_viewer_every_page_and_each_box_its_page(ctx: Any) -> None:
    [doc_id] = seed(ctx, extract_fn=fake_extract(pages=2))
    at = open_review(doc_id)
    shown = viewer_data(at)
    assert [(p["width"], p["height"]) for p in shown["pages"]] == [(1200, 1600), (1200, 1600)]
    assert len({p["url"] for p in shown["pages"]}) == 2
    pages = {f["name"]: f["page"] for f in shown["fields"]}
    assert pages["prescriber"] == 0 and pages["patient_name"] == 1  # fake_extract alternates


def test_every_field_shows_its_state_and_confidence_and_no_help_icon(ctx: Any) -> None:
    [doc_id] = seed(ctx, extract_fn=fake_extract(flagged={"refills": "low OCR confidence"}))
    at = open_review(doc_id)
    assert all(not w.help for w in (*at.text_input, *at.text_area))  # Tab stops on fields only
    assert "Read by the engine · 95% sure" in [c.value for c in at.caption]
    states = {f["name"]: f["state"] for f in viewer_data(at)["fields"]}
    assert states["refills"] == "flagged" and states["patient_name"] == "ok"

    at.checkbox(key=ui_state.confirm_key(doc_id, "refills")).check().run()
    field(at, doc_id, "patient_name").input("Jane Smith").run()
    states = {f["name"]: f["state"] for f in viewer_data(at)["fields"]}
    assert states["refills"] == "confirmed" and states["patient_name"] == "edited"
    captions = [c.value for c in at.caption]
    assert "✓ Confirmed as read · 40% sure" in captions
    assert "Required · ✎ Edited · the engine read “John Smith” (95% sure)" in captions  # a required field


def test_picker_when_no_document_is_open(ctx: Any) -> None:
    first, _ = seed(ctx, 2)
    at = app(REVIEW)
    at.button(key="review_next").click().run()
    assert at.session_state["review_doc_id"] == first
    assert field(at, first, "patient_name").value == "John Smith"


def test_verified_documents_are_read_only(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    doc = review.start_review(ctx, doc_id, user="ana")
    values = {name: f.value for name, f in doc.fields.items()}
    assert review.verify(ctx, doc_id, values, user="ana", expected_version=doc.version).ok
    at = open_review(doc_id)
    assert field(at, doc_id, "patient_name").disabled
    assert not [b for b in at.button if b.key == f"review_verify_{doc_id}"]


def test_a_rerun_after_an_edit_fetches_no_page_again(ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """What keeps a rerun quick: the page image is fetched once per document version, not at
    each keystroke's rerun. How quick is reported by ``benchmarks/ui.py``, not timed here."""
    [doc_id] = seed(ctx)
    fetched: list[int] = []
    fetch = documents.page_image
    monkeypatch.setattr(documents, "page_image", lambda *a, **k: fetched.append(1) or fetch(*a, **k))
    at = open_review(doc_id)
    opened = len(fetched)
    for value in ("Jane", "Jane S", "Jane Smith"):
        field(at, doc_id, "patient_name").input(value).run()
        assert field(at, doc_id, "patient_name").value == value
    assert len(fetched) == opened


def test_a_rerun_reads_the_settings_once(ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Which database to open is read once per run, not at each of a rerun's dozen service calls
    (``st.secrets`` looks for its files on disk at every access); the next run reads it again."""
    from app import ui_runtime

    [doc_id] = seed(ctx)
    at = open_review(doc_id)
    reads = []
    original = ui_runtime.database_url
    monkeypatch.setattr(ui_runtime, "database_url", lambda: reads.append(1) or original())
    for value in ("Jane", "Jane S"):
        field(at, doc_id, "patient_name").input(value).run()
    assert not at.exception
    assert len(reads) == 2, reads  # one per run


def test_a_failed_document_shows_its_error_and_can_be_extracted_again_as_a_type(ctx: Any) -> None:
    [doc_id] = seed(ctx, extract_fn=fake_extract(fail="the page is blank"))
    at = open_review(doc_id)
    assert "Extraction failed: the page is blank" in texts(at)
    at.selectbox(key=f"review_retype_{doc_id}").select("prescription").run()
    at.button(key=f"review_extract_again_{doc_id}").click().run()
    assert not at.exception
    assert documents.get(ctx, doc_id, user="uma").status == "queued"
    assert at.session_state["review_doc_id"] is None
    assert f"Document #{doc_id} is queued again (prescription)." in texts(at)


def test_a_queued_document_opens_without_an_image(ctx: Any) -> None:
    add_people(ctx, TEAM)
    outcome = upload.add_upload(ctx, "later.png", b"not yet read", uploader="clerk")
    at = open_review(outcome.document_id)
    assert "The page image appears once the engine has read the document." in texts(at)
    assert not at.get("bidi_component")


def test_a_link_opens_its_document_and_the_url_follows_the_open_document(ctx: Any) -> None:
    first, second = seed(ctx, 2)
    at = app(REVIEW)
    at.query_params["doc"] = str(second)
    at.run()
    assert at.session_state["review_doc_id"] == second
    assert field(at, second, "patient_name").value == "John Smith"
    at.button(key=f"review_verify_{second}").click().run()
    assert at.session_state["review_doc_id"] == first
    assert at.query_params["doc"] == str(first)
    at.button(key="review_close").click().run()
    assert "doc" not in at.query_params


def test_a_link_to_a_missing_document_says_so(ctx: Any) -> None:
    seed(ctx, 1)
    at = app(REVIEW)
    at.query_params["doc"] = "999"
    at.run()
    assert "Document #999 does not exist." in texts(at)
    assert "doc" not in at.query_params


def test_verify_waits_until_every_flagged_field_is_checked(ctx: Any) -> None:
    [doc_id] = seed(ctx, extract_fn=fake_extract(flagged={"refills": "blurred", "medicines": "faint"}))
    at = open_review(doc_id)
    field(at, doc_id, "medicines").input("Amoxicillin 250 mg").run()  # corrected
    at.button(key=f"review_verify_{doc_id}").click().run()
    assert documents.get(ctx, doc_id, user="uma").status == "in_review"
    beside_fields = [e.value for e in at.error if "check it against the page" in e.value]
    assert beside_fields == [ui_state.escape_markdown(review.UNCHECKED)]  # under refills only
    assert "confirm it or correct it" in texts(at)
    at.checkbox(key=ui_state.confirm_key(doc_id, "refills")).check().run()
    at.button(key=f"review_verify_{doc_id}").click().run()
    doc = documents.get(ctx, doc_id, user="uma")
    assert doc.status == "verified" and doc.fields["medicines"].value == "Amoxicillin 250 mg"


def test_an_unknown_document_offers_its_type_instead_of_verify(ctx: Any) -> None:
    def unknown(source: Any, **_: Any) -> ExtractionResult:
        return ExtractionResult("unknown", 0.2, 1, 200, {}, page_png(1))

    [doc_id] = seed(ctx, extract_fn=unknown)
    at = open_review(doc_id)
    assert not [b for b in at.button if b.key in (f"review_verify_{doc_id}", f"review_save_{doc_id}")]
    assert [b for b in at.button if b.key == f"review_reject_{doc_id}"]
    assert "Choose its type below" in texts(at)
    at.selectbox(key=f"review_retype_{doc_id}").select("prescription").run()
    at.button(key=f"review_extract_again_{doc_id}").click().run()
    assert documents.get(ctx, doc_id, user="uma").status == "queued"


def test_close_keeps_what_was_typed_as_a_draft_and_releases_the_claim(ctx: Any) -> None:
    first, second = seed(ctx, 2)
    at = open_review(first)
    field(at, first, "refills").input("4").run()
    at.button(key="review_close").click().run()
    doc = documents.get(ctx, first, user="uma")
    assert (doc.status, doc.claimed_by, doc.fields["refills"].value) == ("in_review", None, "4")
    # Review next no longer resumes it: the oldest waiting document is the first one again, for
    # anyone; opening another document releases this one too.
    at.query_params["doc"] = str(second)
    at.run()
    assert documents.get(ctx, second, user="uma").claimed_by == "clerk"
    at.query_params["doc"] = str(first)
    at.run()
    assert documents.get(ctx, second, user="uma").claimed_by is None
    assert documents.get(ctx, first, user="uma").claimed_by == "clerk"
    assert field(at, first, "refills").value == "4"


LEAVE_SCRIPT = """
import streamlit as st
from app import review_actions

if st.button("Log out", key="logout"):
    review_actions.leave_open_document()
"""


def test_logout_releases_the_open_document(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    open_review(doc_id)
    assert documents.get(ctx, doc_id, user="uma").claimed_by == "clerk"
    at = AppTest.from_string(LEAVE_SCRIPT, default_timeout=30)  # the frame's Log out button does this
    at.session_state["user"] = "clerk"
    at.session_state["review_doc_id"] = doc_id
    at.run()
    at.button(key="logout").click().run()
    assert not at.exception
    assert documents.get(ctx, doc_id, user="uma").claimed_by is None


def test_the_header_says_where_the_document_stands_among_those_waiting(ctx: Any) -> None:
    first, _second = seed(ctx, count=2)
    at = open_review(first)
    assert any("1 of 2 waiting" in c.value for c in at.caption)
