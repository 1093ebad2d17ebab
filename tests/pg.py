"""A throwaway PostgreSQL server for the tests: initdb in a temp dir, a free port, stopped at the end.

initdb refuses to run as root, so as root the server runs as the ``postgres`` system user in a
directory that user owns. The socket lives in the temp dir too, never in /var/run/postgresql.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def find_bindir() -> Path | None:
    """The newest installed PostgreSQL's bin dir (Debian layout), or the one on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return Path(candidates[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(argv: list[str], *, check: bool = True) -> None:
    """Run a PostgreSQL tool, as the ``postgres`` user when we are root; its output is kept quiet."""
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    done = subprocess.run(argv, check=False, capture_output=True, text=True)
    if check and done.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


@contextmanager
def postgres_server(bindir: Path) -> Iterator[str]:
    """Start a server and yield its base URL (``postgresql+psycopg://postgres@127.0.0.1:PORT``)."""
    root = Path(tempfile.mkdtemp(prefix="medextract-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        user = pwd.getpwnam("postgres")
        os.chown(root, user.pw_uid, user.pw_gid)
    port = _free_port()
    log = root / "server.log"
    try:
        _run([str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"])
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c synchronous_commit=off -c max_connections=50"
        )
        _run([str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"])
        try:
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
        finally:
            _run([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], check=False)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def create_database(base_url: str, name: str) -> str:
    """Create an empty database on the server and return its URL."""
    import psycopg

    with psycopg.connect(base_url.replace("+psycopg", "") + "/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base_url}/{name}"
