"""A second look at a value that failed its check: its own spot read again, alone.

The page pass reads a whole page at once; a small crop read on its own, enlarged and binarised,
often sets right a digit the page pass got wrong ("70/08/2016" for 20/08/2016 on a fax, "1"
for the "142" on an underline). A second reading is taken only when it passes the field's
check, and the field stays flagged either way, with both readings in its reason.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import replace

from extraction.doctypes import FieldSpec
from extraction.layout import group_lines
from extraction.normalize import normalize
from extraction.types import Box, FieldResult, PageText, Word
from extraction.unlabelled import after_a_word, region_pixels
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
    read = reread(result.page, around_value(result.box), _mode(spec))
    words = [w for w in read if any(c.isalnum() for c in w.text)]
    if not words or statistics.fmean(w.confidence for w in words) < REREAD_MIN_CONFIDENCE:
        return result
    again, _ = normalize(spec, [" ".join(w.text for w in words)])
    if not again or again == result.value or check_value(spec, again) is not None:
        return result
    if problem is not None:
        flagged = replace(result, value=again)
        flagged.flag(f"read {result.value!r} first, {again!r} read again from its spot")
    elif _digits(again) > _digits(result.value):
        # The page pass lost digits of a short number ("37" for 137): the crop read them.
        flagged = replace(result, value=again)
        flagged.flag(f"readings disagree: {result.value!r} on the page, {again!r} read again")
    else:
        # As many digits or fewer: the crop, read alone, is no likelier right than the page
        # ("176" on the page, "76" read again; "2" and "9").
        flagged = replace(result)
        flagged.flag(
            f"readings disagree: {result.value!r} on the page, {again!r} read again; the page's kept"
        )
    return flagged


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def reread_blank(
    spec: FieldSpec,
    result: FieldResult,
    key_box: Box,
    height: float,
    reread: RegionReader,
    value_cell: Box | None = None,
) -> FieldResult:
    """A labelled number, date or phone whose value the page pass did not read (a digit on an
    underline, a lone digit in a cell, faint print): the cell beside the label's when it has
    one (``value_cell``), the spot beside the label, then under it, read again alone. Only a
    confident reading that passes the field's check is taken; it stays flagged."""
    if spec.kind not in REREAD_KINDS or result.value:
        return result
    x0, y0, x1, y1 = key_box
    beside = (x1, int(y0 - 0.4 * height), int(x1 + 10 * height), int(y1 + 0.4 * height))
    below = (int(x0 - 0.5 * height), y1, int(max(x1, x0 + 6 * height)), int(y1 + 2.5 * height))
    for region in (value_cell, beside, below) if value_cell else (beside, below):
        words = [w for w in reread(result.page, region, _mode(spec)) if any(c.isalnum() for c in w.text)]
        if not words or statistics.fmean(w.confidence for w in words) < REREAD_MIN_CONFIDENCE:
            continue
        value, _ = normalize(spec, [" ".join(w.text for w in words)])
        if (
            value
            and check_value(spec, value) is None
            and (spec.pattern is None or re.search(spec.pattern, value))
        ):
            found = replace(result, value=value, confidence=min(w.confidence for w in words))
            found.box = (min(w.box[0] for w in words), min(w.box[1] for w in words),
                         max(w.box[2] for w in words), max(w.box[3] for w in words))  # fmt: skip
            found.flag("read again from a small crop: check it")
            return found
    return result


def reread_region(spec: FieldSpec, page: PageText, reread: RegionReader) -> FieldResult | None:
    """An unlabelled value the page pass missed in its region (small print alone in a corner),
    read again enlarged: the first match of the field's ``find`` pattern, always flagged."""
    if not spec.find or spec.page not in (None, page.index):
        return None
    x0, y0, x1, y1 = region_pixels(page, spec.region)
    box = (int(x0), int(y0), int(x1), int(y1))
    words = reread(page.index, box, "block")
    for line in group_lines(words):
        match = re.search(spec.find, line.text)
        if (
            match
            and line.confidence >= REREAD_MIN_CONFIDENCE
            and not after_a_word(line.text[: match.start()])
        ):
            value, _ = normalize(spec, [match.group(0)])
            if value and check_value(spec, value) is None:
                found = FieldResult(value, line.confidence, needs_review=False, page=page.index, box=line.box)
                found.flag("read again from a small crop: check it")
                return found
    return None


def _mode(spec: FieldSpec) -> str:
    return "digits" if spec.kind == "integer" else "line"


def around_value(box: Box) -> Box:
    """A value's box with room for the strokes OCR left outside it (may reach off the page)."""
    height = box[3] - box[1]
    return (
        int(box[0] - 0.6 * height),
        int(box[1] - 0.3 * height),
        int(box[2] + 1.0 * height),
        int(box[3] + 0.3 * height),
    )


def reread_option_header(
    spec: FieldSpec, result: FieldResult, page: int, header: Box, reread: RegionReader
) -> FieldResult:
    """A ticked cell of an answer grid whose column header the page pass did not read (a lone
    "Y" or "N" is often dropped), or a ticked box whose option beside it was not read: that
    header or option read again alone, unless what was read already answers the field (the
    option of a box OCR ran into it, "KRY", does not). Taken only when it reads confidently as
    one of the field's answers; it stays flagged."""
    if result.value and check_value(spec, result.value) is None:
        return result
    words = [w for w in reread(page, header, "option") if any(c.isalnum() for c in w.text)]
    if not words or statistics.fmean(w.confidence for w in words) < REREAD_MIN_CONFIDENCE:
        return result
    text = " ".join(w.text for w in words)
    value, _ = normalize(spec, [text])
    if not value or check_value(spec, value) is not None:
        return result
    found = replace(result, value=value, confidence=min(w.confidence for w in words), page=page, box=header)
    found.reason = None
    found.needs_review = False
    found.flag(f"the ticked option read again on its own as {text!r}")
    return found
