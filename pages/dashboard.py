"""Dashboard: a period's documents, verifications per reviewer per day, each reviewer's figures
(with their CSV) and how often clerks correct the engine, flagged fields and unflagged ones."""

from __future__ import annotations

import streamlit as st

from app import dashboard_charts as charts
from app import downloads, ui_runtime, ui_state
from medextract import lifecycle
from medextract.services import dashboard

# Supervisors and admins only: refuse before reading anything, also when opened by URL.
me = ui_runtime.require_page_role(ui_runtime.DASHBOARD_PAGE)
ctx = ui_runtime.get_context()

st.title("Dashboard")

preset_column, dates_column = st.columns([3, 2])
preset = preset_column.radio(
    "Period",
    dashboard.PRESETS,
    index=dashboard.PRESETS.index(dashboard.DEFAULT_PRESET),
    format_func=charts.PRESET_LABELS.get,
    horizontal=True,
    key="dashboard_period",
)
picked: tuple = ()
if preset == dashboard.CUSTOM:
    default = dashboard.date_range(ctx)
    picked = dates_column.date_input(
        "Days (UTC)",
        value=(default.first, default.last),
        max_value=dashboard.today(ctx),
        key="dashboard_dates",
    )
period = dashboard.date_range(ctx, preset, ui_state.date_bounds(picked))
stats = dashboard.overview(ctx, user=me.username, period=period)
figures = dashboard.reviewer_figures(ctx, user=me.username, period=period)
st.caption(charts.period_text(period))

st.caption("Documents uploaded in the period, by where they are now")
# Four a row: seven in one would cut "Waiting for review" at 1280 px.
for row in range(0, len(lifecycle.STATUSES), charts.METRICS_PER_ROW):
    statuses = lifecycle.STATUSES[row : row + charts.METRICS_PER_ROW]
    for column, status in zip(st.columns(charts.METRICS_PER_ROW), statuses, strict=False):
        column.metric(lifecycle.status_label(status), stats.status_counts.get(status, 0))
review_column, flagged_column, unflagged_column = st.columns(3)
review_column.metric(
    "Median review time",
    ui_state.format_seconds(stats.median_review_seconds),
    help="From the reviewer's last claim of a document to its verify, over the period's verifications.",
)
flagged_column.metric(
    "Flagged fields corrected",
    charts.share_text(stats.flagged_corrected),
    help="Fields the engine flagged whose verified value is not the engine's.",
)
unflagged_column.metric(
    "Unflagged fields corrected",
    charts.share_text(stats.unflagged_corrected),
    help="Fields the engine was sure of that clerks still had to correct: this should stay near zero.",
)

st.subheader("Verified per reviewer per day")
if stats.verified_per_reviewer_day:
    st.altair_chart(charts.per_reviewer_day_chart(stats.verified_per_reviewer_day, period), width="stretch")
else:
    st.info("Nothing verified in this period.")

st.subheader("Per reviewer")
if figures:
    st.dataframe(
        charts.reviewer_frame(figures, ui_state.format_seconds),
        hide_index=True,
        key="dashboard_reviewers",
        column_config={  # short headings, each explained on hover: every column fits at 1280 px
            name: st.column_config.NumberColumn(heading, help=about, format="percent")
            if name == "flagged confirmed unchanged"
            else st.column_config.Column(heading, help=about)
            for name, (heading, about) in charts.REVIEWER_COLUMNS.items()
        },
    )
else:
    st.info("Nobody verified or rejected a document in this period.")
# The app's own route (app.downloads), not st.download_button: only this signed-in browser gets it.
st.link_button(
    "Download CSV",
    downloads.reviewers_url(period),
    icon=":material/download:",
    disabled=not figures,
)

st.subheader("Corrections per field")
st.caption("How often clerks changed the engine's value, among the period's verified documents.")
if stats.field_correction_rate:
    corrections = charts.correction_rows(
        stats.field_correction_rate, ui_state.doc_type_label, ctx.catalog.label
    )
    if corrections["corrected"].sum() == 0:
        st.caption("Clerks have not had to correct any field in this period.")
    else:
        st.altair_chart(charts.corrections_chart(corrections), width="stretch")
    st.dataframe(
        corrections.drop(columns="label"),
        hide_index=True,
        key="dashboard_corrections",
        column_config={"correction rate": st.column_config.NumberColumn(format="percent")},
    )
else:
    st.info("No documents verified in this period.")
