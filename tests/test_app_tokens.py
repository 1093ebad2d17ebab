"""The Users page's API tokens in AppTest: made for a user, shown once, listed, revoked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import ui_runtime
from medextract.errors import TokenRefused
from medextract.services import accounts, audit, tokens
from medextract.services.context import CLI
from tests.app_support import app, open_context
from tests.test_store_support import SYSTEM


@pytest.fixture
def ctx(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return open_context(tmp_path, monkeypatch)


def test_an_admin_makes_a_token_sees_it_once_and_revokes_it(ctx: Any) -> None:
    accounts.create_account(ctx, "intake-bot", role="clerk", by=CLI)
    at = app(ui_runtime.USERS_PAGE, role="admin", user="root")
    at.selectbox(key="users_token_user").set_value("intake-bot")
    at.number_input(key="users_token_days").set_value(30)
    at.text_input(key="users_token_name").input("insurer intake")
    at.button(key="users_token_create").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [shown] = at.code
    token = shown.value
    assert tokens.authenticate(ctx, token) == "intake-bot"
    [info] = tokens.list_tokens(ctx, by=CLI)
    assert (info.name, info.created_by, (info.expires_at - info.created_at).days) == (
        "insurer intake",
        "root",
        30,
    )
    table = at.dataframe[-1].value  # the tokens table comes after the users table
    assert list(table["key id"]) == [info.key_id] and list(table["state"]) == ["active"]
    assert token.split("_", 2)[2] not in table.to_string()

    at.run()  # any next run of the page: the token is gone from the screen
    assert [c.value for c in at.code] == []

    at.selectbox(key="users_token_revoke").set_value(info.key_id)
    at.button(key="users_token_revoke_button").click().run()
    assert at.success[0].value.startswith(f"Token {info.key_id} of intake\\-bot is revoked")
    with pytest.raises(TokenRefused, match="revoked"):
        tokens.authenticate(ctx, token)
    actions = [(e.user, e.action) for e in audit.audit_log(ctx, user=SYSTEM)]
    assert ("root", "token_create") in actions and ("root", "token_revoke") in actions


def test_a_refused_token_request_shows_why(ctx: Any) -> None:
    accounts.create_account(ctx, "intake-bot", role="clerk", by=CLI)
    at = app(ui_runtime.USERS_PAGE, role="admin", user="root")
    at.selectbox(key="users_token_user").set_value("intake-bot")
    accounts.deactivate(ctx, "intake-bot", by=CLI)  # while the page is open
    at.button(key="users_token_create").click().run()
    assert tokens.list_tokens(ctx, by=CLI) == []
    assert "deactivated" in at.error[0].value
