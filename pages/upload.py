"""Upload: many documents at once; each is queued for the engine and its progress shown here."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import ui_runtime, ui_state, upload_view
from medextract import lifecycle, metrics, pool, processing
from medextract.services import documents, upload

UPLOADED = "upload_sent"  # upload_key -> (document id or None, message): files already sent
HIDDEN = "upload_hidden"  # upload keys whose lines the clerk cleared (still sent, never again)
GO_REVIEW = "upload_go_review"  # the document whose Review now was clicked (opened by a full run)
PHOTO = "upload_photo"  # document id -> what is wrong with its photo (upload.describe_photo)
REMOVED = "upload_removed"  # messages for the photos the clerk removed to retake them
REMOVE_REFUSED = "upload_remove_refused"  # document id -> why Remove it was refused
POLL_SECONDS = 0.25  # status refresh when the worker runs in another process
# With the worker in this process, each refresh waits up to this long for a document to finish
# and shows it the moment it does. Polling every 0.25 s instead took CPU from the engine: the
# photo sample's extraction ran 1.8 s in the server instead of 1.3 s (benchmarks/ui.py).
WAIT_SECONDS = 0.75

if UPLOADED not in st.session_state:
    st.session_state[UPLOADED] = {}
if HIDDEN not in st.session_state:
    st.session_state[HIDDEN] = set()
if PHOTO not in st.session_state:
    st.session_state[PHOTO] = {}
if REMOVED not in st.session_state:
    st.session_state[REMOVED] = []
if REMOVE_REFUSED not in st.session_state:
    st.session_state[REMOVE_REFUSED] = {}

# Checked here too: a freshly started server runs this file on its own (not through streamlit_app.py,
# so with no sign-in in front of it) when its first visitor opens the page's link.
ui_runtime.require_page_role(ui_runtime.UPLOAD_PAGE)
ctx = ui_runtime.get_context()
user = ui_runtime.current_user()

if st.session_state.get(GO_REVIEW) is not None:
    ui_runtime.open_review(st.session_state.pop(GO_REVIEW))

st.title("Upload documents")
st.caption("Prescriptions and patient records: PDF, PNG, JPEG or TIFF, scans or phone photos.")

choice = st.selectbox(
    "Document type",
    ui_state.type_choices(),
    format_func=ui_state.type_choice_label,
    key="upload_type",
    help="Leave on automatic unless the engine keeps guessing the type wrong.",
)
files = st.file_uploader(
    "Documents",
    type=["pdf", "png", "jpg", "jpeg", "tif", "tiff"],
    accept_multiple_files=True,
    key="upload_files",
)

# The uploader keeps its files across reruns: upload each one only once. Storing the
# bytes is quick; extraction happens in the background worker, never in this script.
for file in files or []:
    key = ui_state.upload_key(file.name, file.size, getattr(file, "file_id", None))
    if key in st.session_state[UPLOADED]:
        continue
    # intake refuses empty, oversized and non-document files before storing (same path as the tests).
    outcome = upload.intake(
        ctx, file.name, file.getvalue(), uploader=user, forced_type=ui_state.forced_type(choice)
    )
    st.session_state[UPLOADED][key] = (outcome.document_id if outcome.accepted else None, outcome.message)
    if outcome.accepted and outcome.photo:
        st.session_state[PHOTO][outcome.document_id] = upload.describe_photo(outcome.photo)
    if outcome.accepted:
        pool.wake_background_worker(ctx)


def _shown() -> list[tuple[int | None, str]]:
    """(document id or None, message) of this session's uploads the clerk has not cleared."""
    hidden = st.session_state[HIDDEN]
    return [outcome for key, outcome in st.session_state[UPLOADED].items() if key not in hidden]


def _sent_documents() -> list[int]:
    """Ids of the documents this session uploaded, in upload order."""
    return [doc_id for doc_id, _ in _shown() if doc_id is not None]


def _refused_messages() -> list[str]:
    """The messages for files that were not queued (duplicates, unreadable files)."""
    return [message for doc_id, message in _shown() if doc_id is None]


def remove_photo(doc_id: int, filename: str) -> None:
    """Take back a document whose photo the clerk will retake; its line leaves the list."""
    result = upload.remove_retake(ctx, doc_id, user=user)
    if not result.ok:  # e.g. the engine is reading it right now: said beside the button
        st.session_state[REMOVE_REFUSED][doc_id] = result.message
        return
    st.session_state[HIDDEN] |= {
        key for key, (sent, _) in st.session_state[UPLOADED].items() if sent == doc_id
    }
    st.session_state[PHOTO].pop(doc_id, None)
    st.session_state[REMOVED].append(f"{filename} was removed from the queue: upload the retaken photo.")


def photo_warning(doc: Any) -> None:
    """What is wrong with the document's photo, with the hint to retake it and a Remove it button;
    kept (and queued) unless the clerk removes it."""
    problems = st.session_state[PHOTO].get(doc.id)
    if not problems:
        return
    line, action = st.columns([5, 1], vertical_alignment="center")
    with line:
        kept = "It is kept in the queue; remove it to upload a retaken photo instead."
        text = f"{doc.filename}: {problems} {kept}"
        st.warning(ui_state.escape_markdown(text), icon=":material/photo_camera:")
    with action:
        if lifecycle.can(lifecycle.REJECT, doc.status):
            st.button(
                "Remove it",
                key=f"upload_remove_{doc.id}",
                on_click=remove_photo,
                args=(doc.id, doc.filename),
                help="Takes this document out of the queue (rejected: photo to be retaken).",
            )
        refused = st.session_state[REMOVE_REFUSED].get(doc.id)
        if refused:
            st.caption(ui_state.escape_markdown(refused))


def engine_pace() -> float:
    """The engine's seconds per page lately in this process (its background worker), else the
    measured default (a worker in another process)."""
    return metrics.seconds_per_page() or metrics.DEFAULT_SECONDS_PER_PAGE


def extraction_bar(doc: Any, now: Any, per_page: float) -> None:
    """Under a document the engine has not finished: its page count, the time it should take or
    has left, and a bar of how far it is."""
    shown = upload_view.progress_of(doc, now, per_page)
    if shown is not None:
        st.progress(shown[0], text=shown[1])


def progress(polling: bool) -> None:
    """One status line per uploaded document, refreshed until all are done."""
    finished_before = processing.finished_count()
    for message in st.session_state[REMOVED]:
        st.success(ui_state.escape_markdown(message), icon=":material/delete:")
    for message in _refused_messages():
        st.warning(ui_state.escape_markdown(message), icon=":material/content_copy:")
    docs = [documents.get(ctx, doc_id, user=user) for doc_id in _sent_documents()]
    now, per_page = ctx.now(), engine_pace()
    overall = upload_view.overall_text(docs, now, per_page, pool.default_slots())
    if overall is not None:
        st.caption(overall)
    for doc in docs:
        kind, text = ui_state.upload_status_line(doc)
        line, action = st.columns([5, 1], vertical_alignment="center")
        with line:
            if kind == "error":
                st.error(text, icon=":material/error:")
            elif kind == "success":
                st.success(text, icon=":material/check_circle:")
            else:
                st.info(text, icon=":material/hourglass_top:")
        with action:
            if lifecycle.can(lifecycle.CLAIM, doc.status) and st.button(
                "Review now", key=f"upload_review_{doc.id}"
            ):
                # Switch pages from a full run, not from this fragment's run: a page switched to
                # from a fragment could keep widget state of the fragment run (empty text areas).
                st.session_state[GO_REVIEW] = doc.id
                st.rerun(scope="app")
        extraction_bar(doc, now, per_page)
        photo_warning(doc)
    if not ui_state.all_finished(docs):
        st.caption("The engine keeps working if you close this tab.")
        if polling and pool.wait_for_progress(ctx, finished_before, WAIT_SECONDS):
            st.rerun(scope="app")  # a document finished: show it (and its Review button) now
    elif polling:
        # A full rerun re-creates the fragment without run_every: an idle page stops polling.
        st.rerun(scope="app")


def _pending() -> bool:
    """Whether any document of this session is still waiting for the engine."""
    return not ui_state.all_finished(documents.get(ctx, doc_id, user=user) for doc_id in _sent_documents())


def clear_list() -> None:
    """Hide this session's upload lines; the documents stay queued and are not sent again."""
    st.session_state[HIDDEN] = set(st.session_state[UPLOADED])
    st.session_state[REMOVED] = []


if _shown():
    st.button(
        "Clear this list", key="upload_clear", on_click=clear_list, help="The documents stay in the queue."
    )

polling = _pending()
st.fragment(progress, run_every=POLL_SECONDS if polling else None)(polling)
