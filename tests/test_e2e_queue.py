"""The Queue page in real Chromium at laptop size (1280x720), on documents a fake engine extracted:
search, a click on a row opens its review, a supervisor ticks rows and rejects them in bulk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import queue_view
from medextract.services import accounts, documents
from medextract.services.context import Context
from tests.app_support import seed
from tests.test_e2e_browser import chromium_tab, served_app, sign_in
from tests.test_store_support import FAST_HASHER, SYSTEM

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"
WAIT_MS = 30_000  # a deadline for one step on a busy shared machine; steps end as soon as they can
HEADER_PX = ROW_PX = 35  # st.dataframe's default header and row heights
ROW_MARKER_PX = 33  # the column of tick boxes in front of the rows (supervisors only)
TABLE = '[class*="st-key-queue_table_"]'
GRID = '[data-testid="data-grid-canvas"]'


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Path, list[int]]]:
    """A data folder with three extracted prescriptions, the clerk uma and the supervisor sue."""
    data = tmp_path / "data"
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}", hasher=FAST_HASHER)
    try:
        ids = seed(ctx, 3)
        for name in ("uma", "sue"):
            accounts.set_password(ctx, name, PASSWORD, by=SYSTEM)
    finally:
        ctx.close()
    yield data, ids


@pytest.fixture
def app_url(seeded: tuple[Path, list[int]]) -> Iterator[str]:
    with served_app(seeded[0], worker=False) as url:
        yield url


@pytest.fixture
def page(app_url: str) -> Iterator[Any]:
    with chromium_tab((1280, 720), WAIT_MS) as tab:
        yield tab


def open_queue(page: Any, url: str, user: str) -> Any:
    """Sign in as ``user`` and open the queue; its table, drawn."""
    sign_in(page, url, user, PASSWORD)
    page.goto(f"{url}/queue")
    table = page.locator(TABLE)
    table.locator(GRID).wait_for()
    return table


def rows_shown(page: Any, count: int) -> None:
    """Wait until the table has ``count`` rows (its grid's accessible row count has the header)."""
    page.locator(f'{TABLE} table[role="grid"][aria-rowcount="{count + 1}"]').wait_for(state="attached")


def click_row(page: Any, table: Any, row: int, *, x: float) -> None:
    """Click the table ``x`` pixels from its left edge, on row ``row`` (0 the first)."""
    table.locator(GRID).scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + HEADER_PX + row * ROW_PX + ROW_PX / 2)


def idle(page: Any) -> None:
    """Wait until the app has finished its run (Streamlit's running indicator is gone)."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached")


def choose(page: Any, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox ``label``. Its list opens on ArrowDown, but a rerun that
    redraws the box meanwhile closes it again: then it is opened again, until the option shows."""
    listed = page.get_by_role("option", name=option, exact=True)
    for _ in range(5):
        idle(page)
        page.get_by_role("combobox", name=label).press("ArrowDown")
        try:
            listed.wait_for(timeout=WAIT_MS / 5)
            break
        except pytest.importorskip("playwright.sync_api").TimeoutError:
            continue
    listed.click()


def test_a_clerk_searches_then_clicks_a_row_to_review_it(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    _, (_, second, _) = seeded
    table = open_queue(page, app_url, "uma")
    rows_shown(page, 3)
    # At 1280x720 the columns up to who holds a claim are in view: the grid lists the columns it draws.
    headers = table.locator('th[role="columnheader"]').all_inner_texts()
    assert headers[: len(headers)] == list(queue_view.COLUMNS[: len(headers)])
    assert "claimed by" in headers

    page.get_by_placeholder("Patient name, file name or document id").fill("RX_1")
    page.wait_for_function("new URLSearchParams(location.search).get('q') === 'RX_1'")
    rows_shown(page, 1)
    page.reload()  # the search is in the URL: a reload (or a link) shows the same rows
    table.locator(GRID).wait_for()
    rows_shown(page, 1)
    assert page.get_by_placeholder("Patient name, file name or document id").input_value() == "RX_1"

    click_row(page, table, 0, x=120)  # on the file name
    page.get_by_text(f"Review #{second}").wait_for()
    page.wait_for_function(f"location.search.includes('doc={second}')")


def test_a_supervisor_ticks_rows_and_rejects_them_in_one_action(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    data, (first, second, third) = seeded
    table = open_queue(page, app_url, "sue")
    rows_shown(page, 3)
    click_row(page, table, 0, x=ROW_MARKER_PX / 2)  # the tick boxes: selected, not opened
    page.get_by_text("1 selected:").wait_for()
    idle(page)
    click_row(page, table, 2, x=ROW_MARKER_PX / 2)
    page.get_by_text("2 selected:").wait_for()
    assert "/queue" in page.url

    choose(page, "Action", "Reject")
    page.get_by_label("Reason (for every selected document)").fill("Duplicate scans")
    page.get_by_label("Reason (for every selected document)").press("Enter")
    idle(page)
    page.get_by_role("button", name="Apply to 2 selected").click()
    page.get_by_text("Reject: 2 of 2 documents done.").wait_for()

    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        stored = {d: documents.get(ctx, d, user="sue") for d in (first, second, third)}
    finally:
        ctx.close()
    assert [stored[d].status for d in (first, second, third)] == ["rejected", "extracted", "rejected"]
    assert stored[first].reject_reason == "Duplicate scans"
