"""Weighing a second reading of a document's fields against the first: what the sparse pass or
a label read again adds to the page pass's reading, and the flags that go with it."""

from __future__ import annotations

from dataclasses import replace

from extraction.doctypes import DocumentType, FieldSpec
from extraction.types import FieldResult, mostly_inside
from extraction.validate import check_value


def better_second_readings(
    spec: DocumentType, first: dict[str, FieldResult], second: dict[str, FieldResult]
) -> dict[str, FieldResult]:
    """The fields the sparse pass read better: blanks it filled, multi-line values it
    extended, their lines the same, with lines the page pass dropped (automatic page
    segmentation loses a short last line of directions, "Take with food", now and then, or a
    list's first line) or words at the end of lines (a column beside them it had lost), and
    one-line values that pass the field's check where the page pass's failed it (flagged, with
    both readings). An extended value keeps the doubts of the reading it extends. A blank
    filled with what the page pass gave another field means the two passes read the labels
    differently: both fields are flagged, each naming the other."""
    better: dict[str, FieldResult] = {}
    filled = []
    for field_spec in spec.fields:
        name = field_spec.name
        old, new = first[name].value, second[name].value
        if new and (not old or (field_spec.multiline and _extends(new.split("\n"), old.split("\n")))):
            better[name] = replace(second[name])
            if not old:
                filled.append(name)
            else:
                _keep_doubts(better[name], first[name])
        elif _passes_where_first_failed(field_spec, old, new):
            better[name] = replace(second[name])
            better[name].flag(f"read {old!r} first, {new!r} by a second pass over the page")
    for name in filled:
        for other in _holders(name, second[name], first):
            held = better.setdefault(other, replace(first[other]))
            better[name].flag(
                f"the same words were read as the {_label(spec, other)}: check which field they are"
            )
            held.flag(f"the same words were read as the {_label(spec, name)}: check which field they are")
    return better


def _keep_doubts(extended: FieldResult, first: FieldResult) -> None:
    """Flag ``extended`` with the doubts of the reading it extends: its lines hold the first
    reading's, and what made those doubtful (a rival label, an unsure word) still stands when
    the sparse pass happened not to raise it."""
    for doubt in first.doubts:
        if doubt not in extended.doubts:
            extended.flag(doubt)
    extended.needs_review = extended.needs_review or first.needs_review


def _passes_where_first_failed(spec: FieldSpec, old: str, new: str) -> bool:
    """True for a one-line value that the sparse pass read otherwise and passing the field's
    check, where the page pass's reading failed it ("476" for a phone written in pieces)."""
    return (
        bool(old and new)
        and not spec.multiline
        and new != old
        and check_value(spec, old) is not None
        and check_value(spec, new) is None
    )


def _label(spec: DocumentType, name: str) -> str:
    return spec.field(name).label.lower()


def _holders(name: str, result: FieldResult, fields: dict[str, FieldResult]) -> list[str]:
    """The other ``fields`` that have a value where ``result`` was read (one box mostly inside
    the other, on one page)."""
    if result.box is None:
        return []
    return [
        other
        for other, field in fields.items()
        if other != name
        and field.value
        and field.box is not None
        and field.page == result.page
        and (mostly_inside(result.box, field.box) or mostly_inside(field.box, result.box))
    ]


def _extends(longer: list[str], shorter: list[str]) -> bool:
    """True when ``longer`` is ``shorter`` with more read: lines before or after its own, or more
    words at the end of its lines (a table's dose column, read beside each medicine), none
    changed."""
    if len(longer) < len(shorter) or longer == shorter:
        return False
    return any(
        all(
            new.split()[: len(old.split())] == old.split()
            for new, old in zip(longer[start:], shorter, strict=False)
        )
        for start in range(len(longer) - len(shorter) + 1)
    )
