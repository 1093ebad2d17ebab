"""A prescription printed from an electronic health record system, as clinics fax and mail them.

What it brings that hand-filled pads do not: every value beside others the form does not ask for
and that look like them. A printed-on timestamp and a date of birth beside the prescription's
date, the patient's phone, MRN and sex beside their name, an allergy that is a drug's name above
the medicines, a pharmacy with its own address and phone, the prescriber's NPI and DEA numbers,
and the prescriber named after "Electronically signed by". Medicines come one block each
(medication, sig, dispense with the count spelled out, substitution), refills per block or once
for all. Truth follows ``_rx_common.Rx``.
"""

from __future__ import annotations

import random

from PIL import Image, ImageFont

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _rx_common as rx

FAMILY = "rx_ehr_printout"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "prescription printed from an electronic health record: practice header and a printed-on "
    "timestamp, patient block of 'Label: value' pairs in one or two columns with DOB, MRN, sex and "
    "phone beside the fields asked for, an allergy line, one block per medicine (Medication / Sig / "
    "Dispense / Substitution), a pharmacy with its own address and phone, 'Electronically signed "
    "by' the prescriber with NPI and DEA"
)

Font = ImageFont.FreeTypeFont

TITLES = (
    "PRESCRIPTION",
    "Prescription",
    "Outpatient Prescription",
    "Medication Order",
    "e-Prescription (printed copy)",
    "PRESCRIPTION RECORD",
)
NAME_LABELS = ("Patient:", "Patient Name:", "Name:", "Patient name:")
DATE_LABELS = ("Date written:", "Date:", "Prescribed on:", "Date issued:", "Rx date:")
ADDRESS_LABELS = ("Address:", "Patient address:", "Home address:")
MEDICATION_LABELS = ("Medication:", "Drug:", "Medication prescribed:", "Rx:")
SIG_LABELS = ("Sig:", "Directions:", "Instructions:", "SIG:")
DISPENSE_LABELS = ("Dispense:", "Quantity:", "Qty:", "Disp:")
REFILL_LABELS = ("Refills:", "Refills authorized:", "No. of refills:")
PRESCRIBER_LABELS = ("Prescriber:", "Prescribing provider:", "Provider:", "Physician:")
SIGNED_LABELS = ("Electronically signed by:", "E-signed by:", "Signed electronically by:")
PHARMACIES = (
    "Walgreens",
    "CVS Pharmacy",
    "Rite Aid",
    "Kroger Pharmacy",
    "Costco Pharmacy",
    "Walmart Pharmacy",
    "Publix Pharmacy",
    "Safeway Pharmacy",
)
ALLERGIES = ("NKDA", "No known drug allergies", "Penicillin", "Sulfa drugs", "Codeine", "Aspirin", "Latex")
COUNTS = {14: "fourteen", 20: "twenty", 28: "twenty-eight", 30: "thirty", 60: "sixty", 90: "ninety"}
SUBSTITUTIONS = ("Permitted", "Allowed", "Dispense as written", "Not permitted")


def _header(page: Page, rng: random.Random, left: int, right: int) -> int:
    """Practice name, its address and phone/fax lines, a printed-on stamp; returns the y below."""
    big = page.font(bold=True, scale=rng.uniform(1.15, 1.5), family=page.style.label)
    small = page.font(bold=False, scale=rng.uniform(0.75, 0.9), family=page.style.label)
    y = page.px(rng.uniform(0.55, 0.8)) + big.size
    stamp_y = page.px(0.4) + small.size
    centred = rng.random() < 0.4
    x, align = ((left + right) // 2, "center") if centred else (left, "left")
    name = rx.hospital_name(rng) if rng.random() < 0.4 else rx.clinic_name(rng)
    page.text(x, y, name, page.fit(name, big, right - left), align)
    y += page.line_step(small) + page.px(0.05)
    for line in (f"{values.street(rng)}, {values.city_line(rng)}", rx.extras_line(rng)):
        page.text(x, y, line, page.fit(line, small, right - left), align)
        y += page.line_step(small)
    vals = content(rng)
    if rng.random() < 0.7:  # the system's time of printing: a date that is not the prescription's
        stamp = (
            f"Printed {values.date_text(vals, 2015, 2025)} {vals.randint(1, 12)}:{vals.randint(0, 59):02d}"
        )
        page.text(right, stamp_y, stamp + rng.choice((" AM", " PM")), small, "right")
    page.rule(left, right, y, rng.choice((0.6, 1.0, 2.0)))
    return y + page.px(rng.uniform(0.35, 0.55))


def _title(page: Page, rng: random.Random, left: int, right: int, y: int) -> int:
    font = page.font(bold=True, scale=rng.uniform(1.1, 1.35), family=page.style.label)
    title = rng.choice(TITLES)
    if rng.random() < 0.5:
        page.text((left + right) // 2, y, title, font, "center")
    else:
        page.text(left, y, title, font)
    return y + round(page.line_step(font) * 1.3)


def _pairs(
    page: Page,
    y: int,
    columns: list[list[tuple[str, list[str]]]],
    left: int,
    right: int,
    fonts_: tuple[Font, Font],
    step: int,
) -> int:
    """Columns of 'Label: value' rows side by side (``rx.labelled_columns``), ``step`` apart;
    returns the y under the longest column."""
    return rx.labelled_columns(page, y, columns, left, right, fonts_, (step, page.line_step(fonts_[1])), 20)


def _patient(
    page: Page, rng: random.Random, data: rx.Rx, left: int, right: int, y: int, fonts_: tuple[Font, Font]
) -> int:
    """The patient block: the fields asked for among DOB, sex, MRN and phone."""
    vals = content(rng)
    step = round(page.line_step(fonts_[1]) * rng.uniform(1.15, 1.45))
    name = (rng.choice(NAME_LABELS), [data.patient_name])
    date = (rng.choice(DATE_LABELS), [data.date])
    dob = (rng.choice(("DOB:", "Date of birth:", "D.O.B.:")), [rx.birth_date(vals)])
    sex = ("Sex:", [vals.choice(("M", "F", "Male", "Female"))])
    mrn = (rng.choice(("MRN:", "Patient ID:", "Chart #:")), [str(vals.randint(100000, 99999999))])
    phone = (rng.choice(("Phone:", "Tel:", "Home phone:")), [values.phone(vals)])
    address = (rng.choice(ADDRESS_LABELS), data.address)
    if rng.random() < 0.55:
        left_column = [name, dob, sex] if rng.random() < 0.6 else [name, sex, dob]
        right_column = [mrn, date, phone] if rng.random() < 0.5 else [date, mrn, phone]
        y = _pairs(page, y, [left_column, right_column], left, right, fonts_, step)
        rows = [address] if data.address or rng.random() < 0.5 else []
    else:
        rows = (
            [date, name, dob, address, phone]
            if rng.random() < 0.5
            else [name, dob, sex, address, phone, date]
        )
        if not data.address and rng.random() < 0.5:
            rows.remove(address)
    y = _pairs(page, y, [rows], left, right, fonts_, step) if rows else y
    if rng.random() < 0.6:
        allergy = content(rng).choice(ALLERGIES)
        y = _pairs(page, y, [[("Allergies:", [allergy])]], left, right, fonts_, step)
    return y + page.px(rng.uniform(0.1, 0.3))


def _medicines(
    page: Page, rng: random.Random, data: rx.Rx, left: int, right: int, y: int, fonts_: tuple[Font, Font]
) -> tuple[int, bool]:
    """One block per medicine; returns the y below and whether refills were printed in the blocks."""
    label, value = fonts_
    if rng.random() < 0.6:
        heading = page.font(bold=True, scale=1.05, family=page.style.label)
        page.text(
            left, y, rng.choice(("Medications", "Prescribed medications", "MEDICATIONS", "Rx")), heading
        )
        page.rule(left, right, y + page.px(0.08), 0.6)
        y += round(page.line_step(heading) * 1.3)
    med_label, sig_label = rng.choice(MEDICATION_LABELS), rng.choice(SIG_LABELS)
    disp_label, refill_label = rng.choice(DISPENSE_LABELS), rng.choice(REFILL_LABELS)
    numbered, substitution = rng.random() < 0.5, rng.random() < 0.6
    per_block = len(data.meds) == 1 and rng.random() < 0.7
    indent = left + (page.px(0.3) if numbered else 0)
    step = page.line_step(value)
    vals = content(rng)
    for number, ((_name, text), direction) in enumerate(zip(data.meds, data.directions, strict=True), 1):
        if numbered:
            page.text(left, y, f"{number}.", label)
        rx.labelled(page, indent, y, med_label, text, label, value, right)
        y += step
        rx.labelled(page, indent, y, sig_label, direction, label, value, right)
        y += step
        count = vals.choice(list(COUNTS))
        noun = "mL" if text.endswith("ml") else vals.choice(("tablets", "capsules", "tablet(s)"))
        dispense = f"{count} ({COUNTS[count]}) {noun}"
        end = rx.labelled(page, indent, y, disp_label, dispense, label, value, (left + right) // 2)
        if per_block:
            rx.labelled(
                page,
                max(end + page.px(0.4), (left + right) // 2),
                y,
                refill_label,
                data.refills,
                label,
                value,
                right,
            )
        y += step
        if substitution:
            rx.labelled(page, indent, y, "Substitution:", vals.choice(SUBSTITUTIONS), label, value, right)
            y += step
        y += page.px(rng.uniform(0.1, 0.25))
    if not per_block:
        rx.labelled(page, left, y, refill_label, data.refills, label, value, right)
        y += step
    return y + page.px(0.15), per_block


def _pharmacy(
    page: Page, rng: random.Random, left: int, right: int, y: int, fonts_: tuple[Font, Font]
) -> int:
    """The pharmacy the prescription was sent to: its name, street, town and phone."""
    label, value = fonts_
    vals = content(rng)
    name = f"{vals.choice(PHARMACIES)} #{vals.randint(1000, 19999)}"
    end = rx.labelled(
        page,
        left,
        y,
        rng.choice(("Pharmacy:", "Send to pharmacy:", "Preferred pharmacy:")),
        name,
        label,
        value,
        right,
    )
    indent = end - page.width(name, value)
    y += page.line_step(value)
    page.text(indent, y, f"{values.street(vals)}, {values.city_line(vals)}", value)
    y += page.line_step(value)
    page.text(indent, y, f"Ph {values.phone(vals)}", value)
    return y + page.px(0.35)


def _prescriber(
    page: Page, rng: random.Random, data: rx.Rx, left: int, right: int, y: int, fonts_: tuple[Font, Font]
) -> int:
    """'Electronically signed by: Dr ...' or 'Prescriber: Dr ...', the signing time and the
    prescriber's NPI and DEA numbers on the lines under it."""
    label, value = fonts_
    small = page.font(bold=False, scale=0.85, family=page.style.label)
    signed = rng.random() < 0.6
    rx.labelled(
        page,
        left,
        y,
        rng.choice(SIGNED_LABELS if signed else PRESCRIBER_LABELS),
        data.prescriber,
        label,
        value,
        right,
    )
    y += page.line_step(value)
    vals = content(rng)
    numbers = f"{rx.npi_number(vals)}    {rx.dea_number(vals)}"
    if signed:
        numbers = f"on {values.date_text(vals, 2015, 2025)}    " + numbers
    page.text(left, y, numbers, small)
    return y + page.line_step(small)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    data = rx.draw_rx(rng, max_meds=3, multiline_address=0.35)
    page = Page(dpi, pick_style(rng))
    left = page.px(rng.uniform(0.6, 1.0))
    right = page.image.width - page.px(rng.uniform(0.6, 1.0))
    fonts_ = (page.font(bold=rng.random() < 0.5, family=page.style.label), page.font(bold=False))
    y = _header(page, rng, left, right)
    y = _title(page, rng, left, right, y)
    prescriber_first = rng.random() < 0.35
    if prescriber_first:
        y = _prescriber(page, rng, data, left, right, y, fonts_) + page.px(0.2)
    y = _patient(page, rng, data, left, right, y, fonts_)
    y, _per_block = _medicines(page, rng, data, left, right, y, fonts_)
    if rng.random() < 0.6:
        y = _pharmacy(page, rng, left, right, y, fonts_)
    if not prescriber_first:
        y = _prescriber(page, rng, data, left, right, max(y, page.image.height - page.px(2.2)), fonts_)
    small = page.font(bold=False, scale=0.7, family=page.style.label)
    page.text(right, page.image.height - page.px(0.45), "Page 1 of 1", small, "right")
    return data.truth(), [page.image]
