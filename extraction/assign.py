"""All fields of a document assigned together, each candidate and each printed word used once.

Every candidate (see ``extraction.candidates``) is scored by how well its label reads as the
field's, how plausible its value is for the field's kind, and where it sits. The best-scoring
candidates are taken first; a candidate whose key or words another field already took is
passed over. Values with no label are looked for only among the words left, and only then.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from extraction.candidates import continued_candidates, labelled_candidates
from extraction.doctypes import DocumentType, FieldSpec
from extraction.item_lines import split_item_lines
from extraction.label_shapes import (
    ANOTHER_ITEM,
    is_format_hint,
    is_heading,
    is_negative_answer,
    is_number_label,
    value_kind,
)
from extraction.layout import SURE_CONFIDENCE, spelling
from extraction.lexicon import ENGLISH, known_share
from extraction.normalize import normalize
from extraction.page_view import Candidate, PageView
from extraction.phrases import whole_phrase_score
from extraction.repeated_labels import repeated_candidates
from extraction.rival_doubts import doubt_contested, doubt_rivals, numbered_fields
from extraction.shared_lines import split_shared_lines
from extraction.table_rows import table_candidates
from extraction.taken_words import clashes, word_ids
from extraction.types import Box, Word
from extraction.unlabelled import find_candidates, section_lines
from extraction.validate import check_value

# What a value adds to its label's score: how plausible it is for the field's kind.
PLAUSIBLE_WEIGHT = 0.35
# Where it sits: beside a "Label:" is how forms print most values; a whole table is sure.
# A section heading is a weaker label: it is not printed for the one value under it.
# A label set with its colon says "value here" more surely than a heading reading alike
# ("Medical problems:" over "MEDICAL HISTORY" for the same field).
COLON_BONUS = 0.02
# Kinds of value always written with digits: words alone are another field's value.
WRITTEN_IN_DIGITS = ("date", "phone")
HOW_BONUS = {
    "above": 0.0,
    "beside": 0.06,
    "below": 0.0,
    "option": 0.12,
    "checklist": 0.12,
    "table": 0.2,
    "repeated": 0.15,
    "section": -0.08,
}
# A name has a few words; a sentence under a name's label is instructions, not the name.
MAX_NAME_WORDS = 5
# A list's item number at the start of its line: "2.", "3)", "(4)".
LATER_ITEM = re.compile(r"^\(?(\d{1,2})[.),]\)?$")
# A word this long or longer can be told for a word of the language ("N/A" cannot).
MIN_PRINTED_WORD = 4
# A member number grouped like a phone number fits as well as a value failing its checks: taken
# beside its label, and flagged (``extraction.evidence``).
GROUPED_NUMBER = 0.3


@dataclass(frozen=True)
class Assigned:
    """The candidate a field took (None: nothing found) and whether its label was found at all."""

    candidate: Candidate | None
    label_found: bool


def assign_fields(doc_type: DocumentType, views: list[PageView]) -> dict[str, Assigned]:
    """For every field of ``doc_type``, the candidate it takes from ``views`` (all pages)."""
    pool: list[Candidate] = []
    for index, view in enumerate(views):
        pool += table_candidates(doc_type, view)
        for spec in doc_type.fields:
            pool += labelled_candidates(spec, view, doc_type)
            pool += repeated_candidates(spec, view)
            if index + 1 < len(views):
                pool += continued_candidates(spec, view, views[index + 1], doc_type)
    pool = _without_single_items(pool)
    scored = sorted(
        ((score_candidate(doc_type.field(c.field), c, doc_type), index, c) for index, c in enumerate(pool)),
        key=lambda item: (-item[0], not _read_surely(item[2]), item[1]),
    )
    chosen: dict[str, Candidate] = {}
    used_keys: set[int] = set()
    used_words = _instruction_words(views)
    owners: dict[tuple[int, Box], str] = {}
    for _score, _index, candidate in scored:
        if candidate.field in chosen or clashes(candidate, used_keys, used_words, owners):
            continue
        chosen[candidate.field] = candidate
        used_keys.update(id(k) for k in candidate.keys)
        used_words.update(word_ids(candidate))
        owners.update(dict.fromkeys(word_ids(candidate), candidate.field))
    chosen = doubt_rivals(chosen, scored, used_keys, used_words, numbered_fields(doc_type))
    chosen = doubt_contested(chosen, scored, {spec.name: spec.label.lower() for spec in doc_type.fields})
    chosen = split_shared_lines(doc_type, chosen, scored)
    labelled = {c.field for c in pool}
    for spec in doc_type.fields:
        if spec.name in chosen and spec.find_lines and chosen[spec.name].labelled:
            chosen[spec.name] = _with_shaped_lines(spec, chosen[spec.name], views, used_words)
            used_words.update(word_ids(chosen[spec.name]))
    for spec in doc_type.fields:
        if spec.name in chosen and chosen[spec.name].words:
            continue
        unlabelled = _unlabelled(spec, views, used_words)
        if unlabelled is not None:
            chosen[spec.name] = unlabelled
            used_words.update(word_ids(unlabelled))
    chosen = split_item_lines(doc_type, chosen)
    return {spec.name: Assigned(chosen.get(spec.name), spec.name in labelled) for spec in doc_type.fields}


def _read_surely(candidate: Candidate) -> bool:
    """True when every word of the candidate's value was read SURE_CONFIDENCE or more surely: of
    two candidates scoring alike, one read surely is taken before one that is not, else the
    first on the pages (a child's birth date before a parent's). A title whose misread word
    passes for a value written beside "PATIENT" ("PATIENT ate FORM") ties with the name beside
    "Name of patient", both labels read exactly. No value is no sure reading."""
    return bool(candidate.words) and min(w.confidence for w in candidate.words) >= SURE_CONFIDENCE


def _without_single_items(pool: list[Candidate]) -> list[Candidate]:
    """``pool`` less the candidates that read one occurrence of a label printed once per item
    ("Medication prescribed:" over each medicine): each is one item of the list the repeated
    candidate reads whole, never the whole value, however much better it alone passes the
    field's check."""
    items = {(c.field, id(key)) for c in pool if c.how == "repeated" for key in c.keys}
    return [
        c
        for c in pool
        if c.how == "repeated" or not c.keys or not all((c.field, id(k)) in items for k in c.keys)
    ]


def score_candidate(spec: FieldSpec, candidate: Candidate, doc_type: DocumentType) -> float:
    """Label similarity, plus how plausible the value is for the field, plus where it sits."""
    return (
        candidate.label_score
        + PLAUSIBLE_WEIGHT * plausibility(spec, candidate, doc_type)
        + HOW_BONUS.get(candidate.how, 0.0)
        + (COLON_BONUS if any(k.colon for k in candidate.keys) else 0.0)
    )


def _more_digits_than_letters(text: str) -> bool:
    return sum(ch.isdigit() for ch in text) > sum(ch.isalpha() for ch in text)


def plausibility(spec: FieldSpec, candidate: Candidate, doc_type: DocumentType) -> float:
    """1 for a value that passes the field's checks, less for one that does not, 0 for none.

    A value that reads as a label or heading or as the form's instructions ("Please print in
    block capitals"), is shaped like another field's lines (a medicine under a blank address),
    or is wholly a value of another kind (a date, a phone number, a yes/no answer, a number with
    a unit for a name or a company), is implausible whatever its kind; so is a name or other
    words written in more digits than letters, and a date or phone number with no digit. A
    member number grouped like a phone's digits is in doubt, not ruled out: clinics print both
    that way.
    """
    texts = [t for t in candidate.texts if t.strip()]
    if not texts:
        return -0.5 if candidate.note else 0.0
    if any(_reads_as_label(t, doc_type) for t in texts) or _rest_of_a_heading(candidate):
        return -1.0
    if any(doc_type.reads_as_instructions(t) for t in texts):
        return -1.0  # the form's instructions to whoever fills it in
    for other in doc_type.fields:
        shaped = other is not spec and other.line_pattern and spec.line_pattern != other.line_pattern
        if shaped and all(re.match(other.line_pattern, t) for t in texts):
            return -1.0
    kind = value_kind(" ".join(texts))
    if spec.kind == "identifier" and kind == "phone":
        return GROUPED_NUMBER  # a member number grouped like a phone's digits ("04-534377375-5")
    if spec.kind in ("text", "person", "identifier") and kind not in ("", spec.kind):
        return -1.0
    if spec.kind in ("text", "person") and not spec.is_part and _more_digits_than_letters(" ".join(texts)):
        return -1.0  # a name, an address or a company is written in words ("I45" is a weight)
    if spec.kind in WRITTEN_IN_DIGITS and not any(ch.isdigit() for t in texts for ch in t):
        return -1.0  # words alone are no date or phone number ("Edward Walker" above a birth date)
    value, problem = normalize(spec, texts)
    if not value:
        return 0.0
    if check_value(spec, value) is not None:
        return 0.3
    if spec.kind == "person" and len(value.split()) > MAX_NAME_WORDS:
        return 0.3
    return 0.8 if problem else 1.0


def _rest_of_a_heading(candidate: Candidate) -> bool:
    """True for the words after a label's on a line that reads whole as a section's heading
    ("INSURANCE INFORMATION", "Insurance / Billing"): the heading's last word, not the value of
    the field its first word names."""
    return any(
        not key.colon and candidate.lines and candidate.lines[0] == key.rest and is_heading(key.line.text)
        for key in candidate.keys
    )


def only_print(spec: FieldSpec, value: str, doc_type: DocumentType) -> bool:
    """True when every line of ``value`` is words the form prints, never a value: a label or
    heading of the type ("Family name", "Immunization Status"), a date's format ("MM/DD/YYYY"),
    or, for a member number, words of the language alone ("Immunizations": a number holds
    digits, and a misread one reads as letters of no word)."""
    lines = [line for line in value.split("\n") if line.strip()]
    if not lines:
        return False
    if all(_reads_as_label(line, doc_type) for line in lines):
        return True
    words = value.split()
    return (
        spec.kind == "identifier"
        and not any(ch.isdigit() for ch in value)
        and all(len(spelling(word)) >= MIN_PRINTED_WORD for word in words)
        and known_share(value, (ENGLISH,)) == 1.0
    )


def _reads_as_label(text: str, doc_type: DocumentType) -> bool:
    """A printed label of the type, of a number of any kind or a section's heading; never an
    answer that says none in a label's words ("No known allergies")."""
    if is_negative_answer(text):
        return False
    return (
        text.rstrip().endswith("?")  # a question is printed; no answer ends in a question mark
        or whole_phrase_score(text, doc_type.all_labels) >= 0.9
        or is_number_label(text)
        or is_heading(text)
        or is_format_hint(text)
    )


def _instruction_words(views: list[PageView]) -> set[tuple[int, Box]]:
    """The words of every line that reads as the form's instructions (``PageView.instructions``):
    print, which no field takes, labelled or not. A label's line is left to the label
    ("Allergies (please list):")."""
    return {
        (view.page.index, w.box)
        for view in views
        for line in view.page.lines
        if id(line) in view.instructions
        for w in line.words
    }


def _free_words(view: PageView, used: set[tuple[int, Box]]) -> set[tuple[int, Box]]:
    """The words of the page no field has taken yet."""
    return {(view.page.index, w.box) for line in view.page.lines for w in line.words} - used


def _unlabelled(spec: FieldSpec, views: list[PageView], used: set[tuple[int, Box]]) -> Candidate | None:
    """A value with no label: by its shape, else by its kind among a section's unlabelled lines."""
    spec = _on_its_page(spec, views)
    for view in views:
        free = _free_words(view, used)
        found = find_candidates(spec, view, free)
        if found:
            best = found[0]
            distinct = {tuple(c.texts) for c in found}
            trusted = best.trusted or (spec.find_trusted and len(distinct) == 1)
            note = best.note if len(distinct) == 1 else f"{len(distinct)} lines could be it"
            return Candidate(best.field, best.page, best.lines, best.how, trusted=trusted, note=note)
    if spec.in_section:
        return _in_section(spec, views, used)
    return None


def _on_its_page(spec: FieldSpec, views: list[PageView]) -> FieldSpec:
    """``spec`` with the page it is found on unlabelled (its ``page``, counted among the
    document's own pages) given as the index of that page among ``views``: a fax cover sheet
    set aside in front (``extraction.cover_pages``: its lines emptied) is none of them, so a
    date alone at the top of the first page is looked for on the record's first page."""
    if spec.page is None:
        return spec
    own = [view.page.index for view in views if view.page.lines]
    return replace(spec, page=own[spec.page] if spec.page < len(own) else -1)


def _with_shaped_lines(
    spec: FieldSpec, candidate: Candidate, views: list[PageView], used: set[tuple[int, Box]]
) -> Candidate:
    """A labelled list ("Rx:") with the lines shaped like its items further down the page,
    which the items' own labels ("Sig:", "Disp:") cut off from the first one."""
    view = next(v for v in views if v.page.index == candidate.page)
    free = _free_words(view, used)
    found = find_candidates(replace(spec, find=None, region=(0.0, 0.0, 1.0, 1.0), page=None), view, free)
    # Level with the label's value counts too: a marker alone under the label ("1.") leaves the
    # first item, set to its right, beside the value rather than under it. A value opening at
    # item 2 or later has its earlier items between it and the label: the first, its number
    # unread, set right of the label's column the value was read under.
    top = min((w.box[1] for w in candidate.words), default=0)
    # An "Other medicine:" line ends the list: the items stand above it.
    if any(ANOTHER_ITEM.match(k.text) for k in candidate.keys):
        top = 0
    label_bottoms = [k.box[3] for k in candidate.keys if k.page == candidate.page]
    if label_bottoms and candidate.lines and _opens_after_item_one(candidate.lines[0]):
        top = min(top, max(label_bottoms))
    more = [line for c in found for line in c.lines if line and line[0].box[1] + line[0].box[3] >= 2 * top]
    if not more:
        return candidate
    lines = sorted(candidate.lines + tuple(more), key=lambda line: (line[0].box[1], line[0].box[0]))
    return replace(candidate, lines=tuple(lines[: spec.max_lines]))


def _opens_after_item_one(line: tuple[Word, ...]) -> bool:
    """True for a list's line numbered 2 or more ("2. Cap. Clopidogrel 75 mg", "(3)")."""
    number = LATER_ITEM.match(line[0].text) if line else None
    return number is not None and int(number.group(1)) >= 2


def _in_section(spec: FieldSpec, views: list[PageView], used: set[tuple[int, Box]]) -> Candidate | None:
    """The first unlabelled lines of the field's kind under one of its section headings: a
    phone number line for a phone, the lines left (not a phone, not taken) for an address."""
    for view in views:
        lines = [
            ln
            for ln in section_lines(view, spec.in_section)
            if not any((view.page.index, w.box) in used for w in ln.words)
        ]
        if spec.kind == "phone":
            for index, line in enumerate(lines):
                value, _ = normalize(spec, [line.text])
                if value and check_value(spec, value) is None:
                    # A free line before it may be its label, misread: then the clerk must look.
                    trusted = index == 0
                    return Candidate(spec.name, view.page.index, (line.words,), "in_section", trusted=trusted)
            # A number written by hand and misread ("G4) 779-5251") still has a phone's groups:
            # it is the phone, flagged, rather than the first line of the address under it.
            shaped = next((line for line in lines if phone_shaped(line.text)), None)
            if shaped is not None:
                return Candidate(spec.name, view.page.index, (shaped.words,), "in_section", trusted=False)
            continue
        free = [ln for ln in lines if not _reads_as_phone(ln.text) and not phone_shaped(ln.text)][
            : spec.max_lines
        ]
        if free:
            lines_words = tuple(ln.words for ln in free)
            return Candidate(
                spec.name, view.page.index, lines_words, "in_section", trusted=_looks_like_address(free)
            )
    return None


def _reads_as_phone(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return 7 <= digits <= 15 and re.fullmatch(r"[\d\s().+-]+", text.strip()) is not None


def phone_shaped(text: str) -> bool:
    """True for a line laid out as a phone number whatever its digits were read as: two to five
    groups split by brackets, dashes, dots or spaces, seven characters or more, each group with a
    digit, the last of three to five characters, two thirds of them digits ("G4) 779-5251",
    "TU6-4V0-3005", "+65 8922 5780"); a street or town line has a group of letters, a date's
    last group is its year after a slash or a two-digit day."""
    groups = [g for g in re.split(r"[\s().+-]+", text.strip()) if g]
    if not 2 <= len(groups) <= 5 or not 3 <= len(groups[-1]) <= 5 or value_kind(text) == "date":
        return False
    digits = sum(ch.isdigit() for ch in text)
    characters = sum(len(g) for g in groups)
    every_group_a_digit = all(any(ch.isdigit() for ch in g) for g in groups)
    return characters >= 7 and every_group_a_digit and 3 * digits >= 2 * characters


def _looks_like_address(lines: Iterable) -> bool:
    """A street line starts with a house number: the unlabelled lines are an address."""
    first = next(iter(lines), None)
    return first is not None and re.match(r"^\d{1,6}\s+[A-Za-z]", first.text) is not None
