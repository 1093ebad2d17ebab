"""POST /v1/extract reads with the learned layouts, as the worker does, and says which one fitted
(issue 10): a fake engine in this process, then the real engine in the API's sandboxes."""

from __future__ import annotations

from pathlib import Path

import pytest

from extraction.doctypes import get_document_type
from extraction.layouts import TemplateStore, learn_layout
from medextract import layouts as layout_files
from medextract.services.context import Context
from tests.api_support import Api, serve
from tests.test_layouts import engine_reading, pad
from tests.test_learned_layouts import ANN, TOM, PadEngine, _png


@pytest.fixture
def layouts_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "learned"
    monkeypatch.setenv(layout_files.LAYOUTS_DIR_ENV, str(folder))
    return folder


def _post(api: Api, name: str, data: bytes, mime: str = "image/png"):  # type: ignore[no-untyped-def]
    return api.post("/v1/extract", files={"file": (name, data, mime)}, headers=api.as_("uma"))


def test_the_answer_names_the_learned_layout_the_file_was_read_with(ctx: Context, layouts_dir: Path) -> None:
    engine = PadEngine({"tom.png": TOM})
    with serve(ctx, extract_fn=engine) as api:
        before = _post(api, "tom.png", _png("tom"))
        template = learn_layout(engine_reading(pad(ANN), ANN), get_document_type("prescription"), ANN)
        TemplateStore(layouts_dir).save(template)
        after = _post(api, "tom.png", _png("tom"))
    assert before.status_code == 200, before.text
    assert before.json()["layout"] is None  # no layout learned yet: read the generic way
    assert engine.calls[0] == ("tom.png", "auto", 0)
    assert after.status_code == 200, after.text
    assert after.json()["layout"]["id"] == template.id
    assert 0.5 <= after.json()["layout"]["match"] <= 1.0
    assert engine.calls[1] == ("tom.png", "auto", 1)  # the folder's layouts were offered
    assert after.json()["fields"]["patient_name"]["value"] == TOM["patient_name"]


@pytest.mark.usefixtures("needs_ocr")
def test_the_real_engine_in_the_apis_sandboxes_reads_with_the_layout_in_the_folder(
    ctx: Context, tmp_path: Path, layouts_dir: Path
) -> None:
    """A layout learned from one copy of a generated form; another copy, sent to the API, is read
    with it in the sandbox (the child is given the folder, as the worker's are)."""
    from docgen import generate, write_document
    from extraction import extract

    copies = []
    for seed in (1, 2):
        doc = generate(
            seed, "prescription", "scan", family="rx_letterhead", form=5, fonts="tuning", hand_rate=0
        )
        write_document(doc, tmp_path / f"rx{seed}.pdf", "pdf")
        copies.append(doc)
    reading = extract(str(tmp_path / "rx1.pdf"), doc_type="prescription")
    template = learn_layout(reading, get_document_type("prescription"), copies[0].truth, taught_by="uma")
    TemplateStore(layouts_dir).save(template)
    with serve(ctx, engine_slots=1) as api:
        answer = _post(api, "rx2.pdf", (tmp_path / "rx2.pdf").read_bytes(), "application/pdf")
    assert answer.status_code == 200, answer.text
    assert answer.json()["document_type"] == "prescription"
    assert answer.json()["layout"]["id"] == template.id
    assert answer.json()["layout"]["match"] >= 0.5
