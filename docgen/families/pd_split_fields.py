"""A patient record that splits the name, birth date, phone and address into printed parts.

Many clinics' forms ask for a value in pieces: Last name / First name / M.I. in separate boxes or
on separate lines (family name first or last, or one "Surname, Given names" line), the date of
birth in comb boxes (DD | MM | YYYY, or MM/DD/YYYY with the separators printed), the phone with an
area-code box "( ___ ) ___-____", the address as Street / City / State / ZIP (or Postcode). The
other fields are labelled underlines and tick-box answers.

Truth convention (tests/test_docgen_families_split.py rebuilds it from the drawn pieces):

- patient_name: "Given Middle Family" on one line, as a person writes it, whatever order the form
  asks for the parts in; a part left empty is left out ("James R. Smith", "Ana Lopez").
- birth_date: the digits of each comb group joined in the form's order by the separator it prints
  when that is "/" or "-", else by "/": "07/03/1985" on a DD | MM | YYYY form, "03/07/1985" on an
  MM/DD/YYYY one, "1985-03-07" on a YYYY-MM-DD one.
- phone_number (and emergency_contact_phone when the form splits it too): "(737) 988-0851", the
  format the other families print.
- address: the street line, then "Austin, TX 78701" (a state code) or "Austin, Texas, 78701" (a
  state written out), as ``values.city_line`` writes them, then the country when one is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass

from PIL import Image

from docgen import values
from docgen.canvas import pick_style
from docgen.content import content
from docgen.families import _pd_common as pd
from docgen.families import _split_draw as sd

FAMILY = "pd_split_fields"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "name, birth date, phone and address split into labelled parts: surname / given / M.I. boxes, "
    "DD|MM|YYYY comb boxes, '( ___ ) ___-____' phone, Street / City / State / ZIP cells"
)

FAMILY_LABELS = ("Last name", "Surname", "Family name", "Last")
GIVEN_LABELS = ("First name", "Given name(s)", "Given names", "First")
MIDDLE_LABELS = ("M.I.", "Middle initial", "MI", "Middle")
DATE_ORDERS = ("dmy", "dmy", "mdy", "mdy", "ymd")
STREET_LABELS = ("Street", "Street address", "Address line 1", "Street and number", "Address")
CITY_LABELS = ("City", "Town/City", "City/Town")
STATE_LABELS = ("State", "State/Province", "St.")
ZIP_LABELS = ("ZIP", "ZIP code", "Zip", "Postcode", "Postal code")
MIDDLE_LETTERS = "ABCDEFGHJKLMNPRSTW"


@dataclass(frozen=True)
class Person:
    """The split values: name parts, birth date, phone digits and address parts."""

    given: str
    middle: str
    family: str
    born: dt.date
    phone: tuple[str, str, str]
    contact_phone: tuple[str, str, str]
    street: str
    city: str
    state: str  # a code ("TX") or a name ("Texas"), as the patient wrote it
    zipcode: str
    country: str  # "" when the patient writes none


def name_truth(given: str, middle: str, family: str) -> str:
    """'Given Middle Family', empty parts left out."""
    return " ".join(part for part in (given, middle, family) if part)


def phone_truth(area: str, exchange: str, line: str) -> str:
    return f"({area}) {exchange}-{line}"


def city_truth(city: str, state: str, zipcode: str) -> str:
    """'Austin, TX 78701' for a state code, 'Austin, Texas, 78701' for a state name."""
    return f"{city}, {state} {zipcode}" if len(state) == 2 else f"{city}, {state}, {zipcode}"


def _phone_digits(rng: random.Random) -> tuple[str, str, str]:
    area = f"{rng.randint(2, 9)}{rng.randint(0, 8)}{rng.randint(0, 9)}"
    return area, f"{rng.randint(2, 9)}{rng.randint(0, 9)}{rng.randint(0, 9)}", f"{rng.randint(0, 9999):04d}"


def draw_person(rng: random.Random) -> Person:
    """Random split values, from the document's content stream."""
    vals = content(rng)
    middle = ""
    if vals.random() < 0.55:
        middle = vals.choice(MIDDLE_LETTERS) + ("." if vals.random() < 0.35 else "")
    city, state, code, prefix = vals.choice(values.CITIES)
    return Person(
        given=vals.choice(values.FIRST_NAMES),
        middle=middle,
        family=vals.choice(values.LAST_NAMES),
        born=values.random_date(vals, 1930, 2010),
        phone=_phone_digits(vals),
        contact_phone=_phone_digits(vals),
        street=values.street(vals),
        city=city,
        state=code if vals.random() < 0.8 else state,
        zipcode=prefix + f"{vals.randint(1, 99):02d}",
        country="United States" if vals.random() < 0.6 else "",
    )


def _name_block(form: sd.Form, rng: random.Random, who: Person) -> None:
    """The name in parts: ruled cells, captioned underlines, one line per part, or 'Surname, Given'."""
    kind = rng.choice(("cells", "captions", "lines", "comma"))
    form.notes["name"] = kind
    has_middle = rng.random() < 0.6
    given = who.given if has_middle or not who.middle else f"{who.given} {who.middle}"
    parts = [
        (rng.choice(FAMILY_LABELS), "family", who.family, 3),
        (rng.choice(GIVEN_LABELS), "given", given, 3),
    ]
    if has_middle:
        parts.append((rng.choice(MIDDLE_LABELS), "middle", who.middle, 1))
    if rng.random() < 0.5:  # given name first, family name last
        parts = [parts[1], *parts[2:], parts[0]]
    items = [sd.Part(label, "patient_name", part, text, weight) for label, part, text, weight in parts]
    row_label = rng.choice(pd.LABELS["patient_name"])
    if kind == "cells":
        form.cells(items)
    elif kind == "captions":
        form.captions(row_label, items)
    elif kind == "lines":
        for item in items:
            form.lines_row([item])
    else:
        family = next(item for item in items if item.part == "family")
        form.comma_line(row_label, family, [item for item in items if item.part != "family"])


def _birth_block(form: sd.Form, rng: random.Random, born: dt.date) -> str:
    """The date of birth in comb boxes, groups in the form's order; returns its truth."""
    order = rng.choice(DATE_ORDERS)
    digits = {"d": f"{born.day:02d}", "m": f"{born.month:02d}", "y": f"{born.year}"}
    form.notes["date_order"] = order
    form.comb_field(
        rng.choice(pd.LABELS["birth_date"]), "birth_date", [(key, digits[key]) for key in order], rng
    )
    # A clerk types the date as the form prints it where its separator is a date's ("-"); a bar
    # or a gap between the groups is typed as "/".
    separator = form.separator if form.separator in ("/", "-") else "/"
    return separator.join(digits[key] for key in order)


def _phone_block(form: sd.Form, rng: random.Random, name: str, digits: tuple[str, str, str]) -> str:
    """A phone as '( ___ ) ___-____' blanks or comb boxes, or an Area code cell beside a Number
    cell; returns its truth."""
    kind = rng.choice(("blanks", "comb", "cells"))
    label = rng.choice(pd.LABELS[name])
    area, exchange, line = digits
    if kind == "cells":
        form.cells(
            [
                sd.Part(rng.choice(("Area code", "Area", "Code")), name, "area", area, 1),
                sd.Part(label, name, "number", f"{exchange}-{line}", 3),
            ],
            width=rng.uniform(0.45, 0.7),
        )
    elif kind == "comb":
        form.comb_field(
            label, name, [("area", area), ("exchange", exchange), ("line", line)], rng, phone=True
        )
    else:
        form.phone_blanks(label, name, digits)
    return phone_truth(*digits)


def _address_block(form: sd.Form, rng: random.Random, who: Person) -> str:
    """Street on its own, then City / State / ZIP (and a Country) in cells or on labelled lines;
    returns its truth."""
    street = sd.Part(rng.choice(STREET_LABELS), "address", "street", who.street, 4)
    city = sd.Part(rng.choice(CITY_LABELS), "address", "city", who.city, 3)
    state = sd.Part(rng.choice(STATE_LABELS), "address", "state", who.state, 2 if len(who.state) > 2 else 1)
    zipcode = sd.Part(rng.choice(ZIP_LABELS), "address", "zip", who.zipcode, 1.5)
    rest = [city, state, zipcode]
    asks_country = rng.random() < 0.4
    if asks_country:
        rest.append(sd.Part("Country", "address", "country", who.country, 2))
    kind = rng.choice(("cells", "lines", "captions"))
    if kind == "cells":
        form.cells([street])
        form.cells(rest)
    elif kind == "lines":
        form.lines_row([street])
        form.lines_row([city])
        form.lines_row(rest[1:])
    else:
        form.captions(rng.choice(pd.LABELS["address"]), [street])
        form.captions("", rest)
    lines = [who.street, city_truth(who.city, who.state, who.zipcode)]
    return "\n".join(lines + ([who.country] if asks_country and who.country else []))


def _part(rng: random.Random, name: str, text: str, weight: float = 1, in_section: bool = False) -> sd.Part:
    """Field `name` as one value under one of its usual labels."""
    return sd.Part(pd.label(rng, name, in_section), name, "value", text, weight)


def layout(rng: random.Random, dpi: int) -> tuple[dict[str, str], sd.Form]:
    """The truth and the drawn form, whose ``shown`` pieces say what was set where."""
    record = pd.make_record(rng, omit_rate=0.4, max_omitted=1)
    who = draw_person(rng)
    truth = record.truth
    truth["patient_name"] = name_truth(who.given, who.middle, who.family)
    if truth["patient_name"] == truth["emergency_contact_name"]:
        who = dataclasses.replace(who, middle="A.")
        truth["patient_name"] = name_truth(who.given, who.middle, who.family)
    form = sd.Form(dpi, pick_style(rng, prefer="Comic Neue", prefer_weight=0.3), rng)
    form.header(pd.clinic_name(rng), pd.clinic_contact(rng), rng.choice(pd.FORM_TITLES), rng)
    if record.shown("record_date"):
        form.lines_row([_part(rng, "record_date", truth["record_date"])], width=0.45)
    form.heading(rng.choice(pd.SECTION_TITLES["patient"]))
    _name_block(form, rng, who)
    truth["birth_date"] = _birth_block(form, rng, who.born)
    truth["phone_number"] = _phone_block(form, rng, "phone_number", who.phone)
    truth["address"] = _address_block(form, rng, who)
    small = [n for n in ("weight", "height") if record.shown(n)]
    extras = pd.extras(rng, pd.Record({"patient_name": f"{who.given} {who.family}"}, {}))
    # An email needs room: each item's share of the row grows with its text.
    row = [sd.Part(label, "", "extra", text, max(1.0, len(text) / 12)) for label, text in extras[:2]]
    for name in small:
        part = _part(rng, name, truth[name])
        text = (pd.measure_lines(rng, name, part.label, record.lines[name]) or [""])[0]
        row.append(dataclasses.replace(part, text=text))
    form.lines_row(row[:3])
    if len(row) > 3:
        form.lines_row(row[3:])

    def emergency() -> None:
        form.heading(rng.choice(pd.SECTION_TITLES["emergency"]))
        contact = truth["emergency_contact_name"]
        form.lines_row([_part(rng, "emergency_contact_name", contact, 2, in_section=True)])
        if not record.shown("emergency_contact_phone"):
            return
        if rng.random() < 0.5:  # split like the patient's own phone
            truth["emergency_contact_phone"] = _phone_block(
                form, rng, "emergency_contact_phone", who.contact_phone
            )
        else:
            phone = truth["emergency_contact_phone"]
            form.lines_row([_part(rng, "emergency_contact_phone", phone, in_section=True)])

    def insurance() -> None:
        form.heading(rng.choice(pd.SECTION_TITLES["insurance"]))
        form.answer(record, "has_medical_insurance", rng)
        names = [n for n in ("insurance_company", "policy_number", "insurance_expiry") if record.shown(n)]
        form.lines_row([_part(rng, n, truth[n], 2 if n == "insurance_company" else 1) for n in names[:2]])
        form.lines_row([_part(rng, n, truth[n]) for n in names[2:]], width=0.5)

    def history() -> None:
        form.heading(rng.choice(pd.SECTION_TITLES["history"]))
        for name in ("chickenpox", "measles", "hepatitis_b_vaccination"):
            if record.shown(name):
                form.answer(record, name, rng)
        for name in ("medical_problems", "allergies", "regular_medications"):
            form.list_field(pd.label(rng, name), name, record.lines[name])

    sections = [emergency, insurance, history]
    rng.shuffle(sections)
    for section in sections:
        section()
    return truth, form


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    truth, form = layout(rng, dpi)
    return truth, form.images()
