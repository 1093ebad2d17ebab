"""A second look at a value that failed its check: its own spot read again, alone.

The page pass reads a whole page at once; a small crop read on its own, enlarged and binarised,
often sets right a digit the page pass got wrong ("70/08/2016" for 20/08/2016 on a fax, "1"
for the "142" on an underline). A second reading is taken only when it passes the field's
check, and the field stays flagged either way, with both readings in its reason.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import replace

from extraction.doctypes import FieldSpec
from extraction.normalize import normalize
from extraction.types import Box, FieldResult, PageText, Word
from extraction.validate import check_value

RegionReader = Callable[[int, Box, str], list[Word]]

# Kinds whose value is read again when it fails its check; numbers are always read again, as
# the page pass loses digits of short numbers on forms.
REREAD_KINDS = ("date", "phone", "integer")
# A crop read below this mean word confidence is noise, not a value.
REREAD_MIN_CONFIDENCE = 0.6


def reread_invalid(
    spec: FieldSpec, result: FieldResult, pages: list[PageText], reread: RegionReader
) -> FieldResult:
    """``result``, or a copy with the value read again from its box when that reading is better."""
    if spec.kind not in REREAD_KINDS or not result.value or result.box is None or "\n" in result.value:
        return result
    problem = check_value(spec, result.value)
    if problem is None and spec.kind != "integer":
        return result
    words = [
        w for w in reread(result.page, _around(result.box), _mode(spec)) if any(c.isalnum() for c in w.text)
    ]
    if not words or statistics.fmean(w.confidence for w in words) < REREAD_MIN_CONFIDENCE:
        return result
    again, _ = normalize(spec, [" ".join(w.text for w in words)])
    if not again or again == result.value or check_value(spec, again) is not None:
        return result
    flagged = replace(result, value=again)
    if problem is not None:
        flagged.flag(f"read {result.value!r} first, {again!r} read again from its spot")
    else:
        flagged.flag(f"readings disagree: {result.value!r} on the page, {again!r} read again")
    return flagged


def _mode(spec: FieldSpec) -> str:
    return "digits" if spec.kind == "integer" else "line"


def _around(box: Box) -> Box:
    height = box[3] - box[1]
    return (
        int(box[0] - 0.6 * height),
        int(box[1] - 0.3 * height),
        int(box[2] + 1.0 * height),
        int(box[3] + 0.3 * height),
    )
