"""medextract.accounts on SQLite and PostgreSQL: hashing, account changes, sign-in, lockout, audit."""

from __future__ import annotations

from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from medextract.accounts import (
    LOCKED_OUT,
    LOCKOUT_FAILURES,
    WRONG_CREDENTIALS,
    AccountError,
    Accounts,
)
from medextract.models import User

PASSWORD = "correct horse battery"
# Cheap argon2 parameters: the same code paths, a fraction of the CPU on a shared machine.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def accounts(store: Any, clock: Any) -> Accounts:
    return Accounts(store, clock=clock, hasher=FAST)


def stored_hash(store: Any, username: str) -> str | None:
    with store.engine.connect() as connection:
        return connection.execute(select(User.password_hash).where(User.username == username)).scalar_one()


def actions(store: Any) -> list[tuple[str, str]]:
    return [(e.user, e.action) for e in reversed(store.audit_log())]


def test_passwords_are_stored_as_argon2_hashes_never_plaintext(store: Any, accounts: Accounts) -> None:
    accounts.create("ana", role="clerk", password=PASSWORD, by="admin")
    hashed = stored_hash(store, "ana")
    assert hashed is not None and hashed.startswith("$argon2id$")
    assert PASSWORD not in hashed
    assert accounts.verify_password("ana", PASSWORD) is not None
    assert accounts.verify_password("ana", PASSWORD + "x") is None
    assert accounts.verify_password("nobody", PASSWORD) is None
    assert all(PASSWORD not in e.detail for e in store.audit_log())


def test_default_hasher_is_argon2id_and_old_parameters_are_upgraded_on_sign_in(store: Any) -> None:
    weak = Accounts(store, hasher=FAST)
    weak.create("ana", role="clerk", password=PASSWORD, by="admin")
    old_hash = stored_hash(store, "ana")
    strong = Accounts(store)  # argon2-cffi's recommended parameters
    assert strong.verify_password("ana", PASSWORD) is not None
    new_hash = stored_hash(store, "ana")
    assert new_hash is not None and new_hash != old_hash and new_hash.startswith("$argon2id$")
    assert not PasswordHasher().check_needs_rehash(new_hash)
    assert strong.verify_password("ana", PASSWORD) is not None


def test_create_normalises_and_refuses_duplicates_bad_names_roles_and_short_passwords(
    accounts: Accounts,
) -> None:
    account = accounts.create("  Ana.Lee@Example.org ", role="supervisor", display_name="Ana Lee", by="x")
    assert (account.username, account.display_name, account.role) == (
        "ana.lee@example.org",
        "Ana Lee",
        "supervisor",
    )
    assert account.active and not account.has_password  # no password: single sign-on only
    with pytest.raises(AccountError, match="already taken"):
        accounts.create("ANA.LEE@example.org", role="clerk", by="x")
    with pytest.raises(AccountError, match="username"):
        accounts.create("ana lee", role="clerk", by="x")
    with pytest.raises(AccountError, match="role"):
        accounts.create("bob", role="boss", by="x")
    with pytest.raises(AccountError, match="12 characters"):
        accounts.create("bob", role="clerk", password="elevenchars", by="x")
    with pytest.raises(AccountError, match="12 characters"):
        accounts.create("bob", role="clerk", password=" " * 20, by="x")
    assert [a.username for a in accounts.list()] == ["ana.lee@example.org"]
    assert accounts.get("ANA.LEE@EXAMPLE.ORG") == account


def test_role_changes_deactivation_and_password_reset(store: Any, accounts: Accounts) -> None:
    accounts.create("root", role="admin", password=PASSWORD, by="cli")
    accounts.create("ana", role="clerk", password=PASSWORD, by="root")
    assert accounts.set_role("ana", "supervisor", by="root").role == "supervisor"
    with pytest.raises(AccountError, match="role"):
        accounts.set_role("ana", "boss", by="root")
    with pytest.raises(AccountError, match="no user"):
        accounts.set_role("bob", "clerk", by="root")

    accounts.deactivate("ana", by="root")
    assert accounts.get("ana") is not None and not accounts.get("ana").active  # type: ignore[union-attr]
    assert accounts.verify_password("ana", PASSWORD) is None
    accounts.set_active("ana", True, by="root")
    assert accounts.verify_password("ana", PASSWORD) is not None

    accounts.set_password("ana", "a brand new passphrase", by="root")
    assert accounts.verify_password("ana", PASSWORD) is None
    assert accounts.verify_password("ana", "a brand new passphrase") is not None
    with pytest.raises(AccountError, match="12 characters"):
        accounts.set_password("ana", "short", by="root")
    assert not accounts.set_password("ana", None, by="root").has_password
    assert accounts.verify_password("ana", "a brand new passphrase") is None
    assert [a for u, a in actions(store) if u == "root"] == [
        "user_create",
        "user_role",
        "user_active",
        "user_active",
        "user_password",
        "user_password",
    ]


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(accounts: Accounts) -> None:
    accounts.create("root", role="admin", password=PASSWORD, by="cli")
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.set_role("root", "clerk", by="root")
    with pytest.raises(AccountError, match="last active administrator"):
        accounts.deactivate("root", by="root")
    accounts.create("second", role="admin", by="root")
    accounts.deactivate("root", by="second")
    assert accounts.active_admins() == 1


def test_authenticate_audits_success_and_failure_without_the_password(store: Any, accounts: Accounts) -> None:
    accounts.create("ana", role="clerk", password=PASSWORD, by="cli")
    wrong = accounts.authenticate("ana", "not the password")
    unknown = accounts.authenticate("nobody", PASSWORD)
    assert (wrong.ok, wrong.message) == (False, WRONG_CREDENTIALS)
    assert unknown.message == wrong.message  # nothing tells whether the username exists
    right = accounts.authenticate(" ANA ", PASSWORD)
    assert right.ok and right.account is not None and right.account.username == "ana"
    assert actions(store)[-3:] == [("ana", "login_failed"), ("nobody", "login_failed"), ("ana", "login")]
    assert all(PASSWORD not in e.detail and "not the password" not in e.detail for e in store.audit_log())


def test_lockout_after_repeated_failures_then_it_expires(accounts: Accounts, clock: Any) -> None:
    accounts.create("ana", role="clerk", password=PASSWORD, by="cli")
    for _ in range(LOCKOUT_FAILURES):
        assert accounts.authenticate("ana", "guess guess guess").message == WRONG_CREDENTIALS
        clock.advance(seconds=30)
    locked = accounts.authenticate("ana", PASSWORD)  # even the right password is refused now
    assert (locked.ok, locked.message) == (False, LOCKED_OUT)
    assert accounts.is_locked("ana")
    clock.advance(minutes=9)  # the oldest failures leave the 10-minute window
    assert not accounts.is_locked("ana")
    assert accounts.authenticate("ana", PASSWORD).ok


def test_a_success_resets_the_failure_count_and_other_users_are_not_affected(
    accounts: Accounts, clock: Any
) -> None:
    accounts.create("ana", role="clerk", password=PASSWORD, by="cli")
    accounts.create("bob", role="clerk", password=PASSWORD, by="cli")
    for _ in range(LOCKOUT_FAILURES - 1):
        accounts.authenticate("ana", "wrong wrong wrong")
        clock.advance(seconds=1)
    assert accounts.authenticate("ana", PASSWORD).ok
    clock.advance(seconds=1)
    for _ in range(LOCKOUT_FAILURES - 1):
        accounts.authenticate("ana", "wrong wrong wrong")
        clock.advance(seconds=1)
    assert not accounts.is_locked("ana")
    for _ in range(LOCKOUT_FAILURES):
        accounts.authenticate("ana", "wrong wrong wrong")
    assert accounts.is_locked("ana") and not accounts.is_locked("bob")
    assert accounts.authenticate("bob", PASSWORD).ok


def test_inactive_and_password_less_accounts_cannot_sign_in_with_a_password(accounts: Accounts) -> None:
    accounts.create("root", role="admin", password=PASSWORD, by="cli")
    accounts.create("ana", role="clerk", password=PASSWORD, by="root")
    accounts.create("sso@example.org", role="clerk", by="root")
    accounts.deactivate("ana", by="root")
    assert accounts.authenticate("ana", PASSWORD).message == WRONG_CREDENTIALS
    assert accounts.authenticate("sso@example.org", "").message == WRONG_CREDENTIALS
    assert accounts.authenticate("x" * 500, "y" * 5000).message == WRONG_CREDENTIALS  # long input is fine
