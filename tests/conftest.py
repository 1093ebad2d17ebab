"""Shared test fixtures and the rule that CI skips nothing for want of a tool."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO.parent / "shared" / "samples"
REQUIRE_ALL = os.environ.get("MEDEXTRACT_REQUIRE_ALL") == "1"


def require(condition: bool, why: str) -> None:
    """Skip a test whose tool is missing on a developer's machine; fail it in CI."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"CI must run this test but {why}")
    pytest.skip(why)


@pytest.fixture
def samples_dir() -> Path:
    require(SAMPLES.is_dir(), f"the real samples are not at {SAMPLES}")
    return SAMPLES


@pytest.fixture
def needs_ocr() -> None:
    require(shutil.which("tesseract") is not None, "tesseract is not installed")
    require(shutil.which("pdftoppm") is not None, "poppler-utils is not installed")


def without_tesseract(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """As if tesserocr, or the libtesseract it links to, could not be loaded, in this process and
    in the engine's child processes (a stand-in that fails to import is put first on their
    PYTHONPATH, in ``folder``), until the patch is undone. A failed import is not cached, so the
    library loads again afterwards."""
    import sys

    from extraction import tesseract

    stand_in = folder / "tesserocr"
    stand_in.mkdir(parents=True, exist_ok=True)
    (stand_in / "__init__.py").write_text(
        'raise ImportError("libtesseract.so.5: cannot open shared object file")\n'
    )
    paths = [str(folder), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    tesseract._library.cache_clear()
    monkeypatch.setitem(sys.modules, "tesserocr", None)
    monkeypatch.setattr(tesseract, "_TEXT", tesseract._Engines("eng", tesseract._NO_LANGUAGE))


# ---- databases for the store tests (SQLite always, PostgreSQL via a throwaway server) ----


@pytest.fixture(scope="session")
def postgres_base_url() -> Iterator[str]:
    """A PostgreSQL server for this test session; URL without a database name."""
    from tests.pg import find_bindir, postgres_server

    bindir = find_bindir()
    require(bindir is not None, "PostgreSQL is not installed (Debian: apt-get install postgresql)")
    assert bindir is not None
    with postgres_server(bindir) as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty database for one test, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'medextract.db'}"
    from tests.pg import create_database

    base = request.getfixturevalue("postgres_base_url")
    return create_database(base, f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    """A hand-moved clock for the services (see tests/test_store_support.py)."""
    from tests.test_store_support import FakeClock

    return FakeClock()


@pytest.fixture
def bare_ctx(database_url: str, clock):  # type: ignore[no-untyped-def]
    """A service Context on a new, migrated database with the fake catalog and clock; no accounts."""
    from medextract.services.context import Context
    from tests.test_store_support import CATALOG, FAST_HASHER

    opened = Context.open(database_url, catalog=CATALOG, clock=clock, hasher=FAST_HASHER)
    yield opened
    opened.close()


@pytest.fixture
def ctx(bare_ctx):  # type: ignore[no-untyped-def]
    """``bare_ctx`` with the tests' people: clerks uma, vic, wes, sue the supervisor, ada the admin."""
    from tests.test_store_support import CAST, add_people

    add_people(bare_ctx, CAST)
    return bare_ctx
