"""Learned layouts (supervisors and administrators): the clinics' forms the engine learned from
verified documents; rename, delete, or retrain one from another verified document; dismiss a
learning task that failed.

The rules (who may, what a retrain needs, auditing) live in medextract.services.layouts; this
page only lays out widgets and shows the refusals as they come.
"""

from __future__ import annotations

import streamlit as st

from app import ui_runtime, ui_state
from medextract.errors import StoreError
from medextract.services import layouts

NOTICE = "layouts_notice"  # (kind, markdown-safe text) shown once after an action
PICKED = "layouts_pick"
FAILED_PICKED = "layouts_failed_pick"
STATES = {layouts.WAITING: "waiting", layouts.LEARNING: "learning now", layouts.FAILED: "failed"}

me = ui_runtime.require_page_role(ui_runtime.LAYOUTS_PAGE)
ctx = ui_runtime.get_context()

st.title("Learned layouts")
st.caption(
    "When a clerk verifies a document, the engine learns its form (printed words and where each"
    " value sits, never a patient's value) and reads the next copies of that form with it."
)


def _done(text: str) -> None:
    st.session_state[NOTICE] = ("success", ui_state.escape_markdown(text))


def _refused(exc: StoreError) -> None:
    st.session_state[NOTICE] = ("error", ui_state.escape_markdown(str(exc)))


def rename(layout_id: str) -> None:
    try:
        view = layouts.rename_layout(
            ctx, layout_id, st.session_state.get("layouts_new_name", ""), user=me.username
        )
    except StoreError as exc:
        _refused(exc)
        return
    _done(f"Renamed: {view.name}.")


def delete(layout_id: str) -> None:
    if not st.session_state.get("layouts_delete_sure"):
        st.session_state[NOTICE] = ("error", "Tick the box to confirm the deletion first.")
        return
    try:
        layouts.delete_layout(ctx, layout_id, user=me.username)
    except StoreError as exc:
        _refused(exc)
        return
    st.session_state["layouts_delete_sure"] = False
    st.session_state.pop(PICKED, None)
    _done("Deleted. Documents of this form are read the usual way again.")


def retrain(layout_id: str) -> None:
    try:
        said = layouts.retrain_layout(
            ctx,
            int(st.session_state.get("layouts_retrain_doc") or 0),
            layout_id=layout_id,
            user=me.username,
        )
    except StoreError as exc:
        _refused(exc)
        return
    _done(said)


def dismiss(job_id: int) -> None:
    try:
        layouts.dismiss_failed(ctx, job_id, user=me.username)
    except StoreError as exc:
        _refused(exc)
        return
    st.session_state.pop(FAILED_PICKED, None)
    _done("Dismissed. Its reason stays in the audit log.")


notice = st.session_state.pop(NOTICE, None)
if notice is not None:
    kind, text = notice
    (st.success if kind == "success" else st.error)(text)

found = layouts.list_layouts(ctx, user=me.username)
if not found:
    st.info("No layout learned yet: one is learned from each form's first verified document.")
else:
    st.dataframe(  # a table shows text literally: names are never read as markdown
        [
            {
                "name": v.name,
                "document type": v.document_type,
                "documents seen": v.documents_seen,
                "fields corrected": v.fields_corrected,
                "taught by": v.taught_by,
                "learned": v.created.strftime("%Y-%m-%d %H:%M UTC") if v.created else "",
                "from document": v.learned_from,
                "id": v.id,
            }
            for v in found
        ],
        hide_index=True,
        key="layouts_table",
    )
    st.caption(
        "Documents seen: verified documents of the form, the one it was learned from included."
        " Fields corrected: fields clerks changed on those read with it since it was learned."
    )
    names = {v.id: f"{v.name} ({v.id})" for v in found}
    picked = st.selectbox("Layout", list(names), format_func=names.get, key=PICKED)
    if picked is not None:
        with st.expander("Rename"):
            st.text_input("New name", key="layouts_new_name", max_chars=layouts.NAME_MAX)
            st.button("Rename", key="layouts_rename", on_click=rename, args=(picked,))
        with st.expander("Retrain from a verified document"):
            st.caption(
                "The engine reads that document again and learns the form from its verified values;"
                " the layout keeps its name, and its counts start again."
            )
            st.number_input("Document id", min_value=1, step=1, value=None, key="layouts_retrain_doc")
            st.button("Retrain", key="layouts_retrain", on_click=retrain, args=(picked,))
        with st.expander("Delete"):
            st.checkbox("Yes, delete this layout", key="layouts_delete_sure")
            st.button("Delete", key="layouts_delete", on_click=delete, args=(picked,), type="primary")

waiting = layouts.learning_queue(ctx, user=me.username)
if waiting:
    st.subheader("Learning")
    st.dataframe(
        [
            {
                "document": j.document_id,
                "task": "retrain" if j.kind == layouts.RETRAIN else "learn on verify",
                "asked by": j.requested_by,
                "asked": j.requested_at.strftime("%Y-%m-%d %H:%M UTC"),
                "state": STATES.get(j.status, j.status),
                "why it failed": j.error or "",
            }
            for j in waiting
        ],
        hide_index=True,
        key="layouts_queue",
    )
    failed = {j.id: j for j in waiting if j.status == layouts.FAILED}
    if failed:
        with st.expander("Dismiss a failed task"):
            st.caption(
                "A failed task stays listed until it is dismissed; why it failed stays in the audit log."
            )
            task = st.selectbox(
                "Failed task",
                list(failed),
                format_func=lambda i: f"document {failed[i].document_id}: {failed[i].error or 'failed'}",
                key=FAILED_PICKED,
            )
            if task is not None:
                st.button("Dismiss", key="layouts_dismiss", on_click=dismiss, args=(task,))
