"""Queue: every document by status and type, oldest first, and the button that starts a review."""

from __future__ import annotations

import streamlit as st

from app import ui_runtime, ui_state
from medextract import lifecycle
from medextract.errors import StoreError
from medextract.services import queue, review
from medextract.services.claims import claim_notice

URL_FILTERS = "queue_url_filters"  # the (status, type) query this session last wrote into the URL

# Checked here too: a freshly started server runs this file on its own (not through streamlit_app.py,
# so with no sign-in in front of it) when its first visitor opens the page's link.
ui_runtime.require_page_role(ui_runtime.QUEUE_PAGE)
ctx = ui_runtime.get_context()
user = ui_runtime.current_user()

st.title("Review queue")

counts = queue.status_counts(ctx, user=user)
for column, status in zip(st.columns(len(lifecycle.STATUSES)), lifecycle.STATUSES, strict=True):
    column.metric(lifecycle.status_label(status), counts.get(status, 0))

if st.button("Review next", key="queue_review_next", type="primary", icon=":material/play_arrow:"):
    next_id = queue.claim_next(ctx, user=user)  # chosen and claimed at the click, in one transaction
    if next_id is None:
        st.info("Nothing is waiting for review.")
    else:
        ui_runtime.open_review(next_id)

# The filters live in the URL (?status=extracted,in_review&type=prescription): a link or a reload
# shows the same view. A URL this session did not write (a link, back, reload) sets the widgets.
query = ui_state.queue_query(st.query_params.get("status"), st.query_params.get("type"))
if query != st.session_state.get(URL_FILTERS):
    statuses_wanted, type_wanted = ui_state.queue_filters(query)
    st.session_state["queue_statuses"] = list(lifecycle.OPEN) if statuses_wanted is None else statuses_wanted
    st.session_state["queue_type"] = type_wanted or ui_state.ALL_TYPES

status_filter, type_filter = st.columns(2)
statuses = status_filter.multiselect(
    "Status",
    list(lifecycle.STATUSES),  # by default all still open (lifecycle.OPEN)
    format_func=lifecycle.status_label,
    key="queue_statuses",
)
type_options = [ui_state.ALL_TYPES, *ui_state.doc_type_names(), ui_state.UNKNOWN_TYPE]
type_choice = type_filter.selectbox(
    "Type",
    type_options,
    format_func=lambda t: "All types" if t == ui_state.ALL_TYPES else ui_state.doc_type_label(t),
    key="queue_type",
)
doc_type = None if type_choice == ui_state.ALL_TYPES else type_choice

written = ui_state.queue_query(",".join(statuses) or ui_state.ALL_STATUSES, doc_type)
st.query_params["status"], st.query_params["type"] = written
st.session_state[URL_FILTERS] = written

docs = ui_state.filter_documents(queue.documents(ctx, user=user), statuses=statuses, doc_type=doc_type)
if not docs:
    st.info("No documents match these filters.")
else:
    rows = ui_state.queue_rows(docs)
    for row, d in zip(rows, docs, strict=True):
        # A live claim reads "being reviewed by X since HH:MM UTC"; an expired one is no claim.
        row["claimed by"] = claim_notice(d.claimed_by, d.claimed_at) if d.claimed_by else ""
    st.dataframe(rows, hide_index=True, key="queue_table")
    pick, open_button, retry_button = st.columns([3, 1, 1], vertical_alignment="bottom")
    chosen = pick.selectbox(
        "Document",
        [d.id for d in docs],
        format_func={
            d.id: f"#{d.id} {ui_state.plain_text(d.filename)} ({lifecycle.status_label(d.status)})"
            for d in docs
        }.get,
        key="queue_pick",
    )
    chosen_doc = next(d for d in docs if d.id == chosen)
    if open_button.button("Open", key="queue_open", disabled=chosen is None):
        ui_runtime.open_review(chosen)
    # A failed document keeps its bytes: queueing it again is how a clerk retries after a fix.
    if retry_button.button(
        "Extract again", key="queue_retry", disabled=chosen_doc.status != lifecycle.FAILED
    ):
        try:
            review.reextract(ctx, chosen, doc_type=None, user=user)
        except StoreError as exc:
            st.error(ui_state.escape_markdown(str(exc)))
        else:
            st.rerun()
