"""A learned value's spot read more closely than the page pass read it.

The layout knows where a value sits and what kind it is. A number, date or phone written one
character to a box comes back with the boxes' rules as brackets and bars; one that fails its
check is read again from its spot alone, enlarged and binarised (``extraction.ocr.read_region``
through the pipeline's region reader), and the second reading is taken only when it is sure and
passes the check, always flagged.
"""

from __future__ import annotations

import statistics

from extraction.doctypes import FieldSpec
from extraction.normalize import normalize
from extraction.reread import REREAD_MIN_CONFIDENCE, RegionReader
from extraction.types import Box, FieldResult, Word, union_box
from extraction.validate import check_value

# Kinds of value written one character to a box on some forms, and the characters OCR makes
# of the boxes' rules.
RULED_KINDS = ("date", "phone", "integer", "identifier")
# Kinds read again from their spot when they fail their check, and how.
REREAD_KINDS = ("date", "phone", "integer", "identifier")
REREAD_MODE = {"integer": "digits"}
BOX_RULES = frozenset("[]{}|")
# So many brackets and bars in one value are the rules of a comb of boxes.
MIN_COMB_RULES = 3


def read_spot_again(
    spec: FieldSpec, result: FieldResult, area: Box, learned_box: Box, height: float, reread: RegionReader
) -> FieldResult:
    """A number, date or phone that fails its check, or that was not read at all, read again
    from its spot alone, enlarged and binarised (digits only for a number): the words read
    there when there are any, else where the learned value stood. The second reading is
    taken only when it is sure enough and passes the check; the field is flagged either way."""
    if spec.kind not in REREAD_KINDS or (result.value and check_value(spec, result.value) is None):
        return result
    spot = result.box if result.box is not None else learned_box
    region = (
        round(max(area[0], spot[0] - 0.6 * height)),
        round(spot[1] - 0.3 * height),
        round(min(area[2], spot[2] + 1.0 * height)),
        round(spot[3] + 0.3 * height),
    )
    words = [
        w
        for w in reread(result.page, region, REREAD_MODE.get(spec.kind, "line"))
        if any(c.isalnum() for c in w.text)
    ]
    if not words or statistics.fmean(w.confidence for w in words) < REREAD_MIN_CONFIDENCE:
        return result
    lines = [words]
    again, _ = normalize(spec, [" ".join(w.text for w in words)])
    again, _, _ = without_box_rules(spec, lines, again, None)
    if not again or again == result.value or check_value(spec, again) is not None:
        return result
    found = FieldResult(
        again,
        min(w.confidence for w in words),
        False,
        page=result.page,
        box=union_box([w.box for w in words]),
    )
    found.flag(
        f"read {result.value!r} first, {again!r} read again from its spot"
        if result.value
        else "read again from a small crop: check it"
    )
    return found


def without_box_rules(
    spec: FieldSpec, lines: list[list[Word]], value: str, problem: str | None
) -> tuple[str, str | None, bool]:
    """A number, date or phone written one character to a box is read with the boxes' rules
    as brackets and bars ("[1[2]/[2]9]/|1]9|4|2" for 12/29/1942). When the value fails its
    check and passes it without them, it is read without them (the third item says so)."""
    text = [" ".join(w.text for w in line) for line in lines]
    if spec.kind not in RULED_KINDS or not value or check_value(spec, value) is None:
        return value, problem, False
    if not _read_rules(text):
        return value, problem, False
    bare = ["".join(c for c in line if c not in BOX_RULES) for line in text]
    again, again_problem = normalize(spec, bare)
    if not again or check_value(spec, again) is not None:
        return value, problem, False
    return again, again_problem, True


def _read_rules(text: list[str]) -> bool:
    """True when the brackets and bars read look like boxes' rules: one between most
    characters (a comb of boxes), or each at the edge of its word (a cell's border beside the
    value). One inside a number ("43]-622") is a misread digit, not a rule."""
    words = [word for line in text for word in line.split()]
    count = sum(c in BOX_RULES for word in words for c in word)
    if count == 0:
        return False
    if count >= MIN_COMB_RULES:
        return True
    return all(c not in BOX_RULES for word in words for c in word.strip("".join(BOX_RULES)))
