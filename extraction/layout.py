"""From OCR words to lines, and finding label phrases in them.

Forms put labels and values in columns, so a visual row is split wherever the gap between two
words is far wider than a space: "Name: Maria Sharapova        Date: 5/11/2022" becomes two lines.
Labels are matched fuzzily because OCR turns "Measles:" into "Meas!es" and "Weight:" into "Weigh'".
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz.distance import Indel

from extraction.types import Line, Word

# A gap wider than this many word-heights separates two columns on one text line.
COLUMN_GAP_HEIGHTS = 1.8
# A letter or digit is never under this share of the page's typical word height: a "word" that
# small is a speck of dust tesseract read as "3" (seen at 3x4 pixels among 30-pixel words).
SPECK_HEIGHT_SHARE = 0.3
# Under this share, a "word" tesseract itself could barely read (below UNSURE_SPECK) is dust
# too: small letters stand at about half a word's height, and are read far more surely.
UNSURE_SPECK_SHARE = 0.45
UNSURE_SPECK = 0.3
# A list's item number alone ("1.", "2)") opens the item at most this many heights after it.
ITEM_GAP_HEIGHTS = 4.0
_ITEM_NUMBER = re.compile(r"\(?\d{1,2}[.)]")
# A list's bullet is at most this share of its item's height, and at most this many item
# heights before it.
BULLET_HEIGHT_SHARE = 0.6
BULLET_GAP_HEIGHTS = 3.0
# (line, label phrase) pairs whose best fuzzy match is remembered: a few documents' worth.
MATCH_CACHE_SIZE = 20_000
# Words and string pairs whose normal form and similarity are remembered.
TOKEN_CACHE_SIZE = 100_000
# Added to a rapidfuzz bound before it is compared with a difflib score: the two are computed
# differently, so a bound equal to the score may come out a rounding error below it.
BOUND_SLACK = 1e-6
# Text read at least this confidently, with three or more letters or digits, is print rather
# than noise read as text ("eet" at 0.3) when a page's text height is measured.
SURE_CONFIDENCE = 0.6
# Characters a drawn rule, underline or dust speck becomes; a word of only these is not text.
_RULE_CHARS = set("_|—–~=-.,:;'`\"^*#<>()[]{}/\\")
# Points a word may be read as alone: printed, a point or comma never stands apart from a word.
_LONE_POINTS = set(".,·")
# A dotted leader (the row of dots leading from a label to its value) read onto a word's end or
# start: three points or more, never part of a word.
_LEADER = re.compile(r"[.,·…]{3,}|…+")
# A word's first colon, after a letter, then perhaps a cell's wall (a bar, a bracket, an l or I
# before a capital), then the next word's first letter or digit.
_RUN_ON_COLON = re.compile(r"^([^:]*[^\W\d_]:)(?:[|\[\]]+|[lI](?=[A-Z]))?([^\W_])")
# A question's or an item's number OCR ran into the line's first word ("Q2.When", "3)Please"):
# its mark, then a word opening with a capital.
_RUN_ON_ITEM_NUMBER = re.compile(r"^(\(?(?:Q[\dlIO]{1,2}|\d{1,2})[.)])(?=[A-Z][a-z]{2})")


def group_lines(words: list[Word]) -> list[Line]:
    """Group words into lines in reading order (top to bottom, then left to right).

    Tesseract's own text lines are the base (they follow skewed and warped print better than
    any row-by-y rule); each is split where a gap is far wider than a space, because on a form
    that gap separates two columns. Lines with no letter or digit (dust, rules, an Rx glyph read
    as punctuation) are dropped: they are never a value and would hide the line below a label.
    So are specks far smaller than the page's words, whatever they were read as, and the
    bullets before list items.
    """
    typical = _word_height(words)
    by_line: dict[int, list[Word]] = {}
    parts = (
        part
        for whole in words
        for leader_part in split_at_leaders(whole)
        for part in split_after_colon(leader_part)
    )
    for word in parts:
        if not _is_noise_word(word, typical) and not _is_speck(word, typical):
            by_line.setdefault(word.line, []).append(word)
    lines = [
        segment
        for line_words in by_line.values()
        for segment in _split_columns(sorted(line_words, key=lambda w: w.x0))
        if _has_content(segment)
    ]
    lines = [_with_item_number_apart(line) for line in _without_bullets(_join_row_neighbours(lines))]
    return sorted(lines, key=reading_order)


def reading_order(line: Line) -> tuple[int, int]:
    """The sort key that puts a page's lines in reading order: by their middle's height, then
    from the left."""
    return (line.box[1] + line.box[3], line.box[0])


def _with_item_number_apart(line: Line) -> Line:
    """``line`` with a question's or an item's number that OCR ran into its first word set
    apart from it ("Q2.When were you born?"), as printed: a number opens a line, so only its
    first word is parted (a dose's "5.Omg" further along stays whole)."""
    return Line((*split_after_item_number(line.words[0]), *line.words[1:]))


def split_after_item_number(word: Word) -> list[Word]:
    """``word`` parted after a question's or an item's number run into it ("Q2.When" -> "Q2.",
    "When"), each part with its share of the box by characters; else ``[word]``."""
    match = _RUN_ON_ITEM_NUMBER.match(word.text)
    return [word] if match is None else _in_two(word, match.end(1), match.end(1))


def split_at_leaders(word: Word) -> list[Word]:
    """``word`` without the dots of a leader OCR read into it ("Patel......", "...Lakshmi",
    "Sharma...)"): the parts around each run of three points or more, each with its share of
    the box by characters, so the leader's length parts them as the leader's gap does. A word
    of dots alone comes back as it is (it is dropped as dust)."""
    text = word.text
    runs = list(_LEADER.finditer(text))
    if not runs or not _LEADER.sub("", text).strip():
        return [word]
    parts, start = [], 0
    for run in [*runs, None]:
        stop = run.start() if run else len(text)
        if text[start:stop].strip():
            parts.append(_piece(word, start, stop))
        start = run.end() if run else stop
    return parts


def split_after_colon(word: Word) -> list[Word]:
    """``word`` parted after a colon that OCR ran into the next word ("patient:|Scott",
    "contact:lEdward", "Sig:1"): a colon after a letter ends a label, never a word of text (a
    time's, "10:30", stands between digits). A ruled cell's wall read into the gap (a bar or bracket, or
    a lone l or I before a capital) is dropped. Each part gets its share of the box by characters."""
    match = _RUN_ON_COLON.search(word.text)
    return [word] if match is None else _in_two(word, match.end(1), match.start(2))


def _in_two(word: Word, end: int, start: int) -> list[Word]:
    """``word``'s characters up to ``end`` and from ``start`` as two words, each with its share
    of the box; ``[word]`` when the box has no room to share out (a pixel a character at least)."""
    if word.box[2] - word.box[0] < len(word.text):
        return [word]
    return [_piece(word, 0, end), _piece(word, start, len(word.text))]


def _piece(word: Word, start: int, stop: int) -> Word:
    """The characters ``start`` to ``stop`` of ``word``, with their share of its box by
    characters (at least a pixel wide)."""
    x0, y0, x1, y1 = word.box
    per_char = (x1 - x0) / len(word.text)
    left, right = x0 + round(start * per_char), x0 + round(stop * per_char)
    return replace(word, text=word.text[start:stop], box=(left, y0, max(left + 1, right), y1))


def _is_bullet(glyph: Word, item: Word) -> bool:
    """A list's bullet before its item: one small character (a dot read as "e", "o" or "¢", a
    star, a dash), level with the item, at most a few of its heights before it. Digits and
    capitals are never bullets: a count, an initial; nor is anything before a "word" with no
    letter or digit (a rule's stub read as text): no list item stands there."""
    text = glyph.text.strip()
    return (
        len(text) == 1
        and any(ch.isalnum() for ch in item.text)
        and not text.isdigit()
        and not text.isupper()
        and glyph.height <= BULLET_HEIGHT_SHARE * item.height
        and 0 <= item.x0 - glyph.x1 <= BULLET_GAP_HEIGHTS * item.height
        and item.box[1] <= glyph.y_mid <= item.box[3]
    )


def _without_bullets(lines: list[Line]) -> list[Line]:
    """``lines`` with the bullets before list items dropped: the first word of a line, or a line
    of its own when tesseract set the bullet apart."""
    kept = []
    for line in lines:
        words = line.words
        if len(words) >= 2 and _is_bullet(words[0], words[1]):
            kept.append(Line(words[1:]))
        elif len(words) == 1 and any(
            other is not line and _is_bullet(words[0], other.words[0]) for other in lines
        ):
            continue
        else:
            kept.append(line)
    return kept


@dataclass(frozen=True)
class _Placed:
    """A line with its box and height worked out once (``Line`` derives them from its words)."""

    line: Line
    box: tuple[int, int, int, int]
    height: int
    end: tuple[int, int, int, int]
    """The box of the word of the line's height (no dash or comma) that ends furthest right:
    the row the line goes on from."""

    @classmethod
    def of(cls, line: Line) -> _Placed:
        full = [w.box for w in line.words if w.box[3] - w.box[1] >= line.height / 2] or [line.box]
        return cls(line, line.box, line.height, max(full, key=lambda box: box[2]))


def _join_row_neighbours(lines: list[Line]) -> list[Line]:
    """Lines tesseract numbered apart but printed as one: level with each other and closer than
    a column gap ("Atorvastatin -" and "take 1 tab once daily" on a heavy scan).

    Lines are taken from the left; a line joined by its neighbour takes its place and is tried
    again, so a row in three pieces becomes one, and no join starts the search over: a page
    read as thousands of specks costs the square of its lines, not the cube."""
    placed = [_Placed.of(line) for line in sorted(lines, key=lambda line: line.box[0])]
    index = 0
    while index < len(placed):
        left = placed[index]
        right = next((other for other in placed if other is not left and _continues(left, other)), None)
        if right is None:
            index += 1
            continue
        placed[index] = _Placed.of(Line(left.line.words + right.line.words))
        at = next(k for k, other in enumerate(placed) if other is right)
        placed.pop(at)
        index -= at < index
    return [p.line for p in placed]


def _continues(left: _Placed, right: _Placed) -> bool:
    """True when ``right`` starts just after ``left`` ends, on the row of ``left``'s last word
    (a line joined from pieces may stand taller than one row: a column of item numbers OCR
    read as one line beside the questions); after a list's item number alone ("1.", "2)"), a
    tab's width after it: the number opens the item beside it."""
    height = min(left.height, right.height)
    gap = right.box[0] - left.box[2]
    shared = min(left.end[3], right.box[3]) - max(left.end[1], right.box[1])
    reach = ITEM_GAP_HEIGHTS if _ITEM_NUMBER.fullmatch(left.line.text) else COLUMN_GAP_HEIGHTS
    return -0.5 * height <= gap <= reach * height and shared >= 0.5 * height


_TITLE_CASE_PAIR = re.compile(r"[A-Z][a-z]")
# ... of at least this share of the page's word height.
PAIR_HEIGHT_SHARE = 0.75


def _is_noise_word(word: Word, typical: float = 0.0) -> bool:
    """Punctuation-only words survive only when read confidently (the "-" in "Lialda - take").

    A word with a digit always survives: dropping a doubtful "9" beside a sure "8" would turn
    a weight of 89 into a confident 8; kept, its low confidence flags the field instead.
    """
    if all(ch in _LONE_POINTS for ch in word.text):
        return True  # a full stop or comma holds to the word before it: standing apart, dust
    if all(ch in _RULE_CHARS for ch in word.text):
        return word.confidence < 0.5 or any(ch in "_|—~=" for ch in word.text)
    if any(ch.isdecimal() for ch in word.text):
        return False
    # A capital and a small letter as tall as the page's words ("Dr", "Ht", "No") have the shape
    # of print, however unsure tesseract was of a short bold word; a box or a blot reads as
    # capitals or symbols ("CL", "LJ", "OO"), a loop of a pen under its line as a small "Oo".
    # Kept, an unsure word flags the value it is in. (``typical``: the page's word height.)
    printed = _TITLE_CASE_PAIR.fullmatch(word.text) and word.height >= PAIR_HEIGHT_SHARE * typical
    return len(word.text) <= 2 and word.confidence < 0.3 and not printed


def _is_speck(word: Word, typical: float) -> bool:
    """A letter or digit far smaller than any letter, or smaller than small letters and read
    with next to no confidence ("ues" at 0.03, a third of the words' height); a dash or full
    stop is that flat anyway. ``typical`` is the page's word height (0: unknown, nothing is)."""
    if not any(ch.isalnum() for ch in word.text):
        return False
    return word.height < SPECK_HEIGHT_SHARE * typical or (
        word.height < UNSURE_SPECK_SHARE * typical and word.confidence < UNSURE_SPECK
    )


def is_sure_text(text: str, confidence: float) -> bool:
    """True for a word or line that is print, not noise read as text: the ones to measure by."""
    return confidence >= SURE_CONFIDENCE and sum(ch.isalnum() for ch in text) >= 3


def _word_height(words: list[Word]) -> float:
    """The median height of surely read words (noise read as "eet" is small); 0.0 when there
    are too few to tell (a region read again)."""
    heights = [w.height for w in words if is_sure_text(w.text, w.confidence)]
    return float(statistics.median(heights)) if len(heights) >= 5 else 0.0


def _has_content(line: Line) -> bool:
    return any(ch.isalnum() for ch in line.text)


def _split_columns(row: list[Word]) -> list[Line]:
    height = statistics.median(w.height for w in row)
    segments: list[list[Word]] = [[row[0]]]
    for previous, word in itertools.pairwise(row):
        if word.x0 - previous.x1 > COLUMN_GAP_HEIGHTS * height:
            segments.append([word])
        else:
            segments[-1].append(word)
    return [Line(tuple(segment)) for segment in segments]


_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_NOT_LETTER = re.compile(r"[^a-z]")


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def normalize_token(text: str) -> str:
    """Lower-case letters and digits only: the form OCR variants of a word are compared in."""
    return _NOT_ALNUM.sub("", text.lower())


def spelling(text: str) -> str:
    """The letters of ``text`` in lower case, without digits or marks: how a printed word is
    compared across copies ("DOB:" and "dob") and a label's words with a value's."""
    return _NOT_LETTER.sub("", text.lower())


@lru_cache(maxsize=TOKEN_CACHE_SIZE)
def similarity(a: str, b: str) -> float:
    """difflib's similarity ratio of two normalised strings (0..1), 0.0 when either is empty."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def similarity_bound(a: str, b: str) -> float:
    """An upper bound of ``similarity(a, b)``, some 80 times cheaper to compute.

    rapidfuzz's Indel similarity is 2 * LCS / (len(a) + len(b)); difflib's ratio counts the
    characters of the blocks its longest-block-first search matches, which never exceed the
    longest common subsequence. A candidate whose bound cannot beat the best score found so far
    needs no difflib comparison, and every score the engine uses is still difflib's.
    """
    return Indel.normalized_similarity(a, b) + BOUND_SLACK


@dataclass(frozen=True)
class LabelMatch:
    """Where a label phrase was found: the line, the words it covers [start, end), how well."""

    line: Line
    start: int
    end: int
    score: float

    @property
    def words(self) -> tuple[Word, ...]:
        return self.line.words[self.start : self.end]

    @property
    def box(self) -> tuple[int, int, int, int]:
        xs0, ys0, xs1, ys1 = zip(*(w.box for w in self.words), strict=True)
        return (min(xs0), min(ys0), max(xs1), max(ys1))

    @property
    def after(self) -> tuple[Word, ...]:
        """The words on the same line after the label."""
        return self.line.words[self.end :]

    @property
    def _starts_line(self) -> bool:
        """Nothing but a stray mark before the match (margin marks merge into OCR'd lines)."""
        before = self.line.words[: self.start]
        return sum(sum(ch.isalnum() for ch in w.text) for w in before) <= 1

    @property
    def looks_like_label(self) -> bool:
        """True when the match starts its line and is set like a label: it or its line ending in
        ':' or '?' ("List any Medical Problems (asthma, seizures):"), or covering most of the
        line. "Weight loss" under a question is a value; "Weight:" is not."""
        if not self._starts_line:
            return False
        if self.words[-1].text.endswith((":", "?", ";")) or self.line.words[-1].text.endswith((":", "?")):
            return True
        label_chars = sum(len(w.text) for w in self.words)
        return label_chars / sum(len(w.text) for w in self.line.words) >= 0.7


def match_label(line: Line, phrase: str, min_score: float) -> LabelMatch | None:
    """The best fuzzy occurrence of ``phrase`` in ``line`` scoring at least ``min_score`` (0..1).

    Word runs of the phrase's length give or take one are compared as letter strings, so OCR
    that splits or joins words still matches.
    """
    return _best_match(line, phrase, min_score)


@lru_cache(maxsize=MATCH_CACHE_SIZE)
def _best_match(line: Line, phrase: str, min_score: float) -> LabelMatch | None:
    """The first best-scoring occurrence of ``phrase`` in ``line``, if it scores ``min_score``.

    Remembered: every field asks of the same lines whether they hold its label or another's.
    Runs are compared by difflib in order of their bound (see ``similarity_bound``), best first,
    until no run left can beat or tie the best score: most lines are ruled out by bounds alone.
    """
    target = normalize_token(phrase)
    if not target:
        return None
    tokens = [normalize_token(w.text) for w in line.words]
    size = len(phrase.split())
    runs: list[tuple[int, int]] = []
    for start in range(len(tokens)):
        for length in range(max(1, size - 1), size + 2):
            end = start + length
            if end > len(tokens):
                break
            runs.append((start, end))
    texts = ["".join(tokens[start:end]) for start, end in runs]
    bounds = [similarity_bound(target, text) for text in texts]
    if not runs or max(bounds) < min_score:
        return None
    best, best_score = -1, -1.0
    # Ties go to the earliest run, as a left-to-right scan keeping the first best would.
    for index in sorted(range(len(runs)), key=lambda i: -bounds[i]):
        if bounds[index] < best_score:
            break
        score = similarity(target, texts[index])
        if score > best_score or (score == best_score and index < best):
            best, best_score = index, score
    if best_score < min_score:
        return None
    return LabelMatch(line, runs[best][0], runs[best][1], best_score)
