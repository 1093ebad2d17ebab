"""POST /v1/extract: the engine's JSON for one file, nothing stored; refusals and engine errors."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from extraction import (
    DocumentTooLargeError,
    MissingDependencyError,
    ToolTimeoutError,
    UnreadableDocumentError,
)
from extraction.cli import run_file
from medextract.models import Document
from medextract.sandbox import Budget
from medextract.services import audit
from medextract.services.context import Context
from tests.api_support import Api, drawn_prescription, engine_result, fake_extract, png, serve
from tests.test_store_support import GOOD_PRESCRIPTION, SYSTEM

PNG_HEAD = b"\x89PNG\r\n\x1a\n"
COMMAND = b"\nengine:"  # after a PNG's last chunk: what budget_engine does with the file


def budget_engine(source: bytes, **_: Any) -> Any:
    """The sandboxes' engine here: ``sleep N``, ``hog N`` (MB), ``too-large``, ``bug TEXT``; else a
    prescription whose patient is the process that read it."""
    command, _, argument = source.rpartition(COMMAND)[2].decode(errors="replace").partition(" ")
    if command == "sleep":
        time.sleep(float(argument))
    elif command == "hog":
        hoard = bytearray(int(argument) * 1024 * 1024)
        hoard[-1] = 1
    elif command == "too-large":
        raise DocumentTooLargeError("The document has 80 pages; the limit is 50.")
    elif command == "bug":
        raise RuntimeError(argument)
    return engine_result({**GOOD_PRESCRIPTION, "patient_name": f"pid {os.getpid()}"})


def commanding(command: str) -> bytes:
    """A PNG that passes the upload checks and tells budget_engine what to do."""
    return png(command) + COMMAND + command.encode()


@pytest.fixture
def api(ctx: Context) -> Iterator[Api]:
    with serve(ctx, extract_fn=fake_extract()) as client:
        yield client


def documents(ctx: Context) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Document)).scalar_one())


def post(api: Api, name: str, data: bytes, who: str = "uma", **form: str):  # type: ignore[no-untyped-def]
    return api.post("/v1/extract", files={"file": (name, data, "image/png")}, data=form, headers=api.as_(who))


def test_the_engines_json_comes_back_and_nothing_is_stored(ctx: Context) -> None:
    engine = fake_extract()
    with serve(ctx, extract_fn=engine) as api:
        answer = post(api, "scans/rx.png", png("rx"), doc_type="prescription")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"file": "rx.png", **engine_result().to_dict(), "layout": None}
    assert list(answer.json()) == [
        "file",
        "document_type",
        "type_confidence",
        "pages",
        "dpi",
        "fields",
        "seconds",
        "layout",
    ]
    assert engine.calls == [(png("rx"), "prescription", "rx.png")]  # type: ignore[attr-defined]
    assert documents(ctx) == 0
    [read] = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "preview"]
    assert read.user == "uma" and json.loads(read.detail)["filename"] == "rx.png"


def test_files_the_upload_checks_refuse_never_reach_the_engine(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDEXTRACT_MAX_UPLOAD_MB", "0.01")
    engine = fake_extract()
    with serve(ctx, extract_fn=engine) as api:
        for name, data, form, status, code in [
            ("empty.png", b"", {}, 422, "empty_file"),
            ("notes.txt", b"plain text", {}, 415, "not_a_document"),
            ("huge.png", PNG_HEAD + b"0" * 20_000, {}, 413, "file_too_large"),
            ("rx.png", png("rx"), {"doc_type": "invoice"}, 422, "unknown_document_type"),
        ]:
            answer = post(api, name, data, **form)
            assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert engine.calls == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (UnreadableDocumentError("This PDF is encrypted; remove the password."), 422, "unreadable_document"),
        (DocumentTooLargeError("The document has 80 pages; the limit is 50."), 413, "document_too_large"),
        (MissingDependencyError("tesseract"), 503, "engine_unavailable"),
        (ToolTimeoutError("tesseract", 60), 422, "engine_timeout"),
    ],
)
def test_engine_errors_are_problems_with_the_engines_message(
    ctx: Context, error: Exception, status: int, code: str
) -> None:
    with serve(ctx, extract_fn=fake_extract(error)) as api:
        answer = post(api, "rx.png", png("rx"))
    assert (answer.status_code, answer.json()["code"], answer.json()["detail"]) == (status, code, str(error))


def test_an_unexpected_failure_is_a_500_problem_without_its_message_or_trace(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "John Smith DOB 1970-01-01"
    with serve(ctx, extract_fn=fake_extract(RuntimeError(secret))) as api, caplog.at_level(logging.INFO):
        answer = post(api, "rx.png", png("rx"))
    assert answer.status_code == 500
    body = answer.json()
    assert body["code"] == "internal_error" and body["request_id"] in body["detail"]
    assert secret not in answer.text and "Traceback" not in answer.text
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "unhandled RuntimeError" in logged and secret not in logged


def test_a_file_over_its_time_or_memory_budget_is_a_problem_and_the_api_goes_on(ctx: Context) -> None:
    budget = Budget(seconds=2, memory_mb=1000)
    with serve(ctx, engine=f"{__name__}:budget_engine", budget=budget, engine_slots=1) as api:
        started = time.monotonic()
        slow = post(api, "slow.png", commanding("sleep 120"))
        assert time.monotonic() - started < 30  # the budget's 2 s, plus starting the engine
        assert (slow.status_code, slow.json()["code"]) == (422, "engine_timeout"), slow.text
        assert slow.headers["content-type"] == "application/problem+json"
        assert "longer than 2 s" in slow.json()["detail"]

        hog = post(api, "hog.png", commanding("hog 4000"))
        assert (hog.status_code, hog.json()["code"]) == (422, "engine_out_of_memory"), hog.text
        assert "more than 1000 MB of memory" in hog.json()["detail"]

        fine = post(api, "fine.png", commanding("fine"))  # the same single slot, a new child
        assert api.get("/healthz").status_code == 200
    assert fine.status_code == 200, fine.text
    reader = fine.json()["fields"]["patient_name"]["value"]
    assert reader.startswith("pid ") and reader != f"pid {os.getpid()}"  # read in another process
    assert documents(ctx) == 0


def test_the_sandboxed_engines_errors_keep_their_codes_and_a_bug_names_nothing(
    ctx: Context, caplog: pytest.LogCaptureFixture
) -> None:
    secret = "John Smith DOB 1970-01-01"
    with serve(ctx, engine=f"{__name__}:budget_engine", engine_slots=1) as api, caplog.at_level(logging.INFO):
        large = post(api, "large.png", commanding("too-large"))
        bug = post(api, "bug.png", commanding(f"bug {secret}"))
    assert (large.status_code, large.json()["code"]) == (413, "document_too_large"), large.text
    assert large.json()["detail"] == "The document has 80 pages; the limit is 50."
    assert (bug.status_code, bug.json()["code"]) == (500, "internal_error"), bug.text
    assert bug.json()["request_id"] in bug.json()["detail"] and secret not in bug.text
    assert secret not in "\n".join(r.getMessage() for r in caplog.records)


@pytest.mark.ocr
def test_a_drawn_prescription_reads_as_the_cli_reads_it(ctx: Context, needs_ocr: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = drawn_prescription()
    path = tmp_path / "drawn.png"
    path.write_bytes(data)

    with serve(ctx) as api:  # the real engine
        answer = post(api, "drawn.png", data, doc_type="prescription")
    assert answer.status_code == 200, answer.text
    # as `--templates DIR` with no layout learned yet: "layout" is null
    body, cli = answer.json(), run_file(str(path), "prescription", layouts=[])
    assert cli["layout"] is None
    assert body.pop("seconds") > 0 and cli.pop("seconds") > 0
    assert body == {**cli, "file": "drawn.png"}
    assert body["fields"]["patient_name"]["value"] == "John Smith"
    assert documents(ctx) == 0
