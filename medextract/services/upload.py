"""Upload: the one path every file takes into the queue (the Upload page, later the API).

:func:`intake` runs the cheap checks of ``medextract.intake`` (empty, too large, not a document),
measures an image's pages for a photo too dark, blurred or cut off (:func:`photo_problems`, advice
only) and then :func:`add_upload`, which stores the bytes as "queued" or refuses a duplicate. A
refused file leaves no row; extraction happens later, in the worker. The photo's problems are
returned with the outcome and written in the upload's audit event (the document's history); the
uploader may keep the document anyway, or take it back with :func:`remove_retake`.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from medextract import lifecycle
from medextract.encryption import seal
from medextract.intake import display_name, inspect_upload
from medextract.models import Document, User
from medextract.services.audit import write_event
from medextract.services.context import Actor, Context, System, authorize
from medextract.services.documents import get as get_document
from medextract.services.jobs import PRIORITY_CLERK
from medextract.services.review import reject
from medextract.views import PhotoProblem, SaveResult, UploadOutcome

AUTO = "auto"
MAX_FILENAME = 255
DUPLICATE = "duplicate"  # UploadOutcome.reason of a file whose bytes were uploaded before
UNKNOWN_TYPE = "unknown_type"  # UploadOutcome.reason when the forced type does not exist
RETAKE_REASON = "Removed at upload by the uploader: the photo is to be retaken."


def intake(
    ctx: Context,
    filename: str | None,
    data: bytes,
    *,
    uploader: Actor,
    forced_type: str | None = None,
    max_bytes: int | None = None,
    priority: int = PRIORITY_CLERK,
) -> UploadOutcome:
    """Check one uploaded file and store it as "queued", or refuse it with a message naming it.

    Never raises for bad input: every refusal is an ``UploadOutcome`` with ``accepted`` False (and
    ``duplicate_of`` set for a duplicate). Nothing is stored for a refused file. Raises
    PermissionDenied when ``uploader`` may not upload. ``priority`` orders the extraction queue
    (a clerk waiting at the screen by default; the API's batches pass ``PRIORITY_BULK``).
    """
    name = display_name(filename)
    inspected = inspect_upload(name, data, max_bytes=max_bytes)
    if inspected.refusal is not None:
        return UploadOutcome(None, None, False, inspected.refusal.message, inspected.refusal.reason)
    photo = photo_problems(data)
    outcome = add_upload(
        ctx,
        name,
        data,
        uploader=uploader,
        forced_type=forced_type,
        priority=priority,
        photo=photo,
        pages=inspected.pages,
    )
    if outcome.reason == DUPLICATE:
        # Say which of this batch's files it was (the rest names the earlier upload only to its
        # uploader or a supervisor).
        message = f"{name}: duplicate. {outcome.message}"
        return UploadOutcome(None, outcome.duplicate_of, False, message, DUPLICATE)
    return outcome


def add_upload(
    ctx: Context,
    filename: str,
    data: bytes,
    *,
    uploader: Actor,
    forced_type: str | None = None,
    priority: int = PRIORITY_CLERK,
    photo: tuple[PhotoProblem, ...] = (),
    pages: int | None = None,
) -> UploadOutcome:
    """Store the file as "queued"; refuse empty files, unknown types and duplicate content.

    ``photo`` (what :func:`photo_problems` found) goes into the upload's audit event and back
    with the outcome of a stored file; it never stops the upload. ``pages``, the page count read
    at upload, is the document's until the engine counts them itself (the upload's progress
    estimate is made from it).
    """
    if not data:
        message = f"{filename or 'The file'} is empty; nothing was stored."
        return UploadOutcome(None, None, False, message, "empty")
    unknown = unknown_type(ctx, forced_type)
    if unknown is not None:
        return UploadOutcome(None, None, False, unknown, UNKNOWN_TYPE)
    if forced_type == AUTO:
        forced_type = None
    name = _safe_filename(filename)
    sha = hashlib.sha256(data).hexdigest()
    stored = seal(data)  # encrypted when MEDEXTRACT_DATA_KEY is set; outside the transaction
    now = ctx.now()
    try:
        with ctx.write.begin() as session:
            user = authorize(session, uploader, lifecycle.UPLOAD)
            duplicate = _duplicate(session, sha, uploader, user)
            if duplicate is not None:
                return duplicate
            doc = Document(
                filename=name,
                sha256=sha,
                content=stored,
                size=len(data),
                pages=pages,
                uploader=user,
                uploaded_at=now,
                forced_type=forced_type,
                status=lifecycle.target(lifecycle.UPLOAD),
                priority=priority,
                version=1,
                updated_at=now,
            )
            session.add(doc)
            session.flush()
            detail: dict[str, object] = {"filename": name, "size": len(data)}
            if photo:
                detail["photo"] = describe_photo(photo)
            write_event(ctx, session, user, "upload", doc.id, detail)
            doc_id = doc.id
    except IntegrityError:
        # Another session stored the same bytes between our check and our insert.
        with ctx.read() as session:
            duplicate = _duplicate(session, sha, uploader, authorize(session, uploader, lifecycle.UPLOAD))
        if duplicate is None:
            raise
        return duplicate
    message = f"{name} was added to the queue (document {doc_id})."
    return UploadOutcome(doc_id, None, True, message, photo=photo, pages=pages)


def photo_problems(data: bytes) -> tuple[PhotoProblem, ...]:
    """What is wrong with an image file's pages as a photo (too dark, faint, blurred, cut off),
    measured on a small copy before any OCR; () for a PDF, a good photo or bytes no image reader
    opens (the worker says what it cannot read). Never raises."""
    from extraction import quality  # lazily: medextract imports without the engine

    return tuple(PhotoProblem(p.code, p.message, p.page) for p in quality.check_image_bytes(data))


def describe_photo(photo: tuple[PhotoProblem, ...]) -> str:
    """One line naming each problem, with its page when any is past the first ("Page 2: ...")."""
    several = any(p.page > 1 for p in photo)
    return " ".join(f"Page {p.page}: {p.message}" if several else p.message for p in photo)


def remove_retake(ctx: Context, doc_id: int, *, user: Actor) -> SaveResult:
    """Take back a just-uploaded document whose photo is to be retaken: it is rejected (so never
    reviewed nor exported) with the reason "photo to be retaken", audited like any reject.

    Refused, with the message to show, once it can no longer be rejected (a reviewer verified it)
    or while the engine is reading it (try again in a moment).
    """
    doc = get_document(ctx, doc_id, user=user)
    return reject(ctx, doc_id, RETAKE_REASON, user=user, expected_version=doc.version)


def unknown_type(ctx: Context, forced_type: str | None) -> str | None:
    """Why ``forced_type`` cannot be asked for (not "auto", None nor a known type), else None."""
    if forced_type in (None, AUTO) or forced_type in ctx.catalog.type_names():
        return None
    return f"Unknown document type {forced_type!r}; use one of: {', '.join(ctx.catalog.type_names())}."


def _duplicate(session: Session, sha: str, uploader: Actor, name: str) -> UploadOutcome | None:
    """The refusal of bytes stored before, or None. Only the earlier file's uploader, a supervisor
    or the server learns its document id and name: to anyone else they are another person's
    patient's file, and the refusal says only that the same file is already here."""
    row = session.execute(
        select(Document.id, Document.filename, Document.uploader).where(Document.sha256 == sha)
    ).first()
    if row is None:
        return None
    if row.uploader == name or _sees_every_upload(session, uploader, name):
        message = f"This file was already uploaded as document {row.id} ({row.filename})."
        return UploadOutcome(None, row.id, False, message, DUPLICATE)
    message = "The same file was already uploaded by someone else; nothing was stored."
    return UploadOutcome(None, None, False, message, DUPLICATE)


def _sees_every_upload(session: Session, uploader: Actor, name: str) -> bool:
    """The server itself, or a person whose role may read every document's history (supervisors)."""
    if isinstance(uploader, System):
        return True
    role = session.execute(select(User.role).where(User.username == name)).scalar()
    return lifecycle.may(role, lifecycle.HISTORY)


def _safe_filename(name: str) -> str:
    """Only the file's own name (browsers may send a path), cut to what the column holds."""
    return display_name(name)[:MAX_FILENAME]  # also no control or bidirectional characters
