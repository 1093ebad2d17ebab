"""Uploaded files as the services take them: a display name and bytes, or a refusal by size.

Starlette spools each uploaded file to disk past 1 MB, so its size is known before it is read:
a file over the limit is refused (``medextract.intake.size_refusal``) without being read into
memory. Everything else about a file is the services' to judge.
"""

from __future__ import annotations

from fastapi import UploadFile

from medextract.intake import Refusal, display_name, max_upload_bytes, size_refusal


def read_upload(file: UploadFile) -> tuple[str, bytes, Refusal | None]:
    """(display name, bytes, None), or (name, b"", refusal) for a file over the byte limit."""
    name = display_name(file.filename)
    limit = max_upload_bytes()
    if file.size is not None and file.size > limit:
        return name, b"", size_refusal(name, file.size, max_bytes=limit)
    file.file.seek(0)
    data = file.file.read(limit + 1)
    if len(data) > limit:  # no size was given: the read stopped one byte past the limit
        return name, b"", size_refusal(name, len(data), max_bytes=limit)
    return name, data, None
