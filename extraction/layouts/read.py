"""Reading a document with a learned layout, and weighing that reading against the generic one.

``match_layout`` finds the learned layout whose printed words stand on the new pages as they
stood on the learned ones. ``read_fields`` then takes each field's words from where that layout
puts its value (moved with the printed words around it), and ``cross_check`` sets the two
readings side by side: where they agree the generic evidence stands; where they differ the
learned reading is given and the field is flagged for the clerk, with both values in the reason.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from extraction.doctypes import DocumentType
from extraction.keys import typical_height
from extraction.layouts.anchors import page_words, spelling
from extraction.layouts.matching import NO_MATCH, PageMatch, match_page, weight
from extraction.layouts.template import FieldZone, LayoutTemplate, LearnedPage
from extraction.normalize import normalize
from extraction.types import Box, FieldResult, PageText, Word, on_one_row, union_box

# A layout is used only when this share of its printed text is found in place.
MATCH_THRESHOLD = 0.5
# The most lines a multi-line value is read to, when no printed word stands under it sooner.
MAX_LINES = 8


@dataclass(frozen=True)
class LayoutMatch:
    """The learned layout a document was read with, how sure the match is, and each page's fit."""

    template: LayoutTemplate
    score: float
    pages: tuple[PageMatch, ...]

    def to_dict(self) -> dict[str, object]:
        return {"id": self.template.id, "match": round(self.score, 3)}


def match_layout(templates: Sequence[LayoutTemplate], pages: Sequence[PageText]) -> LayoutMatch | None:
    """The learned layout that fits ``pages`` best, or None when none fits well enough."""
    heights = [typical_height(page) for page in pages]
    words = [page_words(page) for page in pages]
    best: LayoutMatch | None = None
    for template in templates:
        matches = tuple(
            match_page(learned.anchors, learned.text_height, words[i], heights[i])
            if i < len(pages)
            else NO_MATCH
            for i, learned in enumerate(template.pages)
        )
        weights = [sum(weight(a) for a in learned.anchors) for learned in template.pages]
        if not sum(weights):
            continue
        score = sum(m.score * w for m, w in zip(matches, weights, strict=True)) / sum(weights)
        if len(pages) > len(template.pages):
            # Pages the layout never saw: the document is not simply this form.
            score *= len(template.pages) / len(pages)
        if score >= MATCH_THRESHOLD and (best is None or score > best.score):
            best = LayoutMatch(template, score, matches)
    return best


def read_fields(
    match: LayoutMatch, doc_type: DocumentType, pages: Sequence[PageText]
) -> dict[str, FieldResult]:
    """Each learned field's value read from where the layout puts it on ``pages``."""
    results = {}
    placed = {
        name: _placed_zone(match, zone)
        for name, zone in match.template.fields.items()
        if zone.page < len(pages) and name in doc_type.field_names
    }
    for name, (area, _learned_box) in placed.items():
        zone = match.template.fields[name]
        page, page_match = pages[zone.page], match.pages[zone.page]
        learned = match.template.pages[zone.page]
        shift = _shift(zone, page_match, learned.anchors)
        spec = doc_type.field(name)
        printed = _printed_words(page, learned, page_match, shift)
        height = learned.text_height * page_match.scale
        if spec.multiline:
            others = {
                box: ""
                for other, (_, box) in placed.items()
                if other != name and match.template.fields[other].page == zone.page
            }
            area = _down_to_next_print(area, printed | others, zone.interleaved, height)
            lines = _one_block(_words_inside(page, area), printed, zone.interleaved, height)
        else:
            lines = _words_inside(page, area)[:1]
        lines = [kept for line in lines if (kept := _unprinted(line, printed))]
        value, problem = normalize(spec, [" ".join(w.text for w in line) for line in lines])
        words = [w for line in lines for w in line]
        confidence = min((w.confidence for w in words), default=0.0) * match.score
        box = union_box([w.box for w in words])
        result = FieldResult(value, confidence if value else 0.0, False, page=zone.page, box=box)
        if problem:
            result.flag(problem)
        results[name] = result
    return results


def _printed_words(
    page: PageText, learned: LearnedPage, match: PageMatch, shift: tuple[float, float]
) -> dict[Box, str]:
    """The page's words that are the form's own print, by box, with their anchor's spelling:
    an anchor's word found in place, or a word spelled like an anchor standing about where that
    anchor should be."""
    printed = {word.box: learned.anchors[index].text for index, word in match.found.items()}
    tolerance = 1.5 * learned.text_height * match.scale
    expected: dict[str, list[tuple[float, float]]] = {}
    for index, anchor in enumerate(learned.anchors):
        if index not in match.found:
            x, y = match.place(*anchor.centre)
            expected.setdefault(anchor.text, []).append((x + shift[0], y + shift[1]))
    for line in page.lines:
        for word in line.words:
            text = spelling(word.text)
            if text not in expected:
                continue
            cx, cy = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
            if any(abs(cx - x) <= 4 * tolerance and abs(cy - y) <= tolerance for x, y in expected[text]):
                printed[word.box] = text
    return printed


def _down_to_next_print(area: Box, printed: dict[Box, str], interleaved: Sequence[str], height: float) -> Box:
    """A multi-line value's area reaching down to the first printed word under its top (other
    than the words printed between its lines): a longer value on a flowing form pushes the
    print under it down, so the learned bottom alone would cut it."""
    under = [
        box[1]
        for box, text in printed.items()
        if box[1] > area[1] + 0.5 * height
        and box[0] < area[2]
        and box[2] > area[0]
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


def _one_block(
    lines: list[list[Word]], printed: dict[Box, str], interleaved: Sequence[str], height: float
) -> list[list[Word]]:
    """The value's lines: from the first, the lines that follow without a blank line between,
    stepping over lines opened by a word printed between the value's lines on the learned copy,
    up to a line opened by any other printed word."""
    block: list[list[Word]] = []
    last_bottom: float | None = None
    for line in lines:
        top = min(w.box[1] for w in line)
        if last_bottom is not None and top - last_bottom > 1.3 * height:
            break
        last_bottom = max(w.box[3] for w in line)
        opener = printed.get(line[0].box)
        if opener is not None and opener in interleaved:
            continue
        if opener is not None and block:
            break
        block.append(line)
    return block


def _unprinted(line: list[Word], printed: dict[Box, str]) -> list[Word]:
    return [w for w in line if w.box not in printed]


def _placed_zone(match: LayoutMatch, zone: FieldZone) -> tuple[Box, Box]:
    """Where the field's area and its learned value's box lie on the new page."""
    page_match = match.pages[zone.page]
    shift = _shift(zone, page_match, match.template.pages[zone.page].anchors)
    return _placed(zone.zone, page_match, shift), _placed(zone.box, page_match, shift)


def _shift(zone: FieldZone, match: PageMatch, anchors: Sequence) -> tuple[float, float]:
    """How far the value's row moved beyond the page's own movement: as its own printed words
    moved, else as the nearest printed words found moved."""
    own = [match.shifts[i] for i in zone.anchors if i in match.shifts][:1]
    if not own and match.shifts:
        cx, cy = (zone.box[0] + zone.box[2]) / 2, (zone.box[1] + zone.box[3]) / 2

        def distance(i: int) -> float:
            ax, ay = anchors[i].centre
            return abs(ax - cx) + 3 * abs(ay - cy)

        own = [match.shifts[i] for i in sorted(match.shifts, key=distance)[:1]]
    if not own:
        return 0.0, 0.0
    return statistics.median(s[0] for s in own), statistics.median(s[1] for s in own)


def _placed(box: Box, match: PageMatch, shift: tuple[float, float]) -> Box:
    x0, y0 = match.place(box[0], box[1])
    x1, y1 = match.place(box[2], box[3])
    return (round(x0 + shift[0]), round(y0 + shift[1]), round(x1 + shift[0]), round(y1 + shift[1]))


def _words_inside(page: PageText, area: Box) -> list[list[Word]]:
    """The page's words whose centre lies in ``area``, row by row (the cells of one table row
    are one line of the value), left to right."""
    lines: list[list[Word]] = []
    for line in sorted(page.lines, key=lambda line: line.box[1]):
        inside = [
            w
            for w in line.words
            if area[0] <= (w.box[0] + w.box[2]) / 2 <= area[2]
            and area[1] <= (w.box[1] + w.box[3]) / 2 <= area[3]
        ]
        if not inside:
            continue
        row = next(
            (kept for kept in lines if on_one_row(union_box([w.box for w in kept]) or kept[0].box, line.box)),
            None,
        )
        if row is None:
            lines.append(inside)
        else:
            row.extend(inside)
            row.sort(key=lambda w: w.box[0])
    return lines


def cross_check(
    generic: Mapping[str, FieldResult], learned: Mapping[str, FieldResult]
) -> dict[str, FieldResult]:
    """The fields with both readings weighed. Agreement keeps the generic evidence. When they
    differ the field is flagged, naming the other value, and the generic value stands only
    where the generic reading was sure of it (its label found, its value checked); a learned
    area found empty keeps the generic value, flagged."""
    merged = dict(generic)
    for name, mine in learned.items():
        theirs = generic.get(name)
        if theirs is None:
            continue
        if _same(mine.value, theirs.value):
            continue
        if mine.value and theirs.needs_review:
            mine.flag(f"the learned layout reads this, the generic reading {theirs.value!r}")
            merged[name] = mine
        elif mine.value:
            theirs.flag(f"the learned layout reads {mine.value!r} here")
        else:
            theirs.flag("nothing where the learned layout puts this field")
    return merged


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
