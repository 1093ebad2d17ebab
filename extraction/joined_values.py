"""Two fields' values written on one line, joined by a dash: "Tab. Metformin 500 mg - 1 tab BD
x 5 days", a medicine and its directions. Such a line is cut in two at the dash when what is
before it (after a list's item number) is wholly a line of one field (its ``line_pattern``) and
what is after it opens a line of another (its ``shape``), so each field finds its own part as a
line of its shape.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.doctypes import DocumentType
from extraction.phrases import ITEM_NUMBER
from extraction.types import Line, PageText

# The marks that join a medicine to its directions on one line.
JOINERS = ("-", "–", "—")


def split_joined_values(page: PageText, doc_type: DocumentType) -> PageText:
    """``page`` with each line holding two fields' values joined by a dash cut in two there
    (the dash dropped); a page with none comes back as it is."""
    wholes = [spec.line_pattern for spec in doc_type.fields if spec.line_pattern]
    openings = [spec.shape for spec in doc_type.fields if spec.shape]
    if not wholes or not openings:
        return page
    lines: list[Line] = []
    for line in page.lines:
        lines += _cut(line, wholes, openings)
    return page if len(lines) == len(page.lines) else replace(page, lines=tuple(lines))


def _cut(line: Line, wholes: list[str], openings: list[str]) -> list[Line]:
    words = line.words
    for index, word in enumerate(words[1:-1], start=1):
        if word.text not in JOINERS:
            continue
        before = ITEM_NUMBER.sub("", " ".join(w.text for w in words[:index]))
        after = " ".join(w.text for w in words[index + 1 :])
        if any(re.fullmatch(whole, before) for whole in wholes) and any(
            re.match(shape, after) for shape in openings
        ):
            return [Line(words[:index]), Line(words[index + 1 :])]
    return [line]
