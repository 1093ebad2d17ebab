"""Webhooks (issue 12): a verify or reject is announced by a signed POST, retried with backoff, recorded.

A receiver runs on 127.0.0.1 as a real HTTP server; documents are verified and rejected through
the services (as the app does), deliveries are listed and the announced document fetched through
the real ASGI app; on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import func, select

from medextract import config
from medextract.config import ConfigError, WebhookConfig
from medextract.models import WebhookDelivery
from medextract.services import audit, review, webhooks
from medextract.services.context import Context
from tests.api_support import extracted, fake_extract, serve, verified
from tests.test_store_support import SYSTEM, FakeClock

SECRET = "s" * 40


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps every POST and answers the statuses it is given."""

    def __init__(self) -> None:
        self.posts: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []  # answered in turn; 200 once they run out
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                receiver.arrived.set()

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/medextract"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.posts]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    running.thread.start()
    yield running
    running.server.shutdown()
    running.server.server_close()


@pytest.fixture
def hooked(ctx: Context, receiver: Receiver) -> Context:
    ctx.webhook = WebhookConfig(receiver.url, SECRET)
    return ctx


def rows(ctx: Context) -> list[WebhookDelivery]:
    with ctx.read() as session:
        return list(session.execute(select(WebhookDelivery).order_by(WebhookDelivery.id)).scalars())


def test_a_verify_and_a_reject_are_announced_by_signed_posts_the_api_can_follow(
    hooked: Context, receiver: Receiver, clock: FakeClock
) -> None:
    [done] = verified(hooked, "a.png")
    [refused] = extracted(hooked, "b.png")
    view = review.start_review(hooked, refused, user="vic")
    assert review.reject(hooked, refused, "unreadable", user="vic", expected_version=view.version).ok

    assert webhooks.deliver_due(hooked) == 2
    assert [b["event"] for b in receiver.bodies()] == ["document.verified", "document.rejected"]
    verified_body, rejected_body = receiver.bodies()
    assert verified_body["document"] == {"id": done, "doc_type": "prescription", "status": "verified"}
    assert verified_body["by"] == "uma" and rejected_body["by"] == "vic"
    assert verified_body["links"] == {
        "document": f"/v1/documents/{done}",
        "records": "/v1/records?type=prescription",
    }
    assert verified_body["occurred_at"] == clock().isoformat()
    for (headers, body), row in zip(receiver.posts, rows(hooked), strict=True):
        assert headers["content-type"] == "application/json"
        assert headers["x-medextract-event"] == row.event
        assert headers["x-medextract-delivery"] == str(row.id) == str(json.loads(body)["id"])
        signature = headers["x-medextract-signature"]
        assert webhooks.verify_signature(SECRET, body, signature, now=clock().timestamp())
        assert not webhooks.verify_signature(SECRET, body + b" ", signature, now=clock().timestamp())
        assert not webhooks.verify_signature("x" * 40, body, signature, now=clock().timestamp())
        assert not webhooks.verify_signature(SECRET, body, signature, now=clock().timestamp() + 301)
        assert b"a.png" not in body and b"b.png" not in body and b"unreadable" not in body  # no content
        assert (row.attempts, row.last_status, row.delivered_at) == (1, 200, clock())
    assert webhooks.deliver_due(hooked) == 0  # delivered once

    with serve(hooked, extract_fn=fake_extract()) as api:  # the receiver follows the link
        answer = api.get(verified_body["links"]["document"], headers=api.as_("sue"))
        assert (answer.status_code, answer.json()["status"]) == (200, "verified")
        listed = api.get("/v1/webhooks/deliveries", headers=api.as_("ada")).json()
        assert listed["configured"] is True
        assert [(d["event"], d["document_id"], d["last_status"]) for d in listed["deliveries"]] == [
            ("document.rejected", refused, 200),
            ("document.verified", done, 200),
        ]
        assert all(d["next_attempt_at"] is None and d["delivered_at"] for d in listed["deliveries"])


def test_a_failing_receiver_is_retried_with_backoff_then_given_up_and_audited(
    hooked: Context, clock: FakeClock
) -> None:
    [doc_id] = verified(hooked, "a.png")
    answers: list[int | Exception] = [503, ConnectionError("refused"), 500]
    sent: list[bytes] = []

    def send(url: str, body: bytes, headers: dict[str, str]) -> int:
        sent.append(body)
        answer = answers.pop(0) if answers else 502
        if isinstance(answer, Exception):
            raise answer
        return answer

    waits = []
    for attempt in range(1, webhooks.MAX_ATTEMPTS + 1):
        assert webhooks.deliver_due(hooked, send=send) == 0
        [row] = rows(hooked)
        assert row.attempts == attempt and len(sent) == attempt
        assert row.last_error == ("ConnectionError" if attempt == 2 else f"HTTP {row.last_status}")
        if attempt < webhooks.MAX_ATTEMPTS:
            waits.append(row.next_attempt_at - clock())
            clock.advance(seconds=1)
            assert webhooks.deliver_due(hooked, send=send) == 0 and len(sent) == attempt  # not yet due
            clock.now = row.next_attempt_at
    assert [w.total_seconds() for w in waits[:4]] == [30, 60, 120, 240]  # doubling ...
    assert max(waits) == webhooks.LONGEST_WAIT  # ... up to a ceiling
    assert len(set(sent)) == 1  # the same announcement each time
    [row] = rows(hooked)
    assert row.failed_at == clock() and row.delivered_at is None
    clock.advance(days=1)
    assert webhooks.deliver_due(hooked, send=send) == 0 and len(sent) == webhooks.MAX_ATTEMPTS
    [failed] = [e for e in audit.audit_log(hooked, user=SYSTEM) if e.action == "webhook_failed"]
    assert failed.document_id == doc_id and failed.user == "webhook"
    assert json.loads(failed.detail) == {
        "attempts": webhooks.MAX_ATTEMPTS,
        "delivery": row.id,
        "error": "HTTP 502",
        "event": "document.verified",
    }


def test_a_refused_verify_or_a_deployment_without_a_webhook_announces_nothing(
    ctx: Context, receiver: Receiver
) -> None:
    [doc_id] = extracted(ctx, "a.png")
    verified(ctx, "quiet.png")  # no webhook configured: nothing queued
    assert rows(ctx) == [] and webhooks.deliver_due(ctx) == 0
    ctx.webhook = WebhookConfig(receiver.url, SECRET)
    view = review.start_review(ctx, doc_id, user="uma")
    stale = review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version - 1)
    assert not stale.ok
    unchecked = review.verify(ctx, doc_id, {}, user="uma", expected_version=view.version)
    assert not unchecked.ok  # a flagged field is not checked: refused, rolled back
    assert rows(ctx) == []


def test_dispatchers_in_two_processes_never_send_one_delivery_twice(hooked: Context) -> None:
    verified(hooked, "a.png", "b.png", "c.png")
    sent: list[int] = []
    lock = threading.Lock()

    def slow_send(url: str, body: bytes, headers: dict[str, str]) -> int:
        time.sleep(0.05)
        with lock:
            sent.append(int(headers[webhooks.DELIVERY_HEADER]))
        return 204

    threads = [
        threading.Thread(target=webhooks.deliver_due, args=(hooked,), kwargs={"send": slow_send})
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [row.id for row in rows(hooked)]  # each once
    assert all(row.delivered_at is not None and row.attempts == 1 for row in rows(hooked))


def test_the_background_dispatcher_posts_as_soon_as_the_verify_commits(
    hooked: Context, receiver: Receiver, clock: FakeClock
) -> None:
    webhooks.ensure_dispatcher(hooked)
    try:
        [doc_id] = verified(hooked, "a.png")
        assert receiver.arrived.wait(webhooks.POLL_SECONDS * 5)
        assert receiver.bodies()[0]["document"]["id"] == doc_id
    finally:
        webhooks.stop_dispatcher(hooked)
    with hooked.engine.connect() as conn:
        delivered = conn.execute(
            select(func.count()).where(WebhookDelivery.delivered_at.is_not(None))
        ).scalar_one()
    assert delivered == 1


def test_only_administrators_see_the_deliveries(ctx: Context) -> None:
    with serve(ctx, extract_fn=fake_extract()) as api:
        for who, status in (("uma", 403), ("sue", 403), ("ada", 200)):
            answer = api.get("/v1/webhooks/deliveries", headers=api.as_(who))
            assert answer.status_code == status, (who, answer.text)
        assert api.get("/v1/webhooks/deliveries", headers=api.as_("ada")).json() == {
            "configured": False,
            "deliveries": [],
        }


def test_the_webhook_comes_from_the_environment_and_must_be_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "SECRETS", config.Path("/nonexistent/secrets.toml"))
    monkeypatch.delenv(config.WEBHOOK_URL_ENV, raising=False)
    assert config.webhook_config() is None
    monkeypatch.setenv(config.WEBHOOK_URL_ENV, "https://claims.example.org/hooks")
    monkeypatch.setenv(config.WEBHOOK_SECRET_ENV, SECRET)
    assert config.webhook_config() == WebhookConfig("https://claims.example.org/hooks", SECRET)
    assert SECRET not in repr(config.webhook_config())
    for url, secret, says in [
        ("http://claims.example.org/hooks", SECRET, "https"),
        ("ftp://claims.example.org/", SECRET, "https"),
        ("https://claims.example.org/hooks", "short", "at least 32"),
    ]:
        monkeypatch.setenv(config.WEBHOOK_URL_ENV, url)
        monkeypatch.setenv(config.WEBHOOK_SECRET_ENV, secret)
        with pytest.raises(ConfigError, match=says):
            config.webhook_config()
    monkeypatch.setenv(config.WEBHOOK_URL_ENV, "http://127.0.0.1:9000/hooks")  # this machine: allowed
    monkeypatch.setenv(config.WEBHOOK_SECRET_ENV, SECRET)
    assert config.webhook_config() is not None
