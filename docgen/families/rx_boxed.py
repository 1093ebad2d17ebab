"""A boxed grid prescription form: every value in a ruled box under a small label in its top-left corner."""

from __future__ import annotations

import random

from PIL import Image

from docgen.canvas import Page, pick_style
from docgen.families import _rx_common as rx

FAMILY = "rx_boxed"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "boxed grid form: small corner labels (PATIENT NAME, DATE, ADDRESS, PRESCRIBER, REFILLS) with the "
    "value inside each box, a large Rx box for the medicines and a Directions box"
)

TITLES = ("PRESCRIPTION", "Prescription Form", "OUTPATIENT PRESCRIPTION", "MEDICATION ORDER", "Rx FORM")
NAME_LABELS = ("PATIENT NAME", "Patient name", "NAME OF PATIENT", "PATIENT", "Full name of patient")
DATE_LABELS = ("DATE", "Date", "DATE OF ISSUE", "Rx date", "DATE WRITTEN")
ADDRESS_LABELS = ("ADDRESS", "Address", "PATIENT ADDRESS", "Home address")
PRESCRIBER_LABELS = ("PRESCRIBER", "Prescriber", "PRESCRIBING DOCTOR", "Physician name", "PRESCRIBER NAME")
REFILL_LABELS = ("REFILLS", "Refills", "NO. OF REFILLS", "REPEATS")
MEDICINE_LABELS = ("Rx", "MEDICATION", "Medication", "Rx / MEDICATION AND STRENGTH", "Drug and strength")
DIRECTION_LABELS = ("DIRECTIONS", "Directions", "INSTRUCTIONS", "Instructions for use", "SIG / DIRECTIONS")


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    values_ = rx.draw_rx(rng, max_meds=3, multiline_address=0.3, sig_style=rng.choice(("sig", "full")))
    page = Page(dpi, pick_style(rng, prefer="Comic Neue", prefer_weight=0.3))
    left = page.px(rng.uniform(0.6, 1.0))
    right = page.image.width - page.px(rng.uniform(0.6, 1.0))
    caps = rng.random() < 0.5
    label_font = page.font(bold=rng.random() < 0.5, scale=rng.uniform(0.62, 0.78), family=page.style.label)
    value_font = page.font(bold=False, scale=rng.uniform(1.0, 1.15))
    grey = rng.choice((0, 70, 110))
    thick = rng.choice((0.6, 0.8, 1.2))

    def label(options: tuple[str, ...]) -> str:
        text = rng.choice(options)
        return text.upper() if caps else text

    y = page.px(rng.uniform(0.6, 0.9))
    if rng.random() < 0.7:
        clinic = rx.clinic_name(rng)
        head = page.font(bold=True, scale=rng.uniform(1.1, 1.4), family=page.style.label)
        y += head.size
        page.text(left, y, clinic, head)
        small = page.font(bold=False, scale=0.8, family=page.style.label)
        line = rx.extras_line(rng)
        page.text(right, y, line, page.fit(line, small, (right - left) // 2), align="right")
        y += page.px(0.15)
    title_font = page.font(bold=True, scale=rng.uniform(1.3, 1.7), family=page.style.label)
    y += title_font.size + page.px(0.1)
    page.text((left + right) // 2, y, rng.choice(TITLES), title_font, align="center")
    y += page.px(rng.uniform(0.25, 0.4))

    line_h = page.line_step(value_font)
    head_h = page.px(0.07) + label_font.size + round(value_font.size * 1.35)
    one_h = head_h + line_h - round(value_font.size * 0.9) + page.px(0.12)

    def box(x0: int, x1: int, top: int, name: str, lines: list[str], rows: int = 1) -> None:
        rx.labelled_box(page, x0, top, x1, top + one_h + (rows - 1) * line_h, name, lines,
                        label_font, value_font, grey, thick)  # fmt: skip

    split = left + round((right - left) * rng.uniform(0.6, 0.72))
    date_first = rng.random() < 0.3
    if date_first:
        box(left, right - split + left, y, label(DATE_LABELS), [values_.date])
        box(right - split + left, right, y, label(NAME_LABELS), [values_.patient_name])
    else:
        box(left, split, y, label(NAME_LABELS), [values_.patient_name])
        box(split, right, y, label(DATE_LABELS), [values_.date])
    y += one_h
    rows = max(1, len(values_.address))
    if rng.random() < 0.4:
        box(left, split, y, label(ADDRESS_LABELS), values_.address, rows)
        box(split, right, y, label(("DOB", "Date of birth", "D.O.B.")), [rx.birth_date(rng)], rows)
    else:
        box(left, right, y, label(ADDRESS_LABELS), values_.address, rows)
    y += one_h + (rows - 1) * line_h
    if rng.random() < 0.5:
        y += page.px(rng.uniform(0.1, 0.25))  # a gap between the patient and the medicines grids
    spare = rng.randint(0, 2)
    box(
        left,
        right,
        y,
        label(MEDICINE_LABELS),
        [text for _name, text in values_.meds],
        len(values_.meds) + spare,
    )
    y += one_h + (len(values_.meds) + spare - 1) * line_h
    spare = rng.randint(0, 2)
    box(left, right, y, label(DIRECTION_LABELS), values_.directions, len(values_.directions) + spare)
    y += one_h + (len(values_.directions) + spare - 1) * line_h
    if rng.random() < 0.5:
        y += page.px(rng.uniform(0.1, 0.25))
    refill_w = round((right - left) * rng.uniform(0.2, 0.3))
    box(left, right - refill_w, y, label(PRESCRIBER_LABELS), [values_.prescriber])
    box(right - refill_w, right, y, label(REFILL_LABELS), [values_.refills])
    y += one_h
    if rng.random() < 0.6:
        extras = [(label(("SIGNATURE", "Prescriber signature", "Signature")), [])]
        if rng.random() < 0.6:
            extras.append(
                (label(("DEA NO.", "DEA #", "LICENSE NO.", "NPI")), [str(rng.randint(1000000, 9999999))])
            )
        width = (right - left) // len(extras)
        for i, (name, lines) in enumerate(extras):
            box(left + i * width, left + (i + 1) * width if i < len(extras) - 1 else right, y, name, lines, 2)
        y += one_h + line_h
    if rng.random() < 0.4:
        rx.substitution(page, rng, left, y + page.px(0.4))
    if rng.random() < 0.5:
        rx.footer(page, rng)
    return values_.truth(), [page.image]
