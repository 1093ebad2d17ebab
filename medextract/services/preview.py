"""Reading a file without storing it (the HTTP API's ``POST /v1/extract``): the first product's job.

The file passes the same cheap intake checks as an upload (empty, too large, not a PDF/image) and
the engine runs as the worker runs it: in a sandboxed child process with the document's time and
memory budget, and the worker's page and pixel limits, read from the environment now. Nothing
about the document is stored; the read is audited ("preview": who, the file's name and size, the
type found) like every other way a document's content leaves the system. The engine reads with the
learned layouts (``services.layouts.folder``) as the worker does, so the answer says which one fitted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medextract import layouts as layout_files
from medextract import lifecycle
from medextract.intake import check_upload, display_name
from medextract.sandbox import Sandbox
from medextract.services import layouts
from medextract.services.audit import write_event
from medextract.services.context import Actor, Context, authorize
from medextract.services.upload import AUTO, unknown_type
from medextract.views import UploadOutcome

ExtractFn = Callable[..., Any]


class Refused(Exception):
    """The file was refused before the engine saw it; ``outcome`` says why (its ``reason``)."""

    def __init__(self, outcome: UploadOutcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


def check(ctx: Context, filename: str | None, data: bytes, *, user: Actor, doc_type: str = AUTO) -> str:
    """The file's display name once ``user`` may have it read and it passes intake; else Refused
    (or PermissionDenied). Call before spending the engine's time."""
    name = display_name(filename)
    with ctx.read() as session:
        authorize(session, user, lifecycle.PREVIEW)
    unknown = unknown_type(ctx, doc_type)
    if unknown is not None:
        raise Refused(UploadOutcome(None, None, False, unknown, "unknown_type"))
    refusal = check_upload(name, data)
    if refusal is not None:
        raise Refused(UploadOutcome(None, None, False, refusal.message, refusal.reason))
    return name


def read(
    ctx: Context,
    filename: str | None,
    data: bytes,
    *,
    user: Actor,
    doc_type: str = AUTO,
    extract_fn: ExtractFn | None = None,
) -> Any:
    """The engine's result for the file (``extraction.ExtractionResult``), stored nowhere.

    Refused before the engine runs (see :func:`check`). ``extract_fn`` reads the file with the
    learned layouts in the folder it is given (``layouts=``: the API's pool of sandboxes, an
    in-process engine wrapped by :func:`in_process`), by default a sandbox of its own; its errors propagate:
    ``sandbox.ExtractionFailed`` (over the budget, the engine's own error by name) from a sandbox,
    ``extraction.ExtractionError`` from an engine called in this process.
    """
    name = check(ctx, filename, data, user=user, doc_type=doc_type)
    engine = extract_fn or read_in_sandbox
    result = engine(data, doc_type=doc_type or AUTO, filename=name, layouts=str(layouts.folder(ctx)))
    with ctx.write.begin() as session:
        actor = authorize(session, user, lifecycle.PREVIEW)
        detail = {
            "filename": name,
            "size": len(data),
            "doc_type": getattr(result, "document_type", ""),
            "pages": getattr(result, "pages", 0),
        }
        write_event(ctx, session, actor, "preview", None, detail)
    return result


def in_process(extract_fn: ExtractFn) -> ExtractFn:
    """``extract_fn`` (an engine called in this process: tests' fakes) as :func:`read` calls an
    engine: the layouts folder becomes the parsed layouts, none at all when the folder has none."""

    def extract_with_layouts(data: bytes, *, doc_type: str, filename: str, layouts: str | None = None) -> Any:
        return extract_fn(data, doc_type=doc_type, filename=filename, **layout_files.extract_kwargs(layouts))

    return extract_with_layouts


def read_in_sandbox(data: bytes, *, doc_type: str, filename: str, layouts: str | None = None) -> Any:
    """The engine's result in a sandboxed child process started for this one file."""
    box = Sandbox()
    try:
        return box.preview(data, doc_type=doc_type, filename=filename, layouts=layouts)
    finally:
        box.close()
