"""The worker's side of learning layouts: take a learning task under a lease, store what it taught.

A task (``LayoutJob``, queued by a verify or by a supervisor's retrain, ``services.layouts``) is
taken as a document is (``services.jobs``): ``UPDATE ... WHERE`` it is still claimable, with a
lease token that only its holder may finish with. No heartbeat: the lease outlasts the sandbox's
time budget, so a task is taken again only when its worker died. A task whose every worker died
ends "failed"; a finished one stays "done" (pruned after ``layouts.keep_days``), and its document
gets ``layout_learned_at``, so a document verified again after a reopen is not counted twice.

:func:`finish` changes the layout files (``medextract.layouts``, under their lock) and writes the
audit event in one transaction: the event is flushed before the file is written, so a refused
write leaves the files as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session

from medextract import layouts as layout_files
from medextract import lifecycle
from medextract.encryption import unseal
from medextract.models import Document, FieldEvidence, FieldExtraction, LayoutJob, VerifiedValue
from medextract.sandbox import Budget
from medextract.services import layouts
from medextract.services.audit import write_event
from medextract.services.context import WORKER, Context
from medextract.services.jobs import lease_seconds, max_attempts, new_owner

if TYPE_CHECKING:  # the engine is imported only when a layout file is read
    from extraction.layouts import LayoutTemplate, TemplateStore

Box = tuple[int, int, int, int]
LEARNING = layouts.LEARNING


@dataclass(frozen=True)
class LearningJob:
    """A learning task a worker took, with what it needs: the document's bytes (empty when the
    document only has to be counted against the layout it was read with), its verified values,
    the engine's stored values and the boxes a reviewer drew."""

    id: int
    kind: str
    document_id: int
    filename: str
    content: bytes
    doc_type: str
    verified: dict[str, str]
    engine_values: dict[str, str]
    drawn: dict[str, tuple[int, Box]]
    taught_by: str
    requested_by: str
    read_with: str | None  # the learned layout the stored extraction was read with
    target: str | None  # retrain: the layout the new learning replaces
    owner: str

    @property
    def needs_reading(self) -> bool:
        return bool(self.content)


@dataclass(frozen=True)
class Matched:
    """Read again, the document matched a learned layout: count it against that one."""

    layout_id: str
    match: float
    values: dict[str, str]


@dataclass(frozen=True)
class Learned:
    """The layout learned from the document (``LayoutTemplate.to_dict()``)."""

    template: dict[str, Any]


Outcome = Matched | Learned | None  # None: counted against ``read_with`` without reading


def lease_for_learning() -> float:
    """A task's lease: the sandbox's time budget and a lease more (no heartbeat renews it)."""
    return Budget.from_env().seconds + lease_seconds()


def _claimable(now: Any) -> ColumnElement[bool]:
    expired = or_(LayoutJob.lease_expires_at.is_(None), LayoutJob.lease_expires_at < now)
    return or_(LayoutJob.status == layouts.WAITING, and_(LayoutJob.status == LEARNING, expired))


def claim_next(ctx: Context, *, owner: str | None = None) -> LearningJob | None:
    """Take the oldest claimable learning task, or None when none is waiting."""
    now = ctx.now()
    with ctx.write.begin() as session:
        candidates = session.execute(
            select(LayoutJob.id)
            .where(_claimable(now))
            .order_by(LayoutJob.requested_at, LayoutJob.id)
            .limit(5)
        ).all()
        for (job_id,) in candidates:
            job = _take(ctx, session, job_id, owner or new_owner())
            if job is not None:
                return job
    return None


def claim_job(ctx: Context, job_id: int, *, owner: str | None = None) -> LearningJob | None:
    """Take this task if it is claimable now (a procrastinate job names it), else None."""
    with ctx.write.begin() as session:
        return _take(ctx, session, job_id, owner or new_owner())


def still_to_do(ctx: Context, job_id: int) -> bool:
    """Whether this task is still waiting or being done (not done, failed or dropped)."""
    with ctx.read() as session:
        status = session.execute(select(LayoutJob.status).where(LayoutJob.id == job_id)).scalar()
    return status in (layouts.WAITING, LEARNING)


def _take(ctx: Context, session: Session, job_id: int, owner: str) -> LearningJob | None:
    now = ctx.now()
    job = session.execute(
        select(LayoutJob).where(LayoutJob.id == job_id, _claimable(now))
    ).scalar_one_or_none()
    if job is None:
        return None
    doc = session.get(Document, job.document_id)
    if doc is None or doc.status != lifecycle.VERIFIED:
        return _drop(session, job)
    if job.status == LEARNING and job.attempts >= max_attempts():
        message = f"The worker learning from this document stopped {job.attempts} times before it finished."
        _end(session, job, layouts.FAILED, message)
        return None
    claimed = session.execute(
        update(LayoutJob)
        .where(LayoutJob.id == job_id, LayoutJob.status == job.status, _claimable(now))
        .values(
            status=LEARNING,
            lease_owner=owner,
            lease_expires_at=now + timedelta(seconds=lease_for_learning()),
            attempts=LayoutJob.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return None  # another worker took it first
    folder = layouts.folder(ctx)
    counting = (
        job.kind == layouts.LEARN
        and doc.layout_id is not None
        and (layout_files.get(folder, doc.layout_id) is not None)
    )
    content = b"" if counting else unseal(doc.content)
    return LearningJob(
        id=job.id,
        kind=job.kind,
        document_id=doc.id,
        filename=doc.filename,
        content=content,
        doc_type=doc.doc_type or "",
        verified=_values(session, VerifiedValue, doc.id),
        engine_values=_values(session, FieldExtraction, doc.id),
        drawn=_drawn(session, doc.id),
        taught_by=doc.verified_by or "",
        requested_by=job.requested_by,
        read_with=doc.layout_id,
        target=job.layout_id,
        owner=owner,
    )


def _drop(session: Session, job: LayoutJob) -> None:
    """A task whose document is no longer verified (reopened, deleted): a retrain fails saying
    so; a verify's task goes, so that the next verify queues one again."""
    if job.kind == layouts.RETRAIN:
        _end(session, job, layouts.FAILED, "The document is no longer verified.")
    else:
        session.delete(job)
    return None


def _end(session: Session, job: LayoutJob, status: str, error: str | None) -> None:
    job.status, job.error = status, error
    job.lease_owner, job.lease_expires_at = None, None


def _values(session: Session, table: Any, doc_id: int) -> dict[str, str]:
    rows = session.execute(select(table.field, table.value).where(table.document_id == doc_id))
    return {row.field: row.value for row in rows}


def _drawn(session: Session, doc_id: int) -> dict[str, tuple[int, Box]]:
    """The boxes reviewers drew and read into fields (migration 0008's field evidence)."""
    rows = session.execute(select(FieldEvidence).where(FieldEvidence.document_id == doc_id)).scalars()
    return {e.field: (e.page, (e.box_x0, e.box_y0, e.box_x1, e.box_y1)) for e in rows}


def _held(job: LearningJob) -> ColumnElement[bool]:
    return and_(LayoutJob.id == job.id, LayoutJob.status == LEARNING, LayoutJob.lease_owner == job.owner)


def finish(ctx: Context, job: LearningJob, outcome: Outcome) -> str | None:
    """Store what the task taught (a new layout, a retrained one, or one more document counted
    against a layout) and mark it done, in one transaction; the audit action written, or None
    when the task is no longer this worker's."""
    with ctx.write.begin() as session:
        done = session.execute(
            update(LayoutJob)
            .where(_held(job))
            .values(status=layouts.DONE, lease_owner=None, lease_expires_at=None, error=None)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:
            return None
        if job.kind == layouts.LEARN:  # its verify taught the layouts: never counted again
            session.execute(
                update(Document)
                .where(Document.id == job.document_id)
                .values(layout_learned_at=ctx.now())
                .execution_options(synchronize_session=False)
            )
        with layout_files.changing(layouts.folder(ctx)) as store:
            action, detail, template = _apply(store, job, outcome)
            write_event(ctx, session, WORKER.name, action, job.document_id, detail)
            session.flush()  # the event is in before the file changes
            if template is not None:
                store.save(template)
    return action


def fail(ctx: Context, job: LearningJob, message: str) -> bool:
    """The document could not be read again: the task ends "failed" with ``message``."""
    with ctx.write.begin() as session:
        result = session.execute(
            update(LayoutJob)
            .where(_held(job))
            .values(status=layouts.FAILED, lease_owner=None, lease_expires_at=None, error=message)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False
        write_event(ctx, session, WORKER.name, "layout_learning_failed", job.document_id, {"error": message})
        return True


# ---- what a task changes in the layout files ----------------------------------------------------


def _apply(
    store: TemplateStore, job: LearningJob, outcome: Outcome
) -> tuple[str, dict[str, Any], LayoutTemplate | None]:
    """(audit action, its detail, the layout to save or None) for a finished task."""
    from extraction.layouts import LayoutTemplate

    if outcome is None or isinstance(outcome, Matched):
        layout_id = job.read_with if outcome is None else outcome.layout_id
        read = job.engine_values if outcome is None else outcome.values
        return _count(store, layout_id or "", job, read)
    learned = LayoutTemplate.from_dict(outcome.template)
    learned.extra = {**learned.extra, "document_id": job.document_id}
    if job.kind == layouts.RETRAIN and job.target:
        replaced = _get(store, job.target)
        if replaced is None:
            return (
                "layout_not_learned",
                {"layout": job.target, "reason": "the layout was deleted since"},
                None,
            )
        learned.id, learned.name = replaced.id, replaced.name
        learned.extra["retrained_by"] = job.requested_by
        return "layout_retrained", _detail(learned), learned
    existing = _get(store, learned.id)
    if existing is not None and job.kind == layouts.LEARN:
        return _count(store, existing.id, job, job.engine_values)  # the very form, learned before
    if not learned.fields:
        reason = "none of the verified values was found on the page"
        return "layout_not_learned", {"document_type": learned.document_type, "reason": reason}, None
    if existing is not None:  # retrained from a document of the very same form: the name stays
        learned.name = existing.name
        return "layout_retrained", _detail(learned), learned
    return "layout_learned", _detail(learned), learned


def _count(
    store: TemplateStore, layout_id: str, job: LearningJob, read: dict[str, str]
) -> tuple[str, dict[str, Any], LayoutTemplate | None]:
    template = _get(store, layout_id)
    if template is None:
        return "layout_not_learned", {"layout": layout_id, "reason": "the layout was deleted since"}, None
    corrected = corrected_fields(job.verified, read)
    template.documents_seen += 1
    template.fields_corrected += corrected
    return "layout_seen", {"layout": template.id, "corrected": corrected}, template


def corrected_fields(verified: dict[str, str], read: dict[str, str]) -> int:
    """How many of the verified values differ from what the engine read (spacing aside)."""
    return sum(1 for name, value in verified.items() if _plain(value) != _plain(read.get(name, "")))


def _plain(value: str) -> str:
    return " ".join(str(value or "").split())


def _get(store: TemplateStore, layout_id: str) -> LayoutTemplate | None:
    from extraction.layouts import TemplateError

    try:
        return store.get(layout_id)
    except TemplateError:
        return None


def _detail(template: LayoutTemplate) -> dict[str, Any]:
    return {
        "layout": template.id,
        "name": template.name,
        "document_type": template.document_type,
        "fields": len(template.value_fields),
    }
