"""Reading a line's words against vocabularies: lexicon-constrained CTC decoding.

The second reader's recognizer gives, for each column of a line, a probability for every symbol
(plus a blank). Greedy decoding takes the likeliest symbol per column, so one uncertain column
misspells a handwritten word ("Marsaret" for "Margaret", "Cedeine" for "Codeine") although the
columns still hold the true word nearly as likely. Here each word of the greedy reading that is
in none of the field's vocabularies is weighed against the vocabulary words a few edits from it:
the CTC likelihood of each candidate over the word's own columns (the forward algorithm, summed
over every alignment) is computed, and the likeliest candidate replaces the word when it is at
most ``MAX_LOG_LOSS`` less likely than what the greedy reading read. This is the prior that a
word written in a name or drug field is likelier a real name or drug than a string of no list,
paid for with evidence the recognizer itself gives: a candidate the columns do not support is
never taken. A word that is already a known word, or holds a digit, is left as read, but for a
listed word few people bear ("Snith") where a common one ("Smith") is nearly as likely.

What a line is expected to hold is an ``Expected``: words of lexicons and of a closed list (a
date's months); numbers, where a word of no list is read in digits, each letter the likeliest
digit of its columns ("z" for a written 2); or, for a choice, one of its answers as a whole line
("IMMUNE" for "WNUNE"). Each is taken only where the columns support it, by the same test.

The reading keeps the recognizer's confidence in its greedy reading: how clearly it saw the
ink. A vocabulary word is a likelier reading of the same ink, not a surer sight of it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from extraction.lexicon import is_known, lexicon

# A candidate may be this much less likely (natural log of the likelihood ratio) than the greedy
# word and still replace it. On 338 second-reader crops of handwritten tuning documents (seed
# 7992) lines read exactly rose from 115 to 129, 134, 148 and 152 at 1, 2, 5 and 8, no line read
# right was lost up to 8; 12 lost one.
MAX_LOG_LOSS = 8.0
# A listed but rare word ("Snith", a surname borne by a few hundred people) may be read as a
# common word at most this much less likely: on the same tuning crops this raised lines read
# exactly from 160 to 164 (2: 163; 8 lost a rare name read right, "Amara" as "Amar").
MAX_RARE_LOSS = 4.0
# Candidates are vocabulary words at most this many edits from the word read (one for words of
# SHORT_WORD letters or fewer, where two edits reach too many words).
MAX_EDITS = 2
SHORT_WORD = 4
# Words shorter than this are left as read: too many short words are a few edits apart.
MIN_LETTERS = 3
# A value that must be one of a few answers ("Yes" / "No") is read as the likeliest of them when
# it is at most this much less likely than the greedy reading of the whole line: a closed list
# is a stronger prior than a lexicon of thousands of words.
MAX_ANSWER_LOSS = 12.0
# Prefixes kept at each column when a line is read in the shape of a value (a date in digits).
SHAPE_BEAM = 24
# Symbols the recognizer makes of a letter's strokes at a word's edge ("Oc+" for a written
# "Oct", "|ohn"): no word of a value starts or ends with them, so each stands for a letter the
# vocabulary word may have there, and none is kept when a word is read instead.
STRAY_SYMBOLS = "+|[]{}<>~^*=_\\"
_WORD = re.compile(r"([^A-Za-z]*)([A-Za-z]+)([^A-Za-z]*)")
_FLOOR = 1e-30


@dataclass(frozen=True)
class NumberShape:
    """A value written as groups of digits joined by one separator, the same each time: a date
    "17/12/2020" is groups of 1-2, 1-2 and 4 digits joined by "/", "-" or "."."""

    groups: tuple[tuple[int, int], ...]
    """The fewest and most digits of each group, in order."""
    separators: str

    def allows(self, text: str, whole: bool) -> bool:
        """Whether ``text`` is written in this shape (``whole``) or may still become so."""
        used = {char for char in text if not char.isdigit()}
        if len(used) > 1 or not used <= set(self.separators):
            return False
        parts = text.split(used.pop()) if used else [text]
        if len(parts) > len(self.groups) or (whole and len(parts) < len(self.groups)):
            return False
        for index, part in enumerate(parts):
            fewest, most = self.groups[index]
            finished = whole or index < len(parts) - 1
            if len(part) > most or (finished and len(part) < fewest):
                return False
        return True


@dataclass(frozen=True)
class Expected:
    """What a value's line is expected to hold: words of these lexicons and of ``words`` (a
    closed list: the months of a date), numbers written in ``number_symbols``; or one of
    ``answers`` as a whole (the options of a choice, "IMMUNE" / "NOT IMMUNE"). Empty: nothing
    is expected."""

    lexicons: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    number_symbols: str = ""
    answers: tuple[str, ...] = ()
    shapes: tuple[NumberShape, ...] = ()
    """The shapes a value written in digits takes (a date's): a reading in none of them is read
    in the likeliest of them its columns support (``likeliest_shape``)."""
    common: tuple[str, ...] = ()
    """Lexicons of the common words of ``lexicons`` (the names most people bear): a listed word
    in none of them may still be read as a common word its columns read nearly as likely."""


def log_likelihoods(probabilities: np.ndarray, labels: Sequence[Sequence[int]]) -> np.ndarray:
    """The CTC log-likelihood of each label sequence (indices into the alphabet, blank = 0) over the
    columns of ``probabilities`` (columns x symbols), all sequences at once."""
    count, columns = len(labels), probabilities.shape[0]
    longest = max(len(label) for label in labels)
    states = 2 * longest + 1
    extended = np.zeros((count, states), dtype=int)  # blank, l1, blank, l2, ..., blank
    for row, label in enumerate(labels):
        extended[row, 1 : 2 * len(label) : 2] = label
    last = np.array([2 * len(label) for label in labels])
    log_p = np.log(np.maximum(probabilities, _FLOOR))[:, extended]  # columns x count x states
    skip = np.zeros((count, states), dtype=bool)
    skip[:, 2:] = (extended[:, 2:] != 0) & (extended[:, 2:] != extended[:, :-2])
    alpha = np.full((count, states), -np.inf)
    alpha[:, 0] = log_p[0, :, 0]
    alpha[:, 1] = log_p[0, :, 1]
    for column in range(1, columns):
        one_back = np.concatenate((np.full((count, 1), -np.inf), alpha[:, :-1]), axis=1)
        two_back = np.concatenate((np.full((count, 2), -np.inf), alpha[:, :-2]), axis=1)
        two_back = np.where(skip, two_back, -np.inf)
        alpha = np.logaddexp(np.logaddexp(alpha, one_back), two_back) + log_p[column]
    rows = np.arange(count)
    ends = np.logaddexp(alpha[rows, last], alpha[rows, np.maximum(last - 1, 0)])
    return np.where(last > 0, ends, alpha[rows, 0])


@cache
def _words_by_length(name: str) -> dict[int, list[str]]:
    """The alphabetic words of the named lexicon, grouped by length."""
    grouped: dict[int, list[str]] = {}
    for word in lexicon(name).words:
        if word.isalpha():
            grouped.setdefault(len(word), []).append(word)
    return {length: sorted(words) for length, words in grouped.items()}


def candidates(word: str, vocabularies: tuple[str, ...], words: tuple[str, ...] = ()) -> list[str]:
    """The words of the named lexicons and of ``words`` (lower case) a few edits from ``word``."""
    low = word.lower()
    edits = 1 if len(low) <= SHORT_WORD else MAX_EDITS
    found: list[str] = []
    for name in vocabularies:
        grouped = _words_by_length(name)
        for length in range(len(low) - edits, len(low) + edits + 1):
            pool = grouped.get(length, [])
            hits = process.extract(low, pool, scorer=Levenshtein.distance, score_cutoff=edits, limit=None)
            found.extend(hit[0] for hit in hits)
    found.extend(
        w.lower() for w in words if Levenshtein.distance(low, w.lower(), score_cutoff=edits) <= edits
    )
    return list(dict.fromkeys(found))


# Each alphabet's symbol index, by the alphabet's identity (the alphabet itself kept with it, so
# that identity is never another's).
_SYMBOL_INDEX: dict[int, tuple[Sequence[str], dict[str, int]]] = {}


def _symbols(alphabet: Sequence[str]) -> dict[str, int]:
    """Each symbol's column in the recognizer's output, the blank (column 0) left out; worked out
    once per alphabet: the recognizer's holds some 18 000 symbols, and every crop is read with it."""
    known = _SYMBOL_INDEX.get(id(alphabet))
    if known is None or known[0] is not alphabet:
        known = (alphabet, {char: index for index, char in enumerate(alphabet) if index})
        _SYMBOL_INDEX[id(alphabet)] = known
    return known[1]


def decode(probabilities: np.ndarray, alphabet: Sequence[str], expected: Expected) -> str | None:
    """The line read from ``probabilities`` (columns x symbols, rows summing to 1) as ``expected``:
    each word in none of its vocabularies replaced by the likeliest vocabulary word near it, or
    (where numbers are expected) by the digits its columns read likeliest, when the columns
    support it (see the module doc); None when no word was replaced (the greedy reading stands)."""
    best = probabilities.argmax(axis=1)
    words: list[list[tuple[str, int]]] = [[]]  # each word's characters with the column read at
    previous = -1
    for column, index in enumerate(best):
        if index != previous and index != 0:
            if alphabet[index] == " ":
                words.append([])
            else:
                words[-1].append((alphabet[index], column))
        previous = index
    words = [word for word in words if word]
    if not words:
        return None
    symbol = _symbols(alphabet)
    # Between words the columns read a space: for a word's own likelihood that is no symbol.
    spaced = _space_as_blank(probabilities, alphabet)
    texts: list[str] = []
    replaced = False
    for number, word in enumerate(words):
        start = words[number - 1][-1][1] + 1 if number else 0
        end = words[number + 1][0][1] if number + 1 < len(words) else len(best)
        text = "".join(char for char, _ in word)
        columns = spaced[start:end]
        chosen = _likeliest(columns, text, symbol, expected)
        if chosen is None and expected.number_symbols:
            chosen = _as_number(columns, text, alphabet, symbol, expected)
        texts.append(text if chosen is None else chosen)
        replaced = replaced or chosen is not None
    return " ".join(texts) if replaced else None


def _likeliest(columns: np.ndarray, text: str, symbol: dict[str, int], expected: Expected) -> str | None:
    """The vocabulary word (in the likeliest capitalisation, with the punctuation read round the
    word) to read instead of ``text`` over ``columns``; None to keep what was read."""
    match = _WORD.fullmatch(text)
    if match is None:
        return None
    before, letters, after = match.groups()
    stray = sum(char in STRAY_SYMBOLS for char in before + after)
    if len(letters) + stray < MIN_LETTERS:
        return None
    before, after = _without_stray(before), _without_stray(after)
    lexicons, words, allowed_loss = expected.lexicons, expected.words, MAX_LOG_LOSS
    if _is_known(letters, expected):
        if not expected.common or is_known(letters, expected.common):
            return None
        # A rare listed word ("Snith", borne by few) read where a common one ("Smith") is
        # nearly as likely: the commoner name is the likelier writing.
        lexicons, words, allowed_loss = expected.common, (), MAX_RARE_LOSS
    spellings = [
        f"{before}{cased}{after}"
        for word in candidates(letters, lexicons, words)
        for cased in dict.fromkeys((word, word.capitalize(), word.upper()))
    ]
    return _supported(columns, text, spellings, symbol, allowed_loss)


def _without_stray(text: str) -> str:
    return "".join(char for char in text if char not in STRAY_SYMBOLS)


def _as_number(
    columns: np.ndarray, text: str, alphabet: Sequence[str], symbol: dict[str, int], expected: Expected
) -> str | None:
    """The word read in the number symbols alone (in each column that reads a letter, the
    likeliest of them: a written "2" read "z"), when it was read with other symbols, is no known
    word and the columns support the digits; None to keep what was read."""
    allowed = set(expected.number_symbols)
    letters = "".join(char for char in text if char.isalpha())
    if set(text) <= allowed or (letters and _is_known(letters, expected)):
        return None
    # Where the columns read a letter, the likeliest number symbol stands in for it (masking
    # alone lets the blank win over a "1" read as "l"); any other symbol stays if it may be
    # written in a number, else is dropped: a bracket or bar is a box's wall or a stray mark,
    # never a digit misread.
    mask = np.array([index != 0 and char in allowed for index, char in enumerate(alphabet)], float)
    read = columns.argmax(axis=1)
    letter = np.array([index != 0 and char.isalpha() for index, char in enumerate(alphabet)])
    kept = np.array([index != 0 and char in allowed for index, char in enumerate(alphabet)])
    best = np.where(letter[read], (columns * mask).argmax(axis=1), np.where(kept[read], read, 0))
    digits = "".join(alphabet[int(index)] for index, _ in itertools.groupby(best) if index != 0)
    if not any(char.isdigit() for char in digits):
        return None
    return _supported(columns, text, [digits], symbol)


def _is_known(letters: str, expected: Expected) -> bool:
    """Whether ``letters`` is a word of the expected lexicons or of its closed list (any case)."""
    low = letters.lower()
    return is_known(low, expected.lexicons) or any(low == word.lower() for word in expected.words)


def _supported(
    columns: np.ndarray,
    text: str,
    spellings: list[str],
    symbol: dict[str, int],
    allowed_loss: float = MAX_LOG_LOSS,
) -> str | None:
    """The likeliest of ``spellings`` over ``columns`` when it is at most ``allowed_loss`` less
    likely than ``text``, the greedy reading; None otherwise."""
    spellings = [s for s in spellings if s and all(char in symbol for char in s)]
    if not spellings:
        return None
    scores = log_likelihoods(columns, [[symbol[c] for c in s] for s in (text, *spellings)])
    best = int(np.argmax(scores[1:])) + 1
    if scores[best] < scores[0] - allowed_loss:
        return None
    return spellings[best - 1]


def likeliest_answer(
    probabilities: np.ndarray, alphabet: Sequence[str], answers: Sequence[str]
) -> str | None:
    """The answer (as given, whatever the case it was written in) that ``probabilities``
    (columns x symbols, rows summing to 1) read likeliest, when it is at most
    ``MAX_ANSWER_LOSS`` less likely than the greedy reading; None otherwise."""
    best = probabilities.argmax(axis=1)
    greedy = [int(index) for index, _ in itertools.groupby(best) if index != 0]
    if not greedy:
        return None
    symbol = _symbols(alphabet)
    written = [
        (answer, cased)
        for answer in answers
        for cased in dict.fromkeys((answer, answer.upper(), answer.lower(), answer.capitalize()))
        if all(char in symbol for char in cased)
    ]
    if not written:
        return None
    scores = log_likelihoods(probabilities, [greedy, *([symbol[c] for c in cased] for _, cased in written)])
    best_index = int(np.argmax(scores[1:]))
    if scores[best_index + 1] < scores[0] - MAX_ANSWER_LOSS:
        return None
    return written[best_index][0]


def likeliest_shape(
    probabilities: np.ndarray, alphabet: Sequence[str], shapes: Sequence[NumberShape]
) -> str | None:
    """The line read from ``probabilities`` (columns x symbols, rows summing to 1) as a value of
    one of ``shapes`` (a date in digits), when its greedy reading is digits and separators in none
    of them ("716/2023": a written "/" read as a "1") and the likeliest reading in a shape is at
    most MAX_LOG_LOSS less likely than the greedy one; None otherwise. The readings in a shape
    are searched column by column (CTC prefix beam search, SHAPE_BEAM prefixes kept), each
    prefix kept only while it may still become a value of a shape."""
    # Between the groups the columns may read a space: for a value in digits, no symbol.
    probabilities = _space_as_blank(probabilities, alphabet)
    best = probabilities.argmax(axis=1)
    greedy = "".join(alphabet[int(index)] for index, _ in itertools.groupby(best) if index != 0)
    symbols = "".join(dict.fromkeys("0123456789" + "".join(shape.separators for shape in shapes)))
    if not greedy or not set(greedy) <= set(symbols) or not any(ch.isdigit() for ch in greedy):
        return None
    if any(shape.allows(greedy, whole=True) for shape in shapes):
        return None
    symbol = _symbols(alphabet)
    usable = {char: symbol[char] for char in symbols if char in symbol}
    found = _shape_search(probabilities, usable, shapes)
    found = [text for text in found if any(shape.allows(text, whole=True) for shape in shapes)]
    return _supported(probabilities, greedy, found, symbol) if found else None


def _shape_search(
    probabilities: np.ndarray, symbols: dict[str, int], shapes: Sequence[NumberShape]
) -> list[str]:
    """The likeliest prefixes at the last column (best first), each of which may be a value of
    one of ``shapes``: CTC prefix beam search over ``symbols`` (character: column index)."""
    # Each prefix: (probability ending in a blank, probability ending in its last character).
    beams: dict[str, tuple[float, float]] = {"": (1.0, 0.0)}
    for column in probabilities:
        blank = float(column[0])
        grown: dict[str, list[float]] = {}
        for prefix, (ends_blank, ends_char) in beams.items():
            _add(grown, prefix, (ends_blank + ends_char) * blank, 0.0)
            if prefix:
                _add(grown, prefix, 0.0, ends_char * float(column[symbols[prefix[-1]]]))
            for char, index in symbols.items():
                grown_prefix = prefix + char
                if not any(shape.allows(grown_prefix, whole=False) for shape in shapes):
                    continue
                p = float(column[index])
                # A character repeated with no blank between is the same character held on.
                extend = ends_blank * p if prefix and prefix[-1] == char else (ends_blank + ends_char) * p
                _add(grown, grown_prefix, 0.0, extend)
        ranked = sorted(grown.items(), key=lambda item: -(item[1][0] + item[1][1]))[:SHAPE_BEAM]
        total = sum(sum(value) for _, value in ranked) or 1.0
        beams = {prefix: (value[0] / total, value[1] / total) for prefix, value in ranked}
    return sorted(beams, key=lambda prefix: -sum(beams[prefix]))


def _space_as_blank(probabilities: np.ndarray, alphabet: Sequence[str]) -> np.ndarray:
    """A copy of ``probabilities`` with the space's probability counted as the blank's: the
    columns between words (or a number's groups) read no symbol of the word."""
    spaced = probabilities.copy()
    if " " in alphabet:
        space = list(alphabet).index(" ")
        spaced[:, 0] += spaced[:, space]
        spaced[:, space] = 0.0
    return spaced


def _add(beams: dict[str, list[float]], prefix: str, ends_blank: float, ends_char: float) -> None:
    """Add the two probabilities of a prefix (ending in a blank, in its last character)."""
    entry = beams.setdefault(prefix, [0.0, 0.0])
    entry[0] += ends_blank
    entry[1] += ends_char
