"""Which part of the Review page a rerun draws: a field edited, a box ticked or clicked reruns only
the form and the page viewer (a Streamlit fragment, ``pages/review.py``'s ``workspace``); anything
the page around them shows that changed draws the whole page again.

Why: five clerks share the server's CPU, and on a field edit the title, the waiting count, the
notes, the page tools and the menu did not change; drawing them again was most of an edit's
script run. What is never left stale: the document itself, its claim and status (each form rerun
loads and claims it again, as a full run does), and the notices (a pending one draws the page).
What may be: the header's "3 of 12 waiting", until the next full run (a save, Verify & next, a
click outside the form): a count, harmless when a moment old.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import review_actions, ui_runtime

DRAWN = "review_drawn"  # (the full run, what the page around the form shows of its document, the document)


def drawn_around(doc: Any) -> tuple[Any, ...]:
    """What the page around the form and viewer shows of a document (title, status, claim, the
    facts and notes that follow from its stored version): when any of it changed, a rerun of the
    form alone would leave it out of date."""
    return (doc.id, doc.version, doc.status, doc.claimed_by, doc.claimed_at)


def remember_drawn(doc: Any) -> None:
    """The full run drew the page around the form for ``doc`` (claimed already)."""
    st.session_state[DRAWN] = (ui_runtime.this_run(), drawn_around(doc), doc)


def doc_for_form(doc_id: int) -> Any | None:
    """The document the form and viewer show: in a full run, the one it claimed and drew the page
    around; in a rerun of the form alone (a field edited, a box ticked), loaded and claimed again,
    or None when the whole page must be drawn again first: another document was opened, a notice
    waits to be shown, or the document changed in any way the page around shows (someone saved
    it, took it over, it was verified, merged, extracted again; ``drawn_around``)."""
    run, drawn, doc = st.session_state.get(DRAWN) or (None, None, None)
    if run is not None and run is ui_runtime.this_run():
        return doc
    if (
        st.session_state.get(ui_runtime.REVIEW_DOC) != doc_id
        or st.session_state.get(review_actions.NOTICE) is not None
    ):
        return None
    doc = review_actions.claim(doc_id)
    if doc is None or drawn_around(doc) != drawn:
        return None
    return doc
