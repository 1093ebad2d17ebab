"""Correct OCR misreadings against real vocabularies, and say what was corrected.

A word read by OCR that is in no vocabulary ("Arnoxicillin", "dailv", "Portiand") is taken as the one word of
a named lexicon that it is an OCR-typical distance away from ("Amoxicillin", "daily", "Portland"), and every
such correction is returned so that the field can be flagged with what was read. The rules are conservative
so that they hold on documents never seen:

* a word is only corrected if it has at least 5 letters (4 when the directions list is asked for), has no
  digit, and is in no lexicon (named or not) nor in a general English word list;
* every difference must be an OCR slip - a confusion ("rn"/"m", "l"/"1"/"!"/"}", "e"/"c", "v"/"y",
  "cl"/"d", ...), a doubled letter read once, a letter read twice (for names: confusions only) - and
  the slips, at half an edit each, must add up to at most 1 (words of 5-7 letters; 0.5 for 4 letters)
  or 2 (8 letters or more). Of 400 real words of each list, each left out of it in turn, this takes 1
  drug, 4 places and 17 names (mostly "rn"/"m", "i"/"l" pairs: "Carnero", "Camero") as a neighbour;
  allowing one arbitrary edit besides took 80 to 150 of each;
* the best candidate must be unique: a tie with another candidate, or with an English word at least as
  close, leaves the word alone;
* the first letter may only change through an OCR confusion ("rnetformin" -> "metformin", never
  "moxicillin" -> "amoxicillin").

The lexicons are word lists under lexicons/ (see lexicons/README.md for where they come from) and the English
frequency list shipped with pyspellchecker. Each is loaded once, on first use.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

LEXICON_DIR = Path(__file__).resolve().parent / "lexicons"
#: Lexicons that can correct a word, each a file LEXICON_DIR/<name>.txt.
LEXICONS = ("drugs", "places", "names", "directions", "common_names", "conditions")
#: A further name accepted by is_known and known_share: the general English list (never a correction).
ENGLISH = "english"
ENGLISH_COMMON = 100  # English words seen this often make a correction near them a guess

HALF = 0.5  # the cost of an OCR slip; any other edit costs 1
RESEMBLE_MIN_LETTERS = 5  # shorter words resemble too many listed ones to say anything
# Single characters OCR takes for one another (either way round). Symbols stand for the thin letters.
_SINGLE_PAIRS = ("l1", "li", "l!", "l|", "l}", "l{", "l]", "l[", "l(", "i1", "i!", "i|", "i]", "ij")
_SINGLE_PAIRS += ("o0", "oc", "ec", "vy", "uv", "gq", "hb", "s5", "b8", "g9", "z2", "tf")
# Pairs of a short sequence and the sequence it is misread as (either way round).
_MULTI_PAIRS = (("rn", "m"), ("cl", "d"), ("li", "h"), ("vv", "w"), ("ii", "u"), ("ri", "n"))
_SYMBOLS = "!|}][{("  # characters that are letters misread when they touch a word

_SINGLE: frozenset[tuple[str, str]] = frozenset(pair for a, b in _SINGLE_PAIRS for pair in ((a, b), (b, a)))
_MULTI: tuple[tuple[str, str], ...] = tuple(pair for a, b in _MULTI_PAIRS for pair in ((a, b), (b, a)))
# Multi-character rules indexed by (last char of the read side, last char of the true side).
_MULTI_BY_END: dict[tuple[str, str], list[tuple[str, str]]] = {}
for _read, _true in _MULTI:
    _MULTI_BY_END.setdefault((_read[-1], _true[-1]), []).append((_read, _true))

# For the candidate search only: a spelling in which the single-letter confusions fall together and doubled
# letters are written once, so that a plain edit distance between such spellings finds the candidates that
# the weighted distance then judges. Confusions of two letters for one are tried by rewriting the word read.
_FOLD_CHARS = str.maketrans(
    {**dict.fromkeys("1i!|}{][(j", "l"), **dict.fromkeys("0ce", "o"), **dict.fromkeys("yu", "v")}
    | {"q": "g", "5": "s", "8": "b", "9": "g", "2": "z", "f": "t"}
)
_RUNS = re.compile(r"(.)\1+")
# Rewritings tried on the word read: each pair above both ways, but for "u" and "n" (too common to undo).
_QUERY_RULES = tuple(pair for pair in _MULTI if pair[0] not in ("u", "n"))
_S = re.escape(_SYMBOLS)
# A word: letters, possibly joined by or ending in a symbol OCR makes of a thin letter ("Al!opurino}").
# It must not touch a letter or digit, so "20mg" and "Amoxici11in" are no words at all and are left alone.
_WORD = re.compile(rf"(?<![A-Za-z0-9])([{_S}]?)([A-Za-z]+(?:[{_S}][A-Za-z]+)*)([{_S}]?)(?![A-Za-z0-9])")
_LETTERS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Correction:
    """One word corrected: what OCR read, what it was taken as, and the lexicon the latter is from."""

    read: str
    taken: str
    lexicon: str

    def __str__(self) -> str:
        return f"read {self.read!r}, taken as {self.taken!r}"


# ---------------------------------------------------------------------------------------------------------
# Loading


def _fold(word: str) -> str:
    return _RUNS.sub(r"\1", word.translate(_FOLD_CHARS))


def _fold_all(words: list[str]) -> list[str]:
    """_fold of each word, done on all at once (four times faster on a list of 100,000)."""
    return _RUNS.sub(r"\1", "\n".join(words).translate(_FOLD_CHARS)).split("\n")


def _queries(read: str) -> set[str]:
    """Folded spellings of the word read, as it is and with each two-for-one confusion undone."""
    return {_fold(read)} | {_fold(read.replace(src, dst)) for src, dst in _QUERY_RULES if src in read}


class _Lexicon:
    """A set of lower-case words, and those that may be taken as corrections bucketed by the first letter
    and length of their folded spelling for the candidate search: (folded spellings, words)."""

    def __init__(
        self, name: str, words: Iterable[str], min_candidate: int, candidates: Iterable[str] | None = None
    ) -> None:
        self.name = name
        self.words = frozenset(words)
        self.min_candidate = min_candidate
        self._candidates = self.words if candidates is None else candidates
        self._buckets: dict[tuple[str, int], tuple[list[str], list[str]]] | None = None

    @property
    def buckets(self) -> dict[tuple[str, int], tuple[list[str], list[str]]]:
        if self._buckets is None:
            buckets: dict[tuple[str, int], tuple[list[str], list[str]]] = {}
            chosen = [w for w in self._candidates if len(w) >= self.min_candidate and w.isalpha()]
            for w, f in zip(chosen, _fold_all(chosen), strict=True):
                folded, words = buckets.setdefault((f[0], len(f)), ([], []))
                folded.append(f)
                words.append(w)
            self._buckets = buckets
        return self._buckets


def _read_list(path: Path) -> list[str]:
    lines = path.read_text("ascii").splitlines()
    return [w.strip().lower() for w in lines if w.strip() and not w.startswith("#")]


@cache
def lexicon(name: str) -> _Lexicon:
    """The lexicon of that name, loaded on first use."""
    if name == ENGLISH:
        counts = english_counts()
        # Any word of the list is known; those seen 100 times or more compete with a correction.
        common = [w for w, n in counts.items() if n >= ENGLISH_COMMON]
        return _Lexicon(ENGLISH, counts, min_candidate=4, candidates=common)
    if name not in LEXICONS:
        raise ValueError(f"unknown lexicon {name!r}; known: {', '.join((*LEXICONS, ENGLISH))}")
    return _Lexicon(name, _read_list(LEXICON_DIR / f"{name}.txt"), 4 if name == "directions" else 5)


@cache
def english_counts() -> dict[str, int]:
    """pyspellchecker's English word-frequency list (words seen at least 50 times in OpenSubtitles)."""
    data = (resources.files("spellchecker") / "resources" / "en.json.gz").read_bytes()
    return {w: n for w, n in json.loads(gzip.decompress(data)).items() if w.isascii()}


def _lexicons(names: Sequence[str]) -> tuple[_Lexicon, ...]:
    if isinstance(names, str):
        raise TypeError("lexicons must be a sequence of names, not one string")
    return tuple(lexicon(n) for n in names)


# ---------------------------------------------------------------------------------------------------------
# Distance


def ocr_distance(
    read: str, true: str, limit: float = float("inf"), slip: float = HALF, gap: float | None = None
) -> float:
    """Edit distance from the lower-case word read to the true one, where OCR slips cost less than 1:
    a confusion ("rn" for "m", "!" for "l") costs slip; a doubled letter read once, or a letter read
    twice, costs gap (by default slip). Any other edit costs 1.

    Returns infinity once the distance is known to exceed limit."""
    if gap is None:
        gap = slip
    n, m = len(read), len(true)
    inf = float("inf")
    rows = [[0.0] * (m + 1) for _ in range(n + 1)]
    rows[0] = [float(j) for j in range(m + 1)]
    low = 0.0
    for i in range(1, n + 1):
        row, up, r = rows[i], rows[i - 1], read[i - 1]
        row[0] = float(i)
        low_up, low = low, row[0]
        for j in range(1, m + 1):
            t = true[j - 1]
            best = up[j - 1] + (0.0 if r == t else slip if (r, t) in _SINGLE else 1.0)
            # A doubled letter read once, or a letter read twice, is OCR-typical too.
            lost = gap if j >= 2 and t == true[j - 2] else 1.0
            extra = gap if i >= 2 and r == read[i - 2] else 1.0
            best = min(best, up[j] + extra, row[j - 1] + lost)
            if r != t:
                for src, dst in _MULTI_BY_END.get((r, t), ()):
                    ls, ld = len(src), len(dst)
                    if i >= ls and j >= ld and read[i - ls : i] == src and true[j - ld : j] == dst:
                        best = min(best, rows[i - ls][j - ld] + slip)
            row[j] = best
            low = min(low, best)
        if low > limit and low_up > limit:  # a two-letter confusion reaches back two rows
            return inf
    return rows[n][m]


def _budget(read: str, true: str) -> float:
    """The largest distance allowed between the two: by the shorter word's length."""
    shorter = min(len(read), len(true))
    if shorter >= 8:
        return 2.0
    if shorter >= 5:
        return 1.0
    return HALF  # 4 letters: OCR confusions only


def _first_ok(read: str, true: str) -> bool:
    if read[0] == true[0] or (read[0], true[0]) in _SINGLE:
        return True
    return any(read.startswith(src) and true.startswith(dst) for src, dst in _MULTI)


def _candidates(read: str, lex: _Lexicon) -> dict[str, float]:
    """Words of lex that read may be a misreading of, with their distances."""
    cutoff = 2 if len(read) >= 8 else 1
    gaps = 1.0 if lex.name == "names" else 0.0
    found: dict[str, float] = {}
    seen: set[str] = set()
    for query in _queries(read):
        n = len(query)
        for length in range(n - cutoff, n + cutoff + 1):
            bucket = lex.buckets.get((query[0], length))
            if not bucket:
                continue
            hits = process.extract(
                query, bucket[0], scorer=Levenshtein.distance, score_cutoff=cutoff, limit=None
            )
            for _, _, index in hits:
                word = bucket[1][index]
                if word in seen:
                    continue
                seen.add(word)
                if not _first_ok(read, word):
                    continue
                allowed = _budget(read, word)
                d = ocr_distance(read, word, allowed)
                # Every edit must be an OCR slip: a real word missing from the list is then rarely taken
                # as a neighbour ("Rainier" is no misreading of "Ranier"). Names, an open set whose
                # spellings differ by a doubled letter ("Hilley", "Hiley"), allow confusions only.
                if d <= allowed and ocr_distance(read, word, 0.0, slip=0.0, gap=gaps) == 0.0:
                    found[word] = d
    return found


@lru_cache(maxsize=65536)
def _best(read: str, names: tuple[str, ...]) -> tuple[str, str, float] | None:
    """The one correction of the lower-case word read in those lexicons, as (word, lexicon, distance)."""
    lexes = _lexicons(names)
    if _known_anywhere(read):
        return None
    scored: dict[str, tuple[float, str]] = {}
    # A word in several lexicons is reported as from the most specific, the smallest ("daily": directions).
    for lex in sorted(lexes, key=lambda lex: len(lex.words)):
        if len(read) < lex.min_candidate:
            continue
        for word, d in _candidates(read, lex).items():
            if word not in scored:
                scored[word] = (d, lex.name)
    if not scored:
        return None
    ranked = sorted(scored.items(), key=lambda item: item[1][0])
    word, (d, name) = ranked[0]
    if len(ranked) > 1 and ranked[1][1][0] <= d:
        return None  # a tie: no telling which was meant
    # An ordinary English word as close as the candidate makes it a guess too.
    for other, d_other in _candidates(read, lexicon(ENGLISH)).items():
        if other != word and d_other <= d:
            return None
    return word, name, d


# ---------------------------------------------------------------------------------------------------------
# API


def _apply_case(read: str, word: str) -> str:
    """word written in the capitalisation of read: all capitals, a capital first, or lower case."""
    letters = [c for c in read if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return word.upper()
    if letters and letters[0].isupper():
        return word[:1].upper() + word[1:]
    return word


def _known_anywhere(word: str) -> bool:
    """Whether the lower-case word is in any lexicon, named or not, or in the English list: a real word is
    never corrected into another, even if the caller asked only for a lexicon it is not in."""
    return any(word in lexicon(name).words for name in (*LEXICONS, ENGLISH))


def _is_real(core: str) -> bool:
    """Whether a word, or each of the letter runs of a word with symbols in it, is a known word."""
    return all(_known_anywhere(p) for p in _LETTERS.findall(core.lower()))


def _correct_match(match: re.Match[str], names: tuple[str, ...]) -> tuple[str, Correction] | None:
    """The corrected text of one word match and the correction, or None to leave it as it is.

    A symbol before or after the letters may be a misread letter ("Allopurino!") or punctuation
    ("Amoxicilin!"): each reading is tried and the closer correction wins."""
    lead, core, trail = match.groups()
    if _is_real(core):
        return None
    whole = match.group(0)
    spans = [(len(lead), len(lead) + len(core))]  # (start, end) of the word within the match
    if lead:
        spans.append((0, len(lead) + len(core)))
    if trail:
        spans.append((len(lead), len(whole)))
    if lead and trail:
        spans.append((0, len(whole)))
    results = []
    for start, end in spans:
        best = _best(whole[start:end].lower(), names)
        if best is not None:
            word, name, d = best
            results.append((d, start - end, start, end, word, name))
    if not results:
        return None
    results.sort()
    d, _, start, end, word, name = results[0]
    if any(r[0] == d and r[4] != word for r in results[1:]):
        return None  # two readings, two words: no telling which
    read = whole[start:end]
    taken = _apply_case(read, word)
    return whole[:start] + taken + whole[end:], Correction(read=read, taken=taken, lexicon=name)


def correct_text(text: str, lexicons: Sequence[str]) -> tuple[str, list[Correction]]:
    """The text with each misread word replaced by the lexicon word it was taken as, and the corrections.

    lexicons names those to correct against, from LEXICONS. Capitalisation of what was read is kept
    ("ARNOXICILLIN" -> "AMOXICILLIN"), so is punctuation around a word ("Portiand," -> "Portland,").
    Words with digits, short words and words found in no lexicon within reach are left as they are."""
    _lexicons(lexicons)  # unknown names fail here, even on a text with no words
    names = tuple(dict.fromkeys(lexicons))
    if ENGLISH in names:
        names = tuple(n for n in names if n != ENGLISH)
    text, corrections = _join_split_words(text, names)

    def fix(match: re.Match[str]) -> str:
        result = _correct_match(match, names)
        if result is None:
            return match.group(0)
        corrections.append(result[1])
        return result[0]

    return _WORD.sub(fix, text), corrections


_SPLIT = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2,})((?: [A-Za-z]{1,4}){1,2})(?![A-Za-z0-9])")


def _join_split_words(text: str, names: tuple[str, ...]) -> tuple[str, list[Correction]]:
    """``text`` with a word OCR split in two or three joined again ("Metform in" -> "Metformin",
    "Lisino p ril" -> "Lisinopril"): pieces that together are a word of a named lexicon while the
    first alone is no word at all. The longest such join is taken."""
    corrections: list[Correction] = []

    def join(match: re.Match[str]) -> str:
        head, pieces = match.group(1), match.group(2).split()
        if _known_anywhere(head.lower()):
            return match.group(0)
        for count in range(len(pieces), 0, -1):
            whole = head + "".join(pieces[:count])
            name = next((n for n in names if whole.lower() in lexicon(n).words), None)
            if name is not None:
                read = " ".join([head, *pieces[:count]])
                corrections.append(Correction(read, whole, name))
                return " ".join([whole, *pieces[count:]])
        return match.group(0)

    return _SPLIT.sub(join, text), corrections


NAME_MIN_LETTERS = 4
_NAME_WORD = re.compile(rf"(?<![A-Za-z'-])[A-Z][a-z]{{{NAME_MIN_LETTERS - 1},}}(?![A-Za-z])")


def is_known(word: str, lexicons: Sequence[str]) -> bool:
    """Whether the word (any case) is in one of the named lexicons; "english" may be named too."""
    w = word.lower()
    return any(w in lex.words for lex in _lexicons(lexicons))


def misread_names(text: str) -> list[tuple[str, str]]:
    """The words of a person's name in ``text`` that look misread: in no list of names nor of
    English words, yet one letter away from a listed name ("Adans": "Adams"), each with that
    name. Rare real names far from any listed one ("Sharapova") are left alone.

    Only words written as names are (a capital, then at least NAME_MIN_LETTERS - 1 small letters)
    are looked at: initials, titles ("Dr") and credentials in capitals ("MBBS") are no names."""
    names, english = lexicon("names").words, lexicon(ENGLISH).words
    found = []
    for word in _NAME_WORD.findall(text):
        low = word.lower()
        if low in names or low in english:
            continue
        near = _near_words(low, ("names",))
        if near:
            found.append((word, _apply_case(word, near[0])))
    return found


def near_known(word: str, lexicons: Sequence[str]) -> bool:
    """Whether a word one letter away from ``word`` is in one of the named lexicons."""
    return bool(_near_words(word.lower(), lexicons))


def _near_words(word: str, lexicons: Sequence[str]) -> list[str]:
    """The words one letter away from ``word`` (small letters) in the named lexicons, sorted."""
    lexes = _lexicons(lexicons)
    return sorted(edit for edit in _one_letter_edits(word) if any(edit in lex.words for lex in lexes))


def one_letter_changes(word: str) -> set[str]:
    """Every string made from ``word`` by changing one of its letters (a glyph misread as
    another: OCR's commonest slip, far commoner than a letter dropped or added)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    return {word[:i] + c + word[i + 1 :] for i in range(len(word)) for c in letters} - {word}


def _one_letter_edits(word: str) -> set[str]:
    """Every string one letter away from ``word``: one dropped, swapped with its neighbour,
    changed or added."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    dropped = {a + b[1:] for a, b in splits if b}
    swapped = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    changed = {a + c + b[1:] for a, b in splits if b for c in letters}
    added = {a + c + b for a, b in splits for c in letters}
    return (dropped | swapped | changed | added) - {word}


def resembles_listed(word: str, lexicons: Sequence[str], similarity: float) -> bool:
    """Whether ``word`` is at least ``similarity`` (0-1, by edit distance over the longer length)
    like a word of the named lexicons. Far looser than a correction: it says a badly misread word
    ("Sectealine", "heithcomycin") may be a listed one, never which, so it may pick out where a
    value is but never change one."""
    w = word.lower()
    if len(w) < RESEMBLE_MIN_LETTERS or not w.isalpha():
        return False
    if any(w in lex.words for lex in _lexicons(lexicons)):
        return True
    if w in lexicon(ENGLISH).words:
        return False  # a real word read right ("Patient"), not a listed one misread
    for name in lexicons:
        near = _words_of_length(name, len(w))
        if process.extractOne(w, near, scorer=Levenshtein.normalized_similarity, score_cutoff=similarity):
            return True
    return False


@cache
def _words_of_length(name: str, length: int) -> tuple[str, ...]:
    """The words of a lexicon within two letters of ``length`` long."""
    return tuple(w for w in lexicon(name).words if abs(len(w) - length) <= 2)


def known_share(text: str, lexicons: Sequence[str]) -> float:
    """The share of the alphabetic words of text that are in the named lexicons (0.0 for no words)."""
    lexes = _lexicons(lexicons)
    words = [w.lower() for w in _LETTERS.findall(text)]
    if not words:
        return 0.0
    return sum(any(w in lex.words for lex in lexes) for w in words) / len(words)


def load(lexicons: Sequence[str] = LEXICONS) -> None:
    """Load the named lexicons (and the English list) now rather than on first use."""
    for lex in (*_lexicons(lexicons), lexicon(ENGLISH)):
        _ = lex.buckets
