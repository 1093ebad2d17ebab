"""The per-document budget: the engine runs in a child process that is stopped over its time or
memory budget, or when it dies, and the document fails with a message saying which; the worker
and its next document go on. Also the operator's metrics in the Prometheus text format.

The engines here are tiny functions the sandbox child imports by name (``module:function``).
"""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from medextract import metrics, processing, worker
from medextract.cores import available_cores
from medextract.sandbox import MEMORY, TIMEOUT, Budget, Cancelled, ExtractionFailed, Sandbox
from medextract.services import documents, upload
from medextract.services.context import Context
from tests.test_store_support import FakeEngine, make_result

HERE = "tests.test_sandbox"


def engine(source: bytes, **kwargs: Any) -> Any:
    """Reads ``sleep N``, ``hog N`` (MB), ``exit`` and ``bug``; anything else is read at once.
    ``threads`` reads as many pages as the engine threads it was given (0: none were given)."""
    command, _, argument = source.decode(errors="replace").partition(" ")
    if command == "threads":
        return make_result("prescription", pages=kwargs.get("page_workers", 0))
    if command == "tool":  # as the engine starts tesseract: a program run from one of its threads
        tool = threading.Thread(target=_report_priority, args=(argument,))
        tool.start()
        tool.join()
    if command == "sleep":
        time.sleep(float(argument))
    elif command == "hog":
        hoard = bytearray(int(argument) * 1024 * 1024)
        hoard[-1] = 1
    elif command == "exit":
        os._exit(3)
    elif command == "bug":
        raise KeyError("no such field")
    return make_result("prescription")


def _report_priority(path: str) -> None:
    import subprocess
    import sys

    script = "import os; print(os.getpriority(os.PRIO_PROCESS, 0), os.sched_getscheduler(0))"
    answer = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    Path(path).write_text(answer.stdout)


@pytest.fixture
def sandbox() -> Any:
    box = Sandbox(f"{HERE}:engine", Budget(seconds=2, memory_mb=600))
    yield box
    box.close()


def read(box: Sandbox, text: str, cancel: threading.Event | None = None) -> Any:
    return box.read(text.encode(), doc_type="auto", filename="f.png", cancel=cancel)


def test_a_document_over_its_time_budget_is_stopped_and_the_next_one_is_read(sandbox: Sandbox) -> None:
    started = time.monotonic()
    with pytest.raises(ExtractionFailed, match="longer than 2 s") as failure:
        read(sandbox, "sleep 60")
    # Stopped at its budget, long before its 60 s were up (the margin is for a loaded machine
    # restarting the engine).
    assert failure.value.kind == TIMEOUT and time.monotonic() - started < 30
    assert read(sandbox, "fine").output.doc_type == "prescription"


def test_a_document_over_its_memory_budget_fails_with_a_clear_message(sandbox: Sandbox) -> None:
    with pytest.raises(ExtractionFailed, match="more than 600 MB of memory") as failure:
        read(sandbox, "hog 2000")
    assert failure.value.kind == MEMORY
    assert read(sandbox, "fine").output.pages == 1


def test_an_engine_that_dies_or_raises_fails_one_document(sandbox: Sandbox) -> None:
    with pytest.raises(ExtractionFailed, match="stopped unexpectedly"):
        read(sandbox, "exit")
    with pytest.raises(ExtractionFailed, match="Unexpected error: KeyError"):
        read(sandbox, "bug")
    assert read(sandbox, "fine").output.pages == 1


def test_a_cancelled_read_stops_the_child_at_once(sandbox: Sandbox) -> None:
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        read(sandbox, "sleep 60", cancel)
    assert time.monotonic() - started < 30  # at once, not after the 60 s: a loaded machine's margin


def test_a_child_lives_on_when_the_thread_that_started_it_ends(sandbox: Sandbox) -> None:
    """A web server's request thread may start a child and end while another thread uses it."""
    started, release = threading.Event(), threading.Event()

    def start_then_end() -> None:
        sandbox.start()
        started.set()
        release.wait(10)

    starter = threading.Thread(target=start_then_end)
    starter.start()
    assert started.wait(60)
    threading.Timer(0.3, release.set).start()  # the starter ends while the document is read
    assert read(sandbox, "sleep 1").output.pages == 1
    starter.join()


def test_the_engine_threads_asked_for_reach_the_engine_in_the_child(sandbox: Sandbox) -> None:
    assert sandbox.read(b"threads", doc_type="auto", filename="f.png", page_workers=1).output.pages == 1
    assert sandbox.preview(b"threads", doc_type="auto", filename="f.png", page_workers=3).pages == 3
    assert read(sandbox, "threads").output.pages == 0  # none asked for: the engine's own default


def test_a_worker_reading_one_document_gives_its_engine_every_core(ctx: Context) -> None:
    doc_id = upload.add_upload(ctx, "threads.pdf", b"threads", uploader="uma").document_id
    assert worker.run(ctx, engine=f"{HERE}:engine", once=True, slots=1) == 1
    assert documents.get(ctx, doc_id, user="uma").pages == available_cores()


def test_a_worker_fails_the_slow_document_and_goes_on(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDEXTRACT_DOC_TIMEOUT", "1")
    slow = upload.add_upload(ctx, "slow.pdf", b"sleep 30", uploader="uma").document_id
    fine = upload.add_upload(ctx, "fine.pdf", b"fine", uploader="uma").document_id
    started = time.monotonic()
    assert worker.run(ctx, engine=f"{HERE}:engine", once=True, slots=1) == 2
    assert time.monotonic() - started < 20
    failed = documents.get(ctx, slow, user="uma")
    assert failed.status == "failed" and "longer than 1 s" in (failed.error or "")
    assert documents.get(ctx, fine, user="uma").status == "extracted"


def test_metrics_show_the_queue_throughput_stages_and_failures(ctx: Context) -> None:
    upload.add_upload(ctx, "a.pdf", b"a", uploader="uma")
    upload.add_upload(ctx, "b.pdf", b"b", uploader="uma")
    result = make_result("prescription")
    result.stage_seconds = {"ocr_page": 0.5, "load_pages": 0.1}  # type: ignore[attr-defined]
    assert processing.process_pending(ctx, extract_fn=FakeEngine(result), limit=1) == 1
    text = metrics.render(ctx)
    assert 'medextract_queue_depth{status="queued"} 1.0' in text
    assert 'medextract_queue_depth{status="extracting"} 0.0' in text
    assert 'medextract_stage_seconds_per_page_count{stage="ocr_page"}' in text
    assert "medextract_pages_total" in text and "medextract_documents_per_minute" in text
    metrics.document_failed("timeout")
    assert 'medextract_failures_total{kind="timeout"}' in metrics.render(ctx)
    assert "a.pdf" not in text  # names nothing of a document but its counts

    port = metrics.serve(ctx, 0)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        served = response.read().decode()
    assert "medextract_queue_depth" in served and "medextract_documents_total" in served


def test_the_sandbox_child_dies_with_its_worker(tmp_path: Path) -> None:
    """A worker killed with SIGKILL leaves no child reading on (PR_SET_PDEATHSIG)."""
    import signal
    import subprocess
    import sys

    from tests.conftest import REPO

    script = (
        "from medextract.sandbox import Sandbox; import os, sys; "
        f"box = Sandbox('{HERE}:engine'); box.start(); print(box._process.pid, flush=True); "
        "import time; time.sleep(60)"
    )
    parent = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{child}").exists():
        if Path(f"/proc/{child}/stat").read_text().split()[2] == "Z":
            break  # dead, waiting to be reaped by init
        time.sleep(0.05)
    alive = Path(f"/proc/{child}").exists() and Path(f"/proc/{child}/stat").read_text().split()[2] != "Z"
    assert not alive


def _priorities(pid: int) -> set[tuple[int, int]]:
    """(niceness, scheduling policy) of every thread of process ``pid``, read from /proc."""
    found = set()
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        fields = stat.read_text().rsplit(")", 1)[1].split()  # fields from the 3rd (state) on
        found.add((int(fields[16]), int(fields[38])))  # nice is the 19th, policy the 41st
    return found


def test_the_engine_and_the_tools_it_starts_yield_the_cpu_to_the_server(
    sandbox: Sandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Background reading runs below the server's priority: a clerk's rerun comes first."""
    monkeypatch.delenv("MEDEXTRACT_ENGINE_NICE", raising=False)
    report = tmp_path / "tool.txt"
    read(sandbox, f"tool {report}")
    assert sandbox._process is not None
    assert _priorities(sandbox._process.pid) == {(10, os.SCHED_BATCH)}
    assert report.read_text().split() == ["10", str(os.SCHED_BATCH)]
    assert os.getpriority(os.PRIO_PROCESS, 0) == 0  # the server itself keeps its priority


def test_engine_nice_zero_leaves_the_engine_at_the_servers_priority(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDEXTRACT_ENGINE_NICE", "0")
    box = Sandbox(f"{HERE}:engine", Budget(seconds=10, memory_mb=600))
    try:
        read(box, f"tool {tmp_path / 'tool.txt'}")
        assert box._process is not None
        assert _priorities(box._process.pid) == {(0, os.SCHED_OTHER)}
    finally:
        box.close()
    assert (tmp_path / "tool.txt").read_text().split() == ["0", str(os.SCHED_OTHER)]


@pytest.mark.parametrize(("raw", "niceness"), [("", 10), ("5", 5), ("40", 19), ("-3", 0), ("x", 10)])
def test_engine_niceness_reads_the_environment(
    monkeypatch: pytest.MonkeyPatch, raw: str, niceness: int
) -> None:
    from medextract.priority import engine_niceness

    monkeypatch.setenv("MEDEXTRACT_ENGINE_NICE", raw)
    assert engine_niceness() == niceness
