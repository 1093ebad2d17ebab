"""A vaccination record card: name, date of birth and a ruled table of vaccine, date, lot and site."""

from __future__ import annotations

import random

from PIL import Image

from docgen import values
from docgen.canvas import Page, pick_style
from docgen.families import _other_common as other
from docgen.families import _rx_common as rx

FAMILY = "other_vaccination_card"
DOC_TYPE = "unknown"
DESCRIPTION = (
    "vaccination record card: name, date of birth, a table of vaccine / date / lot / site; "
    "neither a prescription nor an intake form"
)

TITLES = (
    "VACCINATION RECORD CARD",
    "Immunization Record",
    "PERSONAL VACCINATION RECORD",
    "COVID-19 Vaccination Record Card",
    "Adult Immunization Card",
)
SITES = ("L deltoid", "R deltoid", "Left arm", "Right arm", "L thigh", "IM R arm")


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    page = Page(dpi, pick_style(rng))
    # The card is drawn at the top of the page, framed, as when a card is scanned on a flatbed.
    left = page.px(rng.uniform(0.6, 1.2))
    right = page.image.width - page.px(rng.uniform(0.6, 1.2))
    top = page.px(rng.uniform(0.6, 1.0))
    pad = page.px(0.25)
    x0, x1 = left + pad, right - pad
    y = top + pad
    title = page.font(bold=True, scale=rng.uniform(1.2, 1.5), family=page.style.label)
    y += title.size
    page.text((x0 + x1) // 2, y, rng.choice(TITLES), page.fit(TITLES[0], title, x1 - x0), align="center")
    y += page.px(0.25)
    small = page.font(bold=False, scale=0.8, family=page.style.label)
    issuer = (
        rx.clinic_name(rng) if rng.random() < 0.6 else f"{rng.choice(values.CITIES)[1]} Department of Health"
    )
    page.text((x0 + x1) // 2, y, issuer, small, align="center")
    y += page.px(0.45)
    label = page.font(bold=True, scale=0.9, family=page.style.label)
    value = page.font(bold=False)
    name_label = rng.choice(("Name:", "Patient name:", "Last name, first name:", "Full name:"))
    name = values.person_name(rng)
    if name_label.startswith("Last"):
        first, last = name.split(" ", 1)
        name = f"{last}, {first}"
    mid = (x0 + x1) // 2 + page.px(0.5)
    rx.labelled(page, x0, y, name_label, name, label, value, mid - page.px(0.2), underline=True)
    rx.labelled(
        page, mid, y, rng.choice(("DOB:", "Date of birth:")), rx.birth_date(rng), label, value, x1, True
    )
    y += page.px(0.4)
    if rng.random() < 0.5:
        rx.labelled(page, x0, y, "Patient number:", str(rng.randint(10000, 999999)), label, value, x1)
        y += page.px(0.4)
    y += page.px(0.1)
    headers = [
        rng.choice(("Vaccine", "Vaccine / product", "Immunization")),
        rng.choice(("Date", "Date given", "Date administered")),
        rng.choice(("Lot #", "Lot number", "Batch")),
        rng.choice(("Site", "Clinic site", "Given by")),
    ]
    weights = (0.34, 0.22, 0.2, 0.24)
    edges = [x0]
    for w in weights:
        edges.append(edges[-1] + round((x1 - x0) * w))
    edges[-1] = x1
    cell = page.font(bold=False, scale=0.9)
    row_h = round(cell.size * 2.1)
    table_top = y
    page.rule(x0, x1, y, 0.8)
    for i, header in enumerate(headers):
        page.text(
            edges[i] + page.px(0.06),
            y + row_h - row_h // 3,
            header,
            page.fit(header, label, edges[i + 1] - edges[i] - page.px(0.12)),
        )
    y += row_h
    page.rule(x0, x1, y, 0.8)
    doses = rng.sample(other.VACCINES, rng.randint(2, 6))
    blank_rows = rng.randint(1, 3)
    for vaccine, _alias in doses:
        lot = f"{rng.choice('ABEFKMPT')}{rng.choice('ABCDEFHJK')}{rng.randint(1000, 99999)}"
        site = rng.choice(SITES) if headers[3] != "Given by" else values.person_name(rng).split()[1]
        cells = [vaccine, values.date_text(rng, 2010, 2025, ("dmy_pad", "iso", "mon_d_comma_y")), lot, site]
        for i, text in enumerate(cells):
            page.text(edges[i] + page.px(0.06), y + row_h - row_h // 3, text,
                      page.fit(text, cell, edges[i + 1] - edges[i] - page.px(0.12)))  # fmt: skip
        y += row_h
        page.rule(x0, x1, y, 0.6)
    y += row_h * blank_rows
    for k in range(blank_rows):
        page.rule(x0, x1, y - k * row_h, 0.6)
    for x in edges[:-1]:
        rx.vline(page, x, table_top, y, 0.6)
    rx.vline(page, x1, table_top, y, 0.6)
    y += page.px(0.35)
    note = rng.choice(
        (
            "Keep this record card. Bring it to every vaccination appointment.",
            "Next dose due: " + values.date_text(rng, 2024, 2026),
            "Contraindications / reactions: none reported",
        )
    )
    page.text(x0, y, note, page.fit(note, small, x1 - x0))
    rx.box(page, left, top, right, y + pad, rng.choice((1.0, 1.6, 2.4)))
    return {}, [page.image]
