"""Single sign-on end to end: real `streamlit run`, real headless Chromium, a local mock OIDC provider.

The app gets a temporary secrets.toml (``--secrets.files``) whose ``[auth]`` points at
tests/oidc_mock.py. Clicking "Log in with single sign-on" goes through Streamlit's st.login
(Authlib: discovery, authorize, token exchange with PKCE, ID-token signature and nonce checks)
and back; the role comes from the ID token's claim. A password account signs in and out in the
same browser, and an SSO user without a role is sent to an administrator.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.oidc_mock import OidcMock, oidc_provider
from tests.test_e2e_browser import chromium_tab, free_port, stop_app, wait_for_rerun, wait_healthy
from tests.test_store_support import SYSTEM

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
SUPERVISOR = {
    "sub": "u-1",
    "email": "Sam@Example.org",
    "email_verified": True,
    "name": "Sam Super",
    "medextract_role": "supervisor",
}
NO_ROLE = {"sub": "u-2", "email": "eve@example.org", "email_verified": True, "name": "Eve"}


def write_secrets(path: Path, app_url: str, provider: OidcMock) -> None:
    """The [auth] section st.login reads, plus our role-claim setting (TOML via JSON strings)."""
    values = {
        "redirect_uri": f"{app_url}/oauth2callback",
        "cookie_secret": secrets.token_urlsafe(32),
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "server_metadata_url": f"{provider.base_url}/.well-known/openid-configuration",
    }
    lines = ["[auth]", *(f"{k} = {json.dumps(v)}" for k, v in values.items())]
    lines += ["", "[medextract]", 'role_claim = "medextract_role"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.fixture
def provider() -> Iterator[OidcMock]:
    with oidc_provider(**SUPERVISOR) as mock:
        yield mock


@pytest.fixture
def app(tmp_path: Path, provider: OidcMock) -> Iterator[tuple[str, Path]]:
    """`streamlit run` with SSO configured; a password clerk exists. Yields (URL, data folder)."""
    from medextract.services import accounts
    from medextract.services.context import Context

    data = tmp_path / "data"
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        accounts.create_account(
            ctx, "clara", role="clerk", display_name="Clara Clerk", password=PASSWORD, by=SYSTEM
        )
    finally:
        ctx.close()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = tmp_path / "secrets.toml"
    write_secrets(secrets_file, url, provider)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(MEDEXTRACT_DATA_DIR=str(data), MEDEXTRACT_BACKGROUND_WORKER="0")
    command = [
        str(Path(sys.executable).parent / "streamlit"),
        "run",
        "serve.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--secrets.files",
        str(secrets_file),
    ]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_healthy(url, process)
        yield url, data
    finally:
        stop_app(process)


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_tab((1300, 900), 20_000) as tab:
        yield tab


def nav_links(page: Any) -> list[str]:
    """The page names in the sidebar's navigation (each link's text ends with its title)."""
    page.locator('[data-testid="stSidebarNav"]').wait_for()
    return [
        t.strip().splitlines()[-1] for t in page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    ]


def audit(data: Path) -> list[tuple[str, str, str]]:
    from medextract.services import audit as service
    from medextract.services.context import Context

    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        return [(e.user, e.action, e.detail) for e in reversed(service.audit_log(ctx, user=SYSTEM))]
    finally:
        ctx.close()


def test_single_sign_on_then_password_login_and_logout(
    app: tuple[str, Path], provider: OidcMock, page: Any
) -> None:
    url, data = app
    page.goto(url)
    page.get_by_text("Log in to MedExtract").wait_for()

    # Single sign-on: the provider approves at once; the role comes from the ID token's claim.
    page.get_by_role("button", name="Log in with single sign-on").click()
    page.get_by_text("Signed in as Sam Super (sam@example.org)").wait_for()
    page.get_by_text("Role: Supervisor").wait_for()
    assert nav_links(page) == [
        "Upload",
        "Queue",
        "Review",
        "Records & export",
        "Dashboard",
        "Learned layouts",
    ]
    assert provider.log.count("/token") == 1  # a real code exchange happened
    page.get_by_role("link", name="Records & export").click()
    page.get_by_text("Verified records", exact=True).wait_for()

    wait_for_rerun(page)  # a click during a run may land on a button the run replaces

    page.get_by_role("button", name="Log out").click()
    page.get_by_text("Log in to MedExtract").wait_for()
    page.get_by_role("button", name="Log in with single sign-on").wait_for()
    assert page.get_by_text("Signed in as").count() == 0

    # A password account in the same browser: a clerk sees only the clerk's pages.
    page.get_by_label("Username", exact=True).fill("clara")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_text("Signed in as Clara Clerk (clara)").wait_for()
    assert nav_links(page) == ["Upload", "Queue", "Review"]
    wait_for_rerun(page)  # a click during a run may land on a button the run replaces
    page.get_by_role("button", name="Log out").click()
    page.get_by_text("Log in to MedExtract").wait_for()
    assert page.get_by_text("Page not found").count() == 0

    # An SSO user the app gives no role is signed in at the provider but gets no access here.
    provider.claims = dict(NO_ROLE)
    page.get_by_role("button", name="Log in with single sign-on").click()
    page.get_by_text("You have no role in MedExtract yet.").wait_for()
    page.get_by_text("Ask an administrator").wait_for()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    wait_for_rerun(page)  # a click during a run may land on a button the run replaces
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in with single sign-on").wait_for()

    events = [(user, action) for user, action, _ in audit(data) if action.startswith(("login", "logout"))]
    assert events == [
        ("sam@example.org", "login"),
        ("sam@example.org", "logout"),
        ("clara", "login"),
        ("clara", "logout"),
        ("eve@example.org", "login_failed"),
        ("eve@example.org", "logout"),
    ]
    assert all(PASSWORD not in detail for _, _, detail in audit(data))
