"""Two fields written line by line in one block: each medicine, then its directions on the line
under it, in one box under one caption ("Medicine, strength, dose and directions").

Assignment gives the block to whichever field's label the caption reads as best; the other field
is left blank. Where a field's lines usually match another's one for one (``lines_like``: a
medicine's directions) and one of the two is blank while the other's block opens with a line
shaped like the first's (``line_pattern``: "Fluoxetine 20 mg") and such lines never follow one
another, the block is parted by shape: the shaped lines to one field, the lines under each to
the other. Both are flagged: a shape tells them apart, no label does. A value of the blank field
none of whose lines has that field's shape counts as blank.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from extraction.assign import Assigned
from extraction.doctypes import DocumentType, FieldSpec
from extraction.page_view import Candidate

PARTED_NOTE = "read from one block with {other}, told apart line by line by their shape: check both"


def part_interleaved(doc_type: DocumentType, assigned: dict[str, Assigned]) -> dict[str, Assigned]:
    """``assigned`` with every block of two interleaved fields parted between them."""
    parted = dict(assigned)
    for spec in doc_type.fields:
        if spec.lines_like is None:
            continue
        shaped = doc_type.field(spec.lines_like)
        if not shaped.line_pattern:
            continue
        for holder, blank in ((spec, shaped), (shaped, spec)):
            other = parted[blank.name].candidate
            split = _parted(parted[holder.name].candidate, shaped, None if _yields(other, blank) else other)
            if split is None:
                continue
            shaped_lines, other_lines = split
            held = parted[holder.name].candidate
            assert held is not None
            for field, lines, other in ((shaped, shaped_lines, spec), (spec, other_lines, shaped)):
                note = PARTED_NOTE.format(other=other.label.lower())
                candidate = replace(held, field=field.name, lines=lines, note=note)
                parted[field.name] = replace(parted[field.name], candidate=candidate, label_found=True)
            break
    return parted


def _yields(candidate: Candidate | None, spec: FieldSpec) -> bool:
    """True for a value none of whose lines has its field's shape ("MRN" / "8044824" read under
    "Prescribed medication"): it gives way to the field's own lines parted from a block by
    their shape (both flagged)."""
    shape = spec.line_pattern or spec.shape
    if candidate is None or not shape:
        return False
    return not any(re.match(shape, text.strip()) for text in candidate.texts)


def _parted(held: Candidate | None, shaped: FieldSpec, other: Candidate | None) -> tuple[tuple, tuple] | None:
    """The held block's lines shaped like ``shaped``'s and the rest, when the block interleaves
    them (opens with a shaped line, no two shaped lines in a row, some of each) and the other
    field holds nothing; else None. A column read from a table is no block."""
    if held is None or held.how == "table" or (other is not None and any(t.strip() for t in other.texts)):
        return None  # a table's column is one field's, row by row, whatever a cell's shape
    texts = held.texts
    if len(texts) < 2 or len(texts) != len(held.lines):
        return None
    is_shaped = [bool(re.match(shaped.line_pattern, text.strip())) for text in texts]
    if not is_shaped[0] or all(is_shaped) or any(a and b for a, b in itertools.pairwise(is_shaped)):
        return None
    lines = held.lines
    return (
        tuple(line for line, mark in zip(lines, is_shaped, strict=True) if mark),
        tuple(line for line, mark in zip(lines, is_shaped, strict=True) if not mark),
    )
