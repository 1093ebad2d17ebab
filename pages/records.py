"""Records & export: verified records of one type as a table, and the CSV that leaves the app."""

from __future__ import annotations

from datetime import date

import streamlit as st

from app import ui_runtime, ui_state
from medextract import export
from medextract.services import records as service

ANYONE = "Anyone"

# Supervisors and admins only: refuse before reading anything, also when opened by URL.
me = ui_runtime.require_page_role(ui_runtime.RECORDS_PAGE)
ctx = ui_runtime.get_context()

st.title("Verified records")

type_column, dates_column, reviewer_column = st.columns(3)
doc_type = type_column.selectbox(
    "Type", ui_state.doc_type_names(), format_func=ui_state.doc_type_label, key="records_type"
)
picked_dates = dates_column.date_input("Verified between", value=(), key="records_dates")
reviewer = reviewer_column.selectbox(
    "Reviewer", [ANYONE, *service.reviewers(ctx, user=me.username)], key="records_reviewer"
)
provenance = st.checkbox(
    "Include provenance columns (engine value, corrected, confidence)", key="records_provenance"
)

date_from, date_to = ui_state.date_bounds(picked_dates)
records = service.verified_records(
    ctx,
    doc_type,
    user=me.username,
    date_from=date_from,
    date_to=date_to,
    reviewer=None if reviewer == ANYONE else reviewer,
)

st.caption(f"{len(records)} verified record(s)")
if records:
    st.dataframe(
        export.records_frame(records, doc_type, provenance=provenance), hide_index=True, key="records_table"
    )
else:
    st.info("No verified records match these filters.")
st.download_button(
    "Download CSV",
    data=export.records_to_csv(records, doc_type, provenance=provenance),
    file_name=ui_state.export_file_name(doc_type, date.today()),
    mime="text/csv",
    key="records_download",
    # Audited when clicked (this button renders on every rerun); the ids go into each doc's history.
    on_click=service.log_export,
    args=(ctx, records),
    kwargs={
        "user": me.username,
        "doc_type": doc_type,
        "provenance": provenance,
        "filters": {"date_from": date_from or "", "date_to": date_to or "", "reviewer": reviewer},
    },
    type="primary",
    icon=":material/download:",
    disabled=not records,
)
