"""Merge, split and rotate over HTTP (issue 11): the routes, their refusals as problems, the schema."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest

from docgen import generate
from medextract import lifecycle
from medextract.services import documents, upload
from medextract.services.context import Context
from tests.api_support import Api, fake_extract, serve, verified


@pytest.fixture
def api(ctx: Context) -> Iterator[Api]:
    with serve(ctx, extract_fn=fake_extract()) as client:
        yield client


def form_pages(seed: int) -> list[bytes]:
    """The pages of a two-page patient form, each photographed on its own (PNG)."""
    out = []
    for page in generate(seed, "patient_details", "clean", fonts="tuning", hand_rate=0).pages:
        buffer = io.BytesIO()
        page.convert("L").save(buffer, "PNG")
        out.append(buffer.getvalue())
    return out


def uploaded(ctx: Context, *files: bytes) -> list[int]:
    ids = []
    for index, data in enumerate(files):
        outcome = upload.add_upload(ctx, f"page{index + 1}.png", data, uploader="uma")
        assert outcome.document_id is not None, outcome.message
        ids.append(outcome.document_id)
    return ids


def test_a_client_merges_two_pages_splits_them_again_and_turns_one(api: Api, ctx: Context) -> None:
    first, second = uploaded(ctx, *form_pages(3))
    merged = api.post("/v1/documents/merge", json={"document_ids": [first, second]}, headers=api.as_("uma"))
    assert merged.status_code == 200, merged.text
    body = merged.json()
    [new_id] = body["documents"]
    assert (body["action"], body["sources"]) == ("merge", [first, second])
    assert api.get(f"/v1/documents/{new_id}/links", headers=api.as_("vic")).json() == {
        "made_by": "merge",
        "made_from": [first, second],
        "went_into": [],
    }
    assert api.get(f"/v1/documents/{first}", headers=api.as_("vic")).json()["status"] == lifecycle.MERGED

    split = api.post(f"/v1/documents/{new_id}/split", json={"after_pages": [0]}, headers=api.as_("vic"))
    assert split.status_code == 200, split.text
    parts = split.json()["documents"]
    assert [documents.get(ctx, i, user="vic").filename for i in parts] == [
        "page1 + page2 (pages 1).tiff",
        "page1 + page2 (pages 2).tiff",
    ]
    turned = api.post(
        f"/v1/documents/{parts[1]}/pages/0/rotate", json={"degrees": 90}, headers=api.as_("uma")
    )
    assert turned.status_code == 200, turned.text
    assert turned.json()["documents"] == [parts[1]] and "turned 90°" in turned.json()["message"]


def test_refusals_are_problems_that_say_why(api: Api, ctx: Context) -> None:
    [done] = verified(ctx, "rx.png")
    [page] = uploaded(ctx, form_pages(4)[0])
    headers = api.as_("uma")
    answer = api.post("/v1/documents/merge", json={"document_ids": [page, done]}, headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (409, "refused")
    assert answer.json()["detail"] == (
        f"Document {done} is verified, so it cannot be merged. A supervisor can reopen it first."
    )
    missing = api.post(f"/v1/documents/{page}/pages/3/rotate", json={"degrees": 90}, headers=headers)
    assert (missing.status_code, missing.json()["detail"]) == (
        409,
        f"Document {page} has 1 page(s): there is no page 4 to rotate.",
    )
    angle = api.post(f"/v1/documents/{page}/pages/0/rotate", json={"degrees": 45}, headers=headers)
    assert (angle.status_code, angle.json()["code"]) == (422, "validation_error")
    alone = api.post("/v1/documents/merge", json={"document_ids": [page]}, headers=headers)
    assert alone.status_code == 422
    nowhere = api.post("/v1/documents/99999/split", json={"after_pages": [0]}, headers=headers)
    assert (nowhere.status_code, nowhere.json()["code"]) == (404, "document_not_found")
    assert documents.get(ctx, page, user="uma").status == lifecycle.QUEUED  # nothing changed


def test_the_schema_documents_the_three_bodies(api: Api) -> None:
    spec = api.get("/openapi.json").json()
    rotate = spec["paths"]["/v1/documents/{doc_id}/pages/{page}/rotate"]["post"]
    assert "409" in rotate["responses"] and "clockwise" in rotate["summary"].lower()
    schemas = spec["components"]["schemas"]
    assert schemas["RotateIn"]["properties"]["degrees"]["enum"] == [90, 180, 270]
    assert schemas["MergeIn"]["properties"]["document_ids"]["minItems"] == 2
    assert "after_pages" in schemas["SplitIn"]["properties"]
