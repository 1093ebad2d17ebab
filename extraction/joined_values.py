"""Two fields' values written on one line, joined by a dash: "Tab. Metformin 500 mg - 1 tab BD
x 5 days", a medicine and its directions. Such a line is cut in two at the dash when what is
before it (after a list's item number) is wholly a line of one field (its ``line_pattern``) and
what is after it opens a line of another (its ``shape``), so each field finds its own part as a
line of its shape.

A medicine's name with its dose written onto it ("Rosuvastatin5 mg", "Aspirin81mg": tight
print loses the space) is two words first: a listed drug's name and its dose, when a unit of a
dose follows the number, on it or as the next word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from extraction.doctypes import DocumentType
from extraction.doses import repair_doses
from extraction.lexicon import is_known
from extraction.phrases import ITEM_NUMBER
from extraction.types import Line, PageText, Word

# The marks that join a medicine to its directions on one line.
JOINERS = ("-", "–", "—")
# A word of letters and then a number ("Rosuvastatin5", "Aspirin81mg"), and the lexicons its
# letters must be in.
GLUED_DOSE = re.compile(r"([A-Za-z]{4,})(\d+(?:\.\d+)?)([A-Za-z]*)")
NAMES_WITH_DOSES = ("drugs",)


def split_joined_values(page: PageText, doc_type: DocumentType) -> PageText:
    """``page`` with each line holding two fields' values joined by a dash cut in two there
    (the dash dropped) and each drug's name run into its dose parted from it (a unit of one of
    the type's fields after the number); a page with none comes back as it is."""
    wholes = [
        (spec.line_pattern, spec.units if spec.dose_lines else ())
        for spec in doc_type.fields
        if spec.line_pattern
    ]
    openings = [spec.shape for spec in doc_type.fields if spec.shape]
    units = {unit.lower() for spec in doc_type.fields for unit in spec.units}
    if not units and not (wholes and openings):
        return page
    lines: list[Line] = []
    for line in page.lines:
        apart = _names_apart_from_doses(line, units)
        lines += _cut(apart, wholes, openings) if wholes and openings else [apart]
    unchanged = len(lines) == len(page.lines) and all(a is b for a, b in zip(lines, page.lines, strict=True))
    return page if unchanged else replace(page, lines=tuple(lines))


def _names_apart_from_doses(line: Line, units: set[str]) -> Line:
    """``line`` with each listed drug's name written onto its dose made two words, the box cut
    where the name's share of the characters ends; the line itself when there is none. The
    dose's unit stands on the number or as the next word: a listed word run into a number and
    no unit ("Gold123") is left whole."""
    if not units:
        return line
    words: list[Word] = []
    for index, word in enumerate(line.words):
        after = line.words[index + 1].text.strip(".,;:").lower() if index + 1 < len(line.words) else ""
        words += _name_apart_from_dose(word, units, after)
    return line if len(words) == len(line.words) else Line(tuple(words))


def _name_apart_from_dose(word: Word, units: set[str], after: str) -> tuple[Word, ...]:
    match = GLUED_DOSE.fullmatch(word.text)
    if match is None or not is_known(match.group(1), NAMES_WITH_DOSES):
        return (word,)
    name, number, unit = match.groups()
    if (unit.lower() if unit else after) not in units:
        return (word,)
    x0, y0, x1, y1 = word.box
    cut = x0 + round((x1 - x0) * len(name) / len(word.text))
    dose = number + unit
    return Word(name, word.confidence, (x0, y0, cut, y1), word.line), Word(
        dose, word.confidence, (cut, y0, x1, y1), word.line
    )


def _cut(line: Line, wholes: list[tuple[str, Sequence[str]]], openings: list[str]) -> list[Line]:
    """``line`` cut at the first dash with a whole line of one field before it (its pattern
    met once any dose misread by a confusable glyph is set right: "100 meg") and the opening
    of another's after it."""
    words = line.words
    for index, word in enumerate(words[1:-1], start=1):
        if word.text not in JOINERS:
            continue
        before = ITEM_NUMBER.sub("", " ".join(w.text for w in words[:index]))
        after = " ".join(w.text for w in words[index + 1 :])
        if any(re.fullmatch(whole, repair_doses(before, units)[0]) for whole, units in wholes) and any(
            re.match(shape, after) for shape in openings
        ):
            return [Line(words[:index]), Line(words[index + 1 :])]
    return [line]
