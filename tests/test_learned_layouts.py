"""Learned layouts in the product (issue 10), on SQLite and PostgreSQL, without OCR.

A verify queues a learning task and returns; the worker learns the form from the document read
again (a fake engine that "reads" one clinic's pad, written as text: tests/test_layouts.py), or
counts the document against the layout it was read with. Extraction reads with the learned
layouts and stores which one it used. Supervisors list, rename, delete and retrain layouts;
every change is audited, every rule checked by the services.
"""

from __future__ import annotations

import io
import json
import queue
import uuid
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from extraction.doctypes import get_document_type
from extraction.layouts import learn_layout, match_layout
from medextract import engine_runner, learning, processing, tasks
from medextract import layouts as layout_files
from medextract.errors import LayoutNotFound, PermissionDenied, StoreError
from medextract.models import Document, FieldEvidence, LayoutJob
from medextract.services import audit, layouts, review, upload
from medextract.services import learning as learning_jobs
from medextract.services.context import Context
from tests.test_layouts import FIRST, SECOND, engine_reading, pad
from tests.test_store_support import SYSTEM, T0, FakeClock

# The fake catalog wants ISO dates.
ANN = dict(FIRST, prescription_date="2024-12-03")
TOM = dict(SECOND, prescription_date="2025-01-07")
EVE = dict(
    SECOND,
    patient_name="Eve Moneypenny",
    prescription_date="2025-02-11",
    refills="3",
    prescriber="Dr. Julius No",
)


class PadEngine:
    """Reads "pads": each file name is one copy of the clinic's pad filled in with these values;
    the fields in ``wrong`` are misread (a clerk corrects them). Reads with learned layouts when
    given some, as extraction.extract does."""

    def __init__(self, documents: dict[str, dict[str, str]], wrong: tuple[str, ...] = ()) -> None:
        self.documents, self.wrong = documents, wrong
        self.calls: list[tuple[str, str, int]] = []

    def __call__(
        self, source: Any, *, doc_type: str = "auto", filename: str = "", layouts: Any = None, **_: Any
    ):  # type: ignore[no-untyped-def]
        self.calls.append((filename, doc_type, len(layouts or ())))
        values = self.documents[filename]
        pages = pad(values)
        result = engine_reading(pages, values, wrong=self.wrong)
        result.page_images = [Image.new("L", (255, 330), 255)]
        if layouts:
            result.layouts_consulted = True
            result.layout = match_layout(layouts, pages)
        return result


@pytest.fixture(autouse=True)
def layouts_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "learned"
    monkeypatch.setenv(layout_files.LAYOUTS_DIR_ENV, str(folder))
    return folder


def _png(name: str) -> bytes:
    image = Image.new("L", (64, 64), 255)
    ImageDraw.Draw(image).text((2, 2), name, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _upload(ctx: Context, engine: PadEngine, *names: str) -> list[int]:
    ids = []
    for name in names:
        outcome = upload.add_upload(ctx, name, _png(name), uploader="uma")
        assert outcome.accepted, outcome.message
        ids.append(outcome.document_id)
    processing.process_pending(ctx, extract_fn=engine)
    return ids


def _verify(ctx: Context, doc_id: int, values: dict[str, str], user: str = "uma") -> None:
    doc = review.start_review(ctx, doc_id, user=user)
    result = review.verify(ctx, doc_id, values, user=user, expected_version=doc.version)
    assert result.ok, (result.message, result.errors)


def _events(ctx: Context, action: str) -> list[dict[str, Any]]:
    return [
        {"user": e.user, "document_id": e.document_id, **json.loads(e.detail or "{}")}
        for e in audit.audit_log(ctx, user=SYSTEM)
        if e.action == action
    ]


def _jobs(ctx: Context) -> list[LayoutJob]:
    with ctx.read() as session:
        return list(session.execute(select(LayoutJob).order_by(LayoutJob.id)).scalars())


def test_verify_queues_learning_and_the_worker_learns_the_form_without_patient_values(
    ctx: Context, layouts_dir: Path
) -> None:
    engine = PadEngine({"ann.png": ANN})
    (doc_id,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, doc_id, ANN)
    # The verify only queued the task: nothing is learned until a worker does it.
    assert [(j.kind, j.status, j.document_id) for j in _jobs(ctx)] == [("learn", "waiting", doc_id)]
    assert layout_files.load(layouts_dir) == []
    assert learning.process_pending(ctx, extract_fn=engine) == 1
    (template,) = layout_files.load(layouts_dir)
    assert template.document_type == "prescription" and template.taught_by == "uma"
    assert template.documents_seen == 1 and template.fields_corrected == 0
    assert set(template.fields) == set(ANN)
    # Read again with its verified type, and learned from its verified values.
    assert engine.calls[-1][:2] == ("ann.png", "prescription")
    stored = (layouts_dir / f"{template.id}.json").read_text(encoding="utf-8")
    for secret in ("Maria Lopez", "Lopez", "Maria", "Elm Road", "Amoxicillin", "Alan Grant"):
        assert secret.lower() not in stored.lower(), secret
    assert [j.status for j in _jobs(ctx)] == ["done"]
    (learned,) = _events(ctx, "layout_learned")
    assert learned["user"] == "worker" and learned["document_id"] == doc_id
    assert learned["layout"] == template.id and learned["fields"] == len(ANN)
    view = layouts.list_layouts(ctx, user="sue")
    assert [(v.id, v.documents_seen, v.taught_by, v.learned_from) for v in view] == [
        (template.id, 1, "uma", doc_id)
    ]
    assert view[0].created is not None


def test_the_next_copy_is_read_with_the_layout_and_counted_without_reading_it_again(
    ctx: Context, layouts_dir: Path
) -> None:
    engine = PadEngine({"ann.png": ANN, "tom.png": TOM}, wrong=("refills",))
    (first,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, first, ANN)
    learning.process_pending(ctx, extract_fn=engine)
    (template,) = layout_files.load(layouts_dir)
    assert template.fields_corrected == 0  # corrections are counted from the next document on
    (second,) = _upload(ctx, engine, "tom.png")
    assert engine.calls[-1] == ("tom.png", "auto", 1)  # the worker offered the learned layout
    with ctx.read() as session:
        doc = session.get(Document, second)
        assert doc is not None and doc.layout_id == template.id and doc.layout_match > 0.8
    used = layouts.layout_used(ctx, second, user="uma")
    assert used is not None and used.name == template.name and used.match > 0.8
    assert used.describe() == f"Read with learned layout {template.name} (match {used.match:.2f})"
    assert layouts.layout_used(ctx, first, user="uma") is None  # read the generic way
    _verify(ctx, second, TOM)  # refills corrected: the engine read "misread"
    calls = len(engine.calls)
    assert learning.process_pending(ctx, extract_fn=engine) == 1
    assert len(engine.calls) == calls  # counting needs no OCR
    (counted,) = layout_files.load(layouts_dir)
    assert (counted.id, counted.documents_seen, counted.fields_corrected) == (template.id, 2, 1)
    assert _events(ctx, "layout_seen")[0]["corrected"] == 1


def test_learning_counts_fix_layouts_learned_after_extraction(ctx: Context, layouts_dir: Path) -> None:
    """Two copies extracted before either was verified: the second verify finds the layout the
    first taught when it reads its document again, and counts it instead of learning it twice."""
    engine = PadEngine({"ann.png": ANN, "tom.png": TOM})
    first, second = _upload(ctx, engine, "ann.png", "tom.png")
    _verify(ctx, first, ANN)
    _verify(ctx, second, TOM)
    assert learning.process_pending(ctx, extract_fn=engine) == 2
    (template,) = layout_files.load(layouts_dir)
    assert template.documents_seen == 2
    assert [e["document_id"] for e in _events(ctx, "layout_seen")] == [second]


def test_a_reviewers_drawn_box_is_where_the_value_is_learned(ctx: Context, layouts_dir: Path) -> None:
    engine = PadEngine({"ann.png": ANN})
    (doc_id,) = _upload(ctx, engine, "ann.png")
    drawn = (1380, 390, 1700, 445)  # the date, pointed at by the reviewer
    with ctx.write.begin() as session:
        session.add(
            FieldEvidence(
                document_id=doc_id,
                field="prescription_date",
                page=0,
                box_x0=drawn[0],
                box_y0=drawn[1],
                box_x1=drawn[2],
                box_y1=drawn[3],
                drawn_by="uma",
                drawn_at=T0,
            )
        )
    _verify(ctx, doc_id, ANN)
    learning.process_pending(ctx, extract_fn=engine)
    (template,) = layout_files.load(layouts_dir)
    assert template.fields["prescription_date"].box == drawn


def test_verifying_again_after_a_reopen_counts_the_document_once(ctx: Context, layouts_dir: Path) -> None:
    engine = PadEngine({"ann.png": ANN})
    (doc_id,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, doc_id, ANN)
    learning.process_pending(ctx, extract_fn=engine)
    assert review.reopen(ctx, doc_id, user="sue", reason="typo").ok
    _verify(ctx, doc_id, ANN)
    assert learning.process_pending(ctx, extract_fn=engine) == 0
    assert [t.documents_seen for t in layout_files.load(layouts_dir)] == [1]


def test_a_document_that_cannot_be_read_again_fails_its_task_with_the_reason(ctx: Context) -> None:
    engine = PadEngine({"ann.png": ANN})
    (doc_id,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, doc_id, ANN)

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the scanner ate it")

    assert learning.process_pending(ctx, extract_fn=broken) == 1
    (job,) = layouts.learning_queue(ctx, user="sue")
    assert job.status == "failed" and "the scanner ate it" in (job.error or "")
    assert _events(ctx, "layout_learning_failed")[0]["document_id"] == doc_id


def test_a_supervisor_dismisses_a_failed_task_and_its_reason_stays_in_the_audit_log(ctx: Context) -> None:
    engine = PadEngine({"ann.png": ANN})
    (doc_id,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, doc_id, ANN)

    def broken(*_: Any, **__: Any) -> Any:
        raise RuntimeError("the scanner ate it")

    learning.process_pending(ctx, extract_fn=broken)
    (job,) = layouts.learning_queue(ctx, user="sue")
    with pytest.raises(PermissionDenied):
        layouts.dismiss_failed(ctx, job.id, user="uma")
    layouts.dismiss_failed(ctx, job.id, user="sue")
    assert layouts.learning_queue(ctx, user="sue") == [] and _jobs(ctx) == []
    (event,) = _events(ctx, "layout_task_dismissed")
    assert (event["user"], event["document_id"], event["task"]) == ("sue", doc_id, job.id)
    assert "the scanner ate it" in event["error"]
    with pytest.raises(StoreError, match="no failed learning task"):
        layouts.dismiss_failed(ctx, job.id, user="sue")


def test_only_a_failed_task_is_dismissed(ctx: Context) -> None:
    engine = PadEngine({"ann.png": ANN})
    (doc_id,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, doc_id, ANN)
    (waiting,) = _jobs(ctx)
    with pytest.raises(StoreError):
        layouts.dismiss_failed(ctx, waiting.id, user="sue")
    learning.process_pending(ctx, extract_fn=engine)
    with pytest.raises(StoreError):
        layouts.dismiss_failed(ctx, waiting.id, user="sue")
    assert [j.status for j in _jobs(ctx)] == ["done"]


def test_finished_tasks_are_pruned_after_the_setting_and_a_pruned_document_still_counts_once(
    ctx: Context, clock: FakeClock, layouts_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = PadEngine({"ann.png": ANN, "tom.png": TOM, "eve.png": EVE})
    (ann,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, ann, ANN)
    learning.process_pending(ctx, extract_fn=engine)
    clock.advance(days=29)
    (tom,) = _upload(ctx, engine, "tom.png")
    _verify(ctx, tom, TOM)
    learning.process_pending(ctx, extract_fn=engine)
    assert [(j.document_id, j.status) for j in _jobs(ctx)] == [(ann, "done"), (tom, "done")]
    clock.advance(days=2)  # ann's task is 31 days old, tom's 2
    (eve,) = _upload(ctx, engine, "eve.png")
    _verify(ctx, eve, EVE)
    learning.process_pending(ctx, extract_fn=engine)  # a learning run prunes
    assert [j.document_id for j in _jobs(ctx)] == [tom, eve]
    monkeypatch.setenv(layouts.KEEP_DAYS_ENV, "1")
    assert layouts.prune_finished(ctx) == 1  # tom's
    assert [j.document_id for j in _jobs(ctx)] == [eve]
    # ann's row is gone, the document still says it was learned from: no second count
    assert review.reopen(ctx, ann, user="sue", reason="typo").ok
    _verify(ctx, ann, ANN)
    assert learning.process_pending(ctx, extract_fn=engine) == 0
    assert [t.documents_seen for t in layout_files.load(layouts_dir)] == [3]


def _learned(ctx: Context, engine: PadEngine, name: str, values: dict[str, str]) -> tuple[int, str]:
    (doc_id,) = _upload(ctx, engine, name)
    _verify(ctx, doc_id, values)
    learning.process_pending(ctx, extract_fn=engine)
    return doc_id, layouts.list_layouts(ctx, user="sue")[0].id


def test_supervisors_rename_and_delete_layouts_and_every_change_is_audited(
    ctx: Context, layouts_dir: Path
) -> None:
    engine = PadEngine({"ann.png": ANN, "tom.png": TOM})
    _, layout_id = _learned(ctx, engine, "ann.png", ANN)
    renamed = layouts.rename_layout(ctx, layout_id, "  Riverside   pad ", user="sue")
    assert renamed.name == "Riverside pad"
    assert layout_files.get(layouts_dir, layout_id).name == "Riverside pad"  # type: ignore[union-attr]
    (event,) = _events(ctx, "layout_renamed")
    assert event["user"] == "sue" and event["to"] == "Riverside pad" and event["layout"] == layout_id
    with pytest.raises(StoreError, match="name"):
        layouts.rename_layout(ctx, layout_id, "   ", user="sue")
    with pytest.raises(PermissionDenied):
        layouts.rename_layout(ctx, layout_id, "Mine now", user="uma")
    with pytest.raises(PermissionDenied):
        layouts.list_layouts(ctx, user="uma")
    with pytest.raises(LayoutNotFound):
        layouts.rename_layout(ctx, "prescription-000000000000", "X", user="sue")
    with pytest.raises(LayoutNotFound):
        layouts.delete_layout(ctx, "../../etc/passwd", user="ada")
    (second,) = _upload(ctx, engine, "tom.png")
    with pytest.raises(PermissionDenied):
        layouts.delete_layout(ctx, layout_id, user="uma")
    layouts.delete_layout(ctx, layout_id, user="ada")
    assert layout_files.load(layouts_dir) == [] and layouts.list_layouts(ctx, user="sue") == []
    assert _events(ctx, "layout_deleted") == [
        {
            "user": "ada",
            "document_id": None,
            "layout": layout_id,
            "name": "Riverside pad",
            "document_type": "prescription",
        }
    ]
    used = layouts.layout_used(ctx, second, user="uma")  # read with it before it was deleted
    assert used is not None and used.name is None and "deleted" in used.describe()


def test_a_supervisor_retrains_a_layout_from_another_verified_document(
    ctx: Context, layouts_dir: Path
) -> None:
    engine = PadEngine({"ann.png": ANN, "eve.png": EVE})
    _, layout_id = _learned(ctx, engine, "ann.png", ANN)
    layouts.rename_layout(ctx, layout_id, "Riverside pad", user="sue")
    (other,) = _upload(ctx, engine, "eve.png")
    with pytest.raises(StoreError, match="verified"):
        layouts.retrain_layout(ctx, other, layout_id=layout_id, user="sue")
    _verify(ctx, other, EVE)
    learning.process_pending(ctx, extract_fn=engine)  # counted: documents_seen 2
    with pytest.raises(PermissionDenied):
        layouts.retrain_layout(ctx, other, layout_id=layout_id, user="uma")
    with pytest.raises(LayoutNotFound):
        layouts.retrain_layout(ctx, other, layout_id="prescription-000000000000", user="sue")
    said = layouts.retrain_layout(ctx, other, layout_id=layout_id, user="sue")
    assert "queued" in said
    assert "already" in layouts.retrain_layout(ctx, other, layout_id=layout_id, user="sue")
    assert _events(ctx, "layout_retrain") == [{"user": "sue", "document_id": other, "layout": layout_id}]
    assert [j.kind for j in layouts.learning_queue(ctx, user="sue")] == ["retrain"]
    calls = len(engine.calls)
    assert learning.process_pending(ctx, extract_fn=engine) == 1
    assert engine.calls[calls:] == [("eve.png", "prescription", 0)]  # learned afresh, no layout offered
    (template,) = layout_files.load(layouts_dir)
    assert (template.id, template.name) == (layout_id, "Riverside pad")
    assert template.documents_seen == 1 and template.fields_corrected == 0
    assert template.extra == {"document_id": other, "retrained_by": "sue"}
    assert "Moneypenny" not in (layouts_dir / f"{layout_id}.json").read_text(encoding="utf-8")
    (event,) = _events(ctx, "layout_retrained")
    assert event["layout"] == layout_id and event["document_id"] == other
    assert layouts.learning_queue(ctx, user="sue") == []


def test_retraining_the_layout_a_verified_document_was_read_with_is_a_supervisors(
    ctx: Context, layouts_dir: Path
) -> None:
    engine = PadEngine({"ann.png": ANN, "tom.png": TOM})
    _, layout_id = _learned(ctx, engine, "ann.png", ANN)
    (tom,) = _upload(ctx, engine, "tom.png")  # read with ann's layout
    assert layouts.retrainable(ctx, tom, user="sue") is None  # not verified yet
    with pytest.raises(StoreError, match="verified"):
        layouts.retrain_from_document(ctx, tom, user="sue")
    _verify(ctx, tom, TOM)
    assert layouts.retrainable(ctx, tom, user="uma") is None
    with pytest.raises(PermissionDenied):
        layouts.retrain_from_document(ctx, tom, user="uma")
    use = layouts.retrainable(ctx, tom, user="sue")
    assert use is not None and use.layout_id == layout_id
    said = layouts.retrain_from_document(ctx, tom, user="sue")
    assert said.startswith(f"Document {tom} is queued: the layout is retrained")
    assert [(j.kind, j.layout_id, j.requested_by) for j in _jobs(ctx) if j.document_id == tom][-1] == (
        "retrain",
        layout_id,
        "sue",
    )
    assert _events(ctx, "layout_retrain")[-1] == {"user": "sue", "document_id": tom, "layout": layout_id}
    layouts.delete_layout(ctx, layout_id, user="sue")
    assert layouts.retrainable(ctx, tom, user="sue") is None
    with pytest.raises(LayoutNotFound):
        layouts.retrain_from_document(ctx, tom, user="sue")


def test_a_document_read_the_generic_way_has_no_layout_to_retrain(ctx: Context, layouts_dir: Path) -> None:
    engine = PadEngine({"ann.png": ANN})
    (ann,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, ann, ANN)
    assert layouts.retrainable(ctx, ann, user="sue") is None
    with pytest.raises(StoreError, match="not read with a learned layout"):
        layouts.retrain_from_document(ctx, ann, user="sue")


def test_a_retrain_needs_a_document_of_the_layouts_type(ctx: Context) -> None:
    engine = PadEngine({"ann.png": ANN})
    _, layout_id = _learned(ctx, engine, "ann.png", ANN)
    with ctx.write.begin() as session:  # another document, verified as another type
        doc = Document(
            filename="pd.png",
            sha256="0" * 64,
            content=b"x",
            size=1,
            uploader="uma",
            uploaded_at=T0,
            doc_type="patient_details",
            status="verified",
            updated_at=T0,
        )
        session.add(doc)
        session.flush()
        pd_id = doc.id
    with pytest.raises(StoreError, match="patient_details"):
        layouts.retrain_layout(ctx, pd_id, layout_id=layout_id, user="sue")


def test_the_worker_reads_with_the_layouts_in_the_folder_reloading_only_what_changed(
    layouts_dir: Path,
) -> None:
    engine = PadEngine({"ann.png": ANN})
    template = learn_layout(engine(b"", filename="ann.png"), get_document_type("prescription"), ANN)
    assert layout_files.extract_kwargs(str(layouts_dir)) == {}  # no folder yet: extract() as before
    with layout_files.changing(layouts_dir) as store:
        store.save(template)
    (first,) = layout_files.load(layouts_dir)
    assert layout_files.load(layouts_dir)[0] is first  # unchanged file: not parsed again
    template.name = "Renamed"
    with layout_files.changing(layouts_dir) as store:
        store.save(template)
    assert [t.name for t in layout_files.load(layouts_dir)] == ["Renamed"]
    (layouts_dir / "broken.json").write_text("{not json", encoding="utf-8")
    assert [t.id for t in layout_files.extract_kwargs(str(layouts_dir))["layouts"]] == [template.id]


def test_where_the_layouts_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(layout_files.LAYOUTS_DIR_ENV, str(tmp_path / "shared"))
    assert layout_files.layouts_dir("postgresql+psycopg://db/x") == tmp_path / "shared"
    monkeypatch.delenv(layout_files.LAYOUTS_DIR_ENV)
    assert layout_files.layouts_dir(f"sqlite:///{tmp_path}/db/medextract.db") == tmp_path / "db" / "layouts"
    monkeypatch.setenv("MEDEXTRACT_DATA_DIR", str(tmp_path / "data"))
    assert layout_files.layouts_dir("postgresql+psycopg://db/x") == tmp_path / "data" / "layouts"


def _job_context(ctx: Context, engine: PadEngine) -> Any:
    runners: queue.Queue[engine_runner.Runner] = queue.Queue()
    runners.put(engine_runner.InProcess(engine, ()))
    return SimpleNamespace(additional_context={tasks.STATE: tasks.WorkerState(ctx, runners)})


def test_the_procrastinate_task_learns_once_and_a_held_task_is_retried(
    ctx: Context, clock: FakeClock, layouts_dir: Path
) -> None:
    engine = PadEngine({"ann.png": ANN})
    (doc_id,) = _upload(ctx, engine, "ann.png")
    _verify(ctx, doc_id, ANN)
    (job,) = _jobs(ctx)
    held = learning_jobs.claim_job(ctx, job.id)  # a worker that died holding it
    assert held is not None
    with pytest.raises(tasks.LeaseHeld):  # procrastinate retries it after a lease
        tasks.learn_layout(_job_context(ctx, engine), job.id)
    clock.advance(hours=1)  # its lease expired
    tasks.learn_layout(_job_context(ctx, engine), job.id)
    assert [t.documents_seen for t in layout_files.load(layouts_dir)] == [1]
    assert not learning_jobs.finish(ctx, held, None)  # the dead worker's lease is no longer good
    tasks.learn_layout(_job_context(ctx, engine), job.id)  # a duplicate job: nothing to do
    assert [t.documents_seen for t in layout_files.load(layouts_dir)] == [1]


@pytest.mark.postgres
def test_a_verify_defers_one_learning_job_on_postgresql_in_its_transaction(postgres_base_url: str) -> None:
    from tests.pg import create_database
    from tests.test_store_support import CAST, CATALOG, add_people

    ctx = Context.open(create_database(postgres_base_url, f"l_{uuid.uuid4().hex[:12]}"), catalog=CATALOG)
    try:
        add_people(ctx, CAST)
        engine = PadEngine({"ann.png": ANN})
        (doc_id,) = _upload(ctx, engine, "ann.png")
        _verify(ctx, doc_id, ANN)
        (job,) = _jobs(ctx)
        with ctx.engine.connect() as conn:
            deferred = conn.exec_driver_sql(
                "SELECT task_name, args->>'job_id', priority, queue_name"
                " FROM procrastinate.procrastinate_jobs WHERE task_name = 'learn_layout'"
            ).all()
        assert [tuple(row) for row in deferred] == [("learn_layout", str(job.id), -10, "extraction")]
    finally:
        ctx.close()


@pytest.mark.usefixtures("needs_ocr")
def test_the_real_engine_in_its_sandbox_learns_a_form_and_reads_the_next_copy_with_it(
    tmp_path: Path, layouts_dir: Path
) -> None:
    """Through the sandboxes as deployed: extraction offers the folder's layouts, learning reads
    the verified document again in the child process and stores only the form."""
    from docgen import generate, write_document
    from tests.test_store_support import CAST, FAST_HASHER, add_people

    ctx = Context.open(f"sqlite:///{tmp_path / 'real.db'}", hasher=FAST_HASHER)  # the engine's catalog
    try:
        add_people(ctx, CAST)
        truths = []
        for seed in (1, 2):
            doc = generate(
                seed, "prescription", "scan", family="rx_letterhead", form=5, fonts="tuning", hand_rate=0
            )
            write_document(doc, tmp_path / f"rx{seed}.pdf", "pdf")
            truths.append(doc.truth)
        first = upload.add_upload(ctx, "rx1.pdf", (tmp_path / "rx1.pdf").read_bytes(), uploader="uma")
        processing.process_pending(ctx)
        view = review.start_review(ctx, first.document_id, user="uma")
        flagged = [name for name, f in view.fields.items() if f.needs_review]
        assert review.verify(
            ctx, first.document_id, truths[0], user="uma", expected_version=view.version, confirmed=flagged
        ).ok
        assert learning.process_pending(ctx) == 1
        (template,) = layout_files.load(layouts_dir)
        assert template.taught_by == "uma" and len(template.fields) >= 5
        assert truths[0]["patient_name"] not in (layouts_dir / f"{template.id}.json").read_text(
            encoding="utf-8"
        )
        second = upload.add_upload(ctx, "rx2.pdf", (tmp_path / "rx2.pdf").read_bytes(), uploader="uma")
        processing.process_pending(ctx)
        used = layouts.layout_used(ctx, second.document_id, user="uma")
        assert used is not None and used.layout_id == template.id and used.match >= 0.5
    finally:
        ctx.close()
