"""Review: claim, take over, save a draft, verify, reject, reopen, extract again.

Contract: writes that change a document check its ``version`` with ``UPDATE ... WHERE version =
expected`` as their first write, so of two people saving the same version exactly one wins and
the other is told, with nothing written. Every operation checks the acting person's account and
role first (``authorize``), in the same transaction; refusals a person can fix (a stale form, an
invalid value, someone else's claim) come back as a ``SaveResult`` with ``ok`` False.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.errors import StoreError
from medextract.models import Document, DraftValue, Edit, FieldExtraction, VerifiedValue
from medextract.services.audit import write_event
from medextract.services.claims import claim_refusal, live_claim
from medextract.services.context import Actor, Context, authorize
from medextract.services.documents import change_marks, current_values, field_order, load, view
from medextract.services.layouts import queue_learning
from medextract.services.queue import take_claim
from medextract.services.reextract import reextract as reextract  # its own module, same name here
from medextract.services.versions import bump, bump_for_edit, current_version, stale
from medextract.views import DocumentView, SaveResult

AUTO = "auto"
CLAIM_TOUCH_SECONDS = 60  # an open by the claimant refreshes the claim at most this often (one write)


def start_review(ctx: Context, doc_id: int, *, user: Actor) -> DocumentView:
    """Claim an "extracted" (or unclaimed "in_review") document for ``user`` and return it.

    A claim whose holder has not saved or opened the document for ``claim_timeout`` has expired
    and is taken over. Opening one's own claim again refreshes it (without a version bump, so
    the form's version stays valid). A document someone else holds is returned unchanged:
    check ``claimed_by`` / ``claimed_at``.
    """
    now = ctx.now()
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.CLAIM)
        if not take_claim(ctx, session, doc_id, name, now):
            # The holder's own open counts as activity; written at most once a minute. A document
            # assigned to them (services.assign) starts its review at their first open.
            session.execute(
                update(Document)
                .where(
                    Document.id == doc_id,
                    Document.status == lifecycle.IN_REVIEW,
                    Document.claimed_by == name,
                    or_(
                        Document.claimed_at.is_(None),
                        Document.claimed_at < now - timedelta(seconds=CLAIM_TOUCH_SECONDS),
                        Document.review_started_at.is_(None),
                    ),
                )
                .values(claimed_at=now, review_started_at=func.coalesce(Document.review_started_at, now))
                .execution_options(synchronize_session=False)
            )
        return view(ctx, session, load(session, doc_id))


def take_over(ctx: Context, doc_id: int, *, user: Actor) -> DocumentView:
    """A supervisor takes a document under review from whoever holds it, live claim or not.

    The claim passes to ``user`` (audited "take_over" with the former holder); the former holder's
    next save is refused. Raises StoreError when the document is not waiting for or in review.
    """
    now = ctx.now()
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.TAKE_OVER)
        doc = load(session, doc_id)
        if not lifecycle.can(lifecycle.TAKE_OVER, doc.status):
            raise StoreError(
                f"Document {doc_id} is {lifecycle.status_label(doc.status).lower()}; only a document "
                "waiting for or in review can be taken over."
            )
        holder = live_claim(ctx, doc)
        if holder != name:
            changed = bump(
                ctx,
                session,
                doc,
                doc.version,
                status=lifecycle.target(lifecycle.TAKE_OVER),
                claimed_by=name,
                claimed_at=now,
                review_started_at=doc.review_started_at or now,
            )
            if not changed:
                raise StoreError(f"Document {doc_id} changed meanwhile; open it again and retry.")
            write_event(ctx, session, name, "take_over", doc_id, {"from": holder})
            session.refresh(doc)  # the UPDATE bypassed the loaded row
        return view(ctx, session, doc)


def release(ctx: Context, doc_id: int, *, user: Actor, reason: str = "close") -> bool:
    """Give up ``user``'s own claim (Close, another document, logout): the document stays in review
    with its drafts, open to anyone at once. Audited "release"; False when ``user`` holds none."""
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.CLAIM)
        released = session.execute(
            update(Document)
            .where(Document.id == doc_id, Document.status == lifecycle.IN_REVIEW, Document.claimed_by == name)
            .values(claimed_by=None, claimed_at=None, **change_marks(ctx))
            .execution_options(synchronize_session=False)
        )
        if released.rowcount != 1:
            return False
        write_event(ctx, session, name, "release", doc_id, {"reason": str(reason)[:40]})
        return True


def save_draft(
    ctx: Context, doc_id: int, values: Mapping[str, str], *, user: Actor, expected_version: int
) -> SaveResult:
    """Save the clerk's values; an Edit is written for each field whose value changed.

    Saving is allowed with invalid values (``errors`` lists them); it claims an "extracted"
    document for ``user``. Refused (ok False, nothing written) when stale or not reviewable.
    """
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.SAVE)
        doc = load(session, doc_id)
        refusal = check_editable(ctx, session, doc, values, expected_version, name)
        if refusal is not None:
            return refusal
        current = current_values(session, doc)
        submitted = {field: _clean(value) for field, value in values.items()}
        changed = {field: v for field, v in submitted.items() if v != current.get(field, "")}
        errors = _validate(ctx, doc.doc_type or "", {**current, **submitted})
        if not changed:
            return SaveResult(True, doc.version, errors, "No changes to save.")
        now = ctx.now()
        if not bump_for_edit(ctx, session, doc, expected_version, name, now):
            return stale(current_version(session, doc_id))
        record_changes(session, doc_id, current, changed, name, now)
        write_event(ctx, session, name, "edit", doc_id, {"fields": sorted(changed)})
    return SaveResult(True, expected_version + 1, errors, f"Saved {len(changed)} change(s).")


def verify(
    ctx: Context,
    doc_id: int,
    values: Mapping[str, str],
    *,
    user: Actor,
    expected_version: int,
    confirmed: Collection[str] = (),
) -> SaveResult:
    """Record the final values in one transaction; refused while any field is invalid, any flagged
    field is unchecked, any required field (``required`` in the document type) is empty, or the
    type has no fields ("unknown": choose it, extract again first).

    ``values`` may hold only the fields the clerk changed. ``confirmed`` names the flagged fields
    checked against the page and found right; every other flagged one must have been corrected.
    """
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.VERIFY)
        doc = load(session, doc_id)
        refusal = check_editable(ctx, session, doc, values, expected_version, name)
        if refusal is not None:
            return refusal
        names = ctx.catalog.field_names(doc.doc_type or "")
        if not names:
            said = f"The document type ({doc.doc_type or 'not detected'}) has no fields to verify. "
            return SaveResult(False, doc.version, {}, said + "Choose the right type and extract again.")
        current = current_values(session, doc)
        submitted = {field: _clean(value) for field, value in values.items()}
        final = {field: submitted.get(field, current.get(field, "")) for field in names}
        unchecked = _unchecked_flags(session, doc_id, final, confirmed)
        missing = _missing_required(ctx, doc.doc_type or "", final)
        errors = {**unchecked, **missing, **_validate(ctx, doc.doc_type or "", final)}
        if errors:
            return SaveResult(False, doc.version, errors, _refusal(errors, unchecked, missing))
        now = ctx.now()
        if not bump(
            ctx,
            session,
            doc,
            expected_version,
            status=lifecycle.target(lifecycle.VERIFY),
            verified_by=name,
            verified_at=now,
            claimed_by=None,
            claimed_at=None,
        ):
            return stale(current_version(session, doc_id))
        changed = {field: v for field, v in final.items() if v != current.get(field, "")}
        record_changes(session, doc_id, current, changed, name, now)
        session.execute(delete(VerifiedValue).where(VerifiedValue.document_id == doc_id))
        session.add_all(VerifiedValue(document_id=doc_id, field=field, value=v) for field, v in final.items())
        checked = sorted(set(confirmed) & set(names))
        write_event(ctx, session, name, "verify", doc_id, {"changed": sorted(changed), "confirmed": checked})
        queue_learning(ctx, session, doc_id, name)  # a worker learns the form later: verify never waits
    return SaveResult(True, expected_version + 1, {}, "Verified.")


def reject(ctx: Context, doc_id: int, reason: str, *, user: Actor, expected_version: int) -> SaveResult:
    """Mark the document rejected with a reason (required); refused when stale or verified."""
    reason = _clean(reason)
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.REJECT)
        doc = load(session, doc_id)
        if doc.version != expected_version:
            return stale(doc.version)
        if not reason:
            return SaveResult(False, doc.version, {}, "Say why the document is rejected.")
        if not lifecycle.can(lifecycle.REJECT, doc.status):
            said = lifecycle.status_label(doc.status).lower()
            return SaveResult(False, doc.version, {}, f"A document that is {said} cannot be rejected.")
        claimed = claim_refusal(ctx, doc, name)
        if claimed is not None:
            return claimed
        target = lifecycle.target(lifecycle.REJECT)
        changes: dict[str, Any] = {"reject_reason": reason, "claimed_by": None, "claimed_at": None}
        if not bump(ctx, session, doc, expected_version, status=target, **changes):
            return stale(current_version(session, doc_id))
        write_event(ctx, session, name, "reject", doc_id, {"reason": reason})
    return SaveResult(True, expected_version + 1, {}, "Rejected.")


def reopen(
    ctx: Context, doc_id: int, *, user: Actor, reason: str, expected_version: int | None = None
) -> SaveResult:
    """Send a verified document back to "in_review" (a supervisor's correction), unclaimed.

    ``reason`` is required and audited. The verified values are withdrawn from export; the
    clerk's values stay as drafts, so the next review starts from them. ``expected_version``
    (optional) refuses a stale request like any save.
    """
    reason = _clean(reason)
    with ctx.write.begin() as session:
        name = authorize(session, user, lifecycle.REOPEN)
        doc = load(session, doc_id)
        version = doc.version if expected_version is None else expected_version
        if doc.version != version:
            return stale(doc.version)
        if not reason:
            return SaveResult(False, doc.version, {}, "Say why the document is reopened.")
        if not lifecycle.can(lifecycle.REOPEN, doc.status):
            said = lifecycle.status_label(doc.status).lower()
            refused = f"Only verified documents can be reopened; this one is {said}."
            return SaveResult(False, doc.version, {}, refused)
        # The verified values become the drafts: reopening must not undo the clerk's corrections.
        query = select(VerifiedValue).where(VerifiedValue.document_id == doc_id)
        final = {v.field: v.value for v in session.execute(query).scalars()}
        if not bump(
            ctx,
            session,
            doc,
            version,
            status=lifecycle.target(lifecycle.REOPEN),
            verified_by=None,
            verified_at=None,
            claimed_by=None,
            claimed_at=None,
        ):
            return stale(current_version(session, doc_id))
        session.execute(delete(DraftValue).where(DraftValue.document_id == doc_id))
        session.execute(delete(VerifiedValue).where(VerifiedValue.document_id == doc_id))
        session.add_all(DraftValue(document_id=doc_id, field=k, value=v) for k, v in final.items())
        write_event(
            ctx, session, name, "reopen", doc_id, {"reason": reason, "was_verified_by": doc.verified_by}
        )
    return SaveResult(True, version + 1, {}, "Reopened: the document is back in review.")


# ---- helpers (bump, stale, check_editable, record_changes: shared with services.regions) -------


def _clean(value: Any) -> str:
    """A submitted value as stored: text, Windows line ends unified, outer whitespace dropped."""
    return "" if value is None else str(value).replace("\r\n", "\n").strip()


def check_editable(
    ctx: Context, session: Session, doc: Document, values: Mapping[str, str], expected_version: int, user: str
) -> SaveResult | None:
    """Why this edit must be refused (stale, wrong status, another's claim, unknown fields), or None."""
    if doc.version != expected_version:
        return stale(doc.version)
    if not lifecycle.can(lifecycle.SAVE, doc.status):
        said = lifecycle.status_label(doc.status).lower()
        return SaveResult(False, doc.version, {}, f"This document is {said}; it cannot be edited now.")
    claimed = claim_refusal(ctx, doc, user)
    if claimed is not None:
        return claimed
    known = set(field_order(ctx, session, doc))
    unknown = {field: "not a field of this document type" for field in values if field not in known}
    if unknown:
        return SaveResult(
            False, doc.version, unknown, "Some values are for fields this document does not have."
        )
    return None


UNCHECKED = "The engine flagged this field: check it against the page, then confirm or correct it."
CHECK_FLAGS = "Check every flagged field before verifying: confirm it or correct it."
CORRECT_FIELDS = "Correct the marked fields before verifying."
REQUIRED = "Required: fill it in from the page (reject the document if the page does not give it)."
FILL_REQUIRED = "Fill in the required fields before verifying."


def _missing_required(ctx: Context, doc_type: str, final: Mapping[str, str]) -> dict[str, str]:
    """The type's required fields left empty (which are required: the document type's data)."""
    return {field: REQUIRED for field in ctx.catalog.required(doc_type) if not final.get(field)}


def _refusal(errors: Mapping[str, str], unchecked: Mapping[str, str], missing: Mapping[str, str]) -> str:
    """What a refused Verify says: the one kind of problem the marked fields have, else correct them."""
    if set(errors) <= set(missing):
        return FILL_REQUIRED
    only_flags = set(errors) <= set(unchecked) and not set(errors) & set(missing)
    return CHECK_FLAGS if only_flags else CORRECT_FIELDS


def _unchecked_flags(
    session: Session, doc_id: int, final: Mapping[str, str], confirmed: Collection[str]
) -> dict[str, str]:
    """The flagged fields neither confirmed nor corrected (final value still the engine's)."""
    flagged = select(FieldExtraction.field, FieldExtraction.value).where(
        FieldExtraction.document_id == doc_id, FieldExtraction.needs_review.is_(True)
    )
    return {
        field: UNCHECKED
        for field, read in session.execute(flagged)
        if field in final and field not in confirmed and final[field] == _clean(read)
    }


def _validate(ctx: Context, doc_type: str, values: Mapping[str, str]) -> dict[str, str]:
    errors = {}
    for field, value in values.items():
        message = ctx.catalog.validate(doc_type, field, value) if value else None
        if message:
            errors[field] = message
    return errors


def record_changes(
    session: Session,
    doc_id: int,
    current: Mapping[str, str],
    changed: Mapping[str, str],
    user: str,
    now: datetime,
) -> None:
    """Write the drafts and one Edit per changed field."""
    drafts = {
        d.field: d
        for d in session.execute(select(DraftValue).where(DraftValue.document_id == doc_id)).scalars()
    }
    for field, new in changed.items():
        session.add(
            Edit(document_id=doc_id, field=field, old=current.get(field, ""), new=new, user=user, at=now)
        )
        if field in drafts:
            drafts[field].value = new
        else:
            session.add(DraftValue(document_id=doc_id, field=field, value=new))
