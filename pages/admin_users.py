"""Users (administrators only): create accounts, change roles, deactivate, reset passwords, and
make, list and revoke the HTTP API's tokens (a new token is shown once).

The rules (password length, the last administrator, who may manage accounts, auditing) live in
medextract.services.accounts; this page only lays out widgets and shows the refusals as they come.
"""

from __future__ import annotations

import streamlit as st

from app import ui_runtime, ui_state
from medextract.errors import StoreError
from medextract.lifecycle import ROLES, role_label
from medextract.services import accounts, tokens

NOTICE = "users_notice"  # (kind, markdown-safe text) of the last action, shown until the next one
NEW_TOKEN = "users_new_token"  # (username, token) of the token just made: shown once, then dropped

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


def create_token() -> None:
    """Make an API token for the chosen account; the page shows it once."""
    try:
        made = tokens.create_token(
            ctx,
            st.session_state.get("users_token_user", ""),
            by=me.username,
            expires_days=int(st.session_state.get("users_token_days", 90)),
            name=st.session_state.get("users_token_name", ""),
        )
    except StoreError as exc:
        _refused(exc)
        return
    st.session_state["users_token_name"] = ""
    st.session_state[NEW_TOKEN] = (made.info.username, made.token)


def revoke_token() -> None:
    try:
        info = tokens.revoke_token(ctx, st.session_state.get("users_token_revoke", ""), by=me.username)
    except StoreError as exc:
        _refused(exc)
        return
    _done(f"Token {info.key_id} of {info.username} is revoked.")


# Kept, not popped: a run that showed it may be cut short by the next rerun (a field left
# on the way to the button), and a popped notice would then never reach the browser.
notice = st.session_state.get(NOTICE)
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

# Keyed: a refused new user (passwords that differ, a name taken) leaves the form open and filled in.
with st.expander("Add a user", expanded=not people, key="users_add_box"):
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

st.subheader("API tokens")
st.caption(
    "For systems that call the HTTP API. A token acts as its account, with that account's role at "
    "the time of each call, until it expires or is revoked."
)
fresh = st.session_state.pop(NEW_TOKEN, None)  # popped: the next run of the page no longer has it
if fresh is not None:
    owner, secret = fresh
    st.success(ui_state.escape_markdown(f"New token for {owner}. Copy it now: it is shown only this once."))
    st.code(secret, language=None)
now = ctx.now()
issued = tokens.list_tokens(ctx, by=me.username)
if issued:
    st.dataframe(
        [
            {
                "key id": t.key_id,
                "user": t.username,
                "name": t.name,
                "state": t.state(now),
                "expires": t.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
                "last used": t.last_used_at.strftime("%Y-%m-%d %H:%M UTC") if t.last_used_at else "never",
                "made by": t.created_by,
            }
            for t in issued
        ],
        hide_index=True,
        key="users_tokens_table",
    )
active_people = [a.username for a in people if a.active]
with st.expander("Make a token", expanded=False):
    st.selectbox("For user", active_people, key="users_token_user")
    st.number_input(
        "Valid for (days)", min_value=1, max_value=tokens.MAX_DAYS, value=90, key="users_token_days"
    )
    st.text_input("What it is for (e.g. the system that will use it)", key="users_token_name")
    st.button("Make token", key="users_token_create", on_click=create_token, disabled=not active_people)
revocable = [t.key_id for t in issued if t.state(now) == "active"]
if revocable:
    labels = {t.key_id: f"{t.key_id} ({t.username}, {t.name})" for t in issued}
    st.selectbox("Token", revocable, format_func=labels.__getitem__, key="users_token_revoke")
    st.button("Revoke token", key="users_token_revoke_button", on_click=revoke_token)
