"""Doses OCR misread by a confusable glyph: "9O mcg" for "90 mcg", "75 mq" for "75 mg".

A dose is a number and a unit from a short, known list (a field's ``units``). Inside a number,
letters shaped like digits ("O", "C", "l", "I", "S") are digits; a unit that is none as read but
becomes exactly one known unit by swapping confusable glyphs ("q" for "g", "rn" or "n" for "m",
"I" for "l", "e" for "c") is that unit. Only a number standing before a unit, and a unit standing after a
number, are touched; every repair is returned so the field is flagged with what was read. (A
speck read as a mark in the space before a dose, "Losartan.100 mg", is parted from the words
at the page's ink, before they are joined: ``extraction.specks``.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Letters OCR reads for digits, inside a number.
DIGIT_LOOKALIKES = str.maketrans(
    {"O": "0", "o": "0", "D": "0", "C": "0", "c": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"}
)
# Glyphs OCR reads for one another, folded to one spelling to compare a unit as read with the
# known ones.
UNIT_CONFUSIONS = (
    ("rn", "m"),
    ("n", "m"),
    ("q", "g"),
    ("y", "g"),
    ("1", "l"),
    ("i", "l"),
    ("|", "l"),
    ("0", "o"),
    ("e", "c"),
)

_LOOKS = "OolI|SBCc"
_NUMBER = rf"\d[\d{_LOOKS}]*(?:[.,][\d{_LOOKS}]+)?|[{_LOOKS}][\d{_LOOKS}]+(?:[.,][\d{_LOOKS}]+)?"
_DOSE = re.compile(rf"(?<![\w.])(?P<number>{_NUMBER})(?P<space> ?)(?P<unit>[A-Za-z|µ01]{{1,6}})\b")


def repair_doses(text: str, units: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
    """``text`` with each misread dose set right, and the (read, taken) pairs repaired."""
    known = {u.lower(): u for u in units}
    folded: dict[str, str] = {}
    for unit in units:
        folded.setdefault(_fold(unit), unit)  # "mI": the first of "ml" and "mL" listed
    repairs: list[tuple[str, str]] = []

    def fix(match: re.Match[str]) -> str:
        number, unit = match.group("number"), match.group("unit")
        taken_unit = unit if unit.lower() in known else folded.get(_fold(unit))
        if taken_unit is None:
            return match.group(0)
        taken_number = number.translate(DIGIT_LOOKALIKES)
        if not re.fullmatch(r"\d+(?:[.,]\d+)?", taken_number):
            return match.group(0)
        taken = taken_number + match.group("space") + taken_unit
        if taken != match.group(0):
            repairs.append((match.group(0), taken))
        return taken

    return _DOSE.sub(fix, text), repairs


def _fold(unit: str) -> str:
    folded = unit.lower()
    for read, meant in UNIT_CONFUSIONS:
        folded = folded.replace(read, meant)
    return folded
