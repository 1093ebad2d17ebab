"""Where the database is, how to connect to it, and bringing its schema up to date.

SQLite (the default, no setup) runs in WAL mode with a busy timeout and foreign keys on, set on
every new connection. Writes on SQLite start with ``BEGIN IMMEDIATE`` so two writers queue on the
lock instead of failing half-way with "database is locked" when a read turns into a write.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import String

from medextract.privacy import private_dir, private_file

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option set on the engine used for writes; read by the SQLite "begin" hook below.
IMMEDIATE = "medextract_begin_immediate"


def resolve_url(url: str | None = None) -> str:
    """The database URL to use: ``url``, else env DATABASE_URL, else SQLite in the data dir.

    PostgreSQL URLs are normalised to the psycopg 3 driver; the SQLite default lives in
    ``$MEDEXTRACT_DATA_DIR`` (default ``./data``), created here when missing.
    """
    url = url or os.environ.get("DATABASE_URL") or None
    if url is None:
        data_dir = Path(os.environ.get("MEDEXTRACT_DATA_DIR") or "data").expanduser().resolve()
        private_dir(data_dir)  # 0700: patient data, readable by the service's user only
        return f"sqlite:///{data_dir / 'medextract.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def create_db_engine(url: str) -> Engine:
    """An engine for ``url`` with the SQLite connection settings installed when it is SQLite."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # 0600 before SQLite opens it; its -wal and -shm files take the database file's mode.
        private_file(Path(parsed.database))
    engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
    _install_sqlite_hooks(engine)
    return engine


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the driver so "begin" below decides DEFERRED/IMMEDIATE.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer, nor it them
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; a power cut loses only the tail
        cursor.close()
        # SQLite's own lower() folds only ASCII letters: "émile" would not find "Émile".
        dbapi_connection.create_function(LOWER_SQLITE, 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(IMMEDIATE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


LOWER_SQLITE = "mx_lower"


def _lower(value: object) -> object:
    return value.lower() if isinstance(value, str) else value


class lower(FunctionElement[str]):  # lower case: it reads like SQLAlchemy's func.lower
    """``lower(text)`` folding every letter's case, also on SQLite (whose own folds only ASCII):
    for case-insensitive search, compare it with a Python ``str.lower()``."""

    type = String()
    inherit_cache = True


@compiles(lower)
def _compile_lower(element: lower, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(lower, "sqlite")
def _compile_lower_sqlite(element: lower, compiler: Any, **kw: Any) -> str:
    return f"{LOWER_SQLITE}({compiler.process(element.clauses, **kw)})"


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions take SQLite's write lock at BEGIN (no-op elsewhere)."""
    return engine.execution_options(**{IMMEDIATE: True})


def alembic_config(connection: Connection | None = None, url: str | None = None) -> Config:
    """An Alembic Config built in code (no alembic.ini), using ``connection`` when given."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` in one transaction; safe when processes start together.

    SQLite serialises concurrent upgrades through BEGIN IMMEDIATE; PostgreSQL through an
    advisory lock held until the transaction ends.
    """
    with writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(7400311)"))
        command.upgrade(alembic_config(connection), revision)
