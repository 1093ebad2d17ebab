"""Merge documents, split one, rotate a page: a document's pages put right by a person (issue 11).

A patient's form photographed page by page arrives as several documents, a scanner batch glues two
patients' forms into one, a page scanned sideways reads badly. Each operation derives a new file
from the pages as the engine reads them (``medextract.page_files``: a lossless multi-page TIFF)
and queues it for extraction:

- :func:`merge`: two or more documents, in the order given, become one new document; each source
  ends "merged" and is linked to it (``DocumentLink``), its file, values and history kept.
- :func:`split`: a document cut after chosen pages becomes one new document per part; the source
  ends "split", linked to each.
- :func:`rotate`: one page turned by 90, 180 or 270 degrees clockwise; the document is extracted
  again. Its uploaded bytes are kept (``original_content``); ``content`` becomes the derived file.

All three refuse, saying why and changing nothing: a document that is verified (reopen it first)
or being read by the engine, one someone else holds under a live review claim, one holding a draft
another reviewer wrote (it would be set aside or read over), a page that is not there. Clerks and
up may do them (``lifecycle``); each is audited on every document it touched.

The pages are read and the new file written outside any transaction (rendering a PDF takes a
moment); the write then checks that no document changed meanwhile (its ``version``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from medextract import lifecycle, page_files
from medextract.encryption import seal, unseal
from medextract.errors import StoreError
from medextract.intake import max_pages
from medextract.models import Document, DocumentLink, DraftValue, Edit
from medextract.services.audit import write_event
from medextract.services.claims import claim_notice, live_claim
from medextract.services.context import Actor, Context, authorize
from medextract.services.documents import change_marks, load
from medextract.services.jobs import PRIORITY_CLERK

ROTATIONS = page_files.ROTATIONS
MAX_MERGED = 50  # documents one merge may name (each is read into memory)
# What a refusal says cannot happen (whole phrases: the bare participles are also status names).
_REFUSED = {
    lifecycle.MERGE: "cannot be merged",
    lifecycle.SPLIT_DOCUMENT: "cannot be split",
    lifecycle.ROTATE: "cannot have a page rotated",
}


@dataclass(frozen=True)
class PagesResult:
    """What an operation did: the documents it read, the documents to show next (the new ones, or
    the rotated one) and a sentence for people."""

    action: str
    sources: tuple[int, ...]
    documents: tuple[int, ...]
    message: str


@dataclass(frozen=True)
class Lineage:
    """Where a document's pages came from and went: ``made_from`` the sources (in page order) and
    how (``made_by``: merge or split), ``went_into`` the documents made of its pages."""

    made_by: str | None
    made_from: tuple[int, ...]
    went_into: tuple[int, ...]


@dataclass(frozen=True)
class _Source:
    """A document as read before its pages are: enough to check nothing changed at the write."""

    id: int
    version: int
    filename: str
    forced_type: str | None
    content: bytes


@dataclass(frozen=True)
class _File:
    """A derived file as it is stored: its hash (duplicates), sealed bytes and plain size."""

    sha256: str
    stored: bytes
    size: int
    pages: int

    @classmethod
    def of(cls, pages: Sequence[page_files.Page]) -> _File:
        """The TIFF of ``pages``, hashed and sealed (encrypted when a key is set) outside any
        transaction."""
        data = page_files.write_tiff(pages)
        return cls(hashlib.sha256(data).hexdigest(), seal(data), len(data), len(pages))


def merge(ctx: Context, doc_ids: Sequence[int], *, user: Actor) -> PagesResult:
    """One new document of the pages of ``doc_ids`` in that order, queued for extraction.

    Each source ends "merged", linked to the new document. Raises StoreError (nothing changed)
    for fewer than two documents, more pages than the engine takes, or a refused document.
    """
    ids = list(dict.fromkeys(int(i) for i in doc_ids))
    if len(ids) < 2:
        raise StoreError("Choose at least two documents to merge.")
    if len(ids) > MAX_MERGED:
        raise StoreError(f"Merge at most {MAX_MERGED} documents at once ({len(ids)} were chosen).")
    sources = _read_sources(ctx, ids, user, lifecycle.MERGE)
    pages = {source.id: _pages(source) for source in sources}
    total = sum(len(p) for p in pages.values())
    if total > max_pages():
        raise StoreError(f"Together these documents have {total} pages; one document may have {max_pages()}.")
    data = _File.of([page for source in sources for page in pages[source.id]])
    types = {source.forced_type for source in sources}
    name = page_files.tiff_name(" + ".join(page_files.stem(s.filename) for s in sources), "")
    with ctx.write.begin() as session:
        actor = _recheck(ctx, session, sources, user, lifecycle.MERGE)
        new_id = _add_document(ctx, session, name, data, actor, types.pop() if len(types) == 1 else None)
        for position, source in enumerate(sources):
            count = len(pages[source.id])
            _link(ctx, session, lifecycle.MERGE, source.id, new_id, position, 0, count, actor)
            _end(ctx, session, source.id, lifecycle.MERGE)
            detail = {"into": new_id, "position": position + 1, "pages": count}
            write_event(ctx, session, actor, "merged_into", source.id, detail)
        write_event(ctx, session, actor, lifecycle.MERGE, new_id, {"from": ids, "pages": total})
    said = ", ".join(f"#{i}" for i in ids)
    return PagesResult(
        lifecycle.MERGE, tuple(ids), (new_id,), f"Merged {said} into document #{new_id} ({total} pages)."
    )


def split(ctx: Context, doc_id: int, after_pages: Sequence[int], *, user: Actor) -> PagesResult:
    """New documents of the pages of ``doc_id`` cut after each page in ``after_pages`` (0-based),
    each queued for extraction; the source ends "split", linked to each.

    Raises StoreError (nothing changed) for a cut after a page that is not there (or after the
    last page), or a refused document.
    """
    [source] = _read_sources(ctx, [doc_id], user, lifecycle.SPLIT_DOCUMENT)
    pages = _pages(source)
    try:
        ranges = page_files.parts(len(pages), [int(p) for p in after_pages])
    except ValueError as exc:
        raise StoreError(f"Document {doc_id} was not split. {exc}") from None
    files = [_File.of(pages[r.start : r.stop]) for r in ranges]
    base = page_files.stem(source.filename)
    created = []
    with ctx.write.begin() as session:
        actor = _recheck(ctx, session, [source], user, lifecycle.SPLIT_DOCUMENT)
        for position, (part, data) in enumerate(zip(ranges, files, strict=True)):
            name = page_files.tiff_name(base, f" (pages {_page_span(part)})")
            new_id = _add_document(ctx, session, name, data, actor, None)
            _link(
                ctx,
                session,
                lifecycle.SPLIT_DOCUMENT,
                source.id,
                new_id,
                position,
                part.start,
                len(part),
                actor,
            )
            write_event(
                ctx, session, actor, "split_part", new_id, {"from": doc_id, "pages": _page_span(part)}
            )
            created.append(new_id)
        _end(ctx, session, source.id, lifecycle.SPLIT_DOCUMENT)
        detail = {"into": created, "after_pages": [r.stop for r in ranges[:-1]]}  # 1-based, as said
        write_event(ctx, session, actor, lifecycle.SPLIT_DOCUMENT, doc_id, detail)
    said = ", ".join(f"#{i}" for i in created)
    return PagesResult(
        lifecycle.SPLIT_DOCUMENT, (doc_id,), tuple(created), f"Split document #{doc_id} into {said}."
    )


def rotate(ctx: Context, doc_id: int, page: int, degrees: int, *, user: Actor) -> PagesResult:
    """Turn page ``page`` (0-based) of ``doc_id`` clockwise by ``degrees`` (90, 180 or 270) and
    queue the document for extraction again (the engine reads it afresh: no stored reading reused).

    The uploaded bytes stay in ``original_content``. A draft ``user`` wrote is replaced by the new
    reading (one someone else wrote refuses the rotation). Raises StoreError (nothing changed) for
    another angle, a page that is not there, or a refused document.
    """
    if degrees not in ROTATIONS:
        raise StoreError(f"A page turns by 90, 180 or 270 degrees, not {degrees}.")
    [source] = _read_sources(ctx, [doc_id], user, lifecycle.ROTATE)
    pages = _pages(source)
    if not 0 <= page < len(pages):
        raise StoreError(
            f"Document {doc_id} has {len(pages)} page(s): there is no page {page + 1} to rotate."
        )
    pages[page] = page_files.turned(pages[page], degrees)
    data = _File.of(pages)
    with ctx.write.begin() as session:
        actor = _recheck(ctx, session, [source], user, lifecycle.ROTATE)
        doc = load(session, doc_id)
        kept = doc.original_content if doc.original_content is not None else doc.content
        session.execute(
            update(Document)
            .where(Document.id == doc_id)
            .values(
                content=data.stored,
                original_content=kept,
                size=data.size,
                status=lifecycle.target(lifecycle.ROTATE),
                extracted_as=None,  # the stored reading is of the page as it was
                error=None,
                reject_reason=None,
                claimed_by=None,
                claimed_at=None,
                review_started_at=None,
                priority=PRIORITY_CLERK,
                **change_marks(ctx),
            )
            .execution_options(synchronize_session=False)
        )
        write_event(ctx, session, actor, lifecycle.ROTATE, doc_id, {"page": page + 1, "degrees": degrees})
    message = f"Page {page + 1} of document #{doc_id} turned {degrees}° clockwise; it is being read again."
    return PagesResult(lifecycle.ROTATE, (doc_id,), (doc_id,), message)


def lineage(ctx: Context, doc_id: int, *, user: Actor) -> Lineage:
    """Where ``doc_id``'s pages came from and where they went; DocumentNotFound for none."""
    with ctx.read() as session:
        authorize(session, user, lifecycle.VIEW)
        load(session, doc_id)
        came = session.execute(
            select(DocumentLink.source_id, DocumentLink.kind)
            .where(DocumentLink.result_id == doc_id)
            .order_by(DocumentLink.position)
        ).all()
        went = session.execute(
            select(DocumentLink.result_id)
            .where(DocumentLink.source_id == doc_id)
            .order_by(DocumentLink.position)
        ).scalars()
        return Lineage(came[0].kind if came else None, tuple(r.source_id for r in came), tuple(went))


# --- the checks ---------------------------------------------------------------------------------


def refusal(ctx: Context, session: Session, doc: Document, name: str, action: str) -> str | None:
    """Why ``name`` may not ``action`` (merge, split, rotate) ``doc`` now, or None."""
    cannot = _REFUSED[action]
    if not lifecycle.can(action, doc.status):
        said = lifecycle.status_label(doc.status).lower()
        why = {
            lifecycle.VERIFIED: " A supervisor can reopen it first.",
            lifecycle.EXTRACTING: " Try again once the engine has read it.",
        }.get(doc.status, "")
        return f"Document {doc.id} is {said}, so it {cannot}.{why}"
    holder = live_claim(ctx, doc)
    if holder is not None and holder != name:
        return (
            f"Document {doc.id} is {claim_notice(holder, doc.claimed_at)}, so it {cannot} now: "
            "their work would be lost. Ask them to finish or close it."
        )
    others = sorted(draft_authors(session, doc.id) - {name})
    if others:
        return (
            f"Document {doc.id} holds a draft by {', '.join(others)}, so it {cannot} now: their "
            "values would be set aside. Ask them to finish it (verify or reject) first."
        )
    return None


def draft_authors(session: Session, doc_id: int) -> set[str]:
    """Who wrote the document's drafts: for each field holding a draft, the last person who
    changed it (its latest ``Edit``)."""
    drafted = set(session.execute(select(DraftValue.field).where(DraftValue.document_id == doc_id)).scalars())
    if not drafted:
        return set()
    last: dict[str, str] = {}
    for field, who in session.execute(
        select(Edit.field, Edit.user).where(Edit.document_id == doc_id).order_by(Edit.id)
    ):
        last[field] = who
    return {last[field] for field in drafted if field in last}


def _read_sources(ctx: Context, ids: Sequence[int], user: Actor, action: str) -> list[_Source]:
    """The documents, checked and read in one transaction, in the order of ``ids``."""
    with ctx.read() as session:
        name = authorize(session, user, action)
        sources = []
        for doc_id in ids:
            doc = load(session, doc_id)
            reason = refusal(ctx, session, doc, name, action)
            if reason is not None:
                raise StoreError(reason)
            content = unseal(
                session.execute(select(Document.content).where(Document.id == doc_id)).scalar_one()
            )
            sources.append(_Source(doc.id, doc.version, doc.filename, doc.forced_type, content))
        return sources


def _recheck(ctx: Context, session: Session, sources: Sequence[_Source], user: Actor, action: str) -> str:
    """In the write: the actor may still act, and no source changed since it was read."""
    name = authorize(session, user, action)
    for source in sources:
        doc = load(session, source.id)
        if doc.version != source.version:
            raise StoreError(f"Document {source.id} changed meanwhile; nothing was done. Try again.")
        reason = refusal(ctx, session, doc, name, action)
        if reason is not None:
            raise StoreError(reason)
    return name


def _pages(source: _Source) -> list[page_files.Page]:
    try:
        return page_files.read_pages(source.content)
    except page_files.PageFileError as exc:
        raise StoreError(
            f"The pages of document {source.id} ({source.filename}) cannot be read: {exc}"
        ) from None


def _add_document(
    ctx: Context, session: Session, name: str, data: _File, actor: str, forced: str | None
) -> int:
    """A new queued document holding the derived file ``data``; its id."""
    same = session.execute(select(Document.id).where(Document.sha256 == data.sha256)).scalar()
    if same is not None:
        raise StoreError(f"Document {same} already holds exactly these pages; nothing was done.")
    now = ctx.now()
    doc = Document(
        filename=name,
        sha256=data.sha256,
        content=data.stored,
        size=data.size,
        pages=data.pages,  # known now, as an upload's is
        uploader=actor,
        uploaded_at=now,
        forced_type=forced,
        status=lifecycle.target(lifecycle.UPLOAD),  # queued, as if uploaded
        priority=PRIORITY_CLERK,
        version=1,
        updated_at=now,
    )
    session.add(doc)
    session.flush()
    return doc.id


def _link(
    ctx: Context,
    session: Session,
    kind: str,
    source: int,
    result: int,
    position: int,
    first_page: int,
    count: int,
    actor: str,
) -> None:
    session.add(
        DocumentLink(
            kind=kind,
            source_id=source,
            result_id=result,
            position=position,
            first_page=first_page,
            page_count=count,
            made_by=actor,
            made_at=ctx.now(),
        )
    )


def _end(ctx: Context, session: Session, doc_id: int, action: str) -> None:
    """The source leaves the queue ("merged" or "split"), its claim given up; its rows stay."""
    session.execute(
        update(Document)
        .where(Document.id == doc_id)
        .values(status=lifecycle.target(action), claimed_by=None, claimed_at=None, **change_marks(ctx))
        .execution_options(synchronize_session=False)
    )


def _page_span(part: range) -> str:
    """ "3" or "1-2": the 1-based pages of ``part``."""
    return str(part.start + 1) if len(part) == 1 else f"{part.start + 1}-{part.stop}"
