"""Documents over HTTP: batch upload with per-file outcomes, listing with a cursor, one document."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PIL import Image

from medextract.services import documents, queue, review
from medextract.services.context import Context
from tests.api_support import Api, extracted, fake_extract, png, serve, verified
from tests.test_store_support import SYSTEM, FakeClock

PNG_HEAD = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def api(ctx: Context) -> Iterator[Api]:
    with serve(ctx, extract_fn=fake_extract()) as client:
        yield client


def test_a_batch_answers_each_file_and_one_bad_file_never_stops_the_rest(
    api: Api, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDEXTRACT_MAX_UPLOAD_MB", "0.01")  # 10 KB: read on every upload
    [old] = extracted(ctx, "old.png")
    files = [
        ("files", ("C:\\scans\\first.png", png("first"), "image/png")),
        ("files", ("again.png", png("old.png"), "image/png")),  # the same bytes as document `old`
        ("files", ("notes.txt", b"just text", "text/plain")),
        ("files", ("empty.pdf", b"", "application/pdf")),
        ("files", ("huge.png", PNG_HEAD + b"0" * 20_000, "image/png")),
        ("files", ("second.png", png("second"), "image/png")),
    ]
    answer = api.post("/v1/documents", files=files, data={"doc_type": "prescription"}, headers=api.as_("uma"))
    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert [(r["filename"], r["status"]) for r in results] == [
        ("first.png", "accepted"),
        ("again.png", "duplicate"),
        ("notes.txt", "refused"),
        ("empty.pdf", "refused"),
        ("huge.png", "refused"),
        ("second.png", "accepted"),
    ]
    assert results[1]["document_id"] == old and results[1]["error"] is None
    assert [(r["error"]["code"], r["error"]["status"]) for r in results[2:5]] == [
        ("not_a_document", 415),
        ("empty_file", 422),
        ("file_too_large", 413),
    ]
    assert all(r["message"].startswith(r["filename"]) for r in results[1:5])
    stored = {d.id: d for d in queue.documents(ctx, user=SYSTEM)}
    first, second = results[0]["document_id"], results[5]["document_id"]
    assert set(stored) == {old, first, second}
    assert stored[first].filename == "first.png" and stored[first].status == "queued"
    assert stored[first].uploader == "uma"
    view = api.get(f"/v1/documents/{first}", headers=api.as_("uma")).json()
    assert view["status"] == "queued" and view["fields"] == {}


def test_a_batch_level_problem_refuses_the_whole_request(
    api: Api, ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    one = [("files", ("a.png", png("a"), "image/png"))]
    unknown = api.post("/v1/documents", files=one, data={"doc_type": "invoice"}, headers=api.as_("uma"))
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_document_type"
    assert "prescription" in unknown.json()["detail"]
    many = [("files", (f"{i}.png", png(str(i)), "image/png")) for i in range(101)]
    too_many = api.post("/v1/documents", files=many, headers=api.as_("uma"))
    assert too_many.status_code == 413 and too_many.json()["code"] == "too_many_files"
    no_files = api.post("/v1/documents", data={"doc_type": "auto"}, headers=api.as_("uma"))
    assert no_files.status_code == 422 and no_files.json()["code"] == "validation_error"
    assert queue.documents(ctx, user=SYSTEM) == []

    monkeypatch.setenv("MEDEXTRACT_API_MAX_REQUEST_MB", "0.05")  # read when the app is made
    with serve(ctx, extract_fn=fake_extract()) as small:
        big = [("files", ("big.png", PNG_HEAD + b"0" * 60_000, "image/png"))]
        refused = small.post("/v1/documents", files=big, headers=small.as_("uma"))
        assert refused.status_code == 413 and refused.json()["code"] == "request_too_large"
    assert queue.documents(ctx, user=SYSTEM) == []


def test_one_document_with_fields_evidence_verified_values_and_history(api: Api, ctx: Context) -> None:
    [doc_id] = verified(ctx, "rx.png", values={"refills": "3"})
    body = api.get(f"/v1/documents/{doc_id}", headers=api.as_("sue")).json()
    assert (body["id"], body["status"], body["status_label"], body["doc_type"]) == (
        doc_id,
        "verified",
        "Verified",
        "prescription",
    )
    assert list(body["fields"])[:3] == ["prescriber", "patient_name", "prescription_date"]
    refills = body["fields"]["refills"]
    assert (refills["value"], refills["engine_value"], refills["needs_review"]) == ("3", "2", True)
    assert refills["reason"] == "low confidence" and refills["page"] == 0
    assert body["fields"]["patient_name"]["box"] == [10, 21, 110, 41]
    assert body["verified_values"]["refills"] == "3" and body["verified_by"] == "uma"
    assert [h["action"] for h in body["history"]] == ["upload", "extracted", "claim", "edit", "verify"]
    assert body["history"][3]["text"] == "refills: '2' -> '3'"
    assert body["updated_at"] == body["verified_at"]

    waiting = api.get(f"/v1/documents/{extracted(ctx, 'other.png')[0]}", headers=api.as_("uma")).json()
    assert waiting["verified_values"] is None and waiting["history"] is None
    missing = api.get("/v1/documents/9999", headers=api.as_("uma"))
    assert missing.status_code == 404 and missing.json()["code"] == "document_not_found"
    not_a_number = api.get("/v1/documents/abc", headers=api.as_("uma"))
    assert not_a_number.status_code == 422 and not_a_number.json()["errors"][0]["location"] == "path.doc_id"


def test_page_images_are_the_engines_pngs(api: Api, ctx: Context) -> None:
    [doc_id] = extracted(ctx, "rx.png")
    page = api.get(f"/v1/documents/{doc_id}/pages/0", headers=api.as_("uma"))
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(page.content)).size == (300, 200)
    for bad in (1, -1):
        answer = api.get(f"/v1/documents/{doc_id}/pages/{bad}", headers=api.as_("uma"))
        assert answer.status_code == 404 and answer.json()["code"] == "page_not_found"
    assert (
        api.get("/v1/documents/9999/pages/0", headers=api.as_("uma")).json()["code"] == "document_not_found"
    )


def test_the_listing_pages_through_every_document_once(api: Api, ctx: Context) -> None:
    ids = extracted(ctx, *(f"{i}.png" for i in range(5)))
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        body = api.get("/v1/documents", params=params, headers=api.as_("uma")).json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
        if pages == 1:  # a document uploaded meanwhile comes last, never twice
            ids += extracted(ctx, "late.png")
    assert seen == ids and pages == 3
    item = api.get("/v1/documents", params={"limit": 1}, headers=api.as_("uma")).json()["items"][0]
    assert set(item) >= {
        "id",
        "filename",
        "status",
        "status_label",
        "doc_type",
        "flagged_fields",
        "updated_at",
    }
    assert item["flagged_fields"] == 1


def test_the_listing_filters_by_status_type_and_last_change(api: Api, ctx: Context, clock: FakeClock) -> None:
    first, second, third = extracted(ctx, "a.png", "b.png", "c.png")
    clock.advance(hours=1)
    since = clock().isoformat()
    review.start_review(ctx, second, user="uma")
    version = documents.get(ctx, third, user="uma").version
    assert review.reject(ctx, third, "blurred", user="uma", expected_version=version).ok

    def ids(**params: object) -> list[int]:
        answer = api.get("/v1/documents", params=params, headers=api.as_("uma"))
        assert answer.status_code == 200, answer.text
        return [item["id"] for item in answer.json()["items"]]

    assert ids(status="in_review") == [second]
    assert ids(status="in_review,rejected") == [second, third]
    assert ids(status=["extracted", "rejected"]) == [first, third]
    assert ids(type="prescription") == [first, second, third] and ids(type="unknown") == []
    assert ids(updated_since=since) == [second, third]
    assert ids(updated_since=(clock() + timedelta(seconds=1)).isoformat()) == []
    assert ids(updated_since=clock().date().isoformat()) == [first, second, third]  # a whole day
    as_of = api.get("/v1/documents", headers=api.as_("uma")).json()["as_of"]
    assert as_of.startswith(clock().strftime("%Y-%m-%dT%H:%M"))

    for params, code in [
        ({"status": "lost"}, "validation_error"),
        ({"type": "invoice"}, "unknown_document_type"),
        ({"updated_since": "yesterday"}, "validation_error"),
        ({"limit": 0}, "validation_error"),
        ({"limit": 201}, "validation_error"),
        ({"cursor": "bm90IG91cnM"}, "invalid_cursor"),
        ({"cursor": "%%%"}, "invalid_cursor"),
    ]:
        answer = api.get("/v1/documents", params=params, headers=api.as_("uma"))
        assert answer.json()["code"] == code, (params, answer.text)
        assert answer.status_code == (400 if code == "invalid_cursor" else 422)


def test_an_upload_names_a_bad_photos_problems_and_queues_it_anyway(api: Api, ctx: Context) -> None:
    from tests.test_upload_photo import dark, encoded, page

    files = [
        ("files", ("dark.jpg", encoded(dark(page())), "image/jpeg")),
        ("files", ("good.png", encoded(page(), "PNG"), "image/png")),
        ("files", ("notes.txt", b"just text", "text/plain")),
    ]
    answer = api.post("/v1/documents", files=files, headers=api.as_("uma"))
    assert answer.status_code == 200, answer.text
    dim, good, refused = answer.json()["results"]
    assert dim["status"] == "accepted"  # named, never refused
    [problem] = dim["photo_problems"]
    assert (problem["code"], problem["page"]) == ("dark", 1)
    assert "retake" in problem["message"]
    assert good["photo_problems"] == [] and refused["photo_problems"] == []
    assert documents.get(ctx, dim["document_id"], user="uma").status == "queued"
    # Documented in the schema, beside the other answers of the upload.
    schema = api.get("/openapi.json").json()["components"]["schemas"]
    assert "photo_problems" in schema["UploadItem"]["properties"]
    assert set(schema["PhotoFinding"]["required"]) == {"code", "message", "page"}
