"""A phone number among a list's lines: read unsure at first, it fitted no field's shape and went
with the lines under it; read again, it is a phone number, and no line of an address or a list.

On a form that sets a patient's phone and address unlabelled under the name, a handwritten phone
misread ("MI-AIV-4¢077") has no phone's shape, so it opens the address; the second reader then
reads it "711-912-4077". ``phones_out_of_lists`` takes such a line out of the value it opened or
closed, and gives it to the one phone field left without a phone number, flagged both times.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extraction.doctypes import DocumentType, FieldSpec
from extraction.types import FieldResult
from extraction.validate import check_value

# A whole line that is a phone number: a North American one ("711-912-4077", "(220) 441-5907")
# or one with its country code ("+254 775 295 920"). Other runs of digits and dashes are no
# phone for sure ("73187-00108", a post-office box's number and code).
WHOLE_PHONE = re.compile(r"\(?\d{3}\)?[-. ]{0,2}\d{3}[-. ]\d{4}|\+\d{1,3}(?:[-. ]?\d{2,5}){2,5}")
LEFT_OUT = "a line read as a phone number ({line!r}) is left out: check the value is whole"
MOVED = "read among the lines of the {label} at first: check it is this number"


def phones_out_of_lists(spec: DocumentType, fields: dict[str, FieldResult]) -> dict[str, FieldResult]:
    """``fields`` (any of the document's fields, by name) with a phone number read as the
    first or last line of a multi-line value of words (an address, a list) taken out of it,
    flagged; the number goes to the document's one
    phone field left blank or holding no phone number (failing its check), when there is
    exactly one, flagged with where it was read."""
    blank_phones = [f.name for f in spec.fields if f.kind == "phone" and _no_phone(f, fields.get(f.name))]
    out = dict(fields)
    for field_spec in spec.fields:
        result = out.get(field_spec.name)
        if field_spec.kind != "text" or not field_spec.multiline or result is None or not result.value:
            continue
        lines = result.value.split("\n")
        ends = [i for i in sorted({0, len(lines) - 1}) if len(lines) > 1 and WHOLE_PHONE.fullmatch(lines[i])]
        if not ends:
            continue
        phone = lines[ends[0]]
        kept = replace(result, value="\n".join(line for i, line in enumerate(lines) if i not in ends))
        kept.flag(LEFT_OUT.format(line=phone))
        out[field_spec.name] = kept
        if len(blank_phones) == 1:
            moved = FieldResult(phone, result.confidence, False, page=result.page, box=result.box)
            moved.flag(MOVED.format(label=field_spec.label.lower()))
            out[blank_phones.pop()] = moved
    return out


def _no_phone(spec: FieldSpec, result: FieldResult | None) -> bool:
    """True when the phone field was read and holds no phone number: blank, or failing its
    check (a field not read at all, absent from the fields, is none of this module's)."""
    return result is not None and (not result.value or check_value(spec, result.value) is not None)
