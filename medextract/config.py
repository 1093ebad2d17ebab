"""Where the server's programs find the database: the same place the review app does.

``--database-url`` (or an explicit URL), else DATABASE_URL in ./.streamlit/secrets.toml (the
app's secrets file), else the DATABASE_URL environment variable, else None: ``Context.open`` then
uses SQLite in $MEDEXTRACT_DATA_DIR (default ./data). The CLI, the HTTP API and the app agree, so
``make api`` and ``make run`` share one database.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

SECRETS = Path(".streamlit") / "secrets.toml"


class ConfigError(Exception):
    """The configuration cannot be read; the message says which file and why."""


def database_url(explicit: str | None = None) -> str | None:
    """The database the app would use, from this directory (the app's precedence: secrets first)."""
    if explicit:
        return explicit
    try:
        secrets = tomllib.loads(SECRETS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        secrets = {}
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{SECRETS} is not valid TOML: {exc}") from exc
    url = secrets.get("DATABASE_URL")
    return url if isinstance(url, str) and url else os.environ.get("DATABASE_URL") or None
