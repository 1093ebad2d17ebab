"""What every page of the review app shares: the one Store per process, the user, cached images.

This is the only module besides the pages that imports Streamlit; the logic it calls lives in
``ui_state`` and ``imaging``.
"""

from __future__ import annotations

import os

import streamlit as st

from medextract import imaging, ui_state
from medextract.store import Store
from medextract.worker import ensure_background_worker

UPLOAD_PAGE = "pages/upload.py"
QUEUE_PAGE = "pages/queue.py"
REVIEW_PAGE = "pages/review.py"
RECORDS_PAGE = "pages/records.py"
DASHBOARD_PAGE = "pages/dashboard.py"

REVIEW_DOC = "review_doc_id"  # session key: the document open on the Review page
DISPLAY_WIDTH = 1400  # pixels; wide enough to read handwriting at full column width


def database_url() -> str | None:
    """DATABASE_URL from the secrets file when one defines it, else from the environment."""
    try:
        url = st.secrets.get("DATABASE_URL")
    except (FileNotFoundError, KeyError):  # no secrets file at all: the normal case on a laptop
        url = None
    return url or os.environ.get("DATABASE_URL") or None


def store_identity() -> tuple[str, str]:
    """What decides which database ``Store.open`` reaches: the URL, else the data folder."""
    return database_url() or "", os.environ.get("MEDEXTRACT_DATA_DIR", "")


def background_worker_enabled() -> bool:
    """Tests set MEDEXTRACT_BACKGROUND_WORKER=0 to seed documents with a fake engine instead."""
    return os.environ.get("MEDEXTRACT_BACKGROUND_WORKER", "1") != "0"


@st.cache_resource(show_spinner=False)
def _open_store(url: str, data_dir: str) -> Store:
    """One Store (one connection pool) per database per process.

    ``data_dir`` is only part of the cache key: Store.open reads it from the environment.
    """
    return Store.open(url or None)


def get_store() -> Store:
    """The process's Store for the configured database, its background worker running."""
    url, data_dir = store_identity()
    store = _open_store(url, data_dir)
    if background_worker_enabled():
        # Extraction runs in a daemon thread, off the request path: it goes on after a tab closes.
        # Checked on every run (a lock and a dict lookup), so a worker that died is started again.
        ensure_background_worker(store)
    return store


def current_user() -> str:
    """The person using the app; the one place a later login will plug into."""
    return ui_state.current_user_from(st.session_state)


@st.cache_data(show_spinner=False, max_entries=32)
def _page_png(identity: tuple[str, str], doc_id: int, page: int, version: int) -> bytes:
    """A page image from the store, fetched once per document version (never re-OCR'd)."""
    return get_store().page_image(doc_id, page)


@st.cache_data(show_spinner=False, max_entries=64)
def _drawn_page(
    identity: tuple[str, str],
    doc_id: int,
    page: int,
    version: int,
    boxes: tuple[tuple[ui_state.Box, str], ...],
    zoom_box: ui_state.Box | None,
) -> bytes:
    """The page with its field boxes as JPEG, cached so a rerun after an edit costs nothing."""
    png = _page_png(identity, doc_id, page, version)
    if zoom_box is None:
        # Shrink before drawing: a whole 300 dpi page is drawn and encoded in a fraction of the time.
        return imaging.to_jpeg(imaging.draw_boxes(png, list(boxes), max_width=DISPLAY_WIDTH))
    # A zoom keeps the full resolution around the field: that is what zooming is for.
    zoomed = imaging.crop_around(imaging.draw_boxes(png, list(boxes)), zoom_box)
    return imaging.to_jpeg(imaging.fit_width(zoomed, DISPLAY_WIDTH))


def review_image(
    doc_id: int,
    page: int,
    version: int,
    boxes: tuple[tuple[ui_state.Box, str], ...],
    zoom_box: ui_state.Box | None = None,
) -> bytes:
    """The Review page's image of one page, boxes drawn, optionally zoomed on one field."""
    return _drawn_page(store_identity(), doc_id, page, version, boxes, zoom_box)


def open_review(doc_id: int) -> None:
    """Show a document on the Review page (from any page, also inside a fragment)."""
    st.session_state[REVIEW_DOC] = doc_id
    st.switch_page(REVIEW_PAGE)
