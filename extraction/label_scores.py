"""How well a key reads as one of a field's labels, where it stands: under a heading (or on a
row opened by a key reading as one) that belongs to another field of the same kind, a plain
label is that field's ("Home phone" under "In Case of Emergency" is the contact's phone); a
label naming a field's section itself ("Emergency phone") stays that field's under any heading."""

from __future__ import annotations

from extraction.doctypes import DocumentType, FieldSpec
from extraction.keys import Key, section_of
from extraction.page_view import LABEL_MIN_SCORE, PageView
from extraction.phrases import best_phrase

# A key that reads at least this well as a label of no field, and better than as the field's, is
# that label ("Email address" is no "Address"; "Home phone" under a contact's heading still is
# the contact's phone though it reads nearly as "Work phone").
STOP_LABEL_SCORE = 0.9
# A heading reading this well as one of a section of no field's (``DocumentType.other_sections``)
# makes the labels under it read as their field's this much less: taken only where no other
# label has a value, and then never surely.
OTHER_SECTION_SCORE = 0.9
OTHER_SECTION_COST = 0.2


def label_score(spec: FieldSpec, key: Key, view: PageView, doc_type: DocumentType) -> float:
    """How well ``key`` reads as one of the field's labels, in its section; 0 when it reads
    surely and better as a label of no field (``DocumentType.stop_labels``).

    Under a heading that belongs to another field of the same kind ("Home phone" under "In Case
    of Emergency" is the contact's phone) the key is that field's rather than this one's; under
    this field's own heading, a plain label of its kind reads as its own.
    """
    # Remembered on the view, which keeps what it was asked of: no id of them is taken again.
    asked = (id(spec), id(key), id(doc_type))
    remembered = view.label_scores.get(asked)
    if remembered is not None:
        return remembered[3]
    score = _in_section(spec, key, view, doc_type)
    score = 0.0 if reads_as_no_field(key, doc_type, score) else score
    view.label_scores[asked] = (spec, key, doc_type, score)
    return score


def reads_as_no_field(key: Key, doc_type: DocumentType, score: float) -> bool:
    """True when ``key`` reads surely, and better than ``score`` (how it reads as a field's
    label or heading), as a label of no field: "Email address" reads as "Address" only in
    part, and as a label of no field whole; "Patient Medical Record" is a form's title, not
    the "Patient" heading a name is printed under."""
    no_field = doc_type.no_field_labels
    stop = best_phrase(key.text, no_field)[1] if no_field else 0.0
    return stop >= STOP_LABEL_SCORE and stop > score


def _in_section(spec: FieldSpec, key: Key, view: PageView, doc_type: DocumentType) -> float:
    labels = spec.labels + spec.colon_labels if key.colon or key.whole_line else spec.labels
    score = best_phrase(key.text, labels)[1] if labels else 0.0
    if _in_a_section_of_no_field(key, view) or _on_another_person_s_row(key, view, doc_type):
        return score - OTHER_SECTION_COST  # a second insurance's "Insurance company"
    kin = [o for o in doc_type.fields if o.kind == spec.kind and o is not spec]
    if not spec.section_labels and not any(o.section_labels for o in kin):
        return score  # no heading says whose a label of this kind is
    heading = _row_lead(key, view, doc_type) or section_of(key.box, view.sections, view.page.lines)
    if heading is None or _names_a_section(key, spec):
        return score  # "Name of person to contact in case of emergency" says whose it is
    for other in kin:
        if other.section_labels and best_phrase(heading.text, other.section_labels)[1] >= LABEL_MIN_SCORE:
            return score - 0.2
    if spec.section_labels and best_phrase(heading.text, spec.section_labels)[1] >= LABEL_MIN_SCORE:
        plain = [o for o in kin if not _names_a_section(key, o)]
        same_kind = max((best_phrase(key.text, o.labels)[1] for o in plain), default=0.0)
        score = max(score, min(1.0, same_kind + 0.02))
    return score


def no_field_titles(keys: list[Key], doc_type: DocumentType) -> list[Key]:
    """The keys alone on their line that title a section of no field's (a second insurance, the
    family's history; ``DocumentType.other_sections``), with their colon or without."""
    if not doc_type.other_sections:
        return []
    return [
        k
        for k in keys
        if k.whole_line and best_phrase(k.text, doc_type.other_sections)[1] >= OTHER_SECTION_SCORE
    ]


def _in_a_section_of_no_field(key: Key, view: PageView) -> bool:
    """True when ``key`` stands under the heading of a section of no field's, or under such a
    title set alone on its line with a colon ("Family history:" over its table): that section
    runs on to the next heading."""
    titles = view.no_field_titles
    if not titles:
        return False
    headings = {id(h) for h in view.sections}
    section = section_of(key.box, [*view.sections, *(t for t in titles if id(t) not in headings)])
    return section is not None and section is not key and any(section is t for t in titles)


def _names_a_section(key: Key, spec: FieldSpec) -> bool:
    """True when ``key`` holds every word of one of the field's section headings ("in case of
    emergency", "emergency contact"): a label that names whose value it is, under any heading."""
    words = {word.lower().strip(".,:;()") for word in key.text.split()}
    return any(set(label.lower().split()) <= words for label in spec.section_labels)


def _on_another_person_s_row(key: Key, view: PageView, doc_type: DocumentType) -> bool:
    """True when the key opening ``key``'s row, left of it in its panel, names a person who is no
    field's (``DocumentType.other_people``): "Phone:" after "Pediatrician: Dr Nguyen" is the
    doctor's phone, never surely the patient's."""
    if not doc_type.other_people:
        return False
    lead = view.row_lead(key)
    return lead is not None and best_phrase(lead.text, doc_type.other_people)[1] >= OTHER_SECTION_SCORE


def _row_lead(key: Key, view: PageView, doc_type: DocumentType) -> Key | None:
    """The key opening ``key``'s row, left of it, when it reads as a section's heading ("Emergency
    contact: Jane Doe   Phone: ..."): the plain labels after it on its row are that section's,
    as under a heading."""
    lead = view.row_lead(key)
    if lead is None:
        return None
    sections = tuple(label for spec in doc_type.fields for label in spec.section_labels)
    return lead if sections and best_phrase(lead.text, sections)[1] >= LABEL_MIN_SCORE else None
