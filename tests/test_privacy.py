"""Patient data at rest is private to the service's user (issue 13 attack run: the data folder was
0755, the SQLite file 0644, tesseract's temporary page images 0644 in /tmp and left after a crash)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from medextract.services.context import Context
from tests.conftest import REPO


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_folder_is_0700_and_the_database_0600(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDEXTRACT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    old = os.umask(0o022)  # what the attack run's server had
    try:
        Context.open().close()
    finally:
        os.umask(old)
    data = tmp_path / "data"
    assert mode(data) == 0o700
    assert mode(data / "medextract.db") == 0o600
    for extra in ("medextract.db-wal", "medextract.db-shm"):
        if (data / extra).exists():
            assert mode(data / extra) & 0o077 == 0


def test_an_existing_world_readable_folder_and_database_are_tightened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    (data / "medextract.db").touch(mode=0o644)
    data.chmod(0o755)
    (data / "medextract.db").chmod(0o644)
    monkeypatch.setenv("MEDEXTRACT_DATA_DIR", str(data))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    Context.open().close()
    assert (mode(data), mode(data / "medextract.db")) == (0o700, 0o600)


PROCESS = """
import os, sys, tempfile
from pathlib import Path
from medextract.privacy import secure_process
folder = secure_process()
with open(Path(tempfile.gettempdir()) / "page.pnm", "wb") as f:  # as pytesseract writes its input
    f.write(b"P5")
print(folder, oct(os.stat(folder).st_mode & 0o777), oct(os.stat(Path(folder) / "page.pnm").st_mode & 0o777),
      os.environ["TMPDIR"] == str(folder), flush=True)
if sys.argv[1] == "crash":
    os._exit(9)
"""


def run(tmp: Path, how: str) -> list[str]:
    env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", PROCESS, how], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout.split()


def test_temporary_files_are_private_and_removed_on_every_path(tmp_path: Path) -> None:
    folder, folder_mode, file_mode, child_env = run(tmp_path, "exit")
    assert (folder_mode, file_mode, child_env) == ("0o700", "0o600", "True")
    assert not Path(folder).exists()  # removed at a normal exit
    crashed, *_ = run(tmp_path, "crash")
    assert Path(crashed).exists()  # a killed process cannot clean up ...
    run(tmp_path, "exit")
    assert not Path(crashed).exists()  # ... the next one does
    assert list(tmp_path.iterdir()) == []


WORKER = """
import os, tempfile
from medextract import worker
worker.main(["--once", "--database", os.environ["DB_URL"], "--queue", "table"])
mask = os.umask(0)
print(tempfile.gettempdir() != os.environ["OUTER_TMP"], oct(mask), flush=True)
"""


def test_the_standalone_worker_keeps_its_temporary_files_private(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TMPDIR": str(tmp_path),
        "OUTER_TMP": str(tmp_path),
        "PYTHONPATH": str(REPO),
        "DB_URL": f"sqlite:///{tmp_path / 'worker.db'}",
    }
    done = subprocess.run(
        [sys.executable, "-c", WORKER], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "0o77"]
