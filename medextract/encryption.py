"""Encryption at rest of the uploaded documents and their page images: on when a key is set.

``MEDEXTRACT_DATA_KEY`` (in ./.streamlit/secrets.toml, as DATABASE_URL, else in the environment)
holds one or more Fernet keys separated by commas (``python -m medextract new-data-key`` makes
one). The first key encrypts what is stored from then on; every key listed decrypts. Fernet (from
the ``cryptography`` package) is AES-128-CBC with an HMAC-SHA256 over it: a stored value that was
changed or read with the wrong key is refused, never returned garbled.

A stored value carries a prefix, so documents stored before a key was set stay readable, and
``python -m medextract reencrypt-data`` (:func:`reencrypt`) brings every stored value under the
first key: it encrypts the plaintext ones and re-encrypts those under an older key (rotation: put
the new key first, keep the old one after it, run the command, then drop the old key).

Not encrypted here, because the database must query them: extracted and verified values, file
names, accounts and the audit log (keep those in an encrypted volume or database), nor the files'
SHA-256, which finds duplicate uploads.
"""

from __future__ import annotations

import functools
import os
import tomllib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from medextract import config

if TYPE_CHECKING:
    from medextract.services.context import Context

KEY_ENV = "MEDEXTRACT_DATA_KEY"
PREFIX = b"mxfernet1:"  # what marks a stored value as encrypted (plaintext never starts with it)
BATCH = 50


class DataKeyError(Exception):
    """A stored value cannot be decrypted (no key, or not the key it was encrypted with), or the
    configured key is not a Fernet key; the message says what to set."""


def new_key() -> str:
    """A new random key, as MEDEXTRACT_DATA_KEY takes it."""
    return Fernet.generate_key().decode("ascii")


def data_keys() -> tuple[str, ...]:
    """The configured keys, first the one that encrypts; empty when encryption is off."""
    raw = _secret_key() or os.environ.get(KEY_ENV, "")
    return tuple(key.strip() for key in raw.split(",") if key.strip())


def _secret_key() -> str:
    try:
        secrets = tomllib.loads(config.SECRETS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ""
    except tomllib.TOMLDecodeError as exc:
        raise config.ConfigError(f"{config.SECRETS} is not valid TOML: {exc}") from exc
    value = secrets.get(KEY_ENV)
    return value if isinstance(value, str) else ""


@functools.lru_cache(maxsize=4)
def _fernets(keys: tuple[str, ...]) -> tuple[Fernet, MultiFernet]:
    """(the encrypting key, all the keys) for ``keys``."""
    try:
        each = [Fernet(key.encode("ascii")) for key in keys]
    except (ValueError, UnicodeEncodeError) as exc:
        raise DataKeyError(
            f"{KEY_ENV} must be Fernet keys (32 url-safe base64-encoded bytes) separated by commas;"
            " make one with: python -m medextract new-data-key"
        ) from exc
    return each[0], MultiFernet(each)


def is_encrypted(stored: bytes) -> bool:
    return bytes(stored[: len(PREFIX)]) == PREFIX


def seal(data: bytes) -> bytes:
    """What to store for ``data``: encrypted with the first key, or ``data`` itself without a key."""
    keys = data_keys()
    if not keys:
        return data
    first, _ = _fernets(keys)
    return PREFIX + first.encrypt(data)


def unseal(stored: bytes) -> bytes:
    """The plaintext of a stored value (stored before encryption was on: as it is)."""
    stored = bytes(stored)
    if not is_encrypted(stored):
        return stored
    keys = data_keys()
    if not keys:
        raise DataKeyError(f"The stored files are encrypted: set {KEY_ENV} to the key they were stored with.")
    _, every = _fernets(keys)
    try:
        return every.decrypt(stored[len(PREFIX) :])
    except InvalidToken as exc:
        raise DataKeyError(
            f"A stored file cannot be decrypted with the keys in {KEY_ENV}: add the key it was stored"
            " with (after the new one) until `python -m medextract reencrypt-data` has run."
        ) from exc


def _current(stored: bytes, first: Fernet) -> bool:
    """Whether ``stored`` is already encrypted with the first key."""
    if not is_encrypted(stored):
        return False
    try:
        first.decrypt(stored[len(PREFIX) :])
    except InvalidToken:
        return False
    return True


@dataclass(frozen=True)
class Reencrypted:
    """How many stored values ``reencrypt`` rewrote, and how many were current already."""

    documents: int
    page_images: int
    unchanged: int


def reencrypt(ctx: Context) -> Reencrypted:
    """Bring every document's bytes (and its upload, kept apart once a page was rotated) and page
    image under the first key, one row at a time.

    Safe while the app and the workers run: a document's upload never changes, its ``content``
    only by a rotation (a row is rewritten here only if it still holds what was read), and a page
    image is replaced by new rows (never updated).
    Raises DataKeyError when no key is set or a value was stored with a key no longer listed.
    """
    from sqlalchemy import select, update

    from medextract.models import Document, PageImage

    keys = data_keys()
    if not keys:
        raise DataKeyError(f"Set {KEY_ENV} first (make a key with: python -m medextract new-data-key).")
    first, _ = _fernets(keys)
    counts = {"documents": 0, "page_images": 0, "unchanged": 0}
    for name, table, column in (
        ("documents", Document, Document.content),
        ("documents", Document, Document.original_content),  # a rotated document's upload
        ("page_images", PageImage, PageImage.data),
    ):
        last = 0
        while True:
            with ctx.read() as session:
                ids = list(
                    session.execute(
                        select(table.id).where(table.id > last).order_by(table.id).limit(BATCH)
                    ).scalars()
                )
            if not ids:
                break
            last = ids[-1]
            for row_id in ids:
                with ctx.write.begin() as session:
                    stored = session.execute(select(column).where(table.id == row_id)).scalar()
                    if stored is None:  # no upload kept apart: nothing stored to count
                        continue
                    if _current(bytes(stored), first):
                        counts["unchanged"] += 1
                        continue
                    value = PREFIX + first.encrypt(unseal(bytes(stored)))
                    session.execute(
                        update(table)
                        .where(table.id == row_id, column == stored)  # not if a rotation replaced it
                        .values({column.key: value})
                        .execution_options(synchronize_session=False)
                    )
                    counts[name] += 1
    return Reencrypted(**counts)
