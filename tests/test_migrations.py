"""Migrations: an old database upgrades in place, models and migrations agree, defaults need no setup."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from medextract import db
from medextract.models import Base
from medextract.services import audit, queue
from medextract.services.context import Context
from tests.test_store_support import CATALOG, SYSTEM

HEAD = "0012"
UPLOADED = datetime(2026, 1, 5, tzinfo=UTC)
TOUCHED = datetime(2026, 1, 6, 8, 30, tzinfo=UTC)


def test_a_database_at_0001_upgrades_in_place_and_keeps_its_data(database_url: str) -> None:
    engine = db.create_db_engine(database_url)
    db.upgrade(engine, "0001")
    with db.writer(engine).begin() as conn:
        for doc_id, name in ((1, "old.pdf"), (2, "touched.pdf")):
            conn.execute(
                text(
                    "INSERT INTO documents"
                    " (id, filename, sha256, content, size, uploader, uploaded_at, status, version)"
                    " VALUES (:id, :name, :sha, :content, 3, 'uma', :at, 'queued', 1)"
                ),
                {"id": doc_id, "name": name, "sha": str(doc_id) * 64, "content": b"old", "at": UPLOADED},
            )
        conn.execute(  # a child row: no table rebuild may delete it through ON DELETE CASCADE
            text(
                "INSERT INTO page_images (document_id, page_index, width, height, media_type, data)"
                " VALUES (1, 0, 10, 10, 'image/png', :data)"
            ),
            {"data": b"png"},
        )
        conn.execute(
            text(
                'INSERT INTO audit_events ("user", action, document_id, detail, at)'
                " VALUES ('uma', 'claim', 2, '', :at), ('sue', 'export', NULL, :export, :at)"
            ),
            {"at": TOUCHED, "export": '{"doc_type": "prescription", "document_ids": [2, 99], "records": 2}'},
        )
    engine.dispose()

    ctx = Context.open(database_url, catalog=CATALOG)
    try:
        docs = queue.documents(ctx, user=SYSTEM)
        assert [(d.filename, d.status, d.uploaded_at, d.updated_at) for d in docs] == [
            ("old.pdf", "queued", UPLOADED, UPLOADED),  # never changed: its upload time
            ("touched.pdf", "queued", UPLOADED, TOUCHED),  # its latest audited change
        ]
        with ctx.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
            assert conn.execute(text("SELECT count(*) FROM page_images")).scalar() == 1
        # The export made before the index existed is in the history of the document it included.
        assert [h.action for h in audit.history(ctx, 2, user=SYSTEM)] == ["claim", "export"]
        assert [h.action for h in audit.history(ctx, 1, user=SYSTEM)] == []
    finally:
        ctx.close()
    Context.open(database_url, catalog=CATALOG).close()  # opening a database at head is a no-op


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = db.create_db_engine(database_url)
    db.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()


def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    engine = db.create_db_engine(database_url)
    db.upgrade(engine)
    with db.writer(engine).begin() as conn:
        command.downgrade(db.alembic_config(conn), "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(engine)
    assert "documents" in inspect(engine).get_table_names()
    engine.dispose()


def test_default_database_is_sqlite_in_the_data_dir_with_wal_and_foreign_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("MEDEXTRACT_DATA_DIR", str(tmp_path / "new" / "data"))

    ctx = Context.open(catalog=CATALOG)
    try:
        assert (tmp_path / "new" / "data" / "medextract.db").is_file()
        with ctx.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == db.SQLITE_BUSY_TIMEOUT_MS
    finally:
        ctx.close()


def test_url_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.example/medextract")
    assert db.resolve_url() == "postgresql+psycopg://u:p@db.example/medextract"
    assert db.resolve_url("postgresql://h/x") == "postgresql+psycopg://h/x"  # an explicit url wins
    assert db.resolve_url("postgresql+psycopg://h/x") == "postgresql+psycopg://h/x"
    monkeypatch.setenv("DATABASE_URL", "")
    monkeypatch.setenv("MEDEXTRACT_DATA_DIR", str(tmp_path))
    assert db.resolve_url() == f"sqlite:///{tmp_path / 'medextract.db'}"
