"""Finding a learned page's printed words on a new page, and how the page moved.

``match_page`` pairs the anchors of a learned page with the words of a new page that spell the
same, then finds the scale and shift that put most of them where they were (a scan at another
size, a crop, a margin). Forms that flow (a three-line address pushes the rows below it down a
line) move in steps, so an anchor also counts as found when its shift agrees with the shift of
its neighbours on the form. The score is the share of the learned page's printed text found in
place: copies of one form score high even through damage, other forms with the same labels low,
because their labels stand elsewhere relative to each other.
"""

from __future__ import annotations

import itertools
import math
import random
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from extraction.layout import spelling
from extraction.layouts.anchors import INDEL_CUTOFF, Anchor, same_word
from extraction.types import Box, Word, on_one_row

# How far (in text heights) a found anchor may sit from where the page's movement puts it.
PLACE_TOLERANCE = 1.2
# How far (in text heights) a row of a flowing form may move against the rest of the page.
MAX_FLOW = 30.0
# How far (in text heights) a word may stand across from where the page's movement puts it,
# when the words around it stand as far (a phone photo's perspective, a wider column).
MAX_DRIFT = 2.5
# A scan at another size: the scales tried. Pages reach the engine scaled to one text height,
# but a text height read on a damaged page can be far off, so it only bounds the search.
SCALE_RANGE = (0.6, 1.6)
# Neighbours (in the form's reading order) whose shift an anchor of a flowing form must share:
# two, or one on another row (the words of one label move together whatever the form does).
FLOW_NEIGHBOURS = 6
FLOW_AGREEING = 2
# Words of one row on both pages measure the print's scale: three such pairs are enough, and
# a fit's scale must then agree with theirs to this share.
MIN_ROW_PAIRS = 3
SCALE_AGREEMENT = 0.06
# Hypotheses tried when fitting the page's movement; a fixed seed keeps matching repeatable.
TRIALS = 400


@dataclass(frozen=True)
class PageMatch:
    """How a learned page lies on a new one.

    A point ``(x, y)`` of the learned page is at ``(scale * x + dx, scale * y + dy)`` on the new
    page, give or take the step of its own row (``shifts``). ``found`` maps anchor indices to the
    new page's words that matched them in place; ``score`` (0..1) is the share of the learned
    page's printed text found, each word weighted by its length.
    """

    score: float
    scale: float = 1.0
    dx: float = 0.0
    dy: float = 0.0
    found: dict[int, Word] = field(default_factory=dict)
    shifts: dict[int, tuple[float, float]] = field(default_factory=dict)

    def place(self, x: float, y: float) -> tuple[float, float]:
        return self.scale * x + self.dx, self.scale * y + self.dy


NO_MATCH = PageMatch(0.0)


def weight(anchor: Anchor) -> float:
    """Long words tell forms apart better than short ones."""
    return float(min(len(anchor.text), 8))


def match_page(
    anchors: Sequence[Anchor],
    learned_height: float,
    page: PageSpellings,
    text_height: float,
    max_flow: float = MAX_FLOW,
) -> PageMatch:
    """How ``anchors`` (learned on a page whose text was ``learned_height`` pixels high) lie on
    a page of words (``page``) whose text is ``text_height`` high; NO_MATCH when too few are found.
    A row may move ``max_flow`` text heights with its neighbours. Past ``MAX_FLOW`` (pages
    stacked into one, where a section moves across a page break with the blank foot of the
    page) the rows must also keep their order: a form flows, it does not reorder its sections."""
    candidates = _candidates(anchors, page)
    if len(candidates) < 3 or learned_height <= 0 or text_height <= 0:
        return NO_MATCH
    model = _fit(anchors, candidates, text_height)
    if model is None:
        return NO_MATCH
    found, shifts = _found_in_place(anchors, candidates, model, text_height, max_flow)
    for _ in range(2):
        # The pair that gave the model fixes it only to within the tolerance: a fit over every
        # anchor found in place (not moved with a flowing row) puts far corners right too.
        refined = _least_squares(anchors, found, shifts, text_height)
        if refined is None:
            break
        model = refined
        found, shifts = _found_in_place(anchors, candidates, model, text_height, max_flow)
    if max_flow > MAX_FLOW:
        kept = _in_order(anchors, found, PLACE_TOLERANCE * text_height)
        found = {i: w for i, w in found.items() if i in kept}
        shifts = {i: shift for i, shift in shifts.items() if i in kept}
    scale, dx, dy = model
    total = sum(weight(a) for a in anchors)
    score = sum(weight(anchors[i]) for i in found) / total if total else 0.0
    return PageMatch(score, scale, dx, dy, found, shifts)


def _in_order(anchors: Sequence[Anchor], found: dict[int, Word], tolerance: float) -> set[int]:
    """The heaviest run of found anchors, in the learned page's reading order, whose words
    stand in the same order down the new page (none above the one before by more than
    ``tolerance``): sections of a form that swapped places are another form."""
    order = sorted(found, key=lambda i: (anchors[i].box[1], anchors[i].box[0]))
    tops = [_centre(found[i].box)[1] for i in order]
    best = [weight(anchors[i]) for i in order]
    before: list[int | None] = [None] * len(order)
    for j in range(len(order)):
        for i in range(j):
            if tops[j] >= tops[i] - tolerance and best[i] + weight(anchors[order[j]]) > best[j]:
                best[j], before[j] = best[i] + weight(anchors[order[j]]), i
    kept: set[int] = set()
    at = max(range(len(order)), key=lambda j: best[j], default=None)
    while at is not None:
        kept.add(order[at])
        at = before[at]
    return kept


class PageSpellings:
    """A page's words by their normalised spelling, for finding many forms' anchors on it: each
    spelling's near matches (``same_word``) are looked for once, however many layouts print it."""

    def __init__(self, words: Sequence[Word]) -> None:
        self.by_spelling: dict[str, list[Word]] = defaultdict(list)
        for word in words:
            text = spelling(word.text)
            if len(text) >= 2:
                self.by_spelling[text].append(word)
        self._spellings = list(self.by_spelling)
        self._similar: dict[str, list[Word]] = {}

    def spelled_like(self, text: str) -> list[Word]:
        """The words spelled ``text``, then (for a word of five letters or more) those spelled
        nearly so."""
        same = list(self.by_spelling.get(text, ()))
        if len(text) < 5:
            return same
        if text not in self._similar:
            # Only the spellings rapidfuzz finds near enough are checked (see INDEL_CUTOFF).
            scorer = Indel.normalized_similarity
            near = process.extract_iter(text, self._spellings, scorer=scorer, score_cutoff=INDEL_CUTOFF)
            self._similar[text] = [
                word
                for other, _, _ in near
                if other != text and same_word(text, other)
                for word in self.by_spelling[other]
            ]
        return same + self._similar[text]


def _candidates(anchors: Sequence[Anchor], page: PageSpellings) -> dict[int, list[Word]]:
    """For each anchor, the new page's words spelled the same."""
    found: dict[int, list[Word]] = {}
    for index, anchor in enumerate(anchors):
        same = page.spelled_like(anchor.text)
        if same:
            found[index] = same
    return found


def _centre(box: Box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _fit(
    anchors: Sequence[Anchor],
    candidates: dict[int, list[Word]],
    height: float,
) -> tuple[float, float, float] | None:
    """The scale and shift that put the most anchors in place (a RANSAC over pairs of words
    found once each on both pages), or None when no pair gives a plausible scale."""
    unique = [(i, ws[0]) for i, ws in candidates.items() if len(ws) == 1 and len(anchors[i].text) >= 3]
    if len(unique) < 2:
        unique = [(i, ws[0]) for i, ws in candidates.items()]
    pairs = list(itertools.combinations(unique, 2))
    across = _scale_across(anchors, pairs, height)
    if len(pairs) > TRIALS:
        pairs = random.Random(len(anchors)).sample(pairs, TRIALS)
    models = []
    for (i, wi), (j, wj) in pairs:
        (ax, ay), (bx, by) = anchors[i].centre, anchors[j].centre
        (px, py), (qx, qy) = _centre(wi.box), _centre(wj.box)
        learned = math.hypot(bx - ax, by - ay)
        if learned < 4 * height:
            continue
        scale = math.hypot(qx - px, qy - py) / learned
        if not SCALE_RANGE[0] <= scale <= SCALE_RANGE[1]:
            continue
        if across is not None and abs(scale / across - 1) > SCALE_AGREEMENT:
            continue
        models.append((scale, (px + qx) / 2 - scale * (ax + bx) / 2, (py + qy) / 2 - scale * (ay + by) / 2))
    if not models:
        return None
    support = _support(anchors, candidates, np.array(models), PLACE_TOLERANCE * height)
    return models[int(np.argmax(support))]  # the first of the best, as the pairs were drawn


def _support(
    anchors: Sequence[Anchor], candidates: dict[int, list[Word]], models: np.ndarray, tolerance: float
) -> np.ndarray:
    """For each model (rows of scale, dx, dy): the weight of the anchors it puts within
    ``tolerance`` of one of their candidate words, all models at once."""
    keys = list(candidates)
    centres = np.array([anchors[k].centre for k in keys])
    words = np.array([_centre(w.box) for k in keys for w in candidates[k]])
    counts = [len(candidates[k]) for k in keys]
    owner = np.repeat(np.arange(len(keys)), counts)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    scale, dx, dy = models[:, :1], models[:, 1:2], models[:, 2:]
    x = (scale * centres[:, 0] + dx)[:, owner]
    y = (scale * centres[:, 1] + dy)[:, owner]
    near = (np.abs(words[:, 0] - x) <= tolerance) & (np.abs(words[:, 1] - y) <= tolerance)
    placed = np.logical_or.reduceat(near, starts, axis=1)
    return placed @ np.array([weight(anchors[k]) for k in keys])


def _scale_across(
    anchors: Sequence[Anchor], pairs: Sequence[tuple[tuple[int, Word], tuple[int, Word]]], height: float
) -> float | None:
    """The scale told by words set apart on one row on both pages (the median of their
    distances' ratios), None when fewer than three such pairs: rows of a flowing form move
    down, not across, so words of one row measure the print's scale whatever the rows did
    (a handwritten copy's taller rows stretch the page, not its print)."""
    ratios = []
    for (i, wi), (j, wj) in pairs:
        (ax, ay), (bx, by) = anchors[i].centre, anchors[j].centre
        (px, py), (qx, qy) = _centre(wi.box), _centre(wj.box)
        if abs(by - ay) > 0.5 * height or abs(qy - py) > 0.5 * height or abs(bx - ax) < 4 * height:
            continue
        ratio = abs(qx - px) / abs(bx - ax)
        if SCALE_RANGE[0] <= ratio <= SCALE_RANGE[1]:
            ratios.append(ratio)
    return statistics.median(ratios) if len(ratios) >= MIN_ROW_PAIRS else None


def _least_squares(
    anchors: Sequence[Anchor],
    found: dict[int, Word],
    shifts: dict[int, tuple[float, float]],
    height: float,
) -> tuple[float, float, float] | None:
    """The scale and shift that best put the anchors found in place onto their words."""
    steady = [i for i in found if abs(shifts[i][1]) <= PLACE_TOLERANCE * height]
    if len(steady) < 3:
        return None
    learned = [anchors[i].centre for i in steady]
    seen = [_centre(found[i].box) for i in steady]
    ax = sum(p[0] for p in learned) / len(learned)
    ay = sum(p[1] for p in learned) / len(learned)
    px = sum(p[0] for p in seen) / len(seen)
    py = sum(p[1] for p in seen) / len(seen)
    spread = sum((a[0] - ax) ** 2 + (a[1] - ay) ** 2 for a in learned)
    if spread <= 0:
        return None
    scale = sum(
        (a[0] - ax) * (p[0] - px) + (a[1] - ay) * (p[1] - py) for a, p in zip(learned, seen, strict=True)
    )
    scale /= spread
    if scale <= 0:
        return None
    return scale, px - scale * ax, py - scale * ay


def _near(a: tuple[float, float], b: tuple[float, float], tolerance: float) -> bool:
    return abs(a[0] - b[0]) <= tolerance and abs(a[1] - b[1]) <= tolerance


def _found_in_place(
    anchors: Sequence[Anchor],
    candidates: dict[int, list[Word]],
    model: tuple[float, float, float],
    height: float,
    max_flow: float = MAX_FLOW,
) -> tuple[dict[int, Word], dict[int, tuple[float, float]]]:
    """The anchors found where the model puts them, or shifted with their neighbours (down or up
    on a flowing form, a little across on a photo's perspective); each with its residual shift."""
    scale, dx, dy = model
    tolerance = PLACE_TOLERANCE * height
    near: dict[int, tuple[Word, float, float]] = {}
    for index, words in candidates.items():
        x, y = anchors[index].centre
        x, y = scale * x + dx, scale * y + dy
        options = [
            (w, _centre(w.box)[0] - x, _centre(w.box)[1] - y)
            for w in words
            if abs(_centre(w.box)[0] - x) <= MAX_DRIFT * height
            and abs(_centre(w.box)[1] - y) <= max_flow * height
        ]
        if options:
            near[index] = min(options, key=lambda option: (abs(option[1]) > tolerance, abs(option[2])))
    order = sorted(near, key=lambda i: (anchors[i].box[1], anchors[i].box[0]))
    found: dict[int, Word] = {}
    shifts: dict[int, tuple[float, float]] = {}
    for position, index in enumerate(order):
        word, rx, ry = near[index]
        if abs(ry) > tolerance or abs(rx) > tolerance:
            neighbours = (
                order[max(0, position - FLOW_NEIGHBOURS) : position]
                + order[position + 1 : position + 1 + FLOW_NEIGHBOURS]
            )
            agreeing = [
                other
                for other in neighbours
                if abs(near[other][2] - ry) <= tolerance and abs(near[other][1] - rx) <= tolerance
            ]
            other_rows = [o for o in agreeing if not on_one_row(anchors[o].box, anchors[index].box)]
            if len(agreeing) < FLOW_AGREEING and not other_rows:
                continue
        found[index] = word
        shifts[index] = (rx, ry)
    return found, shifts
