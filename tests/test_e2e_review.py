"""The review screen in real Chromium, on documents a fake engine extracted (no OCR, fast).

Deep links and sessions: `/review?doc=ID` opens that document, a reload keeps the clerk signed in
on it (an HttpOnly cookie set by the app's own route), logout revokes the session.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medextract.services import accounts
from medextract.services.context import Context
from tests.app_support import fake_extract, seed
from tests.conftest import require
from tests.test_e2e_browser import CHROMIUM, CHROMIUM_ARGS, start_app, stop_app
from tests.test_store_support import FAST_HASHER, SYSTEM

pytestmark = pytest.mark.browser

USER, PASSWORD = "uma", "a long enough password"
WAIT_MS = 30_000  # a deadline for one step on a busy shared machine; steps end as soon as they can


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Path, list[int]]]:
    """A data folder with two extracted prescriptions (one flagged field each) and the clerk uma."""
    data = tmp_path / "data"
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}", hasher=FAST_HASHER)
    try:
        ids = seed(ctx, 2, extract_fn=fake_extract(flagged={"refills": "low OCR confidence"}))
        accounts.set_password(ctx, USER, PASSWORD, by=SYSTEM)
    finally:
        ctx.close()
    yield data, ids


@pytest.fixture
def app_url(seeded: tuple[Path, list[int]]) -> Iterator[str]:
    process, url = start_app(seeded[0], worker=False)
    try:
        yield url
    finally:
        stop_app(process)


@pytest.fixture
def page(app_url: str) -> Iterator[Any]:
    require(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            tab = context.new_page()
            tab.set_default_timeout(WAIT_MS)
            yield tab
        finally:
            browser.close()


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def field_input(page: Any, doc_id: int, name: str) -> Any:
    return page.locator(f".st-key-field_{doc_id}_{name}").locator("input, textarea").first


def log_in(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_label("Username", exact=True).fill(USER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_text("Upload documents").wait_for()


def wait_for_cookie(page: Any, name: str, *, present: bool = True) -> dict[str, Any] | None:
    """Poll the browser's cookie jar until the cookie is there (or gone)."""
    deadline_ms = WAIT_MS
    while deadline_ms > 0:
        found = [c for c in page.context.cookies() if c["name"] == name]
        if bool(found) == present:
            return found[0] if found else None
        page.wait_for_timeout(100)
        deadline_ms -= 100
    raise AssertionError(f"cookie {name} {'never set' if present else 'never removed'}")


def test_a_reload_keeps_the_clerk_signed_in_on_the_linked_document_until_logout(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    _, (_, second) = seeded
    log_in(page, app_url)
    cookie = wait_for_cookie(page, "medextract_session")
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "medextract_session" not in page.evaluate("document.cookie")  # no script can read it

    page.goto(f"{app_url}/review?doc={second}")
    page.get_by_text(f"Review #{second}").wait_for()
    expect(field_input(page, second, "patient_name")).to_have_value("John Smith")

    page.reload()
    page.get_by_text(f"Review #{second}").wait_for()
    field_input(page, second, "patient_name").wait_for()
    assert page.get_by_role("button", name="Log in", exact=True).count() == 0
    assert f"doc={second}" in page.url

    # Close takes the document out of the URL; Review next writes the one it opens (this clerk's
    # own claim first).
    page.get_by_role("button", name="Close", exact=True).click()
    page.get_by_role("button", name="Review next").wait_for()
    page.wait_for_function("!location.search.includes('doc=')")
    page.get_by_role("button", name="Review next").click()
    page.get_by_text(f"Review #{second}").wait_for()
    page.wait_for_function(f"location.search.includes('doc={second}')")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in", exact=True).wait_for()
    wait_for_cookie(page, "medextract_session", present=False)
    page.goto(f"{app_url}/review?doc={second}")
    page.get_by_role("button", name="Log in", exact=True).wait_for()
    assert page.get_by_text(f"Review #{second}").count() == 0


def test_a_revoked_cookie_signs_nobody_in(app_url: str, page: Any, seeded: tuple[Path, list[int]]) -> None:
    _, (first, _) = seeded
    log_in(page, app_url)
    cookie = wait_for_cookie(page, "medextract_session")
    assert cookie is not None
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in", exact=True).wait_for()
    # The old cookie, put back by hand (a copy taken before logout), no longer signs anyone in.
    page.context.add_cookies([cookie])
    page.goto(f"{app_url}/review?doc={first}")
    page.get_by_role("button", name="Log in", exact=True).wait_for()
    assert page.get_by_text(f"Review #{first}").count() == 0
