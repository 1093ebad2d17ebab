"""Users (administrators only): create accounts, change roles, deactivate, reset passwords.

The rules (password length, the last administrator, who may manage accounts, auditing) live in
medextract.services.accounts; this page only lays out widgets and shows the refusals as they come.
"""

from __future__ import annotations

import streamlit as st

from app import ui_runtime, ui_state
from medextract.errors import StoreError
from medextract.lifecycle import ROLES, role_label
from medextract.services import accounts

NOTICE = "users_notice"  # (kind, markdown-safe text) shown once after an action

me = ui_runtime.require_page_role(ui_runtime.USERS_PAGE)
ctx = ui_runtime.get_context()

st.title("Users")


def _done(text: str) -> None:
    st.session_state[NOTICE] = ("success", ui_state.escape_markdown(text))


def _refused(exc: StoreError) -> None:
    st.session_state[NOTICE] = ("error", ui_state.escape_markdown(str(exc)))


def create() -> None:
    """Create the account typed in the form; a blank password makes a single-sign-on account."""
    password = st.session_state.get("users_new_password", "")
    if password != st.session_state.get("users_new_password2", ""):
        st.session_state[NOTICE] = ("error", "The two passwords differ.")
        return
    try:
        account = accounts.create_account(
            ctx,
            st.session_state.get("users_new_username", ""),
            role=st.session_state.get("users_new_role", "clerk"),
            display_name=st.session_state.get("users_new_display", ""),
            password=password or None,
            by=me.username,
        )
    except StoreError as exc:
        _refused(exc)
        return
    for key in ("users_new_username", "users_new_display", "users_new_password", "users_new_password2"):
        st.session_state[key] = ""  # ready for the next one; the passwords are not kept around
    _done(f"Created {account.username} ({role_label(account.role)}).")


def save_role(username: str) -> None:
    try:
        account = accounts.set_role(ctx, username, st.session_state[f"users_role_{username}"], by=me.username)
    except StoreError as exc:
        _refused(exc)
        return
    _done(f"{account.username} is now {role_label(account.role)}.")


def toggle_active(username: str, active: bool) -> None:
    try:
        account = accounts.set_active(ctx, username, active, by=me.username)
    except StoreError as exc:
        _refused(exc)
        return
    _done(f"{account.username} is {'active again' if account.active else 'deactivated'}.")


def reset_password(username: str) -> None:
    password = st.session_state.get("users_reset_password", "")
    try:
        account = accounts.set_password(ctx, username, password, by=me.username)
    except StoreError as exc:
        _refused(exc)
        return
    st.session_state["users_reset_password"] = ""  # a callback may reset a widget before it renders
    _done(f"New password set for {account.username}.")


notice = st.session_state.pop(NOTICE, None)
if notice is not None:
    kind, text = notice
    (st.success if kind == "success" else st.error)(text)

people = accounts.list_accounts(ctx, by=me.username)
st.dataframe(  # a table shows text literally: names are never read as markdown
    [
        {
            "username": a.username,
            "name": a.display_name,
            "role": role_label(a.role),
            "active": "yes" if a.active else "no",
            "sign-in": "password" if a.has_password else "single sign-on only",
            "created": a.created_at.strftime("%Y-%m-%d %H:%M UTC"),
        }
        for a in people
    ],
    hide_index=True,
    key="users_table",
)

with st.expander("Add a user", expanded=not people):
    st.text_input("Username (an e-mail address for single sign-on users)", key="users_new_username")
    st.text_input("Name", key="users_new_display")
    st.selectbox("Role", ROLES, format_func=role_label, key="users_new_role")
    st.text_input(
        "Password (at least 12 characters; leave blank for single sign-on)",
        type="password",
        key="users_new_password",
    )
    st.text_input("Password again", type="password", key="users_new_password2")
    st.button("Add user", key="users_create", on_click=create, type="primary")

if people:
    st.subheader("Change a user")
    chosen = st.selectbox("User", [a.username for a in people], key="users_pick")
    account = next(a for a in people if a.username == chosen)
    role_column, active_column = st.columns(2)
    with role_column:
        st.selectbox(
            "Role",
            ROLES,
            index=ROLES.index(account.role),
            format_func=role_label,
            key=f"users_role_{account.username}",
        )
        st.button("Save role", key="users_save_role", on_click=save_role, args=(account.username,))
    with active_column:
        st.caption("Active" if account.active else "Deactivated")
        st.button(
            "Deactivate" if account.active else "Reactivate",
            key="users_toggle_active",
            on_click=toggle_active,
            args=(account.username, not account.active),
        )
    st.text_input("New password (at least 12 characters)", type="password", key="users_reset_password")
    st.button("Set password", key="users_set_password", on_click=reset_password, args=(account.username,))
