"""medextract.auth: which role opens which page, and who an SSO sign-in is (pure rules)."""

from __future__ import annotations

import pytest

from medextract import auth

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


def test_the_role_claim_is_read_and_checked() -> None:
    assert auth.claimed_role({"medextract_role": " Supervisor "}, "medextract_role") == ("supervisor", None)
    assert auth.claimed_role({}, "medextract_role") == (None, None)
    role, problem = auth.claimed_role({"medextract_role": "root"}, "medextract_role")
    assert role is None and "does not know" in (problem or "")


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        ({"email": "Ana@Example.org", "email_verified": True}, "ana@example.org"),
        ({"email": "ana@example.org", "email_verified": "true"}, "ana@example.org"),  # Cognito's form
        ({"email": "ana@example.org", "email_verified": False}, None),
        ({"email": "ana@example.org", "email_verified": "false"}, None),
        ({"email": "ana@example.org"}, None),  # unverified unless the provider says so
        ({"preferred_username": "admin", "email_verified": True}, None),
        ({"email": "admin", "email_verified": True}, None),  # not an address
    ],
)
def test_only_a_verified_email_address_counts(claims: dict[str, object], expected: str | None) -> None:
    assert auth.verified_email(claims) == expected


def test_a_subject_username_comes_from_issuer_and_subject_only() -> None:
    name = auth.subject_username("https://idp.example", "248289761001")
    assert name.startswith("sso-") and len(name) == 20
    assert name != auth.subject_username("https://other.example", "248289761001")
