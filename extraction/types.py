"""Typed results of the engine: OCR words and lines, field evidence, the document result.

Every object here is plain data; ``to_dict()`` gives the JSON shape the CLI prints and the
review app stores. Boxes are ``(x0, y0, x1, y1)`` in pixels of the page image the engine OCR'd
(``ExtractionResult.page_images[page]``), so a box can be drawn on that image unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol, TypeVar

from PIL import Image

Box = tuple[int, int, int, int]

UNKNOWN_TYPE = "unknown"


_LOW_CONFIDENCE = re.compile(r"OCR confidence \d+%")
# What sets a field's doubts apart in its reason.
_DOUBTS_APART = "; "
# The doubt of a labelled field with nothing read where its value goes.
BLANK_DOUBT = "blank on the document? please confirm"


def low_confidence(confidence: float) -> str:
    """The doubt of a value whose words the OCR read with low ``confidence`` (0-1)."""
    return f"OCR confidence {confidence:.0%}"


def on_one_row(a: Box, b: Box, share: float = 1 / 3) -> bool:
    """True when the boxes share more than ``share`` of the shorter one's height: one row."""
    shared = min(a[3], b[3]) - max(a[1], b[1])
    return shared > min(a[3] - a[1], b[3] - b[1]) * share


class _Boxed(Protocol):
    @property
    def box(self) -> Box: ...


_B = TypeVar("_B", bound=_Boxed)


def rows_left_to_right(items: Iterable[_B]) -> list[list[_B]]:
    """``items`` grouped into rows, each left to right: an item joins the row whose last item
    it is on one row with, so a row slanting on a photo stays one."""
    rows: list[list[_B]] = []
    for item in sorted(items, key=lambda it: it.box[0]):
        row = next((r for r in rows if on_one_row(r[-1].box, item.box)), None)
        if row is None:
            rows.append([item])
        else:
            row.append(item)
    return rows


def centre_inside(box: Box, outer: Box) -> bool:
    """True when the middle of ``box`` lies inside ``outer``."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return outer[0] <= x <= outer[2] and outer[1] <= y <= outer[3]


def mostly_inside(box: Box, outer: Box) -> bool:
    """True when most of ``box`` (six tenths of its area) lies inside ``outer``."""
    w = max(0, min(box[2], outer[2]) - max(box[0], outer[0]))
    h = max(0, min(box[3], outer[3]) - max(box[1], outer[1]))
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    return w * h >= 0.6 * area


def union_box(boxes: list[Box]) -> Box | None:
    """The smallest box holding every box given, or None for an empty list."""
    if not boxes:
        return None
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass(frozen=True)
class Word:
    """One word as tesseract read it: text, confidence in 0..1, its box on the page, and the
    number of the text line tesseract put it in (lines follow skew and warp better than rows)."""

    text: str
    confidence: float
    box: Box
    line: int = 0

    @property
    def x0(self) -> int:
        return self.box[0]

    @property
    def x1(self) -> int:
        return self.box[2]

    @property
    def y_mid(self) -> float:
        return (self.box[1] + self.box[3]) / 2

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


def mean_confidence(words: Sequence[Word]) -> float:
    """How sure a reading is on average; one that read nothing loses to any other (-1)."""
    return sum(w.confidence for w in words) / len(words) if words else -1.0


@dataclass(frozen=True)
class Line:
    """Words that sit on one visual line and belong together (one column's segment of a row)."""

    words: tuple[Word, ...]

    # Worked out once: the field finders ask every line for these again and again. (A frozen
    # dataclass's fields never change, and cached values are no fields: equality is unchanged.)
    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @cached_property
    def box(self) -> Box:
        box = union_box([w.box for w in self.words])
        assert box is not None, "a Line always holds at least one word"
        return box

    @cached_property
    def confidence(self) -> float:
        """The weakest word's confidence: one misread word makes the line doubtful."""
        return min(w.confidence for w in self.words)

    @cached_property
    def height(self) -> int:
        return max(w.height for w in self.words)


@dataclass(frozen=True)
class PageText:
    """The OCR of one page: its lines in reading order and the size of the image OCR'd."""

    index: int
    lines: tuple[Line, ...]
    width: int
    height: int

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def words(self) -> list[Word]:
        """Every word of the page, line by line."""
        return [w for line in self.lines for w in line.words]

    def words_in(self, box: Box) -> list[Word]:
        """The words mostly inside ``box``, in reading order."""
        return [w for line in self.lines for w in line.words if mostly_inside(w.box, box)]


@dataclass(frozen=True)
class PartReading:
    """One part of a value put together from its parts: its name ("given", "zip"), its text,
    where it was read and how surely."""

    name: str
    value: str
    box: Box
    confidence: float


@dataclass
class FieldResult:
    """One field's value with the evidence a clerk needs to trust or check it.

    ``value`` is "" when the document leaves the field blank or the engine found nothing;
    ``needs_review`` is True whenever the engine is not sure, and ``reason`` says why.
    """

    value: str
    confidence: float
    needs_review: bool
    reason: str | None = None
    page: int = 0
    box: Box | None = None
    spots: tuple[Box, ...] = field(default=(), compare=False, repr=False)
    """For a blank value, the places on its page where it would be written (beside and under
    its label, ``extraction.blank_spots``), read again by the second reader; not output."""
    parts: tuple[PartReading, ...] = field(default=(), compare=False, repr=False)
    """For a value put together from its parts (``extraction.parts``), each part as read, read
    again by the second reader part by part; not output."""

    def flag(self, reason: str) -> None:
        """Mark the field for review, keeping the first reason and adding later ones."""
        self.needs_review = True
        self.reason = reason if not self.reason else f"{self.reason}{_DOUBTS_APART}{reason}"

    @property
    def doubts(self) -> list[str]:
        """The reasons the field is flagged for, one by one."""
        return [doubt for doubt in (self.reason or "").split(_DOUBTS_APART) if doubt]

    def without_doubt(self, reason: str) -> FieldResult:
        """A copy without the doubt ``reason`` among its reasons; the others and the review
        flag stay."""
        kept = [doubt for doubt in self.doubts if doubt != reason]
        return replace(self, reason=_DOUBTS_APART.join(kept) or None)

    @property
    def only_unsure_ink(self) -> bool:
        """Whether the field's one doubt is the OCR's low confidence in the ink it read
        (``low_confidence``)."""
        return self.needs_review and _LOW_CONFIDENCE.fullmatch(self.reason or "") is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "confidence": round(self.confidence, 3),
            "needs_review": self.needs_review,
            "reason": self.reason,
            "page": self.page,
            "box": list(self.box) if self.box else None,
        }


@dataclass
class ExtractionResult:
    """What the engine returns for one document.

    ``page_images`` are the grayscale pages in the frame the boxes refer to (after orientation
    and deskew); they are not part of ``to_dict()``.
    """

    document_type: str
    type_confidence: float
    pages: int
    dpi: int
    fields: dict[str, FieldResult]
    seconds: float = 0.0
    page_images: list[Image.Image] = field(default_factory=list, repr=False)
    page_texts: list[PageText] = field(default_factory=list, repr=False)
    stage_seconds: dict[str, float] = field(default_factory=dict, repr=False)
    page_structures: list[Any] = field(default_factory=list, repr=False)
    """Each page's ``extraction.structure.PageStructure``: rules, cells and marks."""
    layout: Any = None
    """The ``extraction.layouts.LayoutMatch`` the document was read with, or None."""
    layouts_consulted: bool = False
    """True when learned layouts were offered: ``to_dict()`` then says which one was used."""

    @property
    def text(self) -> str:
        """All pages' OCR text, pages separated by a form feed."""
        return "\f".join(p.text for p in self.page_texts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "document_type": self.document_type,
            "type_confidence": round(self.type_confidence, 3),
            "pages": self.pages,
            "dpi": self.dpi,
            "fields": {name: f.to_dict() for name, f in self.fields.items()},
            "seconds": round(self.seconds, 3),
        } | ({"layout": self.layout.to_dict() if self.layout else None} if self.layouts_consulted else {})
