"""The Review page's widgets: the header, the form of fields, the actions and the expanders.

The callbacks are ``app.review_actions``'; the rules behind them are the services'.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import review_actions as actions
from app import ui_state
from medextract import lifecycle
from medextract.services import audit, normalised
from medextract.services.claims import claim_notice


def header(doc: Any) -> None:
    """Title, facts about the document, and the notice left by the last action."""
    st.title(f"Review #{doc.id}: {ui_state.escape_markdown(doc.filename)}")
    facts = [
        ui_state.doc_type_label(doc.doc_type),
        lifecycle.status_label(doc.status),
        f"{doc.pages or 0} page(s)",
        f"{ui_state.flagged_count(doc.fields.values())} field(s) to check",
    ]
    place = actions.queue_place(doc.id)
    if place is not None:
        facts.append(f"{place[0]} of {place[1]} waiting")
    st.caption(ui_state.escape_markdown(" · ".join(facts)))
    # Notices come and go inside a container that is always there: the elements after it keep
    # their place, so Streamlit does not rebuild the form (which would lose the keyboard focus).
    with st.container(key="review_notices"):
        show_notice()
        if actions.held_by_other(doc):
            minutes = round(actions.ctx().claim_timeout.total_seconds() / 60)
            st.warning(
                ui_state.escape_markdown(
                    f"Read only: this document is {claim_notice(doc.claimed_by, doc.claimed_at)}. "
                    f"You can edit it when they finish, or once they have been idle for {minutes} minutes."
                ),
                icon=":material/lock:",
            )
            if actions.may(lifecycle.TAKE_OVER):
                st.button(
                    "Take over", key=f"review_take_over_{doc.id}", on_click=actions.take_over, args=(doc.id,)
                )
        if doc.status == lifecycle.REJECTED:
            st.error(f"Rejected: {ui_state.escape_markdown(doc.reject_reason or '')}")
        if doc.status == lifecycle.FAILED:
            st.error(f"Extraction failed: {ui_state.escape_markdown(doc.error or '')}")


def show_notice() -> None:
    """The notice the last action left, once."""
    notice = st.session_state[actions.NOTICE]
    if notice is not None:
        kind, text = notice
        (st.success if kind == "success" else st.error)(text)
        st.session_state[actions.NOTICE] = None


def editable(doc: Any) -> bool:
    return lifecycle.can(lifecycle.SAVE, doc.status) and not actions.held_by_other(doc)


def field_states(doc: Any) -> dict[str, str]:
    """Each field's state as the form holds it now (edited, flagged, confirmed or ok)."""
    return {
        name: ui_state.field_state(
            f,
            str(st.session_state.get(ui_state.field_key(doc.id, name)) or ""),
            bool(st.session_state.get(ui_state.confirm_key(doc.id, name))),
        )
        for name, f in doc.fields.items()
    }


def form(doc: Any, states: dict[str, str]) -> None:
    """One widget per field, prefilled; its state and the engine's confidence under it, the
    validation error beside it. No help icons: Tab goes from field to field."""
    can_edit = editable(doc)
    errors = st.session_state[actions.ERRORS].get(doc.id, {})
    for name, f in doc.fields.items():
        # One container per field: a message appearing under one field moves no other field's
        # widgets to another place in the page, so none is rebuilt and the focus stays put.
        with st.container(key=f"review_row_{doc.id}_{name}", gap="small"):
            field_row(doc, f, states[name], errors.get(name), can_edit)
    css = ui_state.state_css((ui_state.field_key(doc.id, n), s) for n, s in states.items())
    if css:
        st.html(css)
    if not doc.fields and doc.status in lifecycle.HAS_RESULTS:  # not while queued, merged or split
        st.info(
            "The engine did not recognise this document's type, so it has no fields. Choose its "
            "type below: it is read again as that type, then it can be checked and verified."
        )
    if can_edit:
        buttons(doc)
    if can_edit or doc.status == lifecycle.FAILED:
        retype(doc, expanded=not doc.fields)
    if lifecycle.can(lifecycle.REOPEN, doc.status) and actions.may(lifecycle.REOPEN):
        reopen_box(doc)
    if actions.may(lifecycle.HISTORY):
        history(doc)


def resend(key: str) -> None:
    """Send the widget's value with this run, not only with the run that set it.

    Streamlit sends a keyed widget's session-state value to the browser only in the run that
    writes it; later runs send the widget with its empty default. A browser that had not drawn the
    widget by the next rerun never shows the value, and then sends the empty default back as what
    was typed. That happens: the first text area of a session waits for its script to load, and
    Enter in another field meanwhile starts the next run; a run's messages not yet sent when the
    next one starts are dropped. Writing the current value again before each widget is drawn
    sends it every run (the browser's own value when it reported one, so nothing typed is undone).
    """
    if key in st.session_state:
        st.session_state[key] = st.session_state[key]


def field_row(doc: Any, f: Any, state: str, error: str | None, can_edit: bool) -> None:
    """A field's input, its state and confidence, its "checked" box, its validation error."""
    key = ui_state.field_key(doc.id, f.name)
    resend(key)
    if ui_state.is_multiline(doc.doc_type, f.name, st.session_state.get(key, f.value)):
        height = ui_state.text_area_height(f.value)  # the stored value: no jumping while typing
        st.text_area(ui_state.field_label(f), key=key, disabled=not can_edit, height=height)
    else:
        st.text_input(ui_state.field_label(f), key=key, disabled=not can_edit)
    # A date or phone also says how the export will read it (one caption: the layout stays put).
    typed = str(st.session_state.get(key, f.value) or "")
    hint = normalised.export_hint(actions.ctx(), doc.doc_type, f.name, typed)
    caption = ui_state.state_caption(f, state)
    st.caption(f"{caption} · {ui_state.escape_markdown(hint)}" if hint else caption)
    if can_edit and f.needs_review and state != ui_state.EDITED:
        resend(ui_state.confirm_key(doc.id, f.name))
        st.checkbox("Checked: the value is right", key=ui_state.confirm_key(doc.id, f.name))
    if error:
        st.error(ui_state.escape_markdown(error), icon=":material/error:")


def reopen_box(doc: Any) -> None:
    """A supervisor sends a verified document back to review, with a reason."""
    with st.expander("Reopen for review"):
        st.text_input("Reason", key=f"review_reopen_reason_{doc.id}", placeholder="e.g. wrong dose")
        st.button("Reopen", key=f"review_reopen_{doc.id}", on_click=actions.reopen, args=(doc.id,))


def history(doc: Any) -> None:
    """Everything that happened to the document, oldest first, as plain text (never markdown)."""
    with st.expander("History"):
        entries = audit.history(actions.ctx(), doc.id, user=actions.user())
        lines = [f"{e.at:%Y-%m-%d %H:%M:%S} UTC  {e.user}  {e.action}  {e.text}" for e in entries]
        st.text("\n".join(lines) if lines else "No history yet.")


def buttons(doc: Any) -> None:
    """Save, verify & next, reject; after a stale save, the choice between theirs and mine."""
    if doc.id in st.session_state[actions.STALE]:
        lost = doc.id not in st.session_state[actions.VERSIONS]  # actions.loaded_version found none
        changed = actions.changed_since_loaded(doc)
        what = f" They changed: {', '.join(changed)}." if changed and not lost else ""
        said = (
            "This form lost track of the version it was loaded from, so nothing was saved."
            if lost
            else f"Someone saved this document after you opened it.{what}"
        )
        st.warning(ui_state.escape_markdown(f"{said} Your edits are still in the form."))
        mine, theirs = st.columns(2)
        mine.button("Keep my edits", key=f"review_keep_{doc.id}", on_click=actions.keep_mine, args=(doc.id,))
        theirs.button(
            "Reload the stored version" if lost else "Reload their version",
            key=f"review_reload_{doc.id}",
            on_click=actions.reload_latest,
            args=(doc.id,),
        )
    if doc.fields:  # a document of no known type has nothing to save or verify yet
        save_and_verify(doc)
    with st.expander("Reject document", key=f"review_reject_box_{doc.id}"):
        st.text_input(
            "Reason", key=f"review_reject_reason_{doc.id}", placeholder="e.g. not a medical document"
        )
        st.button("Reject", key=f"review_reject_{doc.id}", on_click=actions.reject, args=(doc.id,))


def save_and_verify(doc: Any) -> None:
    """Save draft and Verify & next, side by side."""
    save, verify = st.columns(2)
    save.button(
        "Save draft",
        key=f"review_save_{doc.id}",
        on_click=actions.save_draft,
        args=(doc.id,),
        width="stretch",
    )
    verify.button(
        "Verify & next",
        key=f"review_verify_{doc.id}",
        on_click=actions.verify_and_next,
        args=(doc.id,),
        type="primary",
        width="stretch",
    )


def retype(doc: Any, *, expanded: bool = False) -> None:
    """Extract the document again, as a chosen type, when the engine got the type wrong (open at
    once for a document of no known type: choosing one is the only way on)."""
    title = "Choose the document's type" if expanded else "Wrong document type? Extract again"
    with st.expander(title, expanded=expanded):
        st.selectbox(
            "Type",
            ui_state.type_choices(),
            format_func=ui_state.type_choice_label,
            key=f"review_retype_{doc.id}",
        )
        st.caption("Edits not yet verified are dropped; the engine reads the document again.")
        st.button(
            "Extract again",
            key=f"review_extract_again_{doc.id}",
            on_click=actions.extract_again,
            args=(doc.id,),
        )
