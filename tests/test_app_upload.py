"""The Upload page in AppTest: many files, forced type, duplicates, progress lines, Review now."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import ui_state
from medextract.services import queue, upload
from tests.app_support import app, fake_extract, open_context, process, texts

PNG = "image/png"


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def files(*names: str) -> list[tuple[str, bytes, str]]:
    """Uploader entries with distinct content per name (PNG's signature first: intake checks it)."""
    return [(name, b"\x89PNG\r\n\x1a\n" + f"fake image {name}".encode(), PNG) for name in names]


def send(at: Any, entries: list[tuple[str, bytes, str]]) -> Any:
    at.file_uploader(key="upload_files").set_value(entries).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_uploader_takes_many_files_of_the_supported_types(ctx: Any) -> None:
    uploader = app().file_uploader(key="upload_files")
    assert uploader.accept_multiple_files
    assert {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff"} <= set(uploader.allowed_type)


def test_each_file_is_queued_once_and_shown_while_waiting(ctx: Any) -> None:
    at = send(app(), files("a.png", "b.png"))
    docs = queue.documents(ctx, user="clerk")
    assert [d.filename for d in docs] == ["a.png", "b.png"]
    assert all(d.status == "queued" and d.uploader == "clerk" for d in docs)
    assert [i.value for i in at.info] == ["a\\.png: queued…", "b\\.png: queued…"]
    # Reruns (the polling fragment, any widget) never send the same file again.
    at.run()
    assert len(queue.documents(ctx, user="clerk")) == 2


def test_finished_documents_get_review_now_and_failures_their_message(ctx: Any) -> None:
    at = send(app(), files("good.png"))
    process(ctx, fake_extract())
    send(at, files("good.png", "bad.png"))
    process(ctx, fake_extract(fail="the file is not a PDF or an image"))
    at.run()
    good, bad = queue.documents(ctx, user="clerk")
    assert [s.value for s in at.success] == ["good\\.png: waiting for review (Prescription)"]
    assert [e.value for e in at.error] == ["bad\\.png: extraction failed: the file is not a PDF or an image"]
    assert not [b for b in at.button if b.key == f"upload_review_{bad.id}"]
    at.button(key=f"upload_review_{good.id}").click().run()
    assert at.session_state["review_doc_id"] == good.id
    assert f"Review #{good.id}" in texts(at)


def test_duplicates_are_reported_not_queued_again(ctx: Any) -> None:
    [(_, data, _)] = files("a.png")
    send(app(), files("a.png"))
    outcome = upload.add_upload(ctx, "copy-of-a.png", data, uploader="clerk")
    assert not outcome.accepted
    at = send(app(), [("copy-of-a.png", data, PNG)])
    assert len(queue.documents(ctx, user="clerk")) == 1
    assert len(at.warning) == 1
    assert at.warning[0].value == ui_state.escape_markdown(f"copy-of-a.png: duplicate. {outcome.message}")


def test_a_forced_type_reaches_the_engine(ctx: Any) -> None:
    at = app()
    at.selectbox(key="upload_type").select("patient_details").run()
    send(at, files("record.png"))
    seen: list[str] = []
    engine = fake_extract(doc_type="patient_details", values={})

    def spy(source: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get("doc_type", "auto"))
        return engine(source, **kwargs)

    process(ctx, spy)
    assert seen == ["patient_details"]
    assert queue.documents(ctx, user="clerk")[0].doc_type == "patient_details"


def test_clear_list_hides_the_lines_without_sending_files_again(ctx: Any) -> None:
    at = send(app(), files("a.png"))
    at.button(key="upload_clear").click().run()
    assert not at.info
    assert not at.warning
    assert len(queue.documents(ctx, user="clerk")) == 1
