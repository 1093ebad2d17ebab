"""A date or phone number written in pieces along its row: comb groups "29 | 04 | 1968" and
blanks "( 652 ) 724 - 3582" reach the engine as separate lines, and the first piece alone
(the day, the area code) is no value.

``pieced_value`` joins the pieces that follow the first one on its row, while they are digit
groups and the punctuation printed between them, into one value in the usual printed form: the
date's groups joined by "/" in the form's order, a ten-digit phone as "(652) 724-3582".
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from extraction.doctypes import FieldSpec
from extraction.normalize import normalize
from extraction.types import Line, Word, on_one_row, union_box
from extraction.validate import check_value

# Field kinds a form may ask for in pieces.
PIECED_KINDS = ("date", "phone")
# How far (in text heights) one piece may stand from the next: the printed ") " or " - " or the
# gap between comb groups, never a next label's width.
PIECE_GAP = 6.0
# What a form prints between the pieces: brackets, dashes, slashes, the sides of boxes.
BETWEEN = re.compile(r"^[()\[\]|/\\.\-–—_]+$")
# A North American phone number's digits: area code, exchange and line number.
NANP_DIGITS = 10
# The digit groups of a date: day, month and year in some order, or year first.
DATE_GROUPS = re.compile(r"^(\d{1,2}/\d{1,2}/\d{4}|\d{4}/\d{1,2}/\d{1,2})$")


def pieced_value(spec: FieldSpec, first: Sequence[Word], lines: Sequence[Line], height: float) -> list[Word]:
    """``first`` (the words beside a label), or, when they fail the field's check and are a
    piece of a date or phone, one word joining them with the pieces after them on the row
    (among ``lines``) that make a value passing the check; its box spans the pieces and its
    confidence is theirs at least."""
    first = list(first)
    if spec.kind not in PIECED_KINDS or not first or not _is_piece(first, opening=True):
        return first
    if _passes(spec, " ".join(w.text for w in first)):
        return first
    row = sorted(
        (ln for ln in lines if ln.box[0] >= first[-1].box[2] - 2 and on_one_row(ln.box, first[0].box)),
        key=lambda ln: ln.box[0],
    )
    pieces, end = list(first), first[-1].box[2]
    for line in row:
        # The print between two groups ("-") may stand as a line of its own: it joins, never ends.
        between = all(BETWEEN.match(w.text) for w in line.words)
        piece = between or _is_piece(list(line.words))
        if not piece and line.box[0] < end:
            continue  # no piece, starting over the last one: its ink read again as something else
        if line.box[0] - end > PIECE_GAP * height or not piece:
            break
        pieces += line.words
        end = line.box[2]
        joined = _joined(spec, pieces)
        if joined is not None:
            return [joined]
    return first


def _passes(spec: FieldSpec, text: str) -> bool:
    """True when ``text`` reads as a value of the field with no doubt and passes its check."""
    value, problem = normalize(spec, [text])
    return problem is None and check_value(spec, value) is None


def _is_piece(words: Sequence[Word], opening: bool = False) -> bool:
    """True for words that are digit groups and the punctuation printed between them only (at
    least one digit, but for the ``opening`` piece: the "(" before an area code)."""
    texts = [w.text for w in words]
    return (opening or any(ch.isdigit() for t in texts for ch in t)) and all(
        t.isdigit() or BETWEEN.match(t) or re.fullmatch(r"[()\[\]|/\-\d]*\d[()\[\]|/\-\d]*", t) for t in texts
    )


def _joined(spec: FieldSpec, pieces: Sequence[Word]) -> Word | None:
    """The pieces as one word in the field's printed form, when that passes the field's check."""
    groups = [g for w in pieces for g in re.findall(r"\d+", w.text)]
    if spec.kind == "date":
        text = "/".join(groups)
        if not DATE_GROUPS.match(text):
            return None
    elif len(digits := "".join(groups)) == NANP_DIGITS:
        # Ten digits in order, wherever a gap fell among them ("(629)49" then "2-8474": the
        # space after the area code lost, a gap read inside the next group).
        text = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    else:
        return None
    if not _passes(spec, text):
        return None
    box = union_box([w.box for w in pieces])
    assert box is not None
    return Word(text, min(w.confidence for w in pieces), box, pieces[0].line)
