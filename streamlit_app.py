"""MedExtract's review app: upload, review queue, review screen, records export, dashboard, users.

Run with `make run` (or `streamlit run streamlit_app.py`). The pages in pages/ only lay out
widgets and call medextract.services with the signed-in person, through one Context per process
(app.ui_runtime). Nobody sees a page before signing in; each role sees only its pages
(medextract.auth.PAGE_ROLE), the restricted pages check the role again themselves, and every
service operation checks the account and its role once more. A refusal from the services
(medextract.errors.StoreError) that a page does not handle itself is shown here as a message.
"""

from __future__ import annotations

import streamlit as st

from app import review_actions, ui_runtime, ui_session, ui_state
from medextract import auth, lifecycle
from medextract.errors import StoreError

st.set_page_config(page_title="MedExtract", page_icon="🩺", layout="wide")

# Opening the services here (not in each page) starts the background worker as soon as anyone opens
# the app, so documents uploaded earlier are extracted even before the Upload page is visited.
ui_runtime.get_context()

PAGES = [  # (path, title, icon), in menu order
    (ui_runtime.UPLOAD_PAGE, "Upload", ":material/upload_file:"),
    (ui_runtime.QUEUE_PAGE, "Queue", ":material/inbox:"),
    (ui_runtime.REVIEW_PAGE, "Review", ":material/fact_check:"),
    (ui_runtime.RECORDS_PAGE, "Records & export", ":material/table_view:"),
    (ui_runtime.DASHBOARD_PAGE, "Dashboard", ":material/monitoring:"),
    (ui_runtime.LAYOUTS_PAGE, "Learned layouts", ":material/dashboard_customize:"),
    (ui_runtime.USERS_PAGE, "Users", ":material/manage_accounts:"),
]

identity = ui_runtime.signed_in()
if identity is None or identity.role is None:
    # Only the login page exists. A link to another page (/review?doc=7) shows it too, without a
    # "page not found", and leads on to the linked page once the person has signed in.
    page = st.navigation(
        [
            st.Page(ui_runtime.LOGIN_PAGE, title="Log in", icon=":material/login:", default=True),
            *(
                st.Page(
                    ui_runtime.LOGIN_PAGE,
                    title=title,
                    url_path=ui_runtime.url_path(path),
                    visibility="hidden",
                )
                for path, title, _ in PAGES
            ),
        ]
    )
    if page.url_path:
        ui_runtime.remember_destination(page.url_path, st.query_params.to_dict())
else:
    allowed = [(path, title, icon) for path, title, icon in PAGES if auth.may_open(identity.role, path)]
    page = st.navigation(
        [
            *(
                st.Page(path, title=title, icon=icon, default=index == 0)
                for index, (path, title, icon) in enumerate(allowed)
            ),
            # Hidden, but registered: the sign-in's rerun and log_out() land on it, and it moves
            # a signed-in person on to the first page (no "page not found" in between).
            st.Page(ui_runtime.LOGIN_PAGE, title="Log in", visibility="hidden"),
        ]
    )
    with st.sidebar:
        shown = identity.display_name
        if shown != identity.username:
            shown = f"{shown} ({identity.username})"
        st.caption(f"Signed in as {ui_state.escape_markdown(shown)}")
        st.caption(f"Role: {lifecycle.role_label(identity.role)}")
        if st.button("Log out", key="logout", icon=":material/logout:"):
            review_actions.leave_open_document()  # its claim is released, what was typed kept
            ui_runtime.log_out()
ui_session.sync_cookie(identity is not None and identity.role is not None)
try:
    page.run()
except StoreError as exc:  # e.g. PermissionDenied: the account was deactivated since the last click
    st.error(ui_state.escape_markdown(str(exc)))
