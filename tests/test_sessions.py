"""Browser sessions (medextract.services.sessions): a hand-off code becomes a cookie token once;
the token signs in until it expires or is revoked, and only for an active account with a password."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from medextract.errors import PermissionDenied
from medextract.models import WebSession
from medextract.services import accounts, sessions
from medextract.services.context import Context
from tests.test_store_support import SYSTEM, FakeClock


@pytest.fixture
def uma(ctx: Context) -> str:
    accounts.set_password(ctx, "uma", "a long enough password", by=SYSTEM)
    return "uma"


def test_a_code_becomes_a_token_once_and_only_hashes_are_stored(ctx: Context, uma: str) -> None:
    session_id, code = sessions.begin(ctx, user=uma)
    exchanged = sessions.exchange(ctx, code)
    assert exchanged is not None
    token, max_age = exchanged
    assert max_age == int(sessions.DEFAULT_HOURS * 3600)
    assert sessions.exchange(ctx, code) is None  # spent
    live = sessions.resolve(ctx, token)
    assert live is not None and (live.id, live.username) == (session_id, "uma")
    with ctx.engine.connect() as conn:
        row = conn.execute(select(WebSession)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.handoff_hash is None
    assert token not in " ".join(str(v) for v in row) and code not in " ".join(str(v) for v in row)


def test_a_late_code_a_wrong_token_and_garbage_sign_nobody_in(
    ctx: Context, uma: str, clock: FakeClock
) -> None:
    _, code = sessions.begin(ctx, user=uma)
    clock.advance(seconds=sessions.HANDOFF_SECONDS + 1)
    assert sessions.exchange(ctx, code) is None
    for token in (None, "", "x" * 43, "short", "y" * 500, 42):
        assert sessions.resolve(ctx, token) is None  # type: ignore[arg-type]


def test_logout_revokes_and_expiry_ends_a_session(ctx: Context, uma: str, clock: FakeClock) -> None:
    first_id, first = sessions.begin(ctx, user=uma)
    _, second = sessions.begin(ctx, user=uma)
    token_1, _ = sessions.exchange(ctx, first) or ("", 0)
    token_2, _ = sessions.exchange(ctx, second) or ("", 0)
    sessions.revoke(ctx, first_id)
    assert sessions.resolve(ctx, token_1) is None
    assert sessions.resolve(ctx, token_2) is not None  # another browser stays signed in
    clock.advance(hours=sessions.DEFAULT_HOURS, seconds=1)
    assert sessions.resolve(ctx, token_2) is None


def test_a_deactivated_account_loses_its_sessions(ctx: Context, uma: str) -> None:
    _, code = sessions.begin(ctx, user=uma)
    token, _ = sessions.exchange(ctx, code) or ("", 0)
    accounts.set_active(ctx, "uma", False, by=SYSTEM)
    assert sessions.resolve(ctx, token) is None
    with pytest.raises(PermissionDenied):
        sessions.begin(ctx, user="uma")


def test_a_revoked_session_cannot_be_bound_later(ctx: Context, uma: str) -> None:
    session_id, code = sessions.begin(ctx, user=uma)
    sessions.revoke(ctx, session_id)
    assert sessions.exchange(ctx, code) is None


def test_the_lifetime_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sessions.HOURS_ENV, "2.5")
    assert sessions.session_hours() == 2.5
    for bad in ("zero", "-1", "0"):
        monkeypatch.setenv(sessions.HOURS_ENV, bad)
        assert sessions.session_hours() == sessions.DEFAULT_HOURS
