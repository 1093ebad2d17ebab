"""The Review page's state and actions: which document is open, and the buttons' callbacks.

Actions run as button callbacks: they finish before the script draws the form, so a callback may
reset widget state (reload) or move on to the next document without a second rerun. Every rule
(claims, versions, what may be verified) is the services'; this module only keeps the form's
state in ``st.session_state`` and says what happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import streamlit as st

from app import ui_runtime, ui_state, viewer
from medextract import lifecycle
from medextract.errors import StoreError
from medextract.services import documents, queue, regions, review
from medextract.services.context import Context

VERSIONS = "review_versions"  # doc id -> the version the form's values were loaded from
ERRORS = "review_errors"  # doc id -> {field: validation message} from the last save
NOTICE = "review_notice"  # (kind, markdown-safe text) shown once after an action
STALE = "review_stale"  # doc ids whose last save lost a race with someone else's save
READ_ONLY = "review_read_only"  # doc ids this session saw while someone else held the claim
FOCUS = "review_focus"  # (doc id, field) the clerk last picked by clicking its box
LOADED = "review_loaded"  # doc id -> {field: stored value} when the form was filled (stale notice)
URL_DOC = "review_url_doc"  # the document id this session last wrote into the URL (?doc=)
REFRESH_SECONDS = 300  # the holder's open refreshes a claim older than this (or a quarter of its life)


def init_state() -> None:
    """Session state the Review page needs, created once per session."""
    defaults: dict[str, Any] = {
        VERSIONS: {},
        ERRORS: {},
        NOTICE: None,
        STALE: set(),
        READ_ONLY: set(),
        FOCUS: None,
        LOADED: {},
        URL_DOC: None,
        ui_runtime.REVIEW_DOC: None,
    }
    for key, default in defaults.items():
        if key not in st.session_state:
            st.session_state[key] = default


def ctx() -> Context:
    return ui_runtime.get_context()


def user() -> str:
    return ui_runtime.current_user()


def may(action: str) -> bool:
    """Whether to offer ``action`` (reopen, history, take over): the services check it again."""
    return lifecycle.may(ui_runtime.current_role(), action)


def queue_place(doc_id: int) -> tuple[int, int] | None:
    """(this document's place, how many wait) for the header's "3 of 12 waiting"; None when it
    is not among them or the user may not review."""
    if not may(lifecycle.CLAIM):
        return None
    try:
        return queue.progress(ctx(), user=user(), doc_id=doc_id)
    except StoreError:
        return None


def held_by_other(doc: Any) -> bool:
    """Someone else holds a live claim: this user sees the document read-only."""
    return doc.status == lifecycle.IN_REVIEW and doc.claimed_by is not None and doc.claimed_by != user()


def notify(kind: str, text: str) -> None:
    """Leave a notice ("success" or "error", markdown-safe text) for the next run to show."""
    st.session_state[NOTICE] = (kind, text)


def _refused(exc: StoreError) -> None:
    """Show a refusal from the services (e.g. PermissionDenied) after the action."""
    notify("error", ui_state.escape_markdown(str(exc)))


def confirmed(doc_id: int, names: Any) -> list[str]:
    """Which of the fields ``names`` the clerk ticked as checked ("the value is right")."""
    return [name for name in names if st.session_state.get(ui_state.confirm_key(doc_id, name))]


# --- which document is open ---------------------------------------------------------------------


def open_doc(doc_id: int | None) -> None:
    """Open another document (None: the picker), leaving the open one first."""
    current = st.session_state.get(ui_runtime.REVIEW_DOC)
    if current is not None and current != doc_id:
        leave(current, "other_document" if doc_id is not None else "close")
    st.session_state[ui_runtime.REVIEW_DOC] = doc_id


def leave(doc_id: int, reason: str) -> None:
    """Leave a document: keep what was typed as a draft, give up this user's claim on it (so the
    next clerk need not wait for it to expire), and forget its form."""
    try:
        doc = documents.get(ctx(), doc_id, user=user())
    except LookupError:
        return
    if doc.status == lifecycle.IN_REVIEW and doc.claimed_by == user():
        values = ui_state.form_values(doc_id, doc.fields, st.session_state)
        changed = {name: values[name] for name in ui_state.changed_fields(doc.fields, values)}
        version = st.session_state[VERSIONS].get(doc_id)
        try:
            if changed and version is not None:
                review.save_draft(ctx(), doc_id, changed, user=user(), expected_version=version)
            review.release(ctx(), doc_id, user=user(), reason=reason)
        except StoreError as exc:
            _refused(exc)
    forget(doc_id, doc.fields)


def forget(doc_id: int, names: Any) -> None:
    """Drop a document's form from the session: the next visit loads what is stored then."""
    for name in names:
        st.session_state.pop(ui_state.field_key(doc_id, name), None)
        st.session_state.pop(ui_state.confirm_key(doc_id, name), None)
    for store in (VERSIONS, ERRORS, LOADED):
        st.session_state[store].pop(doc_id, None)
    st.session_state[STALE].discard(doc_id)
    st.session_state[READ_ONLY].discard(doc_id)


def leave_open_document() -> None:
    """Logging out: leave the document open on the Review page, if any."""
    current = st.session_state.get(ui_runtime.REVIEW_DOC)
    if current is not None:
        init_state()
        leave(current, "logout")


def sync_url() -> None:
    """The open document and the URL's ``?doc=`` agree: a link or a reload opens its document;
    a document opened here (Verify & next, the picker) is written into the URL."""
    requested = ui_state.parse_doc_id(st.query_params.get("doc"))
    if requested is not None and requested != st.session_state[URL_DOC]:
        open_doc(requested)  # a link, a reload or the browser's back button
    current = st.session_state[ui_runtime.REVIEW_DOC]
    if current is None:
        if "doc" in st.query_params:
            del st.query_params["doc"]
    elif st.query_params.get("doc") != str(current):
        st.query_params["doc"] = str(current)
    st.session_state[URL_DOC] = current


def review_next() -> None:
    """The Review next button: the next document, chosen and claimed at the click."""
    open_doc(queue.claim_next(ctx(), user=user()))


def _open_next(done: str) -> None:
    """Move on to the oldest waiting document (claimed at once), or back to the picker."""
    next_id = queue.claim_next(ctx(), user=user())
    open_doc(next_id)
    tail = f" Opened document #{next_id}." if next_id is not None else " Nothing else is waiting."
    notify("success", done + tail)


# --- saving -------------------------------------------------------------------------------------


def loaded_version(doc_id: int) -> int | None:
    """The version the form of ``doc_id`` was loaded from: every action that writes names it, so a
    form filled from an older version is refused (optimistic concurrency). None when this session
    no longer knows it; then the action must write nothing, and this says so (``_version_lost``).

    It can be gone when a callback runs: Streamlit runs a click's callback before the script body
    of its run, so a document left or forgotten in one run (Verify & next, Close, a link, a double
    click, a run cut short by the next click before ``claim`` filled the form again) may still get
    a click from the form drawn before; or the session's state was reset.
    """
    init_state()  # a reset session: the callback runs before the page's body made the state
    version = st.session_state[VERSIONS].get(doc_id)
    if version is None:
        _version_lost(doc_id)
    return version


def _version_lost(doc_id: int) -> None:
    """An action found no loaded version: save nothing, and tell the clerk as a stale save does.

    What the clerk typed, if the session still has it, stays in the form and the page offers the
    stale save's choice (keep my edits / reload the stored version) until they pick one; with
    nothing typed left, the next run loads the form from what is stored (``claim``).
    """
    try:
        doc = documents.get(ctx(), doc_id, user=user())
    except LookupError:
        notify("error", f"Nothing was saved: document #{doc_id} no longer exists.")
        return
    if st.session_state.get(ui_runtime.REVIEW_DOC) != doc_id:
        # A double click: keep what the first click said ("Verified document #3. Opened #4.").
        pending = st.session_state[NOTICE]
        before = pending[1] + " " if pending is not None else ""
        notify("error", f"{before}Nothing was saved by that click: document #{doc_id} is no longer open.")
        return
    if any(ui_state.field_key(doc_id, name) in st.session_state for name in doc.fields):
        st.session_state[STALE].add(doc_id)  # the form keeps the edits; claim() leaves the version unset
        notify(
            "error",
            "Nothing was saved: this form no longer knew which version of the document it was loaded "
            "from, so saving could overwrite someone else's changes. Your edits are still in the form.",
        )
        return
    notify(
        "error",
        "Nothing was saved: this form had been reset. It now shows what is stored; check it and try again.",
    )


def _values(doc_id: int) -> dict[str, str]:
    """The form's current values for the open document."""
    fields = documents.get(ctx(), doc_id, user=user()).fields
    return ui_state.form_values(doc_id, fields, st.session_state)


def _after_save(doc_id: int, result: Any) -> bool:
    """Remember the new version and the field errors; on a refused save show the service's message
    and flag a stale one (edits stay in the form). True when the save went through."""
    st.session_state[ERRORS][doc_id] = dict(result.errors)
    if result.ok:
        st.session_state[VERSIONS][doc_id] = result.version
        st.session_state[STALE].discard(doc_id)
        return True
    notify("error", ui_state.escape_markdown(result.message))
    if documents.get(ctx(), doc_id, user=user()).version != st.session_state[VERSIONS].get(doc_id):
        st.session_state[STALE].add(doc_id)
    return False


def save_draft(doc_id: int) -> None:
    """Store the form as a draft; the document stays claimed by this user."""
    version = loaded_version(doc_id)
    if version is None:
        return
    try:
        result = review.save_draft(ctx(), doc_id, _values(doc_id), user=user(), expected_version=version)
    except StoreError as exc:
        _refused(exc)
        return
    if _after_save(doc_id, result):
        problems = " Some fields need fixing before it can be verified." if result.errors else ""
        notify("success", "Draft saved." + problems)


def verify_and_next(doc_id: int) -> None:
    """Verify the form's values, then open the next waiting document."""
    version = loaded_version(doc_id)
    if version is None:
        return
    fields = documents.get(ctx(), doc_id, user=user()).fields
    try:
        result = review.verify(
            ctx(),
            doc_id,
            ui_state.form_values(doc_id, fields, st.session_state),
            user=user(),
            expected_version=version,
            confirmed=confirmed(doc_id, [name for name, f in fields.items() if f.needs_review]),
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
        notify("error", "Type the reason for rejecting the document.")
        return
    version = loaded_version(doc_id)
    if version is None:
        return
    try:
        result = review.reject(ctx(), doc_id, reason, user=user(), expected_version=version)
    except StoreError as exc:
        _refused(exc)
        return
    if _after_save(doc_id, result):
        _open_next(f"Rejected document #{doc_id}.")


def viewer_confirmed(doc_id: int) -> None:
    """The viewer's confirm key (Ctrl+Enter, Alt+C) ticks the field's "checked" box."""
    name = viewer.event(doc_id, "confirm")
    if isinstance(name, str) and name:
        st.session_state[ui_state.confirm_key(doc_id, name)] = True


def viewer_selected(doc_id: int) -> None:
    """A click on a box: the viewer focused its input already; remember which field it was."""
    name = viewer.event(doc_id, "selected")
    if isinstance(name, str) and name:
        st.session_state[FOCUS] = (doc_id, name)


def viewer_region(doc_id: int) -> None:
    """A box drawn on the page: the services read it into the field (its draft and evidence), and
    the form shows what was read; other edits in the form stay as they were."""
    drawn = viewer.event(doc_id, "region")
    if not isinstance(drawn, Mapping) or not isinstance(drawn.get("field"), str):
        return
    field, page, box = drawn["field"], drawn.get("page"), drawn.get("box")
    if not isinstance(page, int) or not isinstance(box, list) or len(box) != 4:
        return
    if not all(isinstance(v, int) for v in box):
        return
    version = loaded_version(doc_id)
    if version is None:
        return
    try:
        result = regions.read_region(ctx(), doc_id, field, page, box, user=user(), expected_version=version)
    except StoreError as exc:
        _refused(exc)
        return
    if not result.ok:
        notify("error", ui_state.escape_markdown(result.message))
        if documents.get(ctx(), doc_id, user=user()).version != version:
            st.session_state[STALE].add(doc_id)
        return
    st.session_state[ui_state.field_key(doc_id, field)] = result.value
    st.session_state[VERSIONS][doc_id] = result.version
    st.session_state[LOADED].setdefault(doc_id, {})[field] = result.value
    st.session_state[ERRORS].get(doc_id, {}).pop(field, None)
    label = documents.get(ctx(), doc_id, user=user()).fields[field].label
    value = ui_state.plain_text(result.value)
    shown = value if len(value) <= 80 else value[:79] + "…"
    notify("success", ui_state.escape_markdown(f"Read into {label}: “{shown}”"))


def reload_latest(doc_id: int) -> None:
    """Throw away this user's edits and load what is stored now."""
    for name in documents.get(ctx(), doc_id, user=user()).fields:
        st.session_state.pop(ui_state.field_key(doc_id, name), None)
    st.session_state[VERSIONS].pop(doc_id, None)
    st.session_state[ERRORS].pop(doc_id, None)
    st.session_state[STALE].discard(doc_id)


def keep_mine(doc_id: int) -> None:
    """Keep this user's edits and save them over the newer version on the next save."""
    doc = documents.get(ctx(), doc_id, user=user())
    st.session_state[VERSIONS][doc_id] = doc.version
    st.session_state[LOADED][doc_id] = {name: f.value for name, f in doc.fields.items()}
    st.session_state[STALE].discard(doc_id)


def changed_since_loaded(doc: Any) -> list[str]:
    """Labels of the fields someone else changed since this form was filled (a stale save)."""
    loaded = st.session_state[LOADED].get(doc.id, {})
    return [f.label for name, f in doc.fields.items() if name in loaded and loaded[name] != f.value]


def extract_again(doc_id: int) -> None:
    """Queue the document again as the type the clerk chose (the engine guessed wrong)."""
    choice = st.session_state.get(f"review_retype_{doc_id}", ui_state.AUTO_TYPE)
    try:
        review.reextract(ctx(), doc_id, doc_type=ui_state.forced_type(choice), user=user())
    except StoreError as exc:
        _refused(exc)
        return
    reload_latest(doc_id)
    open_doc(None)
    label = ui_state.type_choice_label(choice).lower()
    notify("success", f"Document #{doc_id} is queued again ({label}).")


def reopen(doc_id: int) -> None:
    """Supervisor: send a verified document back to "in_review" with the typed reason."""
    reason = st.session_state.get(f"review_reopen_reason_{doc_id}", "").strip()
    if not reason:
        notify("error", "Type the reason for reopening the document.")
        return
    try:  # only a supervisor may: the service refuses anyone else
        result = review.reopen(ctx(), doc_id, user=user(), reason=reason)
    except StoreError as exc:
        _refused(exc)
        return
    if result.ok:
        reload_latest(doc_id)
        notify("success", f"Document #{doc_id} is back in review.")
    else:
        notify("error", ui_state.escape_markdown(result.message))


def take_over(doc_id: int) -> None:
    """Supervisor: take the document from the reviewer holding it, with what is stored now."""
    try:
        review.take_over(ctx(), doc_id, user=user())
    except StoreError as exc:
        _refused(exc)
        return
    notify("success", f"You now hold document #{doc_id}.")


# --- opening a document -------------------------------------------------------------------------


def _needs_claim(doc: Any) -> bool:
    """Whether opening ``doc`` must write: to claim it, or to refresh this user's ageing claim.

    Reruns happen on every keystroke; skipping the write when nothing would change keeps them cheap.
    """
    if doc.status == lifecycle.EXTRACTED or (doc.status == lifecycle.IN_REVIEW and doc.claimed_by is None):
        return True
    if doc.status != lifecycle.IN_REVIEW or doc.claimed_by != user() or doc.claimed_at is None:
        return False
    refresh_after = min(timedelta(seconds=REFRESH_SECONDS), ctx().claim_timeout / 4)
    return datetime.now(UTC) - doc.claimed_at > refresh_after


def claim(doc_id: int) -> Any:
    """The document, claimed for this user when it is waiting; None when it does not exist."""
    try:
        doc = documents.get(ctx(), doc_id, user=user())
    except LookupError:
        return None
    if _needs_claim(doc):
        # Claims (or refreshes this user's claim, or takes over an expired one); another's live
        # claim comes back unchanged and the page shows the document read-only.
        doc = review.start_review(ctx(), doc_id, user=user())
    keys = [ui_state.field_key(doc_id, name) for name in doc.fields]
    if held_by_other(doc):
        st.session_state[READ_ONLY].add(doc_id)
    elif doc_id in st.session_state[READ_ONLY]:
        # Just taken over: what was on screen was someone else's, load what is stored now.
        st.session_state[READ_ONLY].discard(doc_id)
        for key in keys:
            st.session_state.pop(key, None)
        st.session_state[VERSIONS].pop(doc_id, None)
    # Fill the widgets once per visit; a stale save keeps them, a reload or a new visit refills them.
    # (The form sends their values with every run: review_form.resend.)
    if not any(key in st.session_state for key in keys):
        for key, f in zip(keys, doc.fields.values(), strict=True):
            st.session_state[key] = f.value
        st.session_state[VERSIONS][doc_id] = doc.version
        st.session_state[LOADED][doc_id] = {name: f.value for name, f in doc.fields.items()}
    if doc_id not in st.session_state[STALE]:
        # A form whose version was lost keeps it unset until the clerk keeps the edits or reloads.
        st.session_state[VERSIONS].setdefault(doc_id, doc.version)
    return doc
