"""A pre-printed prescription (an order set): the medicines a practice prescribes most are printed
with their directions, each with a box, and the prescriber ticks what is prescribed.

Eye, dental and after-surgery clinics print their usual prescriptions this way. What it brings:
medicine names and directions printed on the page that are no value unless ticked, a medicine
written by hand on an "Other" line now and then, refills ticked in a row of boxes. Truth follows
``_rx_common.Rx``: the ticked medicines (and the written one) in reading order, each with its
printed directions; refills the ticked count.
"""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.families import _rx_common as rx

FAMILY = "rx_order_set"
DOC_TYPE = "prescription"
DESCRIPTION = (
    "pre-printed prescription: usual medicines printed with their directions, each with a box the "
    "prescriber ticks; an 'Other' line written by hand; refills ticked in a row of boxes"
)

TITLES = (
    "PRESCRIPTION",
    "Standard Prescription",
    "Post-operative Medication Orders",
    "Medication Order Form",
)
PROMPTS = (
    "Tick the medicines prescribed",
    "Rx (tick to prescribe)",
    "Medicines - check all that apply",
    "Rx",
)
OTHER_LABELS = ("Other:", "Other medicine:", "Other (specify):")
REFILL_CHOICES = ("0", "1", "2", "3")


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    prescribed = rx.draw_rx(rng, max_meds=3, sig_style="sig")
    style = pick_style(rng)
    page = Page(dpi, style)
    left, right = page.px(rng.uniform(0.7, 1.0)), page.image.width - page.px(rng.uniform(0.7, 0.9))
    label_font = page.font(bold=rng.random() < 0.5, family=style.label)
    print_font = page.font(bold=False, scale=rng.uniform(0.85, 0.95), family=style.label)
    value_font = page.font(bold=False, scale=rng.uniform(1.0, 1.1))
    step = round(page.line_step(value_font) * rng.uniform(1.05, 1.25))

    y = page.px(rng.uniform(0.7, 0.9))
    page.text(left, y, rx.clinic_name(rng), page.font(bold=True, scale=rng.uniform(1.3, 1.6)))
    y += step
    page.text(left, y, rx.extras_line(rng), print_font)
    y += round(step * 1.4)
    page.text(page.image.width // 2, y, rng.choice(TITLES), page.font(True, 1.2), "center")
    y += round(step * 1.5)
    middle = (left + right) // 2
    rx.labelled(
        page,
        left,
        y,
        rng.choice(rx.PATIENT_LABELS),
        prescribed.patient_name,
        label_font,
        value_font,
        middle - page.px(0.2),
        True,
    )
    rx.labelled(
        page, middle, y, rng.choice(rx.DATE_LABELS), prescribed.date, label_font, value_font, right, True
    )
    y += round(step * 1.3)
    address = ", ".join(prescribed.address)
    rx.labelled(page, left, y, rng.choice(rx.ADDRESS_LABELS), address, label_font, value_font, right, True)
    y += round(step * 1.8)

    # The printed choices: the prescribed medicines among the practice's usual ones, a box each;
    # one prescribed medicine is written on the "Other" line instead, now and then.
    written = prescribed.meds[-1] if len(prescribed.meds) > 1 and rng.random() < 0.3 else None
    usual = [m for m in values.medicines(rng, 7) if m[0] not in {name for name, _ in prescribed.meds}]
    printed = [
        (m, d, True) for m, d in zip(prescribed.meds, prescribed.directions, strict=True) if m != written
    ]
    printed += [(m, rx.sig(rng, m[1].rsplit(" ", 1)[1]), False) for m in usual[: rng.randint(3, 6)]]
    rng.shuffle(printed)
    page.text(left, y, rng.choice(PROMPTS), label_font)
    y += round(step * 1.3)
    size = round(print_font.size * 0.8)
    sig_x = left + page.px(rng.uniform(2.6, 3.1))
    order: list[tuple[tuple[str, str], str]] = []
    for med, direction, ticked in printed:
        rx.tick_box(page, left, y, size, ticked)
        page.text(left + size + page.px(0.15), y, med[1], print_font)
        page.text(sig_x, y, direction, page.fit(direction, print_font, right - sig_x))
        if ticked:
            order.append((med, direction))
        y += step
    if written is not None:
        direction = prescribed.directions[prescribed.meds.index(written)]
        x = left + page.text(left, y + step // 3, rng.choice(OTHER_LABELS), label_font) + page.px(0.15)
        text = f"{written[1]} - {direction}"
        page.text(x, y + step // 3, text, page.fit(text, value_font, right - x))
        page.rule(x, right, y + step // 3 + page.underline_gap(value_font), 0.6)
        order.append((written, direction))
        y += step
    y += step

    refills = prescribed.refills
    x = left + page.text(left, y, rng.choice(rx.REFILL_LABELS), label_font) + page.px(0.2)
    if refills in REFILL_CHOICES:
        for choice in REFILL_CHOICES:
            rx.tick_box(page, x, y, size, choice == refills)
            x += size + page.px(0.08)
            x += page.text(x, y, choice, print_font) + page.px(0.3)
    else:
        page.text(x, y, refills, value_font)
    y += round(step * 2.5)
    rx.signature_block(page, rng, left, y, page.px(3.2), prescribed.prescriber)
    rx.footer(page, rng)

    prescribed.meds = [med for med, _ in order]
    prescribed.directions = [direction for _, direction in order]
    return prescribed.truth(), [page.image]
