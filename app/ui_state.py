"""The review app's page logic as small pure functions: the pages only lay out widgets.

Nothing here imports Streamlit, so every rule (which boxes to draw, what a status line says, how
form widgets become a record) is unit-tested without a browser or an AppTest run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from extraction.doctypes import document_types
from medextract import lifecycle

AUTO_TYPE = "auto"
DEFAULT_USER = "clerk"
UNKNOWN_TYPE = "unknown"

Box = tuple[int, int, int, int]

# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them all also
# defuses Streamlit's own syntax (:red[...], :material/icon:, $latex$) in OCR text.
_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")
_WHITESPACE = re.compile(r"\s+")
_HIDDEN = frozenset({"Cf", "Cc", "Co", "Cs", "Cn", "Zl", "Zp"})  # format, control, unassigned, separators


class FieldLike(Protocol):
    """What the pages read from a ``FieldView``."""

    name: str
    label: str
    value: str
    needs_review: bool
    reason: str | None
    page: int
    box: Sequence[int] | None
    required: bool


class DocumentLike(Protocol):
    """What the pages read from a ``DocumentView`` or ``DocumentSummary``."""

    id: int
    filename: str
    status: str
    doc_type: str | None
    error: str | None


# --- text ---------------------------------------------------------------------------------------


def plain_text(text: object) -> str:
    """Document text (a file name, an OCR value) as it may be shown anywhere, even where Streamlit
    renders no markdown (select options, tables, plain text): invisible formatting characters are
    dropped. Bidirectional controls (U+202E turns "scan_\u202egnp.fdp.png" into what reads as a
    .png) and zero-width characters (Unicode category Cf), and control characters but line breaks
    and tabs, never reach the screen.
    """
    return "".join(c for c in str(text) if c in "\n\t" or unicodedata.category(c) not in _HIDDEN)


def escape_markdown(text: object) -> str:
    """Text that Streamlit's markdown shows literally: no links, styles, HTML, icons or layout.

    The one function every markdown element (titles, captions, notices, labels, help tooltips)
    passes document text through. Whitespace runs (newlines, indentation) become one space, so
    OCR text cannot start a list, a heading or a code block either; ``plain_text`` first.
    """
    flat = _WHITESPACE.sub(" ", plain_text(text)).strip()
    return _MARKDOWN_SPECIAL.sub(r"\\\1", flat)


def format_time(moment: datetime | None) -> str:
    """A moment as every page shows it: "2026-03-14 09:05 UTC" ("" for None). The app keeps and
    shows times in UTC; one format, so a table never mixes two."""
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment is not None else ""


def doc_type_label(doc_type: str | None) -> str:
    """The title of a document type ("Prescription"), "Unknown" when none was recognised."""
    if not doc_type or doc_type == UNKNOWN_TYPE:
        return "Unknown"
    spec = document_types().get(doc_type)
    return spec.title if spec else doc_type


def doc_type_names() -> list[str]:
    """Every document type the engine knows, in a stable order."""
    return sorted(document_types())


def type_choices() -> list[str]:
    """Options of the upload page's type selectbox: "auto" first, then every known type."""
    return [AUTO_TYPE, *doc_type_names()]


def type_choice_label(choice: str) -> str:
    """How a type option is shown: "Detect automatically" for auto, else the type's title."""
    return "Detect automatically" if choice == AUTO_TYPE else doc_type_label(choice)


def forced_type(choice: str) -> str | None:
    """The ``forced_type`` argument of ``upload.intake`` for a selectbox choice."""
    return None if choice == AUTO_TYPE else choice


def current_user_from(state: Mapping[str, Any]) -> str:
    """The signed-in user's name from session state ("clerk" when none is there)."""
    user = state.get("user")
    return user.strip() if isinstance(user, str) and user.strip() else DEFAULT_USER


# --- upload -------------------------------------------------------------------------------------


def upload_key(name: str, size: int, file_id: str | None) -> str:
    """Identifies one file in the uploader across reruns, so it is uploaded once."""
    return file_id or f"{name}:{size}"


def upload_status_line(doc: DocumentLike) -> tuple[str, str]:
    """The upload page's line for one document: (kind, markdown-safe text).

    kind is "info" while waiting, "success" when fields are ready, "error" when extraction failed.
    """
    name = escape_markdown(doc.filename)
    status = lifecycle.status_label(doc.status).lower()
    if doc.status == lifecycle.FAILED:
        return "error", f"{name}: extraction failed: {escape_markdown(doc.error or 'no reason given')}"
    if not lifecycle.extraction_finished(doc.status):
        return "info", f"{name}: {status}…"
    return "success", f"{name}: {status} ({doc_type_label(doc.doc_type)})"


def all_finished(docs: Iterable[DocumentLike]) -> bool:
    """True when no document of the list is still waiting for the engine."""
    return all(lifecycle.extraction_finished(d.status) for d in docs)


# --- queue --------------------------------------------------------------------------------------


ALL_TYPES = "all"
ALL_STATUSES = "all"


def queue_query(status: object, doc_type: object) -> tuple[str, str]:
    """The queue's filters as the URL holds them: ("extracted,in_review", "prescription" or "all")."""
    status_text = status if isinstance(status, str) else ""
    type_text = doc_type if isinstance(doc_type, str) and doc_type else ALL_TYPES
    return status_text, type_text


def queue_filters(query: tuple[str, str]) -> tuple[list[str] | None, str | None]:
    """The widgets' values for a URL's filters: (statuses, type), each unknown value dropped.

    statuses is None when the URL names none (the page's default applies), [] for "all" (every
    status); type None is every type.
    """
    status_text, type_text = query
    if status_text == ALL_STATUSES:
        statuses: list[str] | None = []
    else:
        statuses = [s for s in status_text.split(",") if s in lifecycle.STATUSES] or None
    known = {*doc_type_names(), UNKNOWN_TYPE}
    return statuses, type_text if type_text in known else None


# --- review -------------------------------------------------------------------------------------


def parse_doc_id(text: object) -> int | None:
    """A document id from a URL's ``?doc=`` (digits only, at most 12), else None."""
    if not isinstance(text, str) or not re.fullmatch(r"[0-9]{1,12}", text):
        return None
    value = int(text)
    return value if value > 0 else None


def field_key(doc_id: int, name: str) -> str:
    """Session-state key of a field's widget. No version in it: edits survive a stale save."""
    return f"field_{doc_id}_{name}"


def confirm_key(doc_id: int, name: str) -> str:
    """Session-state key of a flagged field's "checked, it is right" box."""
    return f"review_confirm_{doc_id}_{name}"


def is_multiline(doc_type: str | None, name: str, value: str) -> bool:
    """Whether a field gets a text_area: the type says so, or the value already has line breaks."""
    spec = document_types().get(doc_type or "")
    if spec is not None and name in spec.field_names and spec.field(name).multiline:
        return True
    return "\n" in value


def text_area_height(value: str, *, line_px: int = 26, max_px: int = 320) -> int:
    """A text_area tall enough for every line of ``value`` (Streamlit's minimum is 68 px)."""
    lines = value.count("\n") + 1
    return max(68, min(max_px, line_px * lines + 34))


def form_values(doc_id: int, names: Iterable[str], state: Mapping[str, Any]) -> dict[str, str]:
    """The values typed in the review form, one string per field (missing widgets count as "")."""
    values = {}
    for name in names:
        value = state.get(field_key(doc_id, name), "")
        values[name] = "" if value is None else str(value)
    return values


def changed_fields(fields: Mapping[str, FieldLike], values: Mapping[str, str]) -> list[str]:
    """Names of the fields whose typed value differs from the stored one."""
    return [name for name, f in fields.items() if values.get(name, f.value) != f.value]


REQUIRED_MARK = " *"  # after a required field's label: Verify refuses it empty
REQUIRED_WORD = "Required"  # first in a required field's caption, for who does not know the "*"


def field_label(f: FieldLike) -> str:
    """The widget label: a warning sign before a field the engine is not sure about, a "*" after
    one the document type requires (so the clerk knows before pressing Verify)."""
    label = f"⚠️ {f.label}" if f.needs_review else f.label
    return label + REQUIRED_MARK if f.required else label


FLAGGED, CONFIRMED, EDITED, READ = "flagged", "confirmed", "edited", "ok"


def field_state(f: Any, value: str, confirmed: bool) -> str:
    """Where a field stands: "edited" (differs from what the engine read), "flagged" (the engine
    is unsure and nobody checked it), "confirmed" (checked as right) or "ok" (read, not flagged)."""
    if (value or "").strip() != (f.engine_value or "").strip():
        return EDITED
    if f.needs_review:
        return CONFIRMED if confirmed else FLAGGED
    return READ


def review_caption(f: FieldLike) -> str | None:
    """The markdown-safe reason shown under a flagged field, or None for a field that is fine."""
    if not f.needs_review:
        return None
    return f"Check this field: {escape_markdown(f.reason or 'the engine is not sure')}"


def state_caption(f: Any, state: str) -> str:
    """The markdown-safe line under a field: "Required" when the type requires it, its state, and
    how sure the engine was. (In the caption, not a help icon: an icon is one more Tab stop.)"""
    line = _state_line(f, state)
    return f"{REQUIRED_WORD} · {line}" if f.required else line


def _state_line(f: Any, state: str) -> str:
    sure = f"{f.confidence:.0%} sure"
    if state == FLAGGED:
        return f"{review_caption(f)} · {sure}"
    if state == CONFIRMED:
        return f"✓ Confirmed as read · {sure}"
    if state == EDITED:
        read = escape_markdown(f.engine_value) if f.engine_value else "nothing"
        return f"✎ Edited · the engine read “{read}” ({sure})"
    return f"Read by the engine · {sure}"


STATE_COLOURS = {  # state: (accent, input background)
    FLAGGED: ("#ea580c", "#fff7ed"),
    CONFIRMED: ("#16a34a", "#f0fdf4"),
    EDITED: ("#7c3aed", "#f5f3ff"),
}
_SAFE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def state_css(keys_and_states: Iterable[tuple[str, str]]) -> str:
    """A style sheet colouring each field by its state (a bar beside it, a tinted input)."""
    rules = []
    for key, state in keys_and_states:
        if state not in STATE_COLOURS or not _SAFE_KEY.match(key):
            continue
        accent, background = STATE_COLOURS[state]
        rules.append(
            f".st-key-{key}{{border-left:4px solid {accent};padding-left:8px}}"
            f".st-key-{key} [data-baseweb=input],.st-key-{key} [data-baseweb=textarea]"
            f"{{background:{background};border-color:{accent}}}"
            f".st-key-{key} input,.st-key-{key} textarea{{background:{background}}}"
        )
    return "<style>" + "".join(rules) + "</style>" if rules else ""


def viewer_fields(doc_id: int, fields: Mapping[str, Any], states: Mapping[str, str]) -> list[dict[str, Any]]:
    """The viewer's fields in form order: name, label, widget key, page, box, state."""
    return [
        {
            "name": name,
            "label": f.label,
            "key": field_key(doc_id, name),
            "page": int(f.page or 0),
            "box": [int(v) for v in f.box] if f.box is not None else None,
            "state": states.get(name, READ),
        }
        for name, f in fields.items()
    ]


def flagged_count(fields: Iterable[FieldLike]) -> int:
    """How many fields the engine wants a human to check."""
    return sum(1 for f in fields if f.needs_review)


# --- records and dashboard ----------------------------------------------------------------------


def date_bounds(selection: Any) -> tuple[date | None, date | None]:
    """(from, to) out of a ``st.date_input`` range value, which has 0, 1 or 2 dates while picking."""
    if isinstance(selection, date):
        return selection, selection
    picked = [d for d in (selection or ()) if isinstance(d, date)]
    if not picked:
        return None, None
    return picked[0], picked[-1]


def export_file_name(doc_type: str, today: date) -> str:
    """The CSV's file name: the type and the day, so repeated exports don't overwrite each other."""
    return f"medextract-{doc_type}-{today.isoformat()}.csv"


def format_seconds(seconds: float | None) -> str:
    """A review time for people: "—", "45 s", "3 min 20 s" or "1 h 5 min"."""
    if seconds is None:
        return "—"
    total = round(seconds)
    if total < 60:
        return f"{total} s"
    minutes, secs = divmod(total, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"


def correction_rows(rates: Iterable[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows of the per-field correction table from ``DashboardStats.field_correction_rate``."""
    return [
        {
            "type": doc_type_label(doc_type),
            "field": field,
            "corrected": corrected,
            "verified": total,
            "correction rate": rate,
        }
        for doc_type, field, corrected, total, rate in rates
    ]


def per_day_rows(per_day: Iterable[tuple[date | datetime | str, int]]) -> list[dict[str, Any]]:
    """Rows of the verified-per-day chart."""
    return [{"day": day, "verified": count} for day, count in per_day]
