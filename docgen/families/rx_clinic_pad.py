"""A clinic prescription pad with small grey labels ABOVE their values, and refills as tick boxes or text."""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.families import _rx_common as rx

FAMILY = "rx_clinic_pad"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "clinic pad: small grey labels above values, 'Medication(s):' list, 'How to take:' directions, "
    "refills as tick boxes or text, prescriber signature block at the bottom"
)

NAME_LABELS = ("Patient name", "Patient", "Patient's full name", "Name", "Pt. name", "Prescription for")
DATE_LABELS = ("Date", "Date of prescription", "Date prescribed", "Rx date", "Issue date")
ADDRESS_LABELS = ("Address", "Patient address", "Street, city", "Home address")
MEDICINE_LABELS = ("Medication(s):", "Rx:", "Medications", "Medicine(s) and strength", "Rx")
DIRECTION_LABELS = ("How to take:", "Instructions:", "Directions for use", "Instructions", "Sig")
PRESCRIBER_LABELS = (
    "Prescriber",
    "Prescriber's name",
    "Prescribing clinician",
    "Physician",
    "Name of prescriber",
    "Doctor",
)
REFILL_TEXT = (
    "Refills: {n}",
    "Refills: {n} times",
    "Refill {n} times",
    "No. of refills: {n}",
    "Repeats: {n}",
)


def _label_above(
    page: Page, rng: random.Random, x: int, y: int, x_end: int, label: str, lines: list[str], style: dict
) -> int:
    """A small grey label at baseline y and the value lines under it; returns the baseline after them."""
    rx.grey_text(page, x, y, label, style["label"], style["grey"])
    y += round(style["value"].size * 1.4)
    step = page.line_step(style["value"])
    for line in lines or [""]:
        page.text(x + style["indent"], y, line, page.fit(line, style["value"], x_end - x - style["indent"]))
        if style["underline"]:
            page.rule(x, x_end, y + page.underline_gap(style["value"]), 0.5)
        y += step
    return y + style["gap"]


def _refills(page: Page, rng: random.Random, x: int, y: int, refills: str, style: dict) -> int:
    font = page.font(bold=False, family=page.style.label)
    if rng.random() < 0.5:
        text = rng.choice(REFILL_TEXT).format(n=refills)
        label, _sep, number = text.partition(refills)
        x += page.text(x, y, label, page.font(bold=rng.random() < 0.5, family=page.style.label))
        x += page.text(x, y, refills, style["value"])
        page.text(x, y, number, font)
        return y + page.line_step(font)
    options = [0, 1, 2, 3] if rng.random() < 0.5 else [0, 1, 2, 3, 4, 5]
    if int(refills) not in options:
        options.append(int(refills))
    x += page.text(x, y, rng.choice(("Refills:", "Refills", "Repeats:", "Refill")), font) + page.px(0.15)
    size = round(font.size * 0.8)
    for option in options:
        rx.tick_box(page, x, y, size, str(option) == refills)
        x += size + page.px(0.05)
        x += page.text(x, y, str(option), font) + page.px(0.22)
    if rng.random() < 0.3:
        rx.tick_box(page, x, y, size, False)
        page.text(x + size + page.px(0.05), y, "PRN", font)
    return y + page.line_step(font)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    values_ = rx.draw_rx(
        rng, max_meds=3, multiline_address=0.5, sig_style=rng.choice(("sig", "full", "full"))
    )
    page = Page(dpi, pick_style(rng, prefer="Comic Neue", prefer_weight=0.4))
    left = page.px(rng.uniform(0.7, 1.2))
    right = page.image.width - page.px(rng.uniform(0.7, 1.2))
    style = {
        "label": page.font(bold=rng.random() < 0.3, scale=rng.uniform(0.7, 0.85), family=page.style.label),
        "value": page.font(bold=False, scale=rng.uniform(1.0, 1.15)),
        "grey": rng.choice((80, 110, 130)),
        "indent": rng.choice((0, page.px(0.1))),
        "underline": rng.random() < 0.4,
        "gap": page.px(rng.uniform(0.1, 0.25)),
    }
    # Pad header: clinic, address and phone, centred or at the left.
    y = page.px(rng.uniform(0.6, 0.9))
    head = page.font(bold=True, scale=rng.uniform(1.2, 1.6), family=page.style.label)
    small = page.font(bold=False, scale=0.8, family=page.style.label)
    centred = rng.random() < 0.6
    x, align = ((left + right) // 2, "center") if centred else (left, "left")
    y += head.size
    page.text(x, y, rx.clinic_name(rng), head, align=align)
    y += page.line_step(small) + page.px(0.04)
    for line in (f"{values.street(rng)}, {values.city_line(rng)}", rx.extras_line(rng)):
        page.text(x, y, line, page.fit(line, small, right - left), align=align)
        y += page.line_step(small)
    page.rule(left, right, y, rng.choice((0.6, 1.2, 2.0)))
    y += page.px(rng.uniform(0.4, 0.6))

    split = left + round((right - left) * rng.uniform(0.55, 0.68))
    row = _label_above(
        page, rng, left, y, split - page.px(0.3), rng.choice(NAME_LABELS), [values_.patient_name], style
    )
    _label_above(page, rng, split, y, right, rng.choice(DATE_LABELS), [values_.date], style)
    y = row
    if values_.address or rng.random() < 0.5:
        y = _label_above(page, rng, left, y, right, rng.choice(ADDRESS_LABELS), values_.address, style)
    y += page.px(rng.uniform(0.15, 0.35))
    med_label = rng.choice(MEDICINE_LABELS)
    mark = page.font(bold=True, scale=rng.uniform(1.0, 1.5), family=page.style.label)
    page.text(left, y, med_label, mark)
    y += page.line_step(style["value"]) + page.px(0.05)
    body = style["value"]
    inset = left + page.px(rng.uniform(0.2, 0.5))
    y = page.lines(inset, y, [text for _name, text in values_.meds], body, right - inset)
    y += page.px(rng.uniform(0.2, 0.4))
    page.text(
        left, y, rng.choice(DIRECTION_LABELS), page.font(bold=rng.random() < 0.6, family=page.style.label)
    )
    y += page.line_step(body) + page.px(0.03)
    y = page.lines(inset, y, values_.directions, body, right - inset) + page.px(rng.uniform(0.2, 0.4))
    y = _refills(page, rng, left, y, values_.refills, style)
    if rng.random() < 0.35:
        rx.substitution(page, rng, left, y + page.px(0.15))
    # Signature block at the bottom: a rule, then the prescriber's name under a small label.
    y = max(y + page.px(0.9), page.image.height - page.px(rng.uniform(2.0, 2.6)))
    width = page.px(rng.uniform(3.0, 3.8))
    x = right - width if rng.random() < 0.5 else left
    page.rule(x, x + width, y, 0.7)
    rx.grey_text(page, x, y + page.px(0.2), rng.choice(("Signature", "Prescriber's signature", "Signed")),
                 style["label"], style["grey"])  # fmt: skip
    y += page.px(0.55)
    y = _label_above(page, rng, x, y, x + width, rng.choice(PRESCRIBER_LABELS), [values_.prescriber], style)
    if rng.random() < 0.5:
        line = rx.dea_number(rng) if rng.random() < 0.5 else rx.npi_number(rng)
        page.text(x, y, line, small)
    if rng.random() < 0.4:
        rx.footer(page, rng)
    return values_.truth(), [page.image]
