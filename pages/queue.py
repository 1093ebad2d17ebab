"""Queue: every document by status and type, oldest first; search, click a row to review it, and a
supervisor's bulk actions on the ticked rows."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import downloads, page_tools, queue_view, ui_runtime, ui_state
from medextract import lifecycle
from medextract.errors import StoreError
from medextract.services import assign, bulk, queue

URL_FILTERS = "queue_url_filters"  # the (status, type, search) this session last wrote into the URL
SEARCH = "queue_search"
BULK_REPORT = "queue_bulk_report"  # what the last bulk action said, shown after its rerun
TABLE_ROUND = "queue_table_round"  # bumped by a bulk action: the table's ticks are cleared
URL_PAGING = "queue_url_paging"  # the (page, size) parameters this session last wrote into the URL
PAGE = "queue_page"  # the page shown, from 1 (its number input's key)
PAGE_SIZE = "queue_page_size"  # rows per page (its selectbox's key)


def first_page() -> None:
    """A filter or the page size changed: show the first page of what now matches."""
    st.session_state[PAGE] = 1


def paging_from_url() -> tuple[int, int]:
    """The (page, size) to show: the URL's when this session did not write it (a link, back, a
    reload), else the widgets'. Kept alive across runs that stop before drawing them."""
    wanted = (st.query_params.get("page"), st.query_params.get("size"))
    if wanted != st.session_state.get(URL_PAGING):
        st.session_state[PAGE], st.session_state[PAGE_SIZE] = queue_view.paging_of(*wanted)
    for key in (PAGE, PAGE_SIZE):  # a widget not drawn in a run loses its state: keep it
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    return int(st.session_state.get(PAGE, 1)), int(
        st.session_state.get(PAGE_SIZE, queue_view.DEFAULT_PAGE_SIZE)
    )


def paging_controls(found: queue.QueuePage) -> None:
    """Under the table: where this page stands, the page number and the rows per page."""
    st.session_state[PAGE] = found.page  # a page past the last was shown as the last
    line, number, size = st.columns([2, 1, 1], vertical_alignment="bottom")
    line.caption(queue_view.page_line(found.first, found.last, found.total))
    number.number_input(f"Page (of {found.pages})", min_value=1, max_value=found.pages, step=1, key=PAGE)
    size.selectbox("Rows per page", queue_view.PAGE_SIZES, key=PAGE_SIZE, on_change=first_page)


def held_line() -> None:
    """Under Review next: how many documents wait under the user's name (given to them by a
    supervisor, or their unfinished reviews), which it opens first."""
    held = queue.held_count(ctx, user=user)
    if held:
        noun = "document is" if held == 1 else "documents are"
        st.caption(f"{held} {noun} waiting for you (assigned to you or begun): Review next opens them first.")


def choose_reviewer(box: Any) -> str | None:
    """The bulk panel's choice of whom to give the ticked documents to."""
    return box.selectbox(
        "Give to",
        assign.assignees(ctx, user=user),
        index=None,
        placeholder="Choose a reviewer",
        key="queue_bulk_assignee",
    )


def export_selected(ticked: list[int], shown: list[queue.QueueItem]) -> None:
    """The bulk panel's export: one download per document type of the ticked rows that are
    verified (served to this signed-in browser only and audited, app.downloads); the others named."""
    groups, others = queue_view.export_groups(ticked, shown)
    if not ticked:
        st.caption("Tick verified documents to download their records (the Status filter shows them).")
    elif not groups:
        st.info("None of the selected documents is verified: only verified documents have records.")
    with st.container(horizontal=True, key="queue_bulk_exports"):
        for doc_type, chosen in groups.items():
            st.link_button(
                f"Download {len(chosen)} {ui_state.doc_type_label(doc_type)} record(s)",
                downloads.export_url(doc_type, document_ids=chosen),
                icon=":material/download:",
            )
    if others and groups:
        st.caption(queue_view.no_record_line(others))


def paging_to_url(page: int, size: int) -> None:
    """Write the page and its size into the URL (nothing for the first page at the default size)."""
    wanted = queue_view.paging_query(page, size)
    for name in ("page", "size"):
        if name in wanted and st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in st.query_params:
            del st.query_params[name]
    st.session_state[URL_PAGING] = (wanted.get("page"), wanted.get("size"))


# Checked here too: a freshly started server runs this file on its own (not through streamlit_app.py,
# so with no sign-in in front of it) when its first visitor opens the page's link.
identity = ui_runtime.require_page_role(ui_runtime.QUEUE_PAGE)
ctx = ui_runtime.get_context()
user = ui_runtime.current_user()
supervising = lifecycle.may(identity.role, lifecycle.BULK)

st.title("Review queue")

counts = queue.status_counts(ctx, user=user)
with st.container(horizontal=True, gap="large", key="queue_counts"):  # wraps instead of cutting
    for status in (s for s in lifecycle.STATUSES if s not in lifecycle.REPLACED):  # no work left there
        st.metric(lifecycle.status_label(status), counts.get(status, 0), width="content")

if st.button("Review next", key="queue_review_next", type="primary", icon=":material/play_arrow:"):
    next_id = queue.claim_next(ctx, user=user)  # chosen and claimed at the click, in one transaction
    if next_id is None:
        st.info("Nothing is waiting for review.")
    else:
        ui_runtime.open_review(next_id)
held_line()

# The filters live in the URL (?status=extracted,in_review&type=prescription&q=smith): a link or a
# reload shows the same view. A URL this session did not write (a link, back, reload) sets the
# widgets.
query = ui_state.queue_query(st.query_params.get("status"), st.query_params.get("type"))
searched = st.query_params.get("q", "")
if (*query, searched) != st.session_state.get(URL_FILTERS):
    statuses_wanted, type_wanted = ui_state.queue_filters(query)
    st.session_state["queue_statuses"] = list(lifecycle.OPEN) if statuses_wanted is None else statuses_wanted
    st.session_state["queue_type"] = type_wanted or ui_state.ALL_TYPES
    st.session_state[SEARCH] = searched

statuses = st.pills(
    "Status",
    list(lifecycle.STATUSES),  # by default all still open (lifecycle.OPEN); none: every status
    selection_mode="multi",
    format_func=lifecycle.status_label,
    key="queue_statuses",
    wrap=True,
    on_change=first_page,
)
search_box, type_filter = st.columns([2, 1], vertical_alignment="bottom")
text = search_box.text_input(
    "Search",
    key=SEARCH,
    type="search",
    placeholder="Patient name, file name or document id",
    live=True,
    icon=":material/search:",
    on_change=first_page,
)
type_options = [ui_state.ALL_TYPES, *ui_state.doc_type_names(), ui_state.UNKNOWN_TYPE]
type_choice = type_filter.selectbox(
    "Type",
    type_options,
    format_func=lambda t: "All types" if t == ui_state.ALL_TYPES else ui_state.doc_type_label(t),
    key="queue_type",
    on_change=first_page,
)
doc_type = None if type_choice == ui_state.ALL_TYPES else type_choice

written = ui_state.queue_query(",".join(statuses or []) or ui_state.ALL_STATUSES, doc_type)
text = (text or "").strip()
if (*written, text) != (st.query_params.get("status"), st.query_params.get("type"), searched):
    st.query_params["status"], st.query_params["type"] = written
    if text:
        st.query_params["q"] = text
    elif "q" in st.query_params:
        del st.query_params["q"]
st.session_state[URL_FILTERS] = (*written, text)

page_number, page_size = paging_from_url()
found = queue.search_page(
    ctx, user=user, text=text, status=statuses or None, doc_type=doc_type, page=page_number, size=page_size
)
items = found.items
report = st.session_state.pop(BULK_REPORT, None)
if report is not None:
    summary, problems = report
    (st.warning if problems else st.success)(summary)
    for line in problems:
        st.markdown(f"- {line}")

if not items:
    paging_to_url(1, page_size)
    st.info("No documents match these filters." if not text else "No documents match this search.")
    st.stop()

ids = [item.doc.id for item in items]
table_key = queue_view.table_key(ids, st.session_state.get(TABLE_ROUND, 0))
st.caption(
    "Click a row to review that document." + (" Tick rows to act on several at once." if supervising else "")
)
selected = st.dataframe(
    queue_view.queue_rows(items),
    hide_index=True,
    key=table_key,
    on_select="rerun",
    # A click on any cell opens its row's document; ticked rows are merged, or a supervisor's bulk.
    selection_mode=["multi-row", "single-cell"],
    column_order=queue_view.COLUMNS,
    column_config=queue_view.column_config(),
)
paging_controls(found)
paging_to_url(found.page, found.size)
rows, cells = queue_view.selection_of(selected)
clicked = queue_view.clicked_document(cells, ids)
if clicked is not None:
    ui_runtime.open_review(clicked)

if supervising:
    ticked = queue_view.ticked_documents(rows, ids)
    names = {item.doc.id: item.doc.filename for item in items}
    with st.container(border=True, key="queue_bulk"):
        # No markdown emphasis: every markdown element may carry document names, and none
        # is allowed markup that a hostile file name could imitate.
        st.markdown(f"Bulk actions · {queue_view.ticked_line(ticked, names)}")
        action_box, detail_box, apply_box = st.columns([1, 2, 1], vertical_alignment="bottom")
        action = action_box.selectbox(
            "Action", queue_view.bulk_choices(), format_func=queue_view.bulk_label, key="queue_bulk_action"
        )
        bulk_type = reason = assignee = None
        if action == bulk.SET_TYPE:
            bulk_type = detail_box.selectbox(
                "Extract again as", ui_state.doc_type_names(), format_func=ui_state.doc_type_label,
                key="queue_bulk_type",
            )  # fmt: skip
        elif action == bulk.REJECT:
            reason = detail_box.text_input("Reason (for every selected document)", key="queue_bulk_reason")
        elif action == bulk.REASSIGN:
            assignee = choose_reviewer(detail_box)
        if action == queue_view.EXPORT:
            export_selected(ticked, items)
        elif apply_box.button(
            f"Apply to {len(ticked)} selected", key="queue_bulk_apply", disabled=not ticked, type="secondary"
        ):
            try:
                result = bulk.apply(
                    ctx,
                    action,
                    ticked,
                    user=user,
                    doc_type=bulk_type,
                    reason=reason or "",
                    assignee=assignee or "",
                )
            except StoreError as exc:  # nothing was done: a missing reason, no bulk right
                st.error(ui_state.escape_markdown(str(exc)))
            else:
                st.session_state[BULK_REPORT] = (
                    result.summary(),
                    queue_view.bulk_lines(result.failed, names),
                )
                st.session_state[TABLE_ROUND] = st.session_state.get(TABLE_ROUND, 0) + 1
                st.rerun()

page_tools.merge_panel(  # issue 11: the ticked documents' pages into one document
    queue_view.ticked_documents(rows, ids), {item.doc.id: item.doc.filename for item in items}
)
