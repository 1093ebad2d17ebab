"""Which learned layout a document is: the one whose printed words stand on the new pages as
they stood on the learned ones, page by page or with the pages stacked into one (a form whose
content moved across a page break, see ``extraction.layouts.stack``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from extraction.keys import typical_height
from extraction.layouts.anchors import page_words
from extraction.layouts.matching import MAX_FLOW, NO_MATCH, PageMatch, PageSpellings, match_page, weight
from extraction.layouts.stack import Stacking, stack_pages, stack_template
from extraction.layouts.template import LayoutTemplate
from extraction.types import PageText

# A layout is used only when this share of its printed text is found in place.
MATCH_THRESHOLD = 0.5
# A layout is tried on the pages stacked into one when page by page it found this share.
WORTH_STACKING = 0.25


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
    its print in place; None when none fits well enough. Stacking is tried only for a layout
    that found some of its print page by page: the other forms stay as cheap to rule out."""
    heights = [typical_height(page) for page in pages]
    # Each page's words are indexed by spelling once for every layout tried.
    words = [PageSpellings(page_words(page)) for page in pages]
    # The pages stacked into one, with their words and text height: made once, when a first
    # layout is worth trying on them.
    stacked: tuple[Stacking, PageSpellings, float] | None = None
    best: LayoutMatch | None = None
    for template in templates:
        found = _match(template, words, heights)
        if (
            found is not None
            and found.score >= WORTH_STACKING
            and (len(template.pages) > 1 or len(pages) > 1)
        ):
            if stacked is None:
                stacking = Stacking.of([page.height for page in pages], heights)
                page = stack_pages(pages, stacking)
                stacked = stacking, PageSpellings(page_words(page)), typical_height(page)
            stacking, stacked_words, stacked_height = stacked
            one = _match(stack_template(template), [stacked_words], [stacked_height], stacked=True)
            if one is not None and one.score > found.score:
                found = replace(one, stacked=stacking)
        if (
            found is not None
            and found.score >= MATCH_THRESHOLD
            and (best is None or found.score > best.score)
        ):
            best = found
    return best


def _match(
    template: LayoutTemplate,
    words: Sequence[PageSpellings],
    heights: Sequence[float],
    *,
    stacked: bool = False,
) -> LayoutMatch | None:
    """How ``template`` lies on pages of ``words`` (indexed by spelling) whose text is
    ``heights`` high, page by page (None when it has no printed word)."""
    matches = tuple(
        match_page(learned.anchors, learned.text_height, words[i], heights[i], _flow(template, stacked))
        if i < len(words)
        else NO_MATCH
        for i, learned in enumerate(template.pages)
    )
    weights = [sum(weight(a) for a in learned.anchors) for learned in template.pages]
    if not sum(weights):
        return None
    # Pages past the layout's own (a long form running onto another page) neither help nor hurt.
    score = sum(m.score * w for m, w in zip(matches, weights, strict=True)) / sum(weights)
    return LayoutMatch(template, score, matches)


def _flow(template: LayoutTemplate, stacked: bool) -> float:
    """How far (in text heights) a row may move with its neighbours: on stacked pages, as far
    as one learned page is high, since a section moving across a page break moves past the
    blank foot of the page too."""
    if not stacked:
        return MAX_FLOW
    return max([MAX_FLOW] + [p.height / p.text_height for p in template.pages if p.text_height > 0])
