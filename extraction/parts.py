"""Fields asked for in parts: a name in Last | First | M.I. boxes, an address in Street / City /
State / ZIP lines. Each part is read as a field of its own (``DocumentType.with_parts``); when
the field itself was not found, or took only what one of its parts took, its value is put
together from the parts, and flagged: the order and spelling of what was assembled are for the
clerk to confirm (``extraction.part_values`` writes them)."""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.assign import Assigned
from extraction.doctypes import DocumentType, FieldSpec
from extraction.normalize import normalize
from extraction.page_view import Candidate
from extraction.part_values import PARTS_NOTE, fill_parts
from extraction.phrases import whole_phrase_score
from extraction.rival_doubts import LABEL_SURE_SCORE
from extraction.types import Box, FieldResult, PartReading, union_box

# A number with its area code: national numbers hold nine digits or more, the local part alone
# (what a form's "Number" box holds beside its "Area code" box) seven or eight.
WHOLE_NUMBER_DIGITS = 9
# A part stands beside its field's own value or label, or a few lines under it: within this many
# of its line's heights above or below (a row of boxes may run across the page). A field printed
# further up or down asks for it no more than a field that read no value.
OWNER_REACH = 5.0


def share_parts(doc_type: DocumentType, assigned: dict[str, Assigned]) -> dict[str, Assigned]:
    """``assigned`` with the parts that several fields ask for alike (the Area code box of a form
    with two phones) given to the field whose own value stands nearest to each.

    Parts of one name and one label list cannot be told apart by their labels: assignment gives
    every such box to whichever field comes first. A form prints a part beside its field's own
    value, so each part read goes to the nearest value on its page; a field with no value of its
    own keeps a part no other field stands nearer to."""
    shared = assigned.copy()
    for suffix, owners in _alike_parts(doc_type).items():
        reads = [
            candidate
            for owner in owners
            if (candidate := assigned[f"{owner.name}.{suffix}"].candidate) is not None and candidate.words
        ]
        if not reads:
            continue
        given: dict[str, Candidate] = {}
        for read in reads:
            nearest = _nearest_owner(read, owners, assigned, given)
            if nearest is not None:
                given[nearest] = read
        for owner in owners:
            name = f"{owner.name}.{suffix}"
            shared[name] = replace(assigned[name], candidate=given.get(owner.name))
    return shared


def _alike_parts(doc_type: DocumentType) -> dict[str, list[FieldSpec]]:
    """Per part name, the fields that ask for a part of that name with the same labels."""
    by_part: dict[tuple[str, tuple[str, ...]], list[FieldSpec]] = {}
    for spec in doc_type.fields:
        for part in spec.parts:
            by_part.setdefault((part.name, tuple(part.labels)), []).append(spec)
    return {name: owners for (name, _labels), owners in by_part.items() if len(owners) > 1}


def _nearest_owner(
    read: Candidate, owners: list[FieldSpec], assigned: dict[str, Assigned], given: dict[str, Candidate]
) -> str | None:
    """The field, not yet given this part, printed nearest to it on its page (its own value, or
    its label where it read none) within ``OWNER_REACH``; failing any, the first such field that
    read no value of its own."""
    box = union_box([w.box for w in read.words])
    assert box is not None
    free = [owner for owner in owners if owner.name not in given]
    # Read under a label that names one of the fields ("PHONE NUMBER" over a "Number" part):
    # that field's, wherever the others stand.
    named = [
        (score, owner.name)
        for owner in free
        for key in read.keys
        if (score := whole_phrase_score(key.text, owner.labels)) >= LABEL_SURE_SCORE
    ]
    if named:
        return max(named)[1]
    placed = []
    reach = OWNER_REACH * (box[3] - box[1])
    for owner in free:
        own = assigned[owner.name].candidate
        own_box = _printed_at(own) if own is not None and own.page == read.page else None
        if own_box is not None and _rows_apart(box, own_box) <= reach:
            placed.append((_gap(box, own_box), owner.name))
    if placed:
        return min(placed)[1]
    unread = [owner.name for owner in free if not _read_a_value(assigned[owner.name])]
    return unread[0] if unread else None


def _read_a_value(assigned: Assigned) -> bool:
    """Whether a field took a value of its own (not a label alone, not nothing)."""
    return assigned.candidate is not None and bool(assigned.candidate.words)


def _printed_at(candidate: Candidate) -> Box | None:
    """Where a field stands on its page: its value's words, else its label's."""
    return union_box([w.box for w in candidate.words]) or union_box([k.box for k in candidate.keys])


def _rows_apart(a: Box, b: Box) -> int:
    """How far apart two boxes stand up and down the page (0 when they share a row)."""
    return max(0, max(a[1], b[1]) - min(a[3], b[3]))


def _gap(a: Box, b: Box) -> float:
    """The distance between two boxes (0 when they overlap)."""
    dx = max(0, max(a[0], b[0]) - min(a[2], b[2]))
    dy = max(0, max(a[1], b[1]) - min(a[3], b[3]))
    return float((dx * dx + dy * dy) ** 0.5)


def from_parts(spec: FieldSpec, result: FieldResult, assigned: dict[str, Assigned]) -> FieldResult:
    """``result``, or the value its parts make: when the field gave none of its own, took only
    what one of its parts took, or (``parts_own``) stands over one of its parts and is not
    whole by the field's pattern."""
    read: dict[str, str] = {}
    boxes, confidences, page = [], [], None
    pieces: list[PartReading] = []
    took_a_part = False  # the field's label matched a part's ("Name" in "Last name")
    for part in spec.part_specs:
        candidate = assigned[part.name].candidate
        value = normalize(part, candidate.texts)[0] if candidate is not None and candidate.words else ""
        took_a_part |= bool(value) and value == result.value
        if value:
            name = part.name.split(".", 1)[1]
            read[name] = value
            boxes += [w.box for w in candidate.words]
            confidences += [w.confidence for w in candidate.words]
            page = candidate.page if page is None else page
            if candidate.page == page:
                box = union_box([w.box for w in candidate.words])
                assert box is not None
                pieces.append(PartReading(name, value, box, min(w.confidence for w in candidate.words)))
    if all(value == result.value for value in read.values()):
        return result  # no part read, or only what the field read itself
    whole = bool(spec.pattern and re.search(spec.pattern, result.value)) and (
        sum(ch.isdigit() for ch in result.value) >= WHOLE_NUMBER_DIGITS
    )
    if result.value and spec.parts_own and spec.parts_own not in read and not whole:
        # The field's own label stood over one of its parts; a value whole by its own pattern (a
        # phone with its area code) is the field's, whatever a part's label stands over.
        read[spec.parts_own] = result.value
        boxes += [result.box] if result.box else []
        confidences.append(result.confidence)
        if result.box is not None and result.page == page and "\n" not in result.value:
            pieces.append(PartReading(spec.parts_own, result.value, result.box, result.confidence))
    elif result.value and not took_a_part:
        return result  # read in its own right
    composed = FieldResult(
        fill_parts(spec.parts_format, read),
        min(confidences),
        needs_review=False,
        page=result.page if page is None else page,
        box=union_box(boxes),
        parts=tuple(pieces),
    )
    composed.flag(PARTS_NOTE.format(", ".join(name for name in read)))
    return composed
