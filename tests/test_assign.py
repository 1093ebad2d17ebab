"""A supervisor gives documents to a reviewer (services.assign, the queue's bulk "Assign to a
reviewer"), on SQLite and PostgreSQL: claimed for them, audited, theirs first in "Review next"."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from medextract.errors import PermissionDenied, StoreError
from medextract.models import AuditEvent
from medextract.services import accounts, assign, bulk, documents, queue, review
from medextract.services.context import Context
from tests.test_queue_bulk import extracted
from tests.test_store_support import SYSTEM, FakeClock, add_people


def assign_events(ctx: Context, doc_id: int) -> list[tuple[str, dict[str, object]]]:
    with ctx.read() as session:
        rows = session.execute(
            select(AuditEvent.user, AuditEvent.detail).where(
                AuditEvent.document_id == doc_id, AuditEvent.action == "assign"
            )
        ).all()
    return [(user, json.loads(detail)) for user, detail in rows]


def test_assigned_documents_are_claimed_for_the_reviewer_and_come_first(ctx: Context) -> None:
    older = extracted(ctx, "older.pdf", "A")  # waiting longest, given to nobody
    held = extracted(ctx, "held.pdf", "B")
    free = extracted(ctx, "free.pdf", "C")
    opened = review.start_review(ctx, held, user="uma")  # uma is reviewing it

    result = bulk.apply(ctx, bulk.REASSIGN, [held, free], user="sue", assignee="vic")

    assert result.done == [held, free] and result.summary() == "Assign to a reviewer: 2 of 2 documents done."
    for doc_id in (held, free):
        doc = documents.get(ctx, doc_id, user="sue")
        assert (doc.status, doc.claimed_by) == ("in_review", "vic")
    assert assign_events(ctx, held) == [("sue", {"to": "vic", "from": "uma"})]
    assert assign_events(ctx, free) == [("sue", {"to": "vic", "from": None})]
    # uma's open form is stale now, and the document is no longer hers to save.
    refused = review.save_draft(ctx, held, {"refills": "9"}, user="uma", expected_version=opened.version)
    assert not refused.ok
    # vic finds them first, before the older document nobody holds; uma gets that one.
    assert queue.progress(ctx, user="vic", doc_id=held) == (1, 3)
    assert queue.claim_next(ctx, user="vic") == held
    assert queue.claim_next(ctx, user="uma") == older
    # The bulk request is audited once too, with whom the documents went to.
    with ctx.read() as session:
        [detail] = session.execute(select(AuditEvent.detail).where(AuditEvent.action == "bulk")).scalars()
    assert json.loads(detail)["assignee"] == "vic"


def test_an_assignment_lasts_as_a_claim_does(ctx: Context, clock: FakeClock) -> None:
    doc_id = extracted(ctx, "rx.pdf", "A")
    assert assign.assign(ctx, doc_id, to="vic", user="sue")
    assert not assign.assign(ctx, doc_id, to="vic", user="sue")  # already theirs: nothing written
    assert len(assign_events(ctx, doc_id)) == 1
    assert queue.claim_next(ctx, user="uma") is None  # vic's live claim: nobody else's to take
    clock.advance(minutes=31)  # vic never opened it: the claim expired, the work does not stall
    assert queue.claim_next(ctx, user="uma") == doc_id
    assert documents.get(ctx, doc_id, user="sue").claimed_by == "uma"


def test_the_review_of_an_assigned_document_starts_when_its_reviewer_opens_it(
    ctx: Context, clock: FakeClock
) -> None:
    doc_id = extracted(ctx, "rx.pdf", "A")
    assign.assign(ctx, doc_id, to="vic", user="sue")
    assert documents.get(ctx, doc_id, user="sue").review_started_at is None
    opened_at = clock.advance(minutes=10)
    assert review.start_review(ctx, doc_id, user="vic").review_started_at == opened_at


def test_only_a_supervisor_assigns_and_only_to_someone_who_may_review(ctx: Context) -> None:
    doc_id = extracted(ctx, "rx.pdf", "A")
    add_people(ctx, {"gone": "clerk"})
    accounts.deactivate(ctx, "gone", by=SYSTEM)
    with pytest.raises(PermissionDenied, match="supervisor"):
        assign.assign(ctx, doc_id, to="vic", user="uma")
    with pytest.raises(PermissionDenied):
        bulk.apply(ctx, bulk.REASSIGN, [doc_id], user="uma", assignee="vic")
    with pytest.raises(StoreError, match="Choose the reviewer"):
        bulk.apply(ctx, bulk.REASSIGN, [doc_id], user="sue", assignee=" ")
    with pytest.raises(StoreError, match="no account 'nobody'"):
        bulk.apply(ctx, bulk.REASSIGN, [doc_id], user="sue", assignee="nobody")
    with pytest.raises(StoreError, match="deactivated"):
        assign.assign(ctx, doc_id, to="gone", user="sue")
    assert documents.get(ctx, doc_id, user="sue").status == "extracted"  # nothing was done
    assert assign.assignees(ctx, user="sue") == ["ada", "sue", "uma", "vic", "wes"]
    with pytest.raises(PermissionDenied):
        assign.assignees(ctx, user="uma")


def test_a_document_past_review_is_reported_and_the_others_assigned(ctx: Context) -> None:
    done = extracted(ctx, "done.pdf", "A")
    waiting = extracted(ctx, "waiting.pdf", "B")
    doc = review.start_review(ctx, done, user="uma")
    assert review.verify(ctx, done, {}, user="uma", expected_version=doc.version).ok

    result = bulk.apply(ctx, bulk.REASSIGN, [done, waiting], user="sue", assignee="wes")

    assert result.done == [waiting]
    assert [o.message for o in result.failed] == [
        "It is verified; only a document waiting for or in review can be assigned."
    ]
    assert documents.get(ctx, done, user="sue").claimed_by is None


def test_a_list_read_under_one_half_s_heading_is_doubted_when_the_other_heading_reads_more() -> None:
    """Two headings of one list's halves each give a reading of it, equally well labelled: the
    one chosen (the right half's) is flagged with the fuller one, though the two share words."""
    from extraction.keys import Key
    from extraction.page_view import Candidate
    from extraction.rival_doubts import doubt_rivals
    from extraction.taken_words import word_ids
    from extraction.types import Line, Word

    def key(x: int) -> Key:
        return Key(0, Line((Word("Have", 0.95, (x, 10, x + 60, 30)),)), 1, False, True)

    headaches = Word("Headaches", 0.95, (10, 60, 150, 80))
    sinusitis = Word("Sinusitis", 0.95, (1010, 60, 1130, 80))
    right = Candidate("medical_problems", 0, ((sinusitis,),), "checklist", 1.0, (key(1000),))
    whole = Candidate("medical_problems", 0, ((headaches,), (sinusitis,)), "checklist", 1.0, (key(0),))
    chosen = {"medical_problems": right}
    scored = [(1.47, 0, right), (1.47, 1, whole)]
    doubted = doubt_rivals(chosen, scored, set(), word_ids(right), frozenset())
    assert "'Headaches Sinusitis'" in (doubted["medical_problems"].note or "")


@pytest.mark.parametrize(
    ("other_score", "other_taken", "doubted"), [(1.35, False, True), (1.2, False, False), (1.35, True, False)]
)
def test_a_value_read_as_well_for_a_field_left_blank_is_doubted(
    other_score: float, other_taken: bool, doubted: bool
) -> None:
    """A web form's date over its "Date" caption and under "Expiration date": read equally well
    as the record's date and as the expiry, the one field that took it is flagged, naming the
    other; not when the other scored clearly less, or took a value of its own."""
    from extraction.page_view import Candidate
    from extraction.rival_doubts import doubt_contested
    from extraction.types import Word

    date = (Word("Aug", 0.9, (279, 2185, 340, 2222)), Word("16", 0.9, (350, 2185, 380, 2222)))
    taken = Candidate("record_date", 1, (date,), "above", 1.0)
    rival = Candidate("insurance_expiry", 1, (date,), "below", 1.0)
    own = Candidate("insurance_expiry", 1, ((Word("2026", 0.9, (279, 900, 340, 930)),),), "below", 1.0)
    chosen = {"record_date": taken, **({"insurance_expiry": own} if other_taken else {})}
    scored = sorted([(1.35, 0, taken), (other_score, 1, rival), (1.0, 2, own)], key=lambda s: -s[0])
    labels = {"record_date": "record date", "insurance_expiry": "insurance expiry"}
    note = doubt_contested(chosen, scored, labels)["record_date"].note
    assert (note is not None and "insurance expiry" in note) is doubted


def test_a_value_read_as_well_for_a_part_of_a_field_with_a_value_is_not_doubted() -> None:
    """The parts of a field read as fields of their own ("phone_number.number") stay blank when
    the whole field was read: no part of a field with a value contests another's."""
    from extraction.page_view import Candidate
    from extraction.rival_doubts import doubt_contested
    from extraction.types import Word

    policy = (Word("52131092", 0.9, (1106, 2051, 1322, 2088)),)
    phone = (Word("712-873-2121", 0.9, (1105, 1126, 1409, 1164)),)
    taken = Candidate("policy_number", 0, (policy,), "beside", 1.0)
    part = Candidate("phone_number.number", 0, (policy,), "beside", 1.0)
    whole = Candidate("phone_number", 0, (phone,), "beside", 1.0)
    chosen = {"policy_number": taken, "phone_number": whole}
    scored = [(1.4, 0, taken), (1.4, 1, whole), (1.38, 2, part)]
    labels = {"policy_number": "policy number", "phone_number": "phone number"}
    assert doubt_contested(chosen, scored, labels)["policy_number"].note is None
