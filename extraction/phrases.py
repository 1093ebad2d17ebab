"""How well printed words read as a label's wording: the scores keys and fields are matched by.

A key's text and a wording are compared letters and digits only, in lower case, with glyphs
print OCR reads for one another folded together; a wording matched by a key's first words (a
qualifier after it) or its last (a word in front) scores less than one matched whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from extraction.layout import BOUND_SLACK, normalize_token, similarity, similarity_bound

LABEL_CACHE_SIZE = 50_000
# A hint printed in brackets after or inside a label: its format, unit or another wording,
# in letters ("(DD/MM/YYYY)", "(kg)"); "(520)" is the area code of a value.
BRACKETED = re.compile(r"\([^()]*[A-Za-z][^()]*\)")
# The same hint cut off at the line's end, its closing bracket lost to a wrap or a column break.
CUT_BRACKET = re.compile(r"\([^()]*[A-Za-z][^()]*$")
# Words of a label are parted by spaces and by slashes ("Town/City", "DOB/Age").
WORD_PARTS = re.compile(r"[\s/]+")
# One word or another: "Town/City", "Area / ZIP".
SLASHED = re.compile(r"\s*/\s*")
# Glyphs print OCR reads for one another ("M1" for "M.I.", "Narne" for "Name", "5ex" for
# "Sex"): a key and a label's wording are compared with each group folded into one glyph, so a
# misread glyph costs a label nothing; wordings that differ only by such glyphs read alike.
LOOK_ALIKE_GLYPHS = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s"})
LOOK_ALIKE_RUNS = (("rn", "m"), ("vv", "w"))
# A wording of this many letters or fewer (after folding: "MMR", "DOB", "Tel") is an acronym or
# an abbreviation: one letter off is another word ("MRN", a record number, is not "MMR"), so it
# scores only when read exactly; look-alike glyphs are folded before.
ACRONYM_LETTERS = 3
# Capitals and digits OCR reads for one another in a damaged print ("0.0.8." for "D.O.B.", "S16"
# for "SIG"): a key read wholly in capitals and digits may be read as an acronym with these
# folded too, but the glyphs differ in clean print, so such a reading is a label never surely
# (over KEY_MIN_SCORE, 0.84, under LABEL_SURE_SCORE, 0.9): its value is flagged.
CAPITAL_LOOK_ALIKES = str.maketrans({"d": "o", "q": "o", "8": "b", "6": "g", "2": "z"})
CAPITAL_LOOK_ALIKE_FACTOR = 0.86
# The word after a label's first words that makes them a label of what follows ("Name of your
# health plan"): those first words alone are no reading of it.
OF = "of"
# Words joining what follows them to the words before: a value never opens with one; the label
# goes on ("EMERGENCY CONTACT AND INSURANCE", a heading; "Date of birth").
JOINING_WORDS = frozenset({"and", "or", "nor", "&", OF})
# Words that put a label as a question or a request ("Have you had chickenpox?", "What is your
# date of birth?", "Please list any allergies"): in front of a label's wording they ask for its
# value and make it no other field's, so a reading after them scores above any other reading in
# part; but the question holds words no wording of ours does, so it is not sure (under
# LABEL_SURE_SCORE, 0.9): its value is flagged. A lead is one of these phrases, or any run of
# the words questions and requests are made of (``QUESTION_WORDS``).
QUESTION_LEADS = (
    "have you had", "have you ever had", "have you been", "have you ever been", "have you received",
    "do you have", "do you currently have", "do you have any", "are you", "are you currently",
    "did you have", "did you receive", "history of", "any",
)  # fmt: skip
QUESTION_WORDS = frozenset((
    "what", "which", "who", "when", "where", "how", "is", "are", "was", "were", "do", "does", "did",
    "have", "has", "had", "you", "your", "the", "a", "an", "any", "please", "print", "list", "write",
    "enter", "give", "provide", "ever", "currently", "now", "of", "if", "yes", "we", "us", "i",
    "should", "would", "could", "can", "may", "will", "anything", "all",
))  # fmt: skip
QUESTION_LEAD_FACTOR = 0.89
# A question's word glued to the next by a lost space is told apart when both have this many
# letters or more ("youborn"; "is" + "land" would not be).
MIN_GLUED_LETTERS = 3
# A label's wording asked with words after it too ("Please list any medical conditions you
# have"): less sure than one the question ends with, still a label (over KEY_MIN_SCORE, 0.84).
QUESTION_QUALIFIED_FACTOR = 0.85
# A list's number or letter before a label ("1. Medication:", "(2) Sig:"): no word of the label.
ITEM_NUMBER = re.compile(r"^\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]\s+(?=\S)", re.IGNORECASE)


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def key_token(text: str) -> str:
    """``text`` as labels are compared: ``normalize_token`` with look-alike glyphs folded."""
    token = normalize_token(text).translate(LOOK_ALIKE_GLYPHS)
    for run, glyph in LOOK_ALIKE_RUNS:
        token = token.replace(run, glyph)
    return token


def phrase_score(text: str, phrase: str) -> float:
    """How well a key's text reads as ``phrase`` (0..1), letters and digits compared.

    Extra words after the phrase ("Weight (kg)", "List any Medical Problems (asthma, ...)")
    cost a little; words before it cost much more: "Emergency contact name" is not "Name".
    """
    return _phrase_score(key_token(text), _tokens(text), phrase, in_capitals(text))


def in_capitals(text: str) -> bool:
    """True for print with no small letter and at least one capital or digit ("D.O.B.",
    "0.0.8."): where a capital's look-alikes may stand for it."""
    return not any(ch.islower() for ch in text) and any(ch.isupper() or ch.isdigit() for ch in text)


def _tokens(text: str) -> tuple[str, ...]:
    """The words of a label as compared: a slash parts words as a space does ("Town/City")."""
    return tuple(key_token(w) for w in WORD_PARTS.split(text) if w)


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def _phrase_score(whole: str, tokens: tuple[str, ...], phrase: str, capitals: bool = False) -> float:
    target = key_token(phrase)
    if not target or not whole:
        return 0.0
    if len(target) <= ACRONYM_LETTERS:
        # Short wordings are read whole or not at all: "MRN" is another label than "MMR".
        readings = _readings(whole, tokens)
        exact = max((factor for text, factor in readings if text == target), default=0.0)
        if exact or not capitals:
            return exact
        return CAPITAL_LOOK_ALIKE_FACTOR * max(
            (factor for text, factor in readings if _capital_fold(text) == _capital_fold(target)), default=0.0
        )
    # The phrase matched against the whole key, and against its first words only, the rest a
    # qualifier; a reading is compared by difflib only if its bound can beat the best so far.
    bounded = sorted(
        (
            (similarity_bound(target, text) * factor, text, factor)
            for text, factor in _readings(whole, tokens)
        ),
        key=lambda item: -item[0],
    )
    best = 0.0
    for bound, text, factor in bounded:
        if bound < best:
            break
        best = max(best, similarity(target, text) * factor)
    return best


def _readings(whole: str, tokens: tuple[str, ...]) -> list[tuple[str, float]]:
    """The key's text as a whole, then each run of its first words (but for one that "of" goes
    on from: the words after it say whose it is), then each run of its last, with the factor
    that run's score is weighed by: extra words after the phrase cost a little;
    words before it ("Chronic conditions", "Current meds") cost more, since a word in front may
    make it another field's label ("Emergency phone"), so such a reading is never sure."""
    readings = [(whole, 1.0)]
    for end in range(1, len(tokens)):
        if tokens[end] == OF:
            continue  # "Name of your health plan" names a plan, "Date of birth" no date
        head = "".join(tokens[:end])
        readings.append((head, 0.85 + 0.15 * len(head) / len(whole)))
    for start in range(1, len(tokens)):
        tail = "".join(tokens[start:])
        asked = _asks(tokens[:start])
        readings.append((tail, QUESTION_LEAD_FACTOR if asked else 0.8 + 0.05 * len(tail) / len(whole)))
        if asked:
            readings += _asked_readings(tokens[start:])[1:]
    # One word of its own among a question's words before the wording ("Do you have any
    # ongoing health conditions", "Are you currently taking any regular medications"): the
    # wording asked with a qualifier, still a label but less sure.
    for start in range(2, len(tokens)):
        lead = tokens[:start]
        own = [index for index, token in enumerate(lead) if token not in question_words()]
        # The question opens with its own words ("Name of patient" asks nothing).
        if len(own) == 1 and own[0] >= 2 and _asks(lead[: own[0]] + lead[own[0] + 1 :]) and not _asks(lead):
            readings += [(text, QUESTION_QUALIFIED_FACTOR) for text, _ in _asked_readings(tokens[start:])]
    # A question's word glued to the label's first word by a lost space ("When were youborn"):
    # the label read from inside that word.
    for start in range(len(tokens)):
        glued = _glued_question_word(tokens[start])
        if glued and _asks((*tokens[:start], glued)):
            readings += _asked_readings((tokens[start][len(glued) :], *tokens[start + 1 :]))
    return readings


def _asked_readings(tokens: tuple[str, ...]) -> list[tuple[str, float]]:
    """The readings of the words after a question's lead: all of them, then their first words
    with more words after them."""
    return [("".join(tokens), QUESTION_LEAD_FACTOR)] + [
        ("".join(tokens[:end]), QUESTION_QUALIFIED_FACTOR) for end in range(1, len(tokens))
    ]


def _glued_question_word(token: str) -> str:
    """The question's word a token opens with when OCR lost the space after it ("youborn",
    "yourphone"), or "": a word of MIN_GLUED_LETTERS or more before as many letters or more."""
    return next(
        (
            w
            for w in _glued_question_words()
            if token.startswith(w) and len(token) - len(w) >= MIN_GLUED_LETTERS
        ),
        "",
    )


@lru_cache(maxsize=1)
def _glued_question_words() -> tuple[str, ...]:
    """The question's words that may be glued to the next, longest first ("your" before "you")."""
    words = (w for w in question_words() if len(w) >= MIN_GLUED_LETTERS)
    return tuple(sorted(words, key=len, reverse=True))


def _asks(lead: tuple[str, ...]) -> bool:
    """True when the words before a reading put it as a question or a request; "name of your"
    asks too ("What is the name of your insurance company?"), while "Name of patient" is a
    label of its own, not the "Patient" heading asked for."""
    if "".join(lead) in _question_leads():
        return True
    words = question_words()
    return all(
        token in words or (token == "name" and lead[index + 1 : index + 3] in (("of", "your"), ("of", "the")))
        for index, token in enumerate(lead)
    )


def opens_asking(text: str) -> bool:
    """True when ``text``'s first words put what follows as a question or a request ("What is
    your ...", "Please print ...", "Name of your ...")."""
    tokens = _tokens(text)
    return any(_asks(tokens[:end]) for end in range(1, len(tokens)))


@lru_cache(maxsize=1)
def question_words() -> frozenset[str]:
    """``QUESTION_WORDS`` as labels' words are compared (``key_token``)."""
    return frozenset(key_token(word) for word in QUESTION_WORDS)


@lru_cache(maxsize=1)
def _question_leads() -> frozenset[str]:
    return frozenset(key_token(lead.replace(" ", "")) for lead in QUESTION_LEADS)


def best_phrase(text: str, phrases: Iterable[str]) -> tuple[str, float]:
    """The phrase ``text`` reads as best, with its score ("", 0.0 when there is none); a list's
    item number before it is left out."""
    return _best_phrase(ITEM_NUMBER.sub("", text), tuple(phrases))


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def _best_phrase(text: str, phrases: tuple[str, ...]) -> tuple[str, float]:
    if not phrases:
        return "", 0.0
    whole = key_token(text)
    tokens = _tokens(text)
    capitals = in_capitals(text)
    readings = _readings(whole, tokens) if whole else []
    bounds = _phrase_bounds(readings, phrases, capitals)
    best: tuple[float, str] | None = None
    # Phrases in order of their bound: one that cannot reach the best score is never scored.
    # Among equal scores the greatest phrase wins, as in max() over (score, phrase).
    for index in sorted(range(len(phrases)), key=lambda i: -bounds[i]):
        if best is not None and bounds[index] < best[0]:
            break
        scored = (_phrase_score(whole, tokens, phrases[index], capitals), phrases[index])
        if best is None or scored > best:
            best = scored
    assert best is not None
    return best[1], best[0]


def _phrase_bounds(
    readings: list[tuple[str, float]], phrases: tuple[str, ...], capitals: bool
) -> list[float]:
    """An upper bound of ``_phrase_score`` for each phrase (see ``similarity_bound``), all
    computed at once; 0.0 for an empty key or an empty phrase. An acronym's bound, for a key in
    capitals, is at least what its capital look-alikes may score."""
    targets = _targets(phrases)
    if not readings:
        return [0.0] * len(phrases)
    similarities = cdist([text for text, _ in readings], targets, scorer=Indel.normalized_similarity)
    factors = np.array([factor for _, factor in readings])[:, None]
    bounds = ((similarities + BOUND_SLACK) * factors).max(axis=0)
    floor = CAPITAL_LOOK_ALIKE_FACTOR if capitals else 0.0
    return [
        (max(float(bound), floor) if len(target) <= ACRONYM_LETTERS else float(bound)) if target else 0.0
        for bound, target in zip(bounds, targets, strict=True)
    ]


def _capital_fold(token: str) -> str:
    """A key token with capitals' look-alikes folded into one glyph (``CAPITAL_LOOK_ALIKES``)."""
    return token.translate(CAPITAL_LOOK_ALIKES)


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def _targets(phrases: tuple[str, ...]) -> list[str]:
    return [key_token(phrase) for phrase in phrases]


def whole_phrase_score(text: str, phrases: Iterable[str], cut_hints: bool = True) -> float:
    """How well ``text`` as a whole reads as one of ``phrases``: with no colon to end a label,
    a line is a label only when it is all label ("Weight loss" under a question is a value).
    A hint in brackets after a label's words ("Birth date (DD/MM/YYYY)", "Weight (kg)") is
    printed with it, not part of its wording: the label reads as well with it as without, and
    so when the line ends inside the brackets ("Medical problems (asthma, seiz") unless
    ``cut_hints`` is False: a bracket never closed may be a value's first glyph misread
    ("(MMUNE" for a handwritten "IMMUNE"), which only the gap before it tells."""
    score = _whole_phrase_score(key_token(text), tuple(phrases))
    score = max(score, capital_acronym_score(text, phrases))
    core = without_brackets(text)
    core = CUT_BRACKET.sub(" ", core) if cut_hints else core
    if core != text and any(ch.isalpha() for ch in core):
        score = max(score, _whole_phrase_score(key_token(core), tuple(phrases)))
    # "Town/City" names one thing two ways: when both read as labels, the pair reads as well
    # as the worse of them ("City/Town" printed the other way round is the same label).
    alternatives = [part for part in SLASHED.split(text.strip(" ()")) if any(ch.isalpha() for ch in part)]
    if len(alternatives) == 2:
        score = max(score, min(_whole_phrase_score(key_token(p), tuple(phrases)) for p in alternatives))
    return score


def without_brackets(text: str) -> str:
    """``text`` without its bracketed hints, those inside a hint too ("NAME (SURNAME, GIVEN
    NAME(S))" -> "NAME ")."""
    while (bare := BRACKETED.sub(" ", text)) != text:
        text = bare
    return text


def capital_acronym_score(text: str, phrases: Iterable[str]) -> float:
    """``CAPITAL_LOOK_ALIKE_FACTOR`` when ``text``, in capitals and digits, is one of the
    acronyms among ``phrases`` with capitals' look-alikes folded ("0.0.8." for "DOB"); else 0.0."""
    return _capital_acronym_score(key_token(text), tuple(phrases)) if in_capitals(text) else 0.0


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def _capital_acronym_score(token: str, phrases: tuple[str, ...]) -> float:
    folded = _capital_fold(token)
    acronyms = (target for target in _targets(phrases) if 0 < len(target) <= ACRONYM_LETTERS)
    return CAPITAL_LOOK_ALIKE_FACTOR if any(_capital_fold(t) == folded for t in acronyms) else 0.0


@lru_cache(maxsize=LABEL_CACHE_SIZE)
def _whole_phrase_score(token: str, phrases: tuple[str, ...]) -> float:
    targets = _targets(phrases)
    if not targets:
        return 0.0
    bounds = cdist([token], targets, scorer=Indel.normalized_similarity)[0] + BOUND_SLACK
    bounded = sorted(zip(bounds.tolist(), targets, strict=True), key=lambda item: -item[0])
    best = 0.0
    for bound, target in bounded:
        if bound < best:
            break
        best = max(best, similarity(token, target))
    return best
