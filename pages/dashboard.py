"""Dashboard: how much is waiting, how much gets verified, and which fields clerks correct most."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import ui_runtime, ui_state
from medextract import lifecycle
from medextract.services import records

# Supervisors and admins only: refuse before reading anything, also when opened by URL.
me = ui_runtime.require_page_role(ui_runtime.DASHBOARD_PAGE)

stats = records.dashboard(ui_runtime.get_context(), user=me.username)

st.title("Dashboard")

for column, status in zip(st.columns(len(lifecycle.STATUSES)), lifecycle.STATUSES, strict=True):
    column.metric(lifecycle.status_label(status), stats.status_counts.get(status, 0))
st.metric("Median review time", ui_state.format_seconds(stats.median_review_seconds))

st.subheader("Verified per day")
per_day = ui_state.per_day_rows(stats.verified_per_day)
if per_day:
    st.bar_chart(pd.DataFrame(per_day), x="day", y="verified")
else:
    st.info("Nothing verified yet.")

st.subheader("Corrections per field")
st.caption("How often clerks changed the engine's value, among verified documents.")
corrections = ui_state.correction_rows(stats.field_correction_rate)
if corrections:
    frame = pd.DataFrame(corrections).sort_values("correction rate", ascending=False, kind="stable")
    corrected = frame[frame["corrected"] > 0]
    if corrected.empty:
        st.caption("Clerks have not had to correct any field yet.")
    else:
        labelled = corrected.assign(field=corrected["type"] + " · " + corrected["field"])
        st.bar_chart(labelled, x="field", y="correction rate", horizontal=True, sort="-correction rate")
    st.dataframe(
        frame,
        hide_index=True,
        key="dashboard_corrections",
        column_config={"correction rate": st.column_config.NumberColumn(format="percent")},
    )
else:
    st.info("No verified documents yet.")
