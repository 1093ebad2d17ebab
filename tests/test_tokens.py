"""API tokens (medextract.services.tokens and the CLI), on SQLite and PostgreSQL.

A token is shown once, stored as a hash, expires, can be revoked, and is managed only by
administrators; every refusal is audited without the secret.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from medextract.accounts import AccountError
from medextract.errors import PermissionDenied, TokenRefused
from medextract.models import ApiToken
from medextract.services import accounts, audit, tokens
from medextract.services.context import CLI, Context
from tests.test_cli_medextract import cli  # noqa: F401  (the fixture)
from tests.test_store_support import SYSTEM, FakeClock


def failures(ctx: Context) -> list[tuple[str, dict[str, str]]]:
    """(user, detail) of every api_auth_failed event, oldest first."""
    return [
        (e.user, json.loads(e.detail))
        for e in reversed(audit.audit_log(ctx, user=SYSTEM))
        if e.action == "api_auth_failed"
    ]


def test_a_token_is_shown_once_stored_hashed_and_acts_for_its_account(ctx: Context) -> None:
    made = tokens.create_token(ctx, "Uma", by="ada", expires_days=30, name="claims system")
    prefix, key_id, secret = made.token.split("_", 2)
    assert (prefix, key_id, len(secret)) == ("mxt", made.info.key_id, 43)
    assert (made.info.username, made.info.name, made.info.created_by) == ("uma", "claims system", "ada")

    with ctx.engine.connect() as conn:
        row = conn.execute(select(ApiToken)).one()
    assert row.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in " ".join(str(v) for v in row)

    assert tokens.authenticate(ctx, made.token) == "uma"
    [created] = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "token_create"]
    assert created.user == "ada" and key_id in created.detail and secret not in created.detail
    [listed] = tokens.list_tokens(ctx, by="ada")
    assert listed.key_id == key_id and listed.last_used_at is not None  # the call above used it


def test_expired_revoked_wrong_and_missing_tokens_are_refused_and_audited(
    ctx: Context, clock: FakeClock
) -> None:
    made = tokens.create_token(ctx, "uma", by="ada", expires_days=1)
    secret = made.token.split("_", 2)[2]
    cases = [
        (None, "missing"),
        ("", "missing"),
        ("Basic dXNlcjpwYXNz", "malformed"),
        (made.token[:-1], "malformed"),
        (made.token[:-1] + ("A" if made.token[-1] != "A" else "B"), "unknown"),
        (f"mxt_{'0' * 12}_{secret}", "unknown"),
    ]
    for token, reason in cases:
        with pytest.raises(TokenRefused) as refused:
            tokens.authenticate(ctx, token)
        assert refused.value.reason == reason
    clock.advance(days=1)
    with pytest.raises(TokenRefused, match="expired") as expired:
        tokens.authenticate(ctx, made.token)
    assert expired.value.reason == "expired"

    other = tokens.create_token(ctx, "vic", by="ada", expires_days=5)
    assert tokens.authenticate(ctx, other.token) == "vic"
    tokens.revoke_token(ctx, other.info.key_id, by="ada")
    again = tokens.revoke_token(ctx, other.info.key_id, by="ada")  # revoking twice changes nothing
    assert again.revoked_by == "ada" and again.state(clock()) == "revoked"
    with pytest.raises(TokenRefused, match="revoked"):
        tokens.authenticate(ctx, other.token)

    logged = failures(ctx)
    assert [d["reason"] for _, d in logged] == [r for _, r in cases] + ["expired", "revoked"]
    # Only a token whose secret matched is named after its account; no secret is ever logged.
    assert [u for u, _ in logged] == ["(anonymous)"] * len(cases) + ["uma", "vic"]
    assert not any(secret in json.dumps(d) or other.token in json.dumps(d) for _, d in logged)
    revokes = [e for e in audit.audit_log(ctx, user=SYSTEM) if e.action == "token_revoke"]
    assert len(revokes) == 1


def test_only_administrators_manage_tokens(ctx: Context) -> None:
    for who in ("uma", "sue"):
        with pytest.raises(PermissionDenied, match="Only an administrator"):
            tokens.create_token(ctx, who, by=who, expires_days=5)
        with pytest.raises(PermissionDenied):
            tokens.list_tokens(ctx, by=who)
    made = tokens.create_token(ctx, "sue", by=CLI, expires_days=5)
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(ctx, made.info.key_id, by="sue")
    assert tokens.authenticate(ctx, made.token) == "sue"


def test_bad_requests_for_a_token_are_refused(ctx: Context) -> None:
    for days in (0, -1, tokens.MAX_DAYS + 1):
        with pytest.raises(AccountError, match="1 to 365 days"):
            tokens.create_token(ctx, "uma", by="ada", expires_days=days)
    with pytest.raises(AccountError, match="no user nobody"):
        tokens.create_token(ctx, "nobody", by="ada", expires_days=5)
    accounts.deactivate(ctx, "wes", by="ada")
    with pytest.raises(AccountError, match="deactivated"):
        tokens.create_token(ctx, "wes", by="ada", expires_days=5)
    with pytest.raises(AccountError, match="no API token"):
        tokens.revoke_token(ctx, "0123456789ab", by="ada")
    assert tokens.list_tokens(ctx, by="ada") == []
    long_name = tokens.create_token(ctx, "uma", by="ada", expires_days=5, name="x\x00" * 300)
    assert long_name.info.name == "x" * tokens.MAX_NAME


def test_last_used_is_written_at_most_once_a_minute(ctx: Context, clock: FakeClock) -> None:
    made = tokens.create_token(ctx, "uma", by="ada", expires_days=5)
    tokens.authenticate(ctx, made.token)
    first = tokens.list_tokens(ctx, by="ada")[0].last_used_at
    clock.advance(seconds=30)
    tokens.authenticate(ctx, made.token)
    assert tokens.list_tokens(ctx, by="ada")[0].last_used_at == first
    clock.advance(seconds=31)
    tokens.authenticate(ctx, made.token)
    assert tokens.list_tokens(ctx, by="ada")[0].last_used_at == clock()


def test_cli_creates_lists_and_revokes_tokens(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    assert cli("create-user", "--role", "clerk", "bot", "--sso").returncode == 0
    made: subprocess.CompletedProcess[str] = cli(
        "create-token", "--user", "bot", "--expires-days", "30", "--name", "intake"
    )
    assert made.returncode == 0, made.stderr
    token = made.stdout.strip()
    assert token.startswith("mxt_") and "\n" not in token  # the token alone on stdout
    assert "shown only this once" in made.stderr
    key_id = token.split("_")[1]

    listed = cli("list-tokens").stdout.splitlines()
    assert listed[0].startswith("key_id\tuser\tstate")
    assert listed[1].startswith(f"{key_id}\tbot\tactive\t") and listed[1].endswith("\tintake")
    assert token.split("_", 2)[2] not in cli("list-tokens").stdout

    assert cli("revoke-token", key_id).stdout.strip() == f"Token {key_id} of bot is revoked."
    assert f"{key_id}\tbot\trevoked" in cli("list-tokens", "--user", "bot").stdout
    refused = cli("create-token", "--user", "nobody", "--expires-days", "5")
    assert refused.returncode == 1 and "no user nobody" in refused.stderr
    assert cli("create-token", "--user", "bot", "--expires-days", "999").returncode == 1
