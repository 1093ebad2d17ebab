"""The review page's line about learned layouts: "Read with learned layout <name> (match 0.87)".

Its own module so that the review page only calls :func:`show` (issue 10); the service says which
layout the stored extraction was read with.
"""

from __future__ import annotations

import streamlit as st

from app import ui_runtime, ui_state
from medextract.services import layouts


def show(doc_id: int) -> None:
    """A caption naming the learned layout the document was read with; nothing when none was."""
    used = layouts.layout_used(ui_runtime.get_context(), doc_id, user=ui_runtime.current_user())
    if used is not None:
        st.caption(ui_state.escape_markdown(used.describe()), help=HELP)


HELP = (
    "A clerk verified a document of this form before: the engine read this one where that form"
    " puts each value, and flagged any field where that reading and its usual one disagree."
)
