"""The page's words against its structure: the text height, words that are a mark read as text,
runs of a line split at vertical rules, and a border read into a value trimmed off."""

from __future__ import annotations

import itertools
import re
import statistics
from collections.abc import Callable, Sequence

from extraction.structure.combs import inside_comb
from extraction.structure.geometry import at_the_start, inside_any, passes_between, word_boxes
from extraction.structure.types import ANSWERED_IN_WORDS, PageStructure
from extraction.types import Box, Line, Word, union_box

# Text height assumed when the words cannot tell (preprocess scales pages to about this).
DEFAULT_TEXT_HEIGHT = 24.0
# A word read this surely, with two or more letters, is text: a mark's box never coincides with one.
SURE_WORD_CONFIDENCE = 0.6
# Glyphs OCR makes of a vertical rule beside a word, and the confidence left to a word that
# lost one (under the review threshold: the clerk looks at it).
BORDER_GLYPHS = "[{|]})(1lI!"
# Glyphs OCR makes of a cell's wall where it meets the rule under it (a corner); taken for the
# wall only where it stands over a cell's wall, most of the glyph outside the cell.
CORNER_GLYPHS = "JL"
BORDER_GLYPH_CONFIDENCE = 0.7
# Glyphs OCR makes of a comb's walls and of the bars a form prints between a comb's groups
# (DD | MM | YYYY); a box holds a digit or a letter, never one of these.
_NO_COMB_BARS = str.maketrans("", "", "|[]{}")
# A word that starts at a mark and reaches this share of the mark's height past it holds the
# option printed after the mark.
OPTION_RUN_ON = 0.5
# A comb's reading of this many digits and no letter but "O" holds a number: its "O" is a zero.
MIN_COMB_DIGITS = 4
# A rule ruled for a value starts within this many text heights of the gap before it, and lies
# at most this many text heights under the foot of the words written on it.
RULE_START_SLACK = 0.3
RULE_FOOT_REACH = 0.8
# A line ruled to write on is at least this many text heights long (the serifs of a word's foot,
# run together by noise, may pass for a rule as long as the word).
RULE_MIN_LENGTH = 6.0


def text_height(words: Sequence[Word]) -> float:
    """The median height of surely read words (of all words with a letter or digit when few are
    sure), or ``DEFAULT_TEXT_HEIGHT`` when no word tells; clamped to a sane range."""
    sure = [w.height for w in words if _is_sure_text(w)]
    any_text = [w.height for w in words if any(ch.isalnum() for ch in w.text)]
    heights = sure if len(sure) >= 3 else any_text
    if not heights:
        return DEFAULT_TEXT_HEIGHT
    return float(min(120.0, max(10.0, statistics.median(heights))))


def words_outside_marks(words: Sequence[Word], structure: PageStructure) -> list[Word]:
    """The words that are not a selection mark read as text ("O", "[]", "0", "D", "☐"...):
    a word goes when at least half of its box lies inside a mark's box."""
    # A ring's word, and the option left standing among struck ones, is its answer.
    printed = [mark.box for mark in structure.marks if mark.shape not in ANSWERED_IN_WORDS]
    inside = inside_any(word_boxes(words), printed)
    return [
        word
        for word, is_mark in zip(words, inside, strict=True)
        if (not is_mark or _runs_on_from_a_mark(word, printed)) and not _a_column_of(word, printed)
    ]


def _runs_on_from_a_mark(word: Word, marks: Sequence[Box]) -> bool:
    """True for a word OCR read from a mark's edge on into the option printed after it ("My" for
    a ticked box and its "Y"): it starts at the mark and reaches past it by ``OPTION_RUN_ON``
    of the mark's height or more, a letter's width. The option's part is the option's print
    (``extraction.choices`` trims the mark's glyph off); a mark read alone ends at its edge."""
    return len(word.text) >= 2 and any(
        at_the_start(mark, word.box[0]) and word.box[2] - mark[2] >= OPTION_RUN_ON * (mark[3] - mark[1])
        for mark in marks
    )


def _a_column_of(word: Word, marks: Sequence[Box]) -> bool:
    """True for a "word" that is a column of boxes read as one ("OOOdao"): the middles of two or
    more marks on different rows lie inside its box. A word of print is one row tall."""
    rows = {
        (mark[1] + mark[3]) // 2
        for mark in marks
        if word.x0 <= (mark[0] + mark[2]) / 2 <= word.x1
        and word.box[1] <= (mark[1] + mark[3]) / 2 <= word.box[3]
    }
    return len(rows) >= 2 and max(rows) - min(rows) > word.height / 2


def split_at_rules(line_words: Sequence[Word], structure: PageStructure) -> list[list[Word]]:
    """The words of one text line, in left-to-right runs split wherever a vertical rule passes
    between two neighbours, so the text of two boxed cells never runs together. No words, no runs."""
    verticals = [r.box for r in structure.rules if r.orientation == "vertical"]
    return _runs_parted(line_words, lambda a, b: any(passes_between(rule, a, b) for rule in verticals))


def _runs_parted(line_words: Sequence[Word], parted: Callable[[Word, Word], bool]) -> list[list[Word]]:
    """The words of one line, left to right, in runs split between each two neighbours that
    ``parted`` says part."""
    ordered = sorted(line_words, key=lambda w: w.x0)
    if not ordered:
        return []
    runs: list[list[Word]] = [[ordered[0]]]
    for previous, word in itertools.pairwise(ordered):
        if parted(previous, word):
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs


def split_at_rule_starts(line_words: Sequence[Word], structure: PageStructure) -> list[list[Word]]:
    """The words of one text line, in left-to-right runs split wherever a horizontal rule starts
    in the gap between two neighbours and runs on under the second at the line's foot: a value
    written on the line ruled for it right of its label ("For ____" filled in), which the rule's
    start parts from the label as a colon would (after a colon the line is left whole: the
    colon parts them already, and a value that reads like a label stays the label's value; nor
    after a word with no letter, which no label ends with). No words, no runs."""
    # A comb's floor and the tops of its boxes are no line to write on: its groups are one value.
    rules = [
        r.box
        for r in structure.rules
        if r.orientation == "horizontal" and not inside_comb(r.box, structure.combs)
    ]
    # After a colon the line already reads as a label and its value.
    return _runs_parted(
        line_words,
        lambda a, b: (
            not a.text.endswith(":")
            and _may_end_a_label(a)
            and any(_starts_under(rule, a, b) for rule in rules)
        ),
    )


def _may_end_a_label(word: Word) -> bool:
    """True for a word a label may end with: one with a letter. A number before the rule's
    start is the value's own ("38 | Madison Way": a house number, the rule under the street
    broken off on a fax), never a label."""
    return any(ch.isalpha() for ch in word.text)


def _starts_under(rule: Box, previous: Word, word: Word) -> bool:
    """True when ``rule``, a line ruled to write on, starts between ``previous`` and ``word`` (or
    under the first letter of ``word``) and runs on under all of ``word``, at the foot of both."""
    height = (previous.height + word.height) / 2
    foot = max(previous.box[3], word.box[3])
    return (
        previous.x1 - RULE_START_SLACK * height <= rule[0] <= word.x0 + RULE_START_SLACK * height
        and rule[2] >= word.x1
        and rule[2] - rule[0] >= RULE_MIN_LENGTH * height
        and foot - RULE_START_SLACK * height <= rule[1] <= foot + RULE_FOOT_REACH * height
    )


def split_before_marks(line_words: Sequence[Word], structure: PageStructure) -> list[list[Word]]:
    """The words of one text line cut before the first checkbox or radio circle on it that
    has words left of it, when two or more stand within the line (marks further along its row
    are other lines'): a question or label and the options it is answered with ("Refills [ ]0
    [ ]1 [x]2") are two runs, as a colon would part them. No words, no runs."""
    ordered = sorted(line_words, key=lambda w: w.x0)
    if not ordered:
        return []
    row = union_box([w.box for w in ordered])
    assert row is not None
    row_middle = (row[1] + row[3]) / 2
    marks = [
        m.box
        for m in structure.marks
        if m.shape in ("square", "circle")
        and m.box[1] <= row_middle <= m.box[3]
        and row[0] <= m.box[0] <= row[2]
    ]
    if len(marks) < 2:
        return [ordered]  # a lone mark may be a letter taken for one; options come two or more
    for index in range(1, len(ordered)):
        previous, word = ordered[index - 1], ordered[index]
        word_middle = (word.box[1] + word.box[3]) / 2
        if any(
            previous.x1 - 2 <= box[0] <= word.x0 + 2 + (box[2] - box[0]) and box[1] <= word_middle <= box[3]
            for box in marks
        ):
            return [ordered[:index], ordered[index:]]
    return [ordered]


def trim_borders(words: Sequence[Word], structure: PageStructure) -> list[Word]:
    """The words without a first or last character that is a vertical rule read as a glyph:
    a cell's border read into the value beside it ("[3263111918", "1126" for 126). Only a
    rule-like glyph ([ { | ] } ( ) 1 l I !) lying over the rule goes; the word keeps at most
    ``BORDER_GLYPH_CONFIDENCE``, so its field is looked at."""
    verticals = [r.box for r in structure.rules if r.orientation == "vertical"]
    if not verticals:
        return list(words)
    cells = [cell.box for cell in structure.cells]
    return [_trim_border(word, verticals, cells) for word in words]


def _trim_border(word: Word, verticals: Sequence[Box], cells: Sequence[Box] = ()) -> Word:
    x0, y0, x1, y1 = word.box
    if len(word.text) < 2:
        return word
    glyph = (x1 - x0) / len(word.text)
    # A border runs past the word above and below; a letter's stroke read as a rule does not.
    # A cell's wall may be no taller than a word OCR read into it: it borders a cell the rest
    # of the word lies in.
    reach = 0.25 * (y1 - y0)
    # A skewed line's box is wide and says little of where it passes by the word: upright only.
    upright = [r for r in verticals if r[0] < x1 and r[2] > x0 and r[2] - r[0] <= 0.4 * (y1 - y0)]
    crossing = [r for r in upright if r[1] <= y0 - reach and r[3] >= y1 + reach]
    walls = [r for r in upright if _walls_a_cell(r, word.box, cells)]
    text, left, right = word.text, x0, x1
    # The glyph is the border's ink when the border covers a good part of its width.
    covers = min(glyph / 3, 3)
    if _over_first_glyph(text[0], x0, glyph, covers, crossing, walls):
        text, left = text[1:], round(x0 + glyph)
    if (
        len(text) > 1
        and text[-1] in BORDER_GLYPHS
        and any(r[2] >= x1 - glyph / 2 and x1 - r[0] >= covers for r in crossing)
    ):
        text, right = text[:-1], round(x1 - glyph)
    if text == word.text:
        return word
    confidence = min(word.confidence, BORDER_GLYPH_CONFIDENCE)
    return Word(text, confidence, (left, y0, right, y1), word.line)


def _over_first_glyph(
    first: str, x0: int, glyph: float, covers: float, crossing: Sequence[Box], walls: Sequence[Box]
) -> bool:
    """Whether a border lies over the word's first glyph, a glyph OCR makes of one: a rule
    running past the word, or a cell's wall read as a corner ("JTEL": a printed "(" or "1" set
    close to a wall no taller than the word may be read with the wall's ink, and stays)."""

    def over(r: Box) -> bool:
        return r[0] <= x0 + glyph / 2 and r[2] - x0 >= covers

    if first in BORDER_GLYPHS and any(over(r) for r in crossing):
        return True
    return first in CORNER_GLYPHS and any(over(r) for r in walls)


def _walls_a_cell(rule: Box, word: Box, cells: Sequence[Box]) -> bool:
    """Whether ``rule`` stands over most of the word's height and is the left wall of a cell
    that holds the word's middle row and the rest of it."""
    height = word[3] - word[1]
    if min(rule[3], word[3]) - max(rule[1], word[1]) < 0.6 * height:
        return False
    middle = (word[1] + word[3]) / 2
    return any(
        cell[1] <= middle <= cell[3]
        and 0 <= cell[0] - rule[2] <= 0.4 * height
        and cell[2] >= word[2] - height
        for cell in cells
    )


def is_sure_word(word: Word) -> bool:
    """Read surely, with two or more letters: text, not a mark read as text."""
    return word.confidence >= SURE_WORD_CONFIDENCE and sum(ch.isalpha() for ch in word.text) >= 2


def asked_beside(row: Sequence[Box], sure: Sequence[Box]) -> bool:
    """True when a word read surely (``sure``: their boxes) stands left of the row of answer
    boxes ``row``, level with its middle: the question the row answers (a row of a table of
    labels and values asks none)."""
    left = min(box[0] for box in row)
    middle = sum((box[1] + box[3]) / 2 for box in row) / len(row)
    return any(box[2] <= left and box[1] <= middle <= box[3] for box in sure)


def _is_sure_text(word: Word) -> bool:
    return word.confidence >= SURE_WORD_CONFIDENCE and sum(ch.isalnum() for ch in word.text) >= 2


# Words this far (in comb heights) left or right of a comb still belong to it: the "(" printed
# before a phone's first group of boxes.
COMB_REACH = 0.75


def join_combs(line_words: Sequence[Word], structure: PageStructure) -> list[Word]:
    """The words of one text line with each comb's characters joined into one word: OCR reads the
    digits of spaced boxes apart ("1 9 3 4 / 0 6 / 2 5"); the value is "1934/06/25". The joined
    word is as sure as its least sure character, so an unsure digit gets the value looked at."""
    ordered = sorted(line_words, key=lambda w: w.x0)
    if not structure.combs or len(ordered) < 2:
        return ordered
    joined: list[Word] = []
    group: list[Word] = []
    comb: Box | None = None
    for word in [*ordered, None]:
        home = None if word is None else _comb_of(word, structure.combs)
        if group and (home is None or home != comb):
            joined.append(_comb_characters(_joined(group) if len(group) > 1 else group[0]))
            group = []
        if word is None:
            break
        if home is None:
            joined.append(word)
        else:
            group.append(word)
            comb = home
    return joined


def with_comb_lines_joined(lines: Sequence[Line], structure: PageStructure) -> list[Line]:
    """``lines`` with the lines that share a comb made one, where the first of them stood: OCR
    reads the groups of spaced boxes (DD | MM | YYYY) as lines of their own, so the value
    "03 | 14 | 1954" was read as "03" alone beside its label."""
    if not structure.combs:
        return list(lines)
    first_line_of: dict[Box, int] = {}
    home_line: dict[int, int] = {}
    for index, line in enumerate(lines):
        homes = [first_line_of.setdefault(comb, index) for comb in _combs_of(line, structure.combs)]
        home_line[index] = min(homes, default=index)
    words: dict[int, list[Word]] = {}
    for index, line in enumerate(lines):
        words.setdefault(home_line[index], []).extend(line.words)
    return [Line(tuple(sorted(group, key=lambda w: w.x0))) for _, group in sorted(words.items())]


def _combs_of(line: Line, combs: Sequence[Box]) -> list[Box]:
    found = (_comb_of(word, combs) for word in line.words)
    return sorted({comb for comb in found if comb is not None})


def _comb_of(word: Word, combs: Sequence[Box]) -> Box | None:
    cx, cy = (word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2
    for comb in combs:
        reach = COMB_REACH * (comb[3] - comb[1])
        if comb[0] - reach <= cx <= comb[2] + reach and comb[1] <= cy <= comb[3]:
            return comb
    return None


def _comb_characters(word: Word) -> Word:
    """A comb's reading with only what its boxes hold: its walls and the bars printed between
    its groups read as glyphs ("O3]16|1945") are no characters of the value, and among digits
    an "O" is a zero. The word is left no surer than ``BORDER_GLYPH_CONFIDENCE`` when anything
    was taken out, so the clerk looks at it."""
    text = word.text.translate(_NO_COMB_BARS)
    if sum(ch.isdigit() for ch in text) >= MIN_COMB_DIGITS and not re.search(r"[A-NP-Za-np-z]", text):
        text = text.replace("O", "0").replace("o", "0")
    if text == word.text or not text:
        return word
    return Word(text, min(word.confidence, BORDER_GLYPH_CONFIDENCE), word.box, word.line)


def _joined(words: Sequence[Word]) -> Word:
    box = union_box([w.box for w in words])
    assert box is not None
    return Word("".join(w.text for w in words), min(w.confidence for w in words), box, words[0].line)
