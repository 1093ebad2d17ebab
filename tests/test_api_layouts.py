"""GET /v1/layouts: the learned layouts for supervisors, refused to clerks (issue 10)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extraction.doctypes import get_document_type
from extraction.layouts import TemplateStore, learn_layout
from medextract import layouts as layout_files
from medextract.services.context import Context
from tests.api_support import Api, fake_extract, serve
from tests.test_layouts import FIRST, engine_reading, pad


@pytest.fixture
def api(ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Api]:
    monkeypatch.setenv(layout_files.LAYOUTS_DIR_ENV, str(tmp_path / "learned"))
    with serve(ctx, extract_fn=fake_extract()) as client:
        yield client


def test_supervisors_list_the_learned_layouts_and_clerks_are_refused(api: Api, tmp_path: Path) -> None:
    assert api.get("/v1/layouts", headers=api.as_("sue")).json() == {"layouts": []}
    template = learn_layout(
        engine_reading(pad(FIRST), FIRST), get_document_type("prescription"), FIRST, taught_by="uma"
    )
    TemplateStore(tmp_path / "learned").save(template)
    body = api.get("/v1/layouts", headers=api.as_("sue")).json()
    (layout,) = body["layouts"]
    assert layout["id"] == template.id and layout["document_type"] == "prescription"
    assert (layout["documents_seen"], layout["fields_corrected"], layout["taught_by"]) == (1, 0, "uma")
    assert layout["fields"] == len(FIRST) and "Maria" not in str(body)
    refused = api.get("/v1/layouts", headers=api.as_("uma"))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert api.get("/v1/layouts").status_code == 401
