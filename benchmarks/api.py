"""How fast the HTTP API answers, against uvicorn started as a real process on a fresh SQLite file.

1. GET /v1/documents/{id} and GET /v1/records: requests per second with 10 concurrent clients,
   and latency percentiles. Targets: >= 200 requests/s, p95 < 100 ms (this 2-core machine, the
   clients on the same cores as the server).
2. POST /v1/extract: seconds per page against the engine's own time in the same request (what the
   API adds: target < 50 ms) and against ``python -m extraction --json`` on the same files (the
   CLI's wall time includes starting Python and importing the engine, paid once per run).

Each load run also prints the server process's own CPU time per request (from /proc): steadier
than the rates when other work shares the machine.

Usage, from the repository's root: ``python -m benchmarks.api [--seconds S] [--requests N] [--repeat R]``.
Every load loop stops at N requests or S seconds, whichever comes first; traffic goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
SAMPLES = [REPO.parent / "shared" / "samples" / name for name in ("pre_1.pdf", "pd_1.pdf")]
CLIENTS = 10
RPS_TARGET, P95_TARGET_MS, OVERHEAD_TARGET_MS = 200.0, 100.0, 50.0


def seed(url: str, documents: int, verified: int) -> tuple[int, str, str]:
    """Accounts, tokens and ``documents`` extracted prescriptions (``verified`` of them verified).

    A fake engine stands in for OCR here: these figures are about the API, not the engine.
    Returns (a document id, a supervisor's token, the time before the last 5 verifications: what
    a claims system polling for new records would pass as verified_since).
    """
    from PIL import Image

    from extraction import ExtractionResult, FieldResult, field_names
    from medextract import processing
    from medextract.services import accounts, review, tokens, upload
    from medextract.services.context import CLI, Context

    values = {
        "prescriber": "Dr. Ann Lee",
        "patient_name": "John Smith",
        "prescription_date": "03/14/2026",
        "patient_address": "12 Oak St\nSpringfield",
        "medicines": "Amoxicillin 500 mg",
        "directions": "Take 1 tablet three times a day",
        "refills": "2",
    }

    def engine(_: bytes, **__: Any) -> ExtractionResult:
        fields = {
            name: FieldResult(
                values.get(name, ""), 0.93, name == "refills", None, 0, (60, 100 + 60 * i, 700, 140 + 60 * i)
            )
            for i, name in enumerate(field_names("prescription"))
        }
        return ExtractionResult(
            "prescription", 0.9, 1, 200, fields, page_images=[Image.new("L", (1200, 1600), 255)]
        )

    ctx = Context.open(url)
    try:
        accounts.create_account(ctx, "bench-clerk", role="clerk", by=CLI)
        accounts.create_account(ctx, "bench-sup", role="supervisor", by=CLI)
        for index in range(documents):
            upload.add_upload(
                ctx, f"rx_{index}.png", f"\x89PNG\r\n\x1a\n{index}".encode(), uploader="bench-clerk"
            )
        processing.process_pending(ctx, extract_fn=engine)
        since = ""
        for doc_id in range(1, verified + 1):
            if doc_id == verified - 4:
                since = ctx.now().isoformat()
            view = review.start_review(ctx, doc_id, user="bench-clerk")
            flagged = [name for name, field in view.fields.items() if field.needs_review]  # checked as right
            result = review.verify(
                ctx, doc_id, {}, user="bench-clerk", expected_version=view.version, confirmed=flagged
            )
            assert result.ok, result.message
        token = tokens.create_token(ctx, "bench-sup", by=CLI, expires_days=1).token
    finally:
        ctx.close()
    return documents // 2, token, since


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system, /proc; 0 where there is no /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def api_server(url: str, log: Path) -> Iterator[tuple[str, int]]:
    """``python -m medextract.api`` on a free port (no worker); its base URL and pid once it answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "medextract.api",
                "--port",
                str(port),
                "--database-url",
                url,
                "--no-worker",
            ],
            stdout=out,
            stderr=out,
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    sys.exit(f"the API did not start; see {log}")
                try:
                    if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            yield base, process.pid
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


async def load(
    base: str, path: str, params: dict[str, str], token: str, requests: int, seconds: float
) -> dict[str, float]:
    """CLIENTS concurrent clients, each on its own keep-alive connection, until ``requests`` or
    ``seconds``. They speak HTTP/1.1 over plain sockets: the load generator shares the server's two
    cores, and a full HTTP client took about as much CPU per request as the server."""
    url = httpx.URL(base)
    target = str(httpx.URL(path, params=params or None))
    request = (
        f"GET {target} HTTP/1.1\r\nHost: {url.host}:{url.port}\r\nAuthorization: Bearer {token}\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal errors
        reader, writer = await asyncio.open_connection(url.host, url.port)
        try:
            while len(latencies) + errors < requests and time.perf_counter() < stop_at:
                started = time.perf_counter()
                writer.write(request)
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                if head.startswith(b"HTTP/1.1 200 "):
                    latencies.append(time.perf_counter() - started)
                else:
                    errors += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(CLIENTS)))
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p95_ms": 1000 * ordered[int(len(ordered) * 0.95)],
    }


def extract_over_http(base: str, token: str, path: Path, repeat: int) -> tuple[float, float, float, int]:
    """Medians over ``repeat`` requests: (wall seconds, engine seconds, wall minus engine of each
    request, i.e. what the API adds), and the pages."""
    walls, engines, added, pages = [], [], [], 0
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=300) as http:
        for _ in range(repeat):
            upload = {"file": (path.name, path.read_bytes(), "application/pdf")}
            started = time.perf_counter()
            answer = http.post("/v1/extract", files=upload)
            wall = time.perf_counter() - started
            answer.raise_for_status()
            body = answer.json()
            walls.append(wall)
            engines.append(body["seconds"])
            added.append(wall - body["seconds"])
            pages = body["pages"]
    return statistics.median(walls), statistics.median(engines), statistics.median(added), pages


def extract_with_cli(path: Path, repeat: int) -> tuple[float, float]:
    """(median wall seconds of ``python -m extraction --json FILE``, median engine seconds it reports)."""
    walls, engines = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "extraction", "--json", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        walls.append(time.perf_counter() - started)
        engines.append(json.loads(done.stdout)["seconds"])
    return statistics.median(walls), statistics.median(engines)


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER TARGET"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="longest load run per route (default 10)")
    parser.add_argument("--requests", type=int, default=3000, help="most requests per route (default 3000)")
    parser.add_argument("--documents", type=int, default=200, help="documents in the database (default 200)")
    parser.add_argument("--repeat", type=int, default=3, help="extractions per file (default 3)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        doc_id, token, since = seed(url, args.documents, verified=50)
        with api_server(url, Path(folder) / "api.log") as (base, pid):
            print(
                f"{CLIENTS} clients, uvicorn on 127.0.0.1, SQLite, {args.documents} documents (50 verified)"
            )
            for label, path, params in [
                ("GET /v1/documents/{id}", f"/v1/documents/{doc_id}", {}),
                ("GET /v1/records, all 50", "/v1/records", {"type": "prescription"}),
                (
                    "GET /v1/records, a poll (5 new)",
                    "/v1/records",
                    {"type": "prescription", "verified_since": since},
                ),
            ]:
                asyncio.run(load(base, path, params, token, 50, 5.0))  # warm-up: connections, caches
                cpu_before = cpu_seconds(pid)
                result = asyncio.run(load(base, path, params, token, args.requests, args.seconds))
                served = result["requests"] + result["errors"]
                cpu_ms = 1000 * (cpu_seconds(pid) - cpu_before) / served if served else 0.0
                good = result["rps"] >= RPS_TARGET and result["p95_ms"] < P95_TARGET_MS
                print(
                    f"{label}: {result['rps']:.0f} requests/s, p50 {result['p50_ms']:.1f} ms, "
                    f"p95 {result['p95_ms']:.1f} ms, server CPU {cpu_ms:.2f} ms a request, "
                    f"over {result['requests']:.0f} requests "
                    f"({result['errors']:.0f} errors; target >= {RPS_TARGET:.0f}/s, "
                    f"p95 < {P95_TARGET_MS:.0f} ms: {verdict(good)})"
                )
            samples = [p for p in SAMPLES if p.exists()]
            if not samples:
                print("POST /v1/extract: skipped, no samples in ../shared/samples")
                return
            extract_over_http(base, token, samples[0], 1)  # warm-up: the engine's first run
            for path in samples:
                wall, engine, added, pages = extract_over_http(base, token, path, args.repeat)
                cli_wall, cli_engine = extract_with_cli(path, args.repeat)
                added_ms = 1000 * added
                print(
                    f"POST /v1/extract {path.name} ({pages} page(s)): {wall / pages:.2f} s/page, of which "
                    f"the engine {engine / pages:.2f} s; the API adds {added_ms:.0f} ms "
                    f"(target < {OVERHEAD_TARGET_MS:.0f} ms: {verdict(added_ms < OVERHEAD_TARGET_MS)}) | "
                    f"CLI: {cli_wall / pages:.2f} s/page wall, "
                    f"engine {cli_engine / pages:.2f} s/page"
                )


if __name__ == "__main__":
    main()
