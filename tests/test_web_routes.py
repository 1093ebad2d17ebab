"""The app's session routes (app.web_routes): a hand-off code becomes an HttpOnly cookie once, only
for a page of this server; ending a session revokes it and deletes the cookie."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from app import web_routes
from medextract.services import accounts, sessions
from medextract.services.context import Context
from tests.test_store_support import SYSTEM

ORIGIN = {"Origin": "http://testserver"}


@pytest.fixture
def client(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> Any:
    accounts.set_password(ctx, "uma", "a long enough password", by=SYSTEM)
    monkeypatch.setattr(web_routes, "_context", lambda: ctx)
    return TestClient(Starlette(routes=web_routes.ROUTES))


def test_a_code_sets_an_http_only_strict_cookie_once(client: Any, ctx: Context) -> None:
    _, code = sessions.begin(ctx, user="uma")
    answer = client.post(web_routes.SESSION_PATH, json={"code": code}, headers=ORIGIN)
    assert answer.status_code == 204
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{sessions.COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert sessions.resolve(ctx, token) is not None
    again = client.post(web_routes.SESSION_PATH, json={"code": code}, headers=ORIGIN)
    assert again.status_code == 403 and "set-cookie" not in again.headers


def test_requests_from_elsewhere_or_without_a_code_are_refused(client: Any, ctx: Context) -> None:
    _, code = sessions.begin(ctx, user="uma")
    for headers in ({}, {"Origin": "http://evil.example"}):
        assert client.post(web_routes.SESSION_PATH, json={"code": code}, headers=headers).status_code == 403
    assert client.post(web_routes.SESSION_PATH, content=b"not json", headers=ORIGIN).status_code == 400
    assert client.post(web_routes.SESSION_PATH, json={"code": 5}, headers=ORIGIN).status_code == 400
    assert client.post(web_routes.SESSION_PATH, json={"code": code}, headers=ORIGIN).status_code == 204


def test_ending_revokes_the_session_and_deletes_the_cookie(client: Any, ctx: Context) -> None:
    _, code = sessions.begin(ctx, user="uma")
    answer = client.post(web_routes.SESSION_PATH, json={"code": code}, headers=ORIGIN)
    token = answer.headers["set-cookie"].split(";")[0].split("=", 1)[1]
    ended = client.post(web_routes.END_PATH, headers=ORIGIN)
    assert ended.status_code == 204
    assert (
        'medextract_session=""' in ended.headers["set-cookie"] or "Max-Age=0" in ended.headers["set-cookie"]
    )
    assert sessions.resolve(ctx, token) is None
