"""Headings set over a section rule: a line alone on its row with a ruled line close under it
that runs on well past its end, across half the page's print or more ("Insurance" over a rule
the width of the form). Forms mark their sections so whatever the wording; a heading no section
wording names still ends the section before it (a parent's details must not run on into the
emergency contact's and the insurance's)."""

from __future__ import annotations

from extraction.keys import Key
from extraction.structure.types import PageStructure
from extraction.types import Box, Line, PageText, on_one_row

# How far under the line's foot a section's rule may run, in line heights: a heading's rule is
# set close; a blank value's underline leaves room to write on.
RULE_GAP = 0.6
# A section's rule runs across at least this share of the page's print, and this many times
# the heading's own width.
RULE_SHARE = 0.5
RULE_PAST_HEADING = 2.0
# A rule as wide this close over the line makes it a row of a ruled register (a rule under each
# row), not a heading: a section's heading has room above it.
REGISTER_GAP = 1.0
# A line this close under other print (in line heights) is written under it: a value under its
# question; a heading has room above it.
UNDER_ANOTHER = 1.2


def lines_over_section_rules(
    page: PageText, keys: list[Key], structure: PageStructure | None, height: float
) -> list[Key]:
    """The lines over a section's rule (``_over_a_section_rule``) in words, not figures, with
    room above them (not a value written under its question on a long underline): a key alone
    on its line, or a line no wording names ("Emergency contact - not a parent", made a key of
    no field here)."""
    rules = _wide_rules(page, structure)
    if structure is None or not rules:
        return []
    by_line = {id(k.line): k for k in keys}
    found = []
    for line in page.lines:
        key = by_line.get(id(line))
        if key is not None and (key.colon or not key.whole_line):
            continue
        letters = sum(ch.isalpha() for ch in line.text)
        if letters < 3 or any(ch.isdigit() for ch in line.text) or line.text.rstrip().endswith(":"):
            continue
        if _right_under(line, page, height):
            continue
        if _over_a_section_rule(line, page, structure, rules, height):
            found.append(key or Key(page.index, line, len(line.words), colon=False, known=False))
    return found


def _right_under(line: Line, page: PageText, height: float) -> bool:
    """True when other print stands close over ``line`` (``UNDER_ANOTHER`` line heights or less):
    a value written under its question or label, which a section's heading never is."""
    return any(
        other is not line
        and 0 <= line.box[1] - other.box[3] <= UNDER_ANOTHER * height
        and other.box[0] < line.box[2]
        and line.box[0] < other.box[2]
        for other in page.lines
    )


def _wide_rules(page: PageText, structure: PageStructure | None) -> list[Box]:
    """The page's horizontal rules running across ``RULE_SHARE`` of its print or more."""
    if structure is None:
        return []
    least = RULE_SHARE * _print_width(page)
    return [r.box for r in structure.rules if r.orientation == "horizontal" and r.box[2] - r.box[0] >= least]


def _over_a_section_rule(
    line: Line, page: PageText, structure: PageStructure, rules: list[Box], height: float
) -> bool:
    """True when ``line`` stands alone on its row, in no ruled cell, with one of the page's wide
    ``rules`` close under it that starts within a line height of the line's start and runs
    ``RULE_PAST_HEADING`` times its width, and no such rule close over it: a section's heading,
    however it is worded."""
    if structure.cell_at(line.box) is not None:
        return False  # print in a ruled cell is the table's
    across = [rule for rule in rules if rule[2] - rule[0] >= RULE_PAST_HEADING * (line.box[2] - line.box[0])]
    if any(_rules_over(rule, line.box, height) for rule in across):
        return False  # a row of a ruled register, its label alone with no value written
    return any(
        _rules_under(rule, line.box, height) and not _others_on_row(line, page, rule) for rule in across
    )


def _rules_under(rule: Box, box: Box, height: float) -> bool:
    gap = rule[1] - box[3]
    return -0.2 * height <= gap <= RULE_GAP * height and abs(rule[0] - box[0]) <= height


def _rules_over(rule: Box, box: Box, height: float) -> bool:
    """True when ``rule`` runs close over ``box``, a line height or less above its top."""
    gap = box[1] - rule[3]
    return -0.2 * height <= gap <= REGISTER_GAP * height and rule[0] <= box[0] + height


def _others_on_row(line: Line, page: PageText, span: Box) -> bool:
    """True when other print stands on ``line``'s row within the rule's span (a value beside
    it, or the next label of a row of fields)."""
    return any(
        other is not line
        and on_one_row(other.box, line.box)
        and other.box[0] < span[2]
        and other.box[2] > span[0]
        for other in page.lines
    )


def _print_width(page: PageText) -> int:
    if not page.lines:
        return page.width
    return max(line.box[2] for line in page.lines) - min(line.box[0] for line in page.lines)
