"""Which learned layout a document is: the one whose printed words stand on the new pages as
they stood on the learned ones, page by page or with the pages stacked into one (a form whose
content moved across a page break, see ``extraction.layouts.stack``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from extraction.keys import typical_height
from extraction.layouts.anchors import page_words
from extraction.layouts.matching import MAX_FLOW, NO_MATCH, PageMatch, match_page, weight
from extraction.layouts.stack import Stacking, page_stacking, stack_pages, stack_template
from extraction.layouts.template import LayoutTemplate
from extraction.types import PageText

# A layout is used only when this share of its printed text is found in place.
MATCH_THRESHOLD = 0.5


@dataclass(frozen=True)
class LayoutMatch:
    """The learned layout a document was read with, how sure the match is, and each page's fit."""

    template: LayoutTemplate
    score: float
    pages: tuple[PageMatch, ...]
    stacked: Stacking | None = None
    """When the layout fits only the pages stacked into one (its content moved across a page
    break): how the document's pages were stacked; ``template`` and ``pages`` are stacked too."""

    def to_dict(self) -> dict[str, object]:
        return {"id": self.template.id, "match": round(self.score, 3)}

    @property
    def printed(self) -> frozenset[str]:
        """Every word the form prints, in the anchors' spelling."""
        return frozenset(anchor.text for page in self.template.pages for anchor in page.anchors)


def match_layout(templates: Sequence[LayoutTemplate], pages: Sequence[PageText]) -> LayoutMatch | None:
    """The learned layout that fits ``pages`` best, page by page or with the pages of both
    stacked into one (a form whose content moved across a page break), whichever finds more of
    its print in place; None when none fits well enough."""
    best = _match_by_page(templates, pages)
    many = [t for t in templates if len(t.pages) > 1 or len(pages) > 1]
    if not many:
        return best
    stacking = page_stacking(pages)
    found = _match_by_page([stack_template(t) for t in many], [stack_pages(pages, stacking)], stacked=True)
    if found is None or (best is not None and best.score >= found.score):
        return best
    return replace(found, stacked=stacking)


def _match_by_page(
    templates: Sequence[LayoutTemplate], pages: Sequence[PageText], *, stacked: bool = False
) -> LayoutMatch | None:
    heights = [typical_height(page) for page in pages]
    words = [page_words(page) for page in pages]
    best: LayoutMatch | None = None
    for template in templates:
        matches = tuple(
            match_page(learned.anchors, learned.text_height, words[i], heights[i], _flow(template, stacked))
            if i < len(pages)
            else NO_MATCH
            for i, learned in enumerate(template.pages)
        )
        weights = [sum(weight(a) for a in learned.anchors) for learned in template.pages]
        if not sum(weights):
            continue
        # Pages past the layout's own (a long form running onto another page) neither help nor hurt.
        score = sum(m.score * w for m, w in zip(matches, weights, strict=True)) / sum(weights)
        if score >= MATCH_THRESHOLD and (best is None or score > best.score):
            best = LayoutMatch(template, score, matches)
    return best


def _flow(template: LayoutTemplate, stacked: bool) -> float:
    """How far (in text heights) a row may move with its neighbours: on stacked pages, as far
    as one learned page is high, since a section moving across a page break moves past the
    blank foot of the page too."""
    if not stacked:
        return MAX_FLOW
    return max([MAX_FLOW] + [p.height / p.text_height for p in template.pages if p.text_height > 0])
