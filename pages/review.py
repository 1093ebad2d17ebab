"""Review: the page image beside every field, prefilled by the engine; save, verify or reject.

Actions run as button callbacks: they finish before the script draws the form, so a callback may
reset widget state (reload) or move on to the next document without a second rerun.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st

from app import ui_runtime, ui_state
from medextract import lifecycle
from medextract.errors import StoreError
from medextract.services import audit, documents, queue, review
from medextract.services.claims import claim_notice

VERSIONS = "review_versions"  # doc id -> the version the form's values were loaded from
ERRORS = "review_errors"  # doc id -> {field: validation message} from the last save
NOTICE = "review_notice"  # (kind, markdown-safe text) shown once after an action
STALE = "review_stale"  # doc ids whose last save lost a race with someone else's save
READ_ONLY = "review_read_only"  # doc ids this session saw while someone else held the claim
REFRESH_SECONDS = 300  # the holder's open refreshes a claim older than this (or a quarter of its life)

for key, default in ((VERSIONS, {}), (ERRORS, {}), (NOTICE, None), (STALE, set()), (READ_ONLY, set())):
    if key not in st.session_state:
        st.session_state[key] = default
if ui_runtime.REVIEW_DOC not in st.session_state:
    st.session_state[ui_runtime.REVIEW_DOC] = None

ctx = ui_runtime.get_context()
user = ui_runtime.current_user()


def _may(action: str) -> bool:
    """Whether to offer ``action`` (reopen, history, take over): the services check it again."""
    return lifecycle.may(ui_runtime.current_role(), action)


def _held_by_other(doc: Any) -> bool:
    """Someone else holds a live claim: this user sees the document read-only."""
    return doc.status == lifecycle.IN_REVIEW and doc.claimed_by is not None and doc.claimed_by != user


def _refused(exc: StoreError) -> None:
    """Show a refusal from the services (e.g. PermissionDenied) after the action."""
    st.session_state[NOTICE] = ("error", ui_state.escape_markdown(str(exc)))


# --- actions (button callbacks) -----------------------------------------------------------------


def _values(doc_id: int) -> dict[str, str]:
    """The form's current values for the open document."""
    return ui_state.form_values(doc_id, documents.get(ctx, doc_id, user=user).fields, st.session_state)


def _after_save(doc_id: int, result: Any) -> bool:
    """Remember the new version and the field errors; on a refused save show the service's message
    and flag a stale one (edits stay in the form). True when the save went through."""
    st.session_state[ERRORS][doc_id] = dict(result.errors)
    if result.ok:
        st.session_state[VERSIONS][doc_id] = result.version
        st.session_state[STALE].discard(doc_id)
        return True
    st.session_state[NOTICE] = ("error", ui_state.escape_markdown(result.message))
    if documents.get(ctx, doc_id, user=user).version != st.session_state[VERSIONS].get(doc_id):
        st.session_state[STALE].add(doc_id)
    return False


def _open_next(done: str) -> None:
    """Move on to the oldest waiting document, or back to the picker when the queue is empty."""
    next_id = queue.next_for_review(ctx, user=user)
    st.session_state[ui_runtime.REVIEW_DOC] = next_id
    tail = f" Opened document #{next_id}." if next_id is not None else " Nothing else is waiting."
    st.session_state[NOTICE] = ("success", done + tail)


def save_draft(doc_id: int) -> None:
    """Store the form as a draft; the document stays claimed by this user."""
    try:
        result = review.save_draft(
            ctx, doc_id, _values(doc_id), user=user, expected_version=st.session_state[VERSIONS][doc_id]
        )
    except StoreError as exc:
        _refused(exc)
        return
    if _after_save(doc_id, result):
        problems = " Some fields need fixing before it can be verified." if result.errors else ""
        st.session_state[NOTICE] = ("success", "Draft saved." + problems)


def verify_and_next(doc_id: int) -> None:
    """Verify the form's values, then open the next waiting document."""
    try:
        result = review.verify(
            ctx, doc_id, _values(doc_id), user=user, expected_version=st.session_state[VERSIONS][doc_id]
        )
    except StoreError as exc:
        _refused(exc)
        return
    if _after_save(doc_id, result):
        _open_next(f"Verified document #{doc_id}.")


def reject(doc_id: int) -> None:
    """Reject the document with the typed reason, then open the next waiting document."""
    reason = st.session_state.get(f"review_reject_reason_{doc_id}", "").strip()
    if not reason:
        st.session_state[NOTICE] = ("error", "Type the reason for rejecting the document.")
        return
    try:
        result = review.reject(
            ctx, doc_id, reason, user=user, expected_version=st.session_state[VERSIONS][doc_id]
        )
    except StoreError as exc:
        _refused(exc)
        return
    if _after_save(doc_id, result):
        _open_next(f"Rejected document #{doc_id}.")


def reload_latest(doc_id: int) -> None:
    """Throw away this user's edits and load what is stored now."""
    for name in documents.get(ctx, doc_id, user=user).fields:
        st.session_state.pop(ui_state.field_key(doc_id, name), None)
    st.session_state[VERSIONS].pop(doc_id, None)
    st.session_state[ERRORS].pop(doc_id, None)
    st.session_state[STALE].discard(doc_id)


def keep_mine(doc_id: int) -> None:
    """Keep this user's edits and save them over the newer version on the next save."""
    st.session_state[VERSIONS][doc_id] = documents.get(ctx, doc_id, user=user).version
    st.session_state[STALE].discard(doc_id)


def show_field_page(doc_id: int) -> None:
    """Selecting a field turns the page selector to the page the field was read from."""
    doc = documents.get(ctx, doc_id, user=user)
    page = ui_state.page_of_field(doc.fields, st.session_state.get(f"review_focus_{doc_id}"), -1)
    if page >= 0 and doc.pages > 1:
        st.session_state[f"review_page_{doc_id}"] = page


def extract_again(doc_id: int) -> None:
    """Queue the document again as the type the clerk chose (the engine guessed wrong)."""
    choice = st.session_state.get(f"review_retype_{doc_id}", ui_state.AUTO_TYPE)
    try:
        review.reextract(ctx, doc_id, doc_type=ui_state.forced_type(choice), user=user)
    except StoreError as exc:
        _refused(exc)
        return
    reload_latest(doc_id)
    st.session_state[ui_runtime.REVIEW_DOC] = None
    label = ui_state.type_choice_label(choice).lower()
    st.session_state[NOTICE] = ("success", f"Document #{doc_id} is queued again ({label}).")


def reopen(doc_id: int) -> None:
    """Supervisor: send a verified document back to "in_review" with the typed reason."""
    reason = st.session_state.get(f"review_reopen_reason_{doc_id}", "").strip()
    if not reason:
        st.session_state[NOTICE] = ("error", "Type the reason for reopening the document.")
        return
    try:  # only a supervisor may: the service refuses anyone else
        result = review.reopen(ctx, doc_id, user=user, reason=reason)
    except StoreError as exc:
        _refused(exc)
        return
    if result.ok:
        reload_latest(doc_id)
        st.session_state[NOTICE] = ("success", f"Document #{doc_id} is back in review.")
    else:
        st.session_state[NOTICE] = ("error", ui_state.escape_markdown(result.message))


def take_over(doc_id: int) -> None:
    """Supervisor: take the document from the reviewer holding it, with what is stored now."""
    try:
        review.take_over(ctx, doc_id, user=user)
    except StoreError as exc:
        _refused(exc)
        return
    st.session_state[NOTICE] = ("success", f"You now hold document #{doc_id}.")


def open_doc(doc_id: int | None) -> None:
    """Open a document picked on this page."""
    st.session_state[ui_runtime.REVIEW_DOC] = doc_id


# --- no document open: pick one -----------------------------------------------------------------


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
        on_click=open_doc,
        args=(next_id,),
        disabled=next_id is None,
    )
    labels = {d.id: f"#{d.id} {d.filename} ({lifecycle.status_label(d.status)})" for d in waiting}
    chosen = st.selectbox("Or open", list(labels), format_func=labels.get, key="review_pick")
    st.button("Open", key="review_open", on_click=open_doc, args=(chosen,))


# --- the review screen --------------------------------------------------------------------------


def _needs_claim(doc: Any) -> bool:
    """Whether opening ``doc`` must write: to claim it, or to refresh this user's ageing claim.

    Reruns happen on every keystroke; skipping the write when nothing would change keeps them cheap.
    """
    if doc.status == lifecycle.EXTRACTED or (doc.status == lifecycle.IN_REVIEW and doc.claimed_by is None):
        return True
    if doc.status != lifecycle.IN_REVIEW or doc.claimed_by != user or doc.claimed_at is None:
        return False
    refresh_after = min(timedelta(seconds=REFRESH_SECONDS), ctx.claim_timeout / 4)
    return datetime.now(UTC) - doc.claimed_at > refresh_after


def claim(doc_id: int) -> Any:
    """The document, claimed for this user when it is waiting; None when it does not exist."""
    try:
        doc = documents.get(ctx, doc_id, user=user)
    except LookupError:
        return None
    if _needs_claim(doc):
        # Claims (or refreshes this user's claim, or takes over an expired one); another's live
        # claim comes back unchanged and the page shows the document read-only.
        doc = review.start_review(ctx, doc_id, user=user)
    keys = [ui_state.field_key(doc_id, name) for name in doc.fields]
    if _held_by_other(doc):
        st.session_state[READ_ONLY].add(doc_id)
    elif doc_id in st.session_state[READ_ONLY]:
        # Just taken over: what was on screen was someone else's, load what is stored now.
        st.session_state[READ_ONLY].discard(doc_id)
        for key in keys:
            st.session_state.pop(key, None)
        st.session_state[VERSIONS].pop(doc_id, None)
    # Fill the widgets once per visit; a stale save keeps them, a reload or a new visit refills them.
    if not any(key in st.session_state for key in keys):
        for key, f in zip(keys, doc.fields.values(), strict=True):
            st.session_state[key] = f.value
        st.session_state[VERSIONS][doc_id] = doc.version
    st.session_state[VERSIONS].setdefault(doc_id, doc.version)
    return doc


def header(doc: Any) -> None:
    """Title, facts about the document, and the notice left by the last action."""
    st.title(f"Review #{doc.id}: {ui_state.escape_markdown(doc.filename)}")
    facts = [
        ui_state.doc_type_label(doc.doc_type),
        lifecycle.status_label(doc.status),
        f"{doc.pages or 0} page(s)",
        f"{ui_state.flagged_count(doc.fields.values())} field(s) to check",
    ]
    st.caption(ui_state.escape_markdown(" · ".join(facts)))
    notice = st.session_state[NOTICE]
    if notice is not None:
        kind, text = notice
        (st.success if kind == "success" else st.error)(text)
        st.session_state[NOTICE] = None
    if _held_by_other(doc):
        minutes = round(ctx.claim_timeout.total_seconds() / 60)
        st.warning(
            ui_state.escape_markdown(
                f"Read only: this document is {claim_notice(doc.claimed_by, doc.claimed_at)}. "
                f"You can edit it when they finish, or once they have been idle for {minutes} minutes."
            ),
            icon=":material/lock:",
        )
        if _may(lifecycle.TAKE_OVER):
            st.button("Take over", key=f"review_take_over_{doc.id}", on_click=take_over, args=(doc.id,))
    if doc.status == lifecycle.REJECTED:
        st.error(f"Rejected: {ui_state.escape_markdown(doc.reject_reason or '')}")
    if doc.status == lifecycle.FAILED:
        st.error(f"Extraction failed: {ui_state.escape_markdown(doc.error or '')}")


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


def form(doc: Any) -> None:
    """One widget per field, prefilled; the engine's doubts and the validation errors beside them."""
    editable = lifecycle.can(lifecycle.SAVE, doc.status) and not _held_by_other(doc)
    errors = st.session_state[ERRORS].get(doc.id, {})
    for name, f in doc.fields.items():
        key = ui_state.field_key(doc.id, name)
        help_text = ui_state.escape_markdown(f"Engine read “{f.engine_value}” ({f.confidence:.0%} sure)")
        if ui_state.is_multiline(doc.doc_type, name, st.session_state.get(key, f.value)):
            height = ui_state.text_area_height(f.value)  # the stored value: no jumping while typing
            st.text_area(
                ui_state.field_label(f), key=key, disabled=not editable, help=help_text, height=height
            )
        else:
            st.text_input(ui_state.field_label(f), key=key, disabled=not editable, help=help_text)
        caption = ui_state.review_caption(f)
        if caption:
            st.caption(caption)
        if name in errors:
            st.error(ui_state.escape_markdown(errors[name]), icon=":material/error:")
    if not doc.fields:
        st.info("The engine did not recognise this document's type, so it has no fields.")
    if editable:
        actions(doc)
    if editable or doc.status == lifecycle.FAILED:
        retype(doc)
    if lifecycle.can(lifecycle.REOPEN, doc.status) and _may(lifecycle.REOPEN):
        reopen_box(doc)
    if _may(lifecycle.HISTORY):
        history(doc)


def reopen_box(doc: Any) -> None:
    """A supervisor sends a verified document back to review, with a reason."""
    with st.expander("Reopen for review"):
        st.text_input("Reason", key=f"review_reopen_reason_{doc.id}", placeholder="e.g. wrong dose")
        st.button("Reopen", key=f"review_reopen_{doc.id}", on_click=reopen, args=(doc.id,))


def history(doc: Any) -> None:
    """Everything that happened to the document, oldest first, as plain text (never markdown)."""
    with st.expander("History"):
        entries = audit.history(ctx, doc.id, user=user)
        lines = [f"{e.at:%Y-%m-%d %H:%M:%S} UTC  {e.user}  {e.action}  {e.text}" for e in entries]
        st.text("\n".join(lines) if lines else "No history yet.")


def actions(doc: Any) -> None:
    """Save, verify & next, reject; after a stale save, the choice between theirs and mine."""
    if doc.id in st.session_state[STALE]:
        st.warning("Someone saved this document after you opened it. Your edits are still in the form.")
        mine, theirs = st.columns(2)
        mine.button("Keep my edits", key=f"review_keep_{doc.id}", on_click=keep_mine, args=(doc.id,))
        theirs.button(
            "Load their version", key=f"review_reload_{doc.id}", on_click=reload_latest, args=(doc.id,)
        )
    save, verify = st.columns(2)
    save.button(
        "Save draft", key=f"review_save_{doc.id}", on_click=save_draft, args=(doc.id,), width="stretch"
    )
    verify.button(
        "Verify & next",
        key=f"review_verify_{doc.id}",
        on_click=verify_and_next,
        args=(doc.id,),
        type="primary",
        width="stretch",
    )
    with st.expander("Reject document"):
        st.text_input(
            "Reason", key=f"review_reject_reason_{doc.id}", placeholder="e.g. not a medical document"
        )
        st.button("Reject", key=f"review_reject_{doc.id}", on_click=reject, args=(doc.id,))


def retype(doc: Any) -> None:
    """Extract the document again, as a chosen type, when the engine got the type wrong."""
    with st.expander("Wrong document type? Extract again"):
        st.selectbox(
            "Type",
            ui_state.type_choices(),
            format_func=ui_state.type_choice_label,
            key=f"review_retype_{doc.id}",
        )
        st.caption("Edits not yet verified are dropped; the engine reads the document again.")
        st.button(
            "Extract again", key=f"review_extract_again_{doc.id}", on_click=extract_again, args=(doc.id,)
        )


def show_review(doc_id: int) -> None:
    """The review screen of one document."""
    doc = claim(doc_id)
    if doc is None:
        st.session_state[ui_runtime.REVIEW_DOC] = None
        st.error(f"Document #{doc_id} does not exist.")
        return
    header(doc)
    st.button("Close", key="review_close", on_click=open_doc, args=(None,))
    image_column, form_column = st.columns([3, 2], gap="large")
    # The form first: Streamlit sends elements as they are made, so the fields are on screen while
    # a page image not yet cached is decoded and drawn.
    with form_column:
        form(doc)
    with image_column:
        page_view(doc)


if st.session_state[ui_runtime.REVIEW_DOC] is None:
    notice = st.session_state[NOTICE]
    if notice is not None:
        (st.success if notice[0] == "success" else st.error)(notice[1])
        st.session_state[NOTICE] = None
    picker()
else:
    show_review(st.session_state[ui_runtime.REVIEW_DOC])
