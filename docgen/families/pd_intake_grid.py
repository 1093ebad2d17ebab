"""An intake grid: boxed cells, each with a small capitalised label in its top-left corner and the value
below it; yes/no and immunity answers as circled or ticked options inside their cell."""

from __future__ import annotations

import random
from dataclasses import dataclass

from PIL import Image

from docgen.canvas import pick_style
from docgen.families import _pd_common as pd

FAMILY = "pd_intake_grid"
DOC_TYPE = "patient_details"
DESCRIPTION = "grid of ruled boxes with small corner labels, values inside, circled or ticked yes/no options"

# Relative cell widths: long values get wide cells.
WEIGHTS = {
    "patient_name": 3.0,
    "address": 4.0,
    "insurance_company": 2.5,
    "medical_problems": 2.0,
    "allergies": 2.0,
    "regular_medications": 2.0,
    "emergency_contact_name": 2.5,
    "hepatitis_b_vaccination": 2.0,
    "has_medical_insurance": 2.0,
    "weight": 1.0,
    "height": 1.0,
}


@dataclass
class Cell:
    label: str
    lines: list[str]
    weight: float
    options: tuple[str, ...] = ()
    chosen: int | None = None


def draw(rng: random.Random, dpi: int) -> tuple[dict[str, str], list[Image.Image]]:
    record = pd.make_record(rng)
    t = record.lines
    style = pick_style(rng)
    flow = pd.Flow(dpi, style, top=rng.uniform(0.5, 0.75), bottom=0.55)
    page = flow.page
    left = page.px(rng.uniform(0.5, 0.8))
    right = page.image.width - page.px(rng.uniform(0.5, 0.8))
    label_font = page.font(bold=rng.random() < 0.5, scale=rng.uniform(0.62, 0.75), family=page.style.label)
    value_scale = rng.uniform(1.0, 1.12)
    value_font = page.font(bold=False, scale=value_scale)
    # Answer options are printed on the form: the label face, at the size of the values.
    option_font = page.font(bold=False, scale=value_scale, family=page.style.label)
    step = page.line_step(value_font)
    pad = page.px(rng.uniform(0.05, 0.09))
    rule_pt = rng.uniform(0.5, 0.9)
    row_units = rng.choice((4.0, 5.0, 6.0))
    dark_bars = rng.random() < 0.4
    option_kind = rng.choice(("circle", "box"))
    mark = rng.choice(("tick", "cross"))
    label_asc = label_font.getmetrics()[0]
    value_asc, value_desc = value_font.getmetrics()

    def cell_of(name: str, in_section: bool = False) -> Cell | None:
        if not record.shown(name):
            return None
        text = pd.label(rng, name, in_section).upper()
        weight = WEIGHTS.get(name, 1.5) * rng.uniform(0.85, 1.2)
        if name in pd.ANSWER_FIELDS:
            words = pd.answer_options(rng, name)
            return Cell(text, [], weight * 1.2, words, pd.chosen_index(name, record.truth[name]))
        return Cell(text, pd.measure_lines(rng, name, text, t[name]), weight)

    def cells(names: list[str], in_section: bool = False) -> list[Cell]:
        return [c for c in (cell_of(n, in_section) for n in names) if c]

    def bar(title: str) -> None:
        font = page.font(bold=True, scale=0.95)
        asc, desc = font.getmetrics()
        height = asc + desc + 2 * pad
        flow.need(height + step * 3)
        p = flow.page
        y0 = flow.y
        pd.shade(p, left, y0, right, y0 + height, 40 if dark_bars else 210)
        text = title.upper()
        if dark_bars:
            p.draw.text((left + pad * 2, y0 + pad + asc), text, font=font, fill=p.style.paper, anchor="ls")
        else:
            pd.rect(p, left, y0, right, y0 + height, rule_pt)
            p.text(left + pad * 2, y0 + pad + asc, text, font)
        flow.y = y0 + height

    def row(items: list[Cell]) -> None:
        total = sum(c.weight for c in items)
        lines = max(max(len(c.lines), 1) for c in items)
        height = pad + label_asc + round(pad * 0.8) + value_asc + value_desc + (lines - 1) * step + pad
        flow.need(height)
        p = flow.page
        y0, y1 = flow.y, flow.y + height
        x = float(left)
        for i, c in enumerate(items):
            x0 = round(x)
            x1 = right if i == len(items) - 1 else round(x + (right - left) * c.weight / total)
            pd.rect(p, x0, y0, x1, y1, rule_pt)
            inner = x1 - x0 - 2 * pad
            p.text(x0 + pad, y0 + pad + label_asc, c.label, p.fit(c.label, label_font, inner))
            base = y0 + pad + label_asc + round(pad * 0.8) + value_asc
            if c.options:
                font = p.fit("   ".join(c.options) + "      ", option_font, inner)
                pd.options(p, x0 + pad * 2, base, c.options, c.chosen, font, option_kind, mark)
            else:
                p.lines(x0 + pad * 2, base, c.lines, value_font, inner - pad)
            x = x1
        flow.y = y1 - pd.thickness(p, rule_pt) + 1  # rows share their ruled edge

    def rows(items: list[Cell]) -> None:
        current: list[Cell] = []
        for c in items:
            if current and (sum(x.weight for x in current) + c.weight > row_units or len(current) == 4):
                row(current)
                current = []
            current.append(c)
        if current:
            row(current)

    # Header: clinic name left, form title right, an instruction line.
    y = flow.y
    page.text(left, y, pd.clinic_name(rng).upper(), page.font(bold=True, scale=rng.uniform(1.2, 1.5)))
    page.text(right, y, rng.choice(pd.FORM_TITLES), page.font(bold=True, scale=1.1), "right")
    y += round(step * 0.95)
    page.text(left, y, pd.clinic_contact(rng), page.font(False, 0.75, page.style.label))
    y += round(step * 0.9)
    if rng.random() < 0.6:
        page.text(left, y, rng.choice(pd.INSTRUCTIONS), page.font(False, 0.75, page.style.label))
        y += round(step * 0.9)
    flow.y = y + step // 3

    extra = [Cell(lbl.upper(), [value], rng.uniform(1.0, 2.2)) for lbl, value in pd.extras(rng, record)]
    patient = cells(
        ["record_date", "patient_name", "birth_date", "phone_number", "address", "weight", "height"]
    )
    at = rng.randint(3, len(patient))
    bar(rng.choice(pd.SECTION_TITLES["patient"]))
    rows(patient[:at] + extra + patient[at:])

    def emergency() -> None:
        bar(rng.choice(pd.SECTION_TITLES["emergency"]))
        items = cells(["emergency_contact_name", "emergency_contact_phone"], in_section=True)
        if rng.random() < 0.6:
            items.append(Cell("RELATIONSHIP", [rng.choice(pd.RELATIONSHIPS)], 1.2))
        rows(items)

    def insurance() -> None:
        bar(rng.choice(pd.SECTION_TITLES["insurance"]))
        names = list(pd.SECTION_FIELDS["insurance"])
        if rng.random() < 0.5:
            names = names[1:] + names[:1]
        rows(cells(names))

    def history() -> None:
        bar(rng.choice(pd.SECTION_TITLES["history"]))
        answers = cells(["chickenpox", "measles", "hepatitis_b_vaccination"])
        lists = cells(["medical_problems", "allergies", "regular_medications"])
        rows(answers + lists if rng.random() < 0.6 else lists + answers)

    sections = [emergency, insurance, history]
    rng.shuffle(sections)
    for section in sections:
        section()
    if rng.random() < 0.7:
        rows([Cell("PATIENT SIGNATURE", [], 3.0), Cell("STAFF INITIALS", [], 1.0)])
    return record.truth, flow.images()
