"""Audit and output safety: every action recorded with user and time, a document's history for
supervisors, reopen, CSV formula neutralising, and OCR text that never renders as markup."""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app import ui_runtime, ui_state
from medextract.export import FORMULA_PREFIXES, neutralize, records_to_csv
from medextract.processing import process_pending
from medextract.services import audit, documents, records, review, upload
from medextract.services.context import Context
from medextract.views import VerifiedRecord
from tests.app_support import PRESCRIPTION, REPO, fake_extract, open_context, seed, signed_in_as, texts
from tests.test_store_support import SYSTEM, FakeClock, FakeEngine, make_result

HOSTILE = {
    "script": "<script>alert(1)</script>",
    "link": "[click](javascript:alert(1))",
    "colour": ":red[ALERT] **bold**",
    "latex": "$$x^2$$",
    "img": '<img src=x onerror="alert(1)">',
}
PAGES = ("upload.py", "review.py", "queue.py")


# ---- the store's audit log and history (SQLite and PostgreSQL) -------------------------------


def verified_doc(ctx: Context, data: bytes = b"%PDF audit") -> int:
    doc_id = upload.add_upload(ctx, "a.pdf", data, uploader="uma").document_id
    assert doc_id is not None
    process_pending(ctx, extract_fn=FakeEngine(make_result()))  # type: ignore[arg-type]
    view = review.start_review(ctx, doc_id, user="uma")
    saved = review.save_draft(ctx, doc_id, {"refills": "4"}, user="uma", expected_version=view.version)
    assert review.verify(ctx, doc_id, {}, user="uma", expected_version=saved.version).ok
    return doc_id


def test_every_action_is_recorded_with_user_and_time(ctx: Context, clock: FakeClock) -> None:
    doc_id = verified_doc(ctx)
    records.export_csv(ctx, "prescription", user="sue")
    assert review.reopen(ctx, doc_id, user="sue", reason="dose looks wrong").ok
    other = upload.add_upload(ctx, "b.pdf", b"%PDF other", uploader="uma").document_id
    assert review.reject(
        ctx, other, "not ours", user="vic", expected_version=documents.get(ctx, other, user="uma").version
    ).ok
    log = audit.audit_log(ctx, user=SYSTEM)
    seen = {(e.action, e.user) for e in log}
    assert {
        ("upload", "uma"),
        ("extracted", "worker"),
        ("claim", "uma"),
        ("edit", "uma"),
        ("verify", "uma"),
        ("export", "sue"),
        ("reopen", "sue"),
        ("reject", "vic"),
    } <= seen
    assert all(e.at == clock.now and e.at.tzinfo is not None for e in log)


def test_reopen_sends_a_verified_document_back_to_review_keeping_its_values(ctx: Context) -> None:
    doc_id = verified_doc(ctx)
    assert len(records.verified_records(ctx, "prescription", user="sue")) == 1
    refused = review.reopen(ctx, doc_id, user="sue", reason="  ")
    assert not refused.ok and "why" in refused.message
    stale = review.reopen(ctx, doc_id, user="sue", reason="check", expected_version=1)
    assert not stale.ok and "Someone else" in stale.message

    result = review.reopen(ctx, doc_id, user="sue", reason="dose looks wrong")
    assert result.ok
    view = documents.get(ctx, doc_id, user="uma")
    assert (view.status, view.verified_by, view.claimed_by, view.version) == (
        "in_review",
        None,
        None,
        result.version,
    )
    assert view.fields["refills"].value == "4"  # the clerk's correction survives the reopen
    assert records.verified_records(ctx, "prescription", user="sue") == []  # no longer exported
    assert not review.reopen(ctx, doc_id, user="sue", reason="again").ok  # only verified documents
    # It can be reviewed and verified again.
    again = review.start_review(ctx, doc_id, user="vic")
    assert review.verify(ctx, doc_id, {"refills": "5"}, user="vic", expected_version=again.version).ok


def test_history_lists_upload_extraction_edits_verify_reopen_and_exports_including_it(ctx: Context) -> None:
    doc_id = verified_doc(ctx)
    records.export_csv(ctx, "prescription", user="sue")
    records.export_csv(ctx, "patient_details", user="sue")  # does not include this document
    review.reopen(ctx, doc_id, user="sue", reason="dose looks wrong")
    history = audit.history(ctx, doc_id, user="sue")
    actions = [h.action for h in history]
    assert actions[:2] == ["upload", "extracted"]
    assert actions.count("export") == 1
    for action in ("claim", "edit", "verify", "export", "reopen"):
        assert action in actions
    edit = next(h for h in history if h.action == "edit")
    assert (edit.user, edit.text) == ("uma", "refills: '2' -> '4'")
    assert "dose looks wrong" in next(h.text for h in history if h.action == "reopen")
    assert [h.at for h in history] == sorted(h.at for h in history)


def test_a_failed_extraction_is_in_the_history(ctx: Context) -> None:
    doc_id = upload.add_upload(ctx, "x.pdf", b"%PDF broken", uploader="uma").document_id
    assert doc_id is not None
    process_pending(ctx, extract_fn=fake_extract(fail="This PDF is damaged."))
    failed = [h for h in audit.history(ctx, doc_id, user="sue") if h.action == "extraction_failed"]
    assert len(failed) == 1 and "This PDF is damaged." in failed[0].text


def test_log_export_keeps_the_exported_document_ids(ctx: Context) -> None:
    doc_id = verified_doc(ctx)
    verified = records.verified_records(ctx, "prescription", user="sue")
    records.log_export(ctx, verified, user="sue", doc_type="prescription", filters={"reviewer": "uma"})
    detail = json.loads(audit.audit_log(ctx, limit=1, user=SYSTEM)[0].detail)
    assert detail["document_ids"] == [doc_id] and detail["reviewer"] == "uma"


# ---- CSV export: formula injection ------------------------------------------------------------


def record(values: dict[str, str], filename: str = "a.pdf") -> VerifiedRecord:
    return VerifiedRecord(
        document_id=1,
        filename=filename,
        doc_type="prescription",
        verified_by="=uma",
        verified_at=datetime(2026, 3, 1, tzinfo=UTC),
        values=values,
        engine_values=values,
        confidences=dict.fromkeys(values, 0.5),
    )


def test_every_formula_starter_is_neutralised_in_the_exported_csv() -> None:
    starters = {f"f{i}": f"{p}cmd|' /C calc'!A0" for i, p in enumerate(FORMULA_PREFIXES)}
    safe = {"plain": "Amoxicillin 500 mg", "inner": "a=b+c-d@e", "number": "5"}
    negative = {"weight": "-5", "plus": "+5"}
    values = {**starters, **safe, **negative}
    data = records_to_csv([record(values, "=HYPERLINK(evil).pdf")], "prescription", provenance=True)
    [row] = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert set(FORMULA_PREFIXES) == {"=", "+", "-", "@", "\t", "\r"}
    for name, value in starters.items():
        assert row[name] == "'" + value and row[f"{name}__engine_value"] == "'" + value
    for name, value in safe.items():
        assert row[name] == value
    # OWASP's rule has no exception for text that looks numeric: "-5" typed or read into a field is
    # text and could be the start of a formula ("-5+cmd|..."), so it is prefixed too. The spreadsheet
    # shows -5; only true numbers (confidence, document id) are written as numbers, unprefixed.
    assert (row["weight"], row["plus"]) == ("'-5", "'+5")
    assert row["file_name"] == "'=HYPERLINK(evil).pdf" and row["verified_by"] == "'=uma"
    assert row["weight__confidence"] == "0.5" and row["document_id"] == "1"
    assert neutralize(-5) == -5 and neutralize(-0.5) == -0.5


def test_the_app_config_keeps_the_table_download_button_off() -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
    assert config["client"]["showErrorDetails"] is False


# ---- nothing from a document renders as markup ------------------------------------------------


def test_the_pages_never_render_raw_html() -> None:
    for page in PAGES:
        source = (REPO / "pages" / page).read_text()
        assert "unsafe_allow_html" not in source and "st.html" not in source, page


@pytest.fixture
def app_ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    import streamlit as st

    monkeypatch.setattr(ui_runtime, "current_role", lambda: st.session_state.get("role"))
    monkeypatch.setattr(ui_runtime, "current_user", lambda: st.session_state.get("user", "clerk"))
    ctx = open_context(tmp_path, monkeypatch)
    yield ctx
    ctx.close()


def run_page(page: str, **state: Any) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / page), default_timeout=30)
    for key, value in {**signed_in_as(state.get("user", "clerk")), **state}.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markup_elements(at: AppTest) -> list[str]:
    """Everything the page rendered through markdown (where markup would be live)."""
    kinds = ("title", "caption", "markdown", "info", "success", "warning", "error")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def assert_inert(rendered: list[str]) -> None:
    """No live markup: every <, [, :, $, * in markdown-rendered text is backslash-escaped."""
    for text in rendered:
        assert not re.search(r"(?<!\\)[<\[$*]", text), text
        assert "](" not in text.replace("\\]\\(", ""), text


def test_hostile_file_names_and_ocr_values_are_shown_as_text(app_ctx: Any) -> None:
    name = "<img src=x onerror=alert(1)> [x](javascript:alert(1)) :red[big] $$.png"
    values = {**PRESCRIPTION, "patient_name": HOSTILE["script"], "prescriber": HOSTILE["link"]}
    values |= {"directions": HOSTILE["colour"], "refills": HOSTILE["latex"], "medicines": HOSTILE["img"]}
    flagged = {"refills": HOSTILE["img"] + HOSTILE["link"]}
    [doc_id] = seed(app_ctx, name=name, extract_fn=fake_extract(values, flagged=flagged))
    [failed] = seed(app_ctx, name="2" + name, extract_fn=fake_extract(fail=HOSTILE["link"] + HOSTILE["img"]))

    review = run_page("review.py", user="sue", role="supervisor", review_doc_id=doc_id)
    assert_inert(markup_elements(review))
    widgets = {w.key: w.value for w in (*review.text_input, *review.text_area)}
    assert widgets[ui_state.field_key(doc_id, "patient_name")] == HOSTILE["script"]  # kept verbatim
    assert name in review.text[0].value  # the history is plain st.text, not markdown

    failed_review = run_page("review.py", user="sue", review_doc_id=failed)
    assert_inert(markup_elements(failed_review))
    assert_inert(markup_elements(run_page("queue.py", user="sue")))
    # The Upload page lines for this session's uploads, a refused hostile name included.
    upload = AppTest.from_file(str(REPO / "pages" / "upload.py"), default_timeout=30)
    for key, value in signed_in_as("uma").items():
        upload.session_state[key] = value
    upload.run()
    upload.file_uploader(key="upload_files").set_value(
        [(name + ".pdf", b"", "application/pdf"), ("ok" + name, b"\x89PNG\r\n\x1a\nxx", "image/png")]
    ).run()
    assert not upload.exception
    shown = markup_elements(upload)
    assert any("is empty" in s for s in shown) and any("queued" in s for s in shown)
    assert_inert(shown)


def test_supervisors_see_the_history_and_can_reopen_clerks_cannot(app_ctx: Any) -> None:
    [doc_id] = seed(app_ctx)
    clerk = run_page("review.py", user="uma", review_doc_id=doc_id)
    clerk.text_input(key=ui_state.field_key(doc_id, "refills")).input("4").run()
    clerk.button(key=f"review_verify_{doc_id}").click().run()
    assert documents.get(app_ctx, doc_id, user="uma").status == "verified"
    clerk = run_page("review.py", user="uma", role="clerk", review_doc_id=doc_id)
    assert "History" not in [e.label for e in clerk.expander]
    assert not [b for b in clerk.button if b.key == f"review_reopen_{doc_id}"]

    sue = run_page("review.py", user="sue", role="supervisor", review_doc_id=doc_id)
    assert "History" in [e.label for e in sue.expander]
    history = sue.text[0].value
    assert "upload" in history and "refills: '2' -> '4'" in history and "verify" in history
    sue.button(key=f"review_reopen_{doc_id}").click().run()
    assert "Type the reason for reopening" in texts(sue)
    sue.text_input(key=f"review_reopen_reason_{doc_id}").input("dose looks wrong").run()
    sue.button(key=f"review_reopen_{doc_id}").click().run()
    assert documents.get(app_ctx, doc_id, user="uma").status == "in_review"
    assert "reopen" in sue.text[0].value and "dose looks wrong" in sue.text[0].value


def test_the_records_pages_download_link_audits_the_export_when_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from app import downloads
    from medextract.services import sessions
    from tests.app_support import app

    ctx = open_context(tmp_path, monkeypatch)
    [doc_id] = seed(ctx)
    view = review.start_review(ctx, doc_id, user="uma")
    assert review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version).ok
    at = app("pages/records.py", user="sue", role="supervisor")
    at.selectbox(key="records_type").select("prescription").run()
    assert not [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "export"]  # shown, not exported
    monkeypatch.setattr(downloads, "_context", lambda: ctx)
    _, code = sessions.begin(ctx, user="sue")
    token, _ = sessions.exchange(ctx, code)  # type: ignore[misc]
    client = TestClient(Starlette(routes=downloads.ROUTES), cookies={sessions.COOKIE: token})
    assert client.get(at.get("link_button")[0].proto.url).status_code == 200
    [export] = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "export"]
    assert export.user == "sue" and json.loads(export.detail)["document_ids"] == [doc_id]
    assert "export" in [h.action for h in audit.history(ctx, doc_id, user="sue")]
    ctx.close()
