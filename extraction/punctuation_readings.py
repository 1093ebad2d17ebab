"""Two readings of a value that differ only in punctuation: which marks each reader is to be
trusted with.

Tesseract drops the full stop of an abbreviation (it merges into the letter before it, or is
taken for a speck: "Dr Amy Olson" for "Dr. Amy Olson", "MD" for "M.D") and reads specks beside
words as marks of their own ("+Eggs", "[Tree nuts", "Park.Avenue"); the second reader keeps
the one and not the other. Tesseract also loses the comma between two words ("Pine Dr
Houston", "Denver CO") or reads it as a full stop or a semicolon; the second reader, whose
habit is the other way (it turns commas into full stops: "Way. Chicago. IL", and adds a full
stop at a value's end: "Codeine."), is to be trusted where it reads a comma. So where the two
readings hold the same letters and digits, the second one is the better only when every mark
it changes is one of those tesseract gets wrong: a full stop added after an abbreviation (one
or two letters opening with a capital) or for a comma after capitals parted by full stops
("P.O, Box"), a comma between words (added, or for a full stop or a
semicolon), or a stray mark left out (next to a word's start or end, or between two words'
letters, and not an abbreviation's full stop).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# Marks OCR reads specks as; a comma and a full stop only where no abbreviation ends.
STRAY_MARKS = frozenset("+[](){}|\\/.,;:'\"`*~_")
_ABBREVIATION_END = re.compile(r"(?:^|[^A-Za-z])[A-Z][a-z]?$")
_DOTTED_CAPITALS_END = re.compile(r"(?:^|[^A-Za-z])(?:[A-Z]\.)+[A-Z]$")
_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")


def second_marks_better(first: str, second: str) -> bool:
    """True when ``second`` holds the letters and digits of ``first`` and differs from it only
    by full stops added after abbreviations and stray marks left out (see the module)."""
    if first == second or _ALPHANUMERIC.sub("", first) != _ALPHANUMERIC.sub("", second):
        return False
    for op, i1, i2, j1, j2 in SequenceMatcher(None, first, second, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        removed, added = first[i1:i2], second[j1:j2]
        if op == "insert" and added == "." and _ABBREVIATION_END.search(second[:j1]):
            continue
        if removed == "," and added == "." and _DOTTED_CAPITALS_END.search(second[:j1]):
            continue  # the last full stop of dotted capitals read as a comma ("P.O, Box")
        if added == "," and removed in ("", ".", ";") and _between_words(second, j1, j2):
            continue  # a comma between words, lost or read as another mark
        if removed.strip() and set(removed.strip()) <= STRAY_MARKS and added.strip() == "":
            if "." in removed and _ABBREVIATION_END.search(first[:i1]):
                return False  # an abbreviation's own full stop
            if not _stray_at(first, i1, i2):
                return False
            continue
        return False
    return True


def _between_words(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` follows a letter and comes before a space: where a comma
    parts two words ("Pine Dr, Houston", "Denver, CO")."""
    return start > 0 and text[start - 1].isalpha() and text[end : end + 1] == " "


def _stray_at(text: str, start: int, end: int) -> bool:
    """Whether marks at ``text[start:end]`` stand where no mark belongs to the words: at a
    word's start or end (no letter or digit on one side) or between two letters; between
    digits ("31/10/1986") they part a number."""
    before = text[start - 1] if start > 0 else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() or not after.isalnum() or (before.isalpha() and after.isalpha())
