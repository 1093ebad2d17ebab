"""A one-column intake form: section headings and "Label: value" lines."""

from __future__ import annotations

import random

from PIL import Image

from docgen.families import _pd_common as pd

FAMILY = "pd_single_column"
DOC_TYPE = "patient_details"
DESCRIPTION = "one column of 'Label: value' lines under section headings, clinic header, date at the top"


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record, flow = pd.flowing_form(rng, dpi)
    t = record.lines
    page = flow.page
    left = page.px(rng.uniform(0.7, 1.1))
    right = page.image.width - page.px(rng.uniform(0.7, 1.0))
    label_font = page.font(bold=rng.random() < 0.6, family=page.style.label)
    value_font = page.font(bold=False)
    step = round(page.line_step(value_font) * rng.uniform(1.0, 1.2))
    colon = rng.random() < 0.8
    upper_labels = rng.random() < 0.15
    # Values either follow their label or start at one tab column for the whole form.
    tab = page.px(rng.uniform(2.0, 2.6)) if rng.random() < 0.5 else None
    underline = rng.random() < 0.3
    heading_kind = rng.choice(("rule", "caps", "shade", "plain"))
    heading_scale = rng.uniform(1.05, 1.25)

    # Header: clinic, its contact line, the form title, sometimes an instruction.
    centred = rng.random() < 0.5
    hx, align = (page.image.width // 2, "center") if centred else (left, "left")
    y = flow.y
    page.text(hx, y, pd.clinic_name(rng), page.font(bold=True, scale=rng.uniform(1.3, 1.7)), align)
    y += round(step * 1.1)
    page.text(hx, y, pd.clinic_contact(rng), page.font(False, 0.85, page.style.label), align)
    y += round(step * 1.6)
    page.text(hx, y, rng.choice(pd.FORM_TITLES), page.font(True, 1.25), align)
    y += round(step * 1.2)
    if rng.random() < 0.5:
        page.text(left, y, rng.choice(pd.INSTRUCTIONS), page.font(False, 0.85, page.style.label))
        y += step
    flow.y = y + step // 2

    def line(text_label: str, lines: list[str]) -> None:
        """One "Label: value" item; continuation lines line up under the first value line."""
        shown = lines or [""]
        flow.need(step * len(shown))
        p = flow.page
        lbl = pd.with_colon(text_label.upper() if upper_labels else text_label, colon)
        lw = p.text(left, flow.y, lbl, label_font)
        x = tab if tab is not None and tab > left + lw + p.px(0.15) else left + lw + p.px(0.12)
        for i, value in enumerate(shown):
            p.text(x, flow.y, value, p.fit(value, value_font, right - x))
            if underline and i == 0:
                p.rule(x - p.px(0.04), right, flow.y + p.underline_gap(value_font), 0.5)
            flow.y += step

    def field(name: str, in_section: bool = False) -> None:
        if not record.shown(name):
            return
        lbl = pd.label(rng, name, in_section)
        line(lbl, pd.measure_lines(rng, name, lbl, t[name]))

    def heading(key: str) -> None:
        flow.need(step * 4)
        p = flow.page
        flow.y += step // 2
        title = rng.choice(pd.SECTION_TITLES[key])
        font = p.font(bold=True, scale=heading_scale)
        if heading_kind == "shade":
            asc = font.getmetrics()[0]
            pd.shade(p, left - p.px(0.08), flow.y - asc - p.px(0.06), right, flow.y + p.px(0.08), 215)
        p.text(left, flow.y, title.upper() if heading_kind in ("caps", "shade") else title, font)
        if heading_kind == "rule":
            p.rule(left, right, flow.y + p.underline_gap(font), 0.8)
        flow.y += round(step * 1.5)

    if record.shown("record_date") and rng.random() < 0.5:
        # The date alone above the first section, right-aligned.
        lbl = pd.with_colon(pd.label(rng, "record_date"), True)
        flow.page.label_and_value(
            right, flow.y, lbl, t["record_date"][0] if t["record_date"] else "", value_font
        )
        flow.y += round(step * 1.3)
    elif record.shown("record_date"):
        field("record_date")

    extra = pd.extras(rng, record)
    order = ["patient", *rng.sample(("emergency", "insurance", "history"), 3)]
    for key in order:
        heading(key)
        names = list(pd.SECTION_FIELDS[key])
        if key == "history" and rng.random() < 0.5:
            names = names[3:] + names[:3]
        if key == "insurance" and rng.random() < 0.5:
            names = names[1:] + names[:1]
        for name in names:
            field(name, in_section=True)
            if key == "patient" and name == "birth_date":
                for lbl, value in extra:
                    line(lbl, [value])
        if key == "emergency" and rng.random() < 0.6:
            line("Relationship", [rng.choice(pd.RELATIONSHIPS)])

    flow.need(step * 3)
    flow.y += step
    p = flow.page
    w = p.text(
        left, flow.y, rng.choice(("Signature", "Patient signature", "Signature of patient")) + ":", label_font
    )
    p.rule(left + w + p.px(0.1), left + w + p.px(2.8), flow.y + p.px(0.03), 0.6)
    return record.truth, flow.images()
