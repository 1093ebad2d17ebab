"""Read every field of a document type from its pages, with the evidence for each.

``extract_fields`` reads like its table of contents: find the keys of every page, gather each
field's candidates, assign all fields at once (see ``extraction.assign``), turn each chosen
candidate into a value with its evidence (see ``extraction.evidence``), and read again the spots
whose value failed its check.
A value is left unflagged only when a label read well backs it (or a shape trusted on any form),
it passes its checks, and OCR was sure of it: a clerk can trust every unflagged field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from extraction.assign import (
    PLAUSIBLE_WEIGHT,
    Assigned,
    assign_fields,
    score_candidate,
)
from extraction.blank_spots import blank_spots
from extraction.captions import gap_above, gap_below, under_a_filled_line
from extraction.cells import answer_grid_headers, join_label_tails, join_wrapped_labels
from extraction.cells_beside import cell_beside
from extraction.columns import (
    ALIGN_HEIGHTS,
    LabelColumn,
    column_keys,
    find_label_columns,
    row_neighbour,
    split_at_value_edges,
)
from extraction.doctypes import DocumentType
from extraction.evidence import doubt_label_owners, to_result
from extraction.interleaved import part_interleaved
from extraction.joined_values import split_joined_values
from extraction.keys import Key, find_keys, opens_what_follows, split_at_inline_keys, typical_height
from extraction.label_scores import no_field_titles
from extraction.layout_doubts import layout_doubts
from extraction.line_beside import (
    with_label_like_tails_joined,
    without_label_notes,
    without_values_beside_labels,
)
from extraction.page_view import (
    SECTION_BAR_SHARE,
    PageView,
    apart_from_glyphs,
    cell_of,
    heads_its_cell,
    others_in_cell,
    overlaps,
)
from extraction.parts import from_parts, share_parts
from extraction.phrases import best_phrase, whole_phrase_score
from extraction.reread import reread_blank, reread_invalid, reread_option_header, reread_region
from extraction.rival_doubts import LABEL_SURE_SCORE
from extraction.section_rules import lines_over_section_rules
from extraction.types import Box, FieldResult, PageText, Word, on_one_row
from extraction.unsure_labels import unsure_labels, with_labels_read_again

if TYPE_CHECKING:
    from extraction.structure import PageStructure

# Reads the words inside a box of a page again: (page index, box, mode) -> words in page pixels,
# mode "line" (one line), "digits" (one line, digits only) or "block" (an area, enlarged).
# Injected so this module never calls tesseract itself; None in tests without OCR.
RegionReader = Callable[[int, Box, str], list[Word]]

# Reading the labels against the vote must fit the fields better by at least one field's worth of
# plausibility to overturn it; nearer than that, the fields the two readings disagree on are flagged.
READING_MARGIN = PLAUSIBLE_WEIGHT
# A panel's title stands within this many line heights over the first label of its panel.
TITLE_REACH = 3.0
# A line in capitals that reads this well as one of the type's field labels is that label, not
# a heading.
EXACT_LABEL = 0.95


def extract_fields(
    doc_type: DocumentType,
    pages: list[PageText],
    review_confidence: float,
    reread: RegionReader | None = None,
    structures: Sequence[PageStructure | None] | None = None,
) -> dict[str, FieldResult]:
    """Every field of ``doc_type`` read from ``pages``, in the type's order, each with evidence.

    ``structures`` are the pages' ruled lines, cells and checkboxes (none: text alone).
    ``reread`` reads a spot again when its value fails the field's check.
    """
    reading = doc_type.with_parts  # the parts some forms ask for, read as fields too
    vocabulary = reading.vocabulary
    if reread is not None:
        pages = [_labels_read_again(page, vocabulary, reread) for page in pages]
    pages = [split_at_inline_keys(page, vocabulary) for page in pages]
    structures = structures or [None] * len(pages)
    views = [page_view(reading, page, structures[i]) for i, page in enumerate(pages)]
    views = _with_the_forms_notes(reading, pages, structures, views)
    # A form prints its labels one way on every page: the pages vote together.
    votes = [_votes_for_labels_under(view, reading) for view in views]
    assigned = share_parts(doc_type, _assign_surer_reading(reading, views, votes))
    assigned = part_interleaved(reading, assigned)
    results = {}
    for spec in doc_type.fields:
        chosen = assigned[spec.name].candidate
        result = to_result(spec, assigned[spec.name], review_confidence, reading)
        for doubt in layout_doubts(spec, chosen, views, assigned):
            result.flag(doubt)
        if spec.parts:
            result = from_parts(spec, result, assigned)
        if reread is not None and chosen is not None and chosen.labelled and not result.value:
            view = views[chosen.page]
            key_box = chosen.keys[0].box
            cell = cell_beside(key_box, view)
            result = reread_blank(spec, result, key_box, view.height, reread, cell)
            if not result.value:
                result.spots = blank_spots(chosen.keys[0], view)
        elif reread is not None and chosen is None and spec.find:
            result = next(filter(None, (reread_region(spec, p, reread) for p in pages)), result)
        if reread is not None and chosen is not None and chosen.header_box is not None:
            result = reread_option_header(spec, result, chosen.page, chosen.header_box, reread)
        if reread is not None:
            result = reread_invalid(spec, result, pages, reread)
        results[spec.name] = result
    doubt_label_owners(doc_type, assigned, results, views)
    return results


def _with_the_forms_notes(
    doc_type: DocumentType,
    pages: list[PageText],
    structures: Sequence[PageStructure | None],
    views: list[PageView],
) -> list[PageView]:
    """``views`` with the pages that showed too few notes under their labels read again knowing
    the type the form's other pages print them in: a form sets its notes one way throughout."""
    widths = sorted(view.note_width for view in views if view.note_width is not None)
    if not widths or len(widths) == len(views):
        return views
    width = widths[len(widths) // 2]
    return [
        view if view.note_width is not None else page_view(doc_type, page, structure, width)
        for view, page, structure in zip(views, pages, structures, strict=True)
    ]


def _labels_read_again(page: PageText, vocabulary: tuple[str, ...], reread: RegionReader) -> PageText:
    labels = unsure_labels(page, vocabulary)
    if not labels:
        return page
    return with_labels_read_again(page, labels, lambda box: reread(page.index, box, "line"), vocabulary)


def page_view(
    doc_type: DocumentType,
    page: PageText,
    structure: PageStructure | None = None,
    note_width: float | None = None,
) -> PageView:
    """A page with its keys, the headings that open its sections, and its line height; whether
    its labels stand under their values is decided for the whole document (extract_fields).
    ``note_width``: the type of the notes under labels found on the document's other pages."""
    vocabulary = doc_type.vocabulary
    height = typical_height(page)
    page = apart_from_glyphs(page, height)
    page = split_joined_values(page, doc_type)
    page = join_wrapped_labels(page, structure, vocabulary, height)
    page = join_label_tails(page, vocabulary, height)
    page = with_label_like_tails_joined(page, vocabulary, height)
    keys = without_values_beside_labels(
        find_keys(page, vocabulary, doc_type.colon_labels), vocabulary, height, structure
    )
    page, found_width = without_label_notes(page, keys, height, note_width)
    columns = find_label_columns(page, keys, height)
    split = split_at_value_edges(page, columns, height, vocabulary)
    if split is not page:
        page, keys = split, find_keys(split, vocabulary, doc_type.colon_labels)
        keys = without_values_beside_labels(keys, vocabulary, height, structure)
        columns = find_label_columns(page, keys, height)
    order = {id(line): index for index, line in enumerate(page.lines)}
    keys += column_keys(page, keys, columns, height)
    keyed = {id(k.line) for k in keys}
    keys += [
        Key(page.index, line, len(line.words), colon=False, known=False)
        for line in answer_grid_headers(page, structure, height)
        if id(line) not in keyed
    ]
    keys.sort(key=lambda k: order[id(k.line)])
    keyed = {id(k.line) for k in keys}
    headings = [
        k
        for k in keys
        if not k.colon
        and k.whole_line
        and (
            _is_heading(
                k.text,
                doc_type,
                _valued_in_column(k, page, columns, keyed, height) or _valued_in_cell(k, page, structure),
            )
            or _is_section_bar(k, page, structure)
        )
    ]
    ruled = lines_over_section_rules(page, keys, structure, height)
    breaks = [k for k in ruled if k.known and _a_field_label(k.text, doc_type) and k not in headings]
    headings += [k for k in ruled if k not in headings and k not in breaks]
    headings.sort(key=lambda k: order[id(k.line)])
    titles = _panel_titles(page, keys, headings, height)
    if titles:
        keys = sorted([*keys, *titles], key=lambda k: order[id(k.line)])
        headings = sorted([*headings, *titles], key=lambda k: order[id(k.line)])
    return PageView(
        page,
        structure,
        height,
        keys,
        headings,
        label_columns=columns,
        no_field_titles=no_field_titles(keys, doc_type),
        section_breaks=breaks,
        note_width=found_width,
        instructions=_instruction_lines(page, keys, doc_type),
    )


def _instruction_lines(page: PageText, keys: list[Key], doc_type: DocumentType) -> frozenset[int]:
    """The ``id`` of each line of ``page`` that is no key's and reads as the form's instructions."""
    keyed = {id(k.line) for k in keys}
    return frozenset(
        id(line) for line in page.lines if id(line) not in keyed and doc_type.reads_as_instructions(line.text)
    )


def _panel_titles(page: PageText, keys: list[Key], headings: list[Key], height: float) -> list[Key]:
    """Lines in capitals that no wording of the type names, set on a row with a section's
    heading and over a label: the titles of panels side by side ("EMERGENCY CONTACT" | "ABOUT
    YOU" | "IMMUNIZATIONS"). They head their panels as the known one heads its own, so a
    label under an unknown title ("Full name" under "ABOUT YOU") is not taken as the known
    panel's."""
    keyed = {id(k.line) for k in keys}
    titles = []
    for line in page.lines:
        if id(line) in keyed or not _in_capitals(line.text):
            continue
        if any(ch.isdigit() for ch in line.text) or not any(on_one_row(line.box, h.box) for h in headings):
            continue
        over_a_label = any(
            0 <= k.box[1] - line.box[3] <= TITLE_REACH * height and overlaps(k.box, line.box) for k in keys
        )
        if over_a_label:
            titles.append(Key(page.index, line, len(line.words), colon=False, known=False))
    return titles


def _valued_in_cell(key: Key, page: PageText, structure: PageStructure | None) -> bool:
    """True for a key in a ruled cell of a table with other print in that cell: a label with
    its value written in its cell ("PHONE" in the cell's corner over the number), however it is
    set, not a section's heading (which a table sets alone in its cell, or outside the cells)."""
    if structure is None:
        return False
    cell = structure.cell_at(key.box)
    return cell is not None and bool(others_in_cell(key, page, cell.box))


def _valued_in_column(
    key: Key, page: PageText, columns: list[LabelColumn], keyed: set[int], height: float
) -> bool:
    """True for a key in a label column with a line beside it in the column of values: a label
    with its value, however it is set ("PHONE", "CONTACT PERSON" in capitals)."""
    holding = [c for c in columns if c.holds(key.box, height)]
    beside = row_neighbour(key.line, page, keyed) if holding else None
    return beside is not None and any(beside.box[0] >= c.value_x - ALIGN_HEIGHTS * height for c in holding)


def _assign_surer_reading(
    doc_type: DocumentType, views: list[PageView], votes: list[tuple[int, int]]
) -> dict[str, Assigned]:
    """The fields assigned with labels read the way the pages' votes say, unless reading them
    the other way fits the fields clearly better (a vote misled by the page's rules); when the
    two readings fit about as well, the fields they disagree on are flagged."""
    voted_under = _under(sum(v[0] for v in votes), sum(v[1] for v in votes))
    voted = _assign_reading(doc_type, views, voted_under)
    if not any(above or below for above, below in votes):
        return voted  # no label stands alone on its line: nothing reads either way
    other = _assign_reading(doc_type, views, not voted_under)
    lead = _fit(doc_type, other) - _fit(doc_type, voted)
    if lead > READING_MARGIN:
        return other
    for view in views:
        view.labels_under_values = voted_under
    if lead < -READING_MARGIN:
        return voted
    return {name: _doubted_if_read_otherwise(a, other[name]) for name, a in voted.items()}


def _assign_reading(doc_type: DocumentType, views: list[PageView], under: bool) -> dict[str, Assigned]:
    for view in views:
        view.labels_under_values = under
    return assign_fields(doc_type, views)


def _fit(doc_type: DocumentType, assigned: dict[str, Assigned]) -> float:
    """How well a reading fits the fields: the summed scores of the candidates they took. The
    parts some forms ask for are left out: a part read in one reading and not the other stands
    beside its whole field's value, and would count that value twice ("Number", a phone's part,
    read into "What is their phone number?" took the line above it as well as the phone)."""
    return sum(
        score_candidate(spec, a.candidate, doc_type)
        for name, a in assigned.items()
        if a.candidate is not None and not (spec := doc_type.field(name)).is_part
    )


def _doubted_if_read_otherwise(assigned: Assigned, rival: Assigned) -> Assigned:
    candidate = assigned.candidate
    if candidate is None or (rival.candidate is not None and rival.candidate.texts == candidate.texts):
        return assigned
    note = "the form reads either way (labels above or under their values): check it"
    return Assigned(replace(candidate, note=candidate.note or note), assigned.label_found)


def _under(above: int, below: int) -> bool:
    return above >= 2 and above > 2 * below


def _votes_for_labels_under(view: PageView, doc_type: DocumentType) -> tuple[int, int]:
    """How many labels alone on their line sit nearer the line above them than the one below
    (a caption under the line filled in), and how many the other way. A label set in capitals
    like a heading ("STREET ADDRESS") votes when it reads as a field's label; one ending in a
    colon votes for its value above only under a line written on, in no ruled cell; a question
    or a numbered item never does."""
    labels = tuple(label for spec in doc_type.fields for label in spec.labels)
    above = below = 0
    voters = [
        k
        for k in view.keys
        if k.whole_line and (k not in view.headings or whole_phrase_score(k.text, labels) >= LABEL_SURE_SCORE)
    ]
    for key in voters:
        up, down = gap_above(key, view), gap_below(key, view)
        if heads_its_cell(key, view):
            below += 1
            continue
        filled = under_a_filled_line(key, view)
        if opens_what_follows(key):
            # A question or a numbered item is answered after it, however near the line
            # written on above it stands (the previous question's answer).
            below += down is not None
        elif key.colon and (cell_of(key.box, view) or not filled):
            # "Label:" opens what follows it: it never captions the line above, unless it is
            # printed under the line filled in, out of any ruled cell (a label in a cell's corner
            # stands right under the rule the row above is written on).
            below += down is not None
        elif up is not None and (filled or down is None or up < 0.8 * down):
            above += 1
        elif down is not None:
            below += 1
    return above, below


def _is_section_bar(key: Key, page: PageText, structure: PageStructure | None) -> bool:
    """True for a key alone in a cell as wide as its table of several rows (a boxed form's
    section bar, "Medical History" over the section's grid): a heading, however it is set."""
    if structure is None:
        return False
    cell = structure.cell_at(key.box)
    if cell is None or not structure.tables:
        return False
    table = structure.tables[cell.table]
    if table.rows < 2:
        return False  # a lone box is a field's, not a section's
    wide = cell.box[2] - cell.box[0] >= SECTION_BAR_SHARE * (table.box[2] - table.box[0])
    return wide and not others_in_cell(key, page, cell.box)


def _is_heading(text: str, doc_type: DocumentType, valued: bool = False) -> bool:
    """True for a section's wording, or a line set in capitals unless it is ``valued`` (a label
    with its value beside it: a form that sets every label in capitals); never for a line that
    reads exactly as one of the type's field labels, better than as a section's wording
    ("PATIENT'S NAME" over its value, read in part as the "Patient" section: taken for a
    heading, it made the labels of the panel beside it its section's)."""
    section = _section_score(text, doc_type)
    if _a_field_label(text, doc_type, section):
        return False
    return section >= 0.85 or (not valued and _in_capitals(text))


def _a_field_label(text: str, doc_type: DocumentType, section: float | None = None) -> bool:
    """True for a line reading exactly as one of the type's field labels, better than as a
    section's wording (``section``, its ``_section_score`` when already known): a label,
    whatever its print or place says."""
    label = best_phrase(text, _field_labels(doc_type))[1]
    if label < EXACT_LABEL:
        return False
    return label > (_section_score(text, doc_type) if section is None else section)


def _section_score(text: str, doc_type: DocumentType) -> float:
    headings = tuple(h for spec in doc_type.fields for h in spec.section_labels + spec.in_section)
    return best_phrase(text, headings + doc_type.stop_labels)[1]


def _field_labels(doc_type: DocumentType) -> tuple[str, ...]:
    return tuple(label for spec in doc_type.fields for label in spec.labels)


def _in_capitals(text: str) -> bool:
    """True for print of more than three letters, all capitals: how forms set headings."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) > 3 and all(ch.isupper() for ch in letters)
