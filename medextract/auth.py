"""Who may do what, and who a signed-in person is: pure rules, no Streamlit, unit-tested.

Roles and what each may do are ``medextract.lifecycle``'s (a clerk uploads and reviews; a
supervisor also sees records, the export and the dashboard and may reopen a verified record; an
admin also manages users). A page needs the role of the action it is for (``PAGE_ACTION``); a page
not listed there is for every role. The services check the role again in every operation.

Single sign-on (OIDC) identities come from the ID token's claims. The role is the claim named
by ``role_claim`` when present, else the role of the account an admin pre-created with the
person's e-mail address or username. A deactivated account blocks SSO too. Without a valid role
the person is signed in at the provider but gets no access here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from medextract import lifecycle
from medextract.accounts import USERNAME_MAX, Account, normalize_username

PAGE_ACTION: dict[str, str] = {
    "pages/records.py": lifecycle.RECORDS,
    "pages/dashboard.py": lifecycle.DASHBOARD,
    "pages/admin_users.py": lifecycle.MANAGE_ACCOUNTS,
}
PAGE_ROLE: dict[str, str] = {page: lifecycle.ACTION_ROLE[action] for page, action in PAGE_ACTION.items()}
DEFAULT_ROLE_CLAIM = "medextract_role"

Method = Literal["password", "oidc"]


@dataclass(frozen=True)
class Identity:
    """The person using a session. ``role`` None means signed in elsewhere but no access here;
    ``problem`` then says why, in words for that person.
    """

    username: str
    display_name: str
    role: str | None
    method: Method
    problem: str | None = None


def may_open(role: str | None, page: str) -> bool:
    """Whether ``role`` may use the page at path ``page`` (e.g. "pages/records.py")."""
    return lifecycle.has_role(role, PAGE_ROLE.get(page, lifecycle.CLERK))


def needed_role_message(page_role: str) -> str:
    """What a person without the right role is told on a page they may not use."""
    article = "an" if page_role == lifecycle.ADMIN else "a"
    who = f"{article} {lifecycle.role_label(page_role).lower()}"
    return f"This page is only for {who}. Ask an administrator if you need it."


def role_claim_name(settings: Mapping[str, Any] | None) -> str:
    """The ID-token claim holding the role: ``[medextract] role_claim`` in secrets, else the default."""
    value = (settings or {}).get("role_claim")
    return value.strip() if isinstance(value, str) and value.strip() else DEFAULT_ROLE_CLAIM


def sso_username(claims: Mapping[str, Any]) -> str | None:
    """The username an SSO person is known by here: e-mail, else preferred_username, else sub."""
    for key in ("email", "preferred_username", "sub"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            return normalize_username(value)[:USERNAME_MAX]  # the width of every user column
    return None


def sso_identity(
    claims: Mapping[str, Any], find_account: Callable[[str], Account | None], role_claim: str
) -> Identity | None:
    """The identity for ID-token ``claims`` (None when they name nobody).

    ``find_account`` looks an account up by username; it is tried with the e-mail address, then
    preferred_username. The claim's role wins over the account's; an inactive account blocks.
    """
    username = sso_username(claims)
    if username is None:
        return None
    account = None
    for key in ("email", "preferred_username"):
        value = claims.get(key)
        if isinstance(value, str) and value.strip():
            account = find_account(value)
            if account is not None:
                break
    if account is not None:
        username = account.username
    name = claims.get("name")
    display = name.strip() if isinstance(name, str) and name.strip() else username
    if account is not None and not account.active:
        return Identity(username, display, None, "oidc", "Your account here has been deactivated.")
    claimed = claims.get(role_claim)
    if isinstance(claimed, str) and claimed.strip():
        role = claimed.strip().lower()
        if role in lifecycle.ROLES:
            return Identity(username, display, role, "oidc")
        return Identity(username, display, None, "oidc", "Your sign-in names a role this app does not know.")
    if account is not None:
        return Identity(username, display, account.role, "oidc")
    return Identity(username, display, None, "oidc", "You have no role in MedExtract yet.")
