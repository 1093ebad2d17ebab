"""A landscape patient registration sheet (UK, Australia, New Zealand, Ireland).

Side by side ruled tables whose left column holds the labels, shaded on most forms, and whose
right column holds the values: the name as "Surname" and "Forenames" on many forms, the address
with its postcode on a row of its own, "Mobile", the national health number, "Next of kin", then
clinical and insurance rows with answers ticked inside their cells; dated "03 Mar 1981" or
"3.3.1981" by some clinics.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from PIL import Image, ImageFont

from docgen import fonts
from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _intl as intl
from docgen.families import _pd_common as pd
from docgen.families._grid_labels import wrap

FAMILY = "pd_registration_landscape"
DOC_TYPE = "patient_details"
DESCRIPTION = (
    "landscape registration sheet (UK/AU/NZ/IE): side-by-side ruled tables, shaded label column, "
    "Surname/Forenames, Postcode row, Mobile, NHS/Medicare/NHI No., Next of kin, ticks in cells"
)

TITLES = (
    "PATIENT REGISTRATION",
    "Patient Registration Sheet",
    "NEW PATIENT REGISTRATION",
    "Registration Form",
)
SECTIONS = {
    "patient": ("PATIENT DETAILS", "Personal details", "Patient"),
    "kin": ("NEXT OF KIN", "Next of kin", "Emergency contact"),
    "clinical": ("CLINICAL INFORMATION", "Health information", "Medical"),
    "insurance": ("PRIVATE INSURANCE", "Insurance", "Health fund"),
}
LABELS = {
    "patient_name": ("Full name", "Name", "Patient name"),
    "birth_date": ("Date of birth", "DOB", "D.O.B."),
    "address": ("Address", "Home address", "Permanent address"),
    "phone_number": ("Mobile", "Mobile no.", "Telephone", "Home tel.", "Contact tel."),
    "weight": ("Weight (kg)", "Weight"),
    "height": ("Height (cm)", "Height"),
    "emergency_contact_name": ("Next of kin", "Name", "NOK name", "Next of kin (name)"),
    "emergency_contact_phone": ("NOK telephone", "Telephone", "Next of kin tel.", "Contact no."),
    "chickenpox": ("Chickenpox", "Chickenpox (had it or immunised)", "Varicella"),
    "measles": ("Measles", "Measles / MMR", "Measles immunity"),
    "hepatitis_b_vaccination": ("Hepatitis B vaccinated", "Hep B vaccine course", "Hepatitis B immunisation"),
    "medical_problems": ("Significant medical history", "Past medical history", "Medical conditions"),
    "allergies": ("Known allergies", "Allergies / sensitivities", "Allergies"),
    "regular_medications": ("Current medication", "Repeat medication", "Regular medicines"),
    "has_medical_insurance": ("Private health insurance", "Privately insured", "Private cover"),
    "insurance_company": ("Insurer", "Health fund", "Insurance company"),
    "policy_number": ("Membership No.", "Policy No.", "Member number"),
    "insurance_expiry": ("Expiry date", "Valid to", "Cover expires"),
    "record_date": ("Date registered", "Registration date", "Date"),
}
IMMUNITY_WORDS = (("Immune", "Non-immune"), ("Had it / immunised", "Not immune"), ("Yes", "No"))
YES_NO_WORDS = (("Yes", "No"), ("Y", "N"), ("YES", "NO"))


# US letter on its side: registration sheets are printed landscape.
LANDSCAPE_INCHES = (11.0, 8.5)


@dataclass
class Row:
    """One table row: a section band (no label lines), a label with value lines, or ticked options."""

    label: str
    lines: list[str]
    section: bool = False
    words: tuple[str, ...] = ()
    chosen: int | None = None


@dataclass(frozen=True)
class Look:
    """The ruling and type of one form."""

    shade: int | None
    label_share: float
    rule_pt: float
    colon: bool
    upper: bool
    mark: str
    pad: int  # pixels above and below a row's text
    scale: float = 1.0  # type size, made smaller when a form's rows would run off the sheet


def _fonts(page: Page, look: Look) -> tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont]:
    """(label font, value font) of the form at its type size."""
    return (
        page.font(bold=True, scale=0.85 * look.scale, family=page.style.label),
        page.font(bold=False, scale=0.95 * look.scale),
    )


def _label_lines(page: Page, look: Look, row: Row, width: int) -> list[str]:
    """The row's label as printed: cased, with its colon, wrapped to the label column."""
    if row.section:
        return [row.label]
    text = pd.with_colon(row.label.upper() if look.upper else row.label, look.colon)
    return wrap(text, _fonts(page, look)[0], width)


def _row_height(page: Page, look: Look, row: Row, width: int) -> int:
    """A row's height: its value or label lines, whichever are more, and the form's padding."""
    label_lines = _label_lines(page, look, row, round(width * look.label_share) - 2 * look.pad)
    lines = max(1, len(row.lines), len(label_lines))
    return round(_fonts(page, look)[1].size * 1.3) * lines + 2 * look.pad


def _options_font(
    page: Page, words: tuple[str, ...], font: ImageFont.FreeTypeFont, width: int
) -> ImageFont.FreeTypeFont:
    """`font`, made smaller until the boxed options (as ``_pd_common.options`` sets them) fit `width`."""

    def span(f: ImageFont.FreeTypeFont) -> int:
        boxes = len(words) * (round(f.size * 0.75) + round(f.size * 0.35)) + round(f.size * 1.3) * (
            len(words) - 1
        )
        return boxes + sum(page.width(word, f) for word in words)

    while font.size > 6 and span(font) > width:
        font = fonts.load(font.path, int(font.size * 0.92))
    return font


def _table(page: Page, look: Look, rows: list[Row], x0: int, x1: int, y: int) -> int:
    """A two-column ruled table, labels left (shaded when the form shades them); returns its bottom."""
    label_font, value_font = _fonts(page, look)
    pad = look.pad
    split = x0 + round((x1 - x0) * look.label_share)
    line_h = round(value_font.size * 1.3)
    top = y
    for row in rows:
        height = _row_height(page, look, row, x1 - x0)
        base = y + pad + value_font.size
        labels = _label_lines(page, look, row, split - x0 - 2 * pad)
        if row.section:
            page.draw.rectangle((x0, y, x1, y + height), fill=(look.shade or 235) - 25)
        elif look.shade is not None:
            page.draw.rectangle((x0, y, split, y + height), fill=look.shade)
        for i, text in enumerate(labels):
            page.text(
                x0 + pad,
                base + i * line_h,
                text,
                page.fit(text, label_font, (x1 if row.section else split) - x0 - 2 * pad),
            )
        if not row.section:
            if row.words:
                printed = page.font(bold=False, scale=0.95 * look.scale, family=page.style.label)
                font = _options_font(page, row.words, printed, x1 - split - 3 * pad)
                pd.options(page, split + pad, base, row.words, row.chosen, font, "box", look.mark)
            for i, line in enumerate(row.lines):
                page.text(
                    split + pad, base + i * line_h, line, page.fit(line, value_font, x1 - split - 2 * pad)
                )
            pd.vrule(page, split, y, y + height, look.rule_pt)
        page.rule(x0, x1, y, look.rule_pt)
        y += height
    page.rule(x0, x1, y, look.rule_pt)
    pd.vrule(page, x0, top, y, look.rule_pt)
    pd.vrule(page, x1 - pd.thickness(page, look.rule_pt) + 1, top, y, look.rule_pt)
    return y


def _groups(
    rng: random.Random, record: pd.Record, country: intl.Country, parts: tuple[str, str, str]
) -> dict[str, list[Row]]:
    """The rows of each section, in print order; fields the form does not ask for are left out."""
    t, c = record.lines, content(rng)

    def row(name: str) -> Row:
        label = rng.choice(LABELS[name])
        return Row(label, pd.measure_lines(rng, name, label, t[name]))

    def ticked(name: str, words: tuple[str, ...]) -> Row:
        return Row(
            rng.choice(LABELS[name]), [], words=words, chosen=pd.chosen_index(name, record.truth[name])
        )

    patient = [Row(rng.choice(SECTIONS["patient"]), [], section=True)]
    if rng.random() < 0.5:
        patient.append(Row("Title", [c.choice(intl.TITLES[:4])]))
    if rng.random() < 0.6:
        forenames, surname = t["patient_name"][0].split(" ", 1)
        patient += [
            Row("Surname", [surname]),
            Row(rng.choice(("Forenames", "Forename(s)", "Christian name(s)")), [forenames]),
        ]
    else:
        patient.append(row("patient_name"))
    patient.append(row("birth_date"))
    if rng.random() < 0.5:  # the postcode on a row of its own: the address is still all three lines
        street, town, postcode = parts
        intl.set_lines(record, "address", [street, town, postcode])
        patient += [
            Row(rng.choice(LABELS["address"]), [street, town]),
            Row(rng.choice(country.postcode_labels), [postcode]),
        ]
    else:
        patient.append(row("address"))
    patient.append(row("phone_number"))
    patient.append(Row(rng.choice(country.health_number_label), [intl.health_number(c, country)]))
    if rng.random() < 0.5:
        patient.append(Row(rng.choice(("Registered GP", "Usual GP", "Usual doctor")), [intl.doctor(c)]))
    kin = [Row(rng.choice(SECTIONS["kin"]), [], section=True), row("emergency_contact_name")]
    kin.append(Row("Relationship", [c.choice(pd.RELATIONSHIPS)]))
    if record.shown("emergency_contact_phone"):
        kin.append(row("emergency_contact_phone"))
    clinical = [Row(rng.choice(SECTIONS["clinical"]), [], section=True)]
    clinical += [row(name) for name in ("weight", "height") if record.shown(name)]
    clinical += [row(name) for name in ("medical_problems", "allergies", "regular_medications")]
    immunity = rng.choice(IMMUNITY_WORDS)
    clinical += [ticked(name, immunity) for name in ("chickenpox", "measles") if record.shown(name)]
    yes_no = rng.choice(YES_NO_WORDS)
    clinical.append(ticked("hepatitis_b_vaccination", yes_no))
    insurance = [
        Row(rng.choice(SECTIONS["insurance"]), [], section=True),
        ticked("has_medical_insurance", yes_no),
    ]
    insurance += [row("insurance_company"), row("policy_number")]
    if record.shown("insurance_expiry"):
        insurance.append(row("insurance_expiry"))
    office = [Row(rng.choice(("FOR OFFICE USE", "Office use only")), [], section=True)]
    if record.shown("record_date"):
        office.append(row("record_date"))
    office.append(
        Row(
            rng.choice(("Registered by", "Entered by", "Initials")),
            [c.choice(("JT", "AM", "KB", "SR", "LW"))],
        )
    )
    return {"patient": patient, "kin": kin, "clinical": clinical, "insurance": insurance, "office": office}


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    country = intl.pick_country(rng)
    style = rng.choice(("dd_mon_yyyy", "d.m.yyyy", "dd/mm/yyyy", "dd.mm.yyyy", "dd-mon-yyyy"))
    record, parts = intl.localised_record(rng, country, style)
    groups = _groups(rng, record, country, parts)
    page = Page(dpi, pick_style(rng), inches=LANDSCAPE_INCHES)
    left, right = page.px(rng.uniform(0.4, 0.6)), page.image.width - page.px(rng.uniform(0.4, 0.6))
    y = page.px(rng.uniform(0.45, 0.65))
    big = page.font(bold=True, scale=rng.uniform(1.3, 1.6), family=page.style.label)
    y += big.size
    page.text(
        left, y, intl.hospital(rng, country) if rng.random() < 0.4 else intl.practice(rng, country), big
    )
    page.text(
        right, y, rng.choice(TITLES), page.font(bold=True, scale=1.2, family=page.style.label), align="right"
    )
    y += page.px(0.15)
    page.rule(left, right, y, rng.choice((1.0, 2.0)))
    y += page.px(0.25)
    if rng.random() < 0.5:
        note = "Please complete in BLOCK CAPITALS and return to reception."
        page.text(left, y, note, page.font(bold=False, scale=0.8, family=page.style.label))
        y += page.px(0.2)
    columns = (
        [groups["patient"] + groups["kin"], groups["clinical"] + groups["insurance"] + groups["office"]]
        if rng.random() < 0.6
        else [groups["patient"], groups["kin"] + groups["clinical"], groups["insurance"] + groups["office"]]
    )
    look = Look(
        shade=rng.choice((205, 215, 225, 235, None)),
        label_share=rng.uniform(0.36, 0.46),
        rule_pt=rng.uniform(0.5, 1.1),
        colon=rng.random() < 0.3,
        upper=rng.random() < 0.25,
        mark=rng.choice(("tick", "cross", "fill")),
        pad=page.px(0.05),
    )
    gutter = page.px(rng.uniform(0.2, 0.35))
    width = (right - left - gutter * (len(columns) - 1)) // len(columns)
    room = page.image.height - page.px(0.45) - y

    def tallest(look: Look) -> int:
        return max(sum(_row_height(page, look, row, width) for row in rows) for rows in columns)

    while look.scale > 0.6 and tallest(look) > room:
        look = replace(look, scale=look.scale * 0.93)
    # Forms are printed to fill the sheet: spare height goes into the rows' padding.
    most = max(len(rows) for rows in columns)
    look = replace(look, pad=look.pad + min(page.px(0.1), max(0, room - tallest(look)) // (2 * most)))
    for i, rows in enumerate(columns):
        x0 = left + i * (width + gutter)
        _table(page, look, rows, x0, x0 + width, y)
    return record.truth, [page.image]
