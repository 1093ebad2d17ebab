"""Extracting again respects review claims and never drops someone else's draft (issue 13).

The attack run: a clerk re-extracted a document another clerk held under a live claim; that
clerk's draft was deleted and their next save refused.
"""

from __future__ import annotations

import json

import pytest

from medextract.errors import StoreError
from medextract.processing import process_pending
from medextract.services import audit, documents, review, upload
from medextract.services.context import Context
from tests.test_store_support import SYSTEM, FakeEngine, make_result


def held_with_a_draft(ctx: Context) -> tuple[int, int]:
    """A document uma holds under a live claim, with her draft saved: (id, version)."""
    doc_id = upload.add_upload(ctx, "rx.pdf", b"%PDF held", uploader="uma").document_id
    assert doc_id is not None
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1  # type: ignore[arg-type]
    view = review.start_review(ctx, doc_id, user="uma")
    saved = review.save_draft(ctx, doc_id, {"refills": "7"}, user="uma", expected_version=view.version)
    assert saved.ok
    return doc_id, saved.version


def test_a_clerk_cannot_extract_again_what_another_clerk_is_reviewing(ctx: Context) -> None:
    doc_id, version = held_with_a_draft(ctx)
    with pytest.raises(StoreError, match=r"being reviewed by uma since .* not extracted again"):
        review.reextract(ctx, doc_id, doc_type=None, user="vic")
    doc = documents.get(ctx, doc_id, user="uma")
    assert (doc.status, doc.claimed_by, doc.version) == ("in_review", "uma", version)
    assert doc.fields["refills"].value == "7"  # her draft is intact ...
    later = review.save_draft(ctx, doc_id, {"refills": "8"}, user="uma", expected_version=version)
    assert later.ok  # ... and her next save goes through


def test_a_supervisor_takes_over_to_extract_again_audited_and_the_draft_stays(ctx: Context) -> None:
    doc_id, _ = held_with_a_draft(ctx)
    review.reextract(ctx, doc_id, doc_type=None, user="sue")
    assert documents.get(ctx, doc_id, user="sue").status == "queued"
    entries = [(h.action, h.user) for h in audit.history(ctx, doc_id, user="sue")]
    assert entries[-2:] == [("take_over", "sue"), ("reextract", "sue")]
    [event] = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "reextract"]
    assert json.loads(event.detail)["drafts_kept"] is True
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1  # type: ignore[arg-type]
    assert documents.get(ctx, doc_id, user="sue").fields["refills"].value == "7"  # uma's draft


def test_the_holder_extracting_again_drops_only_her_own_draft(ctx: Context) -> None:
    doc_id, _ = held_with_a_draft(ctx)
    review.reextract(ctx, doc_id, doc_type=None, user="uma")
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1  # type: ignore[arg-type]
    assert documents.get(ctx, doc_id, user="uma").fields["refills"].value == "2"  # the engine's


def test_an_expired_claim_allows_it_but_keeps_the_former_holders_draft(ctx: Context, clock) -> None:  # type: ignore[no-untyped-def]
    doc_id, _ = held_with_a_draft(ctx)
    clock.advance(minutes=31)
    review.reextract(ctx, doc_id, doc_type=None, user="vic")
    assert process_pending(ctx, extract_fn=FakeEngine(make_result())) == 1  # type: ignore[arg-type]
    assert documents.get(ctx, doc_id, user="vic").fields["refills"].value == "7"
