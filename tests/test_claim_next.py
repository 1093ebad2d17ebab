"""Review next chooses and claims in one transaction (queue.claim_next), on SQLite and PostgreSQL.

The attack run: the button carried the id chosen when the page was drawn, so with 5 clerks 17 of
31 clicks opened a document someone had just claimed.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from medextract.processing import process_pending
from medextract.services import audit, queue, review, upload
from medextract.services.context import Context
from tests.test_store_support import SYSTEM, FakeEngine, add_people, make_result

CLERKS = [f"clerk{i}" for i in range(5)]


def waiting(ctx: Context, count: int) -> list[int]:
    ids = []
    for index in range(count):
        outcome = upload.add_upload(ctx, f"rx{index}.pdf", f"%PDF next {index}".encode(), uploader="uma")
        assert outcome.document_id is not None
        ids.append(outcome.document_id)
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == count  # type: ignore[arg-type]
    return ids


def test_clerks_clicking_together_never_get_the_same_document(ctx: Context) -> None:
    add_people(ctx, dict.fromkeys(CLERKS, "clerk"))
    ids = waiting(ctx, 4)
    go = threading.Barrier(len(CLERKS))

    def click(user: str) -> int | None:
        go.wait(timeout=30)
        return queue.claim_next(ctx, user=user)

    with ThreadPoolExecutor(max_workers=len(CLERKS)) as pool:
        got = dict(zip(CLERKS, pool.map(click, CLERKS), strict=True))
    claimed = [doc_id for doc_id in got.values() if doc_id is not None]
    assert sorted(claimed) == ids  # each document once, and one clerk found nothing left
    assert list(got.values()).count(None) == 1
    holders = {d.id: d.claimed_by for d in queue.documents(ctx, user="uma")}
    assert all(holders[doc_id] == user for user, doc_id in got.items() if doc_id is not None)
    claims = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "claim"]
    assert len(claims) == len(ids)


def test_the_choice_is_made_at_the_click_and_ones_own_review_comes_first(ctx: Context) -> None:
    first, second = waiting(ctx, 2)
    drawn = queue.next_for_review(ctx, user="vic")  # what a page drawn earlier would have shown
    assert drawn == first
    review.start_review(ctx, first, user="uma")  # someone else opens it meanwhile
    assert queue.claim_next(ctx, user="vic") == second
    assert queue.claim_next(ctx, user="vic") == second  # resumed, not a new one
    assert queue.claim_next(ctx, user="wes") is None


def test_a_document_s_place_among_what_waits_for_the_reviewer(ctx: Context) -> None:
    first, second, third = waiting(ctx, 3)
    assert queue.progress(ctx, user="vic", doc_id=second) == (2, 3)
    review.start_review(ctx, third, user="vic")  # one's own open review comes first
    assert queue.progress(ctx, user="vic", doc_id=third) == (1, 3)
    assert queue.progress(ctx, user="vic", doc_id=first) == (2, 3)
    # Held by someone else: not among what waits for this reviewer.
    assert queue.progress(ctx, user="uma", doc_id=third) is None
    assert queue.progress(ctx, user="uma", doc_id=first) == (1, 2)
