"""Login and roles in AppTest: what each role sees, direct access refused, sign in and out, SSO, Users."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from app import ui_runtime
from medextract.services import accounts, audit, review
from medextract.services.context import CLI
from tests.app_support import REPO, app, login_state, open_context, seed, texts
from tests.test_store_support import SYSTEM

PASSWORD = "correct horse battery"
ALL_PAGES = [
    ui_runtime.UPLOAD_PAGE,
    ui_runtime.QUEUE_PAGE,
    ui_runtime.REVIEW_PAGE,
    ui_runtime.RECORDS_PAGE,
    ui_runtime.DASHBOARD_PAGE,
    ui_runtime.USERS_PAGE,
]
CLERK_PAGES = ALL_PAGES[:3]
SUPERVISOR_PAGES = ALL_PAGES[:5]


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def reachable(at: AppTest) -> list[str]:
    """The app's pages navigation offered in ``at``'s first run (switch_page refuses any other).

    AppTest (Streamlit 1.67) runs the entrypoint only on an AppTest's first run; later runs run the
    page alone. Checks of the navigation therefore use a first run (see ``next_run``).
    """
    found = []
    for page in ALL_PAGES:
        try:
            at.switch_page(page)
        except ValueError:
            continue
        found.append(page)
    return found


def next_run(at: AppTest) -> AppTest:
    """The whole app run again with ``at``'s sign-in state, as the browser's next click would."""
    again = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=30)
    for key in ("user", "auth_method"):
        if key in at.session_state:
            again.session_state[key] = at.session_state[key]
    again.run()
    assert not again.exception, [e.value for e in again.exception]
    return again


def signed_out(at: AppTest) -> bool:
    """Only the login page exists, and it is on screen."""
    return reachable(at) == [] and at.title[0].value == "Log in to MedExtract"


def sidebar(at: AppTest) -> list[str]:
    return [c.value for c in at.sidebar.caption]


def actions(ctx: Any) -> list[tuple[str, str]]:
    return [(e.user, e.action) for e in reversed(audit.audit_log(ctx, user=SYSTEM))]


def sign_in(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_username").input(username)
    at.text_input(key="login_password").input(password)
    return at.button(key="login_submit").click().run()


def test_signed_out_only_the_login_page_exists(ctx: Any) -> None:
    at = app(role=None)
    assert signed_out(at)
    assert at.title[0].value == "Log in to MedExtract"
    assert "create-user --role admin" in texts(at)  # no administrator yet: how to make one
    assert not at.sidebar.button  # no Log out


@pytest.mark.parametrize(
    ("role", "pages", "label"),
    [
        ("clerk", CLERK_PAGES, "Clerk"),
        ("supervisor", SUPERVISOR_PAGES, "Supervisor"),
        ("admin", ALL_PAGES, "Administrator"),
    ],
)
def test_each_role_sees_its_pages_and_its_name_in_the_sidebar(
    ctx: Any, role: str, pages: list[str], label: str
) -> None:
    at = app(role=role, user="ana")
    assert reachable(at) == pages
    assert sidebar(at) == ["Signed in as ana", f"Role: {label}"]
    assert at.sidebar.button(key="logout").label == "Log out"


@pytest.mark.parametrize("page", [ui_runtime.RECORDS_PAGE, ui_runtime.DASHBOARD_PAGE, ui_runtime.USERS_PAGE])
def test_a_clerk_opening_a_restricted_page_directly_is_refused_and_sees_no_data(ctx: Any, page: str) -> None:
    [doc_id] = seed(ctx, 1)
    doc = review.start_review(ctx, doc_id, user="ana")
    assert review.verify(ctx, doc_id, {}, user="ana", expected_version=doc.version).ok
    at = AppTest.from_file(str(REPO / page), default_timeout=30)
    for key, value in login_state("ana", "clerk").items():
        at.session_state[key] = value
    at.run()
    assert not at.exception
    assert "Ask an administrator" in at.error[0].value
    assert not at.title and not at.dataframe and not at.metric and not at.get("download_button")
    assert "John Smith" not in texts(at)


def test_a_supervisor_opening_the_users_page_directly_is_refused(ctx: Any) -> None:
    at = AppTest.from_file(str(REPO / ui_runtime.USERS_PAGE), default_timeout=30)
    for key, value in login_state("sam", "supervisor").items():
        at.session_state[key] = value
    at.run()
    assert "only for an administrator" in at.error[0].value and not at.dataframe


def test_restricted_pages_refuse_a_session_that_only_claims_to_be_signed_in(ctx: Any) -> None:
    at = AppTest.from_file(str(REPO / ui_runtime.RECORDS_PAGE), default_timeout=30)
    at.session_state["user"] = "ghost"  # no such account: session state alone proves nothing
    at.session_state["auth_method"] = "password"
    at.run()
    assert at.error[0].value == "Please log in first." and not at.title


def test_sign_in_with_the_right_password(ctx: Any) -> None:
    accounts.create_account(ctx, "ana", role="supervisor", display_name="Ana Lee", password=PASSWORD, by=CLI)
    at = sign_in(app(role=None), " Ana ", PASSWORD)
    assert not at.exception
    assert at.title[0].value == "Upload documents"  # moved on from the login page
    assert (at.session_state["user"], at.session_state["auth_method"]) == ("ana", "password")
    assert "login_password" not in at.session_state or at.session_state["login_password"] == ""
    at = next_run(at)
    assert sidebar(at) == ["Signed in as Ana Lee \\(ana\\)", "Role: Supervisor"]
    assert reachable(at) == SUPERVISOR_PAGES
    assert actions(ctx)[-1] == ("ana", "login")


LOGOUT_SCRIPT = """
import streamlit as st
from app import ui_runtime

if st.button("Log out", key="logout"):
    st.session_state["sso"] = ui_runtime.end_session()
st.write(repr(ui_runtime.signed_in()))
"""


def test_log_out_audits_and_forgets_the_session(ctx: Any) -> None:
    at = AppTest.from_string(LOGOUT_SCRIPT, default_timeout=30)
    for key, value in login_state("ana", "clerk").items():
        at.session_state[key] = value
    at.run()
    assert at.markdown[0].value.startswith("Identity(username='ana'")
    at.button(key="logout").click().run()
    assert at.markdown[0].value == "None"
    assert "user" not in at.session_state and at.session_state["sso"] is False
    assert actions(ctx)[-1] == ("ana", "logout")
    assert signed_out(next_run(at))


def test_a_wrong_password_shows_a_generic_message_and_is_audited(ctx: Any) -> None:
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=CLI)
    at = sign_in(app(role=None), "ana", "not my password")
    assert at.error[0].value == "Wrong username or password."
    assert "user" not in at.session_state and signed_out(next_run(at))
    unknown = sign_in(app(role=None), "nobody", PASSWORD)
    assert unknown.error[0].value == "Wrong username or password."
    assert actions(ctx)[-2:] == [("ana", "login_failed"), ("nobody", "login_failed")]


def test_a_wrong_password_keeps_the_username_typed_and_empties_the_password(ctx: Any) -> None:
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=CLI)
    at = sign_in(app(role=None), "ana", "not my password")
    assert at.error[0].value == "Wrong username or password."
    assert at.text_input(key="login_username").value == "ana"
    assert at.text_input(key="login_password").value == ""
    at.text_input(key="login_password").input(PASSWORD)
    at.button(key="login_submit").click().run()
    assert at.session_state["user"] == "ana"


def test_repeated_failures_lock_the_username(ctx: Any) -> None:
    accounts.create_account(ctx, "ana", role="clerk", password=PASSWORD, by=CLI)
    at = app(role=None)
    for _ in range(5):
        sign_in(at, "ana", "guess guess guess")
    sign_in(at, "ana", PASSWORD)
    assert "Too many failed attempts" in at.error[0].value
    assert "user" not in at.session_state


def test_a_deactivated_user_is_signed_out_at_the_next_click(ctx: Any) -> None:
    at = app(role="clerk", user="ana")
    accounts.create_account(ctx, "root", role="admin", password=PASSWORD, by=CLI)
    accounts.deactivate(ctx, "ana", by="root")
    assert signed_out(next_run(at))


IDP = "https://login.example.org"
VERIFIED = {"email": "ana@example.org", "email_verified": True}


def sso_app(claims: dict[str, Any], **secrets: Any) -> AppTest:
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=30)
    at.user = {"is_logged_in": True, "iss": IDP, **claims}  # what st.user holds after st.login
    for key, value in secrets.items():
        at.secrets[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sso_role_from_the_id_token_claim(ctx: Any) -> None:
    at = sso_app(
        {
            "sub": "a-1",
            **VERIFIED,
            "email": "Ana@Example.org",
            "name": "Ana Lee",
            "medextract_role": "supervisor",
        }
    )
    assert reachable(at) == SUPERVISOR_PAGES
    assert sidebar(at) == ["Signed in as Ana Lee \\(ana\\@example\\.org\\)", "Role: Supervisor"]
    assert at.session_state["user"] == "ana@example.org"
    assert actions(ctx)[-1] == ("ana@example.org", "login")


def test_sso_claim_name_is_configurable_and_the_database_maps_the_rest(ctx: Any) -> None:
    settings = {"medextract": {"role_claim": "app_role"}}
    at = sso_app({"sub": "a-1", **VERIFIED, "app_role": "admin", "medextract_role": "clerk"}, **settings)
    assert reachable(at) == ALL_PAGES
    accounts.create_account(ctx, "bob@example.org", role="clerk", by=CLI)  # pre-created, no password
    at = sso_app(
        {"sub": "b-1", "email": "bob@example.org", "email_verified": True, "name": "Bob"}, **settings
    )
    assert reachable(at) == CLERK_PAGES


def test_sso_cannot_take_over_a_local_account_by_a_chosen_name_or_an_unverified_email(ctx: Any) -> None:
    accounts.create_account(ctx, "admin", role="admin", password=PASSWORD, by=CLI)
    accounts.create_account(ctx, "boss@example.org", role="admin", password=PASSWORD, by=CLI)
    chosen = sso_app({"sub": "evil-1", "preferred_username": "admin", "name": "Admin"})
    assert signed_out(chosen) and "no role" in chosen.warning[0].value
    assert not ("user" in chosen.session_state and chosen.session_state["user"] == "admin")
    unverified = sso_app({"sub": "evil-2", "email": "boss@example.org", "email_verified": False})
    assert signed_out(unverified)
    # With a role claim the identity gets its own account, never the local one of the same name.
    clerk = sso_app({"sub": "evil-1", "preferred_username": "admin", "medextract_role": "clerk"})
    assert reachable(clerk) == CLERK_PAGES
    assert clerk.session_state["user"].startswith("sso-")
    assert accounts.get_account(ctx, "admin").role == "admin"  # type: ignore[union-attr]


def test_sso_user_without_a_role_is_told_to_ask_an_administrator(ctx: Any) -> None:
    at = sso_app({"sub": "e-1", "email": "eve@example.org", "email_verified": True, "name": "Eve"})
    assert signed_out(at)
    assert "no role" in at.warning[0].value and "Ask an administrator" in at.info[0].value
    assert not at.text_input  # no password form: this person is signed in, just without access
    assert actions(ctx)[-1] == ("eve@example.org", "login_failed")
    at.button(key="logout_no_role").click().run()
    assert actions(ctx)[-1] == ("eve@example.org", "logout")


def test_the_sso_button_shows_only_when_auth_is_configured(ctx: Any) -> None:
    plain = app(role=None)
    assert [b.key for b in plain.button if b.key == "login_sso"] == []
    at = AppTest.from_file(str(REPO / "streamlit_app.py"), default_timeout=30)
    at.secrets["auth"] = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x"}
    at.run()
    assert at.button(key="login_sso").label == "Log in with single sign-on"


def test_an_admin_creates_a_user_and_changes_its_role_on_the_users_page(ctx: Any) -> None:
    at = app(ui_runtime.USERS_PAGE, role="admin", user="root")
    at.text_input(key="users_new_username").input("Bob")
    at.text_input(key="users_new_display").input("*Bob* [x](http://evil)")
    at.selectbox(key="users_new_role").set_value("supervisor")
    at.text_input(key="users_new_password").input("short")
    at.text_input(key="users_new_password2").input("short")
    at.button(key="users_create").click().run()
    assert "12 characters" in at.error[0].value and accounts.get_account(ctx, "bob") is None

    at.text_input(key="users_new_password").input(PASSWORD)
    at.text_input(key="users_new_password2").input(PASSWORD)
    at.button(key="users_create").click().run()
    assert at.success[0].value == "Created bob \\(Supervisor\\)\\."
    bob = accounts.get_account(ctx, "bob")
    assert bob is not None and bob.role == "supervisor" and bob.display_name == "*Bob* [x](http://evil)"
    assert accounts.verify_password(ctx, "bob", PASSWORD) is not None

    at.selectbox(key="users_pick").set_value("bob").run()
    at.selectbox(key="users_role_bob").set_value("clerk")
    at.button(key="users_save_role").click().run()
    at.button(key="users_toggle_active").click().run()
    bob = accounts.get_account(ctx, "bob")
    assert bob is not None and (bob.role, bob.active) == ("clerk", False)
    assert ("root", "user_create") in actions(ctx) and ("root", "user_active") in actions(ctx)


def test_the_account_is_loaded_once_per_run_and_again_at_the_next_run(
    ctx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A clerk's rerun loads the account once (not for each guard and button), and the same
    session's next run loads it afresh: a deactivation applies at the next click."""
    [doc_id] = seed(ctx)
    at = app(ui_runtime.REVIEW_PAGE, role="clerk", user="ana", review_doc_id=doc_id)
    assert f"Review #{doc_id}" in texts(at)
    loads: list[str] = []
    real = accounts.get_account

    def counted(ctx: Any, username: str) -> Any:
        loads.append(username)
        return real(ctx, username)

    monkeypatch.setattr(accounts, "get_account", counted)
    at.run()
    assert not at.exception and f"Review #{doc_id}" in texts(at)
    assert loads == ["ana"]
    accounts.create_account(ctx, "root", role="admin", password=PASSWORD, by=CLI)
    accounts.deactivate(ctx, "ana", by="root")
    at.run()  # the same session, the next click
    assert "Please log in first." in texts(at)
    assert f"Review #{doc_id}" not in texts(at)
