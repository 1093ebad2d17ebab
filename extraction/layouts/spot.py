"""A learned value's spot read more closely than the page pass read it.

The layout knows where a value sits and what kind it is: a number, date or phone written one
character to a box comes back from the page pass with the boxes' rules as brackets and bars,
which are no characters of it.
"""

from __future__ import annotations

from extraction.doctypes import FieldSpec
from extraction.normalize import normalize
from extraction.types import Word
from extraction.validate import check_value

# Kinds of value written one character to a box on some forms, and the characters OCR makes
# of the boxes' rules.
RULED_KINDS = ("date", "phone", "integer", "identifier")
BOX_RULES = frozenset("[]{}|")
# So many brackets and bars in one value are the rules of a comb of boxes.
MIN_COMB_RULES = 3


def without_box_rules(
    spec: FieldSpec, lines: list[list[Word]], value: str, problem: str | None
) -> tuple[str, str | None, bool]:
    """A number, date or phone written one character to a box is read with the boxes' rules
    as brackets and bars ("[1[2]/[2]9]/|1]9|4|2" for 12/29/1942). When the value fails its
    check and passes it without them, it is read without them (the third item says so)."""
    text = [" ".join(w.text for w in line) for line in lines]
    if spec.kind not in RULED_KINDS or not value or check_value(spec, value) is None:
        return value, problem, False
    if not _read_rules(text):
        return value, problem, False
    bare = ["".join(c for c in line if c not in BOX_RULES) for line in text]
    again, again_problem = normalize(spec, bare)
    if not again or check_value(spec, again) is not None:
        return value, problem, False
    return again, again_problem, True


def _read_rules(text: list[str]) -> bool:
    """True when the brackets and bars read look like boxes' rules: one between most
    characters (a comb of boxes), or each at the edge of its word (a cell's border beside the
    value). One inside a number ("43]-622") is a misread digit, not a rule."""
    words = [word for line in text for word in line.split()]
    count = sum(c in BOX_RULES for word in words for c in word)
    if count == 0:
        return False
    if count >= MIN_COMB_RULES:
        return True
    return all(c not in BOX_RULES for word in words for c in word.strip("".join(BOX_RULES)))
