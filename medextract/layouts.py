"""Where the learned layouts live, and how a process reads and changes them (issue 10).

A learned layout is the engine's file (``extraction.layouts.TemplateStore``: one ``<id>.json``
per layout, printed words and geometry, never a patient's value): the very files the command
line reads with ``--templates DIR``. The folder is ``MEDEXTRACT_LAYOUTS_DIR``, else ``layouts``
beside the SQLite database, else ``layouts`` in the data dir (``MEDEXTRACT_DATA_DIR``, default
``./data``). Workers on several machines (PostgreSQL) must share it: point the setting at a
folder they all mount.

Reading (:func:`load`) keeps each parsed file until it changes (its inode, size or modification
time: a save replaces the file, so it gets a new inode), so a worker lists the folder for each
document but parses a layout only once. A file that is not a layout is logged and left out: one
bad file must not stop every extraction. Changing (:func:`changing`) holds an exclusive lock on
the folder, so two workers counting documents against one layout never lose a count.
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import make_url

from medextract.privacy import private_dir

if TYPE_CHECKING:  # the engine (OpenCV and all) is imported only where layouts are used
    from extraction.layouts import LayoutTemplate, TemplateStore

log = logging.getLogger(__name__)

LAYOUTS_DIR_ENV = "MEDEXTRACT_LAYOUTS_DIR"
DATA_DIR_ENV = "MEDEXTRACT_DATA_DIR"
FOLDER_NAME = "layouts"
LOCK_NAME = ".lock"

# (inode, size, mtime) of a file -> what was read from it; per folder
_Stamp = tuple[int, int, int]
_cache: dict[Path, dict[str, tuple[_Stamp, LayoutTemplate | None]]] = {}
_cache_lock = threading.Lock()


def layouts_dir(database_url: str | None = None) -> Path:
    """The folder of learned layouts for the database at ``database_url`` (a SQLAlchemy URL)."""
    configured = os.environ.get(LAYOUTS_DIR_ENV, "").strip()
    if configured:
        return Path(configured).expanduser().resolve()
    if database_url:
        parsed = make_url(database_url)
        if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
            return Path(parsed.database).expanduser().resolve().parent / FOLDER_NAME
    data_dir = Path(os.environ.get(DATA_DIR_ENV) or "data").expanduser().resolve()
    return data_dir / FOLDER_NAME


def load(folder: Path) -> list[LayoutTemplate]:
    """Every layout in ``folder`` (none when it does not exist), by id; unchanged files are not
    read again."""
    try:
        entries = {e.name: e for e in os.scandir(folder) if e.name.endswith(".json") and e.is_file()}
    except (FileNotFoundError, NotADirectoryError):
        return []
    with _cache_lock:
        known = _cache.setdefault(folder, {})
        for name in set(known) - set(entries):
            del known[name]
        for name, entry in entries.items():
            try:
                info = entry.stat()
            except FileNotFoundError:  # deleted since the listing
                known.pop(name, None)
                continue
            stamp = (info.st_ino, info.st_size, info.st_mtime_ns)
            if name not in known or known[name][0] != stamp:
                known[name] = (stamp, _read(folder, name))
        return [template for name, (_, template) in sorted(known.items()) if template is not None]


def extract_kwargs(folder: str | None) -> dict[str, Any]:
    """What ``extract()`` is given to read with the layouts in ``folder``: nothing when there are
    none, so an engine that knows no layouts (a test's fake) is called as before."""
    templates = load(Path(folder)) if folder else []
    return {"layouts": templates} if templates else {}


def get(folder: Path, layout_id: str) -> LayoutTemplate | None:
    """The layout ``layout_id`` in ``folder``, or None (deleted, or not a layout id)."""
    return next((t for t in load(folder) if t.id == layout_id), None)


def _read(folder: Path, name: str) -> LayoutTemplate | None:
    from extraction.layouts import TemplateError, TemplateStore

    try:
        return TemplateStore(folder).get(name.removesuffix(".json"))
    except TemplateError as error:
        log.warning("learned layout left out: %s", error)
        return None


@contextmanager
def changing(folder: Path) -> Iterator[TemplateStore]:
    """The folder's store, under an exclusive lock for a read-modify-write (other processes too)."""
    from extraction.layouts import TemplateStore

    private_dir(folder)  # 0700, as the data dir: only the service's user reads or writes layouts
    with open(folder / LOCK_NAME, "a+b") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield TemplateStore(folder)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
