"""Reading a region in real Chromium: a box drawn on the page is read by real tesseract into the
focused field, and the box becomes that field's evidence (drawn where the clerk drew it)."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from medextract.models import FieldEvidence
from medextract.services import accounts, documents
from medextract.services.context import Context
from tests import test_e2e_review
from tests.app_support import fake_extract, seed
from tests.drawn_pages import DrawnPage
from tests.test_e2e_browser import served_app
from tests.test_e2e_review import PASSWORD, USER, box, expect, field_input, log_in
from tests.test_store_support import FAST_HASHER, SYSTEM

pytestmark = pytest.mark.browser
page = test_e2e_review.page  # the browser tab fixture

PAGE_SIZE = (1200, 1600)
DIRECTIONS_AT = (80, 885, 520, 1005)  # round the two lines of directions drawn on the page
NAME_AT = (226, 1185, 420, 1255)  # round "Jane Roe", after "Patient:"


def drawn_page() -> Image.Image:
    """The page the fake engine hands over: two lines of directions and a name, at known places."""
    drawn = DrawnPage(*PAGE_SIZE)
    drawn.text(100, 900, "Take two tablets")
    drawn.text(100, 945, "every morning")
    drawn.text(100, 1200, "Patient: Jane Roe")
    out = io.BytesIO()
    drawn.image.save(out, format="PNG")
    return Image.open(io.BytesIO(out.getvalue()))


@pytest.fixture
def seeded(tmp_path: Path, needs_ocr: None) -> Iterator[tuple[Path, int]]:
    """A data folder with one extracted prescription on the drawn page, and the clerk uma."""
    data = tmp_path / "data"
    engine = fake_extract()

    def extract(source: Any, **kwargs: Any) -> Any:
        return dataclasses.replace(engine(source, **kwargs), page_images=[drawn_page()])

    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}", hasher=FAST_HASHER)
    try:
        (doc_id,) = seed(ctx, 1, extract_fn=extract)
        accounts.set_password(ctx, USER, PASSWORD, by=SYSTEM)
    finally:
        ctx.close()
    yield data, doc_id


@pytest.fixture
def app_url(seeded: tuple[Path, int]) -> Iterator[str]:
    with served_app(seeded[0], worker=False) as url:
        yield url


def on_screen(tab: Any, x: float, y: float) -> tuple[float, float]:
    """Where a point of the page image is on the screen now (the viewer's zoom and pan)."""
    canvas = tab.locator(".mx-canvas").bounding_box()
    scale = canvas["width"] / PAGE_SIZE[0]
    return canvas["x"] + x * scale, canvas["y"] + y * scale


def drag(tab: Any, region: tuple[int, int, int, int]) -> None:
    x0, y0 = on_screen(tab, region[0], region[1])
    x1, y1 = on_screen(tab, region[2], region[3])
    tab.mouse.move(x0, y0)
    tab.mouse.down()
    tab.mouse.move(x1, y1, steps=6)
    tab.mouse.up()


def test_a_box_drawn_on_the_page_is_read_into_the_focused_field(
    app_url: str, page: Any, seeded: tuple[Path, int]
) -> None:
    data, doc_id = seeded
    log_in(page, app_url)
    page.goto(f"{app_url}/review?doc={doc_id}")
    page.locator(".mx-box").first.wait_for()
    viewer = page.locator(".mx-viewer")

    # Shift+drag round the directions while their field has the focus.
    directions = field_input(page, doc_id, "directions")
    directions.focus()
    expect(viewer).to_have_attribute("data-active", "directions")
    page.get_by_role("button", name="Whole page").click()
    page.keyboard.down("Shift")
    drag(page, DIRECTIONS_AT)
    page.keyboard.up("Shift")
    expect(directions).to_have_value("Take two tablets\nevery morning")
    page.get_by_text("Read into Directions").wait_for()
    expect(box(page, "directions")).to_have_class(re.compile(r"\bmx-edited\b"))
    drawn = box(page, "directions").bounding_box()
    x0, y0 = on_screen(page, DIRECTIONS_AT[0], DIRECTIONS_AT[1])
    assert abs(drawn["x"] - x0) <= 3 and abs(drawn["y"] - y0) <= 3  # the field's box is the one drawn

    # The toolbar's "Read a region", then a plain drag, reads into the field focused now.
    name = field_input(page, doc_id, "patient_name")
    name.focus()
    page.get_by_role("button", name="Whole page").click()
    page.get_by_role("button", name="Read a region").click()
    expect(page.get_by_role("button", name="Read a region")).to_have_attribute("aria-pressed", "true")
    drag(page, NAME_AT)
    expect(name).to_have_value("Jane Roe")
    expect(page.get_by_role("button", name="Read a region")).to_have_attribute("aria-pressed", "false")

    ctx = Context.open(f"sqlite:///{data / 'medextract.db'}")
    try:
        fields = documents.get(ctx, doc_id, user=USER).fields
        with ctx.engine.connect() as conn:
            kept = {row.field: row for row in conn.execute(select(FieldEvidence))}
    finally:
        ctx.close()
    assert fields["directions"].value == "Take two tablets\nevery morning" and fields["directions"].box_drawn
    assert fields["patient_name"].value == "Jane Roe"
    assert set(kept) == {"directions", "patient_name"} and kept["directions"].drawn_by == USER
    x0, y0, x1, y1 = (
        kept["directions"].box_x0,
        kept["directions"].box_y0,
        kept["directions"].box_x1,
        kept["directions"].box_y1,
    )
    assert max(abs(a - b) for a, b in zip((x0, y0, x1, y1), DIRECTIONS_AT, strict=True)) <= 3
