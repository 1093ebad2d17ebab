"""Patient data at rest: the data folder, the database file and temporary files private to the service.

- ``private_dir`` / ``private_file`` create (or tighten) the data folder as 0700 and the SQLite file
  as 0600: names, verified values and password hashes are readable by the service's user only.
- ``secure_process`` (called once by each server process: the app, the API, the CLI) sets the
  umask to 077, so every file the process or its libraries create afterwards is private (a PDF is
  written to a temporary folder for poppler to read), and points
  ``tempfile`` and ``TMPDIR`` (for child programs) at a new 0700 folder of its own. That folder is
  removed at exit; one left by a killed process is removed by the next process's start.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
from pathlib import Path

PREFIX = "medextract-"  # the private temporary folders: medextract-<pid>-<random>
_lock = threading.Lock()
_private_tmp: Path | None = None


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing; the folder itself ends 0700 when it is ours."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(PermissionError):  # someone else's folder: leave it as its owner set it
        if path.stat().st_uid == os.getuid():
            path.chmod(0o700)
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty with mode 0600 if missing, else tighten it to 0600 (when ours)."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    with contextlib.suppress(PermissionError):
        if path.stat().st_uid == os.getuid():
            path.chmod(0o600)
    return path


def secure_process() -> Path:
    """umask 077 and a private temporary folder for this process (once); the folder's path."""
    global _private_tmp
    with _lock:
        if _private_tmp is not None and _private_tmp.is_dir():
            return _private_tmp
        os.umask(0o077)
        base = Path(tempfile.gettempdir())
        _remove_stale(base)
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=base))  # mode 0700
        tempfile.tempdir = str(folder)
        os.environ["TMPDIR"] = str(folder)  # tesseract, poppler and any other child program
        atexit.register(shutil.rmtree, folder, True)
        _private_tmp = folder
        return folder


def _remove_stale(base: Path) -> None:
    """Remove our private folders whose process is gone (a crash or a kill -9 left them)."""
    for folder in base.glob(f"{PREFIX}*-*"):
        pid = folder.name[len(PREFIX) :].split("-", 1)[0]
        if not pid.isdigit() or not folder.is_dir() or folder.stat().st_uid != os.getuid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:
            continue  # alive, someone else's
