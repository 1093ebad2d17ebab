"""The CLI contract (extraction/cli.py): with --json one JSON object per line per file, in input
order, with fixed keys; a failing file prints {"file", "error"} and the rest still run; exit code
0 when all succeed, 1 if any failed, 2 for bad arguments. extract() is faked except in the
subprocess tests, which run the real ``python -m extraction``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw, ImageFont

from extraction import ExtractionResult, FieldResult, UnreadableDocumentError, cli
from extraction.doctypes import document_types
from tests.conftest import REPO

RECORD_KEYS = {"file", "document_type", "type_confidence", "pages", "dpi", "fields", "seconds"}
FIELD_KEYS = {"value", "confidence", "needs_review", "reason", "page", "box"}


def fake_result(name: str) -> ExtractionResult:
    """A real ExtractionResult, different per file so order can be checked."""
    return ExtractionResult(
        document_type="prescription",
        type_confidence=0.91234,
        pages=1,
        dpi=300,
        fields={
            "patient_name": FieldResult(name, 0.9612, False, None, 0, (10, 20, 300, 60)),
            "refills": FieldResult("", 0.0, True, "not found on the page", 0, None),
        },
        seconds=1.23456,
    )


class FakeExtract:
    """Stands in for extraction.cli.extract: records calls, fails for the files it is told to."""

    def __init__(self, failures: dict[str, Exception] | None = None) -> None:
        self.failures = failures or {}
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, source: str, **kwargs: Any) -> ExtractionResult:
        self.calls.append((source, kwargs))
        if source in self.failures:
            raise self.failures[source]
        return fake_result(f"Patient of {source}")


def run_cli(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], fake: FakeExtract | None = None
) -> tuple[int, list[str], FakeExtract]:
    fake = fake or FakeExtract()
    monkeypatch.setattr(cli, "extract", fake)
    out = io.StringIO()
    code = cli.main(argv, out=out)
    return code, out.getvalue().splitlines(), fake


# ---------------------------------------------------------------- --json records


def test_json_prints_one_record_per_file_in_input_order(monkeypatch: pytest.MonkeyPatch) -> None:
    files = ["c.pdf", "a.png", "b.jpg"]
    code, lines, _ = run_cli(monkeypatch, ["--json", *files])
    assert code == 0
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == files
    assert [r["fields"]["patient_name"]["value"] for r in records] == [f"Patient of {f}" for f in files]


def test_json_record_has_exactly_the_contract_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    _, lines, _ = run_cli(monkeypatch, ["--json", "scan.pdf"])
    (record,) = [json.loads(line) for line in lines]
    assert set(record) == RECORD_KEYS
    assert set(record["fields"]) == {"patient_name", "refills"}
    assert all(set(evidence) == FIELD_KEYS for evidence in record["fields"].values())


def test_json_field_evidence_values_and_types(monkeypatch: pytest.MonkeyPatch) -> None:
    _, lines, _ = run_cli(monkeypatch, ["--json", "scan.pdf"])
    record = json.loads(lines[0])
    assert record["document_type"] == "prescription"
    assert record["type_confidence"] == 0.912
    assert (record["pages"], record["dpi"], record["seconds"]) == (1, 300, 1.235)
    assert record["fields"]["patient_name"] == {
        "value": "Patient of scan.pdf",
        "confidence": 0.961,
        "needs_review": False,
        "reason": None,
        "page": 0,
        "box": [10, 20, 300, 60],
    }
    assert record["fields"]["refills"]["box"] is None
    assert record["fields"]["refills"]["reason"] == "not found on the page"


def test_json_keeps_non_ascii_readable(monkeypatch: pytest.MonkeyPatch) -> None:
    _, lines, _ = run_cli(monkeypatch, ["--json", "Tomás.pdf"])
    assert "Tomás" in lines[0]
    assert json.loads(lines[0])["file"] == "Tomás.pdf"


# ---------------------------------------------------------------- failures


def test_failing_file_prints_file_and_error_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeExtract({"bad.pdf": UnreadableDocumentError("This PDF is password-protected.")})
    code, lines, _ = run_cli(monkeypatch, ["--json", "a.pdf", "bad.pdf", "c.pdf"], fake)
    records = [json.loads(line) for line in lines]
    assert code == 1
    assert [r["file"] for r in records] == ["a.pdf", "bad.pdf", "c.pdf"]
    assert records[1] == {"file": "bad.pdf", "error": "This PDF is password-protected."}
    assert set(records[0]) == set(records[2]) == RECORD_KEYS


def test_unexpected_crash_in_one_file_is_reported_and_does_not_stop_the_batch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = FakeExtract({"a.pdf": ZeroDivisionError("division by zero")})
    code, lines, _ = run_cli(monkeypatch, ["--json", "a.pdf", "b.pdf"], fake)
    first, second = (json.loads(line) for line in lines)
    assert code == 1
    assert set(first) == {"file", "error"}
    assert "ZeroDivisionError" in first["error"]
    assert second["file"] == "b.pdf"
    assert "error" not in second


def test_exit_code_is_zero_when_every_file_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    code, lines, _ = run_cli(monkeypatch, ["--json", "a.pdf", "b.pdf"])
    assert code == 0
    assert len(lines) == 2


def test_exit_code_is_one_when_the_only_file_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeExtract({"a.pdf": UnreadableDocumentError("empty")})
    code, lines, _ = run_cli(monkeypatch, ["--json", "a.pdf"], fake)
    assert code == 1
    assert json.loads(lines[0]) == {"file": "a.pdf", "error": "empty"}


# ---------------------------------------------------------------- arguments


def test_type_defaults_to_auto_and_path_is_passed_as_filename(monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, fake = run_cli(monkeypatch, ["--json", "a.pdf"])
    options = cli.engine_threads(1)  # one file: every core
    assert fake.calls == [
        ("a.pdf", {"doc_type": "auto", "filename": "a.pdf", "layouts": None, "options": options})
    ]


@pytest.mark.parametrize("doc_type", sorted(document_types()))
def test_type_option_forces_a_known_type(monkeypatch: pytest.MonkeyPatch, doc_type: str) -> None:
    _, _, fake = run_cli(monkeypatch, ["--type", doc_type, "--json", "a.pdf"])
    assert fake.calls[0][1]["doc_type"] == doc_type


@pytest.mark.parametrize(
    "argv", [["--type", "nonsense", "a.pdf"], [], ["--json"], ["--colour", "a.pdf"]], ids=str
)
def test_bad_arguments_exit_with_code_two(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    fake = FakeExtract()
    with pytest.raises(SystemExit) as caught:
        run_cli(monkeypatch, argv, fake)
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err
    assert fake.calls == []


def test_unknown_type_error_lists_the_choices(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit):
        run_cli(monkeypatch, ["--type", "nonsense", "a.pdf"])
    err = capsys.readouterr().err
    assert "invalid choice: 'nonsense'" in err
    assert all(name in err for name in document_types())


# ---------------------------------------------------------------- table output


def test_table_marks_fields_to_check_and_shows_reasons(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeExtract({"bad.pdf": UnreadableDocumentError("The file is empty (0 bytes).")})
    code, lines, _ = run_cli(monkeypatch, ["a.pdf", "bad.pdf"], fake)
    assert code == 1
    assert lines[0].startswith("a.pdf: prescription (confidence 0.91), 1 page(s)")
    name_row = next(line for line in lines if "patient_name" in line)
    refills_row = next(line for line in lines if "refills" in line)
    assert name_row.lstrip().startswith("patient_name")  # no "!" mark
    assert "Patient of a.pdf" in name_row
    assert refills_row.lstrip().startswith("! refills")
    assert "(blank)" in refills_row
    assert "<- not found on the page" in refills_row
    assert lines[-1] == "bad.pdf: ERROR The file is empty (0 bytes)."


# ---------------------------------------------------------------- the real program


def run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extraction", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_real_cli_reports_a_missing_file_as_json_error_and_exits_one(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.pdf"
    result = run_module("--json", str(missing))
    assert result.returncode == 1, result.stderr
    record = json.loads(result.stdout)
    assert record["file"] == str(missing)
    assert "does not exist" in record["error"]


def test_real_cli_exits_two_for_an_unknown_type(tmp_path: Path) -> None:
    result = run_module("--type", "nonsense", str(tmp_path / "a.pdf"))
    assert result.returncode == 2
    assert result.stdout == ""


def text_page_png(path: Path) -> None:
    """A small page of printed text, enough for tesseract to read something."""
    page = Image.new("L", (1275, 700), 255)
    draw = ImageDraw.Draw(page)
    try:
        font: ImageFont.ImageFont | ImageFont.FreeTypeFont = ImageFont.truetype("DejaVuSans.ttf", 34)
    except OSError:
        font = ImageFont.load_default(size=34)
    lines = ["Patient Medical Record", "Patient name: Kathy Crawford", "Weight: 95", "Allergies: Peanuts"]
    for number, text in enumerate(lines):
        draw.text((90, 90 + 110 * number), text, fill=0, font=font)
    page.save(path, dpi=(150, 150))


@pytest.mark.ocr
def test_real_cli_reads_a_generated_png(needs_ocr: None, tmp_path: Path) -> None:
    image = tmp_path / "page.png"
    text_page_png(image)
    result = run_module("--json", str(image))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert set(record) == RECORD_KEYS
    assert record["file"] == str(image)
    assert record["document_type"] in {"unknown", *document_types()}
    assert record["pages"] == 1
    assert all(set(evidence) == FIELD_KEYS for evidence in record["fields"].values())


def test_a_broken_layout_file_is_named_and_the_files_are_still_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    code, lines, fake = run_cli(monkeypatch, ["--json", "--jobs", "1", "--templates", str(tmp_path), "a.pdf"])
    assert code == 0 and len(lines) == 1
    assert fake.calls[0][1]["layouts"] == []
    assert "broken.json" in capsys.readouterr().err
