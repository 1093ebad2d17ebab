"""Single sign-on binds accounts by issuer and subject (services.sso), on SQLite and PostgreSQL.

The attack run signed an identity whose ``preferred_username`` was "admin" in as the local admin,
and matched an unverified e-mail address to its account. Neither may pick an account now.
"""

from __future__ import annotations

from typing import Any

import pytest

from medextract.errors import PermissionDenied
from medextract.services import accounts, audit, sso
from medextract.services.context import CLI, Context
from tests.test_store_support import SYSTEM

IDP = "https://login.example.org"
ROLE = "medextract_role"


def sign_in(ctx: Context, **claims: Any) -> Any:
    return sso.sign_in(ctx, {"iss": IDP, **claims}, role_claim=ROLE)


def test_a_chosen_preferred_username_never_picks_a_local_account(ctx: Context) -> None:
    # "ada" is the local administrator; the attacker calls themselves "ada" at the provider.
    who = sign_in(ctx, sub="evil-1", preferred_username="ada", name="Ada")
    assert who is not None and who.role is None and who.username != "ada"
    with_role = sign_in(ctx, sub="evil-1", preferred_username="ada", medextract_role="clerk")
    assert with_role.role == "clerk" and with_role.username.startswith("sso-")
    with pytest.raises(PermissionDenied):  # the services see a clerk, not the administrator
        accounts.list_accounts(ctx, by=with_role.username)
    assert accounts.get_account(ctx, "ada").role == "admin"  # type: ignore[union-attr]


def test_an_unverified_email_never_picks_an_account(ctx: Context) -> None:
    accounts.create_account(ctx, "boss@example.org", role="admin", by=CLI)
    for verified in (False, "false", None):
        claims = {"email": "Boss@Example.org", "email_verified": verified}
        who = sign_in(ctx, sub="evil-2", **{k: v for k, v in claims.items() if v is not None})
        assert who is not None and who.role is None and who.username != "boss@example.org"
    clerk = sign_in(
        ctx, sub="evil-2", email="boss@example.org", email_verified=False, medextract_role="clerk"
    )
    assert clerk.username != "boss@example.org" and clerk.role == "clerk"
    assert accounts.get_account(ctx, "boss@example.org").role == "admin"  # type: ignore[union-attr]


def test_a_verified_email_binds_the_pre_created_account_once_and_for_good(ctx: Context) -> None:
    accounts.create_account(ctx, "bob@example.org", role="supervisor", by=CLI)
    who = sign_in(ctx, sub="b-1", email="Bob@Example.org", email_verified=True, name="Bob")
    assert (who.username, who.role, who.display_name) == ("bob@example.org", "supervisor", "Bob")
    # The binding holds when the address changes at the provider ...
    again = sign_in(ctx, sub="b-1", email="robert@example.org", email_verified=True)
    assert (again.username, again.role) == ("bob@example.org", "supervisor")
    # ... and another identity with Bob's (verified) address is not Bob.
    other = sign_in(ctx, sub="b-2", email="bob@example.org", email_verified=True, medextract_role="admin")
    assert other.role is None and "linked to another" in (other.problem or "")
    assert accounts.get_account(ctx, "bob@example.org").role == "supervisor"  # type: ignore[union-attr]
    assert [e.action for e in audit.audit_log(ctx, user=SYSTEM)].count("sso_link") == 1


def test_a_role_claim_makes_a_bound_account_and_keeps_its_role_current(ctx: Context) -> None:
    who = sign_in(ctx, sub="c-1", email="cat@example.org", email_verified=True, medextract_role="clerk")
    assert (who.username, who.role) == ("cat@example.org", "clerk")
    account = accounts.get_account(ctx, "cat@example.org")
    assert account is not None and not account.has_password and account.role == "clerk"
    promoted = sign_in(
        ctx, sub="c-1", email="cat@example.org", email_verified=True, medextract_role="supervisor"
    )
    assert promoted.role == "supervisor"
    assert accounts.get_account(ctx, "cat@example.org").role == "supervisor"  # type: ignore[union-attr]
    accounts.deactivate(ctx, "cat@example.org", by="ada")
    blocked = sign_in(ctx, sub="c-1", email="cat@example.org", email_verified=True, medextract_role="admin")
    assert blocked.role is None and "deactivated" in (blocked.problem or "")
    assert accounts.get_account(ctx, "cat@example.org").role == "supervisor"  # type: ignore[union-attr]


def test_no_role_or_an_unknown_one_gives_no_access_and_no_account(ctx: Context) -> None:
    nobody = sign_in(ctx, sub="d-1", email="dan@example.org", email_verified=True)
    assert nobody.role is None and "no role" in (nobody.problem or "")
    odd = sign_in(ctx, sub="d-1", email="dan@example.org", email_verified=True, medextract_role="root")
    assert odd.role is None and "does not know" in (odd.problem or "")
    assert accounts.get_account(ctx, "dan@example.org") is None


def test_claims_without_issuer_or_subject_name_nobody(ctx: Context) -> None:
    assert sso.sign_in(ctx, {"sub": "x", "medextract_role": "admin"}, role_claim=ROLE) is None
    assert sso.sign_in(ctx, {"iss": IDP, "email": "x@example.org"}, role_claim=ROLE) is None
