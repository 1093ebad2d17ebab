"""The Learned layouts page and the review page's layout line, in AppTest (issue 10)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from extraction.doctypes import get_document_type
from extraction.layouts import LayoutTemplate, TemplateStore, learn_layout
from medextract.models import Document, LayoutJob
from medextract.services import audit
from tests.app_support import app, open_context, seed, texts
from tests.test_layouts import FIRST, engine_reading, pad
from tests.test_store_support import SYSTEM

LAYOUTS = "pages/layouts.py"
REVIEW = "pages/review.py"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.delenv("MEDEXTRACT_LAYOUTS_DIR", raising=False)  # beside the test's database
    return open_context(tmp_path, monkeypatch)


def shown(at: Any) -> str:
    """What the page says, its markdown escapes taken out."""
    return texts(at).replace("\\", "")


def learned(tmp_path: Path, name: str = "Riverside pad") -> LayoutTemplate:
    """One clinic's pad learned (as a worker would) into the folder the app uses."""
    template = learn_layout(
        engine_reading(pad(FIRST), FIRST), get_document_type("prescription"), FIRST, taught_by="uma"
    )
    template.name, template.documents_seen, template.fields_corrected = name, 5, 3
    TemplateStore(tmp_path / "layouts").save(template)
    return template


def test_a_clerk_cannot_open_the_page(ctx: Any, tmp_path: Path) -> None:
    learned(tmp_path)
    at = app(role="clerk")
    with pytest.raises(ValueError):  # not in a clerk's navigation
        at.switch_page(LAYOUTS)
    at = app(LAYOUTS, role="supervisor", user="sue")
    assert "Riverside pad" in at.dataframe[0].value["name"].tolist()


def test_the_page_lists_the_layouts_with_their_counts(ctx: Any, tmp_path: Path) -> None:
    template = learned(tmp_path)
    at = app(LAYOUTS, role="supervisor", user="sue")
    table = at.dataframe[0].value
    row = table.iloc[0]
    assert row["name"] == "Riverside pad" and row["document type"] == "prescription"
    assert (row["documents seen"], row["fields corrected"], row["taught by"]) == (5, 3, "uma")
    assert row["id"] == template.id
    assert "Maria" not in table.to_string()  # a layout holds no patient value


def test_no_layout_yet(ctx: Any) -> None:
    at = app(LAYOUTS, role="supervisor", user="sue")
    assert "No layout learned yet" in shown(at)


def test_rename_and_delete_through_the_page_are_audited(ctx: Any, tmp_path: Path) -> None:
    template = learned(tmp_path)
    at = app(LAYOUTS, role="supervisor", user="sue")
    at.text_input(key="layouts_new_name").set_value("Riverside Family Clinic Rx")
    at.button(key="layouts_rename").click().run()
    assert "Renamed: Riverside Family Clinic Rx." in shown(at)
    assert TemplateStore(tmp_path / "layouts").get(template.id).name == "Riverside Family Clinic Rx"  # type: ignore[union-attr]
    at.button(key="layouts_delete").click().run()
    assert "Tick the box" in shown(at)
    assert TemplateStore(tmp_path / "layouts").get(template.id) is not None
    at.checkbox(key="layouts_delete_sure").check().run()
    at.button(key="layouts_delete").click().run()
    assert "Deleted." in shown(at) and "No layout learned yet" in shown(at)
    assert TemplateStore(tmp_path / "layouts").all() == []
    actions = [(e.user, e.action) for e in audit.audit_log(ctx, user=SYSTEM)]
    assert ("sue", "layout_renamed") in actions and ("sue", "layout_deleted") in actions


def test_retrain_from_a_document_that_is_not_verified_is_refused_with_the_reason(
    ctx: Any, tmp_path: Path
) -> None:
    learned(tmp_path)
    [doc_id] = seed(ctx)
    at = app(LAYOUTS, role="supervisor", user="sue")
    at.number_input(key="layouts_retrain_doc").set_value(doc_id)
    at.button(key="layouts_retrain").click().run()
    assert f"Document {doc_id} is waiting for review" in shown(at)
    at.number_input(key="layouts_retrain_doc").set_value(9999)
    at.button(key="layouts_retrain").click().run()
    assert "Document 9999 does not exist." in shown(at)


def test_a_failed_learning_task_is_dismissed_on_the_page(ctx: Any) -> None:
    [doc_id] = seed(ctx)
    with ctx.write.begin() as session:
        session.add(
            LayoutJob(
                document_id=doc_id,
                kind="learn",
                requested_by="uma",
                requested_at=ctx.now(),
                status="failed",
                error="the scanner ate it",
            )
        )
    at = app(LAYOUTS, role="supervisor", user="sue")
    assert "the scanner ate it" in at.dataframe[0].value["why it failed"].tolist()
    at.button(key="layouts_dismiss").click().run()
    assert "Dismissed." in shown(at)
    assert [b for b in at.button if b.key == "layouts_dismiss"] == []  # nothing failed is left
    [event] = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "layout_task_dismissed"]
    assert (event.user, event.document_id) == ("sue", doc_id)


def test_the_review_page_names_the_learned_layout_a_document_was_read_with(ctx: Any, tmp_path: Path) -> None:
    template = learned(tmp_path)
    first, second = seed(ctx, 2)
    with ctx.write.begin() as session:
        session.execute(
            update(Document).where(Document.id == first).values(layout_id=template.id, layout_match=0.874)
        )
    at = app(REVIEW, review_doc_id=first)
    assert "Read with learned layout Riverside pad (match 0.87)" in shown(at)
    at = app(REVIEW, review_doc_id=second)
    assert "Read with learned layout" not in shown(at)


def test_a_supervisor_retrains_the_layout_from_a_verified_document_on_the_review_page(
    ctx: Any, tmp_path: Path
) -> None:
    template = learned(tmp_path)
    verified, waiting = seed(ctx, 2)
    with ctx.write.begin() as session:
        session.execute(
            update(Document)
            .where(Document.id.in_((verified, waiting)))
            .values(layout_id=template.id, layout_match=0.91)
        )
        session.execute(update(Document).where(Document.id == verified).values(status="verified"))
    button = "review_layout_retrain"
    at = app(REVIEW, role="clerk", review_doc_id=verified)
    assert "Read with learned layout Riverside pad" in shown(at)
    assert [b for b in at.button if b.key == button] == []  # clerks do not retrain
    at = app(REVIEW, role="supervisor", user="sue", review_doc_id=waiting)
    assert [b for b in at.button if b.key == button] == []  # not verified
    at = app(REVIEW, role="supervisor", user="sue", review_doc_id=verified)
    at.button(key=button).click().run()
    assert f"Document {verified} is queued: the layout is retrained" in shown(at)
    with ctx.read() as session:
        [job] = session.execute(select(LayoutJob)).scalars()
    assert (job.document_id, job.kind, job.layout_id, job.requested_by) == (
        verified,
        "retrain",
        template.id,
        "sue",
    )
    [event] = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "layout_retrain"]
    assert (event.user, event.document_id) == ("sue", verified)
