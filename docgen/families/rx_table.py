"""A hospital discharge prescription: bold caps labels, a ruled Medicine | Dose | Directions table."""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.families import _rx_common as rx

FAMILY = "rx_table"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "hospital discharge prescription: heading, BOLD CAPS labels beside values, a medicine table "
    "ruled as a grid or under its header only (Medicine | Dose | Directions, sometimes a Route "
    "column, Qty or Duration, a reason or a status no field holds), refills"
)

HEADINGS = (
    "DISCHARGE PRESCRIPTION",
    "Discharge medications",
    "DISCHARGE MEDICATION ORDER",
    "Medications on discharge",
    "TAKE-HOME MEDICATIONS",
    "Discharge Prescription",
)
NAME_LABELS = ("PATIENT NAME", "PATIENT", "NAME", "PT NAME", "NAME OF PATIENT")
DATE_LABELS = ("DATE", "DISCHARGE DATE", "DATE OF DISCHARGE", "DATE PRESCRIBED", "RX DATE")
ADDRESS_LABELS = ("ADDRESS", "HOME ADDRESS", "PATIENT ADDRESS", "ADDR")
PRESCRIBER_LABELS = (
    "PRESCRIBING PHYSICIAN",
    "ATTENDING PHYSICIAN",
    "DISCHARGING DOCTOR",
    "PRESCRIBER",
    "CONSULTANT",
    "PRESCRIBING CLINICIAN",
)
MEDICINE_HEADERS = ("Medicine", "Medication", "Drug", "Drug name", "MEDICINE")
DOSE_HEADERS = ("Dose", "Strength", "DOSE")
DIRECTION_HEADERS = ("Directions", "Instructions", "Sig", "How to take", "DIRECTIONS")
EXTRA_HEADERS = ("Qty", "Duration", "Quantity", "Days")
# Columns discharge tables print that no field of a prescription holds: how the medicine is
# taken, what it is for, and whether it is new or changed at discharge.
ROUTE_HEADERS = ("Route", "Route", "ROUTE")
ROUTES = ("Oral", "PO", "By mouth", "Oral", "PO")
REASON_HEADERS = ("Reason", "Indication", "For", "Purpose")
REASONS = (
    "blood pressure", "pain", "cholesterol", "infection", "diabetes", "stomach", "heart",
    "thyroid", "allergy", "mood", "gout", "asthma", "sleep", "swelling",
)  # fmt: skip
STATUS_HEADERS = ("Status", "New/Continue", "Change")
STATUSES = ("NEW", "CONTINUE", "CHANGED", "New", "Continue", "Changed")
WARDS = ("4B", "Ward 7", "Cardiology", "Surgical 2", "Medical 3A", "Orthopaedics", "ICU step-down")


def _extra_cell(rng: random.Random, header: str) -> str:
    if header in ("Qty", "Quantity"):
        return str(rng.choice((7, 10, 14, 20, 28, 30, 56, 60, 90)))
    if header == "Days":
        return str(rng.choice((3, 5, 7, 10, 14, 28, 30)))
    return rng.choice(("5 days", "7 days", "10 days", "2 weeks", "1 month", "ongoing", "3 months"))


def _header(page: Page, rng: random.Random, left: int, right: int) -> int:
    y = page.px(rng.uniform(0.6, 0.9))
    small = page.font(bold=False, scale=0.85, family=page.style.label)
    name = rx.hospital_name(rng)
    big = page.font(bold=True, scale=rng.uniform(1.2, 1.5), family=page.style.label)
    centred = rng.random() < 0.6
    x, align = ((left + right) // 2, "center") if centred else (left, "left")
    y += big.size
    page.text(x, y, name, page.fit(name, big, right - left), align=align)
    y += page.line_step(small) + page.px(0.05)
    contact = f"{values.street(rng)}, {values.city_line(rng)}"
    if rng.random() < 0.6:
        contact += f"   {rx.extras_line(rng)}"
    page.text(x, y, contact, page.fit(contact, small, right - left), align=align)
    y += page.px(0.2)
    page.rule(left, right, y, rng.choice((0.8, 1.6)))
    y += page.px(rng.uniform(0.45, 0.6))
    heading = rng.choice(HEADINGS)
    head_font = page.font(bold=True, scale=rng.uniform(1.1, 1.4), family=page.style.label)
    if rng.random() < 0.6:
        page.text((left + right) // 2, y, heading, head_font, align="center")
    else:
        page.text(left, y, heading, head_font)
    return y + page.px(rng.uniform(0.45, 0.65))


def _details(page: Page, rng: random.Random, values_: rx.Rx, left: int, right: int, y: int) -> int:
    """Bold caps labels in a column, values beside them at one x; returns y below."""
    colon = rng.choice((":", "", ":"))
    label = page.font(bold=True, scale=rng.uniform(0.85, 1.0), family=page.style.label)
    value = page.font(bold=False)
    rows = [
        (rng.choice(NAME_LABELS), [values_.patient_name]),
        (rng.choice(DATE_LABELS), [values_.date]),
    ]
    if values_.address or rng.random() < 0.5:
        rows.append((rng.choice(ADDRESS_LABELS), values_.address))
    if rng.random() < 0.5:
        rows.insert(
            1, ("MRN" if rng.random() < 0.5 else "HOSPITAL NO", [str(rng.randint(1000000, 99999999))])
        )
    if rng.random() < 0.3:
        rows.append(("WARD", [rng.choice(WARDS)]))
    rows.append((rng.choice(PRESCRIBER_LABELS), [values_.prescriber]))
    if rng.random() < 0.4:
        rows.insert(rng.randint(0, len(rows)), rows.pop())  # the prescriber is not always last
    value_x = (
        left + max(page.width(name + colon, label) for name, _lines in rows) + page.px(rng.uniform(0.2, 0.5))
    )
    step = round(page.line_step(value) * rng.uniform(1.05, 1.35))
    boxed = rng.random() < 0.4
    for name, lines in rows:
        page.text(left, y, name + colon, label)
        for line in lines or [""]:
            page.text(value_x, y, line, page.fit(line, value, right - value_x))
            y += page.line_step(value) if len(lines) > 1 else 0
        if len(lines) <= 1:
            y += step
        if boxed:
            page.rule(left, right, y - round(value.size * 1.05) + (step - round(value.size * 1.05)) // 3, 0.5)
    return y + page.px(rng.uniform(0.3, 0.5))


def _other_columns(rng: random.Random) -> list[tuple[int, str, tuple[str, ...]]]:
    """Columns of no field's, each with where it goes (-1: last), its header and its cells'
    choices: a route after the dose, a reason or a status at the end, a status first."""
    columns = []
    if rng.random() < 0.3:
        columns.append((2, rng.choice(ROUTE_HEADERS), ROUTES))
    if rng.random() < 0.25:
        columns.append((-1, rng.choice(REASON_HEADERS), REASONS))
    if rng.random() < 0.2:
        columns.append((rng.choice((0, -1)), rng.choice(STATUS_HEADERS), STATUSES))
    return columns


def _table(page: Page, rng: random.Random, values_: rx.Rx, left: int, right: int, y: int) -> int:
    """The ruled medicines table; returns y below it."""
    headers = [rng.choice(MEDICINE_HEADERS), rng.choice(DOSE_HEADERS), rng.choice(DIRECTION_HEADERS)]
    weights = [0.3, 0.15, 0.55]
    extra = rng.choice(EXTRA_HEADERS) if rng.random() < 0.45 else ""
    if extra:
        headers.append(extra)
        weights = [0.28, 0.14, 0.46, 0.12]
    others = _other_columns(rng)
    for at, header, _cells in others:
        headers.insert(at if at >= 0 else len(headers), header)
        weights.insert(at if at >= 0 else len(weights), 0.11 if header in ROUTE_HEADERS else 0.14)
    if rng.random() < 0.3:
        headers = [h.upper() for h in headers]
    total = right - left
    weights = [w / sum(weights) for w in weights]
    edges = [left]
    for w in weights:
        edges.append(edges[-1] + round(total * w))
    edges[-1] = right
    head_font = page.font(bold=True, scale=0.95, family=page.style.label)
    cell_font = page.font(bold=False, scale=rng.uniform(0.9, 1.0))
    pad = page.px(0.08)
    # Most tables are ruled as a grid; some only underline their header, columns kept apart by
    # their spacing alone.
    ruled = rng.random() < 0.7
    row_h = round(cell_font.size * (rng.uniform(1.9, 2.4) if ruled else rng.uniform(1.5, 1.9)))
    thick = rng.choice((0.6, 0.8, 1.0))
    top = y
    shade = ruled and rng.random() < 0.4
    if shade:
        page.draw.rectangle((left, top, right, top + row_h), fill=max(0, page.style.paper - 30))
    if ruled:
        page.rule(left, right, top, thick)
    for i, header in enumerate(headers):
        page.text(
            edges[i] + pad,
            top + row_h - round(row_h * 0.32),
            header,
            page.fit(header, head_font, edges[i + 1] - edges[i] - 2 * pad),
        )
    y = top + row_h
    page.rule(left, right, y, thick)
    for (name, _text), direction in zip(values_.meds, values_.directions, strict=True):
        cells = [name, rx.dose_of((name, _text)), direction]
        if extra:
            cells.append(_extra_cell(rng, extra))
        for at, _header, choices in others:
            cells.insert(at if at >= 0 else len(cells), rng.choice(choices))
        base = y + row_h - round(row_h * 0.32)
        for i, cell in enumerate(cells):
            page.text(
                edges[i] + pad, base, cell, page.fit(cell, cell_font, edges[i + 1] - edges[i] - 2 * pad)
            )
        y += row_h
        if ruled:
            page.rule(left, right, y, thick)
    if ruled:
        for x in edges[:-1]:
            rx.vline(page, x, top, y, thick)
        rx.vline(page, right - max(1, round(thick * page.dpi / 72)) + 1, top, y, thick)
    return y


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    values_ = rx.draw_rx(rng, max_meds=4, multiline_address=0.25, sig_style="short")
    page = Page(dpi, pick_style(rng))
    left = page.px(rng.uniform(0.6, 0.9))
    right = page.image.width - page.px(rng.uniform(0.6, 0.9))
    y = _header(page, rng, left, right)
    y = _details(page, rng, values_, left, right, y)
    y = _table(page, rng, values_, left, right, y) + page.px(rng.uniform(0.5, 0.7))
    label = page.font(bold=True, family=page.style.label)
    refill_label = rng.choice(("Refills:", "REFILLS:", "Refills", "No. of refills:", "Repeats:"))
    end = rx.labelled(page, left, y, refill_label, values_.refills, label, page.font(bold=False), right)
    if rng.random() < 0.3:
        page.text(end + page.px(0.1), y, "times", page.font(False, 0.85, page.style.label))
    if rng.random() < 0.5:
        y += page.px(1.0)
        page.rule(right - page.px(3.0), right, y, 0.7)
        page.text(
            right - page.px(3.0),
            y + page.px(0.25),
            rng.choice(("Signature", "Physician signature", "Signed")),
            page.font(bold=False, scale=0.8, family=page.style.label),
        )
    if rng.random() < 0.5:
        rx.footer(page, rng)
    return values_.truth(), [page.image]
