"""A ruled two-column table: label in the left cell, value in the right, grouped under section rows."""

from __future__ import annotations

import random

from PIL import Image

from docgen.canvas import pick_style
from docgen.families import _pd_common as pd

FAMILY = "pd_table"
DOC_TYPE = "patient_details"
DESCRIPTION = "grid-ruled two-column table, label cell and value cell per row, section header rows"


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record = pd.make_record(rng)
    t = record.lines
    style = pick_style(rng)
    flow = pd.Flow(dpi, style, top=rng.uniform(0.55, 0.8), bottom=0.6)
    page = flow.page
    left = page.px(rng.uniform(0.6, 1.0))
    right = page.image.width - page.px(rng.uniform(0.6, 1.0))
    split = left + round((right - left) * rng.uniform(0.3, 0.45))
    label_font = page.font(bold=rng.random() < 0.5, scale=rng.uniform(0.9, 1.0), family=page.style.label)
    value_font = page.font(bold=False)
    section_font = page.font(bold=True, scale=rng.uniform(1.0, 1.15))
    step = page.line_step(value_font)
    pad_y = round(step * rng.uniform(0.3, 0.55))
    pad_x = page.px(rng.uniform(0.06, 0.12))
    rule_pt = rng.uniform(0.5, 0.9)
    shade_sections = rng.random() < 0.6
    shade_labels = rng.random() < 0.3
    section_align = rng.choice(("left", "left", "center"))
    upper_sections = rng.random() < 0.6
    colon = rng.random() < 0.25
    asc, desc = value_font.getmetrics()

    # Header above the table.
    y = flow.y
    head = pd.clinic_name(rng)
    if rng.random() < 0.5:
        page.text(page.image.width // 2, y, head, page.font(bold=True, scale=1.5), "center")
        y += round(step * 1.0)
        page.text(
            page.image.width // 2,
            y,
            pd.clinic_contact(rng),
            page.font(False, 0.8, page.style.label),
            "center",
        )
        y += round(step * 1.6)
        page.text(page.image.width // 2, y, rng.choice(pd.FORM_TITLES), page.font(True, 1.25), "center")
    else:
        page.text(left, y, rng.choice(pd.FORM_TITLES), page.font(bold=True, scale=1.6))
        page.text(right, y, head, page.font(bold=True, scale=0.95), "right")
        y += round(step * 1.0)
        page.text(right, y, pd.clinic_contact(rng), page.font(False, 0.75, page.style.label), "right")
    y += round(step * 1.3)
    date_row = record.shown("record_date") and rng.random() < 0.5
    if record.shown("record_date") and not date_row:
        lbl = pd.with_colon(pd.label(rng, "record_date"), True)
        page.label_and_value(right, y, lbl, " ".join(t["record_date"]), value_font)
        y += round(step * 1.2)
    if rng.random() < 0.4:
        page.text(left, y, rng.choice(pd.INSTRUCTIONS), page.font(False, 0.85, page.style.label))
        y += round(step * 1.1)
    flow.y = y

    def section_row(title: str) -> None:
        height = asc + desc + 2 * pad_y
        flow.need(height + 2 * (step + 2 * pad_y))
        p = flow.page
        y0, y1 = flow.y, flow.y + height
        if shade_sections:
            pd.shade(p, left, y0, right, y1, rng.randint(200, 225))
        pd.rect(p, left, y0, right, y1, rule_pt)
        text = title.upper() if upper_sections else title
        x = (left + right) // 2 if section_align == "center" else left + pad_x
        p.text(x, y0 + pad_y + asc, text, section_font, section_align)
        flow.y = y1 - pd.thickness(p, rule_pt) + 1  # rows share their ruled edge

    def row(text: str, lines: list[str]) -> None:
        height = asc + desc + (max(1, len(lines)) - 1) * step + 2 * pad_y
        flow.need(height)
        p = flow.page
        y0, y1 = flow.y, flow.y + height
        if shade_labels:
            pd.shade(p, left, y0, split, y1, 232)
        pd.rect(p, left, y0, right, y1, rule_pt)
        pd.vrule(p, split, y0, y1, rule_pt)
        p.text(left + pad_x, y0 + pad_y + asc, text, p.fit(text, label_font, split - left - 2 * pad_x))
        p.lines(split + pad_x, y0 + pad_y + asc, lines, value_font, right - split - 2 * pad_x)
        flow.y = y1 - pd.thickness(p, rule_pt) + 1  # rows share their ruled edge

    def field(name: str) -> None:
        if not record.shown(name):
            return
        text = pd.with_colon(pd.label(rng, name, in_section=True), colon)
        row(text, pd.measure_lines(rng, name, text, t[name]))

    extra = pd.extras(rng, record)
    if rng.random() < 0.4:
        extra.append((rng.choice(("Primary physician", "Referring doctor", "Family doctor")), ""))

    def patient() -> None:
        section_row(rng.choice(pd.SECTION_TITLES["patient"]))
        if date_row:
            field("record_date")
        names = list(pd.SECTION_FIELDS["patient"])
        at = rng.randint(2, len(names))
        for name in names[:at]:
            field(name)
        for lbl, value in extra:
            row(pd.with_colon(lbl, colon), [value] if value else [])
        for name in names[at:]:
            field(name)

    def section(key: str) -> None:
        section_row(rng.choice(pd.SECTION_TITLES[key]))
        names = list(pd.SECTION_FIELDS[key])
        if key == "history" and rng.random() < 0.5:
            names = names[3:] + names[:3]
        for name in names:
            field(name)
        if key == "emergency" and rng.random() < 0.5:
            row(pd.with_colon("Relationship", colon), [rng.choice(pd.RELATIONSHIPS)])

    patient()
    for key in rng.sample(("emergency", "insurance", "history"), 3):
        section(key)
    if rng.random() < 0.6:
        flow.need(step * 3)
        p = flow.page
        y = flow.y + round(step * 2.2)
        w = p.text(left, y, rng.choice(("Signature:", "Patient signature:", "Signed:")), label_font)
        p.rule(left + w + p.px(0.1), left + w + p.px(2.6), y + p.px(0.03), 0.6)
    return record.truth, flow.images()
