"""Reading a document with a learned layout: each field where the layout puts it.

``extraction.layouts.fit`` finds the learned layout whose printed words stand on the new pages
as they stood on the learned ones. ``read_fields`` then takes each field's words from where that
layout puts its value (moved with the printed words around it); ``extraction.layouts.crosscheck``
weighs that reading against the generic one.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

from extraction.doctypes import DocumentType, FieldSpec
from extraction.layout import spelling
from extraction.layouts.anchors import Anchor, same_word
from extraction.layouts.answers import read_answer
from extraction.layouts.crosscheck import LABEL_ELSEWHERE
from extraction.layouts.fit import LayoutMatch
from extraction.layouts.joined_rows import RowJoint, split_at_joint
from extraction.layouts.learn import ANSWERS
from extraction.layouts.matching import PageMatch
from extraction.layouts.page_labels import labels_on, up_to_a_label
from extraction.layouts.rows import rows_of_lines
from extraction.layouts.spot import without_box_rules
from extraction.layouts.stack import stack_pages, stack_structures, unstack_field
from extraction.layouts.template import FieldZone, LearnedPage
from extraction.layouts.zones import number_shape
from extraction.normalize import normalize
from extraction.structure import PageStructure
from extraction.types import Box, FieldResult, PageText, Word, centre_inside, on_one_row, union_box

# The most lines a multi-line value is read to, when no printed word stands under it sooner.
MAX_LINES = 8
# A value's label stands at most this many line heights left of it: forms that set their values
# at one tab after the longest label leave a short label's value that far off.
LABEL_REACH = 16


def read_fields(
    match: LayoutMatch,
    doc_type: DocumentType,
    pages: Sequence[PageText],
    structures: Sequence[PageStructure] | None = None,
) -> dict[str, FieldResult]:
    """Each learned field's value read from where the layout puts it on ``pages`` (an answer
    ticked in a box from the boxes in ``structures``, the pages' ruled structure)."""
    if match.stacked is not None:
        stacking = match.stacked
        stacked = [stack_structures(structures, stacking)] if structures is not None else None
        read = read_fields(replace(match, stacked=None), doc_type, [stack_pages(pages, stacking)], stacked)
        return {name: unstack_field(field, stacking) for name, field in read.items()}
    results = {}
    found_labels: dict[int, dict[Box, str]] = {}

    def page_labels(index: int) -> dict[Box, str]:
        if index not in found_labels:
            found_labels[index] = labels_on(pages[index], doc_type, match.printed)
        return found_labels[index]

    placed = {
        name: _placed_zone(match, zone)
        for name, zone in match.template.fields.items()
        if zone.page < len(pages) and name in doc_type.field_names
    }
    for name, (shift, area, learned_box) in placed.items():
        zone = match.template.fields[name]
        page, page_match = pages[zone.page], match.pages[zone.page]
        learned = match.template.pages[zone.page]
        spec = doc_type.field(name)
        if zone.not_here:
            # Where the value the clerk removed stood: cross_check weighs it (see its doc).
            results[name] = FieldResult("", 0.0, False, page=zone.page, box=area)
            continue
        if zone.parts:
            results[name] = _read_parts(zone, match, page, spec)
            continue
        if zone.marks:
            if structures is not None:
                results[name] = read_answer(
                    zone,
                    partial(_placed, match=page_match, shift=shift),
                    structures[zone.page],
                    1.2 * learned.text_height * page_match.scale,
                    page_match.score,
                )
            continue
        labels = {} if spec.kind in ANSWERS else page_labels(zone.page)
        printed = {**labels, **_printed_words(page, learned, page_match, shift)}
        height = learned.text_height * page_match.scale
        if spec.multiline:
            others = {
                box: ""
                for other, (_, _, box) in placed.items()
                if other != name
                and match.template.fields[other].page == zone.page
                and not match.template.fields[other].not_here
            }
            area = _down_to_next_print(area, printed | others, zone.interleaved, height)
            area = _above_next_label(area, zone, learned, page_match, height)
            gap = max(1.3 * height, 1.3 * zone.line_gap * page_match.scale)
            lines = _one_block(_words_inside(page, area), printed, zone.interleaved, gap)
            lines = [
                _extend_left(line, page, printed, height)
                for line in lines
                if number_shape(" ".join(w.text for w in line)) not in zone.interleaved_numbers
            ]
        else:
            row = _row_nearest(_words_inside(page, area), learned_box, printed, height)
            lines = [_extend_left(row, page, printed, height)] if row else []
        if zone.row_joint and zone.row_partner in placed:
            joint = RowJoint(zone.row_partner, zone.row_joint, zone.row_left)
            span = union_box([area, placed[zone.row_partner][1]])
            assert span is not None
            lines = [split_at_joint(line, page, joint, span) for line in lines]
        lines = [up_to_a_label(line, labels) for line in lines]
        if structures is not None:
            lines = [line for line in lines if not _an_option_left_empty(line, page, structures[zone.page])]
        lines = [kept for line in lines if (kept := _unprinted(line, printed))]
        value, problem = normalize(spec, [" ".join(w.text for w in line) for line in lines])
        value, problem, unruled = without_box_rules(spec, lines, value, problem)
        words = [w for line in lines for w in line]
        confidence = min((w.confidence for w in words), default=0.0) * match.score
        box = union_box([w.box for w in words])
        result = FieldResult(value, confidence if value else 0.0, False, page=zone.page, box=box)
        if problem:
            result.flag(problem)
        if unruled:
            result.flag("the rules of its boxes were read as characters and left out: check it")
        if zone.anchors and zone.anchors[0] not in page_match.found:
            result.flag(LABEL_ELSEWHERE)
        results[name] = result
    return results


def _read_parts(zone: FieldZone, match: LayoutMatch, page: PageText, spec: FieldSpec) -> FieldResult:
    """A value learned in parts: each part's first line where the layout puts it, put together
    with the verified value's separators. A part found blank is left out with the separator
    before it, and flagged."""
    page_match = match.pages[zone.page]
    learned = match.template.pages[zone.page]
    texts: list[str] = []
    words: list[Word] = []
    for part in zone.parts:
        shift, area, _learned_box = _placed_zone(match, part)
        printed = _printed_words(page, learned, page_match, shift)
        line = next(iter(_words_inside(page, area)), [])
        kept = _unprinted(line, printed)
        texts.append(" ".join(w.text for w in kept).strip(" ,;"))
        words += kept
    joined = texts[0]
    for joint, text in zip(zone.joints, texts[1:], strict=False):
        joined = f"{joined}{joint}{text}" if joined and text else joined or text
    value, problem = normalize(spec, joined.splitlines())
    confidence = min((w.confidence for w in words), default=0.0) * match.score
    result = FieldResult(
        value, confidence if value else 0.0, False, page=zone.page, box=union_box([w.box for w in words])
    )
    if problem:
        result.flag(problem)
    if value and not all(texts):
        result.flag("a part of it is blank where the learned layout has it")
    return result


def _printed_words(
    page: PageText, learned: LearnedPage, match: PageMatch, shift: tuple[float, float]
) -> dict[Box, str]:
    """The page's words that are the form's own print, by box, with their anchor's spelling:
    an anchor's word found in place, or a word spelled like an anchor standing about where that
    anchor should be."""
    printed = {word.box: learned.anchors[index].text for index, word in match.found.items()}
    tolerance = 1.5 * learned.text_height * match.scale
    expected = [
        (anchor.text, _placed(anchor.box, match, shift))
        for index, anchor in enumerate(learned.anchors)
        if index not in match.found
    ]
    for line in page.lines:
        for word in line.words:
            if word.box in printed:
                continue
            text = spelling(word.text)
            cx, cy = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
            for anchor_text, box in expected:
                # Where the form prints a word, whatever OCR made of it ("oate:" for "Date:"),
                # or a word spelled like it about there.
                ax, ay = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
                near = abs(cx - ax) <= 4 * tolerance and abs(cy - ay) <= tolerance
                if _mostly_over(word.box, box) or (near and same_word(text, anchor_text)):
                    printed[word.box] = anchor_text
                    break
    return printed


def _down_to_next_print(area: Box, printed: dict[Box, str], interleaved: Sequence[str], height: float) -> Box:
    """A multi-line value's area reaching down to the first printed word under its top (other
    than the words printed between its lines): a longer value on a flowing form pushes the
    print under it down, so the learned bottom alone would cut it."""
    # Overlapping across by more than a sliver: the value of the next column, placed with its
    # own shift, may touch the area's edge without standing under it.
    under = [
        box[1]
        for box, text in printed.items()
        if box[1] > area[1] + 0.5 * height
        and min(box[2], area[2]) - max(box[0], area[0]) > 0.3 * height
        and text not in interleaved
    ]
    if not under:
        return area
    return (
        area[0],
        area[1],
        area[2],
        round(min(min(under) - 0.2 * height, area[1] + MAX_LINES * 1.6 * height)),
    )


def _above_next_label(
    area: Box, zone: FieldZone, learned: LearnedPage, match: PageMatch, height: float
) -> Box:
    """A multi-line value beside its label ends where the next label of that label column
    starts: the print the learned copy had in the column of the value's label, under the
    learned value, found on the new page. Another field's value beside that next label is in
    the value's area, but is no line of it ("IMMUNE" beside "Chicken pox:" under "Current meds:")."""
    column = _label_column(zone, learned)
    if column is None:
        return area
    tops = [
        word.box[1]
        for index, word in match.found.items()
        if (anchor := learned.anchors[index]).box[1] > zone.box[3]
        and anchor.box[2] <= zone.box[0]
        and anchor.box[2] > column[0]
        and anchor.box[0] < column[1]
        and word.box[1] > area[1] + 0.5 * height
    ]
    if not tops:
        return area
    return (area[0], area[1], area[2], max(area[1], min(area[3], round(min(tops) - 0.2 * height))))


def _label_column(zone: FieldZone, learned: LearnedPage) -> tuple[float, float] | None:
    """Across where the value's label stood on the learned copy: the printed words just left
    of the value on its row, run together (none: the label is above the value, or absent)."""
    height = learned.text_height
    row = sorted(
        (
            a.box
            for a in learned.anchors
            if on_one_row(a.box, zone.box) and a.box[2] <= zone.box[0] + 0.2 * height
        ),
        key=lambda box: -box[2],
    )
    if not row or zone.box[0] - row[0][2] > LABEL_REACH * height:
        return None
    x0 = row[0][0]
    for box in row[1:]:
        if x0 - box[2] > 1.5 * height:
            break
        x0 = box[0]
    return x0, row[0][2]


def _mostly_over(box: Box, printed: Box) -> bool:
    w = min(box[2], printed[2]) - max(box[0], printed[0])
    h = min(box[3], printed[3]) - max(box[1], printed[1])
    return w > 0 and h > 0 and w * h >= 0.5 * (box[2] - box[0]) * (box[3] - box[1])


def _one_block(
    lines: list[list[Word]], printed: dict[Box, str], interleaved: Sequence[str], gap: float
) -> list[list[Word]]:
    """The value's lines: from the first, the lines that follow without a blank line between,
    stepping over lines opened by a word printed between the value's lines on the learned copy,
    up to a line opened by any other printed word."""
    block: list[list[Word]] = []
    last_bottom: float | None = None
    for line in lines:
        top = min(w.box[1] for w in line)
        if last_bottom is not None and top - last_bottom > gap:
            break
        last_bottom = max(w.box[3] for w in line)
        opener = printed.get(line[0].box)
        if opener is not None and opener in interleaved:
            continue
        if opener is not None and block:
            break
        block.append(line)
    return block


def _row_nearest(
    rows: list[list[Word]], box: Box, printed: dict[Box, str], height: float
) -> list[Word] | None:
    """Of the rows in a one-line value's area, the one standing where the learned value stood
    (``box``, moved onto the page): nearest its middle, beside it rather than across the page
    (a line that another copy's longer value in the next column pushed into the area). Rows of
    the form's print alone are no value."""
    written = [row for row in rows if _unprinted(row, printed)]
    if not written:
        return None
    middle = (box[1] + box[3]) / 2

    def distance(row: list[Word]) -> float:
        top, bottom = min(w.box[1] for w in row), max(w.box[3] for w in row)
        left, right = min(w.box[0] for w in row), max(w.box[2] for w in row)
        apart = 0.0 if right >= box[0] and left <= box[2] else height
        return abs((top + bottom) / 2 - middle) + apart

    return min(written, key=distance)


def _extend_left(line: list[Word], page: PageText, printed: dict[Box, str], height: float) -> list[Word]:
    """The value's words with those printed just left of its area that run on from it (a
    longer name centred or right-aligned starts further left: "Dr." before the learned start)."""
    first = line[0]
    row = sorted(
        (
            w
            for other in page.lines
            for w in other.words
            if on_one_row(w.box, first.box) and w.box[2] <= first.box[0]
        ),
        key=lambda w: -w.box[2],
    )
    extended = list(line)
    for word in row:
        if extended[0].box[0] - word.box[2] > 0.8 * height or word.box in printed or word.text.endswith(":"):
            break
        extended.insert(0, word)
    return extended


def _an_option_left_empty(line: list[Word], page: PageText, structure: PageStructure) -> bool:
    """True for a line that is an option nobody chose, or print along its row (a pre-printed
    medicine left unticked and its directions): the learned copy's choice may stand there."""
    box = union_box([w.box for w in line])
    return box is not None and structure.beside_an_empty_box(box, page)


def _unprinted(line: list[Word], printed: dict[Box, str]) -> list[Word]:
    return [w for w in line if w.box not in printed]


def _placed_zone(match: LayoutMatch, zone: FieldZone) -> tuple[tuple[float, float], Box, Box]:
    """How far the field moved beyond the page's own movement (``_shift``), and where its area
    and its learned value's box lie on the new page."""
    page_match = match.pages[zone.page]
    shift = _shift(zone, page_match, match.template.pages[zone.page].anchors)
    return shift, _placed(zone.zone, page_match, shift), _placed(zone.box, page_match, shift)


def _shift(zone: FieldZone, match: PageMatch, anchors: Sequence[Anchor]) -> tuple[float, float]:
    """How far the value moved beyond the page's own movement. As its label moved, when the
    printed word nearest it was found; else across as the printed words nearest its column
    moved, and down as those nearest its row moved (a form may flow both ways: a wider answer
    widens a column, a longer one pushes the rows under it down)."""
    if not match.shifts:
        return 0.0, 0.0
    if zone.anchors and zone.anchors[0] in match.shifts:
        return match.shifts[zone.anchors[0]]
    cx, cy = (zone.box[0] + zone.box[2]) / 2, (zone.box[1] + zone.box[3]) / 2

    def nearest(across: float, down: float) -> list[int]:
        def distance(i: int) -> float:
            ax, ay = anchors[i].centre
            return across * abs(ax - cx) + down * abs(ay - cy)

        return sorted(match.shifts, key=distance)[:2]

    dx = statistics.median(match.shifts[i][0] for i in nearest(1.0, 0.5))
    dy = statistics.median(match.shifts[i][1] for i in nearest(0.2, 1.0))
    return dx, dy


def _placed(box: Box, match: PageMatch, shift: tuple[float, float]) -> Box:
    x0, y0 = match.place(box[0], box[1])
    x1, y1 = match.place(box[2], box[3])
    return (round(x0 + shift[0]), round(y0 + shift[1]), round(x1 + shift[0]), round(y1 + shift[1]))


def _words_inside(page: PageText, area: Box) -> list[list[Word]]:
    """The page's words whose centre lies in ``area``, row by row (the cells of one table row
    are one line of the value), left to right."""
    pieces = (
        (inside, line.box)
        for line in page.lines
        if (inside := [w for w in line.words if centre_inside(w.box, area)])
    )
    return rows_of_lines(pieces)
