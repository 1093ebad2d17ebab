"""Every role rule is enforced by the services themselves, on SQLite and PostgreSQL.

Each test calls a service directly, as any front end could (a page that hides a button, an HTTP
route that forgets a check): the acting account is loaded afresh on every call, so a clerk cannot
reopen, a demoted or deactivated administrator cannot manage accounts, a deactivated clerk cannot
verify, and nothing is written when the call is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from medextract.errors import PermissionDenied, StoreError
from medextract.models import AuditEvent, Document
from medextract.processing import process_pending
from medextract.services import accounts, audit, documents, queue, records, review, upload
from medextract.services.context import CLI, Context
from tests.test_store_support import SYSTEM, FakeEngine, make_result


def extracted(ctx: Context, data: bytes = b"%PDF roles") -> int:
    doc_id = upload.add_upload(ctx, "rx.pdf", data, uploader="uma").document_id
    assert doc_id is not None
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1  # type: ignore[arg-type]
    return doc_id


def verified(ctx: Context) -> int:
    doc_id = extracted(ctx)
    view = review.start_review(ctx, doc_id, user="uma")
    assert review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version).ok
    return doc_id


def events(ctx: Context) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(AuditEvent)).scalar_one())


def status(ctx: Context, doc_id: int) -> str:
    with ctx.engine.connect() as conn:
        return str(conn.execute(select(Document.status).where(Document.id == doc_id)).scalar_one())


def test_a_clerk_calling_reopen_is_refused_and_nothing_changes(ctx: Context) -> None:
    doc_id = verified(ctx)
    before = events(ctx)
    with pytest.raises(PermissionDenied, match="Only a supervisor or an administrator can reopen") as refused:
        review.reopen(ctx, doc_id, user="uma", reason="I changed my mind")
    assert (refused.value.username, refused.value.action) == ("uma", "reopen")
    assert status(ctx, doc_id) == "verified" and events(ctx) == before
    assert len(records.verified_records(ctx, "prescription", user="sue")) == 1  # still exported
    assert review.reopen(ctx, doc_id, user="sue", reason="dose looks wrong").ok  # a supervisor may


def test_a_demoted_administrator_cannot_promote_another_account(ctx: Context) -> None:
    accounts.create_account(ctx, "root", role="admin", by=CLI)
    accounts.set_role(ctx, "ada", "clerk", by="root")  # ada's session may still show the admin page
    with pytest.raises(PermissionDenied, match="Only an administrator can manage user accounts"):
        accounts.set_role(ctx, "uma", "admin", by="ada")
    with pytest.raises(PermissionDenied):
        accounts.create_account(ctx, "mallory", role="admin", by="ada")
    with pytest.raises(PermissionDenied):
        accounts.list_accounts(ctx, by="ada")
    assert accounts.get_account(ctx, "uma").role == "clerk"  # type: ignore[union-attr]
    assert accounts.get_account(ctx, "mallory") is None


def test_a_deactivated_administrator_cannot_promote_another_account(ctx: Context) -> None:
    accounts.create_account(ctx, "root", role="admin", by=CLI)
    accounts.deactivate(ctx, "ada", by="root")
    before = events(ctx)
    with pytest.raises(PermissionDenied, match="deactivated"):
        accounts.set_role(ctx, "uma", "admin", by="ada")
    with pytest.raises(PermissionDenied, match="deactivated"):
        accounts.set_active(ctx, "ada", True, by="ada")  # nor reactivate themselves
    with pytest.raises(PermissionDenied, match="deactivated"):
        accounts.set_password(ctx, "uma", "a long enough password", by="ada")
    assert accounts.get_account(ctx, "uma").role == "clerk"  # type: ignore[union-attr]
    assert events(ctx) == before
    accounts.set_active(ctx, "ada", True, by="root")
    assert accounts.set_role(ctx, "uma", "supervisor", by="ada").role == "supervisor"  # active again


def test_a_deactivated_clerk_cannot_verify_save_claim_or_upload(ctx: Context) -> None:
    doc_id = extracted(ctx)
    view = review.start_review(ctx, doc_id, user="uma")
    accounts.deactivate(ctx, "uma", by="ada")  # while the review page is open
    before = events(ctx)
    attempts: list[Callable[[], Any]] = [
        lambda: review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version),
        lambda: review.save_draft(ctx, doc_id, {"refills": "3"}, user="uma", expected_version=view.version),
        lambda: review.reject(ctx, doc_id, "no", user="uma", expected_version=view.version),
        lambda: review.start_review(ctx, doc_id, user="uma"),
        lambda: upload.add_upload(ctx, "more.pdf", b"%PDF more", uploader="uma"),
        lambda: documents.get(ctx, doc_id, user="uma"),
        lambda: queue.documents(ctx, user="uma"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="The account uma has been deactivated"):
            attempt()
    assert status(ctx, doc_id) == "in_review" and events(ctx) == before
    assert documents.get(ctx, doc_id, user="vic").fields["refills"].value == "2"


def test_someone_without_an_account_can_do_nothing(ctx: Context) -> None:
    doc_id = extracted(ctx)
    with pytest.raises(PermissionDenied, match="no account 'mallory'"):
        review.start_review(ctx, doc_id, user="mallory")
    with pytest.raises(PermissionDenied):
        upload.add_upload(ctx, "x.pdf", b"%PDF x", uploader="Mallory")
    assert status(ctx, doc_id) == "extracted"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("uma", False), ("sue", True), ("ada", True)],
)
def test_supervisor_operations_refuse_a_clerk(ctx: Context, who: str, allowed: bool) -> None:
    doc_id = verified(ctx)
    operations: list[Callable[[], Any]] = [
        lambda: audit.history(ctx, doc_id, user=who),
        lambda: records.verified_records(ctx, "prescription", user=who),
        lambda: records.reviewers(ctx, user=who),
        lambda: records.export_csv(ctx, "prescription", user=who),
        lambda: records.dashboard(ctx, user=who),
    ]
    for operation in operations:
        if allowed:
            operation()
        else:
            with pytest.raises(PermissionDenied, match="Only a supervisor or an administrator"):
                operation()


def test_only_an_administrator_manages_accounts_and_reads_the_audit_log(ctx: Context) -> None:
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        accounts.create_account(ctx, "eve", role="clerk", by="sue")
    with pytest.raises(PermissionDenied, match="Only an administrator"):
        audit.audit_log(ctx, user="sue")
    assert accounts.create_account(ctx, "eve", role="clerk", by="ada").role == "clerk"
    [created] = [e for e in audit.audit_log(ctx, user="ada") if e.action == "user_create"]
    assert created.user == "ada"


def test_a_role_change_applies_to_the_very_next_call(ctx: Context) -> None:
    doc_id = verified(ctx)
    with pytest.raises(PermissionDenied):
        review.reopen(ctx, doc_id, user="vic", reason="check")
    accounts.set_role(ctx, "vic", "supervisor", by="ada")
    assert review.reopen(ctx, doc_id, user="vic", reason="check").ok


def test_a_supervisor_takes_over_a_live_claim_and_a_clerk_may_not(ctx: Context) -> None:
    doc_id = extracted(ctx)
    held = review.start_review(ctx, doc_id, user="uma")
    with pytest.raises(PermissionDenied, match="take over"):
        review.take_over(ctx, doc_id, user="vic")
    taken = review.take_over(ctx, doc_id, user="sue")
    assert (taken.claimed_by, taken.version) == ("sue", held.version + 1)
    late = review.save_draft(ctx, doc_id, {"refills": "7"}, user="uma", expected_version=held.version)
    assert not late.ok  # the former holder's form is stale
    saved = review.save_draft(ctx, doc_id, {"refills": "7"}, user="sue", expected_version=taken.version)
    assert saved.ok
    history = audit.history(ctx, doc_id, user="sue")
    assert [(h.action, h.user, h.text) for h in history if h.action == "take_over"] == [
        ("take_over", "sue", "from: uma")
    ]
    assert review.verify(ctx, doc_id, {}, user="sue", expected_version=saved.version).ok
    with pytest.raises(StoreError, match="is verified; only a document waiting for or in review"):
        review.take_over(ctx, doc_id, user="sue")


def test_the_servers_own_actors_need_no_account(ctx: Context) -> None:
    doc_id = extracted(ctx)
    assert queue.status_counts(ctx, user=SYSTEM)["extracted"] == 1
    assert accounts.create_account(ctx, "first", role="admin", by=CLI).role == "admin"
    assert documents.get(ctx, doc_id, user=SYSTEM).status == "extracted"
