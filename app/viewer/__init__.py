"""The document viewer: a Streamlit component kept in this folder (viewer.html, .css, .js,
keyboard.js, the review shortcuts, and draw.js, reading a drawn region).

Mounted in the page itself (Streamlit's components v2, no iframe, no build step, nothing from a
CDN): the page image with every field's box coloured by its state, free zoom (wheel, buttons) and
pan (drag); focusing a field's input highlights its box and brings it into view; clicking a box
focuses its input and reports the field ("selected"); the review shortcuts report a confirmed
field ("confirm"); a box drawn on the page (Shift+drag, or "Read a region" then a drag) reports
the focused field with the box ("region"). Page images are the services'
(``documents.page_image``), fetched from the app's own route (``app.downloads``), which answers
only the browser its cookie signs in; a rerun sends their URLs, not their bytes, and the browser
caches them per document version.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import streamlit as st

_HERE = Path(__file__).parent


def _read(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


_mount = st.components.v2.component(
    "medextract_viewer",
    html=_read("viewer.html"),
    css=_read("viewer.css"),
    # One module: the viewer, its keys, then reading a drawn region.
    js="\n".join(_read(name) for name in ("viewer.js", "keyboard.js", "draw.js")),
    isolate_styles=True,
)

# The column holding the viewer stays in view while the form beside it scrolls. A sticky element
# cannot outlive its row, so the form's column ends with room to scroll its last fields up while
# the whole viewer stays on screen.
STICKY_CSS = """
<style>
[data-testid="stColumn"]:has(.st-key-review_viewer) {
  position: sticky;
  top: 3.75rem;
  align-self: flex-start;
}
[data-testid="stColumn"]:has(.st-key-review_form) {
  padding-bottom: 45vh;
}
</style>
"""


def key(doc_id: int) -> str:
    """The viewer's widget key for a document (its state: the last "selected"/"confirm" events)."""
    return f"review_viewer_{doc_id}"


def viewer(
    doc_id: int,
    pages: Sequence[Mapping[str, Any]],
    fields: Sequence[Mapping[str, Any]],
    *,
    on_selected: Callable[[], None],
    on_confirm: Callable[[], None],
    on_region: Callable[[], None],
    height: str = "calc(100vh - 8rem)",
) -> Any:
    """Mount the viewer: ``pages`` [{url, width, height}], ``fields`` [{name, label, key, page,
    box, state}] in form order. The callbacks run before the next script run; they read the event
    with ``event(doc_id, name)``: "selected" and "confirm" name a field, "region" is {field, page,
    box} (a box drawn to be read into the field, in pixels of the page image)."""
    st.html(STICKY_CSS)
    data = {"doc": doc_id, "pages": list(pages), "fields": list(fields), "height": height}
    with st.container(key="review_viewer"):
        return _mount(
            key=key(doc_id),
            data=data,
            on_selected_change=on_selected,
            on_confirm_change=on_confirm,
            on_region_change=on_region,
        )


def event(doc_id: int, name: str) -> Any:
    """The value of the viewer's last ``name`` event ("selected" or "confirm"), inside a callback."""
    state = st.session_state.get(key(doc_id))
    if isinstance(state, Mapping):
        return state.get(name)
    return getattr(state, name, None)
