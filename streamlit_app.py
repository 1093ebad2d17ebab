"""MedExtract's review app: upload, review queue, review screen, records export, dashboard.

Run with `make run` (or `streamlit run streamlit_app.py`). The pages in pages/ only lay out
widgets; they talk to the database through medextract.store.Store, opened once per process.
"""

from __future__ import annotations

import streamlit as st

from medextract import ui_runtime, ui_state

st.set_page_config(page_title="MedExtract", page_icon="🩺", layout="wide")

# Opening the store here (not in each page) starts the background worker as soon as anyone opens
# the app, so documents uploaded earlier are extracted even before the Upload page is visited.
ui_runtime.get_store()

page = st.navigation(
    [
        st.Page(ui_runtime.UPLOAD_PAGE, title="Upload", icon=":material/upload_file:", default=True),
        st.Page(ui_runtime.QUEUE_PAGE, title="Queue", icon=":material/inbox:"),
        st.Page(ui_runtime.REVIEW_PAGE, title="Review", icon=":material/fact_check:"),
        st.Page(ui_runtime.RECORDS_PAGE, title="Records & export", icon=":material/table_view:"),
        st.Page(ui_runtime.DASHBOARD_PAGE, title="Dashboard", icon=":material/monitoring:"),
    ]
)
with st.sidebar:
    st.caption(f"Signed in as {ui_state.escape_markdown(ui_runtime.current_user())}")
page.run()
