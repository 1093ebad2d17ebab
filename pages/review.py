"""Review: the page image beside every field, prefilled by the engine; save, verify or reject.

The open document is in the URL (``/review?doc=ID``), so a link or a reload opens it again. The
page only lays out: state and callbacks are ``app.review_actions``', the form ``app.review_form``'s.
"""

from __future__ import annotations

import functools
from typing import Any

import streamlit as st

from app import layout_note, page_tools, review_form, review_scope, ui_runtime, ui_state, viewer
from app import review_actions as actions
from medextract import lifecycle
from medextract.errors import StoreError
from medextract.services import queue

# Checked here too: a freshly started server runs this file on its own (not through streamlit_app.py,
# so with no sign-in in front of it) when its first visitor opens the page's link.
ui_runtime.require_page_role(ui_runtime.REVIEW_PAGE)
actions.init_state()
actions.sync_url()
ctx = actions.ctx()
user = actions.user()


def picker() -> None:
    """Shown when no document is open: the next waiting one, or any reviewable one."""
    st.title("Review")
    waiting = queue.documents(ctx, user=user, status=lifecycle.REVIEWABLE)
    if not waiting:
        st.info("Nothing is waiting for review. Upload documents on the Upload page.")
        return
    next_id = queue.next_for_review(ctx, user=user)
    st.button(
        "Review next",
        key="review_next",
        type="primary",
        on_click=actions.review_next,  # chooses and claims at the click, not when drawn
        disabled=next_id is None,
    )
    labels = {
        d.id: f"#{d.id} {ui_state.plain_text(d.filename)} ({lifecycle.status_label(d.status)})"
        for d in waiting
    }
    chosen = st.selectbox("Or open", list(labels), format_func=labels.get, key="review_pick")
    st.button("Open", key="review_open", on_click=actions.open_doc, args=(chosen,))


def page_view(doc: Any, states: dict[str, str]) -> None:
    """The viewer: the pages with every field's box, coloured by the field's state."""
    if not doc.pages or not lifecycle.extraction_finished(doc.status):
        st.info("The page image appears once the engine has read the document.")
        return
    try:
        pages = [ui_runtime.page_for_viewer(doc.id, page, doc.version) for page in range(doc.pages)]
    except StoreError as exc:
        st.warning(ui_state.escape_markdown(str(exc)))
        return
    viewer.viewer(
        doc.id,
        pages,
        ui_state.viewer_fields(doc.id, doc.fields, states),
        on_selected=functools.partial(actions.viewer_selected, doc.id),
        on_confirm=functools.partial(actions.viewer_confirmed, doc.id),
        on_region=functools.partial(actions.viewer_region, doc.id),
    )


def show_review(doc_id: int) -> None:
    """The review screen of one document."""
    doc = actions.claim(doc_id)
    if doc is None:
        actions.open_doc(None)
        actions.sync_url()
        st.error(f"Document #{doc_id} does not exist.")
        return
    review_form.header(doc)
    layout_note.show(doc.id)  # "Read with learned layout <name> (match 0.87)", when one was used
    page_tools.lineage_note(doc.id)  # "Made by merging #3, #4", "Its pages went into #12"
    with st.container(horizontal=True, key="review_top_actions"):
        st.button("Close", key="review_close", on_click=actions.open_doc, args=(None,))
        # Rotate a page, split after it: up here, since the pinned page fills its column.
        page_tools.page_tools(doc)
    review_scope.remember_drawn(doc)
    workspace(doc.id)


@st.fragment
def workspace(doc_id: int) -> None:
    """The form and the page viewer. A field edited, a box ticked or a box clicked reruns only
    this: the five clerks share the server's CPU, and the title, the counts, the notes, the page
    tools and the menu around it did not change. Anything that changes them (a save, Verify &
    next, a notice, someone else's change to the document) draws the whole page again."""
    doc = review_scope.doc_for_form(doc_id)
    if doc is None:
        st.rerun()  # the whole page, which says what happened
    image_column, form_column = st.columns([3, 2], gap="large")
    # The form first: Streamlit sends elements as they are made, so the fields are on screen while
    # a page image not yet cached is decoded.
    states = review_form.field_states(doc)
    with form_column, st.container(key="review_form"):
        review_form.form(doc, states)
    with image_column:
        page_view(doc, states)


if st.session_state[ui_runtime.REVIEW_DOC] is None:
    review_form.show_notice()
    picker()
else:
    show_review(st.session_state[ui_runtime.REVIEW_DOC])
