"""End to end: uvicorn and the worker as real processes, a batch uploaded over HTTP, extracted by
the real engine in the worker, verified through the services (as the Review page does), and
fetched back over HTTP. Waits poll with a generous deadline; no sleep is an assertion.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from medextract.services import accounts, review, tokens
from medextract.services.context import CLI, Context
from tests.api_support import drawn_prescription
from tests.app_support import PRESCRIPTION
from tests.conftest import REPO

DEADLINE = 120.0  # seconds: OCR on a shared 2-core machine can be slow; a pass takes a few


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], deadline: float = DEADLINE) -> Any:
    """Poll ``check`` until it returns something truthy; fail with ``what`` after ``deadline``."""
    until = time.monotonic() + deadline
    while time.monotonic() < until:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    pytest.fail(f"gave up after {deadline:.0f} s waiting for {what}")


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start a module as a process (output to a file in tmp_path); all are stopped at the end."""
    started: list[subprocess.Popen[bytes]] = []
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(MEDEXTRACT_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))

    def start(*argv: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"{argv[0]}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", *argv], stdout=log, stderr=log, env=env, cwd=tmp_path
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.send_signal(signal.SIGTERM)
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.mark.ocr
def test_a_batch_goes_in_over_http_and_comes_back_verified(
    tmp_path: Path, processes: Callable[..., subprocess.Popen[bytes]], needs_ocr: None
) -> None:
    url = f"sqlite:///{tmp_path / 'e2e.db'}"
    ctx = Context.open(url)
    accounts.create_account(ctx, "intake", role="clerk", by=CLI)
    accounts.create_account(ctx, "clerk", role="clerk", by=CLI)
    accounts.create_account(ctx, "claims", role="supervisor", by=CLI)
    intake = {"Authorization": f"Bearer {tokens.create_token(ctx, 'intake', by=CLI, expires_days=1).token}"}
    claims = {"Authorization": f"Bearer {tokens.create_token(ctx, 'claims', by=CLI, expires_days=1).token}"}

    port = free_port()
    api = processes("medextract.api", "--port", str(port), "--database-url", url, "--no-worker")
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, timeout=30) as http:

        def alive() -> bool:
            assert api.poll() is None, (tmp_path / "medextract.api.log").read_text()
            try:
                return http.get("/healthz").status_code == 200
            except httpx.TransportError:
                return False

        wait_for("the API to answer", alive)
        batch = [
            ("files", ("ann.png", drawn_prescription("John Smith"), "image/png")),
            ("files", ("notes.txt", b"not a document", "text/plain")),
            ("files", ("bob.png", drawn_prescription("Mary Jones"), "image/png")),
            ("files", ("ann-again.png", drawn_prescription("John Smith"), "image/png")),
        ]
        sent = http.post("/v1/documents", files=batch, headers=intake)
        assert sent.status_code == 200, sent.text
        results = sent.json()["results"]
        assert [r["status"] for r in results] == ["accepted", "refused", "accepted", "duplicate"]
        ids = [results[0]["document_id"], results[2]["document_id"]]
        assert results[3]["document_id"] == ids[0]

        processes("medextract.worker", "--database", url)

        def extracted() -> list[dict[str, Any]]:
            page = http.get("/v1/documents", params={"status": "extracted"}, headers=intake).json()["items"]
            failed = http.get("/v1/documents", params={"status": "failed"}, headers=intake).json()["items"]
            assert failed == [], failed
            return page if len(page) == 2 else []

        listed = wait_for("the worker to extract both documents", extracted)
        assert [d["id"] for d in listed] == ids and {d["doc_type"] for d in listed} == {"prescription"}
        read = http.get(f"/v1/documents/{ids[1]}", headers=intake).json()
        assert read["fields"]["patient_name"]["engine_value"] == "Mary Jones"
        assert read["history"] is None  # a clerk's token sees no history

        for doc_id in ids:  # the clerk's side, as the Review page calls it
            view = review.start_review(ctx, doc_id, user="clerk")
            values = {**PRESCRIPTION, "patient_name": view.fields["patient_name"].value}
            result = review.verify(ctx, doc_id, values, user="clerk", expected_version=view.version)
            assert result.ok, result.message

        assert http.get("/v1/records", params={"type": "prescription"}, headers=intake).status_code == 403
        got = http.get("/v1/records", params={"type": "prescription", "provenance": "true"}, headers=claims)
        assert got.status_code == 200, got.text
        rows = got.json()["records"]
        assert [(r["document_id"], r["patient_name"], r["verified_by"]) for r in rows] == [
            (ids[0], "John Smith", "clerk"),
            (ids[1], "Mary Jones", "clerk"),
        ]
        assert rows[0]["patient_name__corrected"] == "no"
        one = http.get(f"/v1/documents/{ids[0]}", headers=claims).json()
        assert one["status"] == "verified" and one["verified_values"]["refills"] == "2"
        assert [h["action"] for h in one["history"]][-2:] == ["verify", "export"]
        assert sent.headers["x-request-id"] in (tmp_path / "medextract.api.log").read_text()
    ctx.close()
