"""`python -m medextract`: account commands through a real subprocess, output and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from medextract.services import audit
from tests.conftest import REPO
from tests.test_store_support import SYSTEM

PASSWORD = "correct horse battery"


@pytest.fixture
def cli(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the CLI in an empty directory (no secrets file) against a SQLite database in tmp_path."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(MEDEXTRACT_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO))
    workdir = tmp_path / "cwd"
    workdir.mkdir()

    def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "medextract", *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=workdir,
            env=env,
            timeout=60,
        )

    return run


def test_create_user_from_stdin_then_list_change_and_deactivate(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    done = cli("create-user", "--role", "admin", "Root", "--password-stdin", stdin=PASSWORD + "\n")
    assert (done.returncode, done.stdout.strip()) == (0, "Created root (admin, password).")
    assert PASSWORD not in done.stdout + done.stderr
    assert cli("create-user", "--role", "clerk", "sso@example.org", "--sso", "--name", "Sam").returncode == 0

    listed = cli("list-users")
    assert listed.returncode == 0
    lines = listed.stdout.splitlines()
    assert lines[0].split("\t") == ["username", "role", "status", "sign-in", "name"]
    assert lines[1:] == ["root\tadmin\tactive\tpassword\troot", "sso@example.org\tclerk\tactive\tsso\tSam"]

    assert cli("set-role", "sso@example.org", "supervisor").returncode == 0
    assert cli("deactivate", "sso@example.org").returncode == 0
    assert "sso@example.org\tsupervisor\tinactive" in cli("list-users").stdout

    # The password really is the account's: the app's own check accepts it.
    from medextract.services import accounts
    from medextract.services.context import Context

    ctx = Context.open(f"sqlite:///{tmp_path / 'data' / 'medextract.db'}")
    try:
        assert accounts.verify_password(ctx, "root", PASSWORD) is not None
        assert {e.action for e in audit.audit_log(ctx, user=SYSTEM)} >= {
            "user_create",
            "user_role",
            "user_active",
        }
    finally:
        ctx.close()


def test_short_passwords_duplicates_and_unknown_users_are_refused_with_exit_1(cli) -> None:  # type: ignore[no-untyped-def]
    short = cli("create-user", "--role", "admin", "root", "--password-stdin", stdin="elevenchars\n")
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    assert "root" not in cli("list-users").stdout  # nothing was created
    assert cli("create-user", "--role", "admin", "root", "--password-stdin", stdin=PASSWORD).returncode == 0
    again = cli("create-user", "--role", "clerk", "ROOT", "--password-stdin", stdin=PASSWORD)
    assert again.returncode == 1 and "already taken" in again.stderr
    missing = cli("set-role", "nobody", "clerk")
    assert missing.returncode == 1 and "no user nobody" in missing.stderr
    last = cli("deactivate", "root")
    assert last.returncode == 1 and "last active administrator" in last.stderr
    empty = cli("create-user", "--role", "clerk", "bob", "--password-stdin", stdin="")
    assert empty.returncode == 1 and "at least 12 characters" in empty.stderr


def test_a_missing_role_or_an_unknown_one_is_a_usage_error_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    no_role = cli("create-user", "root", "--password-stdin", stdin=PASSWORD)
    assert no_role.returncode == 2 and "--role" in no_role.stderr
    bad_role = cli("create-user", "--role", "boss", "root", "--password-stdin", stdin=PASSWORD)
    assert bad_role.returncode == 2 and "invalid choice" in bad_role.stderr
    assert cli().returncode == 2
    assert "root" not in cli("list-users").stdout


def test_set_password_and_the_database_url_option(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    other = f"sqlite:///{tmp_path / 'other.db'}"
    made = cli(
        "--database-url", other, "create-user", "--role", "clerk", "ana", "--password-stdin", stdin=PASSWORD
    )
    assert made.returncode == 0
    assert "ana" not in cli("list-users").stdout  # the default database is untouched
    changed = cli(
        "--database-url", other, "set-password", "ana", "--password-stdin", stdin="another long one\r\n"
    )
    assert changed.returncode == 0, changed.stderr

    from medextract.services import accounts
    from medextract.services.context import Context

    ctx = Context.open(other)
    try:
        assert accounts.verify_password(ctx, "ana", "another long one") is not None
    finally:
        ctx.close()


def test_the_database_url_in_the_apps_secrets_file_is_used(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    secret_db = tmp_path / "from-secrets.db"
    (tmp_path / "cwd" / ".streamlit").mkdir()
    (tmp_path / "cwd" / ".streamlit" / "secrets.toml").write_text(f'DATABASE_URL = "sqlite:///{secret_db}"\n')
    made = cli("create-user", "--role", "admin", "root", "--password-stdin", stdin=PASSWORD)
    assert made.returncode == 0, made.stderr
    assert secret_db.exists()
    assert not (tmp_path / "data" / "medextract.db").exists()


def test_ensure_admin_without_a_terminal_says_how_and_never_blocks(cli) -> None:  # type: ignore[no-untyped-def]
    # `make run` calls this before starting the app; with no terminal it must not wait for input.
    first = cli("ensure-admin")
    assert first.returncode == 0
    assert "create-user --role admin" in first.stdout
    assert "boss" not in cli("list-users").stdout


def test_ensure_admin_is_silent_once_an_admin_exists(cli) -> None:  # type: ignore[no-untyped-def]
    assert (
        cli("create-user", "--role", "admin", "boss", "--password-stdin", stdin=PASSWORD + "\n").returncode
        == 0
    )
    again = cli("ensure-admin")
    assert (again.returncode, again.stdout) == (0, "")
