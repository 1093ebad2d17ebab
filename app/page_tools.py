"""Merge, split and rotate in the review app (issue 11): the Queue page's merge panel, the Review
page's page tools and the note of where a document's pages came from or went.

Widgets and layout only: every rule is ``medextract.services.pages``'; a refusal is its message.
Each action ends by showing the document it made (or turned) on the Review page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st

from app import review_actions, ui_runtime, ui_state
from medextract import lifecycle, pool
from medextract.errors import StoreError
from medextract.services import pages

ROTATE_LEFT, ROTATE_RIGHT = 270, 90  # ⟲ a quarter turn left is three quarters clockwise


# --- Queue: merge the ticked rows ---------------------------------------------------------------


def merge_panel(ticked: Sequence[int], names: Mapping[int, str]) -> None:
    """Under the queue's table: merge the ticked documents into one, in an order the clerk sets
    (the order box starts in table order; take a document out and put it back to move it last)."""
    if not lifecycle.may(ui_runtime.current_role(), lifecycle.MERGE):
        return
    with st.container(border=True, key="queue_merge"):
        if len(ticked) < 2:
            st.caption("Merge: tick two or more rows (pages of one form photographed one by one).")
            return
        digest = hashlib.blake2s(",".join(map(str, ticked)).encode("ascii"), digest_size=6).hexdigest()
        order = st.multiselect(
            "Merge into one document, pages in this order",
            list(ticked),
            default=list(ticked),
            format_func=lambda i: f"#{i} {ui_state.plain_text(names.get(i, ''))}",
            key=f"queue_merge_order_{digest}",  # new ticks, a new order box
            help="The pages of each document follow in this order. To move one to the end, take it "
            "out and choose it again.",
        )
        if st.button(
            "Merge into one document",
            key="queue_merge_apply",
            disabled=len(order) < 2,
            icon=":material/merge:",
        ):
            with st.spinner("Merging: reading every page…"):  # a few seconds for scanned PDFs
                _run(lambda: pages.merge(ui_runtime.get_context(), order, user=ui_runtime.current_user()))


# --- Review: rotate a page, split after it ------------------------------------------------------


def page_tools(doc: Any) -> None:
    """Per page: turn it a quarter left or right (the document is read again), or split the
    document after it. Offered while the pages may change and nobody else holds the document."""
    if not doc.pages or not lifecycle.can(lifecycle.ROTATE, doc.status) or review_actions.held_by_other(doc):
        return
    if not lifecycle.may(ui_runtime.current_role(), lifecycle.ROTATE):
        return
    with st.popover("Rotate or split pages", key=f"review_pages_{doc.id}", icon=":material/rotate_right:"):
        st.caption("Turning a page reads the document again: the values in the form are read afresh.")
        for page in range(doc.pages):
            row = st.container(
                horizontal=True, vertical_alignment="center", key=f"review_page_{doc.id}_{page}"
            )
            row.caption(f"Page {page + 1}", width=80)
            row.button(
                "⟲", key=f"review_rotate_left_{doc.id}_{page}", help="Turn a quarter left",
                on_click=rotate, args=(doc.id, page, ROTATE_LEFT),
            )  # fmt: skip
            row.button(
                "⟳", key=f"review_rotate_right_{doc.id}_{page}", help="Turn a quarter right",
                on_click=rotate, args=(doc.id, page, ROTATE_RIGHT),
            )  # fmt: skip
            if page < doc.pages - 1:
                row.button(
                    "Split after this page", key=f"review_split_{doc.id}_{page}",
                    on_click=split, args=(doc.id, page),
                )  # fmt: skip


def rotate(doc_id: int, page: int, degrees: int) -> None:
    """The ⟲ / ⟳ buttons: the page turned, the document queued again and still shown."""
    try:
        result = pages.rotate(review_actions.ctx(), doc_id, page, degrees, user=review_actions.user())
    except StoreError as exc:
        review_actions.notify("error", ui_state.escape_markdown(str(exc)))
        return
    pool.wake_background_worker(review_actions.ctx())
    review_actions.reload_latest(doc_id)  # the form refills from the new reading
    review_actions.notify("success", ui_state.escape_markdown(result.message))


def split(doc_id: int, page: int) -> None:
    """Split after this page: the first new document is opened, the note names the others."""
    try:
        result = pages.split(review_actions.ctx(), doc_id, [page], user=review_actions.user())
    except StoreError as exc:
        review_actions.notify("error", ui_state.escape_markdown(str(exc)))
        return
    pool.wake_background_worker(review_actions.ctx())
    review_actions.open_doc(result.documents[0])
    review_actions.notify("success", ui_state.escape_markdown(result.message))


# --- where a document's pages came from and went ------------------------------------------------


def lineage_note(doc_id: int) -> None:
    """ "Made by merging #3, #4" / "Its pages went into #12": a button opens each document."""
    found = pages.lineage(review_actions.ctx(), doc_id, user=review_actions.user())
    if found.made_from:
        how = "merging" if found.made_by == lifecycle.MERGE else "splitting"
        _links(f"Made by {how}", found.made_from, doc_id, "from")
    if found.went_into:
        _links("Its pages went into", found.went_into, doc_id, "into")


def _links(text: str, ids: Sequence[int], doc_id: int, side: str) -> None:
    with st.container(horizontal=True, key=f"review_links_{side}_{doc_id}", vertical_alignment="center"):
        st.caption(text, width="content")
        for other in ids:
            st.button(
                f"#{other}", key=f"review_link_{side}_{doc_id}_{other}", type="tertiary",
                on_click=review_actions.open_doc, args=(other,),
            )  # fmt: skip


def _run(action: Any) -> None:
    """Run a merge from the Queue page, then show its new document on the Review page."""
    try:
        result = action()
    except StoreError as exc:
        st.error(ui_state.escape_markdown(str(exc)))
        return
    pool.wake_background_worker(ui_runtime.get_context())
    review_actions.init_state()
    review_actions.notify("success", ui_state.escape_markdown(result.message))
    ui_runtime.open_review(result.documents[0])
