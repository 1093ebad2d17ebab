"""Words a lost space ran together, parted again where print is read as a label.

Tesseract drops the narrow space of a tightly set line ("Yourheightincm", "Whatis your
fullname?", "a person we may callin anemergency"). A label read so loses its question's lead,
the qualifier after it and its own words. Such a run is parted into the words it is made of
when it is no word itself and splits wholly into common English words and the words of the
document types' labels, fewest words first. Only print tried as a label is parted: a value's
text is never changed here, only its run-together words named (``run_together``) so the value is
flagged.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from functools import cache, lru_cache

from extraction.doctypes import document_types
from extraction.lexicon import english_counts

# A run this short is as likely an abbreviation or a code ("DOB", "MRN") as words run together.
MIN_RUN_LETTERS = 5
# English words seen at least this often may be parts of a run; rarer ones ("ot", "wht") are
# more often misreadings than words.
COMMON_COUNT = 1000
# A part of this many letters or fewer is a word of the commonest ("in", "is", "you"), or a
# label's ("kg", "id"): rarer short words are a longer word's endings ("hospital|is|ed").
SHORT_PART_LETTERS = 3
COMMON_SHORT_COUNT = 1_000_000
# A label word counts as often as the commonest English words.
LABEL_WORD_COUNT = 10**8
# In a value, a run counts as words run together only when one of its parts is a word this
# common (of two letters or more: "and", "of", "the", "for", "with"): brands and places are
# named by joined words of content ("Northstar", "Silverline", "Maplewood"), seldom by these.
FUNCTION_WORD_COUNT = 10**7
LETTERS_RUN = re.compile(r"[A-Za-z]+")
# Where a capital follows a small letter inside a run, and the least letters of each part so
# parted ("McDonald", "LeBlanc": a name's prefix is no word of its own).
INNER_CAPITAL = re.compile(r"(?<=[a-z])(?=[A-Z])")
MIN_CAPITAL_PART = 3
NUMBER_RUN_ON = re.compile(r"(?<![\w])\d+[A-Z][a-z]{2,}\b")


def respaced(text: str) -> str:
    """``text`` with each run of letters that is no word but is words run together parted by
    spaces, its letters kept as they are ("Yourheightincm" -> "Your height in cm")."""
    return LETTERS_RUN.sub(lambda match: _parted(match.group()), text)


def run_together(text: str, known: Callable[[str], bool]) -> list[tuple[str, str]]:
    """The runs of letters in a value's ``text`` that read as words run together, each with its
    parting ("Lifeand" -> "Life and"): no word of English at any frequency nor one ``known``
    takes (the field's own vocabularies: a city, a drug), yet wholly made of common words, one
    of them a function word (``FUNCTION_WORD_COUNT``); or, whatever its words, a run whose
    capitals part it into common words ("BlueAssurance": a capital after a small letter opens
    a word in print; a brand so written, "BlueCross", is flagged for a look, no more)."""
    found = []
    for run in LETTERS_RUN.findall(text):
        lower = run.lower()
        if lower in english_counts() or known(lower):
            continue
        parted = _parted(run)
        if parted != run and any(_is_function_word(part.lower()) for part in parted.split()):
            found.append((run, parted))
        elif _common_words(capitalised := _at_capitals(run)):
            found.append((run, capitalised))
    return found


def number_run_on(text: str) -> list[str]:
    """The words of ``text`` that are a number run on to a word opening in a capital
    ("28Adams"): print sets a space there, while a number's own ending is small ("12th",
    "5mg") or one capital ("1A", "3M")."""
    return NUMBER_RUN_ON.findall(text)


def _at_capitals(run: str) -> str:
    """``run`` parted before each capital that follows a small letter ("BlueAssurance")."""
    return INNER_CAPITAL.sub(" ", run)


def _common_words(parted: str) -> bool:
    """True for two words or more, each of MIN_CAPITAL_PART letters or more and common English."""
    parts = parted.split()
    return len(parts) >= 2 and all(
        len(part) >= MIN_CAPITAL_PART and english_counts().get(part.lower(), 0) >= COMMON_COUNT
        for part in parts
    )


def split_apart(text: str, known: Callable[[str], bool]) -> list[tuple[str, str]]:
    """The pairs of neighbouring words in a value's ``text`` that read as one word a space
    split apart, each with that word ("He alth" -> "Health"): joined, an English word seen
    at least ``COMMON_COUNT`` times or one ``known`` takes, while one of the two is no word of
    English at any frequency nor one ``known`` takes. Two words ("to day", "any one") are left
    alone: either spelling is written."""
    words = text.split(" ")
    found = []
    for first, second in itertools.pairwise(words):
        if not (LETTERS_RUN.fullmatch(first) and LETTERS_RUN.fullmatch(second)):
            continue
        joined = (first + second).lower()
        if english_counts().get(joined, 0) < COMMON_COUNT and not known(joined):
            continue
        if any(part.lower() not in english_counts() and not known(part.lower()) for part in (first, second)):
            found.append((f"{first} {second}", first + second.lower()))
    return found


def _is_function_word(word: str) -> bool:
    return len(word) >= 2 and english_counts().get(word, 0) >= FUNCTION_WORD_COUNT


def _parted(run: str) -> str:
    lower = run.lower()
    if len(run) < MIN_RUN_LETTERS or _is_word(lower):
        return run
    cuts = _cuts(lower)
    if not cuts:
        return run
    starts = (0, *cuts)
    ends = (*cuts, len(run))
    return " ".join(run[start:end] for start, end in zip(starts, ends, strict=True))


@lru_cache(maxsize=4096)
def _cuts(run: str) -> tuple[int, ...]:
    """Where ``run`` is parted into the fewest known words, the commoner words among equals
    (positions inside it); () when it is no run of known words or a word alone."""
    # best[i]: (words, cost, cuts) of the best parting of run[:i]
    best: list[tuple[int, float, tuple[int, ...]] | None] = [None] * (len(run) + 1)
    best[0] = (0, 0.0, ())
    for end in range(1, len(run) + 1):
        for start in range(end):
            before = best[start]
            piece = run[start:end]
            if before is None or not _is_word(piece):
                continue
            cuts = (*before[2], start) if start else ()
            candidate = (before[0] + 1, before[1] + _cost(piece), cuts)
            if best[end] is None or candidate[:2] < best[end][:2]:  # type: ignore[index]
                best[end] = candidate
    found = best[len(run)]
    return found[2] if found is not None and found[0] >= 2 else ()


def _is_word(piece: str) -> bool:
    if piece in _label_words():
        return True
    floor = COMMON_SHORT_COUNT if len(piece) <= SHORT_PART_LETTERS else COMMON_COUNT
    return english_counts().get(piece, 0) >= floor


def _cost(piece: str) -> float:
    count = LABEL_WORD_COUNT if piece in _label_words() else english_counts().get(piece, 1)
    return -math.log(count)


@cache
def _label_words() -> frozenset[str]:
    """The words of every document type's labels and headings, in lower-case letters alone."""
    phrases = (phrase for doc_type in document_types().values() for phrase in doc_type.vocabulary)
    return frozenset(w for phrase in phrases for w in LETTERS_RUN.findall(phrase.lower()) if len(w) >= 2)
