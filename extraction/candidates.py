"""Where a labelled value may be: candidates for each field from the keys that read as its labels.

For a key (see ``extraction.keys``) a value may sit beside it on its line or row (see
``extraction.line_beside``), under it in its column (down to the next key), above it (on forms
that print labels under the lines filled in), inside the key's cell, or be the ticked option
of the checkboxes after it (see
``extraction.choices``); a label printed once per item (Sig:) gives the value of every
occurrence. Tables give their cells (``extraction.table_rows``) and values with no label are
recognised by their shape or kind (``extraction.unlabelled``). Each candidate carries what
supports it; which one a field takes is decided for all fields at once in ``extraction.assign``.
"""

from __future__ import annotations

from extraction.captions import (
    box_over_caption,
    in_a_label_column,
    is_caption,
    line_on_rule_over,
    lines_above,
    stands_on_rule_from,
    under_a_colon_label,
    writing_rule,
)
from extraction.checklist import checklist_candidate
from extraction.choices import OPTION_KINDS, asks_with_boxes, lone_grid_answer, option_candidate
from extraction.doctypes import DocumentType, FieldSpec
from extraction.keys import Key, asks
from extraction.label_scores import label_score, reads_as_no_field
from extraction.line_beside import line_beside
from extraction.option_rows import option_marks
from extraction.page_view import (
    LABEL_MIN_SCORE,
    Candidate,
    PageView,
    cell_of,
    has_text,
    heads_its_cell,
    is_glyph,
    is_noise,
    lines_under,
    on_section_bar,
)
from extraction.phrases import ITEM_NUMBER, best_phrase, phrase_score
from extraction.pieces import pieced_value
from extraction.row_spaced import ROWS_APART_NOTE, lines_a_row_apart
from extraction.ruled_rows import (
    cell_under,
    empty_box_between,
    in_ruled_row_under,
    on_the_rule_under,
    rule_between,
    value_cell,
)
from extraction.structure.types import ANSWERED_IN_WORDS
from extraction.types import Box, Line, Word, mostly_inside, on_one_row, union_box

# A value's next line set flush under its last may stand this many line heights below it.
ALIGNED_GAP = 1.3
# Lines of one value inside its cell may stand this many line heights apart.
IN_CELL_GAP = 2.5
# A label at most this many line heights wide ("Rx", "Sig") has the lines starting up to
# INDENT_HEIGHTS past its end under it too: a list indented under it.
SHORT_LABEL_HEIGHTS = 3.5
INDENT_HEIGHTS = 1.0
# A line starting right of a value's line and reaching under it by less than this many line
# heights is the next column's (see ``_grazes``).
GRAZING_HEIGHTS = 1.0
HEADING_VALUE_NOTE = "read under a heading: check it is the value and not the section's print"
SECTION_BAR_NOTE = "read on a shaded bar, as a section's heading is set: check it is a value at all"
CONTINUED_NOTE = "its label ends the page before: read at the top of this page, check it"
CUT_AT_RULE_NOTE = "a line under it is not written on its ruled line: check whether it belongs to it"


def labelled_candidates(spec: FieldSpec, view: PageView, doc_type: DocumentType) -> list[Candidate]:
    """The candidates of ``spec`` from every key on the page that reads as one of its labels."""
    found = []
    for key in view.keys:
        score = label_score(spec, key, view, doc_type)
        if score >= LABEL_MIN_SCORE:
            found += _values_of_key(spec, key, view, score, "beside", "below")
        section = (
            phrase_score(key.text, best_phrase(key.text, spec.section_labels)[0])
            if spec.section_labels
            else 0
        )
        if section >= LABEL_MIN_SCORE and not key.colon and not reads_as_no_field(key, doc_type, section):
            found += _values_of_key(spec, key, view, section, "section")
    return found


def continued_candidates(
    spec: FieldSpec, view: PageView, following: PageView, doc_type: DocumentType
) -> list[Candidate]:
    """A label alone at the foot of its page, nothing under it there: its value may go on at
    the top of the next page, above that page's first label (a form's table run over onto the
    next sheet). Such a value is flagged: the page break is a guess about the form."""
    found = []
    for key in view.keys:
        if not key.whole_line:
            continue
        score = label_score(spec, key, view, doc_type)
        if score < LABEL_MIN_SCORE or _anything_under(key, view):
            continue
        top = (key.box[0], 0, key.box[2], 0)
        lines = _below(spec, top, following, following.page.height / following.height, spec.max_lines, None)
        if lines:
            texts = tuple(line.words for line in lines)
            found.append(
                Candidate(spec.name, following.page.index, texts, "below", score, (key,), note=CONTINUED_NOTE)
            )
    return found


def _anything_under(key: Key, view: PageView) -> bool:
    """True when any text stands below ``key`` on its page."""
    return any(
        line.box[1] > key.box[3] and not is_noise(line, view.height) and not is_glyph(line, view.height)
        for line in view.page.lines
    )


def _values_of_key(spec: FieldSpec, key: Key, view: PageView, score: float, *hows: str) -> list[Candidate]:
    checklist = checklist_candidate(spec, key, view, score) if "section" not in hows else None
    if checklist is not None:
        return [checklist]
    marks = option_marks(spec, key, view) if spec.kind in OPTION_KINDS else []
    # Boxes to tick come two or more to a question; a ring round a word is an answer alone.
    if len(marks) >= 2 or any(m.shape in ANSWERED_IN_WORDS for m in marks):
        return [option_candidate(spec, key, view, marks, score)]
    lone = lone_grid_answer(spec, key, view, marks, score)
    if lone is not None:
        return [lone]
    if spec.kind not in OPTION_KINDS and asks_with_boxes(key, view):
        return []  # a question answered by ticking a box: its options are no value of words
    found = []
    if "beside" in hows:
        beside, note = _beside(spec, key, view)
        if beside:
            note = SECTION_BAR_NOTE if on_section_bar(key, view) else note
            found.append(Candidate(spec.name, key.page, beside, "beside", score, (key,), note=note))
    # A label heading its ruled cell has its value in the cell under it, however the form's
    # other labels stand.
    caption = view.labels_under_values and key.whole_line and not heads_its_cell(key, view)
    if caption and not found and "section" not in hows:
        above = lines_above(key, view, spec.max_lines)
        return [Candidate(spec.name, key.page, tuple(ln.words for ln in above), "above", score, (key,))]
    if is_caption(key) and not found and "section" not in hows:
        # "(Last)" printed small under the line it names, whichever way the form's other
        # labels stand: that line is a candidate too.
        above = lines_above(key, view, 1)
        if above:
            found.append(
                Candidate(spec.name, key.page, tuple(ln.words for ln in above), "above", score, (key,))
            )
    boxed = box_over_caption(key, view) if not found and "section" not in hows else None
    if boxed is not None:
        # A caption of the box over it: what is written in the box is its value, not the next
        # box's under it.
        return [Candidate(spec.name, key.page, (boxed.words,), "above", score, (key,))]
    column, cell = _column_under(key, view), value_cell(key, view)
    under = _below(spec, column, view, spec.max_first_gap, spec.max_lines, cell, key.colon)
    below = _on_its_rule(key, view, under)
    # A caption with nothing under it, on a rule written on: the writing is its value (a label
    # with a value under it stands under a rule of its own, a section's or a box's).
    on_rule = line_on_rule_over(key, view) if not found and not below and "section" not in hows else None
    if on_rule is not None:
        found.append(Candidate(spec.name, key.page, (on_rule.words,), "above", score, (key,)))
    if found and below and below[0].words in found[0].lines:
        below = []  # the lines under the key go on the value beside it: no second reading
    if below or not found:
        how = "section" if "section" in hows else "below"
        # Under a heading that reads as the field's label ("MEDICAL HISTORY") and is ruled off
        # from what follows (a section bar), the first lines may be the section's own print (a
        # grid's header row) rather than the value.
        ruled_off = (
            how == "below" and below and key in view.headings and rule_between(key.box, below[0].box, view)
        )
        note = HEADING_VALUE_NOTE if ruled_off else CUT_AT_RULE_NOTE if 0 < len(below) < len(under) else None
        found.append(
            Candidate(spec.name, key.page, tuple(ln.words for ln in below), how, score, (key,), note=note)
        )
    return found


def _column_under(key: Key, view: PageView) -> Box:
    """Where a value under ``key`` may start: under the label, and for a short label up to
    ``INDENT_HEIGHTS`` past its end ("1) Meloxicam" indented under "Rx")."""
    x0, y0, x1, y1 = key.box
    if x1 - x0 > SHORT_LABEL_HEIGHTS * view.height:
        return key.box
    return (x0, y0, x1 + round(INDENT_HEIGHTS * view.height), y1)


def _on_its_rule(key: Key, view: PageView, below: list[Line]) -> list[Line]:
    """The lines under ``key`` that go on the value of the ruled line beside it: each written
    on a rule starting where that one starts; none when the key has such a rule and the first
    line under it is not (a section's heading under an empty line is no value)."""
    rule = writing_rule(key, view) if below else None
    if rule is None:
        return below
    kept: list[Line] = []
    for line in below:
        if not stands_on_rule_from(line, rule[0], view):
            break
        kept.append(line)
    return kept


def _beside(spec: FieldSpec, key: Key, view: PageView) -> tuple[tuple[tuple[Word, ...], ...], str | None]:
    """The value on the key's own line, else on a line level with it just to its right; for a
    multi-line field, with the lines under that first one (and the note on lines taken a row
    apart, see ``extraction.row_spaced``)."""
    words = list(key.rest)
    if not has_text(words):
        words = line_beside(key, view)
    words = _past_its_labels_bracket(key, words)
    if not has_text(words):
        return (), None
    words = pieced_value(spec, words, view.page.lines, view.height)
    lines: list[tuple[Word, ...]] = [tuple(words)]
    if spec.max_lines > 1:
        first = union_box([w.box for w in words])
        assert first is not None
        key_cell = cell_of(key.box, view)
        cell = cell_of(first, view) or (key_cell if key_cell and mostly_inside(first, key_cell) else None)
        # A value beside "Label:" may go on under the label, unless it stands in a ruled cell of
        # its own (the label's cell beside it holds the label's own wrapped lines).
        from_key = key.colon and key.whole_line and (cell is None or cell == key_cell)
        column = (min(first[0], key.box[0]) if from_key else first[0], *first[1:])
        more = _below(
            spec,
            column,
            view,
            spec.max_gap,
            spec.max_lines - 1,
            cell,
            under_label=False,
            own=key,
            flush_x=first[0],
        )
        lines += [ln.words for ln in more]
        apart = lines_a_row_apart(lines[-1], view, spec.max_lines - len(lines)) if cell is None else []
        if apart:
            lines += [ln.words for ln in apart]
            return tuple(lines), ROWS_APART_NOTE
    return tuple(lines), None


def _past_its_labels_bracket(key: Key, words: list[Word]) -> list[Word]:
    """``words`` after the close of a bracket the key's line left open: "Medical problems
    (asthma, seiz" read as a line of its own, its hint's end "headaches):" beside it is still
    the label's print, not the value."""
    if key.text.count("(") <= key.text.count(")"):
        return words
    for index, word in enumerate(words):
        if ")" in word.text:
            return words[index + 1 :]
    return words


def _below(
    spec: FieldSpec,
    column: Box,
    view: PageView,
    first_gap: float,
    limit: int,
    cell: Box | None,
    after_colon: bool = False,
    under_label: bool = True,
    own: Key | None = None,
    flush_x: int | None = None,
) -> list[Line]:
    """Value lines under ``column``: overlapping it, in order, until a key, a wide gap, the
    edge of the cell the key is in, or ``limit`` lines. A line set flush under the last (or
    under ``flush_x``, where the value's first line starts in a column widened to its label)
    may stand further down. Right under a label that ends in a
    colon (``after_colon``), a first line that only reads like a label without one ("Harbor
    Insurance Company" under "Name of Insurance Company:") is its value; under a value's first
    line (not ``under_label``) a line that reads like a label never is."""
    height = view.height
    taken: list[Line] = []
    bottom = column[3]
    for line in lines_under(column, view):
        if line.box[1] <= column[1]:
            continue  # level with or above the value: a label beside it, wrapped over two lines
        if (taken or not under_label) and _grazes(line.box, taken[-1].box if taken else column, height):
            continue  # the next column's line, reaching under the value's end ("BMI 36.8")
        allowed = first_gap if not taken else spec.max_gap
        starts = (taken[-1].box[0],) if taken else (column[0], column[0] if flush_x is None else flush_x)
        if any(abs(line.box[0] - x) <= 0.6 * height for x in starts):
            allowed = max(allowed, ALIGNED_GAP)  # set flush under the value's line: its next line
        if cell is not None and mostly_inside(line.box, cell):
            allowed = max(allowed, IN_CELL_GAP)  # a cell holds its value, however spaced
        elif cell is not None and cell_under(cell, line.box, view) is not None:
            allowed = max(allowed, IN_CELL_GAP)  # ... and goes on in the ruled cell under it
        elif cell is None and taken and in_ruled_row_under(taken[-1], line, view):
            allowed = max(allowed, IN_CELL_GAP)  # a list goes on in the ruled row under its line
        elif cell is None and taken and on_the_rule_under(taken[-1], line, view):
            allowed = max(allowed, IN_CELL_GAP)  # ... or on the ruled line under its line's
        key = view.key_on(line) if view.is_key_line(line) else None
        # Right under a label, a line that only reads like a label is its value when the label
        # above ends in a colon, or when it reads like this same field's label: one field's
        # labels do not stack ("Blue Insurance Company" under "Insurance company").
        is_value = (
            not taken
            and under_label  # under a value's first line, a label is the next field's or a caption
            and key is not None
            and key.whole_line  # a label with its value after it on its line is that value's
            and not key.colon
            and key not in view.headings  # a section heading is print under any label
            and not is_caption(key)  # "(Address)" names the line over it
            and not asks(key)  # a question under a question is the next one, unanswered
            and (after_colon or best_phrase(key.text, spec.labels)[1] >= LABEL_MIN_SCORE)
            and not line_beside(key, view)  # a label with its own value beside it
            and not _in_a_row_of_labels(key, view)  # a table's column heads ("Allergy | Reaction")
        )
        too_far = line.box[1] - bottom > allowed * height
        if too_far or (key and not is_value) or _beside_a_key(line, view, own):
            break
        if not taken and empty_box_between(column, line.box, view):
            break  # the label's own box is empty: what is under it is the form's
        if taken and _leaves_numbered_list(taken[-1], line, height):
            break
        if taken and id(line) in view.instructions:
            break  # the form's print under the value ("If none, write NONE")
        if cell is not None and not mostly_inside(line.box, cell):
            # A list written in a ruled area goes on in the cell under this one, as wide.
            cell = cell_under(cell, line.box, view)
            if cell is None:
                break
        if is_glyph(line, height) or is_noise(line, height):
            continue
        if cell is None and not taken:
            # A value written in a box of its own, drawn under its label, ends with the box:
            # print under it is the form's (a hint, a caption, the next question).
            boxed = cell_of(line.box, view)
            cell = boxed if boxed is not None and boxed[1] >= column[3] - 2 else None
        taken.append(line)
        bottom = line.box[3]
        if len(taken) >= limit:
            break
    return taken


def _grazes(line: Box, above: Box, height: float) -> bool:
    """True when ``line`` starts right of where the value's line ``above`` starts and reaches
    under it by less than GRAZING_HEIGHTS line heights: a line of the column to its right,
    whose edge the value's end overran, not the value's next line."""
    shared = min(line[2], above[2]) - max(line[0], above[0])
    return line[0] > above[0] and shared < GRAZING_HEIGHTS * height


def _in_a_row_of_labels(key: Key, view: PageView) -> bool:
    """True for a key alone on its line with another such key on its row: a row of labels or
    a table's column heads ("Allergy | Reaction"), print under any label, never its value."""
    return any(
        other is not key and other.whole_line and on_one_row(other.box, key.box) for other in view.keys
    )


def _leaves_numbered_list(item: Line, line: Line, height: float) -> bool:
    """True for ``line`` under a numbered list's ``item`` with no number of its own and set
    left of the item's words: a note under the list ("Follow up in 1 month" at the margin),
    not the item's next line (set under its words) nor the next item."""
    if not ITEM_NUMBER.match(item.text) or ITEM_NUMBER.match(line.text) or len(item.words) < 2:
        return False
    return line.box[0] < item.words[1].box[0] - 0.5 * height


def _beside_a_key(line: Line, view: PageView, own: Key | None = None) -> bool:
    """True for a line that starts a row with a label alone on its line to its left: that
    label's value. The label ends in a colon, stands in a column of labels, or reads as a
    label of the document and has this line as the value beside it; a line that only
    reads like a label ("Blue Insurance Company") may be a value of its own row, and is one
    when it stands right under a label ending in a colon ("Insurance provider:"), which opens it."""
    # Level by their middles: writing by hand stands taller than the label's print.
    middle = (line.box[1] + line.box[3]) / 2
    level = [
        k
        for k in view.keys
        if k is not own
        and k.whole_line
        and k.box[2] <= line.box[0]
        and abs((k.box[1] + k.box[3]) / 2 - middle) <= 0.5 * view.height
    ]
    return any(
        k.colon or (in_a_label_column(k, view) and not under_a_colon_label(k, view)) for k in level
    ) or any(
        # A label of known wording whose value beside it is this line ("Emergency contact name
        # Julie Parker" under an address): the line answers that label, not the one above.
        k.known and not under_a_colon_label(k, view) and _first_word_of(line, line_beside(k, view))
        for k in level
    )


def _first_word_of(line: Line, words: list[Word]) -> bool:
    return bool(words) and words[0] is line.words[0]
