"""Bad input through the path the Upload page uses: ``upload.intake`` then the worker (real engine).

Each case: a clear message naming the file and the problem, the rest of the batch goes on, nothing
half-stored. Cheap checks refuse at upload (no row at all); expensive ones end "failed" with the
engine's message, bytes kept, re-queueable. The last test prints the tally: inputs, crashes, lost.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from extraction import Options, extract
from medextract import engine_runner, intake, processing
from medextract.models import Document, FieldExtraction, PageImage
from medextract.services import documents, queue, review, upload
from medextract.services.context import Context
from tests.app_support import _unique_png
from tests.conftest import REPO, require, without_tesseract
from tests.test_load import encrypt_pdf, huge_blank_png, pdf_bytes, zero_page_pdf
from tests.test_store_support import CAST, add_people

TALLY = {"inputs": 0, "generated": 0, "crashes": 0, "lost": 0}
GOOD_PNG = _unique_png("good", 0)


@dataclass(frozen=True)
class Case:
    """One bad input: its name and bytes (built lazily), and what must happen to it."""

    filename: str
    make: Callable[[Path], bytes]
    outcome: str  # "refused" (at upload) or "failed" (in the worker)
    message: str  # a regex the message must match (the file's name is checked separately)


def _truncated_pdf(_: Path) -> bytes:
    data = pdf_bytes(2)
    return data[: len(data) // 2]


def deep_png(width: int, height: int) -> bytes:
    """A 16-bit grayscale PNG (a few KB): the engine would scale it in float64, 17 bytes a pixel."""
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("I;16", (width, height), 40000).save(out, format="PNG")
    return out.getvalue()


def _truncated_png(_: Path) -> bytes:
    return GOOD_PNG[: len(GOOD_PNG) // 2]


CASES = {
    "empty": Case("empty.pdf", lambda _: b"", "refused", r"is empty \(0 bytes\)"),
    "text named .pdf": Case("notes.pdf", lambda _: b"just some text\n" * 20, "refused", "not a PDF, PNG"),
    "exe named .png": Case("photo.png", lambda _: b"MZ\x90\x00" + bytes(300), "refused", "not a PDF, PNG"),
    "html named .jpg": Case(
        "scan.jpg", lambda _: b"<html><script>alert(1)</script></html>", "refused", "not a PDF, PNG"
    ),
    "over the byte limit": Case(
        "big scan.pdf",
        lambda _: b"%PDF-1.4\n" + bytes(3 * 1024 * 1024),
        "refused",
        r"3\.0 MB; the limit is 2\.0 MB",
    ),
    # A PDF must parse before it is stored (pdfinfo at upload): these never take a row or a worker.
    "truncated pdf": Case("cut.pdf", _truncated_pdf, "refused", "damaged or incomplete"),
    "garbage after %PDF": Case("junk.pdf", lambda _: b"%PDF-1.7\n" + os.urandom(2000), "refused", "damaged"),
    "password-protected pdf": Case(
        "locked.pdf", lambda tmp: encrypt_pdf(tmp, "user-secret"), "refused", "password-protected"
    ),
    "zero-page pdf": Case("nothing.pdf", lambda _: zero_page_pdf(), "refused", "no pages"),
    "hundreds of pages": Case(
        "book.pdf", lambda _: pdf_bytes(300, (60, 80)), "refused", "300 pages; the limit is 50"
    ),
    "decompression bomb": Case(
        "bomb.png", lambda _: huge_blank_png(20_000, 20_000), "refused", r"20000x20000 pixels|too large"
    ),
    "16-bit image": Case("deep.png", lambda _: deep_png(3000, 2000), "refused", "16 or 32 bits per sample"),
    "truncated png": Case("half.png", _truncated_png, "failed", "damaged or incomplete"),
}


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv(intake.MAX_UPLOAD_MB_ENV, "2")
    opened = Context.open(f"sqlite:///{tmp_path / 'medextract.db'}")
    add_people(opened, CAST)
    yield opened
    opened.close()


@pytest.fixture
def tools() -> None:
    require(shutil.which("pdfinfo") is not None, "poppler-utils is not installed")


def run_batch(ctx: Context, batch: list[tuple[str, bytes]], extract_fn: Any = None) -> list[Any]:
    """Upload every file as the Upload page does, then run the worker; counts crashes and losses."""
    outcomes = []
    for name, data in batch:
        TALLY["inputs"] += 1
        try:
            outcomes.append(upload.intake(ctx, name, data, uploader="uma"))
        except Exception:  # the page would show a traceback: a crash
            TALLY["crashes"] += 1
            raise
    try:
        processing.process_pending(ctx, extract_fn=extract_fn)
    except Exception:
        TALLY["crashes"] += 1
        raise
    for (_, data), outcome in zip(batch, outcomes, strict=True):
        if outcome.accepted and not stored_intact(ctx, outcome.document_id, data):
            TALLY["lost"] += 1
    crashed = [d for d in queue.documents(ctx, user="uma") if "Unexpected error" in (d.error or "")]
    TALLY["crashes"] += len(crashed)
    assert not crashed, [d.error for d in crashed]
    return outcomes


def stored_intact(ctx: Context, doc_id: int, data: bytes) -> bool:
    with ctx.engine.connect() as conn:
        sha = conn.execute(select(Document.sha256).where(Document.id == doc_id)).scalar()
    return sha == hashlib.sha256(data).hexdigest()


def results_of(ctx: Context, doc_id: int) -> tuple[int, int]:
    """(field rows, page images) stored for one document."""
    with ctx.engine.connect() as conn:
        fields = conn.execute(select(FieldExtraction.id).where(FieldExtraction.document_id == doc_id)).all()
        pages = conn.execute(select(PageImage.id).where(PageImage.document_id == doc_id)).all()
    return len(fields), len(pages)


@pytest.mark.parametrize("case_id", list(CASES))
def test_bad_input_is_refused_or_failed_with_its_message_and_the_batch_goes_on(
    case_id: str, ctx: Context, tools: None, tmp_path: Path
) -> None:
    case = CASES[case_id]
    good_fn = "good.png"
    outcomes = run_batch(ctx, [(case.filename, case.make(tmp_path)), (good_fn, GOOD_PNG)], fake_then_real())
    bad, good = outcomes
    assert good.accepted and documents.get(ctx, good.document_id, user="uma").status == "extracted"
    if case.outcome == "refused":
        assert not bad.accepted and bad.document_id is None
        assert bad.message.startswith(case.filename) and re.search(case.message, bad.message), bad.message
        assert [d.filename for d in queue.documents(ctx, user="uma")] == [good_fn]  # nothing half-stored
    else:
        assert bad.accepted
        doc = documents.get(ctx, bad.document_id, user="uma")
        assert doc.status == "failed" and re.search(case.message, doc.error or ""), doc.error
        assert results_of(ctx, doc.id) == (0, 0)  # no partial record
        summary = next(d for d in queue.documents(ctx, user="uma") if d.id == doc.id)
        assert summary.filename == case.filename and summary.error == doc.error  # shown together


def fake_then_real() -> Callable[..., Any]:
    """The real engine, except for the good file, which a fake reads (no OCR: fast, no tesseract)."""
    from tests.app_support import fake_extract

    real = engine_runner.default_extract()
    fake = fake_extract()

    def extract_fn(data: bytes, **kwargs: Any) -> Any:
        return fake(data, **kwargs) if data == GOOD_PNG else real(data, **kwargs)

    return extract_fn


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("Rezept für Müller 処方箋.png", "Rezept für Müller 処方箋.png"),
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\ann\\scans\\rx 1.png", "rx 1.png"),
        ("<img src=x onerror=alert(1)> :red[x] $$.png", "<img src=x onerror=alert(1)> :red[x] $$.png"),
        ("bad\x00name\n.png", "badname.png"),
        ("..", "unnamed"),
        ("", "unnamed"),
    ],
)
def test_file_names_are_kept_as_text_without_directories(ctx: Context, sent: str, stored: str) -> None:
    TALLY["inputs"] += 1
    outcome = upload.intake(ctx, sent, _unique_png(sent, 7), uploader="uma")
    assert outcome.accepted, outcome.message
    name = documents.get(ctx, outcome.document_id, user="uma").filename
    assert name == stored and "/" not in name and "\\" not in name
    assert stored_intact(ctx, outcome.document_id, _unique_png(sent, 7))


def test_the_same_document_twice_is_reported_as_a_duplicate_not_queued_again(ctx: Context) -> None:
    data = _unique_png("twice", 1)
    first, second = run_batch(ctx, [("a.png", data), ("copy of a.png", data)], fake_then_real())
    assert first.accepted and not second.accepted and second.duplicate_of == first.document_id
    assert second.message.startswith("copy of a.png: duplicate") and "already uploaded" in second.message
    assert len(queue.documents(ctx, user="uma")) == 1


def test_the_byte_limit_defaults_to_the_uploaders_and_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    monkeypatch.delenv(intake.MAX_UPLOAD_MB_ENV, raising=False)
    assert intake.max_upload_bytes() == config["server"]["maxUploadSize"] * 1024 * 1024
    monkeypatch.setenv(intake.MAX_UPLOAD_MB_ENV, "0.5")
    assert intake.max_upload_bytes() == 512 * 1024
    for bad in ("lots", "-1", "0"):
        monkeypatch.setenv(intake.MAX_UPLOAD_MB_ENV, bad)
        assert intake.max_upload_bytes() == 50 * 1024 * 1024


def test_the_page_limit_comes_from_the_environment_at_extraction_time(
    ctx: Context, tools: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDEXTRACT_MAX_PAGES", "2")
    [outcome] = run_batch(ctx, [("three.pdf", pdf_bytes(3, (60, 80)))])
    assert not outcome.accepted and "3 pages; the limit is 2" in outcome.message  # refused at upload
    monkeypatch.setenv("MEDEXTRACT_MAX_PAGE_PIXELS", "1000")
    [outcome] = run_batch(ctx, [("wide.png", _unique_png("wide", 3))])
    assert not outcome.accepted and "limit of 1,000" in outcome.message


@pytest.mark.parametrize("tool", ["tesseract", "poppler"])
def test_a_missing_tool_fails_the_document_with_what_to_install_and_it_can_be_requeued(
    tool: str, ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    data = pdf_bytes(1) if tool == "poppler" else _unique_png("needs-ocr", 1)
    with monkeypatch.context() as patched:
        if tool == "poppler":
            patched.setenv("PATH", str(empty))
        else:
            without_tesseract(patched, tmp_path / "shadow")
        [outcome] = run_batch(ctx, [(f"scan by {tool}", data)])
    doc = documents.get(ctx, outcome.document_id, user="uma")
    hint = "poppler-utils" if tool == "poppler" else "tesseract-ocr"
    assert doc.status == "failed" and f"{tool} is not installed" in (doc.error or "") and hint in doc.error
    review.reextract(ctx, doc.id, doc_type=None, user="uma")
    assert (
        documents.get(ctx, doc.id, user="uma").status == "queued"
    )  # back in the queue once the tool is installed


def test_a_tool_that_hangs_fails_the_document_with_a_timeout(
    ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for program in ("pdfinfo", "pdftoppm", "pdfimages"):
        script = bin_dir / program
        script.write_text("#!/bin/sh\nexec sleep 30\n")
        script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    slow_tools = functools.partial(extract, options=Options(poppler_timeout=0.3))
    [outcome] = run_batch(ctx, [("slow.pdf", pdf_bytes(1))], slow_tools)
    doc = documents.get(ctx, outcome.document_id, user="uma")
    assert doc.status == "failed" and "pdfinfo did not finish within 0.3 seconds" in (doc.error or "")


@settings(max_examples=150, deadline=None)
@given(name=st.text(max_size=300))
def test_any_file_name_becomes_a_short_name_without_directories_or_control_characters(name: str) -> None:
    shown = intake.display_name(name)
    assert shown and len(shown) <= intake.MAX_NAME_CHARS
    assert not re.search(r"[/\\\x00-\x1f\x7f]", shown)
    assert shown == intake.display_name(shown)  # stable: storing it again keeps it


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=64), name=st.text(max_size=20))
def test_the_cheap_checks_never_raise_and_name_the_file(data: bytes, name: str) -> None:
    shown = intake.display_name(name)
    refusal = intake.check_upload(shown, data, max_bytes=32)
    TALLY["generated"] += 1
    if refusal is not None:
        assert refusal.message.startswith(shown)
    else:
        assert data and len(data) <= 32 and intake.looks_like_document(data)


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=40))
def test_ocr_text_never_breaks_the_date_and_line_parsers(text: str) -> None:
    from extraction.normalize import clean_line
    from extraction.validate import parse_date

    cleaned = clean_line(text)
    assert isinstance(cleaned, str) and cleaned == cleaned.strip()
    parsed = parse_date(text)
    assert parsed is None or 1900 <= parsed.year <= 2100


def test_zz_summary_no_crashes_and_no_records_lost(capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last (file order): the tally of every input the suite tried."""
    with capsys.disabled():
        print(
            f"\nbad-input suite: {TALLY['inputs']} files through intake + worker "
            f"(+{TALLY['generated']} generated byte strings through the upload checks), "
            f"{TALLY['crashes']} crashes, {TALLY['lost']} records lost"
        )
    assert TALLY["crashes"] == 0 and TALLY["lost"] == 0
