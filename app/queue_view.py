"""The Queue page's logic as small pure functions: its table, what a click on it means, and what a
bulk action reports. No Streamlit here (pages/queue.py lays the widgets out)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app import ui_state
from medextract import lifecycle
from medextract.services import bulk

# The table's columns in order, with their widths in pixels: at 1280x720 (beside the sidebar) the
# first six, up to who holds a claim, are in view without scrolling sideways.
WIDTHS = {
    "id": 56,
    "file": 170,
    "patient": 150,
    "status": 140,
    "claimed by": 110,
    "type": 160,
    "flagged": 70,
    "uploaded": 150,
    "claimed": 150,
    "error": 220,
}
COLUMNS = tuple(WIDTHS)
HELP = {
    "patient": "The patient's name as it stands: verified, else as the reviewer corrected it, "
    "else as the engine read it.",
    "claimed by": "Who is reviewing it now (a claim expires when its holder stops working on it).",
    "claimed": "When they opened or last saved it.",
    "flagged": "Fields the engine was not sure of.",
}
TICKED_SHOWN = 5  # documents the bulk panel names; more are counted
EXPORT = "export"  # the bulk panel's download of the ticked rows' records (not a change: a link)
PAGE_SIZES = (25, 50, 100, 200)  # the choices of rows per page; the service's PAGE_SIZE is the default
DEFAULT_PAGE_SIZE = 50


def paging_of(page: object, size: object) -> tuple[int, int]:
    """(page, size) from the URL's ``page`` and ``size``: a page from 1 (past the last one is the
    service's to clamp) and one of ``PAGE_SIZES``; anything else, the first page or the default."""
    number = int(page) if isinstance(page, str) and page.isdigit() and int(page) >= 1 else 1
    rows = int(size) if isinstance(size, str) and size.isdigit() else DEFAULT_PAGE_SIZE
    return number, rows if rows in PAGE_SIZES else DEFAULT_PAGE_SIZE


def paging_query(page: int, size: int) -> dict[str, str]:
    """The URL parameters of a page: none for the first page at the default size (short links)."""
    query = {}
    if page != 1:
        query["page"] = str(page)
    if size != DEFAULT_PAGE_SIZE:
        query["size"] = str(size)
    return query


def page_line(first: int, last: int, total: int) -> str:
    """ "51–100 of 320 documents" under the table."""
    noun = "document" if total == 1 else "documents"
    return f"{first}–{last} of {total} {noun}"


def queue_rows(items: Iterable[Any]) -> list[dict[str, Any]]:
    """The table's rows for ``queue.search``'s items, oldest first; every time in one format
    (``ui_state.format_time``), the claim's holder and time in two columns of their own."""
    rows = []
    for doc, patient in items:
        rows.append(
            {
                "id": doc.id,
                "file": ui_state.plain_text(doc.filename),
                "patient": ui_state.plain_text(patient),
                "status": lifecycle.status_label(doc.status),
                "claimed by": doc.claimed_by or "",
                "type": ui_state.doc_type_label(doc.doc_type),
                "flagged": doc.flagged_fields,
                "uploaded": ui_state.format_time(doc.uploaded_at),
                "claimed": ui_state.format_time(doc.claimed_at) if doc.claimed_by else "",
                "error": ui_state.plain_text(doc.error or ""),
            }
        )
    return rows


def column_config() -> dict[str, dict[str, Any]]:
    """``st.dataframe``'s column_config for the table: fixed widths and the headers' help."""
    return {
        name: {"width": width, **({"help": HELP[name]} if name in HELP else {})}
        for name, width in WIDTHS.items()
    }


def table_key(ids: Sequence[int], round_: int = 0) -> str:
    """The table's widget key: the same while it shows the same documents in the same order, so
    a selection (row positions) always refers to the rows it was made on; new rows, new key, no
    ticks. ``round_`` changes it too (after a bulk action)."""
    digest = hashlib.blake2s(",".join(map(str, ids)).encode("ascii"), digest_size=6).hexdigest()
    return f"queue_table_{round_}_{digest}"


def ticked_line(ticked: Sequence[int], names: Mapping[int, str]) -> str:
    """The bulk panel's markdown-safe line naming the ticked documents."""
    if not ticked:
        return "tick rows in the table to act on several documents at once"
    shown = ", ".join(f"#{i} {ui_state.escape_markdown(names.get(i, ''))}" for i in ticked[:TICKED_SHOWN])
    more = f" and {len(ticked) - TICKED_SHOWN} more" if len(ticked) > TICKED_SHOWN else ""
    return f"{len(ticked)} selected: {shown}{more}"


def selection_of(state: Any) -> tuple[list[int], list[list[Any]]]:
    """(selected row positions, selected cells) of a dataframe's selection state, any shape."""
    selection = _get(state, "selection") or {}
    rows = [int(r) for r in (_get(selection, "rows") or []) if isinstance(r, int)]
    cells = [list(c) for c in (_get(selection, "cells") or []) if isinstance(c, (list, tuple)) and c]
    return rows, cells


def clicked_document(cells: Sequence[Sequence[Any]], shown: Sequence[int]) -> int | None:
    """The document whose row a click (a selected cell) is in; ``shown``: the ids of the table's
    rows as it was drawn (the click refers to that table, whatever changed since)."""
    for cell in cells:
        position = cell[0]
        if isinstance(position, int) and 0 <= position < len(shown):
            return int(shown[position])
    return None


def ticked_documents(rows: Sequence[int], shown: Sequence[int]) -> list[int]:
    """The documents of the ticked rows, in table order."""
    return [int(shown[r]) for r in sorted(set(rows)) if 0 <= r < len(shown)]


def bulk_lines(outcomes: Iterable[Any], names: Mapping[int, str]) -> list[str]:
    """One markdown-safe line per document a bulk action could not do: "#4 scan.png: why"."""
    escape = ui_state.escape_markdown
    return [
        f"#{o.doc_id} {escape(names.get(o.doc_id, ''))}: {escape(o.message)}" for o in outcomes if not o.ok
    ]


def _get(value: Any, name: str) -> Any:
    """``value[name]`` or ``value.name``: Streamlit's selection state is both a dict and an object."""
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def bulk_choices() -> tuple[str, ...]:
    """The bulk panel's actions: the services' (``bulk.ACTIONS``), then the export."""
    return (*bulk.ACTIONS, EXPORT)


def bulk_label(action: str) -> str:
    """How the bulk panel names an action."""
    return "Export records (CSV)" if action == EXPORT else bulk.ACTION_LABELS.get(action, action)


def export_groups(ticked: Sequence[int], items: Iterable[Any]) -> tuple[dict[str, list[int]], list[Any]]:
    """The ticked documents that have records, by document type (one CSV per type: each type has
    its own columns), and the ticked ones that have none (not verified), in table order."""
    chosen = set(ticked)
    groups: dict[str, list[int]] = {}
    others = []
    for doc, _patient in items:
        if doc.id not in chosen:
            continue
        if doc.status == lifecycle.VERIFIED and doc.doc_type:
            groups.setdefault(doc.doc_type, []).append(doc.id)
        else:
            others.append(doc)
    return groups, others


def no_record_line(others: Sequence[Any]) -> str:
    """The markdown-safe line naming the ticked documents that have no record to export."""
    shown = "; ".join(
        f"#{d.id} {ui_state.escape_markdown(d.filename)} ({lifecycle.status_label(d.status).lower()})"
        for d in others[:TICKED_SHOWN]
    )
    more = f" and {len(others) - TICKED_SHOWN} more" if len(others) > TICKED_SHOWN else ""
    return f"Not verified, so no record to export: {shown}{more}. Only verified documents have records."
