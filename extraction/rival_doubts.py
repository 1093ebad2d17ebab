"""Doubts on a chosen value from its field's other labels: the page prints a field's label
twice, or prints a rival label a misread letter left a little short of sure.

A doubt is a note on the candidate taken (the value stays; ``extraction.evidence`` flags it).
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.doctypes import DocumentType
from extraction.page_view import Candidate
from extraction.taken_words import clashes, word_ids
from extraction.types import Box

# A label read this well or better is sure; below it the value is flagged.
LABEL_SURE_SCORE = 0.9
# A candidate of another sure label scoring within this of the one taken puts it in doubt.
RIVAL_MARGIN = 0.1
# So does one whose label reads this well, a letter of it misread ("Pasent full name"), as no
# other field's better, its value fitting and placed as well as the one taken.
NEAR_SURE_SCORE = 0.84
# A rival of this many digits puts it in doubt whatever its score: a number misread (see
# ``_misread_number``).
MISREAD_DIGITS = 4
NUMBERED_KINDS = ("phone", "date", "identifier", "integer")
# A value read within this of its score as the value of a field left blank may be that field's.
CONTEST_MARGIN = 0.05


def doubt_rivals(
    chosen: dict[str, Candidate],
    scored: list[tuple[float, int, Candidate]],
    used_keys: set[int],
    used_words: set[tuple[int, Box]],
    numbered: frozenset[str],
) -> dict[str, Candidate]:
    """Each chosen candidate doubted when another surely read label of its field, left to no
    other field, reads a different value nearly as well (words it shares with the chosen value
    count as free: two headings of one list's halves each read some of it): the page prints
    the field's label twice ("INSURANCE / BILLING" over the section, "INSURER" in it), and
    which one holds the value is not known (``_sure_rival``); so does a rival whose label a
    misread letter left a little short of sure (``_near_sure_rival``)."""
    best = {c.field: score for score, _i, c in scored if chosen.get(c.field) is c}
    doubted = dict(chosen)
    for score, _index, rival in scored:
        taken = chosen.get(rival.field)
        if (
            taken is None
            or rival is taken
            or taken.note
            or taken.how in ("table", "option", "repeated")
            or not (
                _sure_rival(rival, taken, score, best[rival.field], numbered)
                or _near_sure_rival(rival, taken, score, best[rival.field], scored)
            )
            or not "".join(rival.texts).strip()
            or _same_text(rival.texts, taken.texts)
            or clashes(replace(rival, keys=()), set(), used_words - set(word_ids(taken)))
            or any(k in taken.keys or id(k) in used_keys for k in rival.keys)
        ):
            continue
        shown = " ".join(rival.texts)
        doubted[rival.field] = replace(
            doubted[rival.field],
            note=doubted[rival.field].note
            or f"another label of this field reads {shown!r}: check which is its value",
        )
    return doubted


def doubt_contested(
    chosen: dict[str, Candidate], scored: list[tuple[float, int, Candidate]], labels: dict[str, str]
) -> dict[str, Candidate]:
    """Each chosen candidate doubted when its value words were read as well (within
    CONTEST_MARGIN) as the value of another field left without one: the page sets the value
    between two labels ("Expiration date" over it, a web form's "Date" caption under it), and
    which field it is was decided by a tie. ``labels`` names each field for the clerk."""
    best = {c.field: score for score, _i, c in scored if chosen.get(c.field) is c}
    # A field read in parts ("phone_number.area") has a value when it or any part has one.
    valued = {_whole(name) for name, candidate in chosen.items() if candidate.words}
    # The candidates of fields left without a value, each with the words it reads.
    unvalued = [
        (score, _whole(other.field), word_ids(other))
        for score, _index, other in scored
        if _whole(other.field) not in valued
    ]
    doubted = dict(chosen)
    for field, taken in chosen.items():
        words = word_ids(taken)
        if not words or taken.note:
            continue
        contested = next(
            (
                whole
                for score, whole, theirs in unvalued
                if whole != _whole(field) and score >= best[field] - CONTEST_MARGIN and words & theirs
            ),
            None,
        )
        if contested is not None:
            doubted[field] = replace(
                taken,
                note=f"read as well as the {labels[contested]}'s value: check which field it is",
            )
    return doubted


def _whole(field: str) -> str:
    """The field a part's name ("phone_number.area") belongs to; a whole field's name itself."""
    return field.split(".", 1)[0]


def _sure_rival(
    rival: Candidate, taken: Candidate, score: float, best: float, numbered: frozenset[str]
) -> bool:
    """True for a rival whose label reads surely and whose score is within RIVAL_MARGIN of the
    taken one's; for a field whose values are numbers (``numbered``), a number under a label as
    sure as the taken one's however ill it reads (``_misread_number``)."""
    return rival.label_score >= LABEL_SURE_SCORE and (
        score >= best - RIVAL_MARGIN or (rival.field in numbered and _misread_number(rival, taken))
    )


def _near_sure_rival(
    rival: Candidate, taken: Candidate, score: float, best: float, scored: list[tuple[float, int, Candidate]]
) -> bool:
    """True for a rival whose label reads NEAR_SURE_SCORE or better but not surely, as no other
    field's label better, its value as plausible and as well placed as the taken one's (its
    score less its label's no lower, by RIVAL_MARGIN)."""
    if not NEAR_SURE_SCORE <= rival.label_score < LABEL_SURE_SCORE:
        return False
    if score - rival.label_score < best - taken.label_score - RIVAL_MARGIN:
        return False
    keys = {id(k) for k in rival.keys}
    return not any(
        other.field != rival.field
        and other.label_score > rival.label_score
        and keys & {id(k) for k in other.keys}
        for _score, _index, other in scored
    )


def numbered_fields(doc_type: DocumentType) -> frozenset[str]:
    """The fields whose values are numbers: a phone, a date, an identifier, a count."""
    return frozenset(spec.name for spec in doc_type.fields if spec.kind in NUMBERED_KINDS)


def _misread_number(rival: Candidate, taken: Candidate) -> bool:
    """True for a rival of MISREAD_DIGITS digits or more under a label as sure as the chosen
    value's: a number, its check failed by a glyph misread ("Home phone: (264) #49-5087"), is
    no reason to trust the "Phone:" of the previous doctor's row further down."""
    digits = sum(ch.isdigit() for text in rival.texts for ch in text)
    return digits >= MISREAD_DIGITS and rival.label_score >= taken.label_score


def _same_text(a: list[str], b: list[str]) -> bool:
    return re.sub(r"\W+", "", " ".join(a)).lower() == re.sub(r"\W+", "", " ".join(b)).lower()
