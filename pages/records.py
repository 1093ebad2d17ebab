"""Records & export: verified records of one type as a table, and the CSV that leaves the app."""

from __future__ import annotations

import streamlit as st

from app import downloads, ui_runtime, ui_state
from medextract import export
from medextract.catalog import field_kinds
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
    "Include provenance columns (engine value, corrected, confidence; why a date or phone has no "
    "normalised form)",
    key="records_provenance",
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
        export.records_frame(
            records, doc_type, provenance=provenance, kinds=field_kinds(ctx.catalog, doc_type)
        ),
        hide_index=True,
        key="records_table",
    )
else:
    st.info("No verified records match these filters.")
# A link to the app's own route, not st.download_button: Streamlit serves a download button's
# data from a /media/ URL that works without the session's cookie. The route answers only the
# browser signed in as a supervisor, builds the CSV then and audits it (app.downloads).
st.link_button(
    "Download CSV",
    downloads.export_url(
        doc_type,
        provenance=provenance,
        date_from=date_from,
        date_to=date_to,
        reviewer=None if reviewer == ANYONE else reviewer,
    ),
    type="primary",
    icon=":material/download:",
    disabled=not records,
)
