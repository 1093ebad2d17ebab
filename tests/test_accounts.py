"""The accounts service on SQLite and PostgreSQL: hashing, account changes, sign-in, lockout, audit."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from medextract.accounts import LOCKED_OUT, LOCKOUT_FAILURES, WRONG_CREDENTIALS, AccountError
from medextract.models import User
from medextract.services import accounts, audit
from medextract.services.context import CLI, Context
from tests.test_store_support import CATALOG, SYSTEM

PASSWORD = "correct horse battery"


@pytest.fixture
def ctx(bare_ctx: Context) -> Context:
    """No accounts to begin with (the cheap test hasher, the fake clock)."""
    return bare_ctx


def stored_hash(ctx: Any, username: str) -> str | None:
    with ctx.engine.connect() as connection:
        return connection.execute(select(User.password_hash).where(User.username == username)).scalar_one()


def actions(ctx: Context) -> list[tuple[str, str]]:
    return [(e.user, e.action) for e in reversed(audit.audit_log(ctx, user=SYSTEM))]


def test_passwords_are_stored_as_argon2_hashes_never_plaintext(ctx: Context) -> None:
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=SYSTEM)
    hashed = stored_hash(ctx, "ana")
    assert hashed is not None and hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert accounts.verify_password(ctx, "ana", PASSWORD) is not None
    assert accounts.verify_password(ctx, "ana", PASSWORD + "x") is None
    assert accounts.verify_password(ctx, "nobody", PASSWORD) is None
    assert all(PASSWORD not in e.detail for e in audit.audit_log(ctx, user=SYSTEM))


def test_default_hasher_is_argon2id_and_old_parameters_are_upgraded_on_sign_in(ctx: Context) -> None:
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=SYSTEM)  # the cheap hasher
    old_hash = stored_hash(ctx, "ana")
    strong = Context(ctx.engine)  # argon2-cffi's recommended parameters
    assert accounts.verify_password(strong, "ana", PASSWORD) is not None
    new_hash = stored_hash(ctx, "ana")
    assert new_hash is not None and new_hash != old_hash and new_hash.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(new_hash)
    assert accounts.verify_password(strong, "ana", PASSWORD) is not None


def test_create_normalises_and_refuses_duplicates_bad_names_roles_and_short_passwords(
    ctx: Context,
) -> None:
    account = accounts.create_account(
        ctx, "  Ana.Lee@Example.org ", role="supervisor", display_name="Ana Lee", by=SYSTEM
    )
    assert (account.username, account.display_name, account.role) == (
        "ana.lee@example.org",
        "Ana Lee",
        "supervisor",
    )
    assert account.active and not account.has_password  # no password: single sign-on only
    with pytest.raises(AccountError, match="already taken"):
        accounts.create_account(ctx, "ANA.LEE@example.org", role="clerk", by=SYSTEM)
    with pytest.raises(AccountError, match="username"):
        accounts.create_account(ctx, "ana lee", role="clerk", by=SYSTEM)
    with pytest.raises(AccountError, match="role"):
        accounts.create_account(ctx, "bob", role="boss", by=SYSTEM)
    with pytest.raises(AccountError, match="12 characters"):
        accounts.create_account(ctx, "bob", role="clerk", password="elevenchars", by=SYSTEM)
    with pytest.raises(AccountError, match="12 characters"):
        accounts.create_account(ctx, "bob", role="clerk", password=" " * 20, by=SYSTEM)
    assert [a.username for a in accounts.list_accounts(ctx, by=SYSTEM)] == ["ana.lee@example.org"]
    assert accounts.get_account(ctx, "ANA.LEE@EXAMPLE.ORG") == account


def test_role_changes_deactivation_and_password_reset(ctx: Context) -> None:
    accounts.create_account(ctx, "root", role="admin", password=PASSWORD, by=CLI)
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by="root")
    assert accounts.set_role(ctx, "ana", "supervisor", by="root").role == "supervisor"
    with pytest.raises(AccountError, match="role"):
        accounts.set_role(ctx, "ana", "boss", by="root")
    with pytest.raises(AccountError, match="no user"):
        accounts.set_role(ctx, "bob", "clerk", by="root")

    accounts.deactivate(ctx, "ana", by="root")
    ana = accounts.get_account(ctx, "ana")
    assert ana is not None and not ana.active
    assert accounts.verify_password(ctx, "ana", PASSWORD) is None
    accounts.set_active(ctx, "ana", True, by="root")
    assert accounts.verify_password(ctx, "ana", PASSWORD) is not None

    accounts.set_password(ctx, "ana", "a brand new passphrase", by="root")
    assert accounts.verify_password(ctx, "ana", PASSWORD) is None
    assert accounts.verify_password(ctx, "ana", "a brand new passphrase") is not None
    with pytest.raises(AccountError, match="12 characters"):
        accounts.set_password(ctx, "ana", "short", by="root")
    assert not accounts.set_password(ctx, "ana", None, by="root").has_password
    assert accounts.verify_password(ctx, "ana", "a brand new passphrase") is None
    assert [a for u, a in actions(ctx) if u == "root"] == [
        "user_create",
        "user_role",
        "user_active",
        "user_active",
        "user_password",
        "user_password",
    ]


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(ctx: Context) -> None:
    accounts.create_account(ctx, "root", role="admin", password=PASSWORD, by=CLI)
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_role(ctx, "root", "clerk", by="root")
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.deactivate(ctx, "root", by="root")
    accounts.create_account(ctx, "second", role="admin", by="root")
    accounts.deactivate(ctx, "root", by="second")
    assert accounts.active_admins(ctx) == 1


def test_authenticate_audits_success_and_failure_without_the_password(ctx: Context) -> None:
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=CLI)
    wrong = accounts.authenticate(ctx, "ana", "not the password")
    unknown = accounts.authenticate(ctx, "nobody", PASSWORD)
    assert (wrong.ok, wrong.message) == (False, WRONG_CREDENTIALS)
    assert unknown.message == wrong.message  # nothing tells whether the username exists
    right = accounts.authenticate(ctx, " ANA ", PASSWORD)
    assert right.ok and right.account is not None and right.account.username == "ana"
    assert actions(ctx)[-3:] == [("ana", "login_failed"), ("nobody", "login_failed"), ("ana", "login")]
    assert all(
        PASSWORD not in e.detail and "not the password" not in e.detail
        for e in audit.audit_log(ctx, user=SYSTEM)
    )


def test_lockout_after_repeated_failures_then_it_expires(ctx: Context, clock: Any) -> None:
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=CLI)
    for _ in range(LOCKOUT_FAILURES):
        assert accounts.authenticate(ctx, "ana", "guess guess guess").message == WRONG_CREDENTIALS
        clock.advance(seconds=30)
    locked = accounts.authenticate(ctx, "ana", PASSWORD)  # even the right password is refused now
    assert (locked.ok, locked.message) == (False, LOCKED_OUT)
    assert accounts.is_locked(ctx, "ana")
    clock.advance(minutes=9)  # the oldest failures leave the 10-minute window
    assert not accounts.is_locked(ctx, "ana")
    assert accounts.authenticate(ctx, "ana", PASSWORD).ok


def test_a_success_resets_the_failure_count_and_other_users_are_not_affected(
    ctx: Context, clock: Any
) -> None:
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=CLI)
    accounts.create_account(ctx, "bob", role="clerk", password=PASSWORD, by=CLI)
    for _ in range(LOCKOUT_FAILURES - 1):
        accounts.authenticate(ctx, "ana", "wrong wrong wrong")
        clock.advance(seconds=1)
    assert accounts.authenticate(ctx, "ana", PASSWORD).ok
    clock.advance(seconds=1)
    for _ in range(LOCKOUT_FAILURES - 1):
        accounts.authenticate(ctx, "ana", "wrong wrong wrong")
        clock.advance(seconds=1)
    assert not accounts.is_locked(ctx, "ana")
    for _ in range(LOCKOUT_FAILURES):
        accounts.authenticate(ctx, "ana", "wrong wrong wrong")
    assert accounts.is_locked(ctx, "ana") and not accounts.is_locked(ctx, "bob")
    assert accounts.authenticate(ctx, "bob", PASSWORD).ok


def test_inactive_and_password_less_accounts_cannot_sign_in_with_a_password(ctx: Context) -> None:
    accounts.create_account(ctx, "root", role="admin", password=PASSWORD, by=CLI)
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by="root")
    accounts.create_account(ctx, "sso@example.org", role="clerk", by="root")
    accounts.deactivate(ctx, "ana", by="root")
    assert accounts.authenticate(ctx, "ana", PASSWORD).message == WRONG_CREDENTIALS
    assert accounts.authenticate(ctx, "sso@example.org", "").message == WRONG_CREDENTIALS
    assert (
        accounts.authenticate(ctx, "x" * 500, "y" * 5000).message == WRONG_CREDENTIALS
    )  # long input is fine


class CountingHasher(PasswordHasher):
    """The tests' cheap hasher, counting password checks. Each check also waits until every
    attempt has started (or a moment has passed), as a real argon2 check takes ~50 ms: attempts
    that read the failure count before checking would all read the same old count."""

    def __init__(self, attempts: int) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.checks = 0
        self._lock = threading.Lock()
        self.started = threading.Barrier(attempts)

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        with self._lock:
            self.checks += 1
        with contextlib.suppress(threading.BrokenBarrierError):
            self.started.wait(timeout=0.5)  # in the fixed code only a few arrive: don't wait long
        return super().verify(hash, password)


def test_parallel_wrong_passwords_past_the_limit_are_refused_without_being_checked(
    database_url: str, clock: Any
) -> None:
    attempts = 40
    hasher = CountingHasher(attempts)
    ctx = Context.open(database_url, catalog=CATALOG, clock=clock, hasher=hasher)
    try:
        accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=CLI)
        go = threading.Barrier(attempts)

        def guess(index: int) -> str:
            go.wait(timeout=30)
            return accounts.authenticate(ctx, "ana", f"guess number {index}").message

        with ThreadPoolExecutor(max_workers=attempts) as pool:
            answers = list(pool.map(guess, range(attempts)))
        assert answers.count(WRONG_CREDENTIALS) == LOCKOUT_FAILURES
        assert answers.count(LOCKED_OUT) == attempts - LOCKOUT_FAILURES
        assert hasher.checks == LOCKOUT_FAILURES  # the others were refused before any check
        assert accounts.authenticate(ctx, "ana", PASSWORD).message == LOCKED_OUT
        assert accounts.is_locked(ctx, "ana")
    finally:
        ctx.close()


@pytest.mark.parametrize(
    ("username", "password", "why"),
    [
        ("ana", "aaaaaaaaaaaa", "Repeats"),
        ("ana", "password1234", "very common password"),
        ("ana.lee.2026", "ana.lee.2026", "must not be the user name"),
        ("ana.lee.2026", "Ana.Lee.2026 ", "must not be the user name"),
        ("annabelle", "annabelle1234", "too easy to guess"),
        ("ana", "qwertyuiop12", "too easy to guess"),
    ],
)
def test_common_and_trivial_passwords_are_refused_with_the_reason(
    ctx: Context, username: str, password: str, why: str
) -> None:
    with pytest.raises(AccountError, match=why):
        accounts.create_account(ctx, username, role="clerk", password=password, by=CLI)
    assert accounts.get_account(ctx, username) is None
    accounts.create_account(ctx, username, role="clerk", password=PASSWORD, by=CLI)
    with pytest.raises(AccountError, match=why):
        accounts.set_password(ctx, username, password, by=CLI)
    assert accounts.verify_password(ctx, username, PASSWORD) is not None  # unchanged
