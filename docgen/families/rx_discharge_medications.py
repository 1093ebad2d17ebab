"""A hospital discharge prescription (a British "TTO" or "TTA", an Australian or Irish discharge script).

A header band of patient identifiers in ruled cells or on a printed patient sticker (hospital
number, ward, consultant, admission and discharge dates), a wide table of medicines with their
strength, route, directions, duration and quantity, then the discharging doctor's name, signature
and date at the end, often on a second page that repeats the patient's name and number.
"""

from __future__ import annotations

import random

from PIL import Image, ImageFont

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _discharge as discharge
from docgen.families import _intl as intl
from docgen.families import _rx_common as rx

FAMILY = "rx_discharge_medications"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "hospital discharge prescription (TTO/TTA; UK/AU/NZ/IE): identifier cells or patient sticker with "
    "several dates, Drug | Dose | Route | Directions | Duration | Qty table, discharging doctor, "
    "signature and date at the end, often on page two"
)

# The form is the prescription the pharmacy dispenses from, titled as one (a discharge summary
# letter that lists the medicines is another document).
TITLES = (
    "DISCHARGE PRESCRIPTION",
    "Discharge Prescription (TTO)",
    "TTA PRESCRIPTION - Medicines To Take Away",
    "Discharge Medication Prescription",
    "Discharge Script",
    "TTO Prescription",
)
NUMBER_LABELS = ("Hospital No.", "MRN", "URN", "Unit No.", "Hosp. No")
DRUG_HEADERS = ("Drug", "Medicine", "Drug name (generic)", "Medication", "DRUG")
DOSE_HEADERS = ("Dose", "Strength", "DOSE")
DIRECTION_HEADERS = ("Directions", "Frequency", "Instructions", "Frequency / instructions", "How to take")
# Printed matter in the table that is no field: (header, kind of cell).
EXTRA_COLUMNS = (("Route", "route"), ("Duration", "duration"), ("Qty", "qty"), ("Status", "status"))
DOCTOR_LABELS = (
    "Discharging physician",
    "Discharging doctor",
    "Prescriber (print name)",
    "Doctor's name",
    "Name of prescriber",
)
DATE_LABELS = ("Date", "Date prescribed", "Date written", "Date of prescription")
REPEAT_LABELS = ("Repeats", "No. of repeats", "Refills", "Repeats authorised")
REGISTRATION = {"uk": "GMC No.", "au": "AHPRA No.", "nz": "MCNZ No.", "ie": "IMC No."}


def _header(page: Page, rng: random.Random, country: intl.Country, left: int, right: int) -> int:
    """Hospital name, department line and title; returns the baseline below a rule."""
    y = page.px(rng.uniform(0.5, 0.75))
    big = page.font(bold=True, scale=rng.uniform(1.15, 1.45), family=page.style.label)
    small = page.font(bold=False, scale=0.8, family=page.style.label)
    name = intl.hospital(rng, country)
    y += big.size
    page.text(right, y, name, page.fit(name, big, right - left), align="right")
    y += page.line_step(small)
    dept = rng.choice(
        ("Pharmacy Department", "Department of Medicine", "Inpatient Services", "Acute Medical Unit")
    )
    page.text(right, y, dept, small, align="right")
    title = page.font(bold=True, scale=rng.uniform(1.1, 1.35), family=page.style.label)
    y += page.px(rng.uniform(0.4, 0.55))
    page.text(left, y, rng.choice(TITLES), title)
    y += page.px(0.12)
    page.rule(left, right, y, rng.choice((1.0, 1.6, 2.2)))
    return y + page.px(0.15)


def _grid(
    page: Page,
    rows: list[list[tuple[str, list[str]]]],
    left: int,
    right: int,
    y: int,
    fonts_: tuple[ImageFont.FreeTypeFont, ImageFont.FreeTypeFont],
    grey: int,
) -> int:
    """Rows of ruled cells, each a small label over its value; returns y below the grid."""
    label_font, value_font = fonts_
    for cells in rows:
        lines = max(len(value) or 1 for _label, value in cells)
        height = round(label_font.size * 1.5 + value_font.size * 1.35 * lines + page.px(0.08))
        width = (right - left) / len(cells)
        for i, (label, value) in enumerate(cells):
            x0, x1 = round(left + i * width), round(left + (i + 1) * width)
            rx.labelled_box(page, x0, y, x1, y + height, label, value, label_font, value_font, grey, 0.7)
        y += height
    return y


def _sticker(page: Page, rng: random.Random, lines: list[tuple[str, str]], right: int, y: int) -> int:
    """The patient label box, its (label, value) lines a printed sticker stuck on or the same
    written in by hand (values in the value face, their small labels in the label face); returns
    its bottom."""
    scale = rng.uniform(0.82, 0.95)
    font = page.font(bold=False, scale=scale)
    small = page.font(bold=False, scale=scale * 0.85, family=page.style.label)
    gap = page.px(0.08)

    def width(label: str, value: str) -> int:
        return (page.width(label, small) + gap if label else 0) + page.width(value, font)

    box_w = max(width(label, value) for label, value in lines) + page.px(0.3)
    height = round(page.line_step(font) * len(lines) + page.px(0.2))
    x0 = right - box_w
    outline = max(1, page.px(0.01))
    page.draw.rounded_rectangle(
        (x0, y, right, y + height), page.px(0.1), outline=page.style.ink, width=outline
    )
    if rng.random() < 0.5:
        caption = rng.choice(("Affix patient label", "Patient label", "Addressograph"))
        page.text(x0, y - page.px(0.05), caption, page.font(bold=False, scale=0.7, family=page.style.label))
    base = y + page.px(0.1) + font.size
    for label, value in lines:
        x = x0 + page.px(0.15)
        if label:
            x += page.text(x, base, label, small) + gap
        page.text(x, base, value, font)
        base += page.line_step(font)
    return y + height


def _band(
    page: Page,
    rng: random.Random,
    rx_values: rx.Rx,
    ids: dict[str, str],
    country: intl.Country,
    sticker: bool,
    left: int,
    right: int,
    y: int,
) -> int:
    """The patient identifiers: ruled cells, or a sticker beside the ward details; returns y below."""
    label_font = page.font(bold=rng.random() < 0.5, scale=rng.uniform(0.68, 0.8), family=page.style.label)
    value_font = page.font(bold=False, scale=rng.uniform(0.9, 1.0))
    number_label, health_label = ids["number_label"], rng.choice(country.health_number_label)
    admit = rng.choice(("Date of admission", "Admission date", "Admitted"))
    leave = rng.choice(("Date of discharge", "Discharge date", "Discharged"))
    ward = [
        ("Ward", [ids["ward"]]),
        ("Consultant", [ids["consultant"]]),
        (admit, [ids["admitted"]]),
        (leave, [ids["discharged"]]),
    ]
    grey = rng.choice((0, 90, 110))
    if sticker:
        lines = [
            ("", rx_values.patient_name),
            ("DOB:", f"{ids['born']}   {ids['sex']}"),
            (f"{number_label}:", ids["number"]),
        ]
        lines += [("", line) for line in rx_values.address] + [(health_label, ids["health"])]
        bottom = _sticker(page, rng, lines, right, y)
        x1 = right - page.px(3.9)
        step = page.line_step(value_font)
        base = y + value_font.size
        for label, value in ward:
            rx.labelled(page, left, base, f"{label}:", value[0], label_font, value_font, x1)
            base += step
        return max(bottom, base) + page.px(0.2)
    name_label = rng.choice(("Patient name", "Name", "Patient", "Surname, forename(s)"))
    rows = [
        [
            (name_label, [rx_values.patient_name]),
            (number_label, [ids["number"]]),
            ("Date of birth", [ids["born"]]),
        ],
        ward,
    ]
    if rx_values.address or rng.random() < 0.5:
        rows.insert(
            1, [(rng.choice(("Address", "Home address")), rx_values.address), (health_label, [ids["health"]])]
        )
    return _grid(page, rows, left, right, y, (label_font, value_font), grey) + page.px(0.2)


def _columns(rng: random.Random) -> list[str]:
    """The table's columns, by kind: number, drug (or drug with strength), dose, extras, directions."""
    columns = ["drug", "dose"] if rng.random() < 0.75 else ["drug_dose"]
    if rng.random() < 0.3:
        columns.insert(0, "number")
    extras = [kind for _header, kind in EXTRA_COLUMNS if rng.random() < 0.6]
    if "route" in extras:
        columns.append("route")
    columns.append("directions")
    columns += [kind for kind in extras if kind != "route"]
    return columns


WEIGHTS = {
    "number": 0.05,
    "drug": 0.24,
    "drug_dose": 0.34,
    "dose": 0.11,
    "route": 0.08,
    "directions": 0.27,
    "duration": 0.12,
    "qty": 0.08,
    "status": 0.1,
}


def _table(
    page: Page, rng: random.Random, rx_values: rx.Rx, columns: list[str], left: int, right: int, y: int
) -> int:
    """The ruled medicines table, a header row over one row per medicine; returns y below it."""
    headers = {
        "number": "No.",
        "drug": rng.choice(DRUG_HEADERS),
        "drug_dose": rng.choice(("Medicine and strength", "Drug / strength", "Medication (name, strength)")),
        "dose": rng.choice(DOSE_HEADERS),
        "directions": rng.choice(DIRECTION_HEADERS),
        **{kind: header for header, kind in EXTRA_COLUMNS},
    }
    total = sum(WEIGHTS[c] for c in columns)
    edges = [left]
    for kind in columns:
        edges.append(edges[-1] + round((right - left) * WEIGHTS[kind] / total))
    edges[-1] = right
    head_font = page.font(bold=True, scale=rng.uniform(0.78, 0.9), family=page.style.label)
    cell_font = page.font(bold=False, scale=rng.uniform(0.88, 1.0))
    row_h = round(cell_font.size * rng.uniform(1.9, 2.5))
    pad, thick = page.px(0.06), rng.choice((0.6, 0.8, 1.0))
    c = content(rng)
    top = y
    if rng.random() < 0.5:
        page.draw.rectangle((left, top, right, top + row_h), fill=rng.randint(200, 228))
    rows = [[headers[kind] for kind in columns]]
    for n, (med, direction) in enumerate(zip(rx_values.meds, rx_values.directions, strict=True), 1):
        name, text = med
        unit = text.rsplit(" ", 1)[1]
        cells = {
            "number": str(n),
            "drug": name,
            "drug_dose": text,
            "dose": rx.dose_of(med),
            "directions": direction,
        }
        rows.append([cells.get(kind) or discharge.cell(c, kind, unit, name) for kind in columns])
    page.rule(left, right, top, thick)
    for r, row in enumerate(rows):
        font = head_font if r == 0 else cell_font
        base = y + row_h - round(row_h * 0.33)
        for i, cell in enumerate(row):
            page.text(edges[i] + pad, base, cell, page.fit(cell, font, edges[i + 1] - edges[i] - 2 * pad))
        y += row_h
        page.rule(left, right, y, thick)
    for x in edges[:-1]:
        rx.vline(page, x, top, y, thick)
    rx.vline(page, right - max(1, round(thick * page.dpi / 72)) + 1, top, y, thick)
    return y


def _after_table(
    page: Page, rng: random.Random, rx_values: rx.Rx, ids: dict[str, str], left: int, right: int, y: int
) -> int:
    """Repeats, allergies, medicines stopped and follow-up under the table; returns y below."""
    label = page.font(bold=True, scale=0.9, family=page.style.label)
    value = page.font(bold=False, scale=0.95)
    step = round(page.line_step(value) * 1.25)
    y += page.px(0.35)
    rows = [(rng.choice(REPEAT_LABELS) + ":", rx_values.refills)]
    if rng.random() < 0.7:
        rows.append((rng.choice(("Allergies:", "Drug allergies:", "Allergies / ADRs:")), ids["allergies"]))
    if rng.random() < 0.35:
        stopped = content(rng).choice(
            [name for name, *_ in values.MEDICINES if name not in {n for n, _ in rx_values.meds}]
        )
        rows.append(("Medicines stopped:", f"{stopped} ({content(rng).choice(discharge.STOPPED_REASONS)})"))
    if rng.random() < 0.6:
        rows.append(
            (
                rng.choice(("Follow-up:", "Information for GP:", "Follow up arrangements:")),
                content(rng).choice(discharge.FOLLOW_UPS),
            )
        )
    rng.shuffle(rows)
    for text, answer in rows:
        rx.labelled(page, left, y, text, answer, label, value, right)
        y += step
    return y


def _signature(
    page: Page, rng: random.Random, rx_values: rx.Rx, country: intl.Country, left: int, right: int, y: int
) -> None:
    """The discharging doctor's name, signature, registration number and the date, at the end."""
    label = page.font(bold=rng.random() < 0.6, scale=rng.uniform(0.8, 0.95), family=page.style.label)
    value = page.font(bold=False)
    doctor_label, date_label = rng.choice(DOCTOR_LABELS), rng.choice(DATE_LABELS)
    registration = f"{REGISTRATION[country.code]} {content(rng).randint(1000000, 9999999)}"
    if rng.random() < 0.5:
        # Three ruled cells side by side: name, signature, date.
        cells = [(doctor_label, [rx_values.prescriber]), ("Signature", [""]), (date_label, [rx_values.date])]
        height = round(label.size * 1.6 + value.size * 1.5 + page.px(0.1))
        edges = [left, left + round((right - left) * 0.45), left + round((right - left) * 0.72), right]
        for (text, lines), x0, x1 in zip(cells, edges, edges[1:], strict=False):
            rx.labelled_box(page, x0, y, x1, y + height, text, lines, label, value, 0, 0.7)
        y += height + page.line_step(value)
        page.text(
            left,
            y,
            f"{registration}   Bleep {content(rng).randint(1000, 9999)}",
            page.font(bold=False, scale=0.8),
        )
        return
    step = round(page.line_step(value) * 1.5)
    rx.labelled(page, left, y, f"{doctor_label}:", rx_values.prescriber, label, value, right)
    y += step
    x = left + page.text(left, y, "Signature:", label) + page.px(0.1)
    page.rule(x, x + page.px(2.2), y + page.px(0.03), 0.6)
    page.text(x + page.px(2.5), y, registration, page.font(bold=False, scale=0.85))
    y += step
    rx.labelled(page, left, y, f"{date_label}:", rx_values.date, label, value, right)
    if rng.random() < 0.5:
        checked = rng.choice(("Pharmacist check:", "Screened by pharmacist:", "Clinically checked:"))
        page.text(left + page.px(3.6), y, checked, label)
        page.rule(
            left + page.px(3.6) + page.width(checked, label) + page.px(0.1), right, y + page.px(0.03), 0.6
        )


def _page_foot(page: Page, number: int, total: int) -> None:
    font = page.font(bold=False, scale=0.75, family=page.style.label)
    page.text(
        page.image.width // 2, page.image.height - page.px(0.45), f"Page {number} of {total}", font, "center"
    )


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    country = intl.pick_country(rng)
    style = rng.choice(intl.DATE_STYLES)
    look = pick_style(rng)
    sticker = rng.random() < 0.4
    rx_values, ids = discharge.discharge_values(rng, country, style, sticker)
    ids["number_label"] = rng.choice(NUMBER_LABELS)
    first = Page(dpi, look)
    left = first.px(rng.uniform(0.5, 0.8))
    right = first.image.width - first.px(rng.uniform(0.5, 0.8))
    y = _header(first, rng, country, left, right)
    y = _band(first, rng, rx_values, ids, country, sticker, left, right, y)
    y = _table(first, rng, rx_values, _columns(rng), left, right, y + first.px(0.15))
    two_pages = rng.random() < 0.5 or y > first.image.height - first.px(4.0)
    if not two_pages:
        y = _after_table(first, rng, rx_values, ids, left, right, y)
        _signature(first, rng, rx_values, country, left, right, y + first.px(0.5))
        return rx_values.truth(), [first.image]
    second = Page(dpi, look)
    small = second.font(bold=False, scale=0.85, family=look.label)
    # The notes under the table stay on page one, or go over with the signature.
    notes_on_first = rng.random() < 0.5
    if notes_on_first:
        _after_table(first, rng, rx_values, ids, left, right, y)
    repeat = f"{rx_values.patient_name}   {ids['number_label']} {ids['number']}   {ids['born']}"
    second.text(left, second.px(0.7), repeat, small)
    second.rule(left, right, second.px(0.8), 0.6)
    y = second.px(rng.uniform(1.1, 1.5))
    if not notes_on_first:
        heading = rng.choice(("Discharge information", "INFORMATION FOR THE GP", "Notes"))
        second.text(left, y, heading, second.font(bold=True, scale=1.1, family=look.label))
        y = _after_table(second, rng, rx_values, ids, left, right, y)
    _signature(second, rng, rx_values, country, left, right, y + second.px(rng.uniform(0.4, 0.9)))
    _page_foot(first, 1, 2)
    _page_foot(second, 2, 2)
    return rx_values.truth(), [first.image, second.image]
