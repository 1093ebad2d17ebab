"""Fields asked for in parts: a name in Last | First | M.I. boxes, an address in Street / City /
State / ZIP lines. Each part is read as a field of its own (``DocumentType.with_parts``); when
the field itself was not found, or took only what one of its parts took, its value is put
together from the parts, and flagged: the order and spelling of what was assembled are for the
clerk to confirm."""

from __future__ import annotations

import re

from extraction.assign import Assigned
from extraction.doctypes import FieldSpec
from extraction.normalize import normalize
from extraction.types import FieldResult, union_box

PARTS_NOTE = "put together from its parts ({}): check the order and spelling"


def from_parts(spec: FieldSpec, result: FieldResult, assigned: dict[str, Assigned]) -> FieldResult:
    """``result``, or the value its parts make: when the field gave none of its own, took only
    what one of its parts took, or (``parts_own``) stands over one of its parts and is not
    whole by the field's pattern."""
    read: dict[str, str] = {}
    boxes, confidences, page = [], [], None
    took_a_part = False  # the field's label matched a part's ("Name" in "Last name")
    for part in spec.part_specs:
        candidate = assigned[part.name].candidate
        value = normalize(part, candidate.texts)[0] if candidate is not None and candidate.words else ""
        took_a_part |= bool(value) and value == result.value
        if value:
            read[part.name.split(".", 1)[1]] = value
            boxes += [w.box for w in candidate.words]
            confidences += [w.confidence for w in candidate.words]
            page = candidate.page if page is None else page
    if all(value == result.value for value in read.values()):
        return result  # no part read, or only what the field read itself
    whole = bool(spec.pattern and re.search(spec.pattern, result.value))
    if result.value and spec.parts_own and spec.parts_own not in read and not whole:
        # The field's own label stood over one of its parts; a value whole by its own pattern (a
        # phone with its area code) is the field's, whatever a part's label stands over.
        read[spec.parts_own] = result.value
        boxes += [result.box] if result.box else []
        confidences.append(result.confidence)
    elif result.value and not took_a_part:
        return result  # read in its own right
    composed = FieldResult(
        fill_parts(spec.parts_format, read),
        min(confidences),
        needs_review=False,
        page=result.page if page is None else page,
        box=union_box(boxes),
    )
    composed.flag(PARTS_NOTE.format(", ".join(name for name in read)))
    return composed


def fill_parts(template: str, parts: dict[str, str]) -> str:
    """``template`` with each ``{part}`` replaced by its value; a missing part goes with the
    commas and spaces it leaves, and a line left empty goes."""
    lines = []
    for line in template.split("\n"):
        filled = re.sub(r"{(\w+)}", lambda m: parts.get(m.group(1), ""), line)
        filled = re.sub(r"\s*,(\s*,)+", ",", filled)  # a comma left alone by a missing part
        filled = re.sub(r"\s+,", ",", filled)
        filled = re.sub(r"\s{2,}", " ", filled).strip(" ,")
        if filled:
            lines.append(filled)
    return "\n".join(lines)
