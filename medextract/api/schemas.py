"""The API's request and response bodies (Pydantic), built from the services' views.

Timestamps are ISO 8601 in UTC. Page numbers are 0-based and boxes ``[x0, y0, x1, y1]`` pixels on
that page's image, as in the engine's own JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from medextract import lifecycle
from medextract.api.errors import Problem, refusal_problem
from medextract.services.upload import DUPLICATE
from medextract.views import DocumentSummary, DocumentView, FieldView, HistoryEntry, UploadOutcome

# ---- POST /v1/extract: the engine's JSON, exactly as `python -m extraction --json` prints it ----


class FieldEvidence(BaseModel):
    value: str
    confidence: float
    needs_review: bool
    reason: str | None
    page: int
    box: list[int] | None


class LayoutMatch(BaseModel):
    """The learned layout the document was read with (issue 10)."""

    id: str = Field(description="the layout's id, as in GET /v1/layouts")
    match: float = Field(description="how well the document fits the layout, 0 to 1")


class ExtractResult(BaseModel):
    file: str
    document_type: str
    type_confidence: float
    pages: int
    dpi: int
    fields: dict[str, FieldEvidence]
    seconds: float
    layout: LayoutMatch | None = Field(
        default=None,
        description="The learned layout it was read with (`--templates` in the command line's JSON),"
        " or null: read the generic way (no learned layout fits it).",
    )


# ---- POST /v1/documents ----------------------------------------------------------------------


class PhotoFinding(BaseModel):
    """Something wrong with an uploaded photo's page, measured on the image before any OCR (the
    same findings the app's Upload page names). Advice only: the document is stored and queued."""

    code: str = Field(
        description='for software: "dark", "low_contrast" (too faint), "blurred" or "cut_off" (print '
        "cut off at an edge)",
        examples=["dark"],
    )
    message: str = Field(description="for people: what is wrong, with a hint to retake the photo")
    page: int = Field(description="the page it was measured on, counted from 1")


class UploadItem(BaseModel):
    """One file of a batch: accepted (queued for extraction as a new document), a duplicate (the id
    of the document with the same bytes) or refused (with its own problem)."""

    filename: str
    status: Literal["accepted", "duplicate", "refused"]
    document_id: int | None = Field(description="The new document, or for a duplicate the existing one.")
    message: str
    error: Problem | None = None
    photo_problems: list[PhotoFinding] = Field(
        default_factory=list,
        description="For an accepted image: what is wrong with it as a photo (too dark, faint, "
        "blurred or cut off), measured before OCR. The document is queued all the same; "
        "an empty list for a PDF, a good photo, or a file that was not accepted.",
    )

    @classmethod
    def of(cls, filename: str, outcome: UploadOutcome) -> UploadItem:
        if outcome.accepted:
            return cls(
                filename=filename,
                status="accepted",
                document_id=outcome.document_id,
                message=outcome.message,
                photo_problems=[
                    PhotoFinding(code=p.code, message=p.message, page=p.page) for p in outcome.photo
                ],
            )
        if outcome.reason == DUPLICATE:  # the earlier id only for its uploader or a supervisor
            return cls(
                filename=filename,
                status="duplicate",
                document_id=outcome.duplicate_of,
                message=outcome.message,
            )
        error = refusal_problem(outcome.reason, outcome.message)
        return cls(
            filename=filename, status="refused", document_id=None, message=outcome.message, error=error
        )


class UploadBatch(BaseModel):
    results: list[UploadItem]


# ---- documents -------------------------------------------------------------------------------


class DocumentField(BaseModel):
    """A field: its current value (verified, else the latest draft, else the engine's) and the
    engine's reading with its evidence."""

    label: str
    value: str
    engine_value: str
    confidence: float
    needs_review: bool
    reason: str | None
    page: int
    box: list[int] | None

    @classmethod
    def of(cls, field: FieldView) -> DocumentField:
        return cls(
            label=field.label,
            value=field.value,
            engine_value=field.engine_value,
            confidence=round(field.confidence, 3),
            needs_review=field.needs_review,
            reason=field.reason,
            page=field.page,
            box=list(field.box) if field.box else None,
        )


class HistoryItem(BaseModel):
    at: datetime
    user: str
    action: str
    text: str

    @classmethod
    def of(cls, entry: HistoryEntry) -> HistoryItem:
        return cls(at=entry.at, user=entry.user, action=entry.action, text=entry.text)


class DocumentSummaryOut(BaseModel):
    id: int
    filename: str
    status: str
    status_label: str
    doc_type: str | None
    pages: int | None
    uploader: str
    uploaded_at: datetime
    updated_at: datetime | None
    flagged_fields: int
    claimed_by: str | None
    error: str | None

    @classmethod
    def of(cls, doc: DocumentSummary) -> DocumentSummaryOut:
        return cls(
            id=doc.id,
            filename=doc.filename,
            status=doc.status,
            status_label=lifecycle.status_label(doc.status),
            doc_type=doc.doc_type,
            pages=doc.pages,
            uploader=doc.uploader,
            uploaded_at=doc.uploaded_at,
            updated_at=doc.updated_at,
            flagged_fields=doc.flagged_fields,
            claimed_by=doc.claimed_by,
            error=doc.error,
        )


class DocumentOut(BaseModel):
    """One document: where it is in its life, its fields with evidence, what was verified."""

    id: int
    filename: str
    status: str
    status_label: str
    doc_type: str | None
    type_confidence: float | None
    pages: int | None
    version: int
    uploader: str
    uploaded_at: datetime
    updated_at: datetime | None
    claimed_by: str | None
    claimed_at: datetime | None
    verified_by: str | None
    verified_at: datetime | None
    error: str | None
    reject_reason: str | None
    fields: dict[str, DocumentField] = Field(description="In the type's order; empty until extracted.")
    verified_values: dict[str, str] | None = Field(description="The record as verified; null until then.")
    history: list[HistoryItem] | None = Field(
        description="Every event of the document, oldest first: for supervisors and administrators only."
    )

    @classmethod
    def of(cls, doc: DocumentView, history: list[HistoryEntry] | None) -> DocumentOut:
        verified = doc.status == lifecycle.VERIFIED
        return cls(
            id=doc.id,
            filename=doc.filename,
            status=doc.status,
            status_label=lifecycle.status_label(doc.status),
            doc_type=doc.doc_type,
            type_confidence=doc.type_confidence,
            pages=doc.pages,
            version=doc.version,
            uploader=doc.uploader,
            uploaded_at=doc.uploaded_at,
            updated_at=doc.updated_at,
            claimed_by=doc.claimed_by,
            claimed_at=doc.claimed_at,
            verified_by=doc.verified_by,
            verified_at=doc.verified_at,
            error=doc.error,
            reject_reason=doc.reject_reason,
            fields={name: DocumentField.of(field) for name, field in doc.fields.items()},
            verified_values={name: f.value for name, f in doc.fields.items()} if verified else None,
            history=[HistoryItem.of(h) for h in history] if history is not None else None,
        )


class DocumentList(BaseModel):
    items: list[DocumentSummaryOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page.")
    as_of: datetime = Field(
        description="The server's time before this page was read: the next poll's updated_since."
    )


# ---- records ---------------------------------------------------------------------------------


class RecordList(BaseModel):
    """Verified records with the CSV export's columns (and provenance columns when asked)."""

    doc_type: str
    provenance: bool
    columns: list[str]
    records: list[dict[str, Any]]


# ---- health ----------------------------------------------------------------------------------


class Health(BaseModel):
    status: Literal["ok", "ready", "not_ready"]
    checks: dict[str, str] = Field(default_factory=dict)


# ---- merge, split, rotate (issue 11) -----------------------------------------------------------


class MergeIn(BaseModel):
    document_ids: list[int] = Field(
        min_length=2, max_length=50, description="the documents, in the order their pages are to follow"
    )


class SplitIn(BaseModel):
    after_pages: list[int] = Field(
        min_length=1,
        max_length=49,
        description="cut after each of these pages (0-based: [0] parts page 1 from the rest)",
    )


class RotateIn(BaseModel):
    degrees: Literal[90, 180, 270] = Field(description="clockwise")


class PagesOut(BaseModel):
    """What a merge, split or rotation did."""

    action: str = Field(description="merge, split or rotate")
    sources: list[int] = Field(description="the documents whose pages were used")
    documents: list[int] = Field(
        description="the new documents (merge, split), queued for extraction; a rotation: the document"
    )
    message: str


class LinksOut(BaseModel):
    """Where a document's pages came from (a merge or a split of other documents) and went."""

    made_by: str | None = Field(description="merge or split; null: uploaded, not made of others")
    made_from: list[int] = Field(description="the documents it was made of, in page order")
    went_into: list[int] = Field(description="the documents made of its pages (it is merged or split)")
