"""A word whose case stands out from its line's.

The capitals of c, k, o, p, s, u, v, w, x and z are their small letters drawn larger: OCR reads
"Known" for "known" and "sullivan" for "Sullivan" when a line's height misleads it (a fax, a
photo, handwriting). A capital such a word opens in the middle of a line of small words is
doubted. So is any small word among inner words all opening in capitals: of such a letter, or a
capital misread as a small letter of another shape ("Evergreen Health tnsurance"); and a word
whose letters after its first are such capitals and then small letters ("United ASSurance").
The line's own writing says which case it should have. A word that opens the line or an item
(after a comma, a full stop, a colon...) may take either case and is neither judged nor
evidence; nor are small joining words ("of", "van", "de"), nor drug or person names, which
always take capitals.
"""

from __future__ import annotations

import re

from extraction.lexicon import is_known

SAME_SHAPE_IN_BOTH_CASES = frozenset("ckopsuvwxz")
_CAPITALS_OF_SAME_SHAPE = "".join(sorted(SAME_SHAPE_IN_BOTH_CASES)).upper()
# Words written small inside a name or a title of capitals ("District of Columbia", "Pieter van
# Houten"), which say nothing about the case of the words around them.
JOINING_WORDS = frozenset(
    {"of", "and", "the", "for", "in", "on", "at", "to", "by", "or", "van", "von", "de", "del", "der",
     "den", "di", "da", "dos", "du", "la", "le", "al", "bin", "y"}
)  # fmt: skip
# Lists of names written with a capital wherever they stand ("Tab Carvedilol 12.5 mg"), and the
# list of the plain words of directions, which those lists hold too ("cap", "tab") and which
# take no capital inside a line ("2 Cap with meals").
PROPER_NAMES = ("drugs", "names")
COMMON_WORDS = ("directions",)
# Marks after which a word opens an item and may take a capital.
_OPENERS = frozenset(",.;:-(/&")
_TOKEN = re.compile(r"[^\W\d_]+|\S")


def odd_case_word(value: str) -> str | None:
    """The first word of ``value`` whose case stands out from its line's (see the module), or
    None. Words of one letter, acronyms in capitals and words with digits are not judged."""
    for line in value.splitlines():
        words = _judged_words(line)
        for index, (word, opens) in enumerate(words):
            others = [other for at, other in enumerate(words) if at != index]
            if _odd_capital(word, opens, others) or _odd_small(word, opens, others) or _capitals_inside(word):
                return word
    return None


def _judged_words(line: str) -> list[tuple[str, bool]]:
    """The line's words of two letters or more, no joining word and none written on to a number
    ("12th", "5mg"), each with whether it opens the line or an item."""
    words, previous = [], None
    for match in _TOKEN.finditer(line):
        token = match.group()
        on_a_number = match.start() > 0 and line[match.start() - 1].isdigit()
        if len(token) >= 2 and token.isalpha() and token.lower() not in JOINING_WORDS and not on_a_number:
            words.append((token, previous is None or previous in _OPENERS))
        previous = token
    return words


def _odd_capital(word: str, opens: bool, others: list[tuple[str, bool]]) -> bool:
    """A capital of the same shape opening a word inside a line whose other inner words are all
    small ("No Known allergies")."""
    inner = [other for other, other_opens in others if not other_opens]
    return (
        not opens
        and word[0].lower() in SAME_SHAPE_IN_BOTH_CASES
        and word[0].isupper()
        and word[1:].islower()
        and not (is_known(word, PROPER_NAMES) and not is_known(word, COMMON_WORDS))
        and bool(inner)
        and all(other.islower() for other in inner)
    )


def _capitals_inside(word: str) -> bool:
    """A word opening in a capital whose next letters are capitals of the same shape as their
    small letters and whose rest is small ("ASSurance"): written so, its inner capitals would
    include one of another shape ("USAir"), or run to a small plural ("HMOs")."""
    rest = word[1:].lstrip(_CAPITALS_OF_SAME_SHAPE)
    return word[0].isupper() and len(rest) < len(word) - 1 and len(rest) >= 2 and rest.islower()


def _odd_small(word: str, opens: bool, others: list[tuple[str, bool]]) -> bool:
    """A small word inside a line whose other inner words all open in capitals ("Pacific coast
    Health Plan", "Evergreen Health tnsurance"); not a plain word of directions ("daily"),
    written small in a line of capitals too."""
    inner = [other for other, other_opens in others if not other_opens]
    return (
        not opens
        and word.islower()
        and bool(inner)
        and all(other[0].isupper() for other in inner)
        and not is_known(word, COMMON_WORDS)
    )
