"""A list item written whole on one line: a medicine with its directions after it ("Amoxicillin
875 mg - take 1 tab twice daily for 7 days", "Cetirizine 10 mg 1 tab at bedtime"), as forms
get it on a free line ("Other medicine: ...") and as prescribers write in a hurry.

The field whose lines are the items (``one_per_shaped_line_of``: medicines) keeps the part of
the line shaped like one of its own lines; the field it names (directions) gets the rest, in
reading order among its lines. A line is parted only where both parts wholly take the shapes
of their fields, so a line that reads otherwise is left as it was read.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.doctypes import DocumentType, FieldSpec
from extraction.doses import repair_doses
from extraction.page_view import Candidate, strip_list_mark
from extraction.types import Word

# What may stand between the item and what follows it ("875 mg - take", "10 mg: take").
SEPARATORS = "-–—:,;"
# Said of a directions line taken from a medicine's line.
PARTED_NOTE = "a medicine and its directions were read on one line and parted: check both"


def split_item_lines(doc_type: DocumentType, chosen: dict[str, Candidate]) -> dict[str, Candidate]:
    """``chosen`` with each line of an item field that holds an item and its directions parted:
    the item's words stay with it, the directions' words join the field it names."""
    result = dict(chosen)
    for spec in doc_type.fields:
        if not spec.one_per_shaped_line_of or spec.name not in result or not spec.line_pattern:
            continue
        other = doc_type.field(spec.one_per_shaped_line_of)
        found = result.get(other.name)
        if not other.shape or (found is not None and found.words and found.page != result[spec.name].page):
            continue  # the directions are on another page: which item is whose is not told here
        items, tails = _parted(spec, other, result[spec.name])
        if not tails:
            continue
        result[spec.name] = replace(result[spec.name], lines=items)
        result[other.name] = _with_lines(other, result.get(other.name), result[spec.name], tails)
    return result


def _parted(
    spec: FieldSpec, other: FieldSpec, candidate: Candidate
) -> tuple[tuple[tuple[Word, ...], ...], list[tuple[Word, ...]]]:
    """The candidate's lines with each whole item cut from its directions, and those directions."""
    items: list[tuple[Word, ...]] = []
    tails: list[tuple[Word, ...]] = []
    for line in candidate.lines:
        cut = item_and_rest(line, spec, other)
        if cut is None:
            items.append(line)
        else:
            items.append(cut[0])
            tails.append(cut[1])
    return tuple(items), tails


def item_and_rest(
    line: tuple[Word, ...], spec: FieldSpec, other: FieldSpec
) -> tuple[tuple[Word, ...], tuple[Word, ...]] | None:
    """``line`` cut where its words before wholly match ``spec``'s line pattern (its doses
    repaired as the field reads them) and its words after, a separator dropped, wholly match
    ``other``'s shape; None when no cut does. The first such cut is taken: an item is short."""
    item_shape = re.compile(spec.line_pattern or "")
    rest_shape = re.compile(other.shape or "")
    for cut in range(2, len(line)):
        head = [w.text for w in line[:cut]]
        rest = list(line[cut:])
        while rest and not rest[0].text.strip(SEPARATORS):
            rest = rest[1:]
        if not rest:
            break
        head_text = strip_list_mark(" ".join(head)).rstrip(SEPARATORS + " ")
        head_text = repair_doses(head_text, spec.units)[0] if spec.dose_lines else head_text
        rest_text = " ".join(w.text for w in rest)
        if item_shape.fullmatch(head_text) and rest_shape.match(rest_text):
            return tuple(line[:cut]), tuple(rest)
    return None


def _with_lines(
    spec: FieldSpec, candidate: Candidate | None, item: Candidate, tails: list[tuple[Word, ...]]
) -> Candidate:
    """``candidate`` (None: the field had no value; else on ``item``'s page) with ``tails``
    among its lines, top to bottom, flagged: the cut rests on the line's reading alone."""
    if candidate is None or not candidate.words:
        return Candidate(spec.name, item.page, tuple(tails), "find_lines", note=PARTED_NOTE)
    lines = sorted((*candidate.lines, *tails), key=lambda line: (line[0].box[1], line[0].box[0]))
    return replace(candidate, lines=tuple(lines[: spec.max_lines]), trusted=False, note=PARTED_NOTE)
