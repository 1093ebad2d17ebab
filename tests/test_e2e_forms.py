"""Forms never lose what was typed (issue 11), in real Chromium: a refused Reject keeps its box
open and the form's edits; a refused new user keeps the Add a user form open and filled in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medextract.services import accounts
from medextract.services.context import Context
from tests import test_e2e_browser, test_e2e_review
from tests.app_support import fake_extract, seed
from tests.test_e2e_browser import field_input, served_app, wait_for_rerun
from tests.test_e2e_review import expect
from tests.test_store_support import FAST_HASHER, SYSTEM

pytestmark = pytest.mark.browser
page = test_e2e_review.page  # the browser tab fixture

ADMIN, PASSWORD = "ada", "a long enough password"


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Path, list[int]]]:
    """A data folder with one extracted prescription and the administrator ada."""
    data = tmp_path / "data"
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}", hasher=FAST_HASHER)
    try:
        ids = seed(ctx, 1, extract_fn=fake_extract(flagged={"refills": "low OCR confidence"}))
        accounts.create_account(ctx, ADMIN, role="admin", password=PASSWORD, by=SYSTEM)
    finally:
        ctx.close()
    yield data, ids


@pytest.fixture
def app_url(seeded: tuple[Path, list[int]]) -> Iterator[str]:
    with served_app(seeded[0], worker=False) as url:
        yield url


def sign_in(tab: Any, url: str, path: str) -> None:
    """Sign in as the administrator (the session cookie keeps it across a load), then open ``path``."""
    test_e2e_browser.sign_in(tab, url, ADMIN, PASSWORD)
    tab.goto(f"{url}/{path}")


def test_reject_without_a_reason_keeps_the_box_open_and_the_edits(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    _, (doc_id,) = seeded
    sign_in(page, app_url, f"review?doc={doc_id}")
    refills = field_input(page, doc_id, "refills")
    refills.fill("5")
    refills.press("Enter")
    page.get_by_text("✎ Edited").wait_for()
    page.get_by_text("Reject document").click()
    reason = page.locator(f".st-key-review_reject_reason_{doc_id} input")
    reason.wait_for()
    # Opening the box reruns the form; Reject is clicked once that run is over, as a clerk
    # would, so on a busy machine the click does not land in the middle of it.
    wait_for_rerun(page)
    page.get_by_role("button", name="Reject", exact=True).click()
    page.get_by_text("Type the reason for rejecting the document.").wait_for()
    expect(reason).to_be_visible()  # the box stayed open
    expect(refills).to_have_value("5")
    reason.fill("Not a prescription")
    expect(reason).to_have_value("Not a prescription")


def _typed(page: Any, selector: str, text: str) -> None:
    """Type ``text`` into the input at ``selector`` and wait for the rerun its Enter starts: a
    click sent while the rerun of an input's change still runs may be lost on a busy machine."""
    page.locator(selector).fill(text)
    page.locator(selector).press("Enter")
    wait_for_rerun(page)


def test_a_refused_new_user_keeps_the_form_open_and_filled_in(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    sign_in(page, app_url, "admin_users")
    page.get_by_text("Add a user").click()
    username = page.locator(".st-key-users_new_username input")
    username.fill("bob")
    page.locator(".st-key-users_new_display input").fill("Bob Jones")
    page.locator(".st-key-users_new_password input").fill("first long password")
    _typed(page, ".st-key-users_new_password2 input", "another long password")
    page.get_by_role("button", name="Add user").click()
    page.get_by_text("The two passwords differ.").wait_for()
    expect(username).to_be_visible()  # the form stayed open
    expect(username).to_have_value("bob")
    expect(page.locator(".st-key-users_new_display input")).to_have_value("Bob Jones")

    page.locator(".st-key-users_new_password2 input").fill("first long password")
    _typed(page, ".st-key-users_new_username input", "ada")  # taken: refused by the services
    page.get_by_role("button", name="Add user").click()
    page.get_by_text("The username ada is already taken.").wait_for()
    expect(username).to_be_visible()
    expect(page.locator(".st-key-users_new_display input")).to_have_value("Bob Jones")
