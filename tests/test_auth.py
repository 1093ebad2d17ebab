"""medextract.auth: which role opens which page, and who an SSO sign-in is (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from medextract import auth
from medextract.accounts import Account

EVERYONE = ["pages/upload.py", "pages/queue.py", "pages/review.py"]
SUPERVISORS = ["pages/records.py", "pages/dashboard.py"]
ADMINS = ["pages/admin_users.py"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("clerk", EVERYONE),
        ("supervisor", EVERYONE + SUPERVISORS),
        ("admin", EVERYONE + SUPERVISORS + ADMINS),
        (None, []),
        ("boss", []),
    ],
)
def test_pages_per_role(role: str | None, allowed: list[str]) -> None:
    assert [p for p in EVERYONE + SUPERVISORS + ADMINS if auth.may_open(role, p)] == allowed


def test_refusal_messages_name_the_role_needed() -> None:
    assert "only for a supervisor" in auth.needed_role_message("supervisor")
    assert "only for an administrator" in auth.needed_role_message("admin")


def test_role_claim_name_from_settings() -> None:
    assert auth.role_claim_name(None) == "medextract_role"
    assert auth.role_claim_name({"role_claim": " groups_role "}) == "groups_role"
    assert auth.role_claim_name({"role_claim": ""}) == "medextract_role"


def account(username: str, role: str = "clerk", *, active: bool = True) -> Account:
    return Account(username, username, role, active, False, datetime(2026, 1, 1, tzinfo=UTC))


def finder(*accounts: Account):  # type: ignore[no-untyped-def]
    by_name = {a.username: a for a in accounts}
    return lambda name: by_name.get(name.strip().lower())


CLAIMS = {"sub": "123", "email": "Ana@Example.org", "name": "Ana Lee"}


def test_the_role_claim_wins() -> None:
    who = auth.sso_identity(CLAIMS | {"medextract_role": "Supervisor"}, finder(), "medextract_role")
    assert who == auth.Identity("ana@example.org", "Ana Lee", "supervisor", "oidc")


def test_without_the_claim_the_pre_created_account_decides() -> None:
    who = auth.sso_identity(CLAIMS, finder(account("ana@example.org", "admin")), "medextract_role")
    assert who is not None and who.role == "admin" and who.username == "ana@example.org"
    by_login = {"sub": "9", "preferred_username": "bob", "name": "Bob"}
    who = auth.sso_identity(by_login, finder(account("bob", "supervisor")), "medextract_role")
    assert who is not None and (who.username, who.role) == ("bob", "supervisor")


def test_no_role_anywhere_or_an_unknown_one_gives_no_access_with_a_reason() -> None:
    nobody = auth.sso_identity(CLAIMS, finder(), "medextract_role")
    assert nobody is not None and nobody.role is None and "no role" in (nobody.problem or "")
    odd = auth.sso_identity(CLAIMS | {"medextract_role": "root"}, finder(), "medextract_role")
    assert odd is not None and odd.role is None and "does not know" in (odd.problem or "")


def test_a_deactivated_account_blocks_even_with_a_role_claim() -> None:
    claims = CLAIMS | {"medextract_role": "admin"}
    who = auth.sso_identity(claims, finder(account("ana@example.org", active=False)), "medextract_role")
    assert who is not None and who.role is None and "deactivated" in (who.problem or "")


def test_claims_naming_nobody() -> None:
    assert auth.sso_identity({"name": "No One"}, finder(), "medextract_role") is None
    who = auth.sso_identity({"sub": "abc", "medextract_role": "clerk"}, finder(), "medextract_role")
    assert who is not None and (who.username, who.display_name, who.role) == ("abc", "abc", "clerk")
