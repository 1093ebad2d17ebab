"""The review page's line about learned layouts: "Read with learned layout <name> (match 0.87)",
and for a supervisor on a verified document its one button, "Retrain the layout from this document".

Its own module so that the review page only calls :func:`show` (issue 10). The service says which
layout the stored extraction was read with, whether this person may retrain it from this document
(supervisors, verified documents: ``layouts.retrainable``), and checks it all again on the click.
"""

from __future__ import annotations

import streamlit as st

from app import ui_runtime, ui_state
from medextract.errors import StoreError
from medextract.services import layouts

NOTICE = "layout_note_notice"  # (kind, text) after the retrain button


def show(doc_id: int) -> None:
    """A caption naming the learned layout the document was read with (nothing when none was),
    and the retrain button when the service allows it."""
    ctx, user = ui_runtime.get_context(), ui_runtime.current_user()
    used = layouts.layout_used(ctx, doc_id, user=user)
    if used is None:
        return
    st.caption(ui_state.escape_markdown(used.describe()), help=HELP)
    notice = st.session_state.pop(NOTICE, None)
    if notice is not None:
        kind, text = notice
        (st.success if kind == "success" else st.error)(ui_state.escape_markdown(text))
    if layouts.retrainable(ctx, doc_id, user=user) is not None:
        st.button(
            "Retrain the layout from this document",
            key="review_layout_retrain",
            on_click=retrain,
            args=(doc_id,),
            help=RETRAIN_HELP,
        )


def retrain(doc_id: int) -> None:
    try:
        said = layouts.retrain_from_document(ui_runtime.get_context(), doc_id, user=ui_runtime.current_user())
    except StoreError as exc:
        st.session_state[NOTICE] = ("error", str(exc))
        return
    st.session_state[NOTICE] = ("success", said)


HELP = (
    "A clerk verified a document of this form before: the engine read this one where that form"
    " puts each value, and flagged any field where that reading and its usual one disagree."
)
RETRAIN_HELP = (
    "The worker reads this document again and learns the form afresh from its verified values;"
    " the layout keeps its name, and its counts start again."
)
