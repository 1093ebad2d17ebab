"""End to end in a real browser: upload the real prescription, correct a field, verify, export.

Runs `streamlit run` on a free port with a temporary data folder and drives it with Debian's
headless Chromium through Playwright (never `playwright install`: no downloads here). Real OCR.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOT = REPO / "docs" / "review-page.png"
START_TIMEOUT = 60.0
OCR_TIMEOUT_MS = 90_000  # one page of real OCR on a busy shared core, with room to spare

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = START_TIMEOUT) -> None:
    """Wait until Streamlit answers its health check (or fail with its output)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode(errors="replace") if process.stdout else ""
            raise RuntimeError(f"streamlit exited with {process.returncode}:\n{output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise TimeoutError(f"streamlit did not become healthy within {timeout:.0f} s")


def start_app(data_dir: Path, *, worker: bool = True) -> tuple[subprocess.Popen[bytes], str]:
    """`streamlit run serve.py` (as `make run`) on a free port, its database in ``data_dir``."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(MEDEXTRACT_DATA_DIR=str(data_dir), MEDEXTRACT_BACKGROUND_WORKER="1" if worker else "0")
    streamlit = Path(sys.executable).parent / "streamlit"
    command = [
        str(streamlit),
        "run",
        "serve.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
    ]
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
    except BaseException:
        stop_app(process)
        raise
    return process, url


def stop_app(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


USER, PASSWORD = "sam", "correct horse battery"  # a supervisor: reviews and exports


@contextmanager
def served_app(data_dir: Path, *, worker: bool = True) -> Iterator[str]:
    """The app serving ``data_dir`` for the block (``start_app``); its URL. Stopped after."""
    process, url = start_app(data_dir, worker=worker)
    try:
        yield url
    finally:
        stop_app(process)


@contextmanager
def chromium_tab(viewport: tuple[int, int], timeout_ms: int, **context_options: Any) -> Iterator[Any]:
    """A tab of a new headless Chromium at ``viewport`` whose steps wait ``timeout_ms`` at most;
    the test is skipped (or fails, where everything is required) without Chromium or Playwright."""
    require(CHROMIUM.exists(), f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            size = {"width": viewport[0], "height": viewport[1]}
            tab = browser.new_context(viewport=size, **context_options).new_page()
            tab.set_default_timeout(timeout_ms)
            yield tab
        finally:
            browser.close()


def wait_for_cookie(
    page: Any, name: str, *, present: bool = True, timeout_ms: int = 30_000
) -> dict[str, Any] | None:
    """Poll the browser's cookie jar until the cookie is there (or gone)."""
    deadline_ms = timeout_ms
    while deadline_ms > 0:
        found = [c for c in page.context.cookies() if c["name"] == name]
        if bool(found) == present:
            return found[0] if found else None
        page.wait_for_timeout(100)
        deadline_ms -= 100
    raise AssertionError(f"cookie {name} {'never set' if present else 'never removed'}")


def sign_in(page: Any, url: str, user: str, password: str) -> None:
    """Sign in on the login page and wait until the session cookie is set (a page loaded after
    that starts signed in)."""
    page.goto(url)
    page.get_by_label("Username", exact=True).fill(user)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()
    page.get_by_text("Upload documents").wait_for()
    wait_for_cookie(page, "medextract_session")


def create_user(data_dir: Path) -> None:
    """The account the test signs in with, made before the server starts (as an admin would)."""
    from medextract.services import accounts
    from medextract.services.context import Context
    from tests.test_store_support import SYSTEM

    ctx = Context.open(f"sqlite:///{data_dir / 'medextract.db'}")
    try:
        accounts.create_account(ctx, USER, role="supervisor", password=PASSWORD, by=SYSTEM)
    finally:
        ctx.close()


def log_in(page: Any) -> None:
    page.get_by_label("Username", exact=True).fill(USER)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    create_user(tmp_path / "data")
    process, url = start_app(tmp_path / "data")
    try:
        yield url
    finally:
        stop_app(process)


@pytest.fixture
def browser_page(needs_ocr: None) -> Iterator[Any]:
    require(shutil.which("pdftoppm") is not None, "poppler-utils is not installed")
    pytest.importorskip("extraction.pipeline", reason="the OCR engine is not there yet")
    with chromium_tab((1500, 1100), 30_000, accept_downloads=True) as page:
        yield page


def field_input(page: Any, doc_id: int, name: str) -> Any:
    """The input or textarea of a review field, found by its widget key's CSS class."""
    return page.locator(f".st-key-field_{doc_id}_{name}").locator("input, textarea").first


def wait_for_rerun(page: Any) -> None:
    """Wait until the app is idle again (the running-man indicator is gone)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=30_000)


def screenshot_path(tmp_path: Path) -> Path:
    """docs/review-page.png when it is missing or MEDEXTRACT_UPDATE_SCREENSHOT=1, else a temp file.

    The committed screenshot changes only on purpose, not on every test run.
    """
    if os.environ.get("MEDEXTRACT_UPDATE_SCREENSHOT") == "1" or not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(exist_ok=True)
        return SCREENSHOT
    return tmp_path / "review-page.png"


def test_upload_review_verify_export(
    app_url: str, browser_page: Any, samples_dir: Path, tmp_path: Path
) -> None:
    page = browser_page
    page.goto(app_url)
    log_in(page)
    page.get_by_text("Upload documents").wait_for()

    # Upload the phone photo of a prescription; the worker thread OCRs it while the page polls.
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        str(samples_dir / "pre_1.pdf")
    )
    # Two waits, so a failure says which step stalled: the server storing the upload (its
    # status line appears), then the engine reading it (the line's Review now button).
    status = page.get_by_text("pre_1.pdf:").first
    status.wait_for()
    try:
        page.get_by_role("button", name="Review now").click(timeout=OCR_TIMEOUT_MS)
    except Exception as error:
        raise AssertionError(f"no Review now; the upload's line reads {status.inner_text()!r}") from error

    # The Review page shows the engine's values; the flagged ones carry their reason.
    name = field_input(page, 1, "patient_name")
    name.wait_for()
    assert name.input_value().strip() != ""
    # The page renders field by field: wait for a flag (the photo's only one may be the last
    # field, refills) instead of counting before it is drawn.
    page.get_by_text("Check this field").first.wait_for()
    assert page.get_by_text("Check this field").count() >= 1
    page.get_by_text("Review #1").wait_for()

    # Correct one field; Enter commits it (a rerun that must not re-run OCR).
    refills = field_input(page, 1, "refills")
    refills.fill("3")
    refills.press("Enter")
    wait_for_rerun(page)
    page.locator(".mx-box").first.wait_for()  # the viewer drew the fields' boxes
    # The text areas are redrawn after a rerun: capture once each field's shows its value again.
    # (Each is looked up afresh until it does; waiting on every textarea of the page instead
    # once timed out in CI, on one that no field owns.)
    expect = pytest.importorskip("playwright.sync_api").expect
    for multiline in ("patient_address", "medicines", "directions"):
        area = field_input(page, 1, multiline)
        area.wait_for(state="visible")
        expect(area).not_to_have_value("", timeout=30_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(screenshot_path(tmp_path)), full_page=False)

    # Verify: every flagged field is checked first (confirmed as read: the test checks the
    # export, not the engine), and values must pass validation.
    # A clerk clicks the box's label: Streamlit draws the input itself hidden under it.
    boxes = page.locator('[class*="st-key-review_confirm_1_"]')
    for index in range(boxes.count()):
        boxes.nth(index).locator("label").click()
        expect(boxes.nth(index).locator("input")).to_be_checked()
        wait_for_rerun(page)
    page.get_by_role("button", name="Verify & next").click()
    page.get_by_text("Verified document #1.").wait_for()

    # Export: the CSV holds the verified record with the clerk's correction.
    page.get_by_role("link", name="Records & export").click()
    page.get_by_text("Verified records", exact=True).wait_for()
    page.locator(".st-key-records_type").click()
    page.get_by_role("option", name="Prescription").click()
    wait_for_rerun(page)
    page.get_by_text("1 verified record(s)").wait_for()
    # A link to the app's own route (app.downloads), answered only with this browser's session
    # cookie; Streamlit's link button opens it in a new tab, which downloads the attachment.
    # The download may start (and its tab close) before a listener added after the click hears
    # it, so listeners are on this page and on every new tab before the click; the test polls.
    downloads: list[Any] = []
    page.context.on("page", lambda tab: tab.on("download", lambda d: downloads.append(d)))
    page.on("download", lambda d: downloads.append(d))
    # The link carries the chosen type once the rerun after choosing it has drawn it.
    link = page.locator('a[href*="type=prescription"]', has_text="Download CSV")
    link.wait_for()
    href = link.get_attribute("href") or ""
    link.click()
    deadline = time.monotonic() + 30
    while not downloads and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    if downloads:
        download = downloads[0]
        assert download.suggested_filename.startswith("medextract-prescription-")
        text = Path(download.path()).read_bytes().decode("utf-8-sig")
    else:
        # A download in a new headless tab now and then reports itself to no listener: the same
        # link fetched with this browser's cookies (its request context) must answer the file.
        response = page.context.request.get(href if href.startswith("http") else app_url + href)
        assert response.ok, f"no download started, and the link answered {response.status}"
        assert "medextract-prescription-" in response.headers.get("content-disposition", "")
        text = response.body().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    row = rows[0]
    assert row["document_id"] == "1"
    assert row["file_name"] == "pre_1.pdf"
    assert row["refills"] == "3"
    assert row["verified_by"] == USER
    assert row["patient_name"].strip() != ""
