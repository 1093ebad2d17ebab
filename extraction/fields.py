"""Read each field of a document type from the page lines, with the evidence for it.

A field's printed label (or the field it follows, or a regex in a region) gives an anchor; the
value is the rest of the anchor's line (``right``) or the lines under it in the same column
(``below``), stopping at the next label, a wide vertical gap or ``max_lines``. Every result says
how sure it is and, when it is not, why.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace

from extraction.doctypes import DocumentType, FieldSpec
from extraction.layout import SURE_CONFIDENCE, LabelMatch, group_lines, is_sure_text, match_label
from extraction.normalize import normalize
from extraction.types import Box, FieldResult, Line, PageText, Word, union_box
from extraction.validate import check_value

# Reads the words inside a box of a page again: (page index, box, mode) -> words in page pixels,
# mode "line" (one line), "digits" (one line, digits only) or "block" (an area, enlarged).
# Injected so this module never calls tesseract itself; None in tests without OCR.
RegionReader = Callable[[int, Box, str], list[Word]]

LABEL_MIN_SCORE = 0.8
# A value printed beside its label sits within this many line heights of it.
BESIDE_MAX_GAP = 8.0
# Labels within this many line heights above or below a label make up the columns around it.
LABEL_COLUMN_REACH = 8.0
# Kinds whose value is read again when it fails its check (integers have their own re-read).
REREAD_WHEN_INVALID = ("date", "phone")
# An unsure line under this share of the typical line height is noise, never a value's line.
NOISE_HEIGHT_SHARE = 0.6
# A crop re-read below this mean word confidence is noise, not a value.
REREAD_MIN_CONFIDENCE = 0.6
# A line this much taller than the page's text and at most 2 characters long is a glyph (the Rx
# mark, a logo), never a value.
GLYPH_HEIGHT_RATIO = 1.6
# A label found with less similarity than this is itself a reason to check the value.
LABEL_SURE_SCORE = 0.9


@dataclass(frozen=True)
class Anchor:
    """Where a field's value starts: a page, the column it sits in, and words already read."""

    page: int
    box: Box
    line: Line | None
    words_after: tuple[Word, ...]
    score: float


@dataclass(frozen=True)
class Found:
    """The raw material of a value: its lines' texts and words, and the anchor's sureness."""

    page: int
    texts: list[str]
    words: list[Word]
    anchor_score: float
    reread: bool = False
    anchor_line: Line | None = None
    note: str | None = None
    """A doubt found while reading (two readings that disagree), added to the field's reason."""


def extract_fields(
    doc_type: DocumentType,
    pages: list[PageText],
    review_confidence: float,
    reread: RegionReader | None = None,
) -> dict[str, FieldResult]:
    """Every field of ``doc_type`` read from ``pages``, in the type's order, each with evidence.

    When a label is found but the page's OCR has nothing readable where its value belongs
    (small or faint print, a digit on an underline), ``reread`` reads just that spot again.
    """
    results: dict[str, FieldResult] = {}
    # Per field, the line a following field anchors on: its value's last line, or where the
    # value should have been (its label's line) when the document leaves it blank.
    found_lines: dict[str, tuple[int, Line | None]] = {}
    for spec in doc_type.fields:
        found, reason = _find(spec, doc_type, pages, found_lines, reread)
        results[spec.name] = _to_result(spec, found, reason, review_confidence)
        found_lines[spec.name] = (found.page, _last_line_of(found, pages) or found.anchor_line)
    return results


def _find(
    spec: FieldSpec,
    doc_type: DocumentType,
    pages: list[PageText],
    found_lines: dict[str, tuple[int, Line | None]],
    reread: RegionReader | None,
) -> tuple[Found, str | None]:
    if spec.find:
        found, reason = _find_by_regex(spec, doc_type, pages)
        if reread and not found.words:
            again = _reread_find_region(spec, doc_type, pages, reread)
            return (again, None) if again else (found, reason)
        if reread:
            found = _reread_if_invalid(spec, pages[found.page], found, reread)
        return found, reason
    anchor = _anchor_for(spec, doc_type, pages, found_lines)
    if anchor is None and spec.or_after:
        return _find_after_instead(spec, doc_type, pages, found_lines)
    if anchor is None:
        missing = f"the value of {spec.after} it follows" if spec.after else f"the label {spec.labels[0]!r}"
        return Found(0, [], [], 0.0), f"{missing} was not found"
    found = replace(_read_value(spec, doc_type, pages[anchor.page], anchor), anchor_line=anchor.line)
    if reread and spec.labels and not _has_expected_value(spec, found):
        again = _reread_value(spec, doc_type, pages[anchor.page], anchor, reread)
        found = replace(again, anchor_line=anchor.line) if again else found
    elif reread and spec.kind == "integer" and found.words:
        found = _verify_number(spec, pages[anchor.page], anchor, found, reread)
    elif reread:
        found = _reread_if_invalid(spec, pages[anchor.page], found, reread)
    return found, None


def _find_after_instead(
    spec: FieldSpec,
    doc_type: DocumentType,
    pages: list[PageText],
    found_lines: dict[str, tuple[int, Line | None]],
) -> tuple[Found, str]:
    """A labelled field whose label was not read, looked for below ``spec.or_after``'s value.

    Only a value that fits the field's pattern is taken (the garbled label line is skipped),
    and it is always flagged: the label that would confirm it was not read.
    """
    missing = f"the label {spec.labels[0]!r} was not found"
    unlabelled = replace(spec, labels=(), after=spec.or_after, position="below")
    anchor = _anchor_for(unlabelled, doc_type, pages, found_lines)
    if anchor is None:
        return Found(0, [], [], 0.0), missing
    found = _read_value(unlabelled, doc_type, pages[anchor.page], anchor)
    if not found.words:
        return Found(0, [], [], 0.0), missing
    return replace(found, anchor_line=anchor.line), f"{missing}; taken from below {spec.or_after}"


def _anchor_for(
    spec: FieldSpec,
    doc_type: DocumentType,
    pages: list[PageText],
    found_lines: dict[str, tuple[int, Line | None]],
) -> Anchor | None:
    if spec.after:
        page, line = found_lines.get(spec.after, (0, None))
        if line is None:
            return None
        return Anchor(page, line.box, line, (), 1.0)
    # Rank: set like a label first, then similarity; on a tie the first in reading order wins.
    best: tuple[tuple[bool, float], int, LabelMatch] | None = None
    for page in _pages_for(spec, pages):
        for line in page.lines:
            for phrase in spec.labels:
                match = match_label(line, phrase, LABEL_MIN_SCORE)
                if match is None or _better_label_elsewhere(match, spec, doc_type):
                    continue
                rank = (match.looks_like_label, round(match.score, 6))
                if best is None or rank > best[0]:
                    best = (rank, page.index, match)
    if best is None:
        return None
    _, page_index, match = best
    return Anchor(page_index, match.box, match.line, match.after, match.score)


def _better_label_elsewhere(match: LabelMatch, spec: FieldSpec, doc_type: DocumentType) -> bool:
    """True when another label fits the same words better: "Weight" read where "Height" was
    expected belongs to the weight field, even if the Height label is missing."""
    for other in doc_type.fields:
        if other.name == spec.name:
            continue
        for phrase in other.labels:
            rival = match_label(match.line, phrase, match.score + 0.01)
            if rival and rival.start <= match.start < rival.end:
                return True
    # A longer printed label that is no field's holds the words just as well: "Phone" inside
    # "Work phone" is the work phone's label, not the home phone's.
    for phrase in doc_type.stop_labels:
        if phrase in spec.labels:
            continue
        rival = match_label(match.line, phrase, match.score)
        longer = rival is not None and rival.end - rival.start > match.end - match.start
        if rival and longer and rival.start <= match.start < rival.end:
            return True
    return False


def _pages_for(spec: FieldSpec, pages: list[PageText]) -> list[PageText]:
    if spec.page is None:
        return pages
    return [p for p in pages if p.index == spec.page]


def _under_a_label(line: Line, page: PageText, doc_type: DocumentType) -> bool:
    """True when the nearest line above ``line`` in its column is a printed label."""
    above = [ln for ln in page.lines if ln.box[3] <= line.box[1] + 2 and _overlaps(ln.box, line.box)]
    if not above:
        return False
    nearest = max(above, key=lambda ln: ln.box[3])
    return _is_label_line(nearest, doc_type)


def _find_by_regex(
    spec: FieldSpec, doc_type: DocumentType, pages: list[PageText]
) -> tuple[Found, str | None]:
    assert spec.find is not None
    pattern = re.compile(spec.find)
    for page in _pages_for(spec, pages):
        for line in _lines_in_region(page, spec.region):
            if _under_a_label(line, page, doc_type):
                continue  # that is another field's value (the birth date), not an unlabelled one
            match = pattern.search(line.text)
            if match:
                words = _words_of_span(line, match.start(), match.end())
                return Found(page.index, [match.group(0)], words, 1.0), None
        if spec.fallback == "first_line" and page.lines:
            line = page.lines[0]
            return Found(page.index, [line.text], list(line.words), 0.5), "taken from the first line"
    return Found(0, [], [], 0.0), "not found where expected"


def _reread_find_region(
    spec: FieldSpec, doc_type: DocumentType, pages: list[PageText], reread: RegionReader
) -> Found | None:
    """Read a ``find`` field's region again, enlarged, when the page pass found nothing there.

    Small print alone in a corner (the record date) can be missed by the page pass entirely;
    read on its own at twice the size it is (measured: "26/02/2020" at 0.96 on a speckled page
    whose page pass had no line there). A match inside a line the page pass read under a label
    is that label's value, not this field's. Always flagged as a re-read.
    """
    assert spec.find is not None
    pattern = re.compile(spec.find)
    for page in _pages_for(spec, pages):
        x0, y0, x1, y1 = (int(edge) for edge in _region_pixels(page, spec.region))
        box = (x0, y0, x1, y1)
        taken = [ln.box for ln in page.lines if _under_a_label(ln, page, doc_type)]
        for line in group_lines(reread(page.index, box, "block")):
            match = pattern.search(line.text)
            if not match or any(_same_spot(line.box, other) for other in taken):
                continue
            words = _words_of_span(line, match.start(), match.end())
            if statistics.fmean(w.confidence for w in words) >= REREAD_MIN_CONFIDENCE:
                return Found(page.index, [match.group(0)], words, 1.0, reread=True)
    return None


def _same_spot(a: Box, b: Box) -> bool:
    return _overlaps(a, b) and _overlaps_vertically(a, b)


def _region_pixels(page: PageText, region: tuple[float, float, float, float]) -> tuple[float, ...]:
    """A region given in page fractions (x0, y0, x1, y1), in the page's pixels."""
    return (region[0] * page.width, region[1] * page.height, region[2] * page.width, region[3] * page.height)


def _lines_in_region(page: PageText, region: tuple[float, float, float, float]) -> list[Line]:
    x0, y0, x1, y1 = _region_pixels(page, region)
    inside = []
    for line in page.lines:
        lx0, ly0, lx1, ly1 = line.box
        if lx1 >= x0 and lx0 <= x1 and ly0 >= y0 - 1 and ly1 <= y1 + 1:
            inside.append(line)
    return inside


def _words_of_span(line: Line, start: int, end: int) -> list[Word]:
    """The words of ``line`` overlapping characters [start, end) of ``line.text``."""
    words, offset = [], 0
    for word in line.words:
        w_start, w_end = offset, offset + len(word.text)
        if w_end > start and w_start < end:
            words.append(word)
        offset = w_end + 1
    return words


def _read_value(spec: FieldSpec, doc_type: DocumentType, page: PageText, anchor: Anchor) -> Found:
    right = _words_right_of(anchor, page, doc_type, spec) if spec.position != "below" else []
    texts: list[str] = []
    words: list[Word] = []
    if right and _has_value_text(right):
        texts.append(" ".join(w.text for w in right))
        words.extend(right)
        if spec.max_lines > 1:
            column = union_box([w.box for w in right])
            assert column is not None
            more = _lines_below(
                page, column, doc_type, spec, start_gap=spec.max_gap, limit=spec.max_lines - 1
            )
            texts += [line.text for line in more]
            words += [w for line in more for w in line.words]
    elif spec.position != "right":
        column = (anchor.box[0], anchor.box[1], page.width, anchor.box[3]) if spec.wide else anchor.box
        below = _lines_below(page, column, doc_type, spec, start_gap=spec.max_first_gap, limit=spec.max_lines)
        texts = [line.text for line in below]
        words = [w for line in below for w in line.words]
    return Found(page.index, texts, words, anchor.score)


def _words_right_of(anchor: Anchor, page: PageText, doc_type: DocumentType, spec: FieldSpec) -> list[Word]:
    """The value words right of a label: the rest of its line, else a line just beside it on
    the same row (OCR often puts a number on an underline in a line of its own), up to the next
    label. A line beyond BESIDE_MAX_GAP line heights, or starting at the left edge of other
    labels (an unlabelled address in the next column, level with a tall label), is the next
    column, never this value."""
    words = _until_next_label(_after_label_tail(list(anchor.words_after), anchor), doc_type)
    if _has_value_text(words):
        return words
    reach = anchor.box[2] + BESIDE_MAX_GAP * _typical_height(page)
    beside = [
        line
        for line in page.lines
        if anchor.box[2] - 2 <= line.box[0] <= reach
        and line is not anchor.line
        and _overlaps_vertically(line.box, anchor.box)
        and not _is_label_line(line, doc_type)
        and _fits_pattern(spec, line.text)
    ]
    if not beside:
        return words
    # A line that starts where the labels of a nearby column start belongs to that column.
    height = _typical_height(page)
    label_edges = [
        ln.box[0]
        for ln in page.lines
        if ln is not anchor.line
        and abs(ln.box[1] - anchor.box[1]) <= LABEL_COLUMN_REACH * height
        and _is_label_line(ln, doc_type)
    ]
    beside = [ln for ln in beside if all(abs(ln.box[0] - edge) > height for edge in label_edges)]
    if not beside:
        return words
    nearest = min(beside, key=lambda line: line.box[0])
    return _until_next_label(list(nearest.words), doc_type)


def _fits_pattern(spec: FieldSpec, text: str) -> bool:
    """True when ``text``, read as this field's value ("O" as a refill count is 0), fits its pattern."""
    if not spec.pattern:
        return True
    value, _ = normalize(spec, [text])
    return bool(value) and re.search(spec.pattern, value) is not None


def _after_label_tail(words: list[Word], anchor: Anchor) -> list[Word]:
    """Drop the rest of a label printed after the phrase matched: "Weight (kg): 95" -> "95".

    When the matched label has no colon yet and one of the next few words ends with one, the
    words up to it are a unit or a qualifier of the label, not the value.
    """
    label_words = anchor.line.words if anchor.line else ()
    matched_end = len(label_words) - len(words)
    if matched_end > 0 and label_words[matched_end - 1].text.endswith((":", "?")):
        return words
    for index, word in enumerate(words[:4]):
        if word.text.endswith((":", "?")):
            return words[index + 1 :]
    return words


def _until_next_label(words: list[Word], doc_type: DocumentType) -> list[Word]:
    """The words before the next label on the same line ("Maria Sharapova Date: 5/11/2022" when
    the column gap was too narrow to split the line)."""
    for index in range(1, len(words)):
        rest = Line(tuple(words[index:]))
        for phrase in doc_type.all_labels:
            match = match_label(rest, phrase, 0.85)
            if match and match.start == 0 and match.words[-1].text.endswith(":"):
                return words[:index]
    return words


def _has_expected_value(spec: FieldSpec, found: Found) -> bool:
    text = " ".join(found.texts)
    if spec.pattern:
        return re.search(spec.pattern, text) is not None
    return _has_value_text(found.words)


def _reread_value(
    spec: FieldSpec, doc_type: DocumentType, page: PageText, anchor: Anchor, reread: RegionReader
) -> Found | None:
    """Read the spot where the value should be once more; None when that finds nothing usable.

    A re-read must be confident and fit the field's pattern: dust read as "ee" under an empty
    answer must stay a flagged blank, not become a value.
    """
    h = _typical_height(page)
    x0, y0, x1, y1 = anchor.box
    regions = []
    if spec.position != "below":
        regions.append((x1, int(y0 - 0.4 * h), _right_limit(page, anchor), int(y1 + 0.4 * h)))
    if spec.position != "right":
        # Down to the next label in the column: the misread value line itself lies in between.
        labels_below = [
            ln.box[1]
            for ln in page.lines
            if ln.box[1] > y1 and _overlaps(ln.box, anchor.box) and _is_label_line(ln, doc_type)
        ]
        bottom = min(min(labels_below, default=int(y1 + 3 * h)), int(y1 + 3 * h))
        regions.append((int(x0 - 0.5 * h), y1, int(max(x1, x0 + 6 * h)), bottom))
    for region in regions:
        words = _keep_text(reread(page.index, region, "digits" if spec.kind == "integer" else "line"))
        text = " ".join(w.text for w in words)
        if not words or statistics.fmean(w.confidence for w in words) < REREAD_MIN_CONFIDENCE:
            continue
        if not _fits_pattern(spec, text):  # judged as a value: "O" read for 0 still counts
            continue
        if not spec.pattern and sum(ch.isalnum() for ch in text) < 2:
            continue  # a lone "I": a speck on a blank answer, never an address or a name
        return Found(page.index, [text], words, anchor.score, reread=True)
    return None


def _verify_number(
    spec: FieldSpec, page: PageText, anchor: Anchor, found: Found, reread: RegionReader
) -> Found:
    """Read a number's spot again, digits only, and settle disagreements.

    On sparse forms the page pass loses digits of short numbers ("142" read as a sure "1");
    a one-line, digits-only read of the same spot does not. When the two disagree, the
    targeted reading wins, unless it is doubtful and less sure than the page pass, and the
    field is flagged with both.
    """
    h = _typical_height(page)
    box = union_box([w.box for w in found.words])
    assert box is not None
    x0 = min(box[0], anchor.box[0]) - 0.5 * h
    x1 = min(
        max(box[2], anchor.box[0] + 6 * h), _right_limit(page, anchor) if box[1] < anchor.box[3] else 1e9
    )
    region = (int(x0), int(box[1] - 0.3 * h), int(max(x1, box[2] + h)), int(box[3] + 0.3 * h))
    words = _keep_text(reread(page.index, region, "digits"))
    page_value, _ = normalize(spec, found.texts)
    crop_value, _ = normalize(spec, [" ".join(w.text for w in words)])
    if not words or not crop_value or crop_value == page_value:
        return found
    crop_confidence = statistics.fmean(w.confidence for w in words)
    if crop_confidence < min(REREAD_MIN_CONFIDENCE, statistics.fmean(w.confidence for w in found.words)):
        return replace(found, note=f"a second reading gave {crop_value!r}")
    return replace(
        found,
        texts=[" ".join(w.text for w in words)],
        words=words,
        reread=True,
        note=f"readings disagree: {page_value!r} on the page pass, {crop_value!r} read again",
    )


def _reread_if_invalid(spec: FieldSpec, page: PageText, found: Found, reread: RegionReader) -> Found:
    """A one-line date or phone number that fails its check, read once more from its own box.

    The crop is read on its own, enlarged and binarised, which often sets right what the page
    pass got wrong ("70/08/2016" for 20/08/2016 on a fax). The second reading is taken only
    when it passes the check; the field stays flagged either way.
    """
    if spec.kind not in REREAD_WHEN_INVALID or len(found.texts) != 1 or not found.words:
        return found
    value, _ = normalize(spec, found.texts)
    if not value or check_value(spec, value) is None:
        return found
    h = _typical_height(page)
    box = union_box([w.box for w in found.words])
    assert box is not None
    region = (int(box[0] - 0.5 * h), int(box[1] - 0.3 * h), int(box[2] + 0.5 * h), int(box[3] + 0.3 * h))
    words = _keep_text(reread(page.index, region, "line"))
    text = " ".join(w.text for w in words)
    again, _ = normalize(spec, [text])
    if not again or check_value(spec, again) is not None:
        return found
    note = f"read {value!r} first, {again!r} again"
    return replace(found, texts=[text], words=words, reread=True, note=note)


def _right_limit(page: PageText, anchor: Anchor) -> int:
    """Where the value right of a label must end: the next column on that row, or the page edge.

    A line of one or two characters is no column: it is the value itself misread ("1" on an
    underline read as "i"), and the region read again must take it in.
    """
    x1 = anchor.box[2]
    row = [
        ln
        for ln in page.lines
        if ln.box[0] > x1
        and _overlaps_vertically(ln.box, anchor.box)
        and sum(ch.isalnum() for ch in ln.text) > 2
    ]
    return min((ln.box[0] for ln in row), default=page.width)


def _overlaps_vertically(a: Box, b: Box) -> bool:
    """True when the boxes share at least a third of the shorter one's height: on the same row,
    not a line of the next row whose top touches a tall label's bottom (measured: 1 px)."""
    shared = min(a[3], b[3]) - max(a[1], b[1])
    return shared > min(a[3] - a[1], b[3] - b[1]) / 3


def _keep_text(words: list[Word]) -> list[Word]:
    return [w for w in words if any(ch.isalnum() for ch in w.text)]


def _has_value_text(words: list[Word]) -> bool:
    return any(any(ch.isalnum() for ch in w.text) for w in words)


def _starts_below(box: Box, bottom: int, line_height: float) -> bool:
    """True when a line lies under ``bottom``: its top within 0.3 line heights above it, or its
    middle below it (a label's box made tall by a "?" reaches into the answer under it)."""
    return box[1] >= bottom - line_height * 0.3 or (box[1] + box[3]) / 2 >= bottom


def _lines_below(
    page: PageText, column: Box, doc_type: DocumentType, spec: FieldSpec, start_gap: float, limit: int
) -> list[Line]:
    """Value lines under ``column``: overlapping it horizontally, in order, until a stop."""
    line_height = _typical_height(page)
    candidates = [
        line
        for line in page.lines
        if _starts_below(line.box, column[3], line_height) and _overlaps(line.box, column)
    ]
    candidates.sort(key=lambda line: line.box[1])
    taken: list[Line] = []
    bottom = column[3]
    searched = 0
    for line in candidates:
        allowed_gap = start_gap if not taken else spec.max_gap
        if line.box[1] - bottom > allowed_gap * line_height or _is_label_line(line, doc_type):
            break
        if (
            _is_glyph(line, line_height)
            or _is_noise_line(line, line_height)
            or (spec.exclude and re.match(spec.exclude, line.text.strip()))
        ):
            continue
        if not taken and spec.pattern and not re.search(spec.pattern, line.text):
            searched += 1
            if searched >= spec.search_lines:
                break
            bottom = line.box[3]
            continue
        taken.append(line)
        bottom = line.box[3]
        if len(taken) >= limit:
            break
    return taken


def _is_noise_line(line: Line, line_height: float) -> bool:
    """Noise read as text ("eit" at 0.25): far smaller than the print and unsure."""
    return line.height < NOISE_HEIGHT_SHARE * line_height and line.confidence < SURE_CONFIDENCE


def _is_glyph(line: Line, line_height: float) -> bool:
    return len(line.text.replace(" ", "")) <= 2 and line.height > GLYPH_HEIGHT_RATIO * line_height


def _overlaps(a: Box, b: Box) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0


def _typical_height(page: PageText) -> float:
    """The median height of the page's confidently read lines: the unit every gap is measured in.

    Lines of noise read as text ("eet", "Sua") are left out: forty of them, half the height of
    the print, made a heavy scan's unit 15 px instead of 35, and its medicines too far below
    the address to be read at all.
    """
    heights = [line.height for line in page.lines if is_sure_text(line.text, line.confidence)]
    heights = heights or [line.height for line in page.lines]
    return float(statistics.median(heights)) if heights else 20.0


def _is_label_line(line: Line, doc_type: DocumentType) -> bool:
    """True when the line starts with a printed label: it opens another field, never a value."""
    for phrase in doc_type.all_labels:
        match = match_label(line, phrase, 0.85)
        if match is not None and match.looks_like_label:
            return True
    return False


def _last_line_of(found: Found, pages: list[PageText]) -> Line | None:
    """The page line holding the value's last word: the anchor for a field that follows it."""
    if not found.words:
        return None
    last = found.words[-1]
    for line in pages[found.page].lines:
        if last in line.words:
            return line
    return None


def _to_result(spec: FieldSpec, found: Found, reason: str | None, review_confidence: float) -> FieldResult:
    value, problem = normalize(spec, found.texts)
    confidence = min((w.confidence for w in found.words), default=0.0) * min(found.anchor_score, 1.0)
    box = union_box([w.box for w in found.words])
    result = FieldResult(value, confidence, needs_review=False, reason=None, page=found.page, box=box)
    for why in _doubts(spec, found, value, problem, confidence, review_confidence):
        result.flag(why)
    if reason:
        result.flag(reason)
    if not value:
        result.confidence = 0.0
    return result


def _doubts(
    spec: FieldSpec,
    found: Found,
    value: str,
    problem: str | None,
    confidence: float,
    review_confidence: float,
) -> list[str]:
    doubts = []
    if found.words and not value:
        doubts.append("nothing readable where the value should be")
    elif not found.words and found.anchor_score > 0:
        doubts.append("blank on the document? please confirm")
    if problem:
        doubts.append(problem)
    if value and confidence < review_confidence:
        doubts.append(f"OCR confidence {confidence:.0%}")
    if found.note:
        doubts.append(found.note)
    elif found.reread:
        doubts.append("read again from a small crop: check it")
    if found.words and found.anchor_score < LABEL_SURE_SCORE:
        doubts.append("label only partly readable")
    return doubts
