"""The HTTP API under test: the real ASGI app through httpx, on the service tests' databases.

``Api`` is a synchronous face of ``httpx.AsyncClient(transport=ASGITransport(app))``, driven
through an anyio blocking portal (what Starlette's TestClient does inside), so tests read plainly
and every request passes the app's middleware, routing, dependencies and exception handlers.
Documents are extracted by ``processing.process_pending`` with a fake engine: no OCR runs here.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from anyio.from_thread import start_blocking_portal
from PIL import Image, ImageDraw

from extraction import ExtractionResult, FieldResult
from medextract.api import create_app
from medextract.processing import process_pending
from medextract.services import review, tokens, upload
from medextract.services.context import CLI, Context
from tests.test_store_support import GOOD_PRESCRIPTION, FakeEngine, make_result

BASE = "http://api.test"


class Api:
    """``get``/``post``/``request`` against the app; ``as_(name)`` adds that person's token."""

    def __init__(self, client: httpx.AsyncClient, portal: Any, ctx: Context) -> None:
        self.client, self.portal, self.ctx = client, portal, ctx
        self._tokens: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.client.request(method, path, **kwargs))

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def token(self, name: str) -> str:
        """A valid token for ``name`` (made once, by the server's CLI)."""
        if name not in self._tokens:
            self._tokens[name] = tokens.create_token(self.ctx, name, by=CLI, expires_days=30).token
        return self._tokens[name]

    def as_(self, name: str) -> dict[str, str]:
        """Headers of a request made with ``name``'s token."""
        return {"Authorization": f"Bearer {self.token(name)}"}


@contextmanager
def serve(ctx: Context, **app_options: Any) -> Iterator[Api]:
    """The app on ``ctx`` (``app_options`` go to create_app), with a client for it."""
    app = create_app(ctx, **app_options)
    with start_blocking_portal() as portal:
        transport = httpx.ASGITransport(app=app)
        client = httpx.AsyncClient(transport=transport, base_url=BASE)
        try:
            yield Api(client, portal, ctx)
        finally:
            portal.call(client.aclose)
            if app.state.sandboxes is not None:  # the lifespan's job, which ASGITransport skips
                app.state.sandboxes.close()


def png(text: str = "page", size: tuple[int, int] = (64, 64)) -> bytes:
    """A small PNG whose bytes differ per ``text`` (so uploads are not duplicates)."""
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).text((2, 2), text, fill=0)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def drawn_prescription(patient: str = "John Smith") -> bytes:
    """A small prescription drawn in a real font (PNG): the real engine reads it in about a second."""
    from tests.drawn_pages import DrawnPage

    page = DrawnPage(1400, 700)
    lines = [
        "Prescriber: Dr. Ann Lee",
        f"Patient Name: {patient}",
        "Date: 03/14/2026",
        "Rx: Amoxicillin 500 mg",
        "Sig: Take 1 tablet three times a day",
        "Refills: 2",
    ]
    for row, line in enumerate(lines):
        page.text(80, 60 + 90 * row, line)
    out = io.BytesIO()
    page.image.save(out, format="PNG")
    return out.getvalue()


def engine_result(values: dict[str, str] | None = None) -> ExtractionResult:
    """What the real engine returns for a prescription, for /v1/extract's fake engine."""
    values = dict(GOOD_PRESCRIPTION if values is None else values)
    fields = {
        name: FieldResult(
            value,
            0.9,
            name == "refills",
            "low confidence" if name == "refills" else None,
            0,
            (10, 20 + 30 * i, 300, 45 + 30 * i),
        )
        for i, (name, value) in enumerate(values.items())
    }
    return ExtractionResult("prescription", 0.875, 1, 300, fields, seconds=0.25)


def fake_extract(result: ExtractionResult | BaseException | None = None) -> Callable[..., Any]:
    """An engine for /v1/extract that returns ``result`` (or raises it), recording its calls."""

    def extract(data: bytes, *, doc_type: str = "auto", filename: str = "") -> ExtractionResult:
        extract.calls.append((data, doc_type, filename))  # type: ignore[attr-defined]
        if isinstance(result, BaseException):
            raise result
        return result or engine_result()

    extract.calls = []  # type: ignore[attr-defined]
    return extract


def extracted(ctx: Context, *names: str, uploader: str = "uma") -> list[int]:
    """Upload one small PNG per name and extract them all with the fake engine; their ids."""
    ids = []
    for name in names:
        outcome = upload.add_upload(ctx, name, png(name), uploader=uploader)
        assert outcome.document_id is not None, outcome.message
        ids.append(outcome.document_id)
    assert process_pending(ctx, extract_fn=FakeEngine(make_result(flagged=["refills"]))) == len(names)  # type: ignore[arg-type]
    return ids


def verified(ctx: Context, *names: str, by: str = "uma", values: dict[str, str] | None = None) -> list[int]:
    """Documents extracted and verified by ``by`` (with ``values`` changed)."""
    ids = extracted(ctx, *names)
    for doc_id in ids:
        view = review.start_review(ctx, doc_id, user=by)
        flagged = [name for name, f in view.fields.items() if f.needs_review]  # checked as right
        result = review.verify(
            ctx, doc_id, values or {}, user=by, expected_version=view.version, confirmed=flagged
        )
        assert result.ok, result.message
    return ids


def routes(doc_id: int) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Every /v1 route, named, with a request that a permitted caller would have answered 200."""
    return {
        "extract": ("POST", "/v1/extract", {"files": {"file": ("rx.png", png("extract me"), "image/png")}}),
        "upload": (
            "POST",
            "/v1/documents",
            {"files": [("files", ("new.png", png("new upload"), "image/png"))]},
        ),
        "list": ("GET", "/v1/documents", {}),
        "get": ("GET", f"/v1/documents/{doc_id}", {}),
        "page": ("GET", f"/v1/documents/{doc_id}/pages/0", {}),
        "records": ("GET", "/v1/records", {"params": {"type": "prescription"}}),
        "records_csv": ("GET", "/v1/records.csv", {"params": {"type": "prescription"}}),
        "layouts": ("GET", "/v1/layouts", {}),
        "webhook_deliveries": ("GET", "/v1/webhooks/deliveries", {}),
        "links": ("GET", f"/v1/documents/{doc_id}/links", {}),
        # These change documents, in this order: rotate the document, merge it with the one the
        # upload above made (the next id), split what the merge made (the id after that).
        "rotate": ("POST", f"/v1/documents/{doc_id}/pages/0/rotate", {"json": {"degrees": 180}}),
        "merge": ("POST", "/v1/documents/merge", {"json": {"document_ids": [doc_id, doc_id + 1]}}),
        "split": ("POST", f"/v1/documents/{doc_id + 2}/split", {"json": {"after_pages": [0]}}),
    }


SUPERVISOR_ROUTES = {"records", "records_csv", "layouts"}
ADMIN_ROUTES = {"webhook_deliveries"}
