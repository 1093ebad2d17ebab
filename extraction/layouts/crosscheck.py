"""Weighing a learned layout's reading of each field against the generic reading.

The learned layout knows where a form puts each value; the generic reading knows how to read
a value (doubtful spots read again, words checked against lexicons, values checked by kind).
``cross_check`` keeps what each is good at and flags every field where the two disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Set
from dataclasses import replace

from rapidfuzz.distance import Levenshtein

from extraction.layout import spelling
from extraction.layouts.anchors import same_text
from extraction.structure.geometry import area, overlap_area
from extraction.types import FieldResult, centre_inside

# The learned reading's reason when the field's label is not where the layout learned it.
LABEL_ELSEWHERE = "its label is not where the learned layout has it"
# Two readings this alike are one value read twice, not two places: at most one character in
# five differs (one in three; a one-character value must read the same).
SAME_READING = 0.8
# Two readings whose boxes overlap by this share of their union read one place.
SAME_PLACE = 0.5
# A line this long (letters and digits) that another field's value has is that field's line,
# not a word this field happens to share.
MIN_SHARED_LINE = 6


def cross_check(
    generic: Mapping[str, FieldResult],
    learned: Mapping[str, FieldResult],
    printed: Set[str] = frozenset(),
    valid: Callable[[str, str], bool] = lambda _name, _value: True,
    options: Set[str] = frozenset(),
    lists: Set[str] = frozenset(),
    not_here: Set[str] = frozenset(),
    doubts: Callable[[str, str], Set[str]] = lambda _name, _value: frozenset(),
) -> dict[str, FieldResult]:
    """The fields with both readings weighed. Agreement keeps the generic evidence: the same
    text, the same number with other separators, a learned area that ran on into the next
    value, or the learned lines all in a generic value with more lines of its own (none of
    them the form's print or another field's value: this copy's list is longer). When they
    differ the field is flagged, naming the other value, and given as learned unless:
    - the two are one value read twice (nearly the same text, the learned lines all in the
      generic value, or both taken from one place): the generic reading reads doubtful spots
      again and checks words against its lexicons, so its text is the better one;
    - the learned value fails its field's check (``valid(name, value)``) while the generic one
      passes, or was read surely and fails it (the area holds other print), or away from
      its label (the learned value's label was not found in place);
    - the generic reading was sure of its value (label found, value checked) and what it has
      besides the learned value is not words the form prints (``printed``: a label read into
      the value, or taken for it);
    - what the learned value has besides the generic one, which passes its check, is mostly
      words the form prints (the area ran on into the next column's label);
    - the learned value raises a doubt of the field's (``doubts(name, value)``, its reasons)
      that the generic value, passing its check, does not.
    A learned area found empty, holding only the form's own print, or holding another field's
    value (one that passes that field's check; but for an answer chosen from printed options,
    named in ``options``), keeps the generic value, flagged; but where the field's label is not
    where the layout learned it (the layout lost its place there: the form flowed), an empty
    area or another field's value there says nothing, and the generic reading stands on its
    own. For a list of like lines (``lists``: a medicine or a direction a line) whose generic
    lines are the first of a longer learned reading, the learned rest is kept after them,
    flagged, when the whole passes the field's check. For a field learned as not on the form
    (``not_here``: the clerk left it blank where the engine had read a value; its learned
    reading is blank with the box of that place), a generic value read in doubt in that place
    is left out, and one read elsewhere or surely flagged. A value made of words the form prints is
    flagged whatever the learned reading (``flag_printed``)."""
    generic = _lines_learned_elsewhere(generic, learned, doubts)
    merged = dict(generic)
    for name, mine in learned.items():
        theirs = generic.get(name)
        if theirs is None:
            continue
        if name in not_here:
            merged[name] = _not_here(theirs, mine)
            continue
        # The layout lost its place here (the field's label is not where it learned it).
        lost_place = LABEL_ELSEWHERE in (mine.reason or "")
        others_lines = _others_lines(name, generic, valid)
        mine = _without_others_lines(mine, others_lines)
        others = _other_values_words(name, generic)
        if name not in options and _mostly_printed(mine.value, printed):
            # The learned area holds the form's own words (a label the flowing form moved
            # there): nothing was filled in where the layout puts the value.
            mine = replace(mine, value="")
        if (
            same_text(mine.value, theirs.value)
            or _same_number(mine.value, theirs.value)
            or _ran_into_others(mine.value, theirs.value, name, generic)
            # This copy's value is longer than the learned copy's (a third medicine): the area,
            # sized to the learned copy, held its first lines.
            or _goes_on(mine.value, theirs.value, others, printed)
        ):
            continue
        if not mine.value:
            if not lost_place:
                theirs.flag(mine.reason or "nothing where the learned layout puts this field")
            # Else the layout lost its place here (its label is not where it learned it): it
            # has nothing to say of this field, and the generic reading stands on its own.
            continue
        if name not in options and (
            any(
                same_text(mine.value, other.value) and valid(n, other.value)
                for n, other in generic.items()
                if n != name
            )
            or _all_others_lines(mine.value, others_lines)
        ):
            # Each value answers one field: the learned area holds another field's value (a
            # blank row the form left out moved the next one up). Not so for answers chosen
            # from printed options: two questions are often both "IMMUNE" or both "No". Nor
            # for a value the other field's generic reading holds against that field's check
            # (a policy number as the answer to "Insured?"): it was never that field's. Where
            # the field's label is not where the layout learned it, the layout lost its place
            # on this copy (the form flowed), and the generic reading stands on its own.
            if not lost_place:
                theirs.flag(f"the learned layout reads {mine.value!r} here, another field's value")
            continue
        longer = _longer_reading(mine.value, theirs.value, others, printed) if name in lists else None
        if longer is not None and (valid(name, longer) or not valid(name, theirs.value)):
            # The generic reading stopped short of a list the learned area holds whole (a
            # table's later rows): its lines, read with more care, and the learned rest.
            mine = replace(mine, value=longer)
            mine.flag(f"the learned layout reads more lines here than the generic reading {theirs.value!r}")
            merged[name] = mine
            continue
        if (
            name not in options
            and valid(name, mine.value)
            and _holds_more(mine.value, theirs.value, others, printed)
        ):
            # The generic reading took part of the value the learned area holds whole (an
            # address put together from parts without its city): the learned words, flagged.
            mine.flag(f"the learned layout reads more here than the generic reading {theirs.value!r}")
            merged[name] = mine
            continue
        theirs_printed = _printed_text(_added(theirs.value, mine.value), printed)
        theirs_sound = bool(theirs.value) and valid(name, theirs.value) and not theirs_printed
        generic_stands = (
            (theirs_sound and (_same_reading(mine.value, theirs.value) or _same_place(mine, theirs)))
            # The learned area ran on into the form's print (the next column's label and its
            # value): what it holds besides the generic value is mostly words the form prints.
            or (theirs_sound and _printed_text(_added(mine.value, theirs.value), printed))
            # A learned value that fails the check, where the generic one passes, or where it was
            # read surely (a phone number where a medicine was learned: the form moved, and the
            # learned area holds other print), or away from its label (the form moved, and the
            # generic value stands by the label read where it is now).
            or (
                not valid(name, mine.value)
                and (theirs_sound or (bool(theirs.value) and (not mine.needs_review or lost_place)))
            )
            or (mine.needs_review and (theirs_sound or not theirs.needs_review))
            or (not theirs.needs_review and not theirs_printed)
            # A doubt of the field's ("#90" in directions: the next column) that the learned
            # value raises and the generic one does not counts against the learned value.
            or (theirs_sound and bool(doubts(name, mine.value) - doubts(name, theirs.value)))
        )
        if generic_stands:
            theirs.flag(f"the learned layout reads {mine.value!r} here")
        else:
            mine.flag(f"the learned layout reads this, the generic reading {theirs.value!r}")
            merged[name] = mine
    return flag_printed(merged, printed, options)


def _not_here(generic: FieldResult, learned: FieldResult) -> FieldResult:
    """The generic reading of a field the learned copy did not have (``learned.box``: where
    the engine read the value the clerk removed): blank, flagged, when read in that place in
    doubt; flagged when read elsewhere, or surely (its label matched, its checks passed): a
    form printing a label twice ("Insurance company" for the primary and the secondary cover)
    may put the learned place on the other one's value, which this copy fills."""
    if not generic.value:
        return generic
    if generic.needs_review and (
        learned.box is not None
        and generic.box is not None
        and learned.page == generic.page
        and centre_inside(generic.box, learned.box)
    ):
        blank = FieldResult("", 0.0, False, page=generic.page, box=generic.box)
        blank.flag(
            f"left blank: on the learned copy of this form a clerk removed the value read here "
            f"({generic.value!r} here now)"
        )
        return blank
    generic.flag("the learned copy of this form had no value for this field")
    return generic


def flag_printed(
    fields: dict[str, FieldResult], printed: Set[str], options: Set[str] = frozenset()
) -> dict[str, FieldResult]:
    """``fields`` with every value made mostly of words the form itself prints flagged: the
    generic reading took a line of the form's print ("Please print clearly...") for a value
    whose place the layout did not learn. Answers given by choosing a printed option
    (``options``: "Yes", "NOT IMMUNE") are the form's words by nature and are left alone."""
    for name, field in fields.items():
        if name in options or not field.value or field.needs_review:
            continue
        if _mostly_printed(field.value, printed):
            field.flag("the form prints these words: a label or instruction, not a value?")
    return fields


def _lines_learned_elsewhere(
    generic: Mapping[str, FieldResult],
    learned: Mapping[str, FieldResult],
    doubts: Callable[[str, str], Set[str]] = lambda _name, _value: frozenset(),
) -> dict[str, FieldResult]:
    """The generic values without a line that is, whole, another field's learned reading while
    that field's generic reading is blank and this field's learned reading is the rest of the
    value: the generic reading ran a value on into the next field's (an address taking the
    contact's name written beside its label under it). The line is left to the field it
    answers; the value it was taken from is flagged, naming it. A learned reading its own field
    doubts (``doubts(name, value)``: an address of one line and no town) claims no line: the
    blank field's row may be missing from this copy, and its area fall on the next field's."""
    fields = dict(generic)
    # The learned readings of the fields the generic reading left blank, which may claim a line.
    claimants = {
        other: reading
        for other, reading in learned.items()
        if (other not in generic or not generic[other].value) and not doubts(other, reading.value)
    }
    for name, theirs in generic.items():
        lines = theirs.value.splitlines()
        mine = learned.get(name)
        if len(lines) < 2 or mine is None:
            continue
        claimed = [
            (line, other)
            for line in lines
            if len(_letters_and_digits(line)) >= MIN_SHARED_LINE
            for other, reading in claimants.items()
            if other != name and same_text(line, reading.value)
        ]
        gone = {line for line, _ in claimed}
        rest = "\n".join(line for line in lines if line not in gone)
        if not claimed or not same_text(rest, mine.value):
            continue
        kept = replace(theirs, value=rest)
        for line, other in claimed:
            kept.flag(f"{line!r} left out: the learned layout reads it as the {other.replace('_', ' ')}")
        fields[name] = kept
    return fields


def _mostly_printed(value: str, printed: Set[str]) -> bool:
    """True when more than half the words of ``value`` (two letters or more) are printed ones."""
    words = [w for w in (spelling(w) for w in value.split()) if len(w) >= 2]
    return bool(words) and sum(w in printed for w in words) * 2 > len(words)


def _others_lines(
    name: str, generic: Mapping[str, FieldResult], valid: Callable[[str, str], bool]
) -> set[str]:
    """The lines the generic reading gave the fields other than ``name`` (letters and digits),
    but for values that fail their own field's check: those were never that field's."""
    return {
        _letters_and_digits(line)
        for other, field in generic.items()
        if other != name and valid(other, field.value)
        for line in field.value.splitlines()
        if len(_letters_and_digits(line)) >= MIN_SHARED_LINE
    }


def _all_others_lines(learned: str, others: Set[str]) -> bool:
    """True when every line of the learned value is one of ``others``, the lines of other
    fields' generic values (a blank address's area holding the first medicine of the list under it)."""
    lines = [_letters_and_digits(line) for line in learned.splitlines() if line.strip()]
    return bool(lines) and all(line in others for line in lines)


def _without_others_lines(mine: FieldResult, others: Set[str]) -> FieldResult:
    """The learned reading without ``others``, the lines that the generic reading gave another
    field (its area also holds another value's lines: medicines set between the lines of
    directions). Each line answers one field; a value left with no line is kept whole."""
    if "\n" not in mine.value:
        return mine
    kept = [line for line in mine.value.splitlines() if _letters_and_digits(line) not in others]
    if not kept or len(kept) == len(mine.value.splitlines()):
        return mine
    return replace(mine, value="\n".join(kept))


def _ran_into_others(learned: str, generic: str, name: str, fields: Mapping[str, FieldResult]) -> bool:
    """True when the learned reading of one line is the generic value and then only the start
    of another field's value, or marks: its area ran on into the next value on the row ("Sean
    Graham 8/11/1958" beside the date of birth), so the two readings agree on this field."""
    if "\n" in learned or "\n" in generic or not generic.strip():
        return False
    words, head = learned.split(), generic.split()
    if len(words) <= len(head) or not same_text(" ".join(words[: len(head)]), generic):
        return False
    tail = [_letters_and_digits(w) for w in words[len(head) :]]
    if not any(tail):
        return True
    return any(
        [_letters_and_digits(w) for w in field.value.split()][: len(tail)] == tail
        for other, field in fields.items()
        if other != name and field.value
    )


def _same_number(learned: str, generic: str) -> bool:
    """True when both readings are the same digits with no letter, whatever stands between
    them: a phone or a date the form prints in boxes, read with its parentheses, dashes or
    slashes one way or the other, is one number."""
    if any(ch.isalpha() for ch in learned + generic):
        return False
    digits = re.sub(r"\D", "", learned)
    return bool(digits) and digits == re.sub(r"\D", "", generic)


def _goes_on(first: str, whole: str, others: Set[str], printed: Set[str]) -> bool:
    """True when the lines of ``first`` are (nearly) the first lines of ``whole`` and ``whole``
    has more, none of them holding a word the form prints or made of other fields' values
    (``others``)."""
    head, lines = _lines(first), _lines(whole)
    if not head or len(lines) <= len(head):
        return False
    pairs = zip(head, lines, strict=False)
    alike = all(_nearly(a.strip().casefold(), b.strip().casefold()) for a, b in pairs)
    return alike and not any(_foreign_line(line, others, printed) for line in lines[len(head) :])


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _foreign_line(line: str, others: Set[str], printed: Set[str]) -> bool:
    """True when a line is made of other fields' values or holds a word of three letters or
    more that the form prints: no line of this field's value."""
    words = line.casefold().split()
    # Words of three letters or more: "in" is printed in "Weight in kg" and written in
    # "take 1 tablet in the morning".
    return all(_letters_and_digits(word) in others for word in words if _letters_and_digits(word)) or any(
        len(spelling(word)) >= 3 and spelling(word) in printed for word in words
    )


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.casefold())


def _added(generic: str, learned: str) -> str:
    """The words of the generic value that the learned one does not have (all of them when the
    two share none): what the generic reading took besides the learned value."""
    mine = {w.casefold() for w in learned.split()}
    extra = [w for w in generic.split() if w.casefold() not in mine]
    return " ".join(extra) if len(extra) < len(generic.split()) else generic


def _holds_more(learned: str, generic: str, others: Set[str], printed: Set[str]) -> bool:
    """True when the two values have as many lines, each generic line's words are, in order,
    among the learned line's, and the learned lines have more words, none printed by the form
    nor another field's value's: the generic reading left words out of its lines (a part of an
    address it did not find). A learned line more is no such case: the area may reach a row
    of the form that is no part of the value."""
    theirs_lines, mine_lines = _lines(generic), _lines(learned)
    if not theirs_lines or len(theirs_lines) != len(mine_lines):
        return False
    added: list[str] = []
    for theirs_line, mine_line in zip(theirs_lines, mine_lines, strict=True):
        theirs = [key for word in theirs_line.split() if (key := _letters_and_digits(word))]
        mine = [key for word in mine_line.split() if (key := _letters_and_digits(word))]
        remaining = iter(mine)
        if not all(word in remaining for word in theirs):
            return False
        rest = list(mine)
        for word in theirs:
            rest.remove(word)
        added += rest
    return bool(added) and not any(word in others or word in printed for word in added)


def _same_reading(learned: str, generic: str) -> bool:
    """True when both readings took the same words from the same place: nearly the same text
    (the generic reading reads doubtful spots again and corrects words against its lexicons,
    so its text is the better one), or the learned lines all among the generic ones (the
    learned area stopped short of a longer value)."""
    if _nearly(learned.casefold(), generic.casefold()):
        return True
    lines = [line.strip().casefold() for line in generic.splitlines()]
    return all(
        any(_nearly(line.strip().casefold(), theirs) for theirs in lines)
        for line in learned.splitlines()
        if line.strip()
    )


def _longer_reading(learned: str, generic: str, others: Set[str], printed: Set[str]) -> str | None:
    """The learned lines with the generic reading's text for those it read too, when the
    generic lines are the first lines of the learned value and the learned value has more, none
    of them holding a word the form prints or made of words other fields' values have (the
    weight and height of the row under a shorter address, with their labels), nor of no word (a
    quantity, "90", under the last direction: an item of a list is written in words); else None."""
    if not _goes_on(generic, learned, others, printed):
        return None
    theirs = _lines(generic)
    more = _lines(learned)[len(theirs) :]
    if not all(any(ch.isalpha() for ch in line) for line in more):
        return None
    return "\n".join(theirs + more)


def _other_values_words(name: str, fields: Mapping[str, FieldResult]) -> set[str]:
    """The words of the other fields' values, as letters and digits ("D.O." and "D.O" alike)."""
    return {
        key
        for other, field in fields.items()
        if other != name
        for word in field.value.split()
        if (key := _letters_and_digits(word))
    }


def _same_place(learned: FieldResult, generic: FieldResult) -> bool:
    """True when both readings took their words from about the same place on the page (their
    boxes overlap by half their union): one value read twice, and the generic reading reads
    doubtful spots again, so its text is the better one."""
    a, b = learned.box, generic.box
    if a is None or b is None or learned.page != generic.page:
        return False
    overlap = overlap_area(a, b)
    return overlap > 0 and overlap >= SAME_PLACE * (area(a) + area(b) - overlap)


def _nearly(a: str, b: str) -> bool:
    """One line read twice: at most one character in five differs ("Seattle WA" for "Seattle, WA")."""
    return Levenshtein.distance(a, b) <= round((1 - SAME_READING) * max(len(a), len(b)))


def _printed_text(value: str, printed: Set[str]) -> bool:
    """True when most words of ``value`` are words the form itself prints."""
    words = [spelling(w) for w in value.split()]
    words = [w for w in words if len(w) >= 2]
    return bool(words) and sum(w in printed for w in words) * 2 > len(words)
