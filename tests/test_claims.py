"""Two reviewers, one document: claims bind saves, expire after idle time, show who holds them.

Store tests run on SQLite and PostgreSQL; the page tests run pages/review.py itself in AppTest (the
login shell in streamlit_app.py is tested elsewhere), with the signed-in user in session state.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app import ui_runtime, ui_state
from medextract.processing import process_pending
from medextract.services import audit, documents, queue, review, upload
from medextract.services.claims import claim_notice
from medextract.services.context import DEFAULT_CLAIM_MINUTES, Context, claim_minutes
from tests.app_support import REPO, open_context, seed, signed_in_as, texts
from tests.test_store_support import CAST, SYSTEM, FakeClock, FakeEngine, add_people, make_result

REVIEW_PAGE = str(REPO / "pages" / "review.py")


def extracted(ctx: Context, data: bytes = b"%PDF claim") -> int:
    outcome = upload.add_upload(ctx, "rx.pdf", data, uploader="uma")
    assert outcome.document_id is not None
    process_pending(ctx, extract_fn=FakeEngine(make_result()))  # type: ignore[arg-type]
    return outcome.document_id


# ---- the store -------------------------------------------------------------------------------


def test_opening_claims_and_others_cannot_save_while_it_is_live(ctx: Context, clock: FakeClock) -> None:
    doc_id = extracted(ctx)
    mine = review.start_review(ctx, doc_id, user="uma")
    assert (mine.claimed_by, mine.claimed_at) == ("uma", clock.now)
    theirs = review.start_review(ctx, doc_id, user="vic")
    assert (theirs.claimed_by, theirs.version) == ("uma", mine.version)  # read-only for vic
    assert queue.documents(ctx, user="uma")[0].claimed_by == "uma"
    assert queue.next_for_review(ctx, user="vic") is None

    refused = review.save_draft(ctx, doc_id, {"refills": "9"}, user="vic", expected_version=theirs.version)
    assert not refused.ok and "being reviewed by uma since" in refused.message
    assert not review.verify(ctx, doc_id, {}, user="vic", expected_version=theirs.version).ok
    assert not review.reject(ctx, doc_id, "no", user="vic", expected_version=theirs.version).ok
    assert documents.get(ctx, doc_id, user="uma").fields["refills"].value == "2"
    assert review.save_draft(ctx, doc_id, {"refills": "4"}, user="uma", expected_version=mine.version).ok


def test_a_claim_expires_after_idle_time_and_can_be_taken_over(ctx: Context, clock: FakeClock) -> None:
    doc_id = extracted(ctx)
    first = review.start_review(ctx, doc_id, user="uma")
    clock.advance(minutes=DEFAULT_CLAIM_MINUTES - 1)
    assert review.start_review(ctx, doc_id, user="vic").claimed_by == "uma"
    saved = review.save_draft(ctx, doc_id, {"refills": "4"}, user="uma", expected_version=first.version)
    assert saved.ok  # a save is activity: the idle time starts again
    clock.advance(minutes=DEFAULT_CLAIM_MINUTES - 1)
    assert review.start_review(ctx, doc_id, user="vic").claimed_by == "uma"

    clock.advance(minutes=2)  # uma idle for 31 minutes: the claim has expired
    assert (
        documents.get(ctx, doc_id, user="uma").claimed_by is None
        and queue.documents(ctx, user="uma")[0].claimed_by is None
    )
    assert queue.next_for_review(ctx, user="vic") == doc_id
    taken = review.start_review(ctx, doc_id, user="vic")
    assert (taken.claimed_by, taken.claimed_at) == ("vic", clock.now)
    # uma's form is now stale: her save is refused, nothing is overwritten.
    late = review.save_draft(ctx, doc_id, {"refills": "7"}, user="uma", expected_version=saved.version)
    assert not late.ok and "Someone else changed this document" in late.message
    assert documents.get(ctx, doc_id, user="uma").fields["refills"].value == "4"
    assert any(
        e.action == "claim" and e.user == "vic" for e in audit.audit_log(ctx, document_id=doc_id, user=SYSTEM)
    )


def test_opening_ones_own_claim_refreshes_it_without_a_new_version(ctx: Context, clock: FakeClock) -> None:
    doc_id = extracted(ctx)
    first = review.start_review(ctx, doc_id, user="uma")
    clock.advance(minutes=DEFAULT_CLAIM_MINUTES - 1)
    again = review.start_review(ctx, doc_id, user="uma")
    assert again.version == first.version and again.claimed_at == clock.now
    clock.advance(minutes=DEFAULT_CLAIM_MINUTES - 1)
    assert review.start_review(ctx, doc_id, user="vic").claimed_by == "uma"


def test_two_reviewers_opening_at_once_get_one_claim(ctx: Context) -> None:
    doc_id = extracted(ctx)
    barrier = threading.Barrier(2)
    seen: dict[str, Any] = {}

    def open_as(user: str) -> None:
        barrier.wait()
        seen[user] = review.start_review(ctx, doc_id, user=user)

    threads = [threading.Thread(target=open_as, args=(u,)) for u in ("uma", "vic")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    holder = documents.get(ctx, doc_id, user="uma").claimed_by
    assert holder in ("uma", "vic") and {v.claimed_by for v in seen.values()} == {holder}
    claims = [e for e in audit.audit_log(ctx, document_id=doc_id, user=SYSTEM) if e.action == "claim"]
    assert [e.user for e in claims] == [holder]


def test_claim_minutes_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDEXTRACT_CLAIM_MINUTES", "5")
    assert claim_minutes() == 5
    for bad in ("", "soon", "-3", "0"):
        monkeypatch.setenv("MEDEXTRACT_CLAIM_MINUTES", bad)
        assert claim_minutes() == DEFAULT_CLAIM_MINUTES


def test_a_context_can_be_opened_with_a_short_claim(database_url: str, clock: FakeClock) -> None:
    ctx = Context.open(database_url, clock=clock, claim_timeout=timedelta(minutes=2))
    add_people(ctx, CAST)
    try:
        doc_id = extracted(ctx)
        review.start_review(ctx, doc_id, user="uma")
        clock.advance(minutes=3)
        assert review.start_review(ctx, doc_id, user="vic").claimed_by == "vic"
    finally:
        ctx.close()


def test_claim_notice_names_the_holder_and_the_time(clock: FakeClock) -> None:
    assert claim_notice("uma", clock.now) == f"being reviewed by uma since {clock.now:%H:%M} UTC"


# ---- the review page -------------------------------------------------------------------------


@pytest.fixture
def app_ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    ctx = open_context(tmp_path, monkeypatch)
    yield ctx
    ctx.close()


def review_as(user: str, doc_id: int, role: str = "clerk", at: AppTest | None = None) -> AppTest:
    """pages/review.py for ``user`` with ``doc_id`` open (a new session unless ``at`` is given)."""
    if at is None:
        at = AppTest.from_file(REVIEW_PAGE, default_timeout=30)
        for key, value in signed_in_as(user).items():
            at.session_state[key] = value
        at.session_state["role"] = role
        at.session_state[ui_runtime.REVIEW_DOC] = doc_id
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture(autouse=True)
def _role_from_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page asks ui_runtime.current_role() when login provides it; here the session's "role"."""
    import streamlit as st

    monkeypatch.setattr(ui_runtime, "current_role", lambda: st.session_state.get("role"))
    monkeypatch.setattr(ui_runtime, "current_user", lambda: st.session_state.get("user", "clerk"))


def test_a_second_reviewer_sees_the_document_read_only_with_who_holds_it(app_ctx: Any) -> None:
    [doc_id] = seed(app_ctx)
    review_as("uma", doc_id)
    assert documents.get(app_ctx, doc_id, user="uma").claimed_by == "uma"

    vic = review_as("vic", doc_id)
    shown = texts(vic).replace("\\", "")  # the page escapes markdown; read it as a person would
    assert "Read only: this document is being reviewed by uma since" in shown
    widgets = [w for w in (*vic.text_input, *vic.text_area) if w.key.startswith(f"field_{doc_id}_")]
    assert widgets and all(w.disabled for w in widgets)
    assert not [b for b in vic.button if b.key in (f"review_save_{doc_id}", f"review_verify_{doc_id}")]
    assert documents.get(app_ctx, doc_id, user="uma").claimed_by == "uma"


def test_the_second_reviewer_takes_over_an_expired_claim_with_the_stored_values(
    app_ctx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    [doc_id] = seed(app_ctx)
    uma = review_as("uma", doc_id)
    uma.text_input(key=ui_state.field_key(doc_id, "refills")).input("4").run()
    uma.button(key=f"review_save_{doc_id}").click().run()
    vic = review_as("vic", doc_id)
    assert "Read only" in texts(vic)

    monkeypatch.setenv("MEDEXTRACT_CLAIM_MINUTES", "0.0001")  # every claim is expired at once
    monkeypatch.setattr(ui_runtime, "get_context", lambda: Context.open(claim_timeout=timedelta(0)))
    vic = review_as("vic", doc_id, at=vic)
    assert "Read only" not in texts(vic)
    assert documents.get(app_ctx, doc_id, user="uma").claimed_by == "vic"
    refills = vic.text_input(key=ui_state.field_key(doc_id, "refills"))
    assert refills.value == "4" and not refills.disabled


def test_the_queue_shows_who_is_reviewing_and_since_when(app_ctx: Any) -> None:
    [doc_id] = seed(app_ctx)
    view = review.start_review(app_ctx, doc_id, user="uma")
    at = AppTest.from_file(str(REPO / "pages" / "queue.py"), default_timeout=30)
    for key, value in signed_in_as("vic").items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    # Who, and since when in the format of every time on the page (their own narrow columns).
    assert list(table["claimed by"]) == ["uma"]
    assert list(table["claimed"]) == [f"{view.claimed_at:%Y-%m-%d %H:%M} UTC"]


def test_a_supervisor_takes_over_a_document_a_clerk_holds_and_a_clerk_gets_no_button(app_ctx: Any) -> None:
    [doc_id] = seed(app_ctx)
    review_as("uma", doc_id)
    vic = review_as("vic", doc_id)
    assert not [b for b in vic.button if b.key == f"review_take_over_{doc_id}"]

    sue = review_as("sue", doc_id, role="supervisor")
    assert "Read only" in texts(sue)
    sue.button(key=f"review_take_over_{doc_id}").click().run()
    assert not sue.exception and "Read only" not in texts(sue)
    assert documents.get(app_ctx, doc_id, user="sue").claimed_by == "sue"
    refills = sue.text_input(key=ui_state.field_key(doc_id, "refills"))
    assert not refills.disabled


def test_release_gives_up_ones_own_claim_only_and_is_audited(ctx: Context) -> None:
    doc_id = extracted(ctx)
    held = review.start_review(ctx, doc_id, user="uma")
    assert not review.release(ctx, doc_id, user="vic")  # not vic's to give up
    assert documents.get(ctx, doc_id, user="uma").claimed_by == "uma"
    assert review.release(ctx, doc_id, user="uma", reason="logout")
    after = documents.get(ctx, doc_id, user="uma")
    assert (after.status, after.claimed_by, after.version) == ("in_review", None, held.version + 1)
    assert not review.release(ctx, doc_id, user="uma")  # nothing left to release
    assert queue.next_for_review(ctx, user="vic") == doc_id  # anyone may open it at once
    assert review.start_review(ctx, doc_id, user="vic").claimed_by == "vic"
    [event] = [e for e in audit.history(ctx, doc_id, user="sue") if e.action == "release"]
    assert (event.user, event.text) == ("uma", "reason: logout")
