"""A label printed once per item ("Sig:" under each medicine, "Rx:" before each): every
occurrence's value, in reading order, as the lines of one multi-line value."""

from __future__ import annotations

from extraction.doctypes import FieldSpec
from extraction.keys import Key
from extraction.layout import normalize_token, similarity
from extraction.page_view import Candidate, PageView, has_text
from extraction.phrases import ITEM_NUMBER, best_phrase

# Two readings of one printed label, one with an OCR slip ("Medicatlon:"), are at least this alike.
SAME_PRINT = 0.85
# An occurrence reads as one of the field's labels at least this well.
LABEL_SCORE = 0.9


def _wording(key: Key) -> str:
    """The key's text as occurrences are compared: its item number left out, normalised."""
    return normalize_token(ITEM_NUMBER.sub("", key.text))


def _with_colons_lost(keys: list[Key], spec: FieldSpec, view: PageView) -> list[Key]:
    """The occurrences of a label printed once per item, with those whose colon OCR lost ("3.
    Rx Mesalamine 1.2 gram" after "1. Rx:" and "2. Rx:"): the same wording, with its value
    beside it, starting where another occurrence starts. In reading order."""
    text = _wording(keys[0])
    lost = [
        key
        for key in view.keys
        if not key.colon
        and key not in keys
        and has_text(key.rest)
        and similarity(text, _wording(key)) >= SAME_PRINT
        and best_phrase(key.text, spec.labels)[1] >= LABEL_SCORE
        and any(abs(key.box[0] - other.box[0]) <= view.height for other in keys)
    ]
    order = {id(line): index for index, line in enumerate(view.page.lines)}
    return sorted([*keys, *lost], key=lambda k: order.get(id(k.line), 0))


def repeated_candidates(spec: FieldSpec, view: PageView) -> list[Candidate]:
    """A label printed once per item ("Sig:" under each medicine): every occurrence's value,
    in reading order, as the lines of one multi-line value. The occurrences are one label
    printed again, so they read alike, but for an OCR slip: "Rx date:" above two "Rx:" rows
    reads as the list's label "Rx", but is no item of it."""
    if spec.max_lines < 2:
        return []
    groups: dict[str, list[Key]] = {}
    for key in view.keys:
        if not key.colon or best_phrase(key.text, spec.labels)[1] < LABEL_SCORE:
            continue
        text = _wording(key)
        same = next((g for g in groups if similarity(g, text) >= SAME_PRINT), text)
        groups.setdefault(same, []).append(key)
    keys = max(groups.values(), key=len, default=[])
    if not keys:
        return []
    # One occurrence read with its colon is enough when OCR lost the others' (a heavy copy).
    keys = _with_colons_lost(keys, spec, view)
    if len(keys) < 2:
        return []
    lines = [k.rest for k in keys if has_text(k.rest)]
    if not lines:
        return []  # no value beside any: a heading printed again (the halves of one grid), no items
    score = min(best_phrase(k.text, spec.labels)[1] for k in keys)
    return [Candidate(spec.name, view.page.index, tuple(lines), "repeated", score, tuple(keys))]
