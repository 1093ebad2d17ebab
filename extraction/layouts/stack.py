"""A document's pages stacked into one long page, for a form whose content moved across a page
break.

A form that runs over two pages breaks where its content makes it break: a longer list on one
copy pushes the last section onto the next page, a shorter one pulls it back. Page by page, the
learned layout's second page then finds little of itself on the new copy's second page. Stacked
(each page below the one before it, all brought to the first page's text height, as each page
reaches the engine scaled on its own), the document is one flowing form, and a section that
moved across the break is a run of rows that moved down or up together, which matching allows
(see ``extraction.layouts.matching``). Readings on the stacked page are put back on their page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from extraction.layouts.anchors import Anchor
from extraction.layouts.template import FieldZone, LayoutTemplate, LearnedPage
from extraction.structure import PageStructure
from extraction.types import Box, FieldResult, Line, PageText


@dataclass(frozen=True)
class Stacking:
    """Where each page lies on the stacked page: its top, and the factor its boxes are scaled by."""

    starts: tuple[float, ...]
    factors: tuple[float, ...]

    @classmethod
    def of(cls, heights: Sequence[int], text_heights: Sequence[float]) -> Stacking:
        """Pages ``heights`` pixels high whose text is ``text_heights`` high, stacked at the
        first page's text height."""
        reference = next((h for h in text_heights if h > 0), 1.0)
        factors = tuple(reference / h if h > 0 else 1.0 for h in text_heights)
        starts, top = [], 0.0
        for height, factor in zip(heights, factors, strict=True):
            starts.append(top)
            top += height * factor
        return cls(tuple(starts), factors)

    def place(self, box: Box, page: int) -> Box:
        f, top = self.factors[page], self.starts[page]
        return (round(box[0] * f), round(box[1] * f + top), round(box[2] * f), round(box[3] * f + top))

    def unplace(self, box: Box) -> tuple[int, Box]:
        """The page a stacked box lies on (by its middle) and its box on that page."""
        middle = (box[1] + box[3]) / 2
        page = max((i for i, top in enumerate(self.starts) if middle >= top), default=0)
        f, top = self.factors[page], self.starts[page]
        return page, (
            round(box[0] / f),
            round((box[1] - top) / f),
            round(box[2] / f),
            round((box[3] - top) / f),
        )


def stack_pages(pages: Sequence[PageText], stacking: Stacking) -> PageText:
    """One page holding every line of ``pages``, each page below the one before."""
    lines = tuple(
        Line(tuple(replace(word, box=stacking.place(word.box, index)) for word in line.words))
        for index, page in enumerate(pages)
        for line in page.lines
    )
    last = len(pages) - 1
    bottom = stacking.place((0, 0, 0, pages[last].height), last)[3]
    width = max(round(page.width * f) for page, f in zip(pages, stacking.factors, strict=True))
    return PageText(0, lines, width, bottom)


def stack_structures(structures: Sequence[PageStructure], stacking: Stacking) -> PageStructure:
    """The ruled lines, boxes and selection marks of every page, moved as ``stack_pages`` moves
    text (the tables of later pages numbered after those of earlier ones)."""
    rules, cells, tables, marks, combs = [], [], [], [], []
    for page, structure in enumerate(structures):

        def place(box: Box, page: int = page) -> Box:
            return stacking.place(box, page)

        rules += [replace(r, box=place(r.box)) for r in structure.rules]
        cells += [replace(c, box=place(c.box), table=c.table + len(tables)) for c in structure.cells]
        tables += [replace(t, box=place(t.box)) for t in structure.tables]
        marks += [
            replace(m, box=place(m.box), option_box=m.option_box and place(m.option_box))
            for m in structure.marks
        ]
        combs += [place(box) for box in structure.combs]
    return PageStructure(tuple(rules), tuple(cells), tuple(tables), tuple(marks), tuple(combs))


def stack_template(template: LayoutTemplate) -> LayoutTemplate:
    """The learned layout with its pages stacked into one, every field on that page."""
    stacking = Stacking.of([p.height for p in template.pages], [p.text_height for p in template.pages])
    anchors: list[Anchor] = []
    first_anchor = []
    for index, page in enumerate(template.pages):
        first_anchor.append(len(anchors))
        anchors += [Anchor(a.text, stacking.place(a.box, index)) for a in page.anchors]
    last = len(template.pages) - 1
    page = LearnedPage(
        max(round(p.width * f) for p, f in zip(template.pages, stacking.factors, strict=True)),
        stacking.place((0, 0, 0, template.pages[last].height), last)[3],
        template.pages[0].text_height,
        tuple(anchors),
    )
    fields = {name: _stacked_zone(zone, stacking, first_anchor) for name, zone in template.fields.items()}
    return replace(template, pages=[page], fields=fields)


def unstack_field(field: FieldResult, stacking: Stacking) -> FieldResult:
    """A field read on the stacked page, with its page and box those of the page it stands on."""
    if field.box is not None:
        field.page, field.box = stacking.unplace(field.box)
    return field


def _stacked_zone(zone: FieldZone, stacking: Stacking, first_anchor: Sequence[int]) -> FieldZone:
    def place(box: Box) -> Box:
        return stacking.place(box, zone.page)

    return replace(
        zone,
        page=0,
        box=place(zone.box),
        zone=place(zone.zone),
        anchors=tuple(first_anchor[zone.page] + i for i in zone.anchors),
        line_gap=zone.line_gap * stacking.factors[zone.page],
        marks=tuple((place(box), answer) for box, answer in zone.marks),
        parts=tuple(_stacked_zone(part, stacking, first_anchor) for part in zone.parts),
    )
