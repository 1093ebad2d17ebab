"""Learned layouts in the app (issue 10): list, rename, delete, retrain; which one read a document.

A layout is learned from a verified document by a worker (``medextract.learning``), never in the
verify itself: :func:`queue_learning` only adds a task to the verify's transaction. The layouts
are files (``medextract.layouts``); these operations check the acting person's role
(``lifecycle.LAYOUTS``: supervisors and administrators) and audit every change, as every other
service does. Nothing here reads or stores a patient's value: a layout holds printed words and
geometry only.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from medextract import layouts, lifecycle
from medextract.errors import DocumentNotFound, LayoutNotFound, PermissionDenied, StoreError
from medextract.models import Document, LayoutJob
from medextract.services.audit import write_event
from medextract.services.context import Actor, Context, authorize
from medextract.services.documents import load
from medextract.views import LayoutUse, LayoutView, LearningJobView

if TYPE_CHECKING:  # the engine is imported only when a layout file is read
    from extraction.layouts import LayoutTemplate, TemplateStore

# Learning tasks (LayoutJob.kind) and their states (LayoutJob.status)
LEARN = "learn"  # on every verify: learn the document's form, or count it against its layout
RETRAIN = "retrain"  # a supervisor's: (re)learn a layout from this verified document
WAITING = "waiting"
LEARNING = "learning"  # a worker holds the task
DONE = "done"
FAILED = "failed"
NAME_MAX = 120
KEEP_DAYS_ENV = "MEDEXTRACT_LAYOUT_JOBS_KEEP_DAYS"
DEFAULT_KEEP_DAYS = 30


def folder(ctx: Context) -> Path:
    """The folder of ``ctx``'s learned layouts (``medextract.layouts.layouts_dir``)."""
    return layouts.layouts_dir(str(ctx.engine.url))


def list_layouts(ctx: Context, *, user: Actor) -> list[LayoutView]:
    """Every learned layout, by document type then name."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.LAYOUTS)
    found = [_view(t) for t in layouts.load(folder(ctx))]
    return sorted(found, key=lambda v: (v.document_type, v.name.casefold(), v.id))


def get_layout(ctx: Context, layout_id: str, *, user: Actor) -> LayoutView:
    """One learned layout; LayoutNotFound when there is none by this id."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.LAYOUTS)
    template = layouts.get(folder(ctx), layout_id)
    if template is None:
        raise LayoutNotFound(layout_id)
    return _view(template)


def rename_layout(ctx: Context, layout_id: str, name: str, *, user: Actor) -> LayoutView:
    """Give a layout the name people know the form by (one line, at most 120 characters)."""
    name = " ".join(str(name or "").split())
    if not name:
        raise StoreError("Give the layout a name.")
    if len(name) > NAME_MAX:
        raise StoreError(f"A layout's name has at most {NAME_MAX} characters.")
    with ctx.write.begin() as session:
        by = authorize(session, user, lifecycle.LAYOUTS)
        with layouts.changing(folder(ctx)) as store:
            template = _stored(store, layout_id)
            was, template.name = template.name, name
            if was != name:
                write_event(
                    ctx, session, by, "layout_renamed", None, {"layout": layout_id, "from": was, "to": name}
                )
                session.flush()  # the event is in before the file changes: a refused write changes nothing
                store.save(template)
    return _view(template)


def delete_layout(ctx: Context, layout_id: str, *, user: Actor) -> None:
    """Delete a layout: documents of its form are read the generic way again (and the next one
    verified teaches it anew)."""
    with ctx.write.begin() as session:
        by = authorize(session, user, lifecycle.LAYOUTS)
        with layouts.changing(folder(ctx)) as store:
            template = _stored(store, layout_id)
            detail = {"layout": layout_id, "name": template.name, "document_type": template.document_type}
            write_event(ctx, session, by, "layout_deleted", None, detail)
            session.flush()
            store.delete(layout_id)


def retrain_layout(ctx: Context, document_id: int, *, layout_id: str | None, user: Actor) -> str:
    """Queue a retraining: the worker reads the verified document ``document_id`` again and learns
    its form with its verified values; with ``layout_id`` the new learning replaces that layout
    (its id and name stay, its counters start again), else it is a layout of its own. What to tell
    the person."""
    with ctx.write.begin() as session:
        by = authorize(session, user, lifecycle.LAYOUTS)
        doc = load(session, document_id)
        if doc.status != lifecycle.VERIFIED:
            said = lifecycle.status_label(doc.status).lower()
            raise StoreError(
                f"Document {document_id} is {said}: a layout is learned only from a verified document."
            )
        if layout_id is not None:
            template = _existing(layouts.get(folder(ctx), layout_id), layout_id)
            if template.document_type != doc.doc_type:
                raise StoreError(
                    f"Document {document_id} is a {doc.doc_type}, the layout {template.name!r} is for"
                    f" {template.document_type} documents."
                )
        waiting = session.execute(
            select(LayoutJob.id).where(
                LayoutJob.document_id == document_id,
                LayoutJob.kind == RETRAIN,
                LayoutJob.status == WAITING,
                LayoutJob.layout_id.is_(None) if layout_id is None else LayoutJob.layout_id == layout_id,
            )
        ).first()
        if waiting is not None:
            return f"Document {document_id} is already waiting to be learned from."
        session.add(_job(ctx, document_id, RETRAIN, by, layout_id))
        write_event(ctx, session, by, "layout_retrain", document_id, {"layout": layout_id})
    _wake_worker(ctx)
    what = "the layout is retrained" if layout_id else "a new layout is learned"
    return f"Document {document_id} is queued: {what} from it once the worker has read it again."


def retrainable(ctx: Context, doc_id: int, *, user: Actor) -> LayoutUse | None:
    """The learned layout ``user`` may retrain from this document (:func:`retrain_from_document`):
    the one its stored extraction was read with, when it still exists, the document is verified and
    ``user`` manages layouts; else None. What the review page asks before offering the button."""
    with ctx.read() as session:
        try:
            authorize(session, user, lifecycle.LAYOUTS)
        except PermissionDenied:
            return None
        row = session.execute(
            select(Document.status, Document.layout_id, Document.layout_match).where(Document.id == doc_id)
        ).first()
    if row is None or row.status != lifecycle.VERIFIED or row.layout_id is None:
        return None
    template = layouts.get(folder(ctx), row.layout_id)
    if template is None:
        return None
    return LayoutUse(row.layout_id, template.name, float(row.layout_match or 0.0))


def retrain_from_document(ctx: Context, doc_id: int, *, user: Actor) -> str:
    """Queue a retraining of the learned layout this verified document was read with, from it (see
    :func:`retrain_layout`: supervisors, verified documents only, audited "layout_retrain"). What to
    tell the person; StoreError when it was read the generic way or its layout is deleted."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.LAYOUTS)
        doc = load(session, doc_id)
        layout_id = doc.layout_id
    if layout_id is None:
        raise StoreError(f"Document {doc_id} was not read with a learned layout: there is none to retrain.")
    return retrain_layout(ctx, doc_id, layout_id=layout_id, user=user)


def layout_used(ctx: Context, doc_id: int, *, user: Actor) -> LayoutUse | None:
    """The learned layout the document's stored extraction was read with, or None (generic)."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        row = session.execute(
            select(Document.layout_id, Document.layout_match).where(Document.id == doc_id)
        ).first()
    if row is None:
        raise DocumentNotFound(doc_id)
    if row.layout_id is None:
        return None
    template = layouts.get(folder(ctx), row.layout_id)
    return LayoutUse(row.layout_id, template.name if template else None, float(row.layout_match or 0.0))


def learning_queue(ctx: Context, *, user: Actor, limit: int = 50) -> list[LearningJobView]:
    """Learning tasks waiting, under way or failed, newest first."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.LAYOUTS)
        rows = session.execute(
            select(LayoutJob)
            .where(LayoutJob.status.in_((WAITING, LEARNING, FAILED)))
            .order_by(LayoutJob.requested_at.desc(), LayoutJob.id.desc())
            .limit(limit)
        ).scalars()
        return [
            LearningJobView(
                j.id, j.document_id, j.kind, j.layout_id, j.requested_by, j.requested_at, j.status, j.error
            )
            for j in rows
        ]


def dismiss_failed(ctx: Context, job_id: int, *, user: Actor) -> None:
    """Take a failed learning task off the list (its reason is kept in the audit log); StoreError
    when there is no failed task by this id (done, retried, or dismissed by someone else)."""
    with ctx.write.begin() as session:
        by = authorize(session, user, lifecycle.LAYOUTS)
        job = session.get(LayoutJob, job_id)
        if job is None or job.status != FAILED:
            raise StoreError(f"There is no failed learning task {job_id} (dismissed already?).")
        detail = {"task": job_id, "kind": job.kind, "layout": job.layout_id, "error": job.error}
        write_event(ctx, session, by, "layout_task_dismissed", job.document_id, detail)
        session.delete(job)


def keep_days() -> int:
    """Days a finished learning task is kept: MEDEXTRACT_LAYOUT_JOBS_KEEP_DAYS, default 30."""
    raw = os.environ.get(KEEP_DAYS_ENV, "").strip()
    try:
        days = int(raw) if raw else DEFAULT_KEEP_DAYS
    except ValueError:
        return DEFAULT_KEEP_DAYS
    return days if days > 0 else DEFAULT_KEEP_DAYS


def prune_finished(ctx: Context) -> int:
    """Delete the learning tasks done more than :func:`keep_days` ago (by when they were asked);
    how many. One indexed DELETE (status, requested_at): cheap enough after every task. Failed
    tasks stay until a supervisor dismisses them; the documents keep ``layout_learned_at``."""
    cutoff = ctx.now() - timedelta(days=keep_days())
    with ctx.write.begin() as session:
        pruned = session.execute(
            delete(LayoutJob)
            .where(LayoutJob.status == DONE, LayoutJob.requested_at < cutoff)
            .execution_options(synchronize_session=False)
        )
    return int(pruned.rowcount or 0)


def queue_learning(ctx: Context, session: Session, doc_id: int, by: str) -> None:
    """In a verify's transaction: have a worker learn the document's form (or count the document
    against the layout it was read with). Once per document: verifying it again after a reopen
    does not count it twice (a supervisor retrains explicitly)."""
    doc = session.get(Document, doc_id)
    if doc is not None and doc.layout_learned_at is not None:
        return  # its task finished (the row may be pruned since)
    earlier = session.execute(
        select(LayoutJob.id)
        .where(LayoutJob.document_id == doc_id, LayoutJob.kind == LEARN, LayoutJob.status != FAILED)
        .limit(1)
    ).first()
    if earlier is None:
        session.add(_job(ctx, doc_id, LEARN, by, None))


def _job(ctx: Context, doc_id: int, kind: str, by: str, layout_id: str | None) -> LayoutJob:
    return LayoutJob(
        document_id=doc_id,
        kind=kind,
        layout_id=layout_id,
        requested_by=by,
        requested_at=ctx.now(),
        status=WAITING,
        attempts=0,
    )


def _wake_worker(ctx: Context) -> None:
    from medextract.pool import wake_background_worker

    wake_background_worker(ctx)


def _stored(store: TemplateStore, layout_id: str) -> LayoutTemplate:
    from extraction.layouts import TemplateError

    try:
        return _existing(store.get(layout_id), layout_id)
    except TemplateError as error:  # not a layout id at all, or a file that is not a layout
        raise LayoutNotFound(layout_id) from error


def _existing(template: LayoutTemplate | None, layout_id: str) -> LayoutTemplate:
    if template is None:
        raise LayoutNotFound(layout_id)
    return template


def _view(template: LayoutTemplate) -> LayoutView:
    learned_from = template.extra.get("document_id")
    return LayoutView(
        id=template.id,
        name=template.name,
        document_type=template.document_type,
        fields=len(template.value_fields),
        documents_seen=template.documents_seen,
        fields_corrected=template.fields_corrected,
        taught_by=template.taught_by,
        created=_when(template.created),
        learned_from=int(learned_from) if isinstance(learned_from, int) else None,
    )


def _when(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None
