"""The optimistic lock on a document: every change names the version it was made on.

A change applies only if the document is still at that version (``bump``); otherwise the
caller answers ``stale`` and the clerk reloads. Shared by the review operations and the
region reader.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.models import Document
from medextract.services.context import Context
from medextract.services.documents import change_marks
from medextract.views import SaveResult


def stale(version: int) -> SaveResult:
    return SaveResult(
        ok=False,
        version=version,
        errors={},
        message=(
            "Someone else changed this document since you opened it, so nothing was saved. "
            "Reload it to see the current values, then make your change again."
        ),
    )


def current_version(session: Session, doc_id: int) -> int:
    return int(session.execute(select(Document.version).where(Document.id == doc_id)).scalar_one())


def bump(ctx: Context, session: Session, doc: Document, expected_version: int, **changes: Any) -> bool:
    """The optimistic lock: apply ``changes`` only if the row is still at ``expected_version``.

    This must be the transaction's first write: on PostgreSQL a concurrent winner makes this
    UPDATE wait, then match no row; on SQLite the writers are already serialised.
    """
    result = session.execute(
        update(Document)
        .where(Document.id == doc.id, Document.version == expected_version)
        .values(**change_marks(ctx), **changes)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def bump_for_edit(
    ctx: Context, session: Session, doc: Document, expected_version: int, name: str, now: datetime
) -> bool:
    """``bump`` for a change to the draft by ``name``: the document is in review, claimed by
    them (a live claim by someone else was refused before) and the claim's idle time starts
    again, since an edit is activity."""
    return bump(
        ctx,
        session,
        doc,
        expected_version,
        status=lifecycle.target(lifecycle.SAVE),
        claimed_by=name,
        claimed_at=now,
        review_started_at=doc.review_started_at or now,
    )
