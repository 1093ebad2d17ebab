"""The attack run's defects as a clerk meets them in the app (AppTest): each test failed before.

Review next claims at the click; roles are checked in the operation, not taken from the page.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import ui_runtime
from medextract.services import accounts, documents, review
from medextract.services.context import CLI
from tests.app_support import app, open_context, seed

REVIEW = ui_runtime.REVIEW_PAGE


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("page", "button"), [(ui_runtime.QUEUE_PAGE, "queue_review_next"), (REVIEW, "review_next")]
)
def test_review_next_claims_at_the_click_not_what_the_page_showed(ctx: Any, page: str, button: str) -> None:
    first, second = seed(ctx, 2)
    at = app(page, role="clerk", user="ana")  # drawn while the first document was waiting
    review.start_review(ctx, first, user="bob")  # another clerk opens it meanwhile
    at.button(key=button).click().run()
    assert at.session_state[ui_runtime.REVIEW_DOC] == second
    assert documents.get(ctx, second, user="ana").claimed_by == "ana"
    assert documents.get(ctx, first, user="ana").claimed_by == "bob"


HOSTILE = '=HYPERLINK("http://evil.example/x","click") [click](http://evil.example/x) **bold** :red[x]'
BIDI = "scan_\u202egnp.fdp.png"


def shown_markdown(at: Any) -> list[str]:
    """Every string the page hands Streamlit's markdown renderer: bodies, labels, help tooltips."""
    found = []
    for kind in (
        "title",
        "header",
        "subheader",
        "caption",
        "markdown",
        "error",
        "warning",
        "info",
        "success",
    ):
        found.extend(str(e.value) for e in getattr(at, kind))
    for kind in ("text_input", "text_area", "selectbox", "button", "checkbox", "toggle", "multiselect"):
        for widget in getattr(at, kind):
            found.extend(str(part) for part in (widget.label, getattr(widget, "help", None)) if part)
    return found


def shown_plain(at: Any) -> list[str]:
    """Strings shown without markdown: select options, table cells, plain text."""
    found = [str(option) for box in at.selectbox for option in box.options]
    found.extend(str(e.value) for e in at.text)
    for frame in at.dataframe:
        found.extend(str(v) for v in frame.value.astype(str).to_numpy().ravel())
    return found


def test_nothing_from_a_document_renders_as_a_link_or_markdown_and_bidi_names_are_neutralised(
    ctx: Any,
) -> None:
    from medextract.services import upload
    from tests.app_support import PRESCRIPTION, _unique_png, add_people, fake_extract, process
    from tests.test_store_support import TEAM

    add_people(ctx, TEAM)
    outcome = upload.add_upload(ctx, BIDI, _unique_png("bidi", 1), uploader="seed")
    assert outcome.document_id is not None
    values = {**PRESCRIPTION, "patient_name": HOSTILE}
    process(ctx, fake_extract(values, flagged={"patient_name": HOSTILE, "refills": HOSTILE}))
    doc_id = outcome.document_id
    assert "\u202e" not in documents.get(ctx, doc_id, user="seed").filename  # stored neutralised

    pages = [
        app(ui_runtime.QUEUE_PAGE, role="supervisor", user="ana"),
        app(REVIEW, role="supervisor", user="ana"),
    ]
    pages.append(app(REVIEW, role="supervisor", user="ana", review_doc_id=doc_id))
    for at in pages:
        assert not at.exception
        for text in shown_markdown(at):
            assert "http://" not in text and "](" not in text and "**" not in text and ":red[" not in text, (
                text
            )
            assert "\u202e" not in text, text
        for text in shown_plain(at):
            assert "\u202e" not in text, text
    assert any("scan_gnp.fdp.png" in t.replace("\\", "") for t in shown_markdown(pages[-1]))


def test_names_stored_before_the_fix_are_shown_neutralised(ctx: Any) -> None:
    from app import ui_state

    assert ui_state.plain_text(BIDI) == "scan_gnp.fdp.png"
    assert ui_state.escape_markdown(f"{BIDI}\u200b\u2066x\u2069") == "scan\\_gnp\\.fdp\\.pngx"
    assert ui_state.plain_text("line one\nline two\ttab") == "line one\nline two\ttab"


PASSWORD = "correct horse battery"


def demote(ctx: Any, username: str) -> None:
    accounts.set_role(ctx, username, "clerk", by="boss")


def deactivate(ctx: Any, username: str) -> None:
    accounts.deactivate(ctx, username, by="boss")


@pytest.mark.parametrize("change", [demote, deactivate])
def test_an_admin_demoted_or_deactivated_with_the_users_page_open_cannot_promote_anyone(
    ctx: Any, change: Any
) -> None:
    accounts.create_account(ctx, "boss", role="admin", password=PASSWORD, by=CLI)
    accounts.create_account(ctx, "bob", role="clerk", password=PASSWORD, by=CLI)
    at = app(ui_runtime.USERS_PAGE, role="admin", user="root")
    at.selectbox(key="users_pick").set_value("bob").run()
    change(ctx, "root")  # another administrator acts while root's page is still open
    at.selectbox(key="users_role_bob").set_value("admin")
    at.button(key="users_save_role").click().run()
    assert accounts.get_account(ctx, "bob").role == "clerk"  # type: ignore[union-attr]
    # The operation refused (its notice waits in the session); the page then stops at its guard.
    notice = at.session_state["users_notice"]
    assert notice[0] == "error" and ("Only an administrator" in notice[1] or "deactivated" in notice[1])
    assert at.error and not at.get("dataframe")


def test_a_supervisor_demoted_with_a_verified_record_open_cannot_reopen_it(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    view = review.start_review(ctx, doc_id, user="uma")
    assert review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version).ok
    accounts.create_account(ctx, "boss", role="admin", password=PASSWORD, by=CLI)
    at = app(REVIEW, role="supervisor", user="sam", review_doc_id=doc_id)
    at.text_input(key=f"review_reopen_reason_{doc_id}").input("dose looks wrong")
    demote(ctx, "sam")  # the page still shows the supervisor's Reopen box
    at.button(key=f"review_reopen_{doc_id}").click().run()
    assert documents.get(ctx, doc_id, user="uma").status == "verified"
    assert any("Only a supervisor or an administrator can reopen" in e.value for e in at.error)
