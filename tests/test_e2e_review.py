"""The review screen in real Chromium, on documents a fake engine extracted (no OCR, fast).

Deep links and sessions: `/review?doc=ID` opens that document, a reload keeps the clerk signed in
on it (an HttpOnly cookie set by the app's own route), logout revokes the session.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from medextract.services import accounts, documents, review
from medextract.services.context import Context
from tests.app_support import PRESCRIPTION, fake_extract, seed
from tests.test_e2e_browser import chromium_tab, field_input, served_app, sign_in, wait_for_cookie
from tests.test_store_support import FAST_HASHER, SYSTEM

pytestmark = pytest.mark.browser

USER, PASSWORD = "uma", "a long enough password"
WAIT_MS = 30_000  # a deadline for one step on a busy shared machine; steps end as soon as they can


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Path, list[int]]]:
    """A data folder with two extracted prescriptions (patient name and refills flagged) and the
    clerk uma."""
    data = tmp_path / "data"
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}", hasher=FAST_HASHER)
    try:
        flagged = {"patient_name": "blurred", "refills": "low OCR confidence"}
        ids = seed(ctx, 2, extract_fn=fake_extract(flagged=flagged))
        accounts.set_password(ctx, USER, PASSWORD, by=SYSTEM)
    finally:
        ctx.close()
    yield data, ids


@pytest.fixture
def app_url(seeded: tuple[Path, list[int]]) -> Iterator[str]:
    with served_app(seeded[0], worker=False) as url:
        yield url


@pytest.fixture
def page(app_url: str) -> Iterator[Any]:
    with chromium_tab((1440, 900), WAIT_MS) as tab:
        yield tab


def expect(locator: Any) -> Any:
    return pytest.importorskip("playwright.sync_api").expect(locator)


def log_in(page: Any, url: str) -> None:
    """Sign in as the clerk and wait until the session cookie is set (a reload keeps it)."""
    sign_in(page, url, USER, PASSWORD)


def test_a_reload_keeps_the_clerk_signed_in_on_the_linked_document_until_logout(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    data, (first, second) = seeded
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

    # Close releases the claim and takes the document out of the URL; Review next opens the
    # oldest waiting document and writes it into the URL.
    page.get_by_role("button", name="Close", exact=True).click()
    page.get_by_role("button", name="Review next").wait_for()
    page.wait_for_function("!location.search.includes('doc=')")
    page.get_by_role("button", name="Review next").click()
    page.get_by_text(f"Review #{first}").wait_for()
    page.wait_for_function(f"location.search.includes('doc={first}')")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("button", name="Log in", exact=True).wait_for()
    wait_for_cookie(page, "medextract_session", present=False)
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:  # logout released the clerk's claim on the document that was open
        assert [documents.get(ctx, d, user=USER).claimed_by for d in (first, second)] == [None, None]
    finally:
        ctx.close()
    page.goto(f"{app_url}/review?doc={second}")
    page.get_by_role("button", name="Log in", exact=True).wait_for()
    assert page.get_by_text(f"Review #{second}").count() == 0
    assert page.get_by_text("Page not found").count() == 0

    # Signing in from a link goes on to the linked document.
    page.get_by_label("Username", exact=True).fill(USER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_text(f"Review #{second}").wait_for()
    assert f"doc={second}" in page.url


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


def open_document(page: Any, url: str, doc_id: int) -> Any:
    """Sign in, open the document by its link, and wait for the viewer's boxes; the viewer."""
    log_in(page, url)
    page.goto(f"{url}/review?doc={doc_id}")
    page.locator(".mx-box").first.wait_for()
    return page.locator(".mx-viewer")


def box(page: Any, name: str) -> Any:
    return page.locator(f'.mx-box[data-field="{name}"]')


def inside(inner: dict[str, float], outer: dict[str, float]) -> bool:
    return (
        inner["x"] >= outer["x"] - 1
        and inner["y"] >= outer["y"] - 1
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1
    )


def test_the_viewer_and_the_form_follow_each_other(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    _, (doc_id, _) = seeded
    viewer = open_document(page, app_url, doc_id)
    assert box(page, "prescriber").count() == 1 and page.locator(".mx-box").count() == 7
    expect(box(page, "refills")).to_have_class(re.compile(r"\bmx-flagged\b"))
    expect(box(page, "prescriber")).to_have_class(re.compile(r"\bmx-ok\b"))

    # Focusing a field highlights its box and brings it into the viewer's view.
    field_input(page, doc_id, "directions").focus()
    expect(viewer).to_have_attribute("data-active", "directions")
    expect(box(page, "directions")).to_have_class(re.compile(r"\bmx-active\b"))
    stage = page.locator(".mx-stage").bounding_box()
    assert inside(box(page, "directions").bounding_box(), stage)

    # Clicking a box focuses its field.
    box(page, "patient_name").click()
    page.wait_for_function(
        f"document.activeElement && document.activeElement.closest('.st-key-field_{doc_id}_patient_name')"
    )
    expect(viewer).to_have_attribute("data-active", "patient_name")

    # Free zoom with the wheel, around the pointer; pan by dragging.
    before = float(viewer.get_attribute("data-scale"))
    stage = page.locator(".mx-stage").bounding_box()  # focusing an input may have scrolled the page
    page.mouse.move(stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2)
    page.mouse.wheel(0, -400)
    expect(viewer).not_to_have_attribute("data-scale", f"{before:.4f}")
    assert float(viewer.get_attribute("data-scale")) > before
    canvas = page.locator(".mx-canvas")
    moved_from = canvas.evaluate("el => el.style.transform")
    page.mouse.move(stage["x"] + 200, stage["y"] + 200)
    page.mouse.down()
    page.mouse.move(stage["x"] + 120, stage["y"] + 90, steps=5)
    page.mouse.up()
    assert canvas.evaluate("el => el.style.transform") != moved_from
    page.get_by_role("button", name="Fit width").click()


def test_the_page_stays_pinned_beside_the_form_as_it_scrolls(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    _, (doc_id, _) = seeded
    page.set_viewport_size({"width": 1280, "height": 720})
    viewer = open_document(page, app_url, doc_id)
    page.locator(f".st-key-review_verify_{doc_id}").scroll_into_view_if_needed()
    page.mouse.move(1000, 400)
    page.mouse.wheel(0, 150)  # a little further down, as a clerk scrolling to the buttons would
    title = page.get_by_text(f"Review #{doc_id}")
    deadline = time.monotonic() + WAIT_MS / 1000
    while True:  # the title scrolled away; the viewer is whole on screen, near the top
        heading, shown = title.bounding_box(), viewer.bounding_box()
        pinned = shown is not None and 0 <= shown["y"] < 150 and shown["y"] + shown["height"] <= 721
        if pinned and (heading is None or heading["y"] + heading["height"] < 0):
            break
        assert time.monotonic() < deadline, (heading, shown)
        page.wait_for_timeout(100)


def focused_in(page: Any, doc_id: int, name: str) -> None:
    """Wait until the keyboard focus is in that field's input."""
    page.wait_for_function(
        f"document.activeElement && document.activeElement.closest('.st-key-field_{doc_id}_{name}')"
    )


def test_the_keyboard_confirms_corrects_and_verifies(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    data, (first, second) = seeded
    viewer = open_document(page, app_url, first)
    # The document opens with its first field to check focused.
    focused_in(page, first, "patient_name")

    # Tab goes from field to field: no help icons, and the "checked" box is skipped.
    field_input(page, first, "prescriber").focus()
    page.keyboard.press("Tab")
    focused_in(page, first, "patient_name")
    page.keyboard.press("Tab")
    focused_in(page, first, "prescription_date")

    # Verify is refused while a flagged field is unchecked; the reason is beside it.
    page.keyboard.press("Alt+V")
    page.get_by_text("confirm it or correct it").first.wait_for()

    # Ctrl+Enter confirms the focused flagged field and jumps to the next one to check.
    field_input(page, first, "patient_name").focus()
    page.keyboard.press("Control+Enter")
    focused_in(page, first, "refills")
    expect(page.locator(f".st-key-review_confirm_{first}_patient_name input")).to_be_checked()
    expect(box(page, "patient_name")).to_have_class(re.compile(r"\bmx-confirmed\b"))
    expect(viewer).to_have_attribute("data-active", "refills")

    # Correct refills by typing, then Alt+S saves a draft and Alt+V verifies and moves on.
    page.keyboard.press("Control+A")
    page.keyboard.type("3")
    page.keyboard.press("Alt+S")
    page.get_by_text("Draft saved.").wait_for()
    page.keyboard.press("Alt+H")
    expect(page.locator(".mx-help")).to_be_visible()
    expect(page.locator(".mx-help")).to_contain_text("Verify & next")
    page.keyboard.press("Escape")
    expect(page.locator(".mx-help")).to_be_hidden()
    field_input(page, first, "refills").focus()
    page.keyboard.press("Alt+V")
    page.get_by_text(f"Verified document #{first}.").wait_for()
    page.get_by_text(f"Review #{second}").wait_for()
    focused_in(page, second, "patient_name")
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        done = documents.get(ctx, first, user=USER)
    finally:
        ctx.close()
    assert done.status == "verified" and done.fields["refills"].value == "3"
    assert done.fields["patient_name"].value == "John Smith"  # confirmed as read


def test_a_text_area_drawn_after_the_next_rerun_still_shows_its_value(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    """The CI flake of the browser test, made certain: the browser loads the text area's script
    the first time the session shows one, so a rerun started before it arrives (Enter in another
    field) replaces the element that carried the values. The text areas must still show them, and
    a save must not store them as empty."""
    data, (doc_id, _) = seeded
    log_in(page, app_url)
    held: list[Any] = []
    page.route("**/TextArea.*.js", lambda route: held.append(route))  # answered after the rerun below
    page.goto(f"{app_url}/review?doc={doc_id}")
    expect(field_input(page, doc_id, "patient_name")).to_have_value("John Smith")
    page.wait_for_function(f"document.querySelector('.st-key-field_{doc_id}_patient_address')")
    deadline = time.monotonic() + WAIT_MS / 1000
    while not held:  # the text areas' script was asked for and is held back
        assert time.monotonic() < deadline, "the text area's script was never requested"
        page.wait_for_timeout(50)
    refills = field_input(page, doc_id, "refills")
    refills.fill("3")
    refills.press("Enter")
    page.get_by_text("✎ Edited").wait_for()  # the rerun's form is drawn
    for route in held:
        route.continue_()
    page.unroute("**/TextArea.*.js")
    for name in ("patient_address", "medicines", "directions"):
        expect(field_input(page, doc_id, name)).to_have_value(PRESCRIPTION[name])
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        saved = documents.get(ctx, doc_id, user=USER).fields
    finally:
        ctx.close()
    assert {name: f.value for name, f in saved.items()} == {**PRESCRIPTION, "refills": "3"}


def test_the_first_visit_to_a_fresh_server_by_a_link_shows_no_document(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    """Before streamlit_app.py has run once, Streamlit runs a file of pages/ on its own for its
    link (no sign-in in front of it): each page checks the sign-in itself."""
    _, (doc_id, _) = seeded
    for path in (f"review?doc={doc_id}", "queue", "upload"):
        page.goto(f"{app_url}/{path}")
        page.get_by_text("Please log in first.").wait_for()
        assert page.get_by_text(f"Review #{doc_id}").count() == 0
        assert page.get_by_text("rx_0.png").count() == 0


def test_a_field_edit_redraws_the_form_and_viewer_only(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    """Five clerks share the server: an edit reruns the form and the viewer, not the page around
    them. What that leaves a moment old is the header's waiting count, until the next full run."""
    data, (first, _) = seeded
    open_document(page, app_url, first)
    header = page.get_by_text("1 of 2 waiting")
    header.wait_for()
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        seed(ctx, 1, name="late")  # a third document waits now
    finally:
        ctx.close()
    field_input(page, first, "prescriber").fill("Dr. Ann Leigh")
    field_input(page, first, "prescriber").press("Enter")
    expect(box(page, "prescriber")).to_have_class(re.compile(r"\bmx-edited\b"))  # the viewer follows
    expect(header).to_be_visible()  # the header was not drawn again
    page.keyboard.press("Alt+S")  # a save draws the whole page
    page.get_by_text("Draft saved.").wait_for()
    page.get_by_text("1 of 3 waiting").wait_for()


def test_a_change_by_someone_else_shows_at_the_next_field_edit(
    app_url: str, page: Any, seeded: tuple[Path, list[int]]
) -> None:
    """The form reruns alone only while nothing the page around it shows has changed: a document
    taken over by a supervisor meanwhile shows as read-only at the clerk's next edit."""
    data, (first, _) = seeded
    open_document(page, app_url, first)
    field_input(page, first, "prescriber").fill("Dr. Ann Leigh")
    field_input(page, first, "prescriber").press("Enter")
    expect(box(page, "prescriber")).to_have_class(re.compile(r"\bmx-edited\b"))
    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        review.take_over(ctx, first, user="sue")
    finally:
        ctx.close()
    field_input(page, first, "refills").fill("3")
    field_input(page, first, "refills").press("Enter")
    page.get_by_text("Read only: this document is").wait_for()
    expect(field_input(page, first, "prescriber")).to_be_disabled()
