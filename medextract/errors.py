"""What the services refuse, as typed errors whose message is meant for the person who asked.

A front end catches :class:`StoreError` once and shows its message; the subclasses say why.
"""

from __future__ import annotations


class StoreError(Exception):
    """A request the services refuse; the message is meant for the person who asked."""


class DocumentNotFound(StoreError, LookupError):
    """No document has this id."""

    def __init__(self, doc_id: int) -> None:
        super().__init__(f"Document {doc_id} does not exist.")
        self.doc_id = doc_id


class LayoutNotFound(StoreError, LookupError):
    """No learned layout has this id (it was deleted, or never learned)."""

    def __init__(self, layout_id: str) -> None:
        super().__init__(f"There is no learned layout {layout_id!r} (deleted?).")
        self.layout_id = layout_id


class PermissionDenied(StoreError):
    """The acting person may not do this: no such account, deactivated, or a role that is too low."""

    def __init__(self, message: str, *, username: str, action: str) -> None:
        super().__init__(message)
        self.username = username
        self.action = action


class TokenRefused(StoreError):
    """An API call whose bearer token is missing, malformed, unknown, expired or revoked.

    ``reason`` is one of those words, for software; the message says what to do.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
