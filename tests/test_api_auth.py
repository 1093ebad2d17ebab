"""The API's tokens and roles on every route, through the real ASGI app, on SQLite and PostgreSQL.

A missing, malformed, unknown, expired or revoked token is refused (401) on every /v1 route and
audited; an account's role decides what its token may do (403), checked by the services on each
call, so the app's pages and the API refuse the same action with the same rule.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from medextract.errors import PermissionDenied
from medextract.models import AuditEvent, Document
from medextract.services import accounts, audit, records, tokens
from medextract.services.context import CLI, Context
from tests.api_support import (
    ADMIN_ROUTES,
    SUPERVISOR_ROUTES,
    Api,
    extracted,
    fake_extract,
    routes,
    serve,
    verified,
)
from tests.test_store_support import SYSTEM, FakeClock

ROUTE_NAMES = list(routes(1))


@pytest.fixture
def api(ctx: Context) -> Iterator[Api]:
    with serve(ctx, extract_fn=fake_extract()) as client:
        yield client


def count(ctx: Context, model: type) -> int:
    with ctx.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def call(api: Api, doc_id: int, route: str, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    method, path, kwargs = routes(doc_id)[route]
    return api.request(method, path, headers=headers or {}, **kwargs)


def test_every_route_refuses_a_missing_or_bad_token_and_audits_it(
    api: Api, ctx: Context, clock: FakeClock
) -> None:
    [doc_id] = extracted(ctx, "rx.png")
    expired = tokens.create_token(ctx, "uma", by=CLI, expires_days=1)
    revoked = tokens.create_token(ctx, "uma", by=CLI, expires_days=30)
    tokens.revoke_token(ctx, revoked.info.key_id, by=CLI)
    valid = api.token("uma")
    clock.advance(days=1, seconds=1)
    cases = {
        "missing": ({}, "unauthenticated"),
        "other scheme": ({"Authorization": "Basic dW1hOnNlY3JldA=="}, "invalid_token"),
        "malformed": ({"Authorization": "Bearer not-a-token"}, "invalid_token"),
        "wrong secret": ({"Authorization": f"Bearer {valid[:-2]}xx"}, "invalid_token"),
        "expired": ({"Authorization": f"Bearer {expired.token}"}, "token_expired"),
        "revoked": ({"Authorization": f"Bearer {revoked.token}"}, "token_revoked"),
    }
    documents_before, events_before = count(ctx, Document), count(ctx, AuditEvent)
    for route in ROUTE_NAMES:
        for case, (headers, code) in cases.items():
            answer = call(api, doc_id, route, headers)
            assert answer.status_code == 401, (route, case, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.headers["www-authenticate"].startswith('Bearer realm="medextract"')
            body = answer.json()
            assert (body["code"], body["status"], body["type"]) == (
                code,
                401,
                f"urn:medextract:problem:{code}",
            )
            assert body["request_id"] == answer.headers["x-request-id"]
            assert "mxt_" not in answer.text  # the token is never echoed
    assert count(ctx, Document) == documents_before  # nothing was stored
    assert count(ctx, AuditEvent) == events_before + len(ROUTE_NAMES) * len(cases)  # each failure audited
    logged = [
        json.loads(e.detail) for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "api_auth_failed"
    ]
    assert not any(valid.split("_", 2)[2] in json.dumps(d) for d in logged)
    assert call(api, doc_id, "list", {"Authorization": f"Bearer {valid}"}).status_code == 200


@pytest.mark.parametrize(("who", "role"), [("uma", "clerk"), ("sue", "supervisor"), ("ada", "admin")])
def test_each_role_reaches_what_its_role_allows_on_every_route(
    api: Api, ctx: Context, who: str, role: str
) -> None:
    [doc_id] = extracted(ctx, "rx.png")
    for route in ROUTE_NAMES:
        answer = call(api, doc_id, route, api.as_(who))
        if role == "clerk" and route in {"records", "records_csv"}:
            assert answer.status_code == 403, (route, answer.text)
            assert answer.json()["code"] == "forbidden"
            assert (
                answer.json()["detail"]
                == "Only a supervisor or an administrator can see or export verified records."
            )
        elif (role == "clerk" and route in SUPERVISOR_ROUTES) or (role != "admin" and route in ADMIN_ROUTES):
            assert answer.status_code == 403, (route, answer.text)
            assert answer.json()["code"] == "forbidden"
        else:
            assert answer.status_code == 200, (route, answer.text)
    history = api.get(f"/v1/documents/{doc_id}", headers=api.as_(who)).json()["history"]
    assert (history is None) == (role == "clerk")  # the services decide who sees a history


def test_a_deactivated_account_is_refused_on_every_route_with_a_valid_token(api: Api, ctx: Context) -> None:
    [doc_id] = extracted(ctx, "rx.png")
    headers = api.as_("sue")
    accounts.deactivate(ctx, "sue", by="ada")
    before = count(ctx, Document)
    for route in ROUTE_NAMES:
        answer = call(api, doc_id, route, headers)
        assert answer.status_code == 403, (route, answer.text)
        assert answer.json()["detail"] == "The account sue has been deactivated; ask an administrator."
    assert count(ctx, Document) == before
    accounts.set_active(ctx, "sue", True, by="ada")
    assert call(api, doc_id, "records", headers).status_code == 200  # the same token works again


def test_a_role_change_applies_to_the_tokens_very_next_call(api: Api, ctx: Context) -> None:
    verified(ctx, "rx.png")
    headers = api.as_("sue")
    assert api.get("/v1/records", params={"type": "prescription"}, headers=headers).status_code == 200
    accounts.set_role(ctx, "sue", "clerk", by="ada")
    assert api.get("/v1/records", params={"type": "prescription"}, headers=headers).status_code == 403
    accounts.set_role(ctx, "uma", "supervisor", by="ada")
    assert api.get("/v1/records", params={"type": "prescription"}, headers=api.as_("uma")).status_code == 200


def test_the_app_and_the_api_refuse_a_clerk_the_records_by_the_same_rule(api: Api, ctx: Context) -> None:
    verified(ctx, "rx.png")
    with pytest.raises(PermissionDenied) as from_the_app:  # what the Records page calls
        records.verified_records(ctx, "prescription", user="uma")
    with pytest.raises(PermissionDenied) as export_from_the_app:
        records.export_csv(ctx, "prescription", user="uma")
    for path in ("/v1/records", "/v1/records.csv"):
        answer = api.get(path, params={"type": "prescription"}, headers=api.as_("uma"))
        assert answer.status_code == 403
        assert answer.json()["detail"] == str(from_the_app.value) == str(export_from_the_app.value)
    exports = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "export"]
    assert exports == []  # a refused export leaves no trace of an export


def test_a_token_acts_as_its_account_in_the_audit_log(api: Api, ctx: Context) -> None:
    answer = api.post(
        "/v1/documents",
        files=[("files", ("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png"))],
        headers=api.as_("vic"),
    )
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "accepted"
    [upload_event] = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "upload"]
    assert upload_event.user == "vic"
