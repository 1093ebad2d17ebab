"""The API as HTTP: health and readiness, request ids, problem details for every error, the docs."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from medextract.db import create_db_engine
from medextract.services.context import Context
from tests.api_support import Api, fake_extract, routes, serve
from tests.conftest import without_tesseract


@pytest.fixture
def api(ctx: Context) -> Iterator[Api]:
    with serve(ctx, extract_fn=fake_extract()) as client:
        yield client


def test_liveness_and_readiness_need_no_token(api: Api) -> None:
    assert api.get("/healthz").json() == {"status": "ok", "checks": {}}
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "checks": {"database": "ok", "tesseract": "ok", "poppler": "ok"},
    }


def test_readiness_fails_without_the_database_or_the_ocr_tools(
    ctx: Context, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with monkeypatch.context() as patched:
        without_tesseract(patched, tmp_path)
        with serve(ctx, extract_fn=fake_extract()) as api:
            answer = api.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["checks"] == {"database": "ok", "tesseract": "missing: tesserocr", "poppler": "ok"}
    which = shutil.which
    monkeypatch.setattr(shutil, "which", lambda name: None if name == "pdftoppm" else which(name))
    with serve(ctx, extract_fn=fake_extract()) as api:
        answer = api.get("/readyz")
    assert answer.json()["checks"] == {"database": "ok", "tesseract": "ok", "poppler": "missing: pdftoppm"}

    unreachable = Context(
        create_db_engine("postgresql+psycopg://nobody:pw@127.0.0.1:9/none?connect_timeout=2")
    )
    with serve(unreachable, extract_fn=fake_extract()) as api:
        answer = api.get("/readyz")
        assert api.get("/healthz").status_code == 200  # alive, just not ready
    assert answer.status_code == 503 and answer.json()["checks"]["database"].startswith("unreachable (")
    assert "pw" not in answer.text and "nobody" not in answer.text
    unreachable.close()


def test_every_response_carries_a_request_id_and_the_log_names_it(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="medextract.api"):
        given = api.get("/v1/documents", headers={"X-Request-ID": "claims-42", **api.as_("uma")})
        made = api.get("/v1/documents", params={"type": "John Smith"}, headers=api.as_("uma"))
        refused = api.get("/v1/documents", headers={"X-Request-ID": "bad id\xe9".encode("latin-1") * 20})
        api.get("/v1/documents/John Smith", headers=api.as_("uma"))
        api.get("/v1/documents/7/pages/0", headers=api.as_("uma"))
        api.get("/patients/John Smith")
    assert given.headers["x-request-id"] == "claims-42"
    assert (
        len(made.headers["x-request-id"]) == 32 and made.json()["request_id"] == made.headers["x-request-id"]
    )
    assert (
        refused.headers["x-request-id"] != "bad id"
        and refused.json()["request_id"] == refused.headers["x-request-id"]
    )
    lines = [r.getMessage() for r in caplog.records if r.name == "medextract.api"]
    assert any(line.startswith("GET /v1/documents 200") and line.endswith("user=uma") for line in lines)
    assert any("401" in line and "user=-" in line for line in lines)
    assert not any("John" in line for line in lines)  # no query string, no text from the path
    assert any(line.startswith("GET /v1/documents/{doc_id} 422") for line in lines)
    assert any(line.startswith("GET /v1/documents/7/pages/0 404") for line in lines)
    assert any(line.startswith("GET (no route) 404") for line in lines)


def test_unknown_routes_and_methods_are_problems_too(api: Api) -> None:
    missing = api.get("/v2/documents")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert missing.headers["content-type"] == "application/problem+json"
    wrong = api.request("DELETE", "/v1/documents/1", headers=api.as_("uma"))
    assert (wrong.status_code, wrong.json()["code"]) == (405, "method_not_allowed")
    for body in (missing.json(), wrong.json()):
        assert set(body) >= {"type", "title", "status", "detail", "code", "instance", "request_id"}


def test_the_openapi_document_lists_every_route_and_the_docs_page_serves(api: Api) -> None:
    spec = api.get("/openapi.json").json()
    paths = {(method.upper(), path) for path, item in spec["paths"].items() for method in item}
    assert paths == {
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        ("POST", "/v1/extract"),
        ("POST", "/v1/documents"),
        ("GET", "/v1/documents"),
        ("GET", "/v1/documents/{doc_id}"),
        ("GET", "/v1/documents/{doc_id}/pages/{page}"),
        ("POST", "/v1/documents/merge"),
        ("POST", "/v1/documents/{doc_id}/split"),
        ("POST", "/v1/documents/{doc_id}/pages/{page}/rotate"),
        ("GET", "/v1/documents/{doc_id}/links"),
        ("GET", "/v1/records"),
        ("GET", "/v1/records.csv"),
        ("GET", "/v1/layouts"),
        ("GET", "/v1/webhooks/deliveries"),
    }
    assert len(routes(1)) == len(paths) - 2  # the auth tests cover every /v1 route
    assert "API token" in spec["components"]["securitySchemes"]
    assert api.get("/docs").status_code == 200
