"""Encryption at rest: with MEDEXTRACT_DATA_KEY set, the uploaded documents and their page images
are stored encrypted (the bytes on disk are not the file's), read back as they were, and
``reencrypt-data`` moves every stored value to the first key (rotation, and rows stored before).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from medextract import __main__ as cli
from medextract import config, encryption, processing
from medextract.encryption import KEY_ENV, PREFIX, DataKeyError
from medextract.models import Document, PageImage
from medextract.services import documents, jobs, upload
from medextract.services.context import Context
from tests.api_support import png
from tests.test_store_support import CAST, FakeEngine, add_people, make_result

# After the PNG's last chunk: bytes a reader of the disk must not find
SECRET = b"Patient: John Smith, DOB 1970-01-01, HIV test positive"


@pytest.fixture(autouse=True)
def no_secrets_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The key comes from the environment unless a test writes this secrets file."""
    secrets = tmp_path / "secrets.toml"
    monkeypatch.setattr(config, "SECRETS", secrets)
    monkeypatch.delenv(KEY_ENV, raising=False)
    return secrets


def stored(ctx: Context, doc_id: int) -> tuple[bytes, list[bytes]]:
    """The document's bytes and its page images exactly as the database holds them."""
    with ctx.engine.connect() as conn:
        content = conn.execute(select(Document.content).where(Document.id == doc_id)).scalar_one()
        pages = conn.execute(select(PageImage.data).where(PageImage.document_id == doc_id)).scalars().all()
    return bytes(content), [bytes(page) for page in pages]


def extract_one(ctx: Context, name: str, data: bytes) -> tuple[int, FakeEngine]:
    doc_id = upload.add_upload(ctx, name, data, uploader="uma").document_id
    assert doc_id is not None
    engine = FakeEngine(make_result("prescription"))
    assert processing.process_pending(ctx, extract_fn=engine) == 1
    return doc_id, engine


def on_disk(folder: Path, needle: bytes) -> list[str]:
    """The files under ``folder`` (the database, its WAL) that contain ``needle``."""
    return [path.name for path in folder.rglob("*") if path.is_file() and needle in path.read_bytes()]


def test_with_a_key_the_bytes_on_disk_are_not_the_documents_nor_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    ctx = Context.open(f"sqlite:///{folder / 'medextract.db'}")
    add_people(ctx, CAST)
    plain_id, _ = extract_one(ctx, "before.png", png("before") + SECRET + b" (1)")  # no key yet
    monkeypatch.setenv(KEY_ENV, encryption.new_key())
    data = png("scan") + SECRET + b" (2)"
    doc_id, engine = extract_one(ctx, "scan.png", data)

    assert engine.calls[0][0] == data  # the engine reads the file itself
    content, pages = stored(ctx, doc_id)
    assert content.startswith(PREFIX) and SECRET not in content
    assert pages and all(page.startswith(PREFIX) and b"IHDR" not in page for page in pages)
    image = documents.page_image(ctx, doc_id, 0, user="uma")
    assert image.startswith(b"\x89PNG") and image != pages[0]
    assert stored(ctx, plain_id)[0].endswith(SECRET + b" (1)")  # stored before the key: as it was
    ctx.close()

    assert on_disk(folder, SECRET + b" (2)") == []
    assert on_disk(folder, SECRET + b" (1)") != []  # the search would find it: it is not encrypted


def test_the_key_rotates_and_reencrypt_data_brings_every_row_under_the_first_key(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = encryption.new_key(), encryption.new_key()
    plain_id, _ = extract_one(ctx, "plain.png", png("plain"))
    monkeypatch.setenv(KEY_ENV, old)
    old_id, _ = extract_one(ctx, "old.png", png("old"))

    monkeypatch.setenv(KEY_ENV, f"{new}, {old}")  # the new key first; the old one still reads
    assert documents.page_image(ctx, old_id, 0, user="uma").startswith(b"\x89PNG")
    new_id, _ = extract_one(ctx, "new.png", png("new"))
    url = ctx.engine.url.render_as_string(hide_password=False)
    assert cli.main(["--database-url", url, "reencrypt-data"]) == 0
    said = capsys.readouterr().out
    assert "2 document(s), 2 page image(s); 2 already were" in said  # plain and old; new's two

    monkeypatch.setenv(KEY_ENV, new)  # the old key dropped: everything still reads
    for doc_id, name in ((plain_id, "plain"), (old_id, "old"), (new_id, "new")):
        content, pages = stored(ctx, doc_id)
        assert all(value.startswith(PREFIX) for value in [content, *pages])
        assert encryption.unseal(content) == png(name)
        assert documents.page_image(ctx, doc_id, 0, user="uma").startswith(b"\x89PNG")
    assert encryption.reencrypt(ctx) == encryption.Reencrypted(0, 0, 6)  # nothing left to do

    monkeypatch.setenv(KEY_ENV, old)
    with pytest.raises(DataKeyError, match="cannot be decrypted with the keys in MEDEXTRACT_DATA_KEY"):
        documents.page_image(ctx, new_id, 0, user="uma")


def test_a_missing_or_malformed_key_is_a_clear_error_and_the_worker_gets_plaintext(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, no_secrets_file: Path
) -> None:
    key = encryption.new_key()
    no_secrets_file.write_text(f'{KEY_ENV} = "{key}"\n')  # the app's secrets file, as DATABASE_URL
    doc_id = upload.add_upload(ctx, "a.png", png("a"), uploader="uma").document_id
    assert doc_id is not None and stored(ctx, doc_id)[0].startswith(PREFIX)

    no_secrets_file.unlink()
    with pytest.raises(DataKeyError, match="set MEDEXTRACT_DATA_KEY"):
        jobs.claim_next(ctx)
    monkeypatch.setenv(KEY_ENV, "not-a-key")
    with pytest.raises(DataKeyError, match="must be Fernet keys"):
        upload.add_upload(ctx, "b.png", png("b"), uploader="uma")

    monkeypatch.setenv(KEY_ENV, key)
    job = jobs.claim_next(ctx)
    assert job is not None and job.content == png("a")


def test_new_data_key_prints_a_key_and_touches_no_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--database-url", "postgresql://nowhere.invalid/none", "new-data-key"]) == 0
    key = capsys.readouterr().out.strip()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
    assert encryption.seal(b"x") == b"x"  # printing a key turns nothing on
