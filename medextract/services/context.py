"""What every service shares (the database, the clock, the catalog) and the check of who is acting.

A :class:`Context` is opened once per process and database and passed to every operation. Each
operation names its acting person; :func:`authorize` loads that account afresh in the operation's
own transaction and checks that it exists, is active and has a role that may perform the action
(``medextract.lifecycle``). So a role change or a deactivation applies to the very next call,
whatever front end made it, and nothing a page or a request remembers decides a role.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import Engine, bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from medextract import lifecycle
from medextract.accounts import normalize_username
from medextract.catalog import Catalog, default_catalog
from medextract.config import WebhookConfig, webhook_config
from medextract.db import create_db_engine, resolve_url, upgrade, writer
from medextract.errors import PermissionDenied
from medextract.models import User

CLAIM_MINUTES_ENV = "MEDEXTRACT_CLAIM_MINUTES"
DEFAULT_CLAIM_MINUTES = 30.0

Clock = Callable[[], datetime]


@dataclass(frozen=True)
class System:
    """The server itself acting (the shell's CLI, the extraction worker), not a person.

    Trusted without an account: only code running on the server makes one. A name that comes from
    a browser or a request is always a ``str`` and is looked up as an account.
    """

    name: str


CLI = System("cli")
WORKER = System("worker")
Actor = str | System


def utcnow() -> datetime:
    return datetime.now(UTC)


def claim_minutes() -> float:
    """How long a review claim lasts without a save or open by its holder: env, default 30."""
    raw = os.environ.get(CLAIM_MINUTES_ENV, "").strip()
    try:
        minutes = float(raw) if raw else DEFAULT_CLAIM_MINUTES
    except ValueError:
        return DEFAULT_CLAIM_MINUTES
    return minutes if minutes > 0 else DEFAULT_CLAIM_MINUTES


class Writes:
    """``ctx.write``: ``with ctx.write.begin() as session`` opens a write transaction.

    On SQLite (BEGIN IMMEDIATE: one writer at a time) this process's writers also queue on a lock
    first. Waiting on SQLite's own lock means sleeping and retrying (1, 2, 5 ... 100 ms), which
    under ten concurrent API clients cost more than the writes themselves; the lock wakes the next
    writer the moment one commits. Writers in other processes still queue on SQLite's lock.
    """

    def __init__(self, factory: sessionmaker[Session], dialect: str) -> None:
        self._factory = factory
        self._lock = threading.RLock() if dialect == "sqlite" else None

    @contextmanager
    def begin(self) -> Iterator[Session]:
        if self._lock is None:
            with self._factory.begin() as session:
                yield session
            return
        with self._lock, self._factory.begin() as session:
            yield session


class Context:
    """The database's sessions, the clock, the catalog, the claim timeout, the password hasher and
    the webhook.

    Thread-safe: every operation opens its own session and transaction from ``read`` or ``write``.
    """

    def __init__(
        self,
        engine: Engine,
        *,
        catalog: Catalog | None = None,
        clock: Clock | None = None,
        claim_timeout: timedelta | None = None,
        hasher: PasswordHasher | None = None,
        webhook: WebhookConfig | None = None,
    ) -> None:
        """Use ``engine`` as is (its schema must be at head: prefer :meth:`open`).

        ``webhook``: where verified and rejected documents are announced, by default the
        deployment's (``config.webhook_config``); None there means no webhook.
        """
        self.engine = engine
        self.read = sessionmaker(engine, expire_on_commit=False)
        self.write = Writes(sessionmaker(writer(engine), expire_on_commit=False), engine.dialect.name)
        self.now: Clock = clock or utcnow
        self.claim_timeout = claim_timeout or timedelta(minutes=claim_minutes())
        self.hasher = hasher or PasswordHasher()
        self.webhook = webhook or webhook_config()
        self._catalog = catalog
        self._catalog_lock = threading.Lock()

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        catalog: Catalog | None = None,
        clock: Clock | None = None,
        claim_timeout: timedelta | None = None,
        hasher: PasswordHasher | None = None,
    ) -> Context:
        """Connect (``url``, else env DATABASE_URL, else SQLite in the data dir) and migrate to head."""
        engine = create_db_engine(resolve_url(url))
        upgrade(engine)
        return cls(engine, catalog=catalog, clock=clock, claim_timeout=claim_timeout, hasher=hasher)

    @property
    def url(self) -> str:
        """The database URL with any password masked: safe to show or log."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def catalog(self) -> Catalog:
        """Document types, labels and validation (the engine's, loaded on first use)."""
        with self._catalog_lock:
            if self._catalog is None:
                self._catalog = default_catalog()
            return self._catalog

    def close(self) -> None:
        """Release the connection pool."""
        self.engine.dispose()


_ACCOUNT = select(User.username, User.active, User.role).where(User.username == bindparam("name"))


def authorize(session: Session, actor: Actor, action: str) -> str:
    """The name the audit log gives ``actor``, once it may perform ``action``; else PermissionDenied.

    A person's account is read in ``session`` (the operation's own transaction): it must exist, be
    active, and have a role that ``lifecycle.may`` perform the action. A :class:`System` actor is
    the server itself and may do anything.
    """
    if isinstance(actor, System):
        return actor.name
    name = normalize_username(actor)
    # Three columns, not the ORM object: every call of every front end starts here.
    user = session.execute(_ACCOUNT, {"name": name}).first()
    if user is None:
        raise PermissionDenied(
            f"There is no account {name!r} here; ask an administrator for one.", username=name, action=action
        )
    if not user.active:
        raise PermissionDenied(
            f"The account {name} has been deactivated; ask an administrator.", username=name, action=action
        )
    if not lifecycle.may(user.role, action):
        raise PermissionDenied(lifecycle.refusal(action), username=name, action=action)
    return user.username
