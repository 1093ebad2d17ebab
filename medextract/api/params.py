"""Query parameters the routes share: moments in time, document types, the listing's cursor."""

from __future__ import annotations

import base64
import binascii
from datetime import UTC, date, datetime

from medextract.api.errors import ApiError
from medextract.services.context import Context

UNKNOWN_TYPE = "unknown"  # the engine's type for a document it could not classify
CURSOR_PREFIX = "after:"


def moment(value: str | None, name: str) -> date | datetime | None:
    """``2026-03-01`` (a whole UTC day) or an ISO 8601 instant (no zone: UTC); 422 otherwise."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise ApiError(
            422, "validation_error", f"{name} must be a date (2026-03-01) or an ISO 8601 time."
        ) from None
    return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)


def start_of(value: date | datetime | None) -> datetime | None:
    """The instant a ``moment`` begins (a day's midnight UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def document_type(ctx: Context, value: str | None, *, allow_unknown: bool = False) -> str | None:
    """A type the catalog knows (or "unknown" for listings); 422 unknown_document_type otherwise."""
    if value is None or not value.strip():
        return None
    known = [*ctx.catalog.type_names(), *([UNKNOWN_TYPE] if allow_unknown else [])]
    if value.strip() not in known:
        raise ApiError(
            422,
            "unknown_document_type",
            f"Unknown document type {value.strip()!r}; use one of: {', '.join(known)}.",
        )
    return value.strip()


def encode_cursor(last_id: int) -> str:
    """An opaque cursor for the page after document ``last_id``."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The document id a cursor continues after; 400 invalid_cursor for anything else."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    number = text.removeprefix(CURSOR_PREFIX)
    if not text.startswith(CURSOR_PREFIX) or not number.isdigit():
        raise ApiError(400, "invalid_cursor", "The cursor is not one this API gave; start again without it.")
    return int(number)
