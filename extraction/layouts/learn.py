"""Learning a form from one verified document: its printed words and where each value sat.

The engine read the document; the clerk verified its values. Where the engine's value is the
verified one, its box says where the value sat; where the engine had it wrong or missing, the
verified value is looked for among the page's words (or a box the clerk drew is used). Around
each value's box lies the area a longer value of the same field may fill: up to the next
printed word on its row, and for a multi-line field down to the next printed word under it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime

from extraction.doctypes import DocumentType, FieldSpec
from extraction.keys import KEY_MIN_SCORE, typical_height
from extraction.layouts.anchors import anchors_of, form_words, page_words, same_text
from extraction.layouts.formats import SHAPED_KINDS, learn_formats, learn_part_formats
from extraction.layouts.joined_rows import row_joints
from extraction.layouts.locate import (
    Place,
    locate_lines,
    overlaps,
    part_places,
    spelling_with_digits,
)
from extraction.layouts.rows import boxed_marks, rows_of_marks
from extraction.layouts.template import FieldZone, LayoutTemplate, LearnedPage
from extraction.layouts.zones import (
    apart_on_its_row,
    interleaved_numbers,
    interleaved_print,
    line_gap,
    nearest_anchors,
    parted_zone,
    unclaimed_words,
    value_area,
)
from extraction.normalize import normalize
from extraction.phrases import best_phrase
from extraction.structure import PageStructure, SelectionMark
from extraction.structure.geometry import grow
from extraction.types import Box, ExtractionResult, PageText, on_one_row, union_box
from extraction.validate import IMMUNITY, YES_NO

# Answers given by ticking one of a few boxes: learned as the boxes of their row and the answer
# each box stands for.
ANSWERS = {"yesno": YES_NO, "immunity": IMMUNITY}
# A value with fewer letters and digits than this is found by its spelling only beside its label.
SHORT_VALUE = 4
# How far (in text heights) a label stands from its value: left on its row, or above it.
LABEL_REACH = (12.0, 2.5)
# How far (in text heights) round the place of a value the clerk removed a value on a copy is
# taken to stand in that place: the form's own print keeps it within about a line.
NOT_HERE_MARGIN = 1.0
# Kinds of value a form may ask for in parts (see FieldSpec.parts).
PARTED_KINDS = ("person", "text")


def option_fields(doc_type: DocumentType) -> frozenset[str]:
    """The fields answered by choosing one of the options the form prints (yes/no, immunity)."""
    return frozenset(spec.name for spec in doc_type.fields if spec.kind in ANSWERS)


def list_fields(doc_type: DocumentType) -> frozenset[str]:
    """The fields whose value is a list of like lines: a table's column, or lines read by their
    shape or one for one with another field's (medicines, directions)."""
    return frozenset(
        spec.name for spec in doc_type.fields if spec.table_columns or spec.find_lines or spec.lines_like
    )


def learn_layout(
    result: ExtractionResult,
    doc_type: DocumentType,
    verified: Mapping[str, str],
    drawn: Mapping[str, tuple[int, Box]] | None = None,
    *,
    taught_by: str = "",
) -> LayoutTemplate:
    """A layout learned from ``result`` (the engine's reading of the document) and the values a
    clerk verified; ``drawn`` gives the (page, box) a clerk pointed at for some fields."""
    structures = result.page_structures or [PageStructure()] * len(result.page_texts)
    places = _value_places(result, doc_type, verified, drawn or {})
    vocabulary = form_words(doc_type)
    pages = []
    for index, page in enumerate(result.page_texts):
        boxes = [box for place in places.values() if place.page == index for box in place.lines]
        anchors = anchors_of(page_words(page), list(verified.values()), boxes, vocabulary)
        pages.append(LearnedPage(page.width, page.height, typical_height(page), tuple(anchors)))
    zones = {}
    unclaimed = [unclaimed_words(page, index, places) for index, page in enumerate(result.page_texts)]
    for name, place in places.items():
        spec = doc_type.field(name)
        learned = pages[place.page]
        others = [
            b for n, other in places.items() if n != name and other.page == place.page for b in other.lines
        ]
        others += apart_on_its_row(place.box, unclaimed[place.page], learned.text_height)
        if place.joints:
            zones[name] = parted_zone(
                place, learned, others, structures[place.page], len(verified[name].splitlines())
            )
            continue
        zone = value_area(place, learned, others, structures[place.page], spec.multiline)
        zones[name] = FieldZone(
            place.page,
            place.box,
            zone,
            nearest_anchors(place.box, learned.anchors),
            max(1, len(verified[name].splitlines())),
            interleaved=interleaved_print(place, learned),
            interleaved_numbers=interleaved_numbers(place, result.page_texts[place.page]),
            line_gap=line_gap(place),
        )
    for spec in doc_type.fields:
        answers = ANSWERS.get(spec.kind)
        engine = result.fields.get(spec.name)
        if answers and engine is not None and engine.box and verified.get(spec.name) in answers:
            learned_marks = _answer_marks(
                spec,
                verified[spec.name],
                engine.box,
                structures[engine.page],
                result.page_texts[engine.page],
                answers,
            )
            if learned_marks:
                box = union_box([b for b, _ in learned_marks])
                assert box is not None
                page = pages[engine.page]
                # The row moves with its question: the options printed beside the boxes repeat
                # from row to row (and OCR reads them with the tick glyph or without).
                label = _label_of_row(spec, result.page_texts[engine.page], box)
                zones[spec.name] = FieldZone(
                    engine.page, box, box, nearest_anchors(label or box, page.anchors), 1, marks=learned_marks
                )
    for name, joint in row_joints(places, result.page_texts).items():
        if name in zones:
            zones[name] = replace(
                zones[name], row_joint=joint.joint, row_partner=joint.partner, row_left=joint.left
            )
    for name in _shared_rows(zones):
        del zones[name]
    zones.update(_not_here(result, doc_type, verified, pages))
    return LayoutTemplate(
        id=_layout_id(doc_type.name, pages),
        name=_layout_name(doc_type, pages),
        document_type=doc_type.name,
        pages=pages,
        fields=zones,
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        taught_by=taught_by,
        documents_seen=1,
        formats=learn_formats(doc_type, _read_where_found(result, doc_type, places), verified),
        part_formats=learn_part_formats(doc_type, result.fields, verified),
    )


def _not_here(
    result: ExtractionResult,
    doc_type: DocumentType,
    verified: Mapping[str, str],
    pages: Sequence[LearnedPage],
) -> dict[str, FieldZone]:
    """The fields the clerk left blank where the engine had read a value: the place the engine
    read it from, learned as holding no value of the field (an "Effective date" the engine took
    for the record's date on a form that asks for none). Only fields given as blank count; a
    field missing from ``verified`` was not verified. Answers ticked in a box are learned by
    their marks, not here."""
    zones = {}
    for spec in doc_type.fields:
        engine = result.fields.get(spec.name)
        if (
            spec.name not in verified
            or verified[spec.name].strip()
            or spec.kind in ANSWERS
            or engine is None
            or not engine.value.strip()
            or engine.box is None
        ):
            continue
        page = pages[engine.page]
        area = grow(engine.box, round(NOT_HERE_MARGIN * page.text_height), (page.height, page.width))
        zones[spec.name] = FieldZone(
            engine.page, engine.box, area, nearest_anchors(engine.box, page.anchors), not_here=True
        )
    return zones


def _shared_rows(zones: Mapping[str, FieldZone]) -> list[str]:
    """The answers learned at one row of boxes with another answer: a row answers one
    question, so the engine's box of at least one of them was another question's, and which
    is not known. Neither is learned; the generic reading reads both."""
    rows: dict[tuple[int, Box], list[str]] = {}
    for name, zone in zones.items():
        if zone.marks:
            rows.setdefault((zone.page, zone.box), []).append(name)
    return [name for names in rows.values() if len(names) > 1 for name in names]


def _value_places(
    result: ExtractionResult,
    doc_type: DocumentType,
    verified: Mapping[str, str],
    drawn: Mapping[str, tuple[int, Box]],
) -> dict[str, Place]:
    """Where each verified, non-blank value sits: the clerk's box, the value's lines found by
    their spelling (inside the engine's box when the engine read it right), or the engine's box.
    A short value the engine did not read ("2" refills) is learned where its spelling stands
    only beside or under a label of its field: a digit or two also number rows and fill cells
    of other fields, and a wrong place learned would be read on every copy."""
    places = {}
    for spec in doc_type.fields:
        value = verified.get(spec.name, "")
        if not value.strip() or spec.kind in ANSWERS:
            continue
        engine = result.fields.get(spec.name)
        right = engine is not None and engine.box is not None and same_text(engine.value, value)
        if spec.name in drawn:
            page, box = drawn[spec.name]
            places[spec.name] = Place(page, (box,))
            continue
        if spec.parts and spec.kind in PARTED_KINDS:
            parted = part_places(value, result.page_texts)
            if parted is not None and len(parted.lines) > len(value.splitlines()):
                places[spec.name] = parted
                continue
        within = (engine.page, engine.box) if right and engine is not None and engine.box else None
        found = locate_lines(value, result.page_texts, within)
        short = len(spelling_with_digits(value)) < SHORT_VALUE
        if (
            found is not None
            and within is None
            and short
            and not _labelled(spec, result.page_texts[found[0]], found[1][0])
        ):
            found = None
        if found is not None:
            places[spec.name] = Place(found[0], tuple(found[1]))
        elif within is not None:
            places[spec.name] = Place(within[0], (within[1],))
    return places


def _read_where_found(
    result: ExtractionResult, doc_type: DocumentType, places: Mapping[str, Place]
) -> dict[str, str]:
    """Each field's value as the engine read it, but for a date or phone the words where its
    verified value was found, put together as the engine puts a value of its kind: the page's
    own separators, whatever the engine made of the field."""
    read = {name: field.value for name, field in result.fields.items()}
    for name, place in places.items():
        spec = doc_type.field(name)
        if spec.kind not in SHAPED_KINDS:
            continue
        page = result.page_texts[place.page]
        lines = [
            " ".join(w.text for w in line.words if overlaps(w.box, box))
            for box in place.lines
            for line in page.lines
            if any(overlaps(w.box, box) for w in line.words)
        ]
        value, _problem = normalize(spec, [" ".join(text for text in lines if text)])
        if value:
            read[name] = value
    return read


def _labelled(spec: FieldSpec, page: PageText, box: Box) -> bool:
    """True when a label of ``spec`` is printed left of ``box`` on its row, or just above it."""
    height = typical_height(page)
    reach_left, reach_up = LABEL_REACH[0] * height, LABEL_REACH[1] * height
    for line in page.lines:
        left = [w for w in line.words if on_one_row(w.box, box) and box[0] - reach_left <= w.box[2] <= box[0]]
        above = [
            w
            for w in line.words
            if box[1] - reach_up <= w.box[3] <= box[1]
            and w.box[0] <= box[2] + 2 * height
            and w.box[2] >= box[0] - 2 * height
        ]
        for words in (left, above):
            text = " ".join(w.text for w in words)
            if text and best_phrase(text, spec.all_labels)[1] >= KEY_MIN_SCORE:
                return True
    return False


def _answer_marks(
    spec: FieldSpec,
    answer: str,
    near: Box,
    structure: PageStructure,
    page: PageText,
    answers: Sequence[str],
) -> tuple[tuple[Box, str], ...]:
    """The boxes of the answer's row and the answer each stands for: the ticked one the
    verified answer, the others their printed option, or the other answer when the row has
    just two boxes ("" if unknown). The row is the one level with the field's own label, when
    exactly one such row has one box ticked (a grid's answers all show the column's header as
    their evidence: ``near`` does not tell their rows apart), else the row of boxes nearest the
    engine's evidence ``near``, one of them ticked. A loop drawn round the chosen words is not
    learned: it stands where the answer chosen is printed, so its place on one copy says
    nothing of which answer it is on another."""
    rows = rows_of_marks(boxed_marks(structure))
    centre = (near[1] + near[3]) / 2
    ticked_rows = [r for r in rows if sum(m.selected for m in r) == 1]
    if not ticked_rows:
        return ()
    labelled = _rows_level_with_labels(spec, page, ticked_rows)
    if len(labelled) == 1:
        row = labelled[0]
    else:
        row = min(ticked_rows, key=lambda r: abs((r[0].box[1] + r[0].box[3]) / 2 - centre))
        if abs((row[0].box[1] + row[0].box[3]) / 2 - centre) > 3 * max(1, near[3] - near[1]):
            return ()
    others = [a for a in answers if a != answer]
    learned = []
    for mark in row:
        if mark.selected:
            learned.append((mark.box, answer))
            continue
        option, _problem = normalize(spec, [mark.option]) if mark.option else ("", None)
        if option in others:
            learned.append((mark.box, option))
        elif len(row) == len(answers) == 2:
            learned.append((mark.box, others[0]))
        else:
            learned.append((mark.box, ""))
    return tuple(learned)


def _rows_level_with_labels(
    spec: FieldSpec, page: PageText, rows: Sequence[list[SelectionMark]]
) -> list[list[SelectionMark]]:
    """The ``rows`` of boxes with a label of ``spec`` left of them on their row."""
    return [row for row in rows if _label_of_row(spec, page, row[0].box) is not None]


def _label_of_row(spec: FieldSpec, page: PageText, box: Box) -> Box | None:
    """The box of a line of ``page`` reading as a label of ``spec``, on ``box``'s row and left
    of it; None if there is none."""
    for line in page.lines:
        if (
            on_one_row(line.box, box)
            and line.box[2] <= box[0]
            and best_phrase(line.text, spec.all_labels)[1] >= KEY_MIN_SCORE
        ):
            return line.box
    return None


def _layout_id(doc_type: str, pages: Sequence[LearnedPage]) -> str:
    digest = hashlib.sha256(doc_type.encode())
    for page in pages:
        for anchor in page.anchors:
            digest.update(f"{anchor.text}:{anchor.box}".encode())
    return f"{doc_type}-{digest.hexdigest()[:12]}"


def _layout_name(doc_type: DocumentType, pages: Sequence[LearnedPage]) -> str:
    """The form's first printed line (usually the clinic or the form's title), for people."""
    if pages and pages[0].anchors:
        top = min(pages[0].anchors, key=lambda a: (a.box[1], a.box[0]))
        row = sorted((a for a in pages[0].anchors if on_one_row(a.box, top.box)), key=lambda a: a.box[0])
        return f"{' '.join(a.text for a in row)[:60]} ({doc_type.title})"
    return doc_type.title
