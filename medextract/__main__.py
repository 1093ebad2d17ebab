"""``python -m medextract``: manage user accounts, API tokens and the data key from the server's shell.

    python -m medextract create-user --role admin ana [--name "Ana Lee"] [--password-stdin | --sso]
    python -m medextract list-users
    python -m medextract set-role ana supervisor
    python -m medextract set-password ana [--password-stdin]
    python -m medextract deactivate ana
    python -m medextract activate ana
    python -m medextract ensure-admin      # make run: asks for the first admin when there is none
    python -m medextract create-token --user ana --expires-days 90 [--name "claims system"]
    python -m medextract list-tokens [--user ana]
    python -m medextract revoke-token KEY_ID
    python -m medextract new-data-key      # a key for MEDEXTRACT_DATA_KEY (encryption at rest)
    python -m medextract reencrypt-data    # every stored file and page image under the first key

create-token prints the new API token once, alone on stdout (the audit log names the CLI).
new-data-key prints a new key alone on stdout and touches no database.

The database is the app's: ``--database-url``, else DATABASE_URL in ./.streamlit/secrets.toml,
else the DATABASE_URL environment variable, else SQLite in $MEDEXTRACT_DATA_DIR (or ./data).
Passwords are asked twice without echo, or read as one line from stdin (``--password-stdin``);
there is never a default password. Exit codes: 0 done, 1 refused (the reason on stderr),
2 bad command line.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence

from medextract import config, encryption
from medextract.accounts import MIN_PASSWORD_LENGTH, AccountError, check_password, check_username
from medextract.errors import StoreError
from medextract.lifecycle import ROLES
from medextract.services import accounts, tokens
from medextract.services.context import CLI, Context


class Refused(Exception):
    """The command cannot be done; the message says why (exit code 1)."""


def database_url(explicit: str | None) -> str | None:
    """The database the app would use, from this directory (see medextract.config)."""
    try:
        return config.database_url(explicit)
    except config.ConfigError as exc:
        raise Refused(str(exc)) from exc


def read_password(from_stdin: bool) -> str:
    """A new password: one stdin line (without its line break), or typed twice at a prompt."""
    if from_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
    else:
        password = getpass.getpass(f"Password (at least {MIN_PASSWORD_LENGTH} characters): ")
        if getpass.getpass("Password again: ") != password:
            raise Refused("The two passwords differ.")
    try:
        check_password(password)
    except AccountError as exc:
        raise Refused(str(exc)) from exc
    return password


def parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per account operation."""
    top = argparse.ArgumentParser(prog="python -m medextract", description="Manage MedExtract user accounts.")
    top.add_argument("--database-url", help="the database (default: as the app finds it)")
    commands = top.add_subparsers(dest="command", required=True)

    create = commands.add_parser("create-user", help="add an account")
    create.add_argument("username")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--name", help="the name shown in the app (default: the username)")
    how = create.add_mutually_exclusive_group()
    how.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    how.add_argument("--sso", action="store_true", help="no password: signs in by single sign-on only")

    commands.add_parser("list-users", help="show every account")

    role = commands.add_parser("set-role", help="change an account's role")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)

    password = commands.add_parser("set-password", help="set or reset an account's password")
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true", help="read the password from stdin")

    commands.add_parser(
        "ensure-admin", help="if no administrator exists: create one at a terminal, else say how"
    )

    token = commands.add_parser("create-token", help="make an API token for an account (shown once)")
    token.add_argument("--user", required=True, help="the account the token acts for")
    token.add_argument("--expires-days", type=int, required=True, help=f"1 to {tokens.MAX_DAYS}")
    token.add_argument("--name", help="what the token is for, e.g. the system that will use it")
    listing = commands.add_parser("list-tokens", help="show API tokens (never their secrets)")
    listing.add_argument("--user", help="only this account's")
    commands.add_parser("revoke-token", help="revoke an API token for good").add_argument("key_id")

    for name, text in (("deactivate", "block an account from signing in"), ("activate", "undo deactivate")):
        commands.add_parser(name, help=text).add_argument("username")

    commands.add_parser("new-data-key", help="print a new key for MEDEXTRACT_DATA_KEY")
    commands.add_parser(
        "reencrypt-data",
        help="encrypt every stored file and page image with the first key of MEDEXTRACT_DATA_KEY",
    )
    return top


def ensure_admin(ctx: Context, interactive: bool) -> str:
    """Nothing to do when an active administrator exists. Otherwise, at a terminal, ask for the
    first one (the app is useless without); elsewhere say how, without blocking the app."""
    if accounts.active_admins(ctx) > 0:
        return ""
    how = "python -m medextract create-user --role admin USERNAME"
    if not interactive:
        return f"No administrator exists yet. Create the first one with: .venv/bin/{how}"
    print("No administrator exists yet: create the first one now (Ctrl-C to skip).")
    username = check_username(input("Username: "))
    if accounts.get_account(ctx, username) is not None:
        raise Refused(f"The username {username} is already taken.")
    account = accounts.create_account(
        ctx, username, role="admin", display_name=None, password=read_password(False), by=CLI
    )
    return f"Created {account.username} (admin). Sign in with it in the browser."


def run(args: argparse.Namespace, ctx: Context) -> str:
    """Carry out one command; the text to print. AccountError/Refused when refused."""
    if args.command == "ensure-admin":
        return ensure_admin(ctx, sys.stdin.isatty())
    if args.command == "create-user":
        name = check_username(args.username)  # refuse a bad or taken name before asking for a password
        if accounts.get_account(ctx, name) is not None:
            raise Refused(f"The username {name} is already taken.")
        password = None if args.sso else read_password(args.password_stdin)
        account = accounts.create_account(
            ctx, args.username, role=args.role, display_name=args.name, password=password, by=CLI
        )
        how = "single sign-on" if password is None else "password"
        return f"Created {account.username} ({account.role}, {how})."
    if args.command == "list-users":
        rows = [
            f"{a.username}\t{a.role}\t{'active' if a.active else 'inactive'}\t"
            f"{'password' if a.has_password else 'sso'}\t{a.display_name}"
            for a in accounts.list_accounts(ctx, by=CLI)
        ]
        return "\n".join(["username\trole\tstatus\tsign-in\tname", *rows])
    if args.command == "set-role":
        account = accounts.set_role(ctx, args.username, args.role, by=CLI)
        return f"{account.username} is now {account.role}."
    if args.command == "set-password":
        if accounts.get_account(ctx, args.username) is None:  # before asking for a password nobody can use
            raise Refused(f"There is no user {args.username.strip().lower()}.")
        account = accounts.set_password(ctx, args.username, read_password(args.password_stdin), by=CLI)
        return f"New password set for {account.username}."
    if args.command in ("create-token", "list-tokens", "revoke-token"):
        return run_tokens(args, ctx)
    if args.command == "reencrypt-data":
        done = encryption.reencrypt(ctx)
        return (
            f"Encrypted with the first key: {done.documents} document(s), {done.page_images} page"
            f" image(s); {done.unchanged} already were."
        )
    account = accounts.set_active(ctx, args.username, args.command == "activate", by=CLI)
    return f"{account.username} is {'active' if account.active else 'deactivated'}."


def run_tokens(args: argparse.Namespace, ctx: Context) -> str:
    """The API token commands; the text to print."""
    if args.command == "create-token":
        made = tokens.create_token(ctx, args.user, by=CLI, expires_days=args.expires_days, name=args.name)
        expires = f"{made.info.expires_at:%Y-%m-%d %H:%M} UTC"
        print(f"Token {made.info.key_id} for {made.info.username}, valid until {expires}.", file=sys.stderr)
        print("It is shown only this once: store it now.", file=sys.stderr)
        return made.token
    if args.command == "revoke-token":
        info = tokens.revoke_token(ctx, args.key_id, by=CLI)
        return f"Token {info.key_id} of {info.username} is revoked."
    now = ctx.now()
    rows = [
        f"{t.key_id}\t{t.username}\t{t.state(now)}\t{t.expires_at:%Y-%m-%d %H:%M}\t"
        f"{f'{t.last_used_at:%Y-%m-%d %H:%M}' if t.last_used_at else '-'}\t{t.name}"
        for t in tokens.list_tokens(ctx, by=CLI, username=args.user)
    ]
    return "\n".join(["key_id\tuser\tstate\texpires (UTC)\tlast used (UTC)\tname", *rows])


def main(argv: Sequence[str] | None = None) -> int:
    """Parse, run, print; the exit code (argparse itself exits with 2 on a bad command line)."""
    args = parser().parse_args(argv)
    if args.command == "new-data-key":
        print(encryption.new_key())
        return 0
    try:
        ctx = Context.open(database_url(args.database_url))
    except Refused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        message = run(args, ctx)
        if message:
            print(message)
    except (StoreError, Refused, encryption.DataKeyError) as exc:  # AccountError among them
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except (EOFError, KeyboardInterrupt):
        print("\nerror: cancelled", file=sys.stderr)
        return 1
    finally:
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
