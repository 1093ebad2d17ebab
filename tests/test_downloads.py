"""The export and page images leave the app only for the browser that is signed in (app.downloads).

The attack run fetched page images and the exported CSV from Streamlit's /media/ URLs without the
session cookie. These routes answer only the person a request's own cookie signs in, with that
account's role checked by the services at that moment.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import downloads
from medextract.services import accounts, audit, review, sessions
from medextract.services.context import Context
from tests.app_support import open_context, seed
from tests.test_store_support import SYSTEM


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    opened = open_context(tmp_path, monkeypatch)
    monkeypatch.setattr(downloads, "_context", lambda: opened)
    yield opened
    opened.close()


def browser(ctx: Context, user: str | None) -> TestClient:
    """A browser with ``user``'s session cookie (None: no cookie at all)."""
    cookies = {}
    if user is not None:
        accounts.set_password(ctx, user, "a long enough password", by=SYSTEM)
        _, code = sessions.begin(ctx, user=user)
        exchanged = sessions.exchange(ctx, code)
        assert exchanged is not None
        cookies[sessions.COOKIE] = exchanged[0]
    return TestClient(Starlette(routes=downloads.ROUTES), cookies=cookies)


def verified(ctx: Context) -> int:
    [doc_id] = seed(ctx)
    view = review.start_review(ctx, doc_id, user="uma")
    assert review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version).ok
    return doc_id


def exports(ctx: Context) -> int:
    return sum(1 for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "export")


EXPORT = "/_medextract/export.csv?type=prescription"


def test_the_export_is_served_only_with_a_supervisors_session_cookie(ctx: Context) -> None:
    verified(ctx)
    assert browser(ctx, None).get(EXPORT).status_code == 401  # the URL alone is worth nothing
    assert browser(ctx, "uma").get(EXPORT).status_code == 403  # a clerk
    answer = browser(ctx, "sue").get(EXPORT)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert "John Smith" in answer.content.decode("utf-8-sig")
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["content-disposition"].startswith('attachment; filename="medextract-prescription-')
    assert exports(ctx) == 1  # audited as sue's export; the refusals exported nothing


def test_the_downloaded_csv_has_the_normalised_date_beside_the_printed_one(ctx: Context) -> None:
    verified(ctx)
    text = browser(ctx, "sue").get(EXPORT).content.decode("utf-8-sig")
    [row] = csv.DictReader(io.StringIO(text))
    # The engine's document type says the field is a date; 03/14 reads only month first.
    assert (row["prescription_date"], row["prescription_date__normalised"]) == ("03/14/2026", "2026-03-14")


def test_a_revoked_session_or_a_demotion_applies_at_once(ctx: Context) -> None:
    verified(ctx)
    sue = browser(ctx, "sue")
    accounts.set_role(ctx, "sue", "clerk", by=SYSTEM)
    assert sue.get(EXPORT).status_code == 403
    accounts.set_role(ctx, "sue", "supervisor", by=SYSTEM)
    assert sue.get(EXPORT).status_code == 200
    live = sessions.resolve(ctx, sue.cookies[sessions.COOKIE])
    assert live is not None
    sessions.revoke(ctx, live.id)
    assert sue.get(EXPORT).status_code == 401


def test_a_request_from_another_site_is_refused(ctx: Context) -> None:
    verified(ctx)
    answer = browser(ctx, "sue").get(EXPORT, headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 403 and exports(ctx) == 0


def test_page_images_need_the_session_cookie_too(ctx: Context) -> None:
    doc_id = verified(ctx)
    url = f"/_medextract/page/{doc_id}/0.jpg?v=3"
    assert browser(ctx, None).get(url).status_code == 401
    answer = browser(ctx, "uma").get(url)
    assert answer.status_code == 200 and answer.headers["content-type"] == "image/jpeg"
    assert answer.content[:3] == b"\xff\xd8\xff" and answer.headers["cache-control"].startswith("private")
    assert Image.open(io.BytesIO(answer.content)).mode == "L"  # a grayscale page, one channel to encode
    assert browser(ctx, "uma").get(f"/_medextract/page/{doc_id}/9.jpg").status_code == 404


def test_a_single_sign_on_browser_is_recognised_by_its_streamlit_cookie(
    ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    verified(ctx)
    claims = {"is_logged_in": True, "iss": "https://idp.example", "sub": "s-1", "email": "sam@example.org"}
    claims |= {"email_verified": True, "medextract_role": "supervisor"}
    monkeypatch.setattr(downloads, "sso_claims", lambda request: claims)
    assert browser(ctx, None).get(EXPORT).status_code == 200
    monkeypatch.setattr(downloads, "sso_claims", lambda request: {**claims, "medextract_role": "clerk"})
    assert browser(ctx, None).get(EXPORT).status_code == 403


def test_links_carry_filters_not_data() -> None:
    from datetime import date

    url = downloads.export_url("prescription", provenance=True, date_from=date(2026, 3, 1), reviewer="bob")
    assert url == "/_medextract/export.csv?type=prescription&provenance=1&from=2026-03-01&reviewer=bob"
    assert downloads.page_url(7, 0, 12) == "/_medextract/page/7/0.jpg?v=12"


def test_the_export_of_a_selection_has_only_the_selected_verified_records(ctx: Context) -> None:
    first, second, waiting = seed(ctx, 3)
    for doc_id in (first, second):
        view = review.start_review(ctx, doc_id, user="uma")
        assert review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version).ok
    url = downloads.export_url("prescription", document_ids=[second, waiting])
    assert url == f"/_medextract/export.csv?type=prescription&ids={second}%2C{waiting}"
    answer = browser(ctx, "sue").get(url)
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [int(r["document_id"]) for r in rows] == [second]  # the waiting one has no record yet
    [event] = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "export"]
    detail = json.loads(event.detail)
    assert (detail["document_ids"], detail["selected"]) == ([second], "2")
    refused = browser(ctx, "sue").get("/_medextract/export.csv?type=prescription&ids=1,x")
    assert refused.status_code == 400
