"""A prescription of a clinic outside the United States (Canada, India, South Africa, Singapore,
the Philippines, Kenya): the region's names, addresses, phone numbers and date styles; the
patient's age and sex on the name's row; medicines written with their dose form first ("Tab.
Metformin 500 mg") and directions in the shorthand doctors use there: Latin frequency
abbreviations ("1 tab BD x 5 days", "10 ml TDS", "2 puffs PRN") or a morning-noon-night
schedule ("1-0-1 after food"), on the medicine's line after a dash or on the line under it.
"""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.content import content
from docgen.families import _rx_common as rx
from docgen.families import _world as world

FAMILY = "rx_world_clinic"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "clinic abroad: regional values, dose form before the medicine, Latin or 1-0-1 shorthand directions"
)

FORMS = {
    "mg": ("Tab.", "Cap.", "Tab"),
    "mcg": ("Tab.",),
    "g": ("Tab.",),
    "gram": ("Tab.",),
    "ml": ("Syp.", "Susp."),
}
FREQUENCY_SHORTHAND = ("OD", "BD", "TDS", "QDS", "HS", "PRN", "nocte", "mane", "BID", "TID")
SCHEDULES = ("1-0-1", "1-1-1", "0-0-1", "1-0-0", "1/2-0-1/2")
WHEN = ("after food", "before food", "with meals", "at night", "")
DURATIONS = ("x 5 days", "x 7 days", "x 2 weeks", "for 1 month", "for 3 days", "")


def _direction(rng: random.Random, unit: str) -> str:
    """'1 tab BD x 5 days', '10 ml TDS after food' or '1-0-1 after food x 7 days'."""
    if unit != "ml" and rng.random() < 0.35:
        parts = [rng.choice(SCHEDULES), rng.choice(WHEN), rng.choice(DURATIONS)]
    else:
        amount = rng.choice(("5", "10")) if unit == "ml" else rng.choice(("1", "2", "1/2"))
        form = "ml" if unit == "ml" else rng.choice(("tab", "cap", "tablet"))
        parts = [amount, form, rng.choice(FREQUENCY_SHORTHAND), rng.choice(WHEN), rng.choice(DURATIONS)]
    return " ".join(part for part in parts if part)


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    region = world.pick_region(rng)
    values_ = rx.draw_rx(rng, max_meds=4)
    filled = content(rng)
    date_style = rng.choice(region.date_styles)
    values_.patient_name = world.person(filled, region)
    values_.prescriber = (
        f"Dr. {world.person(filled, region)}{filled.choice((', MBBS', ', MBBS, MD', ', MD', ''))}"
    )
    values_.date = world.format_date(values.random_date(filled, 2018, 2026), date_style)
    if values_.address:
        values_.address = [", ".join(world.address_lines(filled, region))]
    values_.meds = [
        (name, f"{filled.choice(FORMS[text.rsplit(' ', 1)[1]])} {text}") for name, text in values_.meds
    ]
    values_.directions = [_direction(filled, text.rsplit(" ", 1)[1]) for _name, text in values_.meds]

    page = Page(dpi, pick_style(rng))
    left = page.px(rng.uniform(0.7, 1.0))
    right = page.image.width - page.px(rng.uniform(0.7, 1.0))
    label = page.font(bold=rng.random() < 0.5, family=page.style.label)
    value = page.font(bold=False)
    step = round(page.line_step(value) * rng.uniform(1.2, 1.5))

    # Letterhead: clinic, its address and number (the form's own print), a rule.
    y = page.px(rng.uniform(0.6, 0.9))
    page.text(
        left,
        y,
        rx.clinic_name(rng),
        page.font(bold=True, scale=rng.uniform(1.4, 1.8), family=page.style.label),
    )
    y += step
    contact = (
        f"{', '.join(world.address_lines(rng, region))}  |  Ph: {world.phone(rng, region, mobile=False)}"
    )
    small = page.font(bold=False, scale=0.85, family=page.style.label)
    page.text(left, y, contact, page.fit(contact, small, right - left))
    y += round(step * 0.6)
    page.rule(left, right, y, rng.choice((0.8, 1.5)))
    y += round(step * 1.4)

    # Patient rows: name with age and sex beside it, the date at the right; the address.
    date_x = right - page.px(2.4)
    rx.labelled(
        page,
        left,
        y,
        rng.choice(("Name:", "Patient:", "Pt. name:")),
        values_.patient_name,
        label,
        value,
        date_x - page.px(1.6),
    )
    age = f"{filled.randint(2, 90)}/{filled.choice('MF')}"
    rx.labelled(
        page,
        date_x - page.px(1.5),
        y,
        rng.choice(("Age/Sex:", "Age/Sex")),
        age,
        label,
        value,
        date_x - page.px(0.2),
    )
    rx.labelled(
        page, date_x, y, rng.choice(("Date:", "Dated:", "Date of issue:")), values_.date, label, value, right
    )
    y += step
    if values_.address:
        rx.labelled(page, left, y, rng.choice(rx.ADDRESS_LABELS), values_.address[0], label, value, right)
        y += step
    y += round(step * 0.4)

    # Rx: numbered medicines, each direction after a dash on its line or on the line under it.
    page.text(
        left, y, rng.choice(("Rx", "R/", "Rx:")), page.font(bold=True, scale=1.5, family=page.style.label)
    )
    y += round(step * 1.2)
    inline = rng.random() < 0.5
    num_x, med_x = left + page.px(0.25), left + page.px(0.6)
    for number, ((_name, text), direction) in enumerate(
        zip(values_.meds, values_.directions, strict=True), 1
    ):
        page.text(num_x, y, f"{number}.", value)
        if inline:
            width = page.text(med_x, y, text, value)
            page.text(
                med_x + width,
                y,
                f"  -  {direction}",
                page.fit(f"  -  {direction}", value, right - med_x - width),
            )
        else:
            page.text(med_x, y, text, value)
            y += page.line_step(value)
            page.text(med_x + page.px(0.3), y, direction, value)
        y += step
    if rng.random() < 0.5:
        page.text(
            left, y, rng.choice(("Review after 2 weeks", "Follow up in 1 month", "Plenty of fluids")), small
        )
        y += step
    rx.labelled(
        page,
        left,
        y + step // 2,
        rng.choice(("Refills:", "Repeat:", "Refill:")),
        values_.refills,
        label,
        value,
        right,
    )

    # Signature with the prescriber and a registration number.
    y = max(y + step * 3, page.image.height - page.px(rng.uniform(1.8, 2.4)))
    x = right - page.px(3.2)
    below = rx.signature_block(page, rng, x, y, page.px(3.0), values_.prescriber)
    page.text(x, below, f"Reg. No. {rng.randint(10000, 99999)}", small)
    return values_.truth(), [page.image]
