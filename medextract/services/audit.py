"""The audit log: every event written with who and when, read back as a log or one document's history.

The services write their own events inside the transaction of the change they describe
(:func:`write_event`, which also queues the webhook that announces a verify or a reject).
:func:`record` is for the front ends' own events (sign-in, sign-out), which belong to no
operation and may name a person without an account (a refused sign-in).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.models import AuditEvent, AuditEventDocument, Edit
from medextract.services import webhooks
from medextract.services.context import Actor, Context, authorize
from medextract.services.documents import load
from medextract.views import AuditEntry, HistoryEntry

SAVES = ("edit", "verify")  # audit actions whose transaction also writes Edit rows
DESCRIBED = {  # the detail keys a history line shows per action, in order
    "upload": ("filename", "size", "photo"),
    lifecycle.EXTRACTED: ("doc_type", "pages", "fields"),  # the worker's event is named by its status
    "extraction_failed": ("error",),
    "verify": ("changed", "confirmed"),
    "reject": ("reason",),
    "reopen": ("reason", "was_verified_by"),
    "take_over": ("from",),
    "assign": ("to", "from"),
    "release": ("reason",),
    "reextract": ("doc_type",),
    "export": ("doc_type", "records", "provenance"),
}


def write_event(
    ctx: Context, session: Session, user: str, action: str, document_id: int | None, detail: Any
) -> AuditEvent:
    """Add an event to ``session``'s transaction (``detail``: text, or anything JSON-able)."""
    text = detail if isinstance(detail, str) else json.dumps(detail, sort_keys=True, default=str)
    event = AuditEvent(user=user, action=action, document_id=document_id, detail=text, at=ctx.now())
    session.add(event)
    webhooks.queue_event(ctx, session, action, document_id, user)  # a verify or reject is announced
    return event


def insert_event(
    ctx: Context, session: Session, user: str, action: str, detail: Any, *, documents: Iterable[int] = ()
) -> int:
    """Add an event to ``session``'s transaction indexed under each of ``documents`` (an export's,
    for their histories), as two plain INSERTs: its id.

    For events written on every call of a polled route, where an ORM object and its flush cost
    more than the insert.
    """
    text = detail if isinstance(detail, str) else json.dumps(detail, sort_keys=True, default=str)
    row = {"user": user, "action": action, "document_id": None, "detail": text, "at": ctx.now()}
    event_id = int(session.execute(insert(AuditEvent.__table__), row).inserted_primary_key[0])
    ids = sorted(set(documents))
    if ids:
        links = [{"event_id": event_id, "document_id": i} for i in ids]
        session.execute(insert(AuditEventDocument.__table__), links)
    return event_id


def record(ctx: Context, user: str, action: str, *, document_id: int | None = None, detail: Any = "") -> None:
    """Record a front end's own event (e.g. "login", "logout") in a transaction of its own."""
    with ctx.write.begin() as session:
        write_event(ctx, session, user, action, document_id, detail)


def audit_log(
    ctx: Context, *, user: Actor, limit: int = 200, document_id: int | None = None
) -> list[AuditEntry]:
    """The latest events, newest first (administrators)."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if document_id is not None:
        query = query.where(AuditEvent.document_id == document_id)
    with ctx.read() as session:
        authorize(session, user, lifecycle.AUDIT_LOG)
        return [
            AuditEntry(e.id, e.user, e.action, e.document_id, e.detail, e.at)
            for e in session.execute(query).scalars()
        ]


def history(ctx: Context, doc_id: int, *, user: Actor) -> list[HistoryEntry]:
    """Everything that happened to one document, oldest first (supervisors): upload, extraction,
    claims, each edit with old -> new, verify, reject, reopen, take over, re-extract and every
    export that included it.

    Text is plain (the caller escapes it for display). Raises DocumentNotFound.
    """
    with ctx.read() as session:
        authorize(session, user, lifecycle.HISTORY)
        load(session, doc_id)
        events = list(session.execute(select(AuditEvent).where(AuditEvent.document_id == doc_id)).scalars())
        edits = list(session.execute(select(Edit).where(Edit.document_id == doc_id)).scalars())
        exports = list(
            session.execute(
                select(AuditEvent)
                .join(AuditEventDocument, AuditEventDocument.event_id == AuditEvent.id)
                .where(AuditEventDocument.document_id == doc_id)
            ).scalars()
        )
    entries = [
        HistoryEntry(e.at, e.user, e.action, _describe(e.action, _detail(e.detail)), e.id)
        for e in [*events, *exports]
        if e.action != "edit"  # the Edit rows below say more: old -> new per field
    ]
    # An Edit row goes with the save or verify that wrote it: same user and time, in one
    # transaction (the audit event is written after the Edit rows).
    anchors = {(e.user, e.at): e.id for e in sorted(events, key=lambda e: -e.id) if e.action in SAVES}
    entries += [
        HistoryEntry(
            e.at, e.user, "edit", f"{e.field}: {e.old!r} -> {e.new!r}", anchors.get((e.user, e.at), 0)
        )
        for e in sorted(edits, key=lambda e: e.id)
    ]
    return sorted(entries, key=lambda h: (h.at, h.order, h.action != "edit"))


def _detail(text: str) -> dict[str, Any]:
    """An audit event's JSON detail as a dict ({} for plain text)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _describe(action: str, detail: Mapping[str, Any]) -> str:
    """One plain-text line for a history entry."""
    keys = DESCRIBED.get(action, tuple(detail))
    return ", ".join(f"{k}: {detail[k]}" for k in keys if k in detail)
