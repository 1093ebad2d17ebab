"""Log in: single sign-on when configured, else (or also) a MedExtract username and password.

An SSO user the app gives no role lands here too, with the reason and a way to log out.
"""

from __future__ import annotations

import streamlit as st

from app import ui_runtime, ui_state
from medextract.services import accounts

st.title("Log in to MedExtract")

identity = ui_runtime.signed_in()
if identity is not None and identity.role is not None:
    ui_runtime.go_on()  # signed in already (the rerun after signing in): on to the linked page
if identity is not None and identity.role is None:
    st.warning(ui_state.escape_markdown(identity.problem or "You have no role in MedExtract yet."))
    st.info(
        "Ask an administrator to give you a role. Tell them you signed in as "
        f"**{ui_state.escape_markdown(identity.username)}**."
    )
    if st.button("Log out", key="logout_no_role", icon=":material/logout:"):
        ui_runtime.log_out()
    st.stop()

if ui_runtime.sso_enabled():
    if st.button("Log in with single sign-on", key="login_sso", type="primary", icon=":material/key:"):
        st.login()
    st.caption("Or with a MedExtract username and password:")

# A refused attempt keeps the username typed and empties only the password (set before the
# widgets exist: Streamlit refuses a widget's value changed after it is drawn).
if st.session_state.pop("login_clear_password", False):
    st.session_state["login_password"] = ""

with st.form("login_form", clear_on_submit=False, enter_to_submit=True):
    username = st.text_input("Username", key="login_username", autocomplete="username")
    password = st.text_input(
        "Password", type="password", key="login_password", autocomplete="current-password"
    )
    submitted = st.form_submit_button("Log in", key="login_submit")

if submitted:
    problem = ui_runtime.log_in(username, password)
    if problem is None:
        st.rerun()  # on to the app: the login widgets, not drawn there, leave the session state
    st.session_state["login_error"] = problem
    st.session_state["login_clear_password"] = True
    st.rerun()
if "login_error" in st.session_state:
    st.error(st.session_state.pop("login_error"))

if accounts.active_admins(ui_runtime.get_context()) == 0:
    st.info(
        "No administrator exists yet. Create the first one on the server with "
        "`python -m medextract create-user --role admin USERNAME`."
    )
