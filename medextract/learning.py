"""Learning layouts in the worker (issue 10): read a verified document again and learn its form.

A verify queues a learning task (``services.layouts.queue_learning``); the worker's slots take
them when no document is waiting to be extracted (SQLite pool), or procrastinate runs them as
``learn_layout`` jobs after the extractions (PostgreSQL, ``medextract.tasks``). The verify itself
never waits for it.

A task either only counts: the document was read with a learned layout that still exists, so
that layout has seen one more document and its counters grow by the fields the clerk corrected
(no OCR). Or it reads the document again, with its verified type, in the slot's sandbox
(:func:`read_and_learn` runs in the child process, as every reading of a stored file does): when
the new reading matches a learned layout (learned since the document was extracted) the document
is counted against it; otherwise the engine learns the form from the reading, the verified values
and the boxes a reviewer drew (``extraction.layouts.learn_layout``: printed words and geometry,
never a value). A supervisor's retrain always learns afresh and replaces the layout it names.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from medextract import layouts as layout_files
from medextract.sandbox import ExtractionFailed
from medextract.services import layouts, learning
from medextract.services.context import Context
from medextract.services.learning import Learned, LearningJob, Matched, Outcome

log = logging.getLogger(__name__)


def read_and_learn(
    extract_fn: Callable[..., Any],
    content: bytes,
    *,
    doc_type: str,
    filename: str,
    request: Mapping[str, Any],
) -> dict[str, Any]:
    """Read ``content`` as ``doc_type`` (with the layouts in ``request["layouts"]``, if named) and
    learn its form from ``request["verified"]`` values and ``request["drawn"]`` boxes.

    ``{"matched": id, "match": score, "values": {...}}`` when a learned layout fits the reading,
    else ``{"learned": LayoutTemplate.to_dict()}``. Runs where the engine runs (the sandbox).
    """
    from extraction.doctypes import get_document_type
    from extraction.layouts import learn_layout

    kwargs = layout_files.extract_kwargs(request.get("layouts"))
    result = extract_fn(content, doc_type=doc_type, filename=filename, **kwargs)
    match = getattr(result, "layout", None)
    if match is not None:
        values = {name: str(f.value or "") for name, f in result.fields.items()}
        return {"matched": match.template.id, "match": float(match.score), "values": values}
    drawn = {
        name: (int(page), (int(box[0]), int(box[1]), int(box[2]), int(box[3])))
        for name, (page, box) in dict(request.get("drawn") or {}).items()
    }
    template = learn_layout(
        result,
        get_document_type(doc_type),
        dict(request.get("verified") or {}),
        drawn,
        taught_by=str(request.get("taught_by") or ""),
    )
    return {"learned": template.to_dict()}


def process(ctx: Context, job: LearningJob, runner: Any) -> bool:
    """Do one learning task the worker took; True when what it taught was stored."""
    started = time.perf_counter()
    outcome: Outcome = None
    if job.needs_reading:
        request = {
            "verified": job.verified,
            "drawn": job.drawn,
            "taught_by": job.taught_by,
            # A verify's task is counted against a layout that fits; a retrain learns afresh.
            "layouts": str(layouts.folder(ctx)) if job.kind == layouts.LEARN else None,
        }
        try:
            answer = runner.learn(job.content, doc_type=job.doc_type, filename=job.filename, request=request)
        except ExtractionFailed as failure:
            log.info("learning from document %s failed (%s)", job.document_id, failure.kind)
            learning.fail(ctx, job, failure.message)
            return False
        if "matched" in answer:
            outcome = Matched(answer["matched"], float(answer["match"]), dict(answer["values"]))
        else:
            outcome = Learned(answer["learned"])
    action = learning.finish(ctx, job, outcome)
    if action is None:
        log.warning("learning from document %s: not stored, another worker holds the task", job.document_id)
        return False
    log.info("document %s: %s in %.2f s", job.document_id, action, time.perf_counter() - started)
    pruned = layouts.prune_finished(ctx)  # no housekeeping loop: each learning run prunes, cheaply
    if pruned:
        log.info("pruned %d finished learning tasks", pruned)
    return True


def work_one(ctx: Context, runner: Any) -> bool:
    """Take one waiting learning task and do it; False when none was waiting."""
    job = learning.claim_next(ctx)
    if job is None:
        return False
    process(ctx, job, runner)
    return True


def process_pending(
    ctx: Context, *, extract_fn: Callable[..., Any] | None = None, limit: int | None = None
) -> int:
    """Do the waiting learning tasks one at a time (``extract_fn`` in this process, tests; else in
    a sandbox); how many were taken."""
    from medextract.engine_runner import make_runner

    runner = make_runner(extract_fn, None)
    done = 0
    try:
        while (limit is None or done < limit) and work_one(ctx, runner):
            done += 1
    finally:
        runner.close()
    return done
