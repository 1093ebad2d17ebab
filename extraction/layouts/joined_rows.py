"""Two fields written on one row with a mark between them ("Tab. Montelukast 4 mg - 1-0-0 before
food x 5 days": a medicine, a dash, its directions).

Where one value ends and the other starts moves from copy to copy with the lengths of the
values, so no fixed edge parts them: the mark does. Learning notes the mark when it stands, one
and the same, between the two values on every row they share; reading a copy splits each row
of the two at its first such mark.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from extraction.layouts.locate import Place
from extraction.types import Box, PageText, Word, on_one_row


@dataclass(frozen=True)
class RowJoint:
    """The mark (``joint``) between this field's value and ``partner``'s on each row they share;
    ``left`` when this field's value stands before the mark."""

    partner: str
    joint: str
    left: bool


def row_joints(places: Mapping[str, Place], pages: Sequence[PageText]) -> dict[str, RowJoint]:
    """For each field whose value shares every one of its rows with another field's value, a
    single mark of no letter or digit standing between the two on every row: the joint of both."""
    found: dict[str, RowJoint] = {}
    for right_name, right in places.items():
        for left_name, left in places.items():
            if left_name == right_name or left.page != right.page or left.joints or right.joints:
                continue
            joint = _joint_between(left.lines, right.lines, pages[right.page])
            if joint is not None:
                found[right_name] = RowJoint(left_name, joint, left=False)
                found[left_name] = RowJoint(right_name, joint, left=True)
    return found


def split_at_joint(line: Sequence[Word], page: PageText, joint: RowJoint, span: Box) -> list[Word]:
    """The words of ``line`` that are this field's: its row, across ``span`` (the areas of both
    fields), before the row's first ``joint.joint`` mark (or after it). A row without the mark
    is left as read."""
    if not line:
        return list(line)
    row = _row_words(page, line[0].box, span[0], span[2])
    cut = next((i for i, word in enumerate(row) if word.text == joint.joint), None)
    if cut is None:
        return list(line)
    return row[:cut] if joint.left else row[cut + 1 :]


def _joint_between(lefts: Sequence[Box], rights: Sequence[Box], page: PageText) -> str | None:
    """The one mark standing alone between each right line and the left line on its row, when
    every line of each value has a partner on its row."""
    if len(lefts) != len(rights):
        return None
    marks = set()
    for right in rights:
        left = next((box for box in lefts if on_one_row(box, right) and box[2] <= right[0]), None)
        if left is None:
            return None
        between = [word.text for word in _row_words(page, right, left[2], right[0])]
        if len(between) != 1 or any(ch.isalnum() for ch in between[0]):
            return None
        marks.add(between[0])
    return marks.pop() if len(marks) == 1 else None


def _row_words(page: PageText, box: Box, x0: float, x1: float) -> list[Word]:
    """The page's words on the row of ``box`` whose middles lie between ``x0`` and ``x1``, left
    to right."""
    words = (
        word
        for line in page.lines
        for word in line.words
        if on_one_row(word.box, box) and x0 <= (word.box[0] + word.box[2]) / 2 <= x1
    )
    return sorted(words, key=lambda word: word.box[0])
