"""The value a clerk would type for a chosen candidate, with every doubt about it.

``to_result`` turns the candidate the assignment chose for a field into a ``FieldResult``:
its value normalised, its confidence, its box, and a flag for each reason to doubt it (no label
or one partly matched, a failed check, low OCR confidence, a printed label read into the value,
another field's value run on into it, words in no vocabulary). A value with no doubt is one a
clerk can trust.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.assign import Assigned, only_print, plausibility
from extraction.doctypes import DocumentType, FieldSpec
from extraction.label_scores import label_score
from extraction.label_shapes import is_negative_answer, label_within, value_kind
from extraction.label_words import label_words
from extraction.layout import spelling
from extraction.lexicon import ENGLISH, LEXICONS, is_known, misread_names
from extraction.normalize import normalize
from extraction.page_view import Candidate, PageView
from extraction.phrases import best_phrase, key_token
from extraction.rival_doubts import LABEL_SURE_SCORE
from extraction.streets import misread_places, misread_suffix_names
from extraction.types import BLANK_DOUBT, FieldResult, low_confidence, union_box
from extraction.validate import IMMUNITY, YES_NO, no_units

# A later line of a value reading this surely as a label is flagged: a label with a few words
# after it ("Address line 1") scores above it, a value line that only starts with a short
# label's word ("Use as directed") below.
CAPTION_SCORE = 0.9
# A value opening with a label's words, spelled out, when the label has this many letters
# ("Use", "Rx" and "Sig" open directions and lists as words of their own).
CAPTION_LETTERS = 4
# A key reads whole as a label at this score or more (read as printed, look-alike glyphs aside).
WHOLE_LABEL = 0.99
# The words a date's format is printed in, as hints are ("(DD/MM/YYYY)").
DATE_FORMAT_WORDS = frozenset(("dd", "mm", "yy", "yyyy", "mmddyyyy", "ddmmyyyy"))

# The kinds of field read as words, whose words are checked for a capital I among small letters.
CAPITAL_I_KINDS = ("text", "person", "address")
# A word holding a capital I between a letter and a small letter.
_CAPITAL_I_AMONG_SMALL = re.compile(r"\b[A-Za-z]*[A-Za-z]I[a-z][A-Za-z]*\b")

# A year written whole in a date.
FOUR_DIGITS = re.compile(r"(?<!\d)\d{4}(?!\d)")
# A date's format printed with its label asking for the year in four digits ("(MM/DD/YYYY)").
YEAR_IN_FOUR = re.compile(r"(?i)(?<![a-z])yyyy(?![a-z])")

UNLABELLED_REASONS = {
    "find": "no label: recognised by its shape",
    "find_lines": "no label: lines shaped like this field's",
    "in_section": "no label: an unlabelled line of the section",
}


def to_result(
    spec: FieldSpec, assigned: Assigned, review_confidence: float, doc_type: DocumentType
) -> FieldResult:
    """The value a clerk would type for the chosen candidate, flagged with every doubt."""
    candidate = assigned.candidate
    if candidate is None:
        reason = (
            "no label for it was found" if not assigned.label_found else "its label was found, its value not"
        )
        return FieldResult("", 0.0, needs_review=True, reason=f"{reason}: please check the page")
    candidate, hint = _without_leading_hint(candidate, doc_type)
    value, problem = normalize(spec, candidate.texts)
    if hint:
        problem = f"{hint!r}, printed before it, left out" + (f"; {problem}" if problem else "")
    if only_print(spec, value, doc_type):
        # A printed label or heading is never a value: the field is blank where the form left it.
        reason = f"only print where its value would be ({value!r}): please check the page"
        return FieldResult("", 0.0, needs_review=True, page=candidate.page, reason=reason)
    words = candidate.value_words
    label_factor = (
        min(candidate.label_score, 1.0) if candidate.labelled else (0.9 if candidate.trusted else 0.6)
    )
    confidence = min((w.confidence for w in words), default=0.0) * label_factor
    box = union_box([w.box for w in words]) or (
        union_box([k.box for k in candidate.keys]) if candidate.keys else None
    )
    result = FieldResult(
        value, confidence if value else 0.0, needs_review=False, page=candidate.page, box=box
    )
    for doubt in _doubts(spec, candidate, value, problem, confidence, review_confidence):
        result.flag(doubt)
    if value and plausibility(spec, candidate, doc_type) < 0:
        # The best there was reads as a printed label or as a value of another kind.
        result.flag("does not read as this field's value")
    if spec.kind == "identifier" and value_kind(value) == "phone":
        result.flag("grouped like a phone number: check it is this number")
    owner = label_owner(spec, candidate, doc_type) if value else None
    if owner:
        result.flag(f"its label reads whole as another field's ({owner.label!r}): check it is this field's")
    caption = _caption_line(value, spec, doc_type)
    if caption:
        result.flag(f"{caption!r} reads as a printed label: check where the value ends")
    intruder = _another_fields_line(value, spec, doc_type)
    if intruder:
        line, other = intruder
        result.flag(f"{line!r} reads as the {other}: check where the value ends")
    # Another field's label or one of no field inside the value: the next column read on into
    # it (the field's own labels are left out: a company is often named "... Health Plan").
    if spec.kind in ("text", "person"):
        others = doc_type.labels_read_into[spec.name]
        inner = next((found for line in value.split("\n") if (found := label_within(line, others))), None)
        if inner:
            result.flag(f"{inner!r} inside the value reads as a printed label: check where the value ends")
    return result


def capital_i_among_small(value: str) -> list[str]:
    """The words of ``value`` with a capital I after a letter and before a small one ("BIk",
    "AIbany") that no word list holds ("McIntyre" is a name): in most faces a capital I and a
    small l are one stroke, and OCR takes one for the other."""
    return [
        word for word in _CAPITAL_I_AMONG_SMALL.findall(value) if not is_known(word, (*LEXICONS, ENGLISH))
    ]


def label_owner(spec: FieldSpec, candidate: Candidate, doc_type: DocumentType) -> FieldSpec | None:
    """The field whose label the candidate's key reads as whole (``WHOLE_LABEL``) when it reads
    as this field's only in part: "Date of birth" taken as a record's "Date" when the form asks
    two people's dates of birth and no date of its own."""
    if not candidate.labelled or not candidate.keys:
        return None
    if candidate.label_score >= WHOLE_LABEL:
        return None  # read whole as this field's, where it stands ("Phone" under a contact's heading)
    text = candidate.keys[0].text
    return next(
        (o for o in doc_type.fields if o is not spec and best_phrase(text, o.all_labels)[1] >= WHOLE_LABEL),
        None,
    )


def doubt_label_owners(
    doc_type: DocumentType,
    assigned: dict[str, Assigned],
    results: dict[str, FieldResult],
    views: list[PageView],
) -> None:
    """Flag, in ``results``, each field whose whole label another field took (``label_owner``;
    that field is flagged by ``to_result``) while it took a value from another label, when that
    label reads surely as its own where it stands (not under another person's heading): the two
    fields' values may be swapped ("Telephone" read as an emergency contact's phone, the
    patient's phone then taken from a parent's "Cell phone"), so both are checked."""
    for spec in doc_type.fields:
        taken = assigned[spec.name].candidate
        if taken is None or not results[spec.name].value:
            continue
        owner = label_owner(spec, taken, doc_type)
        if owner is None or owner.name not in results or not results[owner.name].value:
            continue
        own = assigned[owner.name].candidate
        if own is not None and any(key in own.keys for key in taken.keys):
            continue
        if label_score(owner, taken.keys[0], views[taken.page], doc_type) < LABEL_SURE_SCORE:
            continue
        label = taken.keys[0].text
        results[owner.name].flag(
            f"{label!r} reads whole as this field's label and was taken as the {spec.label}'s: "
            "check which is its value"
        )


def _without_leading_hint(candidate: Candidate, doc_type: DocumentType) -> tuple[Candidate, str | None]:
    """``candidate`` without the hint in brackets its first line opens with, and that hint
    (None when there is none): words of the type's labels only, printed before the value and
    read with it ("(street, city, state, ZIP) 9769 Union St", a question's hint run on)."""
    first = candidate.lines[0] if candidate.lines else ()
    if len(first) < 2 or not first[0].text.startswith("("):
        return candidate, None
    end = next((i for i, w in enumerate(first) if w.text.rstrip(".,:;").endswith(")")), None)
    if end is None or end == len(first) - 1:
        return candidate, None
    hint = " ".join(w.text for w in first[: end + 1])
    words = [key_token(word) for word in re.findall(r"[A-Za-z]+", hint)]
    if not words or not set(words) <= label_words(doc_type.vocabulary) | DATE_FORMAT_WORDS:
        return candidate, None
    return replace(candidate, lines=(first[end + 1 :], *candidate.lines[1:])), hint


def _another_fields_line(value: str, spec: FieldSpec, doc_type: DocumentType) -> tuple[str, str] | None:
    """A later line of a multi-line value wholly shaped like another field's value ("Dr. Janet
    Bailey, MBBS" under a patient's address: the next field, run on into it), with that
    field's label."""
    for line in value.split("\n")[1:]:
        for other in doc_type.fields:
            if other is not spec and other.find and re.fullmatch(other.find, line.strip()):
                return line, other.label.lower()
    return None


def _caption_line(value: str, spec: FieldSpec, doc_type: DocumentType) -> str | None:
    """A line of the value that starts as a printed label: the first line as one of the
    field's own labels ("Name of patient Warren": the label read into its value) or another
    field's label of two words or more ("Allergies (drug/food) Tree nuts" as the medical
    problems: that field's label and value taken for this one's; a one-word label starts
    values too, "Weight loss", though never a person's name), a later line as any label of the
    type ("Address line 1" under the street, "Phone 555..." under an address: the form's print
    or another field's, taken in with the value)."""
    first, *rest = value.split("\n")
    # A one-word label opens other values as a word of their own ("Weight loss"), never a
    # person's name ("Name Jerome Santos": the label read with its value).
    shortest = 1 if spec.kind == "person" else 2
    others = tuple(label for label in doc_type.all_labels if len(label.split()) >= shortest)
    if _starts_as_label(first, spec.all_labels + others):
        return first
    return next((line for line in rest if _starts_as_label(line, doc_type.all_labels)), None)


def _starts_as_label(line: str, labels: tuple[str, ...]) -> bool:
    """True for a line opening with one of ``labels``, unless it negates it ("No known allergies"):
    read as a label, or its first words spelled as a label of CAPTION_LETTERS letters or more
    with more words after them ("Name Jessica Cruz": a short label scores low against a line)."""
    if is_negative_answer(line):
        return False
    if best_phrase(line, labels)[1] >= CAPTION_SCORE:
        return True
    words = [spelling(word) for word in line.split()]
    for label in labels:
        head = [spelling(word) for word in label.split()]
        if len("".join(head)) >= CAPTION_LETTERS and len(words) > len(head) and words[: len(head)] == head:
            return True
    return False


def _four_digit_year_asked(candidate: Candidate) -> bool:
    """Whether the value's label prints a date format with a four-digit year ("DOB
    (MM/DD/YYYY)"): a value written to it with a year of two digits lost a part (the last boxes of
    a comb) or was written against the form's own request."""
    return any(YEAR_IN_FOUR.search(key.text) for key in candidate.keys)


def _doubts(
    spec: FieldSpec, candidate: Candidate, value: str, problem: str | None, confidence: float, review: float
) -> list[str]:
    doubts = []
    if candidate.words and not value:
        doubts.append("nothing readable where the value should be")
    elif not candidate.words:
        doubts.append(BLANK_DOUBT)
    if problem:
        doubts.append(problem)
    if value and confidence < review and candidate.labelled:
        doubts.append(low_confidence(min(w.confidence for w in candidate.words)))
    if candidate.note:
        doubts.append(candidate.note)
    if candidate.labelled and candidate.label_score < LABEL_SURE_SCORE:
        label = " ".join(k.text for k in candidate.keys[:1])
        doubts.append(f"label only partly matched (read {label!r})")
    if not candidate.labelled and not candidate.trusted:
        doubts.append(UNLABELLED_REASONS.get(candidate.how, "no label"))
    if (
        not candidate.labelled
        and candidate.trusted
        and min((w.confidence for w in candidate.words), default=0) < review
    ):
        doubts.append(low_confidence(min(w.confidence for w in candidate.words)))
    if candidate.how == "section" and candidate.labelled and len(candidate.lines) > 1:
        doubts.append("several lines under the heading")
    if value and "directions" in spec.lexicons:
        unknown = [
            w for w in re.findall(r"[A-Za-z]{2,}", value) if not is_known(w, (*spec.lexicons, "english"))
        ]
        # A word after a number is a unit or a count's noun ("2 ml", "3 days"): only those fit.
        unknown += no_units(value)
        if unknown:
            doubts.append("words in no vocabulary: " + ", ".join(repr(w) for w in unknown[:3]))
        glued = re.findall(r"[A-Za-z]+[.,:;][0-9]+|[0-9]+[:;][A-Za-z]+", value)
        if glued:
            # "for.7 days", "1:month": a speck read as punctuation between a word and a number
            doubts.append("punctuation between a word and a number: " + ", ".join(repr(g) for g in glued[:3]))
    if spec.kind == "date" and value and _four_digit_year_asked(candidate) and not FOUR_DIGITS.search(value):
        doubts.append("its label asks for a four-digit year, the value has none: is part of it missing?")
    for read, near in misread_names(value)[:2] if spec.kind == "person" else []:
        doubts.append(f"{read!r} is in no list of names, one letter from {near!r}")
    for read, near in misread_places(value)[:2] if "places" in spec.lexicons else []:
        doubts.append(f"{read!r} is in no list of places, one letter from {near!r}")
    for read, near in misread_suffix_names(value)[:1] if "places" in spec.lexicons else []:
        doubts.append(f"{read!r} stands where a street's suffix does and is none, one letter from {near!r}")
    if spec.kind in CAPITAL_I_KINDS:
        for word in capital_i_among_small(value)[:1]:
            doubts.append(f"{word!r} has a capital I among small letters: is it an l misread?")
    answers = YES_NO if spec.kind == "yesno" else IMMUNITY if spec.kind == "immunity" else ()
    if answers and candidate.how != "option":
        said = " ".join(candidate.texts).lower().split()
        if ("yes" in said and "no" in said) or ("immune" in said and said.count("immune") > 1):
            doubts.append("several answers printed: a checkbox may not have been read")
    return doubts
