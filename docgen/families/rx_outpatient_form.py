"""A hospital outpatient prescription form, letter or A5: every field in a ruled box with a small
grey caption in its corner (patient, hospital number, date of birth, address, date), the
medicines written in one tall box with each medicine's directions on the line under it (or in a
Drug | Dose and frequency | Quantity grid), the refills ticked in a row of boxes when few or
written when many, and a footer of boxes for the prescriber's signature, printed name and date.
"""

from __future__ import annotations

import random

from PIL import Image

from docgen.canvas import Page, pick_style
from docgen.families import _rx_common as rx

FAMILY = "rx_outpatient_form"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "outpatient form: captions in box corners, medicines with directions under each in one tall "
    "box or a grid, refills ticked or written, prescriber and date in footer boxes"
)

A5_INCHES = (5.83, 8.27)
TITLES = (
    "OUTPATIENT PRESCRIPTION",
    "Hospital Prescription",
    "PRESCRIPTION FORM",
    "Outpatient Medication Order",
)
NAME_CAPTIONS = ("Patient's name", "Name of patient", "Patient name", "Surname, first name", "Full name")
NUMBER_CAPTIONS = ("Hospital no.", "MRN", "Unit number", "Patient ID")
DOB_CAPTIONS = ("Date of birth", "DOB", "D.O.B.")
ADDRESS_CAPTIONS = ("Address", "Patient's address", "Home address", "Address (with postcode)")
DATE_CAPTIONS = ("Date", "Date of issue", "Date prescribed", "Date written")
PRESCRIBER_CAPTIONS = ("Prescriber (print name)", "Name of prescriber", "Doctor's name", "Prescribed by")
SIGNATURE_CAPTIONS = ("Signature of prescriber", "Prescriber's signature", "Signed")
MEDICINE_CAPTIONS = (
    "Medicine, strength, dose and directions",
    "Drug (approved name), dose, frequency",
    "Medication and instructions",
    "Rx",
)
GRID_HEADERS = (("Drug", "Dose and frequency", "Quantity"), ("Medicine", "Directions", "Qty"))
REFILL_CAPTIONS = ("Refills", "Number of repeats", "Repeats", "No. of refills")
TICKABLE_REFILLS = ("0", "1", "2", "3")


class Form:
    def __init__(self, rng: random.Random, dpi: int) -> None:
        self.rng = rng
        small = rng.random() < 0.4
        self.page = Page(dpi, pick_style(rng), inches=A5_INCHES) if small else Page(dpi, pick_style(rng))
        p = self.page
        self.left = p.px(rng.uniform(0.35, 0.6))
        self.right = p.image.width - p.px(rng.uniform(0.35, 0.6))
        scale = 0.85 if small else 1.0
        self.caption = p.font(
            bold=rng.random() < 0.3, scale=rng.uniform(0.6, 0.72) * scale, family=p.style.label
        )
        self.value = p.font(bold=False, scale=rng.uniform(0.92, 1.02) * scale)
        self.grey = rng.choice((0, 70, 110))
        self.box_h = round(self.caption.size * 1.4 + self.value.size * rng.uniform(1.6, 2.1))
        self.y = p.px(rng.uniform(0.35, 0.6))

    def boxes(self, items: list[tuple[str, list[str], float]], rows: int = 1) -> None:
        """A row of captioned boxes across the form, each ``share`` of its width, ``rows`` value
        lines tall."""
        p = self.page
        height = self.box_h + (rows - 1) * p.line_step(self.value)
        x = float(self.left)
        total = sum(share for _, _, share in items)
        for caption, lines, share in items:
            end = x + (self.right - self.left) * share / total
            rx.labelled_box(
                p,
                round(x),
                self.y,
                round(end),
                self.y + height,
                caption,
                lines,
                self.caption,
                self.value,
                self.grey,
            )
            x = end
        self.y += height


def _medicines_box(form: Form, values_: rx.Rx) -> None:
    """One tall box: each medicine on a line, its directions on the line under it, indented."""
    p, rng = form.page, form.rng
    step = p.line_step(form.value)
    lines = 2 * len(values_.meds) + 1
    top, bottom = form.y, form.y + form.caption.size * 2 + lines * step + p.px(0.2)
    rx.box(p, form.left, top, form.right, bottom)
    pad = p.px(0.07)
    rx.grey_text(
        p,
        form.left + pad,
        top + pad + form.caption.size,
        rng.choice(MEDICINE_CAPTIONS),
        form.caption,
        form.grey,
    )
    y = top + form.caption.size * 2 + step
    numbered = rng.random() < 0.4
    for index, ((_name, text), direction) in enumerate(zip(values_.meds, values_.directions, strict=True), 1):
        x = form.left + 3 * pad
        if numbered:
            x += p.text(x, y, f"{index}.", form.value) + p.px(0.12)
        p.text(x, y, text, p.fit(text, form.value, form.right - x - pad))
        y += step
        indent = x + p.px(rng.uniform(0.2, 0.4))
        p.text(indent, y, direction, p.fit(direction, form.value, form.right - indent - pad))
        y += round(step * 1.25)
    form.y = bottom


def _medicines_grid(form: Form, values_: rx.Rx) -> None:
    """A ruled grid: drug and strength | directions | quantity, one medicine a row."""
    p, rng = form.page, form.rng
    headers = rng.choice(GRID_HEADERS)
    shares = (0.38, 0.47, 0.15)
    edges = [form.left]
    for share in shares:
        edges.append(edges[-1] + round((form.right - form.left) * share))
    edges[-1] = form.right
    row_h = round(form.value.size * 2.1)
    top = form.y
    rows = [list(headers)] + [
        [text, direction, str(rng.choice((7, 14, 21, 28, 30, 56, 60)))]
        for (_name, text), direction in zip(values_.meds, values_.directions, strict=True)
    ]
    pad = p.px(0.06)
    for r, cells in enumerate(rows):
        font = form.caption if r == 0 else form.value
        base = top + (r + 1) * row_h - row_h // 3
        for c, cell in enumerate(cells):
            p.text(edges[c] + pad, base, cell, p.fit(cell, font, edges[c + 1] - edges[c] - 2 * pad))
        p.rule(form.left, form.right, top + r * row_h, 0.7)
    bottom = top + len(rows) * row_h
    p.rule(form.left, form.right, bottom, 0.7)
    for x in edges[:-1]:
        rx.vline(p, x, top, bottom)
    rx.vline(p, form.right - 1, top, bottom)
    form.y = bottom


def _refills(form: Form, refills: str) -> None:
    """Refills ticked in a row of boxes 0-3, or written beside their caption when more."""
    p, rng = form.page, form.rng
    form.y += p.px(0.25)
    caption = rng.choice(REFILL_CAPTIONS)
    label = p.font(bold=False, scale=0.85, family=p.style.label)
    base = form.y + label.size
    x = form.left + p.text(form.left, base, caption + ":", label) + p.px(0.2)
    if refills in TICKABLE_REFILLS and rng.random() < 0.7:
        size = round(label.size * 0.8)
        for option in TICKABLE_REFILLS:
            rx.tick_box(p, x, base, size, option == refills)
            x += size + p.px(0.08)
            x += p.text(x, base, option, label) + p.px(0.3)
    else:
        p.text(x, base, refills, form.value)
    form.y = base + p.px(0.2)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    values_ = rx.draw_rx(
        rng, max_meds=3, multiline_address=0.3, sig_style=rng.choice(("sig", "short", "full"))
    )
    form = Form(rng, dpi)
    p = form.page
    name = rx.hospital_name(rng)
    head = p.font(bold=True, scale=1.15, family=p.style.label)
    base = form.y + head.size
    p.text(form.left, base, name, p.fit(name, head, (form.right - form.left) * 6 // 10))
    title = rng.choice(TITLES)
    p.text(
        form.right,
        base,
        title,
        p.fit(title, p.font(bold=True, scale=0.95, family=p.style.label), (form.right - form.left) * 4 // 10),
        "right",
    )
    form.y = base + p.px(0.25)
    number = str(rng.randint(1_000_000, 9_999_999))
    first = [
        (rng.choice(NAME_CAPTIONS), [values_.patient_name], 0.5),
        (rng.choice(NUMBER_CAPTIONS), [number], 0.25),
    ]
    if rng.random() < 0.6:
        first.append((rng.choice(DOB_CAPTIONS), [rx.birth_date(rng)], 0.25))
    form.boxes(first)
    date_box = (rng.choice(DATE_CAPTIONS), [values_.date], 0.3)
    address_rows = max(1, len(values_.address))
    date_on_top = rng.random() < 0.5
    form.boxes(
        [(rng.choice(ADDRESS_CAPTIONS), values_.address, 0.7)] + ([date_box] if date_on_top else []),
        address_rows,
    )
    form.y += p.px(0.15)
    if rng.random() < 0.6:
        _medicines_box(form, values_)
    else:
        _medicines_grid(form, values_)
    _refills(form, values_.refills)
    form.y += p.px(0.1)
    footer = [
        (rng.choice(SIGNATURE_CAPTIONS), [], 0.35),
        (rng.choice(PRESCRIBER_CAPTIONS), [values_.prescriber], 0.4),
    ]
    if not date_on_top:
        footer.append(date_box)
    form.boxes(footer, rows=2)
    rx.scribble(p, rng, form.left + p.px(0.15), form.left + p.px(1.0), form.y - p.px(0.1))
    if rng.random() < 0.5:
        rx.footer(p, rng)
    return values_.truth(), [p.image]
