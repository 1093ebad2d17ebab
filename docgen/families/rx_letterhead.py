"""A clinic letterhead prescription: clinic header, labelled patient block, numbered Rx list, Sig lines."""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.families import _rx_common as rx

FAMILY = "rx_letterhead"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "clinic letterhead, 'Patient:/Date:/Address:' labels beside values, numbered medicines each with an "
    "indented Sig and Disp line, refills, signature line with the prescriber"
)


def _letterhead(page: Page, rng: random.Random, left: int, right: int) -> int:
    """Clinic name, street, city and phone lines, left or centred, optionally ruled; returns y below."""
    centred = rng.random() < 0.5
    x, align = ((left + right) // 2, "center") if centred else (left, "left")
    y = page.px(rng.uniform(0.6, 0.95))
    name = rx.clinic_name(rng)
    if rng.random() < 0.3:
        name = name.upper()
    big = page.font(bold=True, scale=rng.uniform(1.4, 1.9), family=page.style.label)
    page.text(x, y + big.size // 2, name, page.fit(name, big, right - left), align=align)
    y += big.size // 2 + page.line_step(big) // 2 + page.px(0.05)
    small = page.font(bold=False, scale=rng.uniform(0.8, 0.95), family=page.style.label)
    lines = [values.street(rng), values.city_line(rng)]
    if rng.random() < 0.5:
        lines = [", ".join(lines)]
    lines.append(rx.extras_line(rng))
    if rng.random() < 0.35:
        lines.append(rx.dea_number(rng) + ("   " + rx.npi_number(rng) if rng.random() < 0.5 else ""))
    for line in lines:
        page.text(x, y, line, page.fit(line, small, right - left), align=align)
        y += page.line_step(small)
    if rng.random() < 0.7:
        y += page.px(0.05)
        page.rule(left, right, y, rng.choice((0.8, 1.5, 2.5)))
        if rng.random() < 0.3:
            page.rule(left, right, y + page.px(0.06), 0.6)
    return y + page.px(rng.uniform(0.4, 0.7))


def _patient_block(page: Page, rng: random.Random, values_: rx.Rx, left: int, right: int, y: int) -> int:
    label = page.font(bold=rng.random() < 0.6, family=page.style.label)
    value = page.font(bold=False)
    step = round(page.line_step(value) * rng.uniform(1.1, 1.5))
    underline = rng.random() < 0.4
    name_label, date_label = rng.choice(rx.PATIENT_LABELS), rng.choice(rx.DATE_LABELS)
    dob = rng.random() < 0.5
    if rng.random() < 0.5:
        # Name and date on one row, date at the right.
        date_x = right - page.px(2.6)
        rx.labelled(
            page, left, y, name_label, values_.patient_name, label, value, date_x - page.px(0.3), underline
        )
        rx.labelled(page, date_x, y, date_label, values_.date, label, value, right, underline)
        y += step
        if dob:
            rx.labelled(page, left, y, rng.choice(rx.DOB_LABELS), rx.birth_date(rng), label, value, right)
            y += step
    else:
        rx.labelled(page, left, y, date_label, values_.date, label, value, right, underline)
        y += step
        rx.labelled(page, left, y, name_label, values_.patient_name, label, value, right, underline)
        if dob:
            y += step
            rx.labelled(page, left, y, rng.choice(rx.DOB_LABELS), rx.birth_date(rng), label, value, right)
        y += step
    address_label = rng.choice(rx.ADDRESS_LABELS)
    if values_.address or rng.random() < 0.6:
        first = values_.address[0] if values_.address else ""
        end = rx.labelled(page, left, y, address_label, first, label, value, right, underline)
        indent = end - page.width(first, value)
        for line in values_.address[1:]:
            y += page.line_step(value)
            page.text(indent, y, line, page.fit(line, value, right - indent))
        y += step
    return y + page.px(rng.uniform(0.2, 0.45))


def _medicines(page: Page, rng: random.Random, values_: rx.Rx, left: int, right: int, y: int) -> int:
    mark = rng.choice(("Rx", "Rx:", "Medications:", "Prescription:", "R/"))
    page.text(left, y, mark, page.font(bold=True, scale=rng.uniform(1.2, 1.8), family=page.style.label))
    y += page.px(rng.uniform(0.45, 0.6))
    body = page.font(bold=rng.random() < 0.3, family=page.style.value)
    small = page.font(bold=False, scale=rng.uniform(0.88, 1.0))
    sig_label = rng.choice(rx.SIG_LABELS)
    disp_label = rng.choice(rx.DISP_LABELS)
    disp = rng.random() < 0.7
    numbering = rng.choice(("{n}.", "{n})", "{n}."))
    num_x = left + page.px(rng.uniform(0.2, 0.4))
    med_x = num_x + page.px(0.35)
    sig_x = med_x + page.px(rng.uniform(0.25, 0.45))
    for number, ((_name, text), direction) in enumerate(
        zip(values_.meds, values_.directions, strict=True), 1
    ):
        page.text(num_x, y, numbering.format(n=number), body)
        page.text(med_x, y, text, page.fit(text, body, right - med_x))
        y += page.line_step(body)
        rx.labelled(page, sig_x, y, sig_label, direction, small, small, right)
        y += page.line_step(small)
        if disp:
            count = rng.choice((10, 14, 20, 28, 30, 60, 90))
            page.text(
                sig_x, y, f"{disp_label} #{count}" if rng.random() < 0.6 else f"{disp_label} {count}", small
            )
            y += page.line_step(small)
        y += page.px(rng.uniform(0.1, 0.25))
    return y


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    values_ = rx.draw_rx(rng, max_meds=3, multiline_address=0.3)
    page = Page(dpi, pick_style(rng, prefer="Comic Neue", prefer_weight=0.15))
    left = page.px(rng.uniform(0.7, 1.1))
    right = page.image.width - page.px(rng.uniform(0.7, 1.1))
    y = _letterhead(page, rng, left, right)
    y = _patient_block(page, rng, values_, left, right, y)
    y = _medicines(page, rng, values_, left, right, y) + page.px(0.15)
    label = page.font(bold=True, family=page.style.label)
    rx.labelled(
        page, left, y, rng.choice(rx.REFILL_LABELS), values_.refills, label, page.font(bold=False), right
    )
    if rng.random() < 0.4:
        rx.substitution(page, rng, left + page.px(2.6), y)
    bottom = page.image.height - page.px(rng.uniform(1.6, 2.2))
    y = max(y + page.px(0.9), bottom)
    width = page.px(rng.uniform(2.8, 3.6))
    x = right - width if rng.random() < 0.6 else left
    rx.signature_block(page, rng, x, y, width, values_.prescriber)
    if rng.random() < 0.5:
        rx.footer(page, rng)
    return values_.truth(), [page.image]
