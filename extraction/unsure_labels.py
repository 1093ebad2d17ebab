"""Labels the page pass misread: a line's opening words up to a colon, or a short line set apart
from the value beside it, read unsure.

Forms print their labels small ("DOB:", "Wt:" in a caption's type beside a value written
large), and tesseract's page pass, its scale set by the page's usual text, misreads them ("pos:",
"w:", "Streetaddress;") unsure; the field then has no label and is left blank. Each such label
that reads as none the document knows is read again on its own (a crop with a white margin,
read at 1x and 2x: ``extraction.ocr.read_region`` through the fields' region reader), and the
reading replaces the page pass's when it is sure and reads as a known label ending as the label
read did (in a colon or not): a crop of a short word alone is misread too ("lel:" for "Tel:"),
and only the document's own wordings tell a better reading from another misreading.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from extraction.keys import KEY_MIN_SCORE
from extraction.layout import reading_order
from extraction.phrases import whole_phrase_score
from extraction.types import Box, Line, PageText, Word, mean_confidence, on_one_row, union_box

# A label whose words are all read at least this sure is left as read.
SURE_CONFIDENCE = 0.9
# A label is at most this many words up to its colon.
MAX_LABEL_WORDS = 4
# The crop takes this share of the label's height around it: the tops and tails of its letters.
MARGIN_SHARE = 0.3
# At most this many labels a page are read again, the least sure first: a page of damaged print
# is no reason to read every line twice.
MAX_LABELS = 12
# A label with no colon has its value starting within this many of its heights right of it.
VALUE_GAP_HEIGHTS = 3.0
# The colon a label ends in, and what tesseract reads it as.
COLONS = (":", ";")

LabelReader = Callable[[Box], list[Word]]


def unsure_labels(page: PageText, vocabulary: tuple[str, ...]) -> list[tuple[Word, ...]]:
    """The labels of ``page`` worth reading again: each line's opening words up to the first one
    ending in a colon, or a line of its own with a value just right of it (``_label_alone``)
    (at most ``MAX_LABEL_WORDS``, with a letter and no digit), with a word read unsure, that
    read as no wording of ``vocabulary``; the least sure first, at most ``MAX_LABELS``."""
    found = [
        label
        for line in page.lines
        if (label := _opening_label(line) or _label_alone(line, page)) is not None
        and not _known(label, vocabulary)
    ]
    found.sort(key=lambda label: min(w.confidence for w in label))
    return found[:MAX_LABELS]


def _label_alone(line: Line, page: PageText) -> tuple[Word, ...] | None:
    """A short line of words with no colon, read unsure, with a line starting just right of it
    on its row: a label set apart from its value ("DOB   18/07/1986" read "pos." and the date)."""
    words = line.words
    if len(words) > MAX_LABEL_WORDS or not _unsure_label_words(words):
        return None
    height = line.box[3] - line.box[1]
    beside = any(
        0 < other.box[0] - line.box[2] <= VALUE_GAP_HEIGHTS * height and on_one_row(other.box, line.box)
        for other in page.lines
    )
    return words if beside else None


def _opening_label(line: Line) -> tuple[Word, ...] | None:
    for end, word in enumerate(line.words[:MAX_LABEL_WORDS], start=1):
        if word.text.endswith(COLONS):
            label = line.words[:end]
            return label if _unsure_label_words(label) else None
    return None


def _unsure_label_words(words: tuple[Word, ...]) -> bool:
    """True for words that may be a label (a letter, no digit) with one read unsure."""
    text = "".join(w.text for w in words)
    return (
        not any(ch.isdigit() for ch in text)
        and any(ch.isalpha() for ch in text)
        and min(w.confidence for w in words) < SURE_CONFIDENCE
    )


def label_crop(box: Box) -> Box:
    """The box a label is read again from: ``box`` and MARGIN_SHARE of its height round it (the
    tops and tails of its letters; a reader clips it to the page)."""
    margin = round(MARGIN_SHARE * (box[3] - box[1]))
    return (box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin)


def with_labels_read_again(
    page: PageText, labels: Sequence[tuple[Word, ...]], read: LabelReader, vocabulary: tuple[str, ...]
) -> PageText:
    """``page`` with each of ``labels`` read by ``read``: its reading replaces the label's words
    when it ends as they end (in a colon or not), is sure (``SURE_CONFIDENCE`` on average) and
    reads as a wording of ``vocabulary``; ``page`` itself when nothing changes. The reading takes
    the label's place in its own line and every other line stays as it was: the page's lines
    were cut at the walls of its cells, and grouped again a label would join the value in the
    cell before it."""
    readings: dict[int, list[Word]] = {}
    for label in labels:
        box = union_box([w.box for w in label])
        assert box is not None
        found = read(label_crop(box))
        if (
            not found
            or _ends_in_colon(found) != _ends_in_colon(label)
            or mean_confidence(found) < SURE_CONFIDENCE
        ):
            continue
        if not _known(tuple(found), vocabulary):
            continue  # another misreading, however sure
        readings[id(label[0])] = [Word(w.text, w.confidence, w.box, label[0].line) for w in found]
        readings.update((id(w), []) for w in label[1:])
    if not readings:
        return page
    lines = [
        Line(tuple(sorted((new for w in line.words for new in readings.get(id(w), [w])), key=lambda w: w.x0)))
        for line in page.lines
    ]
    return PageText(page.index, tuple(sorted(lines, key=reading_order)), page.width, page.height)


def _ends_in_colon(words: Sequence[Word]) -> bool:
    return words[-1].text.endswith(COLONS)


def _known(label: Sequence[Word], vocabulary: tuple[str, ...]) -> bool:
    text = " ".join(w.text for w in label).rstrip(":; ")
    return whole_phrase_score(text, vocabulary) >= KEY_MIN_SCORE
