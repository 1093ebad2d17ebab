"""The command line in bulk: folders and lists of files, --jobs processes, a progress bar, JSON
Lines or CSV output, and --resume after an interruption. The --json contract is unchanged (see
tests/test_cli.py). extract() is faked (the fake is forked into the worker processes) except in the
subprocess test."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from extraction import cli
from tests.conftest import REPO
from tests.test_cli import FakeExtract, fake_result


def names(count: int) -> list[str]:
    return [f"scan_{n:02d}.pdf" for n in range(count)]


def run(monkeypatch: pytest.MonkeyPatch, argv: list[str], fake: Any = None) -> tuple[int, list[str]]:
    monkeypatch.setattr(cli, "extract", fake or FakeExtract())
    out = io.StringIO()
    code = cli.main(argv, out=out)
    return code, out.getvalue().splitlines()


def test_folders_and_lists_expand_to_their_documents(tmp_path: Path) -> None:
    folder = tmp_path / "batch"
    (folder / "sub").mkdir(parents=True)
    for name in ("b.PDF", "a.png", "sub/c.tiff", "notes.txt"):
        (folder / name).write_bytes(b"x")
    listing = tmp_path / "list.txt"
    listing.write_text("# today's\nx.jpg\n\n  y.pdf  \n")
    found = cli.expand_inputs([str(folder), f"@{listing}", "z.png"])
    assert found == [
        str(folder / "a.png"),
        str(folder / "b.PDF"),
        str(folder / "sub/c.tiff"),
        "x.jpg",
        "y.pdf",
        "z.png",
    ]
    assert cli.expand_inputs([], [str(listing)]) == ["x.jpg", "y.pdf"]


def test_jobs_read_in_parallel_and_json_keeps_input_order(monkeypatch: pytest.MonkeyPatch) -> None:
    files = names(8)
    code, lines = run(monkeypatch, ["--json", "--jobs", "3", *files])
    assert code == 0
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == files
    assert set(records[0]) == {
        "file",
        "document_type",
        "type_confidence",
        "pages",
        "dpi",
        "fields",
        "seconds",
    }


class DyingExtract(FakeExtract):
    """Kills the process reading one file, as a crash in a native library would."""

    def __call__(self, source: str, **kwargs: Any) -> Any:
        if source == "crash.pdf":
            os._exit(9)
        return super().__call__(source, **kwargs)


def test_a_worker_process_that_dies_fails_only_its_own_file(monkeypatch: pytest.MonkeyPatch) -> None:
    files = ["a.pdf", "b.pdf", "crash.pdf", "c.pdf", "d.pdf", "e.pdf"]
    code, lines = run(monkeypatch, ["--json", "--jobs", "2", *files], DyingExtract())
    records = [json.loads(line) for line in lines]
    assert code == 1 and [r["file"] for r in records] == files
    assert [r["file"] for r in records if "error" in r] == ["crash.pdf"]
    assert "died" in records[2]["error"]


def test_jsonl_output_resumes_after_an_interruption(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    files = names(5)
    out = tmp_path / "out.jsonl"
    # An earlier run wrote two records and was killed while writing the third.
    done = [json.dumps({"file": f, **fake_result(f).to_dict()}) for f in files[:2]]
    out.write_text("\n".join(done) + '\n{"file": "scan_02.pdf", "docum')
    fake = FakeExtract()
    code, lines = run(monkeypatch, ["--jobs", "1", "--output", str(out), "--resume", *files], fake)
    assert code == 0 and lines == []  # nothing on stdout: the records went to the file
    assert [call[0] for call in fake.calls] == files[2:]
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(r["file"] for r in records) == files
    # Nothing left to do: a second resume reads nothing.
    again = FakeExtract()
    run(monkeypatch, ["--output", str(out), "--resume", *files], again)
    assert again.calls == []


def test_csv_output_has_one_row_per_file_with_each_fields_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from extraction import UnreadableDocumentError

    out = tmp_path / "out.csv"
    fake = FakeExtract({"bad.pdf": UnreadableDocumentError("This PDF is damaged.")})
    code, _ = run(monkeypatch, ["--jobs", "2", "-o", str(out), "a.pdf", "bad.pdf", "c.pdf"], fake)
    assert code == 1
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [r["file"] for r in rows] == ["a.pdf", "bad.pdf", "c.pdf"]
    assert rows[0]["patient_name"] == "Patient of a.pdf" and rows[0]["refills__needs_review"] == "yes"
    assert rows[1]["error"] == "This PDF is damaged." and rows[1]["patient_name"] == ""
    assert cli.csv_cell('=HYPERLINK("http://evil.example")') == '\'=HYPERLINK("http://evil.example")'
    code, _ = run(monkeypatch, ["-o", str(out), "--resume", "a.pdf", "bad.pdf", "c.pdf", "d.pdf"])
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [r["file"] for r in rows] == ["a.pdf", "bad.pdf", "c.pdf", "d.pdf"]  # one header, appended


def test_the_progress_bar_goes_to_stderr_with_an_estimate(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines = run(monkeypatch, ["--json", "--progress", "--jobs", "2", *names(3)])
    bar = capsys.readouterr().err
    assert code == 0 and len(lines) == 3
    assert "3/3" in bar and "<" in bar and "pages=3" in bar  # done/total [elapsed<left]


def test_resume_needs_an_output_file(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(SystemExit) as exit_:
        run(monkeypatch, ["--resume", "a.pdf"])
    assert exit_.value.code == 2


def test_real_cli_over_a_folder_writes_csv(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        (folder / f"broken_{n}.png").write_bytes(b"not an image at all %d" % n)
    out = tmp_path / "out.csv"
    command = [sys.executable, "-m", "extraction", "--jobs", "2", "--output", str(out), str(folder)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # every file failed, and each says why
    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [Path(r["file"]).name for r in rows] == [f"broken_{n}.png" for n in range(3)]
    assert all(r["error"] for r in rows)


class ThreadsExtract(FakeExtract):
    """Reads as many pages as the engine threads it was given."""

    def __call__(self, source: str, **kwargs: Any) -> Any:
        return replace(super().__call__(source, **kwargs), pages=kwargs["options"].page_workers)


@pytest.mark.parametrize(
    ("jobs", "files", "threads"), [(1, 3, 4), (2, 3, 2), (3, 3, 1), (8, 3, 1), (8, 1, 4)]
)
def test_each_job_reads_with_its_share_of_the_cores(
    monkeypatch: pytest.MonkeyPatch, jobs: int, files: int, threads: int
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    code, lines = run(monkeypatch, ["--json", "--jobs", str(jobs), *names(files)], ThreadsExtract())
    assert code == 0 and [json.loads(line)["pages"] for line in lines] == [threads] * files
