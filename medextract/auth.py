"""Who may do what, and who a signed-in person is: pure rules, no Streamlit, unit-tested.

Roles and what each may do are ``medextract.lifecycle``'s (a clerk uploads and reviews; a
supervisor also sees records, the export and the dashboard and may reopen a verified record; an
admin also manages users). A page needs the role of the action it is for (``PAGE_ACTION``); a page
not listed there is for every role. The services check the role again in every operation.

Single sign-on (OIDC): the claims are read here (the role claim, a *verified* e-mail address);
which account an identity is, by its issuer and subject, is ``medextract.services.sso``'s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from medextract import lifecycle
from medextract.accounts import USERNAME_MAX, normalize_username

PAGE_ACTION: dict[str, str] = {
    "pages/records.py": lifecycle.RECORDS,
    "pages/dashboard.py": lifecycle.DASHBOARD,
    "pages/layouts.py": lifecycle.LAYOUTS,
    "pages/admin_users.py": lifecycle.MANAGE_ACCOUNTS,
}
PAGE_ROLE: dict[str, str] = {page: lifecycle.ACTION_ROLE[action] for page, action in PAGE_ACTION.items()}
DEFAULT_ROLE_CLAIM = "medextract_role"
UNKNOWN_ROLE = "Your sign-in names a role this app does not know."
NO_ROLE = "You have no role in MedExtract yet."
DEACTIVATED = "Your account here has been deactivated."

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


def claimed_role(claims: Mapping[str, Any], role_claim: str) -> tuple[str | None, str | None]:
    """(role, problem) from the ID token's role claim: (None, None) when it names none, (None,
    why) when it names a role this app does not know."""
    claimed = claims.get(role_claim)
    if not isinstance(claimed, str) or not claimed.strip():
        return None, None
    role = claimed.strip().lower()
    if role in lifecycle.ROLES:
        return role, None
    return None, UNKNOWN_ROLE


def verified_email(claims: Mapping[str, Any]) -> str | None:
    """The e-mail address as a username, only when the provider says it verified it.

    ``email_verified`` must be true (some providers send the string "true"); an address a person
    merely typed at the provider proves nothing.
    """
    email = claims.get("email")
    verified = claims.get("email_verified")
    if isinstance(verified, str):
        verified = verified.strip().lower() == "true"
    if verified is not True or not isinstance(email, str) or "@" not in email:
        return None
    name = normalize_username(email)
    return name if len(name) <= USERNAME_MAX else None


def display_name(claims: Mapping[str, Any], fallback: str) -> str:
    """The person's name from the ``name`` claim, else ``fallback``."""
    name = claims.get("name")
    return name.strip()[:200] if isinstance(name, str) and name.strip() else fallback


def subject_username(issuer: str, subject: str) -> str:
    """A username for an SSO person without a verified e-mail: derived from issuer and subject,
    never from a name the person chose ("sso-" and 16 hex digits)."""
    digest = hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()
    return f"sso-{digest[:16]}"
