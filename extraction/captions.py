"""The lines next to a key in its column: those just above it (a value written over its
caption, on forms that print labels under the lines filled in) and how far the nearest line
above or below stands; captions, labels printed whole in brackets under their line or right
under the line written on; the ruled lines values are written on: the one over a caption, the
one beside a label; and what stands over a key (a "Label:" whose value it is)."""

from __future__ import annotations

from extraction.keys import Key
from extraction.page_view import PageView, cell_of, is_stroke, overlaps
from extraction.types import Box, Line, mostly_inside, on_one_row

# Lines of one value written over its caption may stand this many line heights apart (the first
# sits within one line of the caption).
ABOVE_GAP = 1.6
# A value written on a ruled line stands within this many line heights over the rule; the rule
# itself stands within one line height over its caption.
ON_RULE_REACH = 1.0
# A caption stands within this many line heights under the ruled line it names (a small
# caption is set as far under the rule as a line's height and more).
CAPTION_REACH = 1.5
# A line written on is at least this many line heights long (or half its caption's width).
MIN_WRITING_LINE = 3.0
# A label's value written beside it starts within this many line heights of its end.
BESIDE_REACH = 8.0


def lines_above(key: Key, view: PageView, limit: int = 1) -> list[Line]:
    """The lines just above ``key`` in its column, nearest last, up to a key or a gap."""
    taken: list[Line] = []
    top = _over_strokes(key.box[1], key.box, view)
    # A caption under a ruled line names what is written on the rule: how far that writing
    # stands is measured from the rule, whatever gap the caption's own type leaves under it.
    rule = rule_right_over(key, view)
    if rule is not None:
        top = min(top, rule[1])
    lines = view.lines_but_strokes
    while len(taken) < limit:
        above = [
            ln
            for ln in lines
            if ln.box[3] <= top + 0.3 * view.height
            and top - ln.box[3] <= (1.0 if not taken else ABOVE_GAP) * view.height
            and overlaps(ln.box, key.box)
            and ln not in taken
        ]
        nearest = max(above, key=lambda ln: ln.box[3], default=None)
        if nearest is not None and view.is_key_line(nearest):
            nearest = _value_after_key(nearest, key, view)
        if nearest is None or _another_label_s_value(nearest, key, view):
            break
        taken.append(nearest)
        top = nearest.box[1]
    return taken[::-1]


def _over_strokes(top: int, column: Box, view: PageView) -> int:
    """``top`` raised over the drawn strokes right above it in ``column`` (a signature over its
    caption): the value's line is measured from where the writing over them stands."""
    for line in sorted(view.page.lines, key=lambda ln: -ln.box[3]):
        if (
            line.box[3] <= top + 0.3 * view.height
            and top - line.box[3] <= view.height
            and overlaps(line.box, column)
            and is_stroke(line, view.height)
        ):
            top = min(top, line.box[1])
    return top


def is_caption(key: Key) -> bool:
    """True for a label printed whole in brackets ("(Last)", "(First)"): a caption under (or
    over) the line it names, not a label its value follows."""
    text = key.text.strip()
    return key.whole_line and text.startswith("(") and text.endswith(")")


def _value_after_key(line: Line, under: Key, view: PageView) -> Line | None:
    """The value on a key's line ("Pt. name  Adams"), when it stands over ``under`` (a
    "(Last)" caption printed under it); None when the line is all label or its value is
    elsewhere."""
    key = view.key_on(line)
    if key is None or key.whole_line:
        return None
    value = Line(line.words[key.end :])
    centre = (under.box[0] + under.box[2]) / 2
    return value if overlaps(value.box, under.box) and centre > key.box[2] else None


def gap_above(key: Key, view: PageView) -> float | None:
    """How far the nearest non-key line above ``key`` in its column is (None: none within a line)."""
    above = lines_above(key, view)
    return key.box[1] - above[0].box[3] if above else None


def gap_below(key: Key, view: PageView) -> float | None:
    """How far the nearest non-key line under ``key`` in its column is (None: none within a line)."""
    below = [
        ln
        for ln in view.page.lines
        if ln.box[1] >= key.box[3] - 0.3 * view.height
        and ln.box[1] - key.box[3] <= 1.0 * view.height
        and overlaps(ln.box, key.box)
    ]
    nearest = min(below, key=lambda ln: ln.box[1], default=None)
    return None if nearest is None or view.is_key_line(nearest) else nearest.box[1] - key.box[3]


def under_a_filled_line(key: Key, view: PageView) -> bool:
    """True when a ruled line runs right over ``key`` and the line of text above stands on it:
    a caption printed under the line its value is written on."""
    if view.structure is None:
        return False
    above = lines_above(key, view)
    if not above:
        return False
    text_bottom, reach = above[-1].box[3], 0.6 * view.height
    return any(
        rule.orientation == "horizontal"
        and _long_enough_to_write_on(rule.box, key, view.height)
        and text_bottom - reach <= rule.box[1]
        and rule.box[3] <= key.box[1] + reach
        and rule.box[0] <= key.box[2]
        and rule.box[2] >= key.box[0]
        for rule in view.structure.rules
    )


def line_on_rule_over(key: Key, view: PageView) -> Line | None:
    """The line written on the ruled line right over ``key``: the value of a caption printed
    under the line filled in ("Date written", "Signature of physician" at the foot of a pad),
    however far the writing stands from the caption (``under_a_filled_line`` asks the same of a
    line within a line height of the caption, to vote on how the whole form is read). None
    where ``key`` is not alone on its
    line, ends in a colon or stands in a ruled cell (a box's top edge is no line written on),
    where no rule runs right over it, or where nothing but a label stands on the rule."""
    rule = None if key.colon else rule_right_over(key, view)
    if rule is None:
        return None
    height = view.height
    # A signature drawn on the rule is no text: the name typed over it is the value.
    base = _over_strokes(rule[1], key.box, view)
    standing = [
        ln
        for ln in view.lines_but_strokes
        if ln.box[3] <= rule[1] + 0.3 * height
        and base - ln.box[3] <= ON_RULE_REACH * height
        and overlaps(ln.box, key.box)
        and overlaps(ln.box, rule)
    ]
    nearest = max(standing, key=lambda ln: ln.box[3], default=None)
    if nearest is None or view.is_key_line(nearest) or _another_label_s_value(nearest, key, view):
        return None
    return nearest


def box_over_caption(key: Key, view: PageView) -> Line | None:
    """The line written in the ruled box right over ``key`` when ``key`` names that box: a
    label alone on its line, outside any box, set nearer the box over it than the print under
    it ("First Name", "City" under the boxes of a web form's answer). A label over the box it
    names stands nearer that box: the box over it is another question's. The last line of
    the box's text; None where no box with text stands within ``CAPTION_REACH`` line heights
    over ``key``, or where something stands nearer under it."""
    if view.structure is None or key.colon or not key.whole_line or cell_of(key.box, view):
        return None
    height, (x0, top, x1, bottom) = view.height, key.box
    over = [
        cell.box
        for cell in view.structure.cells
        if cell.box[3] <= top + 0.3 * height
        and top - cell.box[3] <= CAPTION_REACH * height
        and cell.box[0] - height <= x0 < cell.box[2]
    ]
    box = max(over, key=lambda b: b[3], default=None)
    if box is None or _walled_in(key, box, view):
        return None
    written = [ln for ln in view.page.lines if mostly_inside(ln.box, box)]
    if not written:
        return None
    under = [ln.box[1] for ln in view.page.lines if ln.box[1] >= bottom - 2 and overlaps(ln.box, key.box)]
    under += [
        c.box[1] for c in view.structure.cells if c.box[1] >= bottom - 2 and c.box[0] <= x1 and x0 <= c.box[2]
    ]
    if under and min(under) - bottom <= top - box[3]:
        return None
    return max(written, key=lambda ln: ln.box[3])


def _walled_in(key: Key, box: Box, view: PageView) -> bool:
    """True when a vertical rule in line with a side of ``box`` runs on down beside ``key``:
    the key stands in a cell of the same grid whose bottom edge was not found (a label in its
    corner), not in the open under the box as a caption does."""
    assert view.structure is not None
    middle = (key.box[1] + key.box[3]) / 2
    return any(
        rule.orientation == "vertical"
        and rule.box[1] <= middle <= rule.box[3]
        and min(abs(rule.box[0] - box[0]), abs(rule.box[2] - box[2])) <= view.height
        for rule in view.structure.rules
    )


def rule_right_over(key: Key, view: PageView) -> Box | None:
    """The ruled line running within ``CAPTION_REACH`` line heights over ``key``, the nearest:
    the line a caption printed under it names. None for a key not alone on its line or standing
    in a ruled cell (a box's top edge is no line written on)."""
    if view.structure is None or not key.whole_line or cell_of(key.box, view):
        return None
    top, height = key.box[1], view.height
    rules = [
        rule.box
        for rule in view.structure.rules
        if rule.orientation == "horizontal"
        and top - CAPTION_REACH * height <= rule.box[1]
        and rule.box[3] <= top + 0.3 * height
        and overlaps(rule.box, key.box)
        and _long_enough_to_write_on(rule.box, key, height)
    ]
    return max(rules, key=lambda box: box[1], default=None)


def _long_enough_to_write_on(rule: Box, key: Key, height: float) -> bool:
    """True for a rule as long as half its caption or ``MIN_WRITING_LINE`` line heights, the
    shorter: a stroke over a few letters (a mark, a crossed-out word) is no line written on."""
    return rule[2] - rule[0] >= min(MIN_WRITING_LINE * height, 0.5 * (key.box[2] - key.box[0]))


def writing_rule(key: Key, view: PageView) -> Box | None:
    """The ruled line drawn beside ``key`` to write its value on ("Medications: ______"): a
    rule starting within two line heights right of the key, at the height of its foot. None
    where the key has none (its value may then stand anywhere under it)."""
    height = view.height
    return next(
        (
            rule
            for rule in _horizontal_rules(view)
            if key.box[2] - 0.5 * height <= rule[0] <= key.box[2] + 2 * height
            and abs(rule[1] - key.box[3]) <= 0.6 * height
        ),
        None,
    )


def rule_written_on(line: Line, view: PageView) -> Box | None:
    """The ruled line ``line`` is written on (``_written_on``); None when it stands on none."""
    return next((rule for rule in _horizontal_rules(view) if _written_on(line, rule, view.height)), None)


def stands_on_rule_from(line: Line, start: int, view: PageView) -> bool:
    """True when ``line`` is written on a ruled line starting within a line height of ``start``:
    the next line of a value written on the rule beside its label."""
    return any(
        abs(rule[0] - start) <= view.height and _written_on(line, rule, view.height)
        for rule in _horizontal_rules(view)
    )


def _horizontal_rules(view: PageView) -> list[Box]:
    if view.structure is None:
        return []
    return [rule.box for rule in view.structure.rules if rule.orientation == "horizontal"]


def _written_on(line: Line, rule: Box, height: float) -> bool:
    """True when ``line`` stands on ``rule``: its foot within ``ON_RULE_REACH`` line heights over
    the rule (or a little under it), the two overlapping."""
    return -0.3 * height <= rule[1] - line.box[3] <= ON_RULE_REACH * height and overlaps(rule, line.box)


def caption_under(key: Key, line: Line, view: PageView) -> bool:
    """True for a key alone on its line standing within a line height under ``line``: its
    caption, printed under the line written on."""
    return key.whole_line and overlaps(key.box, line.box) and 0 <= key.box[1] - line.box[3] <= view.height


def in_a_label_column(key: Key, view: PageView) -> bool:
    """True for a key in one of the page's columns of labels."""
    return any(c.holds(key.box, view.height) for c in view.label_columns)


def under_a_colon_label(key: Key, view: PageView) -> bool:
    """True when a label alone on its line and ending in a colon stands right over ``key``, in
    its column, with nothing written beside it (``_answered_beside``): ``key`` is that label's
    value, whatever it reads like."""
    return any(
        k.colon
        and k.whole_line
        and k is not key
        and overlaps(k.box, key.box)
        and 0 <= key.box[1] - k.box[3] <= view.height
        and not _answered_beside(k, view)
        for k in view.keys
    )


def _answered_beside(key: Key, view: PageView) -> bool:
    """True when the first line right of ``key`` on its row, within BESIDE_REACH line heights, is
    no label's: the key's value stands beside it ("What is your home address?  44 Spring Rd"),
    and the line under it is none of its."""
    nearest = _first_beside(key, view)
    return nearest is not None and not view.is_key_line(nearest)


def _another_label_s_value(line: Line, caption: Key, view: PageView) -> bool:
    """True when ``line`` is the first line right of a label alone on its line, on its row, and
    does not stand centred over ``caption``: that label's value ("Insured's name  Diane Murphy",
    written on the rule over the next row's "Insurance provider", which starts under the label),
    never the caption's. A caption centred under the value beside a label names a part of it
    ("Pt. name:  Boyd" over "Last name")."""
    if _centred(line.box, caption.box):
        return False
    return any(
        k.whole_line and k.line is not line and on_one_row(k.box, line.box) and _first_beside(k, view) is line
        for k in view.keys
    )


def _centred(a: Box, b: Box) -> bool:
    """True when the middle of either box lies within the other's span across the page."""
    return a[0] <= (b[0] + b[2]) / 2 <= a[2] or b[0] <= (a[0] + a[2]) / 2 <= b[2]


def _first_beside(key: Key, view: PageView) -> Line | None:
    """The first line right of ``key`` on its row, within BESIDE_REACH line heights."""
    right = [
        line
        for line in view.page.lines
        if line is not key.line
        and on_one_row(line.box, key.box)
        and 0 <= line.box[0] - key.box[2] <= BESIDE_REACH * view.height
    ]
    return min(right, key=lambda line: line.box[0], default=None)
