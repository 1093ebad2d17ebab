"""What the services hand to the front ends: frozen, plain data, safe to cache and to pass around.

Timestamps are timezone-aware UTC datetimes. Page numbers and ``FieldView.page`` are 0-based
indexes into the document's page images; boxes are ``(x0, y0, x1, y1)`` pixels on that image.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class PhotoProblem:
    """Something wrong with an uploaded photo's page, measured at upload before any OCR
    (``extraction.quality``): ``code`` ("dark", "low_contrast", "blurred", "cut_off") for software,
    ``message`` for the clerk with a hint to retake it, ``page`` 1-based. Advice only: the
    document is stored and queued all the same."""

    code: str
    message: str
    page: int = 1


@dataclass(frozen=True)
class UploadOutcome:
    """The result of an upload: ``accepted`` with the new id, or refused (``duplicate_of`` set).

    ``reason`` says why a file was refused, for software: "empty", "too_large", "not_a_document"
    (``medextract.intake``), "duplicate" or "unknown_type"; "" when accepted. ``photo`` lists what
    is wrong with an accepted image's pages (too dark, blurred, cut off), empty for a PDF or a
    good photo. ``pages``: the file's page count as read at upload (None when not known).
    """

    document_id: int | None
    duplicate_of: int | None
    accepted: bool
    message: str
    reason: str = ""
    photo: tuple[PhotoProblem, ...] = ()
    pages: int | None = None


@dataclass(frozen=True)
class DocumentSummary:
    """One row of the document list."""

    id: int
    filename: str
    status: str
    doc_type: str | None
    uploaded_at: datetime
    uploader: str
    pages: int | None
    error: str | None
    flagged_fields: int
    claimed_by: str | None  # the holder of a live review claim; an expired claim shows None
    claimed_at: datetime | None = None
    updated_at: datetime | None = None  # the last change a person or the worker made


@dataclass(frozen=True)
class FieldView:
    """One field on the review screen.

    ``value`` is the latest draft or verified value, else the engine's; ``engine_value`` is what
    the engine read (``""`` when it read nothing). ``page`` and ``box`` are the field's evidence:
    the box a reviewer drew and read into the field (``box_drawn``), else the engine's.
    ``required``: the document type refuses Verify while it is empty (``required = true``).
    """

    name: str
    label: str
    value: str
    engine_value: str
    confidence: float
    needs_review: bool
    reason: str | None
    page: int
    box: Box | None
    multiline: bool = False
    box_drawn: bool = False
    required: bool = False


@dataclass(frozen=True)
class DocumentView:
    """Everything the review screen shows for one document; ``fields`` in the type's order."""

    id: int
    filename: str
    status: str
    doc_type: str | None
    type_confidence: float | None
    pages: int | None
    version: int
    error: str | None
    reject_reason: str | None
    uploaded_at: datetime
    uploader: str
    verified_by: str | None
    verified_at: datetime | None
    claimed_by: str | None
    fields: dict[str, FieldView] = field(default_factory=dict)
    forced_type: str | None = None
    review_started_at: datetime | None = None
    claimed_at: datetime | None = None  # when the live claim was last taken or refreshed
    updated_at: datetime | None = None  # the last change a person or the worker made


@dataclass(frozen=True)
class RegionRead:
    """The outcome of reading a drawn box into a field (``regions.read_region``).

    ``ok`` False means nothing was written and ``message`` says why. When ok, ``value`` (what the
    box holds) is the field's draft and ``page``/``box`` its evidence; ``version`` is the
    document's version after the call.
    """

    ok: bool
    version: int
    field: str
    value: str
    confidence: float
    page: int
    box: Box | None
    message: str


@dataclass(frozen=True)
class SaveResult:
    """The outcome of save_draft / verify / reject.

    ``ok`` False means nothing was written: ``message`` says why, ``errors`` holds per-field
    validation messages. ``version`` is the document's version after the call (pass it next time).
    """

    ok: bool
    version: int
    errors: dict[str, str]
    message: str


@dataclass(frozen=True)
class VerifiedRecord:
    """A verified document's values, with what the engine read, for export and the records page."""

    document_id: int
    filename: str
    doc_type: str
    verified_by: str
    verified_at: datetime
    values: dict[str, str]
    engine_values: dict[str, str]
    confidences: dict[str, float]


class FieldCorrectionRate(NamedTuple):
    """How often clerks changed the engine's value of one field of one type (verified docs).

    A tuple ``(doc_type, field, corrected, total, rate)`` that also has those attribute names.
    """

    doc_type: str
    field: str
    corrected: int
    total: int
    rate: float


@dataclass(frozen=True)
class DateRange:
    """Whole UTC days from ``first`` to ``last``, both included (the app shows times in UTC)."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


@dataclass(frozen=True)
class DashboardStats:
    """The supervisor's dashboard numbers, for the documents of ``period`` (None: all time).

    ``status_counts``: documents uploaded in the period, by their status now. The rest counts the
    documents verified in the period as they stand (a reopened one counts once it is verified
    again). ``verified_per_reviewer_day``: (day, reviewer, documents). ``flagged_corrected`` and
    ``unflagged_corrected``: (fields corrected, fields) among the engine's flagged and unflagged
    fields; the second should stay near zero, or the engine is sure of values it gets wrong.
    """

    status_counts: dict[str, int]
    verified_per_day: list[tuple[date, int]]
    field_correction_rate: list[FieldCorrectionRate]
    median_review_seconds: float | None
    period: DateRange | None = None
    verified_per_reviewer_day: list[tuple[date, str, int]] = field(default_factory=list)
    flagged_corrected: tuple[int, int] = (0, 0)
    unflagged_corrected: tuple[int, int] = (0, 0)


@dataclass(frozen=True)
class ReviewerFigures:
    """One reviewer's work in a period (``dashboard.reviewer_figures``).

    ``verified``: documents they verified in the period that are verified now; ``rejected``:
    documents they rejected in the period; ``fields_corrected``: fields of their verified documents
    whose value differs from the engine's; ``flagged`` and ``flagged_unchanged``: the engine's
    flagged fields among those, and the ones they confirmed as the engine read them;
    ``median_claim_to_verify_seconds``: from their last claim of a document to its verify.
    """

    reviewer: str
    verified: int
    rejected: int
    fields_corrected: int
    flagged: int
    flagged_unchanged: int
    median_claim_to_verify_seconds: float | None

    @property
    def flagged_unchanged_share(self) -> float | None:
        """The share of flagged fields confirmed unchanged; None when none was flagged."""
        return self.flagged_unchanged / self.flagged if self.flagged else None


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    user: str
    action: str
    document_id: int | None
    detail: str
    at: datetime


@dataclass(frozen=True)
class HistoryEntry:
    """One line of a document's history (``audit.history``): plain text, to be escaped for display.

    ``action`` is upload, claim, extracted, extraction_failed, edit, verify, reject, reopen,
    reextract or export; ``text`` the detail (for an edit: ``field: 'old' -> 'new'``).
    """

    at: datetime
    user: str
    action: str
    text: str
    order: int = 0


@dataclass(frozen=True)
class TokenInfo:
    """An API token as administrators see it: never its secret."""

    key_id: str  # public: names the token in listings and in the audit log
    username: str
    name: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None
    last_used_at: datetime | None

    def state(self, now: datetime) -> str:
        """ "revoked", "expired" or "active" at ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"


@dataclass(frozen=True)
class NewToken:
    """A token just made: ``token`` is the only copy of its secret, shown to the administrator once."""

    token: str
    info: TokenInfo


@dataclass(frozen=True)
class LayoutView:
    """A learned layout as supervisors see it (``services.layouts``): never a patient's value.

    ``documents_seen`` counts the verified documents of this form since it was learned (the one it
    was learned from included); ``fields_corrected`` the fields clerks changed on those read with
    it. ``learned_from`` is the document it was (re)trained on, when known.
    """

    id: str
    name: str
    document_type: str
    fields: int
    documents_seen: int
    fields_corrected: int
    taught_by: str
    created: datetime | None
    learned_from: int | None


@dataclass(frozen=True)
class LayoutUse:
    """Which learned layout a document's stored extraction was read with, and its match (0..1).

    ``name`` is None when the layout was deleted since.
    """

    layout_id: str
    name: str | None
    match: float

    def describe(self) -> str:
        """What the review page says: "Read with learned layout <name> (match 0.87)"."""
        if self.name is None:
            return f"Read with a learned layout deleted since (match {self.match:.2f})"
        return f"Read with learned layout {self.name} (match {self.match:.2f})"


@dataclass(frozen=True)
class LearningJobView:
    """A learning task waiting, under way or failed (``services.layouts.learning_queue``)."""

    id: int
    document_id: int
    kind: str  # "learn" (on verify) or "retrain" (a supervisor's)
    layout_id: str | None
    requested_by: str
    requested_at: datetime
    status: str  # "waiting", "learning" (a worker holds it) or "failed"
    error: str | None
