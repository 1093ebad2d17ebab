"""Review: the page image beside every field, prefilled by the engine; save, verify or reject.

The open document is in the URL (``/review?doc=ID``), so a link or a reload opens it again. The
page only lays out: state and callbacks are ``app.review_actions``', the form ``app.review_form``'s.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import review_actions as actions
from app import review_form, ui_runtime, ui_state
from medextract import lifecycle
from medextract.errors import StoreError
from medextract.services import documents, queue

actions.init_state()
actions.sync_url()
ctx = actions.ctx()
user = actions.user()


def show_field_page(doc_id: int) -> None:
    """Selecting a field turns the page selector to the page the field was read from."""
    doc = documents.get(ctx, doc_id, user=user)
    page = ui_state.page_of_field(doc.fields, st.session_state.get(f"review_focus_{doc_id}"), -1)
    if page >= 0 and doc.pages > 1:
        st.session_state[f"review_page_{doc_id}"] = page


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
        on_click=actions.open_doc,
        args=(next_id,),
        disabled=next_id is None,
    )
    labels = {d.id: f"#{d.id} {d.filename} ({lifecycle.status_label(d.status)})" for d in waiting}
    chosen = st.selectbox("Or open", list(labels), format_func=labels.get, key="review_pick")
    st.button("Open", key="review_open", on_click=actions.open_doc, args=(chosen,))


def page_view(doc: Any) -> None:
    """The page image with every field's box; flagged fields and the selected field stand out."""
    if not doc.pages or not lifecycle.extraction_finished(doc.status):
        st.info("The page image appears once the engine has read the document.")
        return
    names = list(doc.fields)
    focus = st.selectbox(
        "Highlight field",
        [None, *names],
        format_func=lambda n: "None" if n is None else doc.fields[n].label,
        key=f"review_focus_{doc.id}",
        on_change=show_field_page,
        args=(doc.id,),
    )
    page = 0
    if doc.pages > 1:
        page = st.selectbox(
            "Page",
            list(range(doc.pages)),
            format_func=lambda p: f"Page {p + 1} of {doc.pages}",
            key=f"review_page_{doc.id}",
        )
    focus_field = doc.fields.get(focus) if focus else None
    zoomable = focus_field is not None and focus_field.box is not None and focus_field.page == page
    zoom = st.toggle("Zoom to field", key=f"review_zoom_{doc.id}", disabled=not zoomable)
    boxes = ui_state.page_boxes(doc.fields.values(), page, focus)
    zoom_box = tuple(focus_field.box) if zoom and zoomable else None
    try:
        image = ui_runtime.review_image(doc.id, page, doc.version, boxes, zoom_box)
    except StoreError as exc:
        st.warning(ui_state.escape_markdown(str(exc)))
        return
    st.image(image, width="stretch")
    st.caption("Blue: field read · orange: check this field · purple: highlighted field")


def show_review(doc_id: int) -> None:
    """The review screen of one document."""
    doc = actions.claim(doc_id)
    if doc is None:
        actions.open_doc(None)
        actions.sync_url()
        st.error(f"Document #{doc_id} does not exist.")
        return
    review_form.header(doc)
    st.button("Close", key="review_close", on_click=actions.open_doc, args=(None,))
    image_column, form_column = st.columns([3, 2], gap="large")
    # The form first: Streamlit sends elements as they are made, so the fields are on screen while
    # a page image not yet cached is decoded and drawn.
    with form_column:
        review_form.form(doc)
    with image_column:
        page_view(doc)


if st.session_state[ui_runtime.REVIEW_DOC] is None:
    review_form.show_notice()
    picker()
else:
    show_review(st.session_state[ui_runtime.REVIEW_DOC])
